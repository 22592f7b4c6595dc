#!/bin/sh
# t_ops_state_kill_rate -- tail2syslog --state (defaults: --state-interval
# 1) is killed with KILL three times while a writer appends RATE lines a
# second (default 20000; t_ops_state_kill_2k sources this with 2000), and
# started again: no line lost, and the lines sent twice on each restart (those
# sent after the last save) stay within BOUND per kill.  Prints the counts.
. "$(dirname "$0")/lib.sh"
writer=$TOP/tests/tools/writer
[ -x "$writer" ] || skip "tests/tools/writer not built (make tests/tools/writer)"
start_rsyslog
rate=${RATE:-20000} secs=${SECS:-5}
n=$((rate * secs))
bound=${BOUND:-$((rate / 4))}  # a quarter of a second's worth per kill

run_t2s() {
	"$T2S" -T -n 127.0.0.1 -P "$RS_TCP" -t app --state "$W/state" ${T2S_ARGS:-} \
		"$W/app.log" 2>>"$W/t2s.err" &
	t2s_pid=$!
	track $t2s_pid
}

: >"$W/app.log"
run_t2s
until_following "$W/app.log"
"$writer" "$W/app.log" $rate $secs none >"$W/writer.out" 2>&1 &
writer_pid=$!
track $writer_pid

kills=3
for k in $(seq 1 $kills); do
	wait_until 20 msgs_beyond seq $((n * k / (kills + 1))) ||
		fail "kill $k: lines do not arrive"
	kill -KILL $t2s_pid
	wait_until 10 gone $t2s_pid || fail "tail2syslog survives KILL"
	wait $t2s_pid 2>/dev/null
	run_t2s
done

wait $writer_pid || fail "writer failed: $(cat "$W/writer.out")"
grep -qx "written $n" "$W/writer.out" || fail "writer: $(cat "$W/writer.out")"
wait_until 60 none_missing "$RS_OUT" seq 0 $((n - 1))
settle_rsyslog
kill -TERM $t2s_pid
wait_until 10 gone $t2s_pid

eval "$(tally "$RS_OUT" seq 0 $((n - 1)))"
echo "$rate lines/s, $kills kills: $missing missing, $dups sent twice" \
	"($((dups / kills)) per kill on average; bound $bound per kill), $extra unexpected"
[ "$missing" -eq 0 ] || fail "lines lost:$missing_list"
[ "$extra" -eq 0 ] || fail "$extra records that no writer wrote"
[ "$dups" -le $((bound * kills)) ] || fail "$dups sent twice: more than $bound per kill"
exit 0
