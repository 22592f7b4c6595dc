#!/bin/sh
# t_records -- --record-start: a Java stack trace and a Python traceback
# arrive as one message each, lines joined by an escaped LF, with the
# priority of their first line; --match and --exclude judge the whole
# record (a DEBUG record goes with all its lines); record-start= in -f.
# Then a record split by a rotation: the rotated file's last record goes
# once that file is drained, long before --partial-timeout, and the lines
# the new file begins with make a record of their own.  On standard input
# a record ends at the next start line or at the end of the input.
. "$(dirname "$0")/lib.sh"
start_rsyslog
TAB=$(printf '\t')

cat >"$W/t2s.conf" <<CONF
$W/app.log tag=java priority=local0.info record-start="^[0-9]{4}-[0-9]{2}-[0-9]{2} " match="ERROR=local0.err" exclude="DEBUG"
$W/py.log  tag=py record-start="^<[0-9]+>"
CONF
# The files appear once tail2syslog has looked for each (said with -v): read
# from their first byte.  Made empty beforehand, one looked at late would
# count as there at the start, and be read from its end.
follow_tcp --prio-prefix --partial-timeout 1 -f "$W/t2s.conf" "$W/last.log"
for f in app py; do
	wait_until 5 grep -qxF "tail2syslog: $W/$f.log: No such file or directory, waiting" \
		"$W/t2s.err" || fail "tail2syslog does not look for $f.log"
done

cat >>"$W/app.log" <<'LOG'
2026-11-29 10:00:00,001 INFO  [main] com.example.App - started
2026-11-29 10:00:01,002 DEBUG [main] com.example.Db - pool
	size=10
	idle=10
2026-11-29 10:00:02,003 ERROR [http-1] com.example.Api - request failed
java.lang.IllegalStateException: no session
	at com.example.Api.handle(Api.java:42)
	at com.example.Server.run(Server.java:7)
Caused by: java.io.IOException: closed
	... 2 more
2026-11-29 10:00:03,004 INFO  [main] com.example.App - done
LOG
cat >>"$W/py.log" <<'LOG'
<11>worker: job 7 failed
Traceback (most recent call last):
  File "/srv/job.py", line 12, in run
    result = compute(x)
ZeroDivisionError: <14> division by zero
<14>worker: job 8 done
LOG
wait_records 5 10
settle_rsyslog

want_record 134 "$HOST_SHORT" java - - "2026-11-29 10:00:00,001 INFO  [main] com.example.App - started"
want_record 131 "$HOST_SHORT" java - - "2026-11-29 10:00:02,003 ERROR [http-1] com.example.Api - request failed#012java.lang.IllegalStateException: no session#012${TAB}at com.example.Api.handle(Api.java:42)#012${TAB}at com.example.Server.run(Server.java:7)#012Caused by: java.io.IOException: closed#012${TAB}... 2 more"
want_record 134 "$HOST_SHORT" java - - "2026-11-29 10:00:03,004 INFO  [main] com.example.App - done"
want_record 11 "$HOST_SHORT" py - - "worker: job 7 failed#012Traceback (most recent call last):#012  File \"/srv/job.py\", line 12, in run#012    result = compute(x)#012ZeroDivisionError: <14> division by zero"
want_record 14 "$HOST_SHORT" py - - "worker: job 8 done"
# The two files are read in turn: compare each file's records in order.
# (rsyslogd writes on to $RS_OUT: compare a sorted copy.)
sort -s -t "$TAB" -k 3,3 "$W/want.records" >"$W/sorted" && mv "$W/sorted" "$W/want.records"
sort -s -t "$TAB" -k 3,3 "$RS_OUT" >"$W/sorted.out"
records=$RS_OUT
RS_OUT=$W/sorted.out
assert_records
RS_OUT=$records

# A record split by a rotation.  --partial-timeout is long: only the
# rotation may end the rotated file's last record.
kill "$t2s_pid"
wait "$t2s_pid"
: >"$W/new.log"
base=$(count_records)
follow_tcp --record-start '^[0-9]{4}-' --partial-timeout 60 -t rot "$W/new.log" "$W/rot.log"
printf '2026-11-29 11:00:00 ERROR split\n\tat one\n' >>"$W/rot.log"
sleep 0.5
mv "$W/rot.log" "$W/rot.log.1"
printf '\tat two\n2026-11-29 11:00:01 INFO after\n2026-11-29 11:00:02 INFO held\n' >"$W/rot.log"
start=$(now_ms)
wait_records $((base + 3)) 15
elapsed=$(($(now_ms) - start))
settle_rsyslog
assert_eq "2026-11-29 11:00:00 ERROR split#012${TAB}at one
${TAB}at two
2026-11-29 11:00:01 INFO after" "$(sed -n "$((base + 1)),\$p" "$RS_OUT" | cut -f 6-)" \
	"records around the rotation"
echo "the rotated file's last record arrived with the new file's within $elapsed ms"
[ "$elapsed" -lt 30000 ] || fail "the rotation did not end the record (waited $elapsed ms)"
stop_follow
grep -q "Framing" "$W/rsyslog.err" && fail "rsyslogd saw framing errors"

printf 'E a\n b\nE c\n d' | t2s --stdout --raw --record-start '^E' >"$W/stdin.out" ||
	fail "standard input: exit status $?"
assert_eq "<13>E a#012 b
<13>E c#012 d" "$(cat "$W/stdin.out")" "records on standard input"
exit 0
