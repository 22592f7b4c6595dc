#!/bin/sh
# t_ops_state_term -- tail2syslog is stopped with TERM twice and started
# again with the same --state while a writer appends 1000 numbered lines a
# second and rotates the file by rename every 2 s: every line arrives exactly
# once, across the restarts and the rotations (one of which may happen while
# it is stopped).
# t_ops_state_kill sources this file with STOP_SIG=KILL: then no line may be
# lost, and those sent since the last save (--state-interval 1 s) may come
# twice; they are counted and reported.
. "$(dirname "$0")/lib.sh"
sig=${STOP_SIG:-TERM}
need_writer
start_rsyslog
rate=1000 secs=8
n=$((rate * secs))

# run_t2s -- tail2syslog following app.log in the background, pid $t2s_pid.
# Run directly, not under timeout(1), which would not pass KILL on.
run_t2s() {
	t2s_state "$W/app.log"
}

# stop_t2s SIG -- signal tail2syslog, wait (10 s at most) for it to exit;
# its exit status in $rc
stop_t2s() {
	kill -"$1" $t2s_pid
	wait_until 10 gone $t2s_pid || fail "tail2syslog does not exit on $1"
	wait $t2s_pid
	rc=$?
}

: >"$W/app.log"
run_t2s
until_following "$W/app.log"
start_writer "$W/app.log" $rate $secs rename 2000

for cycle in 1 2; do
	wait_until 10 msgs_beyond seq $((cycle * 2500)) ||
		fail "cycle $cycle: lines do not arrive"
	stop_t2s "$sig"
	if [ "$sig" = TERM ] && [ $rc -ne 0 ]; then
		cat "$W/t2s.err"
		fail "cycle $cycle: exit status $rc after TERM"
	fi
	stopped_at=$(count_msgs seq)
	head -n 1 "$W/state" | grep -qx 'tail2syslog-state 1' ||
		fail "cycle $cycle: the state file does not start with its magic line"
	sleep 0.7 # stopped while the writer goes on
	run_t2s
	echo "cycle $cycle: stopped with $sig after $stopped_at lines; restarted"
done

writer_done $n
wait_until 30 none_missing "$RS_OUT" seq 0 $((n - 1))
settle_rsyslog
stop_t2s TERM
[ $rc -eq 0 ] || fail "exit status $rc after the last TERM"
[ -z "$(find "$W/state" -perm -0600 -perm 0600)" ] &&
	fail "state file mode is $(ls -l "$W/state" | cut -c 1-10), not 0600"

eval "$(tally "$RS_OUT" seq 0 $((n - 1)))"
echo "$n lines, $(sed -n 's/^rotations //p' "$W/writer.out") rotations:" \
	"$missing missing, $dups duplicates, $extra unexpected"
[ -s "$W/t2s.err" ] && { echo "tail2syslog stderr:"; head -n 10 "$W/t2s.err"; }
[ "$missing" -eq 0 ] || fail "lines lost:$missing_list"
[ "$extra" -eq 0 ] || fail "$extra records that no writer wrote"
if [ "$sig" = TERM ]; then
	[ "$dups" -eq 0 ] || fail "lines sent twice after TERM:$dup_list"
else
	echo "duplicates after KILL (allowed):$dup_list"
	# At most what was sent since the last save: about a second's worth.
	[ "$dups" -le $((2 * rate * 2)) ] ||
		fail "$dups duplicates: more than two seconds' worth per restart"
fi
exit 0
