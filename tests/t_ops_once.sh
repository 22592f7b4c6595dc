#!/bin/sh
# t_ops_once -- --once run again and again, as from cron, with the file
# rotated between runs: renamed to app.log.1 and recreated, renamed to
# app.log-YYYYMMDD, renamed with an empty successor, copied and truncated.
# Rotated two and three times between runs: the generations made and
# rotated away while stopped are found beside the file and read whole,
# oldest first by their times, not their names; the generations already
# sent, lying beside it too, are not read again.
# Every line written after the first run arrives exactly once, in order.
. "$(dirname "$0")/lib.sh"
start_rsyslog
log=$W/app.log
got=0 # records checked so far

# lines A B [FILE] -- append "line A" .. "line B" to FILE (default app.log)
lines() {
	line_range "$1" "$2" >>"${3:-$log}"
}

# once RUN A B -- one --once run, which must exit 0 and send exactly the
# lines A..B, in order (none when A is 0)
once() {
	t2s --once --state "$W/state" -T -n 127.0.0.1 -P "$RS_TCP" -t app "$log" \
		2>"$W/t2s.err"
	rc=$?
	[ $rc -eq 0 ] || { cat "$W/t2s.err"; fail "run $1: exit status $rc"; }
	[ -s "$W/t2s.err" ] && { echo "run $1 stderr:"; cat "$W/t2s.err"; }
	settle_rsyslog
	: >"$W/want"
	[ "$2" -eq 0 ] || lines "$2" "$3" "$W/want"
	new_records_are "run $1: not exactly lines $2..$3 in order"
	if [ "$2" -eq 0 ]; then
		echo "run $1: nothing sent"
	else
		echo "run $1: lines $2..$3"
	fi
}

t2s --once -T -n 127.0.0.1 -P "$RS_TCP" "$log" 2>"$W/t2s.err"
rc=$?
[ $rc -eq 64 ] || fail "--once without --state: exit status $rc, not 64"
assert_eq "tail2syslog: --once needs --state" "$(cat "$W/t2s.err")" \
	"--once without --state: message"

lines 1 100
once 1 0 0 # no saved position: an existing file is read from its end
lines 101 200
once 2 101 200

lines 201 250
mv "$log" "$log.1"
lines 251 300
once 3 201 300 # rest of app.log.1, then the new app.log

lines 301 350
mv "$log" "$log-20250101"
lines 351 400
once 4 301 400 # rest of app.log-20250101, then the new app.log
once 5 0 0     # nothing new

lines 401 450
mv "$log" "$log.2"
: >"$log"
once 6 401 450 # an empty successor
lines 451 500
once 7 451 500

lines 501 550
cp "$log" "$log.3"
: >"$log" # copytruncate while stopped
lines 551 600
once 8 501 600 # rest from the copy app.log.3, then app.log from 0

lines 601 650
mv "$log" "$log.4"
lines 651 700 # a generation made and rotated away while stopped
mv "$log" "$log.5"
lines 701 750 # and another
mv "$log" "$log.6"
lines 751 800
once 9 601 800 # rest of app.log.4, app.log.5, app.log.6, then app.log

lines 801 850
mv "$log" "$log.9"
lines 851 900
mv "$log" "$log.10" # names sort against the order of the generations
: >"$log"
once 10 801 900

# The whole: lines 101..900 once each, in order.
lines 101 900 "$W/want.all"
cut -f 6- "$RS_OUT" >"$W/got.all"
assert_file_eq "$W/want.all" "$W/got.all" "all runs together"
exit 0
