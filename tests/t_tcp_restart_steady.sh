#!/bin/sh
# t_tcp_restart_steady -- the receiver restarted, with TERM and with KILL,
# while a writer appends a steady 100 lines a second: every line arrives,
# and each restart sends again only what the receiver took in its last
# tenth of a second and what it had not acknowledged -- not everything
# its connection carried, as far back as a megabyte (the old code sent a
# restart after 3 s of such a connection about 300 lines twice).
. "$(dirname "$0")/lib.sh"
need_writer
start_rsyslog
rate=100 secs=14
n=$((rate * secs))

: >"$W/app.log"
"$T2S" -v -T -n "127.0.0.1:$RS_TCP" -t app "$W/app.log" 2>"$W/t2s.err" &
t2s_pid=$!
track $t2s_pid
until_following "$W/app.log"
start_writer "$W/app.log" $rate $secs none
restarts=0
for sig in TERM KILL TERM; do
	sleep 3 # a connection that carried 300 lines
	stop_rsyslog $sig
	sleep 0.5
	resume_rsyslog
	restarts=$((restarts + 1))
done

writer_done $n
wait_until 30 none_missing "$RS_OUT" seq 0 $((n - 1)) || true
settle_rsyslog
kill -0 $t2s_pid 2>/dev/null || fail "tail2syslog exited: $(cat "$W/t2s.err")"

eval "$(tally "$RS_OUT" seq 0 $((n - 1)))"
echo "$n lines, $restarts restarts: $missing missing, $dups doubled, $extra unexpected"
[ "$missing" -eq 0 ] || fail "lines lost:$missing_list"
[ "$extra" -eq 0 ] || fail "$extra records that no writer wrote"
# A tenth of a second is 10 lines; a sampling step (20 ms) and what was
# unacknowledged add a few: 20 per restart is the most it may cost, where
# the kernel tells what was acknowledged and the window.  A PORTABLE=1
# build sends again what the connection carried (manual, Transports, TCP).
if [ -n "${PORTABLE:-}" ]; then
	echo "a PORTABLE=1 build sends again what each connection carried"
elif [ "$dups" -gt $((restarts * 20)) ]; then
	fail "$dups lines sent twice, more than $((restarts * 20)):$dup_list"
fi
grep -q 'Framing Error' "$W/rsyslog.err" && fail "framing errors"
exit 0
