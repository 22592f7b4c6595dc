#!/bin/sh
# t_ops_state_lock -- one state file, one process (issue 14, item 7).  The
# state file is locked through STATE.lock, which every save (a rename of a
# new file over the state file) leaves alone:
#   1. while one instance follows with --state S, a --once run and a second
#      follower on S exit 75 with "S: in use by pid N" and change nothing,
#      also after the first has saved its state again
#   2. two instances started together on a fresh S: one runs, the other
#      exits 75 with that message (not "No such file or directory", 73)
#   3. once the holder has stopped, S is free: a --once run sends what was
#      written since and exits 0; STATE.lock stays, empty
. "$(dirname "$0")/lib.sh"
start_rsyslog
S=$W/shared.state

# follower [ARGS] -- an instance following app.log with --state $S in the
# background; its pid in $!
follower() {
	"$T2S" -T -n 127.0.0.1 -P "$RS_TCP" -t app --state "$S" --state-interval 0.1 \
		"$@" "$W/app.log" 2>>"$W/follower.err" &
	track $!
}

# refused WHAT HOLDER ARGS... -- tail2syslog on $S with ARGS exits 75 at
# once, saying that HOLDER holds it; the state file unchanged
refused() {
	_what=$1 _holder=$2
	shift 2
	cp "$S" "$W/state.before"
	t2s -T -n 127.0.0.1 -P "$RS_TCP" -t app --state "$S" "$@" "$W/app.log" \
		2>"$W/refused.err"
	rc=$?
	[ $rc -eq 75 ] || fail "$_what: exit status $rc, not 75; $(cat "$W/refused.err")"
	assert_eq "tail2syslog: $S: in use by pid $_holder" "$(cat "$W/refused.err")" \
		"$_what: message"
	assert_file_eq "$W/state.before" "$S" "$_what: the state file"
}

# 1. A running holder.
: >app.log
follower
first=$!
until_following app.log
# The holder saves once what it sent (--state-interval 0.1): after that, a
# change to the state file is the refused run's.
wait_until 10 grep -q "$W/app.log" "$S" || fail "the holder does not save"
sleep 0.3
refused "--once beside a follower" $first --once
refused "a second follower" $first
ino=$(ls -i "$S" | awk '{print $1}')
echo "line 1" >>app.log
wait_records 2
# A save replaces the state file: the lock holds on.
wait_until 5 sh -c "[ \"\$(ls -i '$S' | awk '{print \$1}')\" != $ino ]" ||
	fail "no save after a line (cannot test that the lock outlives it)"
refused "--once after the holder saved" $first --once
kill -TERM $first
wait_until 10 gone $first || fail "TERM does not stop the holder"

# 3. Free again: what was written meanwhile is sent by a --once run.
echo "line 2" >>app.log
t2s -T -n 127.0.0.1 -P "$RS_TCP" -t app --state "$S" --once "$W/app.log" 2>once.err ||
	fail "--once after the holder stopped: exit status $?; $(cat once.err)"
wait_records 3
assert_eq "line 2" "$(record_field 3 6)" "--once after the holder stopped: the line"
[ -f "$S.lock" ] && [ ! -s "$S.lock" ] || fail "$S.lock: not left empty"

# 2. Started together, three times over.
for round in 1 2 3; do
	S=$W/together.$round
	: >follower.err
	follower
	a=$!
	follower
	b=$!
	# exactly one of them exits, 75, with the message
	wait_until 10 sh -c "! kill -0 $a 2>/dev/null || ! kill -0 $b 2>/dev/null" ||
		fail "round $round: both run on one state file"
	if gone $a; then loser=$a winner=$b; else loser=$b winner=$a; fi
	wait $loser
	rc=$?
	[ $rc -eq 75 ] || fail "round $round: the second exits $rc, not 75: $(cat follower.err)"
	# (the holder, on a fresh state file, says what it skipped)
	assert_eq "tail2syslog: $S: in use by pid $winner" \
		"$(grep -v ': no saved position, skipped ' follower.err)" "round $round: message"
	sleep 0.2
	gone $winner && fail "round $round: the holder died too"
	kill -TERM $winner
	wait_until 10 gone $winner || fail "round $round: TERM does not stop the holder"
done
exit 0
