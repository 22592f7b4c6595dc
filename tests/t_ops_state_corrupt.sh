#!/bin/sh
# t_ops_state_corrupt -- a state file that is garbage, of another format or
# version, empty, torn in its last line, or with one bad line: no crash, a
# warning ("not a state file, ignored" or "N unreadable entries ignored";
# none for an empty file), and the entries that cannot be read are treated
# as absent: those files are read from their end (never sent whole again),
# the readable entries resume exactly, and each file read from its end says
# so ("no saved position, skipped N bytes").  Two followed files, a.log and b.log,
# each run with --once; then once more without --once.
. "$(dirname "$0")/lib.sh"
start_rsyslog
a=$W/a.log
b=$W/b.log
st=$W/state
printf 'old a %s\n' 1 2 3 >"$a"
printf 'old b %s\n' 1 2 3 >"$b"

# once WHAT -- one --once run over a.log and b.log; exit status 0 and the
# state file rewritten as a state file; stderr in $W/t2s.err
once() {
	t2s --once --state "$st" -T -n 127.0.0.1 -P "$RS_TCP" -t app "$a" "$b" \
		2>"$W/t2s.err"
	rc=$?
	[ $rc -eq 0 ] || { cat "$W/t2s.err"; fail "$1: exit status $rc"; }
	head -n 1 "$st" | grep -qx 'tail2syslog-state 1' ||
		fail "$1: state file not rewritten as a state file"
}

# sent WHAT LINE... -- since the last call, exactly LINE... were sent
seen=0
sent() {
	_what=$1
	shift
	settle_rsyslog
	printf '%s\n' "$@" | sed '/^$/d' >"$W/want"
	tail -n +$((seen + 1)) "$RS_OUT" | cut -f 6- >"$W/got"
	assert_file_eq "$W/want" "$W/got" "$_what: lines sent"
	seen=$(count_records)
}

# warned WHAT TEXT -- the last run's stderr, less the lines of skipped(),
# is exactly "tail2syslog: TEXT" (nothing when TEXT is empty)
warned() {
	grep -v ': no saved position, skipped ' "$W/t2s.err" >"$W/t2s.warn"
	if [ -z "$2" ]; then
		assert_eq "" "$(cat "$W/t2s.warn")" "$1: stderr"
	else
		assert_eq "tail2syslog: $2" "$(cat "$W/t2s.warn")" "$1: warning"
	fi
}

# skipped WHAT FILE... -- the last run said it read exactly these files
# from their end
skipped() {
	_what=$1
	shift
	printf '%s\n' "$@" | sed '/^$/d' >"$W/want.skip"
	sed -n 's/^tail2syslog: \(.*\): no saved position, skipped [0-9]* bytes (use --from-start to send them)$/\1/p' \
		"$W/t2s.err" >"$W/got.skip"
	assert_file_eq "$W/want.skip" "$W/got.skip" "$_what: files read from their end"
}

# corrupt WHAT WARNING -- with $st as prepared by the caller: one run warns
# and sends nothing (a.log and b.log are read from their end); lines added
# then are sent once by the next run
corrupt() {
	once "$1"
	warned "$1" "$2"
	skipped "$1" "$a" "$b"
	sent "$1: first run"
	echo "$1: new" >>"$a"
	echo "$1: new" >>"$b"
	once "$1, second run"
	warned "$1, second run" ""
	skipped "$1, second run"
	sent "$1, second run" "$1: new" "$1: new"
	echo "$1: ok"
}

head -c 300 /dev/urandom >"$st"
corrupt garbage "$st: not a state file, ignored"

printf '%s\n' 1234 5678 >"$st" # logtail's offset file
corrupt "logtail offsets" "$st: not a state file, ignored"

printf '{"%s": {"offset": 12, "inode": 34}}\n' "$a" >"$st"
corrupt json "$st: not a state file, ignored"

printf 'tail2syslog-state 2\n1 2 3 - - %s\n' "$a" >"$st"
corrupt "other version" "$st: not a state file, ignored"

: >"$st"
corrupt empty ""

# A good state file for both; lines written while stopped; then the last
# line (b.log's entry) torn: a.log resumes, b.log is read from its end.
echo "torn: before" >>"$a"
echo "torn: before" >>"$b"
once "good run"
sent "good run" "torn: before" "torn: before"
grep -q " $b\$" "$st" || fail "state file has no entry for b.log"
tail -n 1 "$st" | grep -q " $b\$" || fail "b.log's entry is not the last line"
echo "torn: while stopped" >>"$a"
echo "torn: while stopped" >>"$b"
size=$(wc -c <"$st")
head -c $((size - 9)) "$st" >"$st.new" && mv "$st.new" "$st"
once "torn last line"
warned "torn last line" "$st: 1 unreadable entries ignored"
skipped "torn last line" "$b"
sent "torn last line" "torn: while stopped"
echo "torn last line: ok"

# One bad line between good ones: the good ones resume.
echo "bad line: while stopped" >>"$a"
echo "bad line: while stopped" >>"$b"
awk 'NR == 2 { print "x y z - - /nowhere" } { print }' "$st" >"$st.new" &&
	mv "$st.new" "$st"
once "bad line"
warned "bad line" "$st: 1 unreadable entries ignored"
skipped "bad line"
sent "bad line" "bad line: while stopped" "bad line: while stopped"
echo "bad line: ok"

# Garbage, and a state file that is not --once: the follower starts, warns,
# runs and stops cleanly with TERM.
head -c 1000 /dev/urandom | tr -d '\n' >"$st"
"$T2S" --state "$st" -T -n 127.0.0.1 -P "$RS_TCP" -t app "$a" "$b" 2>"$W/t2s.err" &
pid=$!
track $pid
wait_until 5 grep -q 'not a state file, ignored' "$W/t2s.err" ||
	fail "following: no warning about the garbage state file"
until_following "$a"
kill -TERM $pid
wait_until 10 gone $pid || fail "following: TERM does not stop it"
wait $pid
rc=$?
[ $rc -eq 0 ] || fail "following: exit status $rc after TERM"
settle_rsyslog
records_field 6 | grep -q '^old ' && fail "old lines were sent again"
echo "following with a garbage state file: ok"
exit 0
