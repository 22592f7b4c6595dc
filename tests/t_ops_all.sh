#!/bin/sh
# t_ops_all -- --all with two TCP receivers, A and B (lib.sh's first and
# second rsyslogd): every line reaches both, once each, in order.  B then
# stops for a few seconds while lines go on: A keeps receiving them without
# delay, and B gets every one of them once it is back (duplicates allowed
# and reported).
. "$(dirname "$0")/lib.sh"
start_rsyslog
start_rsyslog2
log=$W/app.log

# lines A B -- append "line A" .. "line B" to app.log
lines() {
	line_range "$1" "$2" >>"$log"
}

# check FILE N WHO -- record file FILE must hold lines 1..N once each, in
# order, after the ready lines
check() {
	line_range 1 "$2" >"$W/want"
	cut -f 6- "$1" | grep -v '^ready ' >"$W/got"
	assert_file_eq "$W/want" "$W/got" "$3: lines 1..$2 once each, in order"
}

: >"$log"
"$T2S" -v --all -T -n "127.0.0.1:$RS_TCP" -n "127.0.0.1:$RS2_TCP" -t app "$log" \
	2>>"$W/t2s.err" &
t2s_pid=$!
track $t2s_pid
until_following "$log"
wait_until 10 grep -q '	ready ' "$RS2_OUT" || fail "B does not get the ready line"

# 1. Both up: every line to both.
lines 1 1000
wait_until 10 has_msg "line 1000" "$RS_OUT" || fail "A: lines do not arrive"
wait_until 10 has_msg "line 1000" "$RS2_OUT" || fail "B: lines do not arrive"
settle_rsyslog
settle_rsyslog2
check "$RS_OUT" 1000 A
check "$RS2_OUT" 1000 B
echo "both up: lines 1..1000 reached A and B once each"

# 2. B down for about 4 s while a line is written every 0.05 s: A is not
#    held up; B gets them all once it is back.
stop_rsyslog2
i=1000
t0=$(date +%s)
while [ $i -lt 1080 ]; do
	i=$((i + 1))
	lines $i $i
	sleep 0.05
done
wait_until 3 has_msg "line $i" "$RS_OUT" ||
	fail "B down: A is held up (line $i not there within 3 s)"
echo "B down: lines 1001..$i, written over $(($(date +%s) - t0)) s, reached A"
resume_rsyslog2
while [ $i -lt 1100 ]; do
	i=$((i + 1))
	lines $i $i
	sleep 0.05
done
n=$i
wait_until 40 has_msg "line $n" "$RS2_OUT" || {
	eval "$(tally "$RS2_OUT" line 1 $n)"
	fail "B back: $missing of lines 1..$n missing after 40 s:$missing_list"
}
settle_rsyslog
settle_rsyslog2
check "$RS_OUT" $n A
eval "$(tally "$RS2_OUT" line 1 $n)"
echo "B back: lines 1..$n at B: $missing missing, $dups duplicates"
[ "$dups" -eq 0 ] || echo "duplicates at B (allowed):$dup_list"
grep -v 'retrying in' "$W/t2s.err" | head -n 10
[ "$missing" -eq 0 ] || fail "B: lines lost:$missing_list"
kill -0 $t2s_pid 2>/dev/null || fail "tail2syslog died"
exit 0
