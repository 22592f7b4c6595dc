#!/bin/sh
# t_udp6 -- UDP to ::1, named as "-n ::1 -P PORT" and as "-n [::1]:PORT"
. "$(dirname "$0")/lib.sh"
[ "$RS_HAVE_V6" = 1 ] || skip "no ::1 on this host"
start_rsyslog

printf 'a\nb\n' | t2s -d -n ::1 -P "$RS_UDP" -t x -p local3.warning ||
	fail "-n ::1: exit status $?"
wait_records 2
printf 'c\nd\n' | t2s -d -n "[::1]:$RS_UDP" -t x -p local3.warning ||
	fail "-n [::1]:PORT: exit status $?"
wait_records 4
settle_rsyslog
for m in a b c d; do
	want_record 156 "$HOST_SHORT" x - - $m
	want_raw "<156>Mmm dd hh:mm:ss $HOST_SHORT x: $m"
done
assert_records
assert_raw
