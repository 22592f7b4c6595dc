#!/bin/sh
# t_follow_compressed -- tail2syslog --state is stopped (TERM) with lines
# unread; meanwhile the file is rotated and its old generation compressed:
# by the real logrotate with "compress" (no delaycompress), then by hand
# with each of gzip, bzip2, xz, zstd and compress(1) (.Z) that is installed.
# Each restart reads the rest of the compressed generation from the saved
# offset (decompressed bytes), then the new file: over TCP, every line
# exactly once, in order.  Last, with no decompressor on PATH: one warning
# naming the tool, and the new file is read all the same.
. "$(dirname "$0")/lib.sh"
need logrotate gzip
start_rsyslog

run_t2s() {
	"$T2S" -T -n 127.0.0.1 -P "$RS_TCP" -t app --state "$W/state" \
		"$W/app.log" 2>>"$W/t2s.err" &
	t2s_pid=$!
	track $t2s_pid
}

stop_t2s() {
	kill -TERM $t2s_pid
	wait_until 10 gone $t2s_pid || fail "tail2syslog does not exit on TERM"
	wait $t2s_pid || fail "exit status $? after TERM"
}

# lines A B -- appends "seq A" .. "seq B-1" to app.log
lines() {
	awk -v a="$1" -v b="$2" 'BEGIN { for (i = a; i < b; i++) print "seq " i }' >>"$W/app.log"
}

cat >"$W/logrotate.conf" <<CONF
$W/app.log {
	rotate 5
	compress
	create 0644
	missingok
}
CONF

: >"$W/app.log"
run_t2s
until_following "$W/app.log"
lines 0 1000
wait_until 20 none_missing "$RS_OUT" seq 0 999 || fail "the first lines do not arrive"
n=1000

# cycle HOW -- stopped with 3000 lines unread; rotated and compressed by
# HOW; 500 lines in the new file; restarted and read to the end.
cycle() {
	stop_t2s
	lines $n $((n + 3000))
	case $1 in
	logrotate)
		logrotate -f -s "$W/logrotate.state" "$W/logrotate.conf" ||
			fail "logrotate failed"
		[ -f "$W/app.log.1.gz" ] || fail "logrotate made no app.log.1.gz"
		;;
	*)
		set -- $1
		mv "$W/app.log" "$W/app.log.$n"
		"$1" -c "$W/app.log.$n" >"$W/app.log.$n$2" || fail "$1 failed"
		rm "$W/app.log.$n"
		: >"$W/app.log"
		;;
	esac
	lines $((n + 3000)) $((n + 3500))
	n=$((n + 3500))
	run_t2s
	wait_until 30 none_missing "$RS_OUT" seq 0 $((n - 1)) ||
		fail "after $1: lines lost:$missing_list"
}

cycle logrotate
echo "logrotate compress: read"
for tool in "gzip .gz" "bzip2 .bz2" "xz .xz" "zstd .zst" "compress .Z"; do
	command -v ${tool% *} >/dev/null 2>&1 || { echo "${tool% *} not installed"; continue; }
	cycle "$tool"
	echo "${tool% *}: read"
done

# No decompressor: warned about once, the rest goes on.
stop_t2s
lines $n $((n + 100))
mv "$W/app.log" "$W/app.log.last"
gzip "$W/app.log.last"
lines $((n + 100)) $((n + 200))
: >"$W/t2s.err"
PATH=/nonexistent run_t2s
wait_until 20 none_missing "$RS_OUT" seq $((n + 100)) $((n + 199)) ||
	fail "without gzip, the new file is not read:$missing_list"
settle_rsyslog
stop_t2s
grep -c 'gzip not found on PATH' "$W/t2s.err" | grep -qx 1 ||
	fail "not one warning naming gzip: $(cat "$W/t2s.err")"
grep -q "$W/app.log: gzip not found on PATH: generations compressed with it are not read" \
	"$W/t2s.err" || fail "warning: $(cat "$W/t2s.err")"

eval "$(tally "$RS_OUT" seq 0 $((n - 1)))"
echo "$n lines: $missing missing, $dups duplicates, $ooo out of order, $extra unexpected"
[ "$missing" -eq 0 ] || fail "lines lost:$missing_list"
[ "$dups" -eq 0 ] || fail "lines sent twice:$dup_list"
[ "$ooo" -eq 0 ] || fail "lines out of order"
[ "$extra" -eq 100 ] || fail "$extra lines past the end, not the 100 of the last file"
grep -q 'Framing Error' "$W/rsyslog.err" 2>/dev/null && fail "rsyslogd: framing error"
exit 0
