#!/bin/sh
# t_follow_start -- where reading starts: a file there at the start is read
# from its end (its old lines are not sent, new ones are), or from its first
# byte with --from-start; a file that appears later is read from its first
# byte, --from-start or not
. "$(dirname "$0")/lib.sh"
start_rsyslog
printf 'old 1\nold 2\n' >old.log

ready='tail2syslog: absent: No such file or directory, waiting'

# follow ARGS... -- tail2syslog -v over TCP with ARGS, then the operand
# "absent" that names nothing; once it says it waits for that one, it has
# opened the files named before it.  Its pid is in $t2s_pid.
follow() {
	: >t2s.err
	timeout 30 "$T2S" -v -T -n 127.0.0.1 -P "$RS_TCP" "$@" absent \
		2>t2s.err &
	t2s_pid=$!
	track $t2s_pid
	wait_until 5 grep -qxF "$ready" t2s.err ||
		fail "tail2syslog does not start ($*)"
}

# stop -- TERM tail2syslog, which must exit 0; wait until rsyslogd has
# recorded everything it sent
stop() {
	kill "$t2s_pid"
	wait "$t2s_pid"
	rc=$?
	[ $rc -eq 0 ] || fail "exit status $rc after TERM"
	settle_rsyslog
}

# first_records -- what the first run must send
first_records() {
	want_record 13 "$HOST_SHORT" old.log - - 'new 1'
	want_record 13 "$HOST_SHORT" late.log - - 'late 1'
	want_record 13 "$HOST_SHORT" late.log - - 'late 2'
}

# From the end; a file created later from its start.
follow old.log late.log
printf 'new 1\n' >>old.log
wait_records 1
printf 'late 1\nlate 2\n' >late.log
wait_records 3
stop
first_records
assert_records

# --from-start: the old lines, then the new; a later file still from 0.
follow --from-start old.log later.log
wait_records 6
printf 'new 2\n' >>old.log
wait_records 7
printf 'later 1\n' >later.log
wait_records 8
stop
first_records
want_record 13 "$HOST_SHORT" old.log - - 'old 1'
want_record 13 "$HOST_SHORT" old.log - - 'old 2'
want_record 13 "$HOST_SHORT" old.log - - 'new 1'
want_record 13 "$HOST_SHORT" old.log - - 'new 2'
want_record 13 "$HOST_SHORT" later.log - - 'later 1'
assert_records
