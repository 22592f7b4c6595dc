#!/bin/sh
# t_ops_state_names -- a file is one name in the state file, however it was
# spelled: --once runs from cron given "app.log" in its directory, then
# "./app.log", then its full path, then that with "//" and "/./" in it
# (as a --daemon run, in /, is given it), each take up where the last left off:
# every line written between runs arrives exactly once, and none is
# skipped with "no saved position".  A state file of an older release,
# which kept the name as typed ("app.log"), is taken against the directory
# the run starts in.  (Before, each spelling was a new file: its lines up
# to then were skipped.)  And a run on another file keeps this one's
# entry.
. "$(dirname "$0")/lib.sh"
start_rsyslog
mkdir "$W/logs"
log=$W/logs/app.log
got=0 # records checked so far

# once RUN NAME A B -- from $W/logs, one --once run given NAME, which must
# exit 0, say nothing, and send exactly the lines A..B, in order
once() {
	(cd "$W/logs" && "$T2S" --once --state "$W/state" -T -n 127.0.0.1 -P "$RS_TCP" \
		-t app "$2" 2>"$W/t2s.err")
	rc=$?
	[ $rc -eq 0 ] || fail "run $1 ($2): exit status $rc: $(cat "$W/t2s.err")"
	[ -s "$W/t2s.err" ] && fail "run $1 ($2) said: $(cat "$W/t2s.err")"
	settle_rsyslog
	line_range "$3" "$4" >"$W/want"
	new_records_are "run $1 ($2): not exactly lines $3..$4 in order"
	echo "run $1, as $2: lines $3..$4"
}

line_range 1 10 >"$log"
(cd "$W/logs" && "$T2S" --once --from-start --state "$W/state" -T -n 127.0.0.1 \
	-P "$RS_TCP" -t app app.log 2>"$W/t2s.err") || fail "first run: $(cat "$W/t2s.err")"
settle_rsyslog
got=$(count_records)
[ "$got" -eq 10 ] || fail "first run: $got records, not 10"
grep -q " $log\$" "$W/state" || fail "the state file does not name $log: $(cat "$W/state")"

line_range 11 20 >>"$log"
once 2 ./app.log 11 20
line_range 21 30 >>"$log"
once 3 "$log" 21 30
line_range 31 40 >>"$log"
once 4 "$W//logs/./app.log" 31 40

# As an older release wrote it: the name as typed, relative.
sed "s# $log\$# app.log#" "$W/state" >"$W/state.old"
mv "$W/state.old" "$W/state"
grep -q ' app.log$' "$W/state" || fail "could not write an old state file: $(cat "$W/state")"
line_range 41 50 >>"$log"
once 5 app.log 41 50

# A run on another file only keeps the entry of this one: the next run on
# it neither skips nor sends again what it had (before, the entry was
# dropped, and the next run skipped lines 51..60, or with --from-start sent
# the whole file again).
line_range 51 60 >>"$log"
: >"$W/logs/other.log"
(cd "$W/logs" && "$T2S" --once --from-start --state "$W/state" -T -n 127.0.0.1 	-P "$RS_TCP" -t other other.log 2>"$W/t2s.err") || fail "other.log: $(cat "$W/t2s.err")"
grep -q " $log\$" "$W/state" || fail "a run on other.log dropped app.log: $(cat "$W/state")"
line_range 61 70 >>"$log"
once 6 app.log 51 70
exit 0
