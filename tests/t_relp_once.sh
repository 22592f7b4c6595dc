#!/bin/sh
# t_relp_once -- --relp with --once --state: a run whose receiver (imrelp,
# acknowledging only what it wrote) is killed with KILL and restarted
# meanwhile still ends with exit status 0 and every line delivered, at most
# one window (128) twice; the saved offset is the end of the file, so the
# next run sends only the lines written since.  With the receiver down for
# good, a run gives up after about 6 s with exit status 75, the saved offset
# unchanged, and the run after it sends those lines exactly once.
. "$(dirname "$0")/lib.sh"
start_rsyslog_relp
log=$W/app.log
n=100000

# once -- one --once run; exit status in $rc, stderr in $W/t2s.err
once() {
	t2s --once --state "$W/state" --relp -n "127.0.0.1:$RS_RELP" -t app "$log" \
		2>"$W/t2s.err"
	rc=$?
}

# offset -- the offset the state file holds for app.log
offset() {
	awk 'NR == 2 { print $3 }' "$W/state"
}

: >"$log"
once
[ $rc -eq 0 ] || fail "first run: exit status $rc: $(cat "$W/t2s.err")"

# 1. The receiver killed during a run.
awk -v n="$n" 'BEGIN { for (i = 0; i < n; i++) printf "old %d a line of some length\n", i }' \
	>>"$log"
"$T2S" -v --once --state "$W/state" --relp -n "127.0.0.1:$RS_RELP" -t app "$log" \
	2>"$W/t2s.err" &
t2s_pid=$!
track $t2s_pid
wait_until 30 msgs_beyond old $((n / 3)) || fail "lines do not arrive"
stop_rsyslog KILL
echo "receiver killed after $(count_msgs old) lines"
sleep 1
resume_rsyslog
wait $t2s_pid
rc=$?
[ $rc -eq 0 ] || fail "run across the kill: exit status $rc: $(cat "$W/t2s.err")"
settle_rsyslog
eval "$(tally "$RS_OUT" old 0 $((n - 1)))"
echo "across the kill: $missing missing, $dups twice, $ooo out of order"
[ "$missing" -eq 0 ] || fail "lines lost:$missing_list"
[ "$ooo" -eq 0 ] || fail "lines out of order"
[ "$dups" -le 128 ] || fail "$dups lines twice: more than one window"
assert_eq "$(wc -c <"$log" | tr -d ' ')" "$(offset)" "saved offset after the run"

# 2. The next run sends only what is new.
before=$(count_records)
line_range 1 100 >>"$log"
once
[ $rc -eq 0 ] || fail "second run: exit status $rc: $(cat "$W/t2s.err")"
settle_rsyslog
line_range 1 100 >"$W/want"
tail -n +$((before + 1)) "$RS_OUT" | cut -f 6- >"$W/got"
assert_file_eq "$W/want" "$W/got" "second run: lines 1..100 once, nothing else"

# 3. The receiver down for good: 75 after the budget, offset unchanged.
stop_rsyslog
line_range 101 200 >>"$log"
saved=$(offset)
t0=$(now_ms)
once
ms=$(($(now_ms) - t0))
echo "receiver down: exit status $rc after $ms ms: $(cat "$W/t2s.err")"
[ $rc -eq 75 ] || fail "receiver down: exit status $rc, not 75"
[ $ms -ge 5000 ] && [ $ms -lt 20000 ] || fail "receiver down: gave up after $ms ms"
grep -q '^tail2syslog: 127.0.0.1 port' "$W/t2s.err" || fail "receiver down: no message"
assert_eq "$saved" "$(offset)" "saved offset while the receiver is down"
resume_rsyslog
before=$(count_records)
once
[ $rc -eq 0 ] || fail "run after the outage: exit status $rc: $(cat "$W/t2s.err")"
settle_rsyslog
line_range 101 200 >"$W/want"
tail -n +$((before + 1)) "$RS_OUT" | cut -f 6- >"$W/got"
assert_file_eq "$W/want" "$W/got" "after the outage: lines 101..200 once, nothing else"
