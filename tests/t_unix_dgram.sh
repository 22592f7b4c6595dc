#!/bin/sh
# t_unix_dgram -- -u PATH: datagrams on a local socket, RFC 3164 without
# HOSTNAME (like logger), so the receiver fills in its own
. "$(dirname "$0")/lib.sh"
start_rsyslog

printf 'a\n b\n' | t2s -u "$RS_SOCK" -t x -p local3.warning ||
	fail "exit status $?"
wait_records 2
printf 'c\n' | t2s -u "$RS_SOCK" -t x --id=4242 -p local3.warning ||
	fail "--id: exit status $?"
wait_records 3
settle_rsyslog
want_record 156 "$RS_HOSTNAME" x - - a
want_record 156 "$RS_HOSTNAME" x - - " b"
want_record 156 "$RS_HOSTNAME" x 4242 - c
assert_records
want_raw '<156>Mmm dd hh:mm:ss x: a'
want_raw '<156>Mmm dd hh:mm:ss x:  b'
want_raw '<156>Mmm dd hh:mm:ss x[4242]: c'
assert_raw
