#!/bin/sh
# t_raw -- --raw over UDP sends "<PRI>line" and nothing else.
# rsyslog parses a message without TIMESTAMP as RFC 3164 with the first word
# as HOSTNAME and the next as TAG; a line that holds a whole RFC 3164 header
# is parsed as such.
. "$(dirname "$0")/lib.sh"
start_rsyslog

printf 'hello world\nJan  2 03:04:05 h app[7]: m\n' |
	t2s --raw -d -n 127.0.0.1 -P "$RS_UDP" -p local3.warning ||
	fail "exit status $?"
wait_records 2
settle_rsyslog
printf '%s\n' '<156>hello world' '<156>Jan  2 03:04:05 h app[7]: m' >"$W/want"
assert_file_eq "$W/want" "$RS_RAW" "messages as received (rawmsg)"
want_record 156 hello world - - ''
want_record 156 h app 7 - m
assert_records
