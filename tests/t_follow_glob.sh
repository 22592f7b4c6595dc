#!/bin/sh
# t_follow_glob -- a quoted pattern operand, expanded again every
# --rescan-interval: a file there at the start is read from its end, a
# matching file created later from its start, a file that does not match is
# not read.  Then 'rot/app.log*' while app.log is renamed to app.log.N and
# created again every second under a writer: each rotated file turns up as
# a new match, and still no line is sent twice or lost.
. "$(dirname "$0")/lib.sh"
need_writer
WRITER=$TOP/tests/tools/writer
start_rsyslog
T2S_TIMEOUT=60 # bounds follow_tcp: the rotation part takes up to 30 s

mkdir logs
printf 'a old\n' >logs/a.log
follow_tcp --rescan-interval 0.5 'logs/*.log' absent # names nothing
printf 'a new\n' >>logs/a.log
wait_records 1
printf 'b 1\nb 2\n' >logs/b.log
printf 'c 1\n' >logs/c.txt
wait_records 3
printf 'b 3\n' >>logs/b.log
wait_records 4
stop_follow
want_record 13 "$HOST_SHORT" a.log - - 'a new'
want_record 13 "$HOST_SHORT" b.log - - 'b 1'
want_record 13 "$HOST_SHORT" b.log - - 'b 2'
want_record 13 "$HOST_SHORT" b.log - - 'b 3'
assert_records

# Rotated files matching the pattern: 2000 lines/s for 5 s, renamed every
# second; rescans five times as often as rotations.
mkdir rot
first=$(($(count_records) + 1))
follow_tcp -t app --rescan-interval 0.2 'rot/app.log*' absent
timeout 30 "$WRITER" rot/app.log 2000 5 rename 1000 >writer.out ||
	fail "writer failed"
n=$(sed -n 's/^written //p' writer.out)
wait_until 20 has_records $((first - 1 + n))
stop_follow
echo "$(sed -n 's/^rotations //p' writer.out) rotations, $n lines," \
	"$(($(count_records) - first + 1)) records"
# Lines of the old file may follow lines of the new one when each is read
# under its own name: order is only counted here.
eval "$(tail -n +"$first" "$RS_OUT" | tally - seq 0 $((n - 1)))"
echo "$missing lost${missing_list:+ (first:$missing_list)}," \
	"$dups duplicated${dup_list:+ (first:$dup_list)}, $ooo out of order"
[ $((missing + dups + extra + other)) -eq 0 ] || fail "lines lost or sent twice"
