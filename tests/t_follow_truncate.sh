#!/bin/sh
# t_follow_truncate -- a followed file truncated to zero and written again:
# -v says "file truncated" and the new lines arrive; the same when it is
# truncated and at once rewritten longer than what was read (between two
# polls), which its size alone does not show; the same again when the new
# lines end with the very bytes the old ones did (only the file's first
# bytes tell); no old line comes twice
. "$(dirname "$0")/lib.sh"
start_rsyslog

# truncations -- how many times tail2syslog said app.log was truncated
truncations() {
	grep -c '^tail2syslog: app.log: file truncated$' t2s.err
}

# truncated N -- true when it said so N times
truncated() {
	[ "$(truncations)" -ge "$1" ]
}

follow_tcp --from-start app.log
printf 'a 1\na 2\na 3\na 4 and some more\n' >app.log
wait_records 4

: >app.log
wait_until 5 truncated 1 || fail "no 'file truncated' notice"
printf 'b 1\nb 2\n' >>app.log
wait_records 6

# One write(2) of 15 bytes right after the truncation, past the 8 bytes
# read: size alone says the file grew.
printf 'c 1\nc 2\nc three\n' >app.log
wait_records 9
wait_until 5 truncated 2 ||
	fail "truncated and regrown: $(truncations) 'file truncated' notices"

# Lines of one length that end alike: the 16 bytes before the old offset
# come back unchanged.
printf 'req 1 user=alice path=/index status=200 OK\n' >app.log
wait_records 10
wait_until 5 truncated 3 || fail "no notice for the rewrite"
printf 'req 2 user=carol path=/index status=200 OK\nreq 3 user=dave  path=/index status=200 OK\n' >app.log
wait_records 12
wait_until 5 truncated 4 ||
	fail "rewritten with the same last bytes: $(truncations) 'file truncated' notices"

stop_follow
for m in 'a 1' 'a 2' 'a 3' 'a 4 and some more' 'b 1' 'b 2' 'c 1' 'c 2' \
	'c three' 'req 1 user=alice path=/index status=200 OK' \
	'req 2 user=carol path=/index status=200 OK' \
	'req 3 user=dave  path=/index status=200 OK'; do
	want_record 13 "$HOST_SHORT" app.log - - "$m"
done
assert_records
