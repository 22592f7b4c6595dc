#!/bin/sh
# t_ops_rotated_writer -- the file is renamed while tail2syslog is stopped,
# and its writer goes on appending to the renamed file for a while before
# it reopens the name (as a daemon does until its next SIGHUP).  What it
# appends after the next run read the renamed file to its end must arrive
# too, once:
#   1. --once runs, as from cron: the run that finds the rotation keeps the
#      renamed file in the state file while it was changed within
#      --rotate-wait, and the next run reads on from there;
#   2. following, restarted after the rename: the renamed file is kept
#      --rotate-wait after its last change, as one rotated while following.
# (Before, both dropped the renamed file once read to its end: 10 lines
# lost in each case.)
. "$(dirname "$0")/lib.sh"
start_rsyslog
log=$W/app.log
got=0 # records checked so far

# lines A B [FILE] -- append "line A" .. "line B" to FILE (default app.log)
lines() {
	line_range "$1" "$2" >>"${3:-$log}"
}

# expect WHAT A B [C D] -- the records since the last check are exactly
# lines A..B (then C..D), in order
expect() {
	line_range "$2" "$3" >"$W/want"
	[ -z "${4:-}" ] || line_range "$4" "$5" >>"$W/want"
	new_records_are "$1: not exactly the lines expected"
	echo "$1: as expected"
}

# once RUN -- one --once run, which must exit 0
once() {
	"$T2S" --once --state "$W/state" -T -n 127.0.0.1 -P "$RS_TCP" -t app "$log" \
		2>"$W/t2s.err" || fail "run $1: exit status $?: $(cat "$W/t2s.err")"
	settle_rsyslog
}

# 1. --once
lines 1 10
"$T2S" --once --from-start --state "$W/state" -T -n 127.0.0.1 -P "$RS_TCP" -t app "$log" \
	2>"$W/t2s.err" || fail "run 1: $(cat "$W/t2s.err")"
settle_rsyslog
expect "once, run 1" 1 10
lines 11 20
mv "$log" "$log.1"
: >"$log"
lines 21 30 "$log.1" # the writer has not reopened yet
once 2
expect "once, run 2 (rotated since)" 11 30
lines 31 40 "$log.1" # nor now
lines 41 50
once 3
expect "once, run 3 (the renamed file written since)" 31 40 41 50
rm -f "$log.1" "$W/state"

# 2. following, restarted after the rename.  --rotate-wait 30, not 5: the
#    renamed file's last lines come some seconds after the restart, later
#    still on a slow machine; dropping it once drained loses them all the same.
: >"$log"
"$T2S" -v --rotate-wait 30 --state "$W/state" -T -n 127.0.0.1 -P "$RS_TCP" -t app "$log" \
	2>"$W/t2s.err" &
pid=$!
track $pid
until_following "$log"
got=$(count_records)
lines 101 110
wait_until 10 has_records $((got + 10)) || fail "following: lines do not arrive"
expect "following" 101 110
kill $pid
wait $pid
lines 111 120
mv "$log" "$log.1"
: >"$log"
lines 121 130 "$log.1"
"$T2S" -v --rotate-wait 30 --state "$W/state" -T -n 127.0.0.1 -P "$RS_TCP" -t app "$log" \
	2>"$W/t2s.err" &
pid=$!
track $pid
wait_until 10 has_records $((got + 20)) || fail "restarted: the rest of the renamed file does not arrive"
sleep 1 # the writer is slow to reopen
lines 131 140 "$log.1"
sleep 1
lines 141 150
wait_until 10 has_records $((got + 40)) ||
	fail "restarted: $(($(count_records) - got)) of 40 lines; stderr: $(cat "$W/t2s.err")"
settle_rsyslog
expect "following, restarted" 111 140 141 150
kill $pid
exit 0
