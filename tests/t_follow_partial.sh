#!/bin/sh
# t_follow_partial -- a line written in two parts 3 s apart arrives as one
# message; a last line that is never completed is sent as it is after
# --partial-timeout, once, and what follows it is a message of its own
. "$(dirname "$0")/lib.sh"
start_rsyslog

# follow ARGS... -- tail2syslog over TCP with ARGS; its pid is in $t2s_pid
follow() {
	: >t2s.err
	timeout 30 "$T2S" -v -T -n 127.0.0.1 -P "$RS_TCP" --from-start "$@" \
		2>t2s.err &
	t2s_pid=$!
	track $t2s_pid
	wait_until 5 grep -q ': No such file or directory, waiting' t2s.err ||
		fail "tail2syslog does not start"
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

# Completed within the default --partial-timeout of 5 s.
follow a.log
printf 'line 1\nfirst half' >a.log
wait_records 1
sleep 3
printf ', second half\nline 3\n' >>a.log
wait_records 3
stop
want_record 13 "$HOST_SHORT" a.log - - 'line 1'
want_record 13 "$HOST_SHORT" a.log - - 'first half, second half'
want_record 13 "$HOST_SHORT" a.log - - 'line 3'
assert_records

# Never completed: sent after 1 s, as it is; the next bytes start a new
# message.
follow --partial-timeout 1 b.log
printf 'dangling' >b.log
started=$(date +%s)
wait_records 4
waited=$(($(date +%s) - started))
[ $waited -le 3 ] || fail "partial line sent after $waited s, not 1"
printf 'next\n' >>b.log
wait_records 5
stop
want_record 13 "$HOST_SHORT" a.log - - 'line 1'
want_record 13 "$HOST_SHORT" a.log - - 'first half, second half'
want_record 13 "$HOST_SHORT" a.log - - 'line 3'
want_record 13 "$HOST_SHORT" b.log - - 'dangling'
want_record 13 "$HOST_SHORT" b.log - - 'next'
assert_records
