#!/bin/sh
# t_follow_truncate_same -- a followed file truncated and at once written
# again to the very size that was read: its size alone shows nothing, yet
# the new line must go within a poll or two, not wait for the file to grow
# (it waited for ever).  The same after a copytruncate, and between two
# --once --state runs.  Every line arrives exactly once.
. "$(dirname "$0")/lib.sh"
start_rsyslog

# truncations -- how many times tail2syslog said app.log was truncated
truncations() {
	grep -c '^tail2syslog: app.log: file truncated' t2s.err
}

# truncated N -- true when it said so N times
truncated() {
	[ "$(truncations)" -ge "$1" ]
}

# arrives_within S MSG -- MSG is received within S seconds; says how long
# it took, from the caller's $t0
arrives_within() {
	wait_until "$1" has_msg "$2" || fail "'$2' not sent within $1 s"
	echo "'$2' after $(($(now_ms) - t0)) ms"
}

follow_tcp --from-start app.log
printf 'line-A\n' >>app.log
wait_records 1

t0=$(now_ms)
: >app.log
printf 'line-B\n' >>app.log
arrives_within 5 line-B
wait_until 5 truncated 1 || fail "no 'file truncated' notice"

# logrotate's copytruncate: a copy, then the file emptied in place and
# written again to the same size.
printf 'line-C\n' >>app.log
wait_records 3
t0=$(now_ms)
cp app.log app.log.1
: >app.log
printf 'line-D\nline-E\n' >>app.log
arrives_within 5 line-E
wait_until 5 truncated 2 || fail "no notice for the copytruncate"

stop_follow
for m in line-A line-B line-C line-D line-E; do
	want_record 13 "$HOST_SHORT" app.log - - "$m"
done
assert_records

# --once --state: the file emptied and written to the saved size between
# two runs; the second run sends the new line, once.
got=$(count_records)
printf 'once-1\n' >once.log
t2s --once --from-start --state "$W/state" -T -n 127.0.0.1 -P "$RS_TCP" -t app \
	"$W/once.log" 2>t2s.err || fail "run 1: exit status $?"
settle_rsyslog
echo once-1 >"$W/want"
new_records_are "run 1"
: >once.log
printf 'once-2\n' >>once.log
t2s --once --state "$W/state" -T -n 127.0.0.1 -P "$RS_TCP" -t app \
	"$W/once.log" 2>t2s.err || fail "run 2: exit status $?"
settle_rsyslog
echo once-2 >"$W/want"
new_records_are "run 2: not once-2 alone"
grep -q 'emptied and written anew since the last run' t2s.err ||
	fail "run 2 did not say the file was written anew: $(cat t2s.err)"
t2s --once --state "$W/state" -T -n 127.0.0.1 -P "$RS_TCP" -t app \
	"$W/once.log" 2>t2s.err || fail "run 3: exit status $?"
settle_rsyslog
: >"$W/want"
new_records_are "run 3: sent again"
