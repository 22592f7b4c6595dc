#!/bin/sh
# t_ops_outage -- while a writer appends 20,000 numbered lines (2000 a
# second) to a followed file, the TCP receiver is stopped with TERM for 5 s
# and started again on the same port: no line is lost.  Duplicates (lines
# in flight resent after the reconnection) are allowed, counted, reported.
# t_ops_outage_kill sources this file with OUTAGE_SIG=KILL.
. "$(dirname "$0")/lib.sh"
sig=${OUTAGE_SIG:-TERM}
need_writer
start_rsyslog
rate=2000 secs=10
n=$((rate * secs))

: >"$W/app.log"
"$T2S" -v -T -n 127.0.0.1 -P "$RS_TCP" -t app "$W/app.log" 2>"$W/t2s.err" &
t2s_pid=$!
track $t2s_pid
until_following "$W/app.log"
start_writer "$W/app.log" $rate $secs none

wait_until 10 msgs_beyond seq 3000 || fail "lines do not arrive"
stop_rsyslog "$sig"
down_at=$(count_msgs seq)
sleep 5 # the outage
resume_rsyslog
echo "receiver stopped with $sig after $down_at lines, back 5 s later"

writer_done $n
wait_until 40 none_missing "$RS_OUT" seq 0 $((n - 1))
settle_rsyslog
kill -0 $t2s_pid 2>/dev/null || fail "tail2syslog exited: $(cat "$W/t2s.err")"
kill -USR1 $t2s_pid
wait_until 5 grep -q '^tail2syslog: destination:' "$W/t2s.err"

eval "$(tally "$RS_OUT" seq 0 $((n - 1)))"
echo "$n lines: $missing missing, $dups duplicates, $extra unexpected"
[ "$dups" -eq 0 ] || echo "duplicates (allowed):$dup_list"
grep -v 'retrying in' "$W/t2s.err" | head -n 10
if [ "$missing" -gt 0 ] && grep -q 'lost: Connection reset' "$W/t2s.err"; then
	echo "The connection was reset: rsyslogd closed it with bytes unread, which"
	echo "its kernel had acknowledged (so SIOCOUTQ counted them as delivered)."
	echo "First line lost: seq $(echo $missing_list | cut -d ' ' -f 1);" \
		"lines recorded before the stop: $down_at (seq 0..$((down_at - 1)))"
fi
[ "$missing" -eq 0 ] || fail "lines lost:$missing_list"
[ "$extra" -eq 0 ] || fail "$extra records that no writer wrote"
exit 0
