#!/bin/sh
# t_follow_big -- a file larger than 4 GiB (sparse: 5 GiB of hole, then
# text) is followed from its end: a line appended past 5 GiB arrives live;
# after TERM the state file holds the offset, past 2^32, exactly the file's
# size; a line appended while stopped arrives after a --once restart, and
# the state then holds the new size.  Meant for 32-bit builds above all
# (tests/arch.sh runs it with the i686 binary under qemu), where a build
# without 64-bit file offsets cannot even stat(2) the file (EOVERFLOW) and
# where an offset kept in a long would wrap.
. "$(dirname "$0")/lib.sh"
start_rsyslog
log=$W/big.log

truncate -s 5G "$log" 2>/dev/null || skip "cannot make a sparse 5 GiB file here"
echo "before the end" >>"$log"

# size_of FILE -- its size in bytes (wc -c reads no hole: it seeks to EOF)
size_of() {
	wc -c <"$1" | tr -d ' '
}

# saved_offset -- the offset the state file holds for big.log (field 3 of
# its one entry; see src/state.h)
saved_offset() {
	sed -n '2p' "$W/state" | cut -d ' ' -f 3
}

"$T2S" -T -n 127.0.0.1 -P "$RS_TCP" -t big --state "$W/state" "$log" \
	2>>"$W/t2s.err" &
t2s_pid=$!
track $t2s_pid
until_following "$log"
echo "past 5 GiB, live" >>"$log"
wait_until 20 has_msg "past 5 GiB, live" ||
	fail "a line appended past 5 GiB does not arrive: $(cat "$W/t2s.err")"
kill $t2s_pid
wait_until 10 gone $t2s_pid || fail "tail2syslog does not exit on TERM"
wait $t2s_pid
rc=$?
[ $rc -eq 0 ] || fail "exit status $rc after TERM: $(cat "$W/t2s.err")"
size=$(size_of "$log")
[ "$size" -gt 5368709120 ] || fail "big.log is only $size bytes"
assert_eq "$size" "$(saved_offset)" "offset saved after TERM"

echo "past 5 GiB, while stopped" >>"$log"
t2s --once --state "$W/state" -T -n 127.0.0.1 -P "$RS_TCP" -t big "$log" \
	2>>"$W/t2s.err" || fail "--once: exit status $?: $(cat "$W/t2s.err")"
settle_rsyslog
assert_eq "$(size_of "$log")" "$(saved_offset)" "offset saved by --once"
assert_eq "past 5 GiB, while stopped" "$(tail -n 1 "$RS_OUT" | cut -f 6-)" \
	"the line appended while stopped"
assert_eq 1 "$(grep -c 'while stopped' "$RS_OUT")" "times it arrived"
assert_eq 0 "$(grep -c 'before the end' "$RS_OUT")" \
	"lines before the end when first started"
# The first start, with no saved position, says what it skipped, and
# nothing else is said.
grep -c "^tail2syslog: $log: no saved position, skipped [0-9]* bytes (use --from-start to send them)\$" \
	"$W/t2s.err" | grep -qx 1 || fail "no 'no saved position, skipped' line: $(cat "$W/t2s.err")"
grep -v ': no saved position, skipped ' "$W/t2s.err" >"$W/t2s.rest"
[ -s "$W/t2s.rest" ] && fail "tail2syslog complained: $(cat "$W/t2s.rest")"
exit 0
