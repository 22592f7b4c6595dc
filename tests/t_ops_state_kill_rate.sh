#!/bin/sh
# t_ops_state_kill_rate -- tail2syslog --state (default saves) is killed with
# KILL three times while a writer appends RATE lines a second (default
# 20000; t_ops_state_kill_2k sources this with 2000), and started again: no
# line lost, and the lines sent twice on each restart, those sent after the
# last save, within what the manual allows: saves at most a second apart,
# plus half a second for the save itself, the loop, and what the receiver
# had not yet read at the save.  Prints the counts.  How often the saves come within that second depends on how long
# they take, which depends on the disk and its load: t_ops_state_pace holds
# that rule, whatever the disk.
. "$(dirname "$0")/lib.sh"
need_writer
start_rsyslog
rate=${RATE:-20000} secs=${SECS:-5}
n=$((rate * secs))
bound=${BOUND:-$((rate * 3 / 2))}  # a second and a half's worth per kill

run_t2s() {
	# shellcheck disable=SC2086 # T2S_ARGS: options, split on purpose
	t2s_state ${T2S_ARGS:-} "$W/app.log"
}

: >"$W/app.log"
run_t2s
until_following "$W/app.log"
start_writer "$W/app.log" $rate $secs none

kills=3
for k in $(seq 1 $kills); do
	wait_until 20 msgs_beyond seq $((n * k / (kills + 1))) ||
		fail "kill $k: lines do not arrive"
	kill -KILL $t2s_pid
	wait_until 10 gone $t2s_pid || fail "tail2syslog survives KILL"
	wait $t2s_pid 2>/dev/null
	run_t2s
done

writer_done $n
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
