#!/bin/sh
# t_hard_bounds -- resource bounds (issue 6, item 6), measured:
#   1. 1,000 files followed at once, a line written to each: 1,000 records,
#      and the peak RSS (VmHWM) stays under 8 MiB
#   2. file descriptors: with --rotate-wait 0, while tests/tools/writer
#      renames the file and creates it anew every 15 ms, until tail2syslog
#      has seen 1,000 rotations, it holds at most two descriptors more than
#      at the start (the file and the one just rotated) in nine samples of
#      ten, never more than eight, and afterwards exactly as many as at the
#      start: every rotated file is closed once drained.
#      (With --rotate-wait 0 the writer's last lines into a rotated file may
#      come after it was closed; lines are not counted here, only files.)
# The outage part of item 6 is t_hard_bounds_outage.
. "$(dirname "$0")/lib.sh"
[ -r /proc/self/status ] || skip "no /proc: memory and descriptors cannot be counted"
start_rsyslog

# sanitized -- true when $T2S is a sanitizer build, whose runtime has a
# memory use of its own: the absolute bounds do not apply to it
sanitized() {
	command -v ldd >/dev/null 2>&1 && ldd "$T2S" 2>/dev/null | grep -q 'lib[a-z]*san\.so'
}

# vm PID FIELD -- FIELD (VmRSS, VmHWM) of /proc/PID/status, in kB
vm() {
	sed -n "s/^$2:[^0-9]*\([0-9]*\) kB\$/\1/p" "/proc/$1/status" 2>/dev/null
}

# fds PID -- how many descriptors PID has open
fds() {
	ls "/proc/$1/fd" | wc -l | tr -d ' '
}

# stop WHAT -- TERM: gone, exit status 0
stop() {
	kill "$pid"
	wait "$pid"
	_rc=$?
	[ $_rc -eq 0 ] || fail "$1: exit status $_rc after TERM"
}

# --- 1. 1,000 files ---------------------------------------------------------

files=1000
# ulimit -n: not POSIX, but in every sh we run on (dash, bash, ksh, BSD sh)
# shellcheck disable=SC3045
[ "$(ulimit -n)" = unlimited ] || [ "$(ulimit -n)" -ge $((files + 64)) ] ||
	ulimit -n $((files + 64)) 2>/dev/null ||
	skip "cannot raise the descriptor limit to $((files + 64)) (ulimit -n $(ulimit -n))"
mkdir logs
awk -v n=$files 'BEGIN { for (i = 1; i <= n; i++) printf "" >"logs/f" i ".log" }'
# The last operand names nothing: once tail2syslog says it waits for it, it
# has opened every file before it (at its end).
: >many.err
"$T2S" -v -T -n 127.0.0.1 -P "$RS_TCP" logs/f*.log ready 2>many.err &
pid=$!
track $pid
wait_until 20 grep -qxF 'tail2syslog: ready: No such file or directory, waiting' many.err ||
	fail "1000 files: tail2syslog does not start; $(tail -n 3 many.err)"
# shellcheck disable=SC2010
open_files=$(ls -l "/proc/$pid/fd" | grep -c '/logs/f')
assert_eq $files "$open_files" "1000 files: files open"
awk -v n=$files 'BEGIN { for (i = 1; i <= n; i++) print "line of f" i >>("logs/f" i ".log") }'
wait_records $files 60
hwm=$(vm $pid VmHWM)
rss=$(vm $pid VmRSS)
stop "1000 files"
settle_rsyslog
assert_eq $files "$(count_records)" "1000 files: records"
bad=$(awk -F '\t' '$6 != "line of " substr($3, 1, length($3) - 4) { n++ }
	END { print n + 0 }' "$RS_OUT")
assert_eq 0 "$bad" "1000 files: records whose tag is not their file's"
echo "1000 files: VmHWM $hwm kB, VmRSS $rss kB"
if sanitized; then
	echo "1000 files: a sanitizer build, peak RSS not held to 8 MiB"
else
	[ "$hwm" -lt 8192 ] || fail "1000 files: peak RSS $hwm kB, not under 8 MiB"
fi

# --- 2. 1,000 rotations -----------------------------------------------------

need_writer "the 1000 files case passed"
settle_rsyslog
: >"$RS_OUT"
: >app.log
: >rot.err
"$T2S" -T -n 127.0.0.1 -P "$RS_TCP" -t app -s 0.01 --rotate-wait 0 app.log \
	2>rot.err &
pid=$!
track $pid
until_following app.log
base=$(fds $pid)

# seen_rotations -- $seen: the rotations tail2syslog counted (statistics
# on SIGUSR1)
seen_rotations() {
	_n0=$(grep -c '^tail2syslog: app.log: lines' rot.err)
	kill -USR1 $pid
	wait_until 5 sh -c "[ \$(grep -c '^tail2syslog: app.log: lines' rot.err) -gt $_n0 ]" ||
		fail "rotations: no statistics"
	seen=$(sed -n 's/^tail2syslog: app.log: .* rotations \([0-9]*\),.*/\1/p' rot.err |
		tail -n 1)
}

# Rounds of 5 s, 2000 lines a second renamed away every 15 ms (333
# rotations), until tail2syslog has seen 1,000 rotations: on a busy machine
# it may miss some (a file created and renamed away between two polls).
made=0 seen=0 round=0 most=$base samples=0 over=0
while [ "$seen" -lt 1000 ]; do
	round=$((round + 1))
	[ $round -le 10 ] || fail "rotations: tail2syslog saw $seen of $made in 10 rounds"
	start_writer app.log 2000 5 rename 15
	while kill -0 $writer_pid 2>/dev/null; do
		c=$(fds $pid)
		[ "$c" -le "$most" ] || most=$c
		samples=$((samples + 1))
		[ "$c" -le $((base + 2)) ] || over=$((over + 1))
		sleep 0.1 # the sampling interval
	done
	wait $writer_pid || fail "writer failed: $(cat writer.out)"
	made=$((made + $(sed -n 's/^rotations //p' writer.out)))
	seen_rotations
done
# The writer may end just after a rename: a last line, into a new file if
# need be, so that one file is open, as at the start.
echo final >>app.log
wait_until 10 grep -q '	final$' "$RS_OUT" || fail "rotations: the last line does not arrive"
# back_to_base -- the descriptors of the start, and no more
back_to_base() {
	[ "$(fds $pid)" -eq "$base" ]
}
wait_until 10 back_to_base || {
	ls -l "/proc/$pid/fd"
	fail "rotations: $(fds $pid) descriptors open, $base before $seen rotations"
}
echo "rotations: $made made, $seen seen in $round rounds; descriptors $base at" \
	"the start, at most $most during ($over of $samples samples over $((base + 2)))," \
	"$(fds $pid) after"
# A look that comes late (a busy machine) pins every generation made
# meanwhile at once, a descriptor each, and they are drained one by one:
# besides the file just rotated (base's), six missed (a look some 100 ms
# late), the new one and the directory listed (pin_missed) make base + 8,
# in a rare sample.
[ "$most" -le $((base + 8)) ] ||
	fail "rotations: $most descriptors open at once, $base at the start"
[ $((over * 10)) -le "$samples" ] ||
	fail "rotations: over $((base + 2)) descriptors in $over of $samples samples"
stop "rotations"
exit 0
