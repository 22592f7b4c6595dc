#!/bin/sh
# t_records_state -- --record-start with --state: a record still open at
# TERM is not sent, the state file keeps the offset of its first line, and
# the next run sends it once, whole, with the lines added meanwhile.  With
# --once, an open last record, or an unterminated last line, goes only if
# the file has been quiet for --partial-timeout by its modification time.
. "$(dirname "$0")/lib.sh"
start_rsyslog
TAB=$(printf '\t')
args="--record-start ^[0-9]{4}- --partial-timeout 60 --state $W/state -t app"

# state_offset -- the offset saved for app.log
state_offset() {
	awk -v f="$W/app.log" '$NF == f { print $3 }' "$W/state"
}

follow_tcp $args "$W/app.log" "$W/none.log"
printf '2026-11-29 12:00:00 ERROR first\n\tat a\n' >"$W/app.log"
first=$(wc -c <"$W/app.log" | tr -d ' ')
printf '2026-11-29 12:00:01 ERROR open\n\tat x\n' >>"$W/app.log"
wait_records 1
sleep 1.5 # a state save (--state-interval 1) and more polls, holding the record
stop_follow
assert_eq 1 "$(count_records)" "records sent before TERM"
assert_eq "$first" "$(state_offset)" "offset saved at TERM (the open record's start)"

printf '\tat y\n2026-11-29 12:00:02 INFO after\n' >>"$W/app.log"
follow_tcp $args "$W/app.log" "$W/none.log"
wait_records 2
sleep 1
stop_follow
assert_eq "2026-11-29 12:00:00 ERROR first#012${TAB}at a
2026-11-29 12:00:01 ERROR open#012${TAB}at x#012${TAB}at y" "$(records_field 6)" \
	"records after the restart"

# --once: the last record was written just now; it waits for the next run.
t2s --once $args -T -n 127.0.0.1 -P "$RS_TCP" "$W/app.log" || fail "--once failed"
settle_rsyslog
assert_eq 2 "$(count_records)" "records after --once on a file written just now"
touch -d '5 minutes ago' "$W/app.log" 2>/dev/null ||
	touch -t "$(date -d '5 minutes ago' +%Y%m%d%H%M.%S)" "$W/app.log" || skip "cannot set an mtime"
t2s --once $args -T -n 127.0.0.1 -P "$RS_TCP" "$W/app.log" || fail "--once failed"
settle_rsyslog
assert_eq 3 "$(count_records)" "records after --once on a quiet file"
assert_eq "2026-11-29 12:00:02 INFO after" "$(record_field 3 6)" "the quiet file's last record"
assert_eq "$(wc -c <"$W/app.log" | tr -d ' ')" "$(state_offset)" "offset after the last record"

# The same for an unterminated last line, without --record-start.
printf 'whole\npart' >"$W/line.log"
t2s --once --from-start --partial-timeout 60 --state "$W/state2" -t line -T -n 127.0.0.1 \
	-P "$RS_TCP" "$W/line.log" || fail "--once failed"
printf 'ial' >>"$W/line.log"
touch -d '5 minutes ago' "$W/line.log" 2>/dev/null ||
	touch -t "$(date -d '5 minutes ago' +%Y%m%d%H%M.%S)" "$W/line.log"
t2s --once --partial-timeout 60 --state "$W/state2" -t line -T -n 127.0.0.1 \
	-P "$RS_TCP" "$W/line.log" || fail "--once failed"
settle_rsyslog
assert_eq "whole
partial" "$(sed -n '4,$p' "$RS_OUT" | cut -f 6-)" "--once and an unterminated last line"
grep -q "Framing" "$W/rsyslog.err" && fail "rsyslogd saw framing errors"
exit 0
