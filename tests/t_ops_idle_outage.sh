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
	t2s_state -v "$log"
}

: >"$log"
run_t2s
until_following "$log"
restart_rsyslog # while tail2syslog is idle: its connection is now closed
echo "after restart" >>"$log"
if wait_until 5 has_msg "after restart"; then
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
wait_until 10 has_msg "after tail2syslog restart" ||
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
