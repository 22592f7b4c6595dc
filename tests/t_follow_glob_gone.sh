#!/bin/sh
# t_follow_glob_gone -- a pattern that matches dated names ('d/app.log-*'):
# each generation appears, is read, and is deleted.  A match whose file is
# gone is forgotten after --rotate-wait, so the statistics (SIGUSR1, one line
# per followed path) list only the names that exist, not every one ever
# matched; and every line arrives once (a new file that got the inode number
# of a deleted one, and has its size, was once never read).
. "$(dirname "$0")/lib.sh"
start_rsyslog
N=60
mkdir d
: >"$W/t2s.err"
"$T2S" -v --rescan-interval 0.05 --rotate-wait 0.1 -t app -T -n 127.0.0.1 \
	-P "$RS_TCP" "$W/d/app.log-*" "$W/d/named.log" 2>>"$W/t2s.err" &
t2s_pid=$!
track $t2s_pid
wait_until 5 grep -q "named.log: No such file or directory, waiting" "$W/t2s.err" ||
	fail "tail2syslog does not start: $(cat "$W/t2s.err")"

i=1
while [ $i -le $N ]; do
	echo "day $i" >"d/app.log-$((20260100 + i))"
	wait_records $i
	rm "d/app.log-$((20260100 + i))"
	i=$((i + 1))
done
echo "day $i" >"d/app.log-$((20260100 + i))" # the one that exists
wait_records $((N + 1))

# stats_paths -- how many followed paths the statistics list
stats_paths() {
	: >"$W/t2s.err"
	kill -USR1 $t2s_pid
	wait_until 5 grep -q '^tail2syslog: destination: ' "$W/t2s.err" ||
		fail "no statistics after USR1: $(cat "$W/t2s.err")"
	grep -c '^tail2syslog: /.*: lines ' "$W/t2s.err"
}
# few_paths -- true when only the 2 that exist are listed
few_paths() {
	[ "$(stats_paths)" -le 2 ]
}
# The last ones deleted may still be waited for: at most a second.
wait_until 5 few_paths ||
	fail "$(stats_paths) paths followed, want the 2 that exist: $(cat "$W/t2s.err")"
grep '^tail2syslog: /' "$W/t2s.err"

kill $t2s_pid
wait $t2s_pid
rc=$?
[ $rc -eq 0 ] || fail "exit status $rc after TERM"
settle_rsyslog
i=1
while [ $i -le $((N + 1)) ]; do
	want_record 13 "$HOST_SHORT" app - - "day $i"
	i=$((i + 1))
done
assert_records
