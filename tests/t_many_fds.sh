#!/bin/sh
# t_many_fds -- 10,000 files followed by one glob under `ulimit -n 1024`,
# over TCP: a line appended to each arrives, exactly once, and a file
# rotated (renamed, a new one made) while its follower held no descriptor
# is found beside its name: its last line and the new file's both arrive.
# Followed files keep within the descriptor budget (the soft limit less a
# reserve), so the socket always gets one.
. "$(dirname "$0")/lib.sh"
start_rsyslog
files=10000
mkdir logs
awk -v files=$files 'BEGIN {
	for (f = 1; f <= files; f++) {
		name = "logs/f" f ".log"
		print "old line of f" f >name
		close(name)
	}
}'
ulimit -n 1024 || skip "cannot lower the descriptor limit"

T2S_TIMEOUT=180 # bounds follow_tcp
# Seeing 10,000 matches takes a second here, but far longer on a loaded CI
# machine under a sanitizer or on the portable fallbacks.
T2S_START_WAIT=60
# "ready" is polled after every glob match: once it is waited for, every
# file has been seen once (and read from its end).
follow_tcp 'logs/*.log' ready
# f1.log was seen first; its descriptor went to the files seen after it.
if [ -d /proc/$t2s_pid/fd ]; then
	ls -l /proc/$t2s_pid/fd | grep -q '/logs/f1\.log$' && fail "f1.log still holds a descriptor"
	held=$(ls /proc/$t2s_pid/fd | wc -l)
	[ "$held" -le 1024 ] || fail "$held descriptors"
fi
echo "f1.log before rotation" >>logs/f1.log
mv logs/f1.log logs/f1.log.1
echo "f1.log after rotation" >logs/f1.log

# Line of file F reads "fF.log appended".
awk -v files=$files 'BEGIN {
	for (f = 1; f <= files; f++) {
		name = "logs/f" f ".log"
		print "f" f ".log appended" >>name
		close(name)
	}
}'
want=$((files + 2))
wait_records $want 60
stop_follow
assert_eq $want "$(count_records)" "record count"
cut -f 6- "$RS_OUT" | sort | uniq -d | head -3 | grep . && fail "lines sent twice"
cut -f 6- "$RS_OUT" | awk -v files=$files '
	/ appended$/ { n++ }
	END { exit n != files }' || fail "not every file's line arrived"
cut -f 6- "$RS_OUT" | grep '^f1\.log ' >f1.got
printf '%s\n' "f1.log before rotation" "f1.log after rotation" "f1.log appended" >f1.want
assert_file_eq f1.want f1.got "f1.log's lines, in order"
grep -q 'Too many open files' "$W/t2s.err" && fail "ran out of descriptors"
grep -q 'Framing Error' "$W/rsyslog.err" && fail "framing errors"
exit 0
