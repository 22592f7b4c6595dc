#!/bin/sh
# t_follow_start -- where reading starts: a file there at the start is read
# from its end (its old lines are not sent, new ones are), or from its first
# byte with --from-start; a file that appears later is read from its first
# byte, --from-start or not
. "$(dirname "$0")/lib.sh"
start_rsyslog
printf 'old 1\nold 2\n' >old.log

# first_records -- what the first run must send
first_records() {
	want_record 13 "$HOST_SHORT" old.log - - 'new 1'
	want_record 13 "$HOST_SHORT" late.log - - 'late 1'
	want_record 13 "$HOST_SHORT" late.log - - 'late 2'
}

# From the end; a file created later from its start.
follow_tcp old.log late.log absent # "absent" names nothing
printf 'new 1\n' >>old.log
wait_records 1
printf 'late 1\nlate 2\n' >late.log
wait_records 3
stop_follow
first_records
assert_records

# --from-start: the old lines, then the new; a later file still from 0.
follow_tcp --from-start old.log later.log absent
wait_records 6
printf 'new 2\n' >>old.log
wait_records 7
printf 'later 1\n' >later.log
wait_records 8
stop_follow
first_records
want_record 13 "$HOST_SHORT" old.log - - 'old 1'
want_record 13 "$HOST_SHORT" old.log - - 'old 2'
want_record 13 "$HOST_SHORT" old.log - - 'new 1'
want_record 13 "$HOST_SHORT" old.log - - 'new 2'
want_record 13 "$HOST_SHORT" later.log - - 'later 1'
assert_records
