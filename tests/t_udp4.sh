#!/bin/sh
# t_udp4 -- two lines over UDP to 127.0.0.1 become two RFC 3164 messages
. "$(dirname "$0")/lib.sh"
start_rsyslog

printf 'a\nb\n' | t2s -d -n 127.0.0.1 -P "$RS_UDP" -t x -p local3.warning ||
	fail "exit status $?"
wait_records 2
settle_rsyslog
want_record 156 "$HOST_SHORT" x - - a
want_record 156 "$HOST_SHORT" x - - b
assert_records
want_raw "<156>Mmm dd hh:mm:ss $HOST_SHORT x: a"
want_raw "<156>Mmm dd hh:mm:ss $HOST_SHORT x: b"
assert_raw
