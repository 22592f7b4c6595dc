#!/bin/sh
# t_ops_idle_outage -- the TCP receiver restarts while tail2syslog is idle,
# and then one line is written, with nothing after it: the line arrives
# within a few seconds (the closed connection is noticed, the line sent
# again on a new one); and when tail2syslog is stopped with TERM and
# started again with its --state, the line has still arrived exactly once.
. "$(dirname "$0")/lib.sh"
start_rsyslog
log=$W/app.log

# run_t2s -- tail2syslog with a state file in the background, pid $t2s_pid
run_t2s() {
	"$T2S" -v -T -n 127.0.0.1 -P "$RS_TCP" -t app --state "$W/state" "$log" \
		2>>"$W/t2s.err" &
	t2s_pid=$!
	track $t2s_pid
}

gone() {
	! kill -0 "$1" 2>/dev/null
}

# until_following -- append "ready K" lines to app.log until one arrives, so
# that tail2syslog is known to follow app.log (a line appended before it
# opened the file is skipped: an existing file is read from its end)
until_following() {
	k=0
	while [ $k -lt 20 ]; do
		k=$((k + 1))
		echo "ready $k" >>"$log"
		wait_until 0 grep -q '	ready ' "$RS_OUT" && return 0
	done
	fail "tail2syslog does not follow app.log"
}

arrived() {
	grep -q "	$1\$" "$RS_OUT"
}

: >"$log"
run_t2s
until_following
restart_rsyslog # while tail2syslog is idle: its connection is now closed
echo "after restart" >>"$log"
if wait_until 5 arrived "after restart"; then
	late=
else
	late="a line written after the receiver restarted did not arrive within 5 s"
	echo "$late"
fi

kill -TERM $t2s_pid
wait_until 10 gone $t2s_pid || fail "TERM does not stop tail2syslog"
wait $t2s_pid || fail "exit status $? after TERM"
run_t2s
echo "after tail2syslog restart" >>"$log"
wait_until 10 arrived "after tail2syslog restart" ||
	fail "tail2syslog restarted with its state sends nothing"
settle_rsyslog
echo "tail2syslog stderr:"
sed 's/^/  /' "$W/t2s.err"
n=$(records_field 6 | grep -c '^after restart$')
[ "$n" -eq 1 ] ||
	fail "${late:+$late; }the line written after the receiver restarted" \
		"arrived $n times across a TERM and restart with --state"
[ -z "$late" ] || fail "$late"
exit 0
