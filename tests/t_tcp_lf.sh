#!/bin/sh
# t_tcp_lf -- TCP with LF framing: "<PRI>TIMESTAMP HOSTNAME TAG: MSG\n" on
# the wire, two records at the receiver
. "$(dirname "$0")/lib.sh"
start_rsyslog
start_tcp_sink

printf 'a\n b\n' | t2s -T -n 127.0.0.1 -P "$RS_TCP" -t x -p local3.warning ||
	fail "exit status $?"
wait_records 2
settle_rsyslog
want_record 156 "$HOST_SHORT" x - - a
want_record 156 "$HOST_SHORT" x - - " b"
assert_records

# the same lines to the sink: each frame is one message and a LF
printf 'a\n b\n' | t2s -T -n 127.0.0.1 -P "$SINK_PORT" -t x -p local3.warning ||
	fail "sink: exit status $?"
printf '<156>Mmm dd hh:mm:ss %s x: a\n<156>Mmm dd hh:mm:ss %s x:  b\n' \
	"$HOST_SHORT" "$HOST_SHORT" >"$W/want.wire"
wait_until 10 has_bytes "$SINK_OUT" "$(wc -c <"$W/want.wire")"
mask_3164_time <"$SINK_OUT" >"$W/got.wire"
assert_file_eq "$W/want.wire" "$W/got.wire" "bytes on the wire"
