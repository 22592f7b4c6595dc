#!/bin/sh
# t_follow_partial -- a line written in two parts 3 s apart arrives as one
# message; a last line that is never completed is sent as it is after
# --partial-timeout, once, and what follows it is a message of its own
. "$(dirname "$0")/lib.sh"
start_rsyslog

# Completed within the default --partial-timeout of 5 s.
follow_tcp --from-start a.log
printf 'line 1\nfirst half' >a.log
wait_records 1
sleep 3
printf ', second half\nline 3\n' >>a.log
wait_records 3
stop_follow
want_record 13 "$HOST_SHORT" a.log - - 'line 1'
want_record 13 "$HOST_SHORT" a.log - - 'first half, second half'
want_record 13 "$HOST_SHORT" a.log - - 'line 3'
assert_records

# Never completed: sent after 1 s, as it is; the next bytes start a new
# message.
follow_tcp --from-start --partial-timeout 1 b.log
printf 'dangling' >b.log
started=$(date +%s)
wait_records 4
waited=$(($(date +%s) - started))
[ $waited -le 3 ] || fail "partial line sent after $waited s, not 1"
printf 'next\n' >>b.log
wait_records 5
stop_follow
want_record 13 "$HOST_SHORT" a.log - - 'line 1'
want_record 13 "$HOST_SHORT" a.log - - 'first half, second half'
want_record 13 "$HOST_SHORT" a.log - - 'line 3'
want_record 13 "$HOST_SHORT" b.log - - 'dangling'
want_record 13 "$HOST_SHORT" b.log - - 'next'
assert_records
