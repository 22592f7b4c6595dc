#!/bin/sh
# t_ops_once_down -- --once with the TCP receiver down gives up after about
# 6 seconds (the man page: "did not take the lines for 6 seconds") with exit
# status 75 and a message, and leaves the saved position where it was; the
# next run, with the receiver back, sends the lines once.
. "$(dirname "$0")/lib.sh"
start_rsyslog
log=$W/app.log

# lines A B -- append "line A" .. "line B" to app.log
lines() {
	line_range "$1" "$2" >>"$log"
}

# once -- one --once run; exit status in $rc, stderr in $W/t2s.err
once() {
	t2s --once --state "$W/state" -T -n 127.0.0.1 -P "$RS_TCP" -t app "$log" \
		2>"$W/t2s.err"
	rc=$?
}

: >"$log"
once
[ $rc -eq 0 ] || fail "first run: exit status $rc"
lines 1 100
once
[ $rc -eq 0 ] || fail "second run: exit status $rc"
wait_records 100

stop_rsyslog
lines 101 200
cp "$W/state" "$W/state.before"
t0=$(now_ms)
once
ms=$(($(now_ms) - t0))
echo "receiver down: exit status $rc after $ms ms: $(cat "$W/t2s.err")"
[ $rc -eq 75 ] || fail "receiver down: exit status $rc, not 75"
grep -q '^tail2syslog: .' "$W/t2s.err" || fail "receiver down: no message"
if ! cmp -s "$W/state.before" "$W/state"; then
	diff "$W/state.before" "$W/state"
	fail "receiver down: the state file changed"
fi

[ $ms -ge 5000 ] && [ $ms -le 12000 ] ||
	timing="receiver down: gave up after $ms ms, not about 6 s"

resume_rsyslog
once
[ $rc -eq 0 ] || fail "receiver back: exit status $rc"
settle_rsyslog
line_range 1 200 >"$W/want"
records_field 6 >"$W/got"
assert_file_eq "$W/want" "$W/got" "lines 1..200 once each, in order"
[ -z "${timing:-}" ] || fail "$timing"
exit 0
