#!/bin/sh
# t_follow_sparse -- a hole in a followed file, as a writer leaves that goes
# on at its old offset after a copy and truncate: 1 GiB of it is skipped
# (SEEK_DATA), not read as NUL bytes; the hole ends the line before it.  A
# PORTABLE=1 build reads holes as NUL bytes: skipped.
. "$(dirname "$0")/lib.sh"
[ "${PORTABLE:-}" != 1 ] || skip "PORTABLE=1: no SEEK_DATA"
need dd
start_rsyslog
: >app.log
follow_tcp -t app app.log absent
until_following app.log
printf 'before the hole\nunterminated' >>app.log
# The writer goes on 1 GiB further, 100 bytes into a block.
printf 'after the hole\n' |
	dd of=app.log bs=1 seek=$((1073741824 + 100)) conv=notrunc 2>/dev/null ||
	fail "cannot write past the hole"
wait_until 10 has_msg 'after the hole' || fail "the line after the hole did not arrive"
stop_follow
count=$(grep -c . "$RS_OUT")
has_msg 'before the hole' || fail "the line before the hole is missing"
has_msg 'unterminated' || fail "the line the hole ends is missing"
grep -q '#000' "$RS_OUT" && fail "NUL bytes of the hole were sent: $count records"
[ "$count" -eq 4 ] || fail "$count records, 4 expected (ready, 3 lines)"
grep -q 'Framing Error' rsyslog.err 2>/dev/null && fail "rsyslog saw a framing error"
exit 0
