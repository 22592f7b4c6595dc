#!/bin/sh
# t_ops_failover -- two TCP receivers, -n A -n B.  A is down at the start:
# the lines go to B.  A comes back: within about 30 s (the fail-back check
# interval) the lines go to A again, none lost, none sent twice.  A goes
# down again under a burst and a trickle of lines: they go to B within
# seconds, none lost.  A and B are lib.sh's first and second rsyslogd.
. "$(dirname "$0")/lib.sh"
start_rsyslog
start_rsyslog2
log=$W/app.log

# lines A B -- append "line A" .. "line B" to app.log
lines() {
	line_range "$1" "$2" >>"$log"
}

# msgs FILE -- the "line N" messages of record file FILE
msgs() {
	cut -f 6- "$1" | grep '^line '
}

stop_rsyslog # A is down at the start
"$T2S" -v -T -n "127.0.0.1:$RS_TCP" -n "127.0.0.1:$RS2_TCP" -t app "$log" \
	2>>"$W/t2s.err" &
t2s_pid=$!
track $t2s_pid
t_start=$(date +%s)

# 1. A down: lines go to B.
until_following "$log" "$RS2_OUT"
lines 1 100
wait_until 10 has_msg "line 100" "$RS2_OUT" || fail "A down: lines do not reach B"
echo "A down from the start: lines 1..100 went to B"

# 2. A back: lines 101.. go to A once tail2syslog looks for it again.
#    back is the first line past 100 in A's records, not the last one
#    written: that may still be on its way to A when the next is written.
resume_rsyslog
i=100
back=
while [ -z "$back" ]; do
	[ $(($(date +%s) - t_start)) -lt 50 ] ||
		fail "no fail-back to A within 50 s of the start"
	i=$((i + 1))
	lines $i $i
	sleep 0.5 # one line every half second until one reaches A
	back=$(msgs "$RS_OUT" | awk '$2 > 100 { print $2; exit }')
done
echo "A back: line $back was the first to reach A, $(($(date +%s) - t_start)) s after the start" \
	"(line $i written by then)"
lines $((i + 1)) $((back + 50)) # lines back+1..i are written already
wait_until 10 has_msg "line $((back + 50))" "$RS_OUT" || fail "lines after fail-back lost"
settle_rsyslog
settle_rsyslog2
msgs "$RS2_OUT" >"$W/got.b"
msgs "$RS_OUT" >"$W/got.a"
line_range 1 $((back - 1)) >"$W/want.b"
line_range $back $((back + 50)) >"$W/want.a"
assert_file_eq "$W/want.b" "$W/got.b" "B: the lines before the fail-back, once each"
assert_file_eq "$W/want.a" "$W/got.a" "A: the lines from the fail-back on, once each"

# 3. A down again: lines go to B; none lost.  A trickle of lines follows
#    the burst: the connection to A is found broken only by a write after
#    the peer is gone (t_ops_idle_outage tests a burst alone).
stop_rsyslog
a_had=$(msgs "$RS_OUT" | wc -l)
lines $((back + 51)) $((back + 150))
last=$((back + 150))
t3=$(date +%s)
while ! has_msg "line $((back + 150))" "$RS2_OUT"; do
	[ $(($(date +%s) - t3)) -lt 15 ] ||
		fail "A down again: lines do not reach B within 15 s"
	last=$((last + 1))
	lines $last $last
	sleep 0.5
done
wait_until 10 has_msg "line $last" "$RS2_OUT" || fail "A down again: line $last lost"
echo "A down again: lines $((back + 51))..$last reached B" \
	"$(($(date +%s) - t3)) s after the burst, with $((last - back - 150)) trickle lines"
settle_rsyslog2
eval "$(cat "$RS2_OUT" "$RS_OUT" | tally - line 1 $last)"
echo "A down again: $missing lines lost:$missing_list"
echo "A down again: $dups duplicates (allowed):$dup_list"
[ "$missing" -eq 0 ] || fail "lines lost when A went down again"
echo "A down again: A had $a_had lines; the rest went to B"
grep -v 'retrying in' "$W/t2s.err" | head -n 10
kill -0 $t2s_pid 2>/dev/null || fail "tail2syslog died"
exit 0
