#!/bin/sh
# t_ops_outage -- while a writer appends 20,000 numbered lines (2000 a
# second) to a followed file, the TCP receiver is stopped with TERM for 5 s
# and started again on the same port: no line is lost.  Duplicates (lines
# in flight resent after the reconnection) are allowed, counted, reported.
# t_ops_outage_kill sources this file with OUTAGE_SIG=KILL.
. "$(dirname "$0")/lib.sh"
sig=${OUTAGE_SIG:-TERM}
writer=$TOP/tests/tools/writer
[ -x "$writer" ] || skip "tests/tools/writer not built (make tests/tools/writer)"
start_rsyslog
rate=2000 secs=10
n=$((rate * secs))

# tally FILE WORD LO HI -- among the messages of record file FILE whose first
# word is WORD, counts the numbers (second word) LO..HI that are missing or
# come more than once, and those outside LO..HI; prints shell assignments
# (missing dups extra missing_list dup_list) for eval
tally() {
	cut -f 6- "$1" | awk -v w="$2" -v lo="$3" -v hi="$4" '
		$1 == w { k = $2 + 0; seen[k]++; if (k < lo || k > hi) extra++ }
		END {
			for (i = lo; i <= hi; i++) {
				c = seen[i] + 0
				if (c == 0 && ++missing <= 10) ml = ml " " i
				if (c > 1) { dups += c - 1; if (++dl_n <= 10) dl = dl " " i }
			}
			printf "missing=%d dups=%d extra=%d", missing, dups, extra
			printf " missing_list=\"%s\" dup_list=\"%s\"\n", ml, dl
		}'
}

all_arrived() {
	eval "$(tally "$RS_OUT" seq 0 $((n - 1)))"
	[ "$missing" -eq 0 ]
}

seq_records_beyond() {
	[ "$(grep -c '	seq ' "$RS_OUT")" -gt "$1" ]
}

# until_following FILE -- append "ready K" lines to FILE until one arrives,
# so that tail2syslog is known to follow FILE (a line appended before it
# opened the file is skipped: an existing file is read from its end)
until_following() {
	k=0
	while [ $k -lt 20 ]; do
		k=$((k + 1))
		echo "ready $k" >>"$1"
		wait_until 0 grep -q '	ready ' "$RS_OUT" && return 0
	done
	fail "tail2syslog does not follow $1"
}

: >"$W/app.log"
"$T2S" -v -T -n 127.0.0.1 -P "$RS_TCP" -t app "$W/app.log" 2>"$W/t2s.err" &
t2s_pid=$!
track $t2s_pid
until_following "$W/app.log"
"$writer" "$W/app.log" $rate $secs none >"$W/writer.out" 2>&1 &
writer_pid=$!
track $writer_pid

wait_until 10 seq_records_beyond 3000 || fail "lines do not arrive"
stop_rsyslog "$sig"
down_at=$(grep -c '	seq ' "$RS_OUT")
sleep 5 # the outage
resume_rsyslog
echo "receiver stopped with $sig after $down_at lines, back 5 s later"

wait $writer_pid || fail "writer failed: $(cat "$W/writer.out")"
grep -qx "written $n" "$W/writer.out" || fail "writer: $(cat "$W/writer.out")"
wait_until 40 all_arrived
settle_rsyslog
kill -0 $t2s_pid 2>/dev/null || fail "tail2syslog exited: $(cat "$W/t2s.err")"
kill -USR1 $t2s_pid
wait_until 5 grep -q '^tail2syslog: destination:' "$W/t2s.err"

eval "$(tally "$RS_OUT" seq 0 $((n - 1)))"
echo "$n lines: $missing missing, $dups duplicates, $extra unexpected"
[ "$dups" -eq 0 ] || echo "duplicates (allowed):$dup_list"
grep -v 'retrying in' "$W/t2s.err" | head -n 10
if [ "$missing" -gt 0 ] && grep -q 'lost: Connection reset' "$W/t2s.err"; then
	echo "The connection was reset: rsyslogd closed it with bytes unread, which"
	echo "its kernel had acknowledged (so SIOCOUTQ counted them as delivered)."
	echo "First line lost: seq $(echo $missing_list | cut -d ' ' -f 1);" \
		"lines recorded before the stop: $down_at (seq 0..$((down_at - 1)))"
fi
[ "$missing" -eq 0 ] || fail "lines lost:$missing_list"
[ "$extra" -eq 0 ] || fail "$extra records that no writer wrote"
exit 0
