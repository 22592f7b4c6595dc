#!/bin/sh
# t_hard_bounds_outage -- memory independent of the length of an outage
# (issue 6, item 6): one file is followed over TCP while tests/tools/writer
# appends 1000 lines a second; the receiver is stopped for 30 s (the issue
# says 10 minutes; 30 s is long enough to show the trend, and keeps the
# suite short: tail2syslog reads nothing while the destination is down, the
# file on disk is the only buffer).  Sampled every second of the outage,
# VmRSS does not move; once the receiver is back (tail2syslog's next retry,
# its back-off doubling to 25.6 s, comes about 51 s after the stop), every
# line arrives.
. "$(dirname "$0")/lib.sh"
need_writer
[ -r /proc/self/status ] || skip "no /proc: memory cannot be measured"
start_rsyslog
outage=${T2S_OUTAGE:-30}
rate=1000 secs=$((outage + 4))
n=$((rate * secs))

# vm PID FIELD -- FIELD (VmRSS, VmHWM) of /proc/PID/status, in kB
vm() {
	sed -n "s/^$2:[^0-9]*\([0-9]*\) kB\$/\1/p" "/proc/$1/status" 2>/dev/null
}

# set by tally (lib.sh), through eval
missing=0 missing_list='' dups=0 extra=0
: >app.log
"$T2S" -v -T -n 127.0.0.1 -P "$RS_TCP" -t app app.log 2>t2s.err &
pid=$!
track $pid
until_following app.log
start_writer app.log $rate $secs none
wait_until 10 msgs_beyond seq 2000 || fail "lines do not arrive"
stop_rsyslog
size0=$(wc -c <app.log | tr -d ' ')
rss0=$(vm $pid VmRSS)
lo=$rss0 hi=$rss0
i=0
while [ $i -lt "$outage" ]; do
	sleep 1 # one sample a second
	r=$(vm $pid VmRSS)
	[ -n "$r" ] || fail "tail2syslog died during the outage: $(tail -n 3 t2s.err)"
	[ "$r" -ge "$lo" ] || lo=$r
	[ "$r" -le "$hi" ] || hi=$r
	i=$((i + 1))
done
grown=$(($(wc -c <app.log | tr -d ' ') - size0))
hwm=$(vm $pid VmHWM)
resume_rsyslog
t0=$(date +%s)
echo "outage of $outage s: the file grew by $grown bytes; VmRSS $rss0 kB at" \
	"the stop, between $lo and $hi kB during; VmHWM $hwm kB"
[ $((hi - lo)) -lt 256 ] || fail "VmRSS moved by $((hi - lo)) kB during the outage"
[ "$grown" -gt 1000000 ] || fail "the file grew by $grown bytes only"

wait $writer_pid || fail "writer failed: $(cat writer.out)"
wait_until 90 none_missing "$RS_OUT" seq 0 $((n - 1)) ||
	fail "$missing of $n lines missing:$missing_list"
echo "every line arrived $(($(date +%s) - t0)) s after the receiver was back"
settle_rsyslog
eval "$(tally "$RS_OUT" seq 0 $((n - 1)))"
echo "$n lines: $missing missing, $dups duplicates (allowed), $extra unexpected"
[ "$extra" -eq 0 ] || fail "$extra records that the writer did not write"
kill $pid
wait $pid
rc=$?
[ $rc -eq 0 ] || fail "exit status $rc after TERM"
exit 0
