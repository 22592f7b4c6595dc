#!/bin/sh
# t_split -- a 20000-byte line with -S 8192 over TCP: three messages of 8192,
# 8192 and 3616 bytes that put back together are the line; with --truncate
# only the first 8192 bytes
. "$(dirname "$0")/lib.sh"
start_rsyslog

# 4000 distinct 5-digit numbers: a misplaced piece cannot go unnoticed
awk 'BEGIN { for (i = 0; i < 4000; i++) printf "%05d", i; print "" }' >"$W/line"
line=$(cat "$W/line")
assert_eq 20000 ${#line} "test line length"

t2s -T -S 8192 -n 127.0.0.1 -P "$RS_TCP" -t x -p local3.warning <"$W/line" ||
	fail "split: exit status $?"
wait_records 3
settle_rsyslog
assert_eq 3 "$(count_records)" "split: record count"
for i in 1 2 3; do
	m=$(record_field $i 6)
	lens="${lens:-}${lens:+ }${#m}"
done
assert_eq "8192 8192 3616" "$lens" "split: MSG lengths"
assert_eq "$line" "$(records_field 6 | tr -d '\n')" "split: pieces joined"
assert_eq "$(printf '156\tx\n156\tx\n156\tx')" "$(cut -f 1,3 "$RS_OUT")" \
	"split: PRI and APP-NAME of every piece"

t2s -T -S 8192 --truncate -n 127.0.0.1 -P "$RS_TCP" -t x -p local3.warning \
	<"$W/line" || fail "truncate: exit status $?"
wait_records 4
settle_rsyslog
assert_eq 4 "$(count_records)" "truncate: record count"
assert_eq "$(head -c 8192 "$W/line")" "$(record_field 4 6)" "truncate: MSG"
