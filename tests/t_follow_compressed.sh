#!/bin/sh
# t_follow_compressed -- tail2syslog --state is stopped (TERM) with lines
# unread; meanwhile the file is rotated and its old generation compressed:
# by the real logrotate with "compress" (no delaycompress), then by hand
# with each of gzip, bzip2, xz, zstd and compress(1) (.Z) that is installed.
# Each restart reads the rest of the compressed generation from the saved
# offset (decompressed bytes), then the new file: over TCP, every line
# exactly once, in order.  Rotated twice by logrotate while stopped, with
# compress and with delaycompress: the generation made and rotated away
# meanwhile, compressed or not, is found by its modification time (which
# compressors keep) and read whole, between the two.  Last, with no decompressor on PATH: one warning
# naming the tool, and the new file is read all the same.
. "$(dirname "$0")/lib.sh"
need logrotate gzip
start_rsyslog

run_t2s() {
	t2s_state "$W/app.log"
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
sed 's/^	compress$/&\n	delaycompress/' "$W/logrotate.conf" >"$W/logrotate-delay.conf"

: >"$W/app.log"
run_t2s
until_following "$W/app.log"
lines 0 1000
wait_until 20 none_missing "$RS_OUT" seq 0 999 || fail "the first lines do not arrive"
n=1000

# rotate_by CONF -- the real logrotate, forced, with CONF
rotate_by() {
	logrotate -f -s "$W/logrotate.state" "$1" || fail "logrotate failed"
}

# cycle HOW -- stopped with 3000 lines unread; rotated and compressed by
# HOW ("twice": 200 lines more and rotated again, so that a generation is
# made and rotated away while stopped); 500 lines in the new file;
# restarted and read to the end.
cycle() {
	stop_t2s
	lines $n $((n + 3000))
	n=$((n + 3000))
	case $1 in
	logrotate | "logrotate twice" | "delaycompress twice")
		conf=$W/logrotate.conf
		[ "$1" = "delaycompress twice" ] && conf=$W/logrotate-delay.conf
		rotate_by "$conf"
		if [ "$1" != logrotate ]; then
			lines $n $((n + 200))
			n=$((n + 200))
			rotate_by "$conf"
		fi
		[ -f "$W/app.log.1.gz" ] || [ -f "$W/app.log.1" ] ||
			fail "$1: logrotate made no app.log.1"
		;;
	*)
		set -- $1
		mv "$W/app.log" "$W/app.log.$n"
		"$1" -c "$W/app.log.$n" >"$W/app.log.$n$2" || fail "$1 failed"
		rm "$W/app.log.$n"
		: >"$W/app.log"
		;;
	esac
	lines $n $((n + 500))
	n=$((n + 500))
	run_t2s
	wait_until 30 none_missing "$RS_OUT" seq 0 $((n - 1)) ||
		fail "after $1: lines lost:$missing_list"
}

cycle logrotate
echo "logrotate compress: read"
cycle "logrotate twice"
echo "logrotate compress, a generation never seen: read"
cycle "delaycompress twice"
echo "logrotate delaycompress, a generation never seen: read"
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
