#!/bin/sh
# t_rfc5424 -- --rfc5424 over TCP: HOSTNAME from --hostname, PROCID from
# --id, "<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD MSG"
. "$(dirname "$0")/lib.sh"
start_rsyslog

printf 'a\n b\n' | t2s -T --rfc5424 --hostname myhost --id=4242 \
	-n 127.0.0.1 -P "$RS_TCP" -t x -p local3.warning ||
	fail "exit status $?"
wait_records 2
settle_rsyslog
want_record 156 myhost x 4242 - a
want_record 156 myhost x 4242 - " b"
assert_records

# TIMESTAMP per RFC 5424 6.2.3; STRUCTURED-DATA "-" or elements
ts='[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?(Z|[+-][0-9]{2}:[0-9]{2})'
head='<156>1 '$ts' myhost x 4242 - (-|\[.*\])'
grep -Eqx "$head a" "$RS_RAW" || fail "header of a: $(sed -n 1p "$RS_RAW")"
grep -Eqx "$head  b" "$RS_RAW" || fail "header of b: $(sed -n 2p "$RS_RAW")"
