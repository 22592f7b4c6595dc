#!/bin/sh
# t_tcp_octet -- TCP with octet counting (RFC 6587): "LEN SP MSG" frames, no
# LF, on the wire; two records at the receiver
. "$(dirname "$0")/lib.sh"
start_rsyslog
start_tcp_sink

printf 'a\n b\n' |
	t2s -T --octet-count -n 127.0.0.1 -P "$RS_TCP" -t x -p local3.warning ||
	fail "exit status $?"
wait_records 2
settle_rsyslog
want_record 156 "$HOST_SHORT" x - - a
want_record 156 "$HOST_SHORT" x - - " b"
assert_records

printf 'a\n b\n' |
	t2s -T --octet-count -n 127.0.0.1 -P "$SINK_PORT" -t x -p local3.warning ||
	fail "sink: exit status $?"
m1="<156>Mmm dd hh:mm:ss $HOST_SHORT x: a"
m2="<156>Mmm dd hh:mm:ss $HOST_SHORT x:  b"
printf '%d %s%d %s' ${#m1} "$m1" ${#m2} "$m2" >"$W/want.wire"
wait_until 10 has_bytes "$SINK_OUT" "$(wc -c <"$W/want.wire")"
mask_3164_time <"$SINK_OUT" >"$W/got.wire"
assert_file_eq "$W/want.wire" "$W/got.wire" "bytes on the wire"
