#!/bin/sh
# t_ops_once_unread -- --once from cron tells the truth about files:
#   - a first run (no saved position) starts at the end of an existing
#     file and says how many bytes it skipped, on stderr; exit 0;
#   - a named file that is missing, a directory, or unreadable (EACCES, run
#     as nobody) is reported once, at the end, as "FILE: REASON, not read",
#     with no "waiting", and the run exits 66 after sending the others;
#   - a file that was missing at the last run and has appeared since is read
#     from its first byte (the state file remembers it was absent);
#   - --from-start on a first run sends everything and says nothing, and
#     on later runs (the manual's cron line) only what is new.
. "$(dirname "$0")/lib.sh"
start_rsyslog
log=$W/app.log
new=$W/new.log

# once ARGS... -- one --once run to the receiver; status in $rc, stderr in
# $W/err
once() {
	t2s --once --state "$W/state" -T -n 127.0.0.1 -P "$RS_TCP" -t app "$@" 2>"$W/err"
	rc=$?
}

line_range 1 100 >"$log"
size=$(wc -c <"$log" | tr -d ' ')
once "$log" "$new"
[ $rc -eq 66 ] || fail "run 1: exit status $rc, not 66"
printf '%s\n' \
	"tail2syslog: $log: no saved position, skipped $size bytes (use --from-start to send them)" \
	"tail2syslog: $new: No such file or directory, not read" >"$W/want.err"
assert_file_eq "$W/want.err" "$W/err" "run 1: stderr"

line_range 101 110 >>"$log"
line_range 1001 1010 >"$new"
once "$log" "$new"
[ $rc -eq 0 ] || fail "run 2: exit status $rc: $(cat "$W/err")"
[ ! -s "$W/err" ] || fail "run 2: stderr: $(cat "$W/err")"
settle_rsyslog
{ line_range 101 110; line_range 1001 1010; } >"$W/want"
records_field 6 >"$W/got"
assert_file_eq "$W/want" "$W/got" \
	"run 2: app.log's new lines, and all of new.log, absent at run 1"

# A directory where a file is named: reported at the end, no "waiting"
mkdir "$W/dir.log"
once "$log" "$W/dir.log"
[ $rc -eq 66 ] || fail "a directory: exit status $rc, not 66"
assert_eq "tail2syslog: $W/dir.log: is a directory, not read" "$(cat "$W/err")" \
	"a directory: stderr"

# --from-start on a first run: all of it, nothing said
rm -f "$W/state"
once --from-start "$log"
[ $rc -eq 0 ] || fail "--from-start: exit status $rc: $(cat "$W/err")"
[ ! -s "$W/err" ] || fail "--from-start: stderr: $(cat "$W/err")"
settle_rsyslog
[ "$(count_records)" -eq 130 ] || fail "--from-start: $(count_records) records, not 130"
# ... and later runs with --from-start, as the manual's cron line has it,
# resume where the last one stopped
line_range 111 115 >>"$log"
once --from-start "$log"
[ $rc -eq 0 ] || fail "--from-start again: exit status $rc: $(cat "$W/err")"
[ ! -s "$W/err" ] || fail "--from-start again: stderr: $(cat "$W/err")"
settle_rsyslog
line_range 111 115 >"$W/want"
tail -n +131 "$RS_OUT" | cut -f 6- >"$W/got"
assert_file_eq "$W/want" "$W/got" "--from-start with a saved position: only the new lines"

# Unreadable: a file of mode 0 read by a user who is not root
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null 2>&1; then
	as_user() {
		setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"
	}
	mkdir "$W/u"
	chmod o+x "$W"
	chown nobody:nogroup "$W/u"
	line_range 1 3 >"$W/u/secret.log"
	chmod 000 "$W/u/secret.log"
	as_user "$T2S" --once --state "$W/u/state" --stdout "$W/u/secret.log" \
		>"$W/u/out" 2>"$W/err"
	rc=$?
elif [ "$(id -u)" -ne 0 ]; then
	mkdir "$W/u"
	line_range 1 3 >"$W/u/secret.log"
	chmod 000 "$W/u/secret.log"
	t2s --once --state "$W/u/state" --stdout "$W/u/secret.log" >"$W/u/out" 2>"$W/err"
	rc=$?
else
	rc=
	echo "not checked: an unreadable file (root without setpriv)"
fi
if [ -n "$rc" ]; then
	[ $rc -eq 66 ] || fail "unreadable: exit status $rc, not 66"
	assert_eq "tail2syslog: $W/u/secret.log: Permission denied, not read" "$(cat "$W/err")" \
		"unreadable: stderr"
	[ ! -s "$W/u/out" ] || fail "unreadable: something was sent"
fi
! grep -q "Framing Error" "$W/rsyslog.err" || fail "rsyslogd reports a framing error"
exit 0
