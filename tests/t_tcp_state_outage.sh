#!/bin/sh
# t_tcp_state_outage -- over plain TCP with --state, the receiver (which
# writes each message before it reads the next) is killed with KILL during
# a catch-up of 200,000 lines, and tail2syslog is stopped with TERM while
# the receiver is down; both start again.  No line lost: the state file is
# never past a line the receiver may not have written (what its kernel
# held unread, what was only in memory), so the restart sends it again.
# The lines sent twice are printed.
. "$(dirname "$0")/lib.sh"
start_rsyslog_relp
n=200000
log=$W/app.log
awk -v n="$n" 'BEGIN { for (i = 0; i < n; i++) printf "old %d a line of some length\n", i }' \
	>"$log"

run_t2s() {
	t2s_state -v --from-start "$log"
}

run_t2s
wait_until 60 msgs_beyond old $((n / 3)) || fail "lines do not arrive"
stop_rsyslog KILL
echo "receiver killed after $(count_msgs old) lines"
kill -TERM $t2s_pid
wait_until 10 gone $t2s_pid || fail "tail2syslog does not exit on TERM"
wait $t2s_pid
[ -s "$W/state" ] || fail "no state saved"
resume_rsyslog
run_t2s
wait_until 60 none_missing "$RS_OUT" old 0 $((n - 1)) || true
settle_rsyslog
kill -TERM $t2s_pid
wait_until 10 gone $t2s_pid || fail "tail2syslog does not exit on TERM"
eval "$(tally "$RS_OUT" old 0 $((n - 1)))"
echo "old lines 0..$((n - 1)): $missing missing, $dups twice, $ooo out of order"
[ "$missing" -eq 0 ] || fail "lines lost:$missing_list"
[ "$extra" -eq 0 ] || fail "$extra records that nobody wrote"
grep -q "Framing" "$W/rsyslog.err" && fail "rsyslogd saw framing errors"
exit 0
