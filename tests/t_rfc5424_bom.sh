#!/bin/sh
# t_rfc5424_bom -- a line that starts with a UTF-8 byte order mark goes out
# as RFC 5424 MSG-UTF8 (BOM first) only when it is valid UTF-8 (issue 16 item
# 7): over TCP, with octet counting, and over UDP; a Latin-1 line after a
# mark is sent without the mark, whole, and its record parses; RFC 3164 has
# no MSG-UTF8 and keeps the mark
. "$(dirname "$0")/lib.sh"
start_rsyslog

bom=$(printf '\357\273\277')
printf '%scaf\303\251 ok\n%scaf\351 latin1\nplain\n' "$bom" "$bom" >in.log
good="$(printf '%scaf\303\251 ok' "$bom")"
bad="$(printf 'caf\351 latin1')"

n=0
for how in "-T" "-T --octet-count" "-d"; do
	port=$RS_TCP
	[ "$how" = -d ] && port=$RS_UDP
	# shellcheck disable=SC2086
	t2s --rfc5424 $how -n 127.0.0.1 -P "$port" -t x -p local3.info <in.log ||
		fail "$how: exit status $?"
	n=$((n + 3))
	wait_records $n
	want_record 158 "$HOST_SHORT" x - - "$good"
	want_raw "<158>1 TS $HOST_SHORT x - - - $good"
	want_record 158 "$HOST_SHORT" x - - "$bad"
	want_raw "<158>1 TS $HOST_SHORT x - - - $bad"
	want_record 158 "$HOST_SHORT" x - - plain
	want_raw "<158>1 TS $HOST_SHORT x - - - plain"
done
settle_rsyslog
assert_records
sed 's/^\(<158>1\) [^ ]* /\1 TS /' "$RS_RAW" >raw.masked
mv raw.masked "$RS_RAW"
assert_raw
grep -q "Framing Error" rsyslog.err 2>/dev/null && fail "rsyslogd: framing error"

# RFC 3164: the mark stays, whatever follows it.
: >"$RS_OUT"
t2s -T -n 127.0.0.1 -P "$RS_TCP" -t x -p local3.info <in.log || fail "3164: exit status $?"
wait_records 3
settle_rsyslog
want_record 158 "$HOST_SHORT" x - - "$good"
want_record 158 "$HOST_SHORT" x - - "$bom$bad"
want_record 158 "$HOST_SHORT" x - - plain
assert_records
