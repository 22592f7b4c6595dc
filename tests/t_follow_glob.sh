#!/bin/sh
# t_follow_glob -- a quoted pattern operand, expanded again every
# --rescan-interval: a file there at the start is read from its end, a
# matching file created later from its start, a file that does not match is
# not read.  Then 'rot/app.log*' while app.log is renamed to app.log.N and
# created again every second under a writer: each rotated file turns up as
# a new match, and still no line is sent twice or lost.
. "$(dirname "$0")/lib.sh"
WRITER=$TOP/tests/tools/writer
[ -x "$WRITER" ] || fail "no writer at $WRITER (make tests/tools/writer)"
start_rsyslog

ready='tail2syslog: absent: No such file or directory, waiting'

# follow ARGS... -- tail2syslog -v over TCP with ARGS, then the operand
# "absent" that names nothing: once it says it waits for that one, it has
# expanded and opened what comes before it.  Its pid is in $t2s_pid.
follow() {
	: >t2s.err
	timeout 60 "$T2S" -v -T -n 127.0.0.1 -P "$RS_TCP" "$@" absent \
		2>t2s.err &
	t2s_pid=$!
	track $t2s_pid
	wait_until 5 grep -qxF "$ready" t2s.err ||
		fail "tail2syslog does not start ($*)"
}

# stop -- TERM tail2syslog, which must exit 0; wait until rsyslogd has
# recorded everything it sent
stop() {
	kill "$t2s_pid"
	wait "$t2s_pid"
	rc=$?
	[ $rc -eq 0 ] || fail "exit status $rc after TERM"
	settle_rsyslog
}

mkdir logs
printf 'a old\n' >logs/a.log
follow --rescan-interval 0.5 'logs/*.log'
printf 'a new\n' >>logs/a.log
wait_records 1
printf 'b 1\nb 2\n' >logs/b.log
printf 'c 1\n' >logs/c.txt
wait_records 3
printf 'b 3\n' >>logs/b.log
wait_records 4
stop
want_record 13 "$HOST_SHORT" a.log - - 'a new'
want_record 13 "$HOST_SHORT" b.log - - 'b 1'
want_record 13 "$HOST_SHORT" b.log - - 'b 2'
want_record 13 "$HOST_SHORT" b.log - - 'b 3'
assert_records

# Rotated files matching the pattern: 2000 lines/s for 5 s, renamed every
# second; rescans five times as often as rotations.
mkdir rot
first=$(($(count_records) + 1))
follow -t app --rescan-interval 0.2 'rot/app.log*'
timeout 30 "$WRITER" rot/app.log 2000 5 rename 1000 >writer.out ||
	fail "writer failed"
n=$(sed -n 's/^written //p' writer.out)
wait_until 20 has_records $((first - 1 + n))
stop
echo "$(sed -n 's/^rotations //p' writer.out) rotations, $n lines," \
	"$(($(count_records) - first + 1)) records"
# Lines of the old file may follow lines of the new one when each is read
# under its own name: order is only counted here.
tail -n +"$first" "$RS_OUT" | cut -f 6- | awk -v n="$n" '
	{ s = substr($2, 1, 8) + 0 }
	seen[s]++ { dup++; if (dup <= 5) d = d " " s; next }
	s < max { ooo++ }
	s > max { max = s }
	END {
		for (i = 0; i < n; i++)
			if (!(i in seen) && ++lost <= 5)
				l = l " " i
		printf "%d lost%s, %d duplicated%s, %d out of order\n", lost,
			(lost ? " (first:" l ")" : ""), dup,
			(dup ? " (first:" d ")" : ""), ooo
		exit lost + dup > 0
	}' || fail "lines lost or sent twice"
