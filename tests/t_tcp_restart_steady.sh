#!/bin/sh
# t_tcp_restart_steady -- the receiver restarted, with TERM and with KILL,
# while a writer appends a steady 100 lines a second: every line arrives.
# A restart that closed the connection in order (nothing was unread) sends
# again only what the receiver took in its last tenth of a second and what
# it had not acknowledged; one that reset it (something was unread, and
# the window does not tell how much) sends again what the connection
# carried, 3 s of lines here, but nothing from before it (a build that
# went back a megabyte or to a 64 KB stretch sent 1,992 twice).
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
# A tenth of a second is 10 lines; a sampling step (20 ms), what was
# unacknowledged and a stall just before the close (a backlog then flushed
# counts as taken lately) add some: half a second's lines is the most a
# close in order may cost, a sixth of what its connection carried, and
# a reset what its connection carried: 3 s of lines, those written while
# the receiver was down and 20 more, 5 s of lines in all on a slow machine
# -- where the kernel tells what was acknowledged and the window.  A
# PORTABLE=1 build sends again what the connection carried (manual,
# Transports, TCP).
resets=$(grep -c ' lost: ' "$W/t2s.err")
closes=$(grep -c 'closed by the peer' "$W/t2s.err")
most=$((closes * rate / 2 + resets * rate * 5))
echo "$closes closed in order, $resets reset: at most $most may be sent twice"
if [ -n "${PORTABLE:-}" ]; then
	echo "a PORTABLE=1 build sends again what each connection carried"
elif [ "$dups" -gt "$most" ]; then
	fail "$dups lines sent twice, more than $most:$dup_list"
fi
grep -q 'Framing Error' "$W/rsyslog.err" && fail "framing errors"
exit 0
