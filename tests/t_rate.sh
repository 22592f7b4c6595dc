#!/bin/sh
# t_rate -- --max-rate 4000 on a backlog of 20,000 lines (--from-start, as
# after an outage) takes 5 s (no less, not much more: paced); tail2syslog's
# resident memory stays flat meanwhile (the backlog waits in the file); lines
# appended during the catch-up arrive after it, in order; SIGUSR1 shows how
# far behind it is.
# Then max-rate= of one file in -f: 6000 lines at 2000 a second take 3 s;
# standard input: 4000 lines at --max-rate 2000 take 2 s; and two files
# under one --max-rate catch up side by side, not one after the other.
. "$(dirname "$0")/lib.sh"
start_rsyslog
rate=4000 n=20000
line_range 1 $n >"$W/app.log"

# paced MS WANT -- true when MS, a time measured, is from WANT - 10% (the
# burst is a tenth of a second: the cap holds) to WANT * 3/2 + 500: a busy
# machine only adds time, a limiter at half the rate still fails
paced() {
	[ "$1" -ge $(($2 * 9 / 10)) ] && [ "$1" -le $(($2 * 3 / 2 + 500)) ]
}

# rss -- tail2syslog's resident set in kB (0 where /proc is missing)
rss() {
	awk '/^VmRSS/ { print $2; found = 1 } END { if (!found) print 0 }' \
		"/proc/$t2s_pid/status" 2>/dev/null || echo 0
}

start=$(now_ms)
"$T2S" -T -n 127.0.0.1 -P "$RS_TCP" -t app --from-start --max-rate $rate \
	"$W/app.log" 2>>"$W/t2s.err" &
t2s_pid=$!
track $t2s_pid
wait_until 5 msgs_beyond line 2000 || fail "the catch-up does not start"
rss_early=$(rss)
i=1
while [ $i -le 20 ]; do # live lines, a few a second, during the catch-up
	echo "live $i" >>"$W/app.log"
	i=$((i + 1))
	sleep 0.1
done
kill -USR1 $t2s_pid
wait_until 5 grep -q 'app.log: lines .*, behind [1-9][0-9]* bytes' "$W/t2s.err" ||
	fail "SIGUSR1 does not show the lag: $(cat "$W/t2s.err")"
wait_until 15 has_msg "line $n" || fail "the backlog does not arrive"
elapsed=$(($(now_ms) - start))
rss_late=$(rss)
wait_until 5 has_msg "live 20" || fail "the live lines do not arrive"
settle_rsyslog
kill $t2s_pid
wait $t2s_pid

echo "$n lines at --max-rate $rate: $elapsed ms; RSS $rss_early kB early," \
	"$rss_late kB late; $(grep -o 'behind [0-9]* bytes' "$W/t2s.err")"
eval "$(tally "$RS_OUT" line 1 $n)"
[ "$missing" -eq 0 ] && [ "$dups" -eq 0 ] && [ "$ooo" -eq 0 ] ||
	fail "backlog: $missing missing, $dups duplicates, $ooo out of order"
eval "$(tally "$RS_OUT" live 1 20)"
[ "$missing" -eq 0 ] && [ "$dups" -eq 0 ] && [ "$ooo" -eq 0 ] ||
	fail "live lines: $missing missing, $dups duplicates, $ooo out of order"
last_backlog=$(grep -n "	line $n\$" "$RS_OUT" | cut -d: -f1)
first_live=$(grep -n "	live 1\$" "$RS_OUT" | cut -d: -f1)
[ "$first_live" -gt "$last_backlog" ] || fail "a live line overtook the backlog"
want=$((n * 1000 / rate))
paced "$elapsed" $want || fail "took $elapsed ms, not $want ms (-10%, +50% + 500 ms)"
[ "$rss_late" -le $((rss_early + 256)) ] || fail "RSS grew from $rss_early to $rss_late kB"

line_range 1 6000 | sed 's/^line/cfg/' >"$W/cfg.log"
echo "$W/cfg.log tag=cfg max-rate=2000" >"$W/t2s.conf"
start=$(now_ms)
t2s -T -n 127.0.0.1 -P "$RS_TCP" --from-start -f "$W/t2s.conf" 2>>"$W/t2s.err" &
cfg_pid=$!
track $cfg_pid
wait_until 10 has_msg "cfg 6000" || fail "the file of max-rate= does not arrive"
elapsed=$(($(now_ms) - start))
kill $cfg_pid
echo "6000 lines at max-rate=2000 in -f: $elapsed ms"
paced "$elapsed" 3000 || fail "took $elapsed ms, not 3000 (-10%, +50% + 500 ms)"
eval "$(tally "$RS_OUT" cfg 1 6000)"
[ "$missing" -eq 0 ] && [ "$dups" -eq 0 ] && [ "$ooo" -eq 0 ] ||
	fail "max-rate=: $missing missing, $dups duplicates, $ooo out of order"

start=$(now_ms)
line_range 1 4000 | t2s --stdout --max-rate 2000 -t in >"$W/stdin.out" ||
	fail "standard input: exit status $?"
elapsed=$(($(now_ms) - start))
echo "4000 lines of standard input at --max-rate 2000: $elapsed ms"
assert_eq 4000 "$(grep -c ' in: line ' "$W/stdin.out")" "lines of standard input"
paced "$elapsed" 2000 || fail "took $elapsed ms, not 2000 (-10%, +50% + 500 ms)"

line_range 1 2000 | sed 's/^line/a/' >"$W/a.log"
line_range 1 2000 | sed 's/^line/b/' >"$W/b.log"
"$T2S" --stdout --raw --from-start --max-rate 4000 "$W/a.log" "$W/b.log" >"$W/two.out" &
two_pid=$!
track $two_pid
wait_until 10 grep -q '^<13>a 2000$' "$W/two.out" || fail "a.log does not arrive"
wait_until 10 grep -q '^<13>b 2000$' "$W/two.out" || fail "b.log does not arrive"
kill $two_pid
# where LINE is in two.out
at() {
	grep -n "^<13>$1\$" "$W/two.out" | cut -d: -f1
}
echo "two files: a 1000 at $(at 'a 1000'), b 1000 at $(at 'b 1000')," \
	"a 2000 at $(at 'a 2000'), b 2000 at $(at 'b 2000')"
[ "$(at 'a 1000')" -lt "$(at 'b 2000')" ] && [ "$(at 'b 1000')" -lt "$(at 'a 2000')" ] ||
	fail "one file caught up before the other had half its lines sent"
grep -q "Framing" "$W/rsyslog.err" && fail "rsyslogd saw framing errors"
exit 0
