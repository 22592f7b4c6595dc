#!/bin/sh
# t_ops_state_pace -- the pace of the state saves while lines are sent, as
# the manual gives it: without --state-interval, the next save comes twenty
# times as long after a save as that save took, at least 0.05 and at most 1
# second later.  Seen with strace(1) while a writer appends 2,000 lines a
# second: a save runs from the unlink of STATE.tmp to the fsync of STATE's
# directory; each gap between two saves is checked against the one before.
# This holds the rule itself, whatever the disk: how many lines a kill -9
# sends twice depends on how long the saves take (t_ops_state_kill_rate).
. "$(dirname "$0")/lib.sh"
need strace
need_writer
if command -v ldd >/dev/null 2>&1 && ldd "$T2S" 2>/dev/null | grep -q 'lib[a-z]*san\.so'; then
	skip "a sanitizer build (LeakSanitizer fails under ptrace)"
fi
# Only the traced calls stop the process when strace can filter (seccomp).
trace="strace -f -qq -ttt -T"
$trace --seccomp-bpf -e trace=fsync -o /dev/null true 2>/dev/null &&
	trace="$trace --seccomp-bpf"
$trace -e trace=fsync -o /dev/null true 2>/dev/null || skip "strace cannot trace here"

# The pid is taken from --pidfile, not from strace's children: under load
# that once named a process gone by the time of the kill.
: >app.log
$trace -e trace=unlink,unlinkat,openat,open,fsync -o trace \
	"$T2S" --stdout --pidfile "$W/t2s.pid" --state "$W/state" app.log >/dev/null 2>err &
strace_pid=$!
track $strace_pid
wait_until 10 test -s "$W/t2s.pid" || fail "tail2syslog did not start: $(cat err)"
t2s_pid=$(cat "$W/t2s.pid")
start_writer app.log 2000 4 none
writer_done 8000
kill -TERM "$t2s_pid" || fail "tail2syslog (pid $t2s_pid) is gone before the end: $(cat err)"
wait_until 10 gone "$t2s_pid" || fail "tail2syslog survives TERM"
wait_until 10 gone "$strace_pid" || fail "strace survives tail2syslog"
wait $strace_pid || fail "exit status $?; $(cat err)"

# One line per save, "START END" in seconds: the unlink of the temporary
# file, and the end of the fsync of the descriptor opened on the directory
# after it (the strace time plus the call's <duration>).
awk -v tmp="\"$W/state.tmp\"" -v dir="\"$W\"" '
	/unlink/ && index($0, tmp) { start = $2; want_open = 1; next }
	want_open && /open/ && index($0, dir) && /O_DIRECTORY/ {
		fd = $(NF - 1); want_open = 0; want_sync = 1; next
	}
	want_sync && $0 ~ "fsync\\(" fd "\\)" {
		took = $NF; gsub(/[<>]/, "", took)
		printf "%s %.6f\n", start, $2 + took; want_sync = 0
	}' trace >saves
# Each pair of saves in the loop: not the first (the check at start that
# the state file can be written, before any line) nor the last (the one at
# exit, after the writer stopped).  The gap from the start of one to the
# start of the next, against the rule on the first one's duration.
# Allowed, for the clocks (the program's in whole milliseconds, strace's
# late by the time it takes to be scheduled): a tenth and 20 ms less, and a
# tenth, 40 ms (two milliseconds of cost seen by one and not the other,
# twenty times) and 150 ms of polling more.  A fifth of the gaps may still
# fall outside, for a stall of the machine: a wrong rule puts nearly all
# of them there.
awk '
	function clamp(ms) { return ms < 50 ? 50 : ms > 1000 ? 1000 : ms }
	NR > 2 && NR < total {
		ms = ($1 - start) * 1000; want = clamp(20 * took); checked++
		if (ms < want * 0.9 - 20 || ms > clamp(20 * (took + 2)) * 1.1 + 150) {
			printf "save %d took %.1f ms: the next came %.1f ms later, not %.0f\n",
				NR - 1, took, ms, want
			bad++
		}
	}
	{ took = ($2 - $1) * 1000; start = $1 }
	END {
		printf "checked %d, outside %d\n", checked, bad
		exit bad * 5 > checked
	}' total="$(wc -l <saves)" saves >verdict || fail "$(cat verdict)"
cat verdict
checked=$(sed -n 's/^checked \([0-9]*\),.*/\1/p' verdict)
[ "$checked" -ge 3 ] || fail "only $checked gaps between saves seen: $(cat saves)"
awk '{ t += $2 - $1 } END { printf "%d saves, %.1f ms each on average\n", NR, t * 1000 / NR }' saves
echo "$checked gaps between saves, each as the save before it took"
exit 0
