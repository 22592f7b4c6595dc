#!/bin/sh
# t_ops_down_said -- a destination that refuses is said without -v: one
# warning when the outage starts, however many retries follow, and one line
# when it is back (issue 14: no silent failure).  Over TCP, then RELP.
. "$(dirname "$0")/lib.sh"
start_rsyslog_relp
stop_rsyslog

printf 'before 1\nbefore 2\n' >app.log
: >t2s.err
"$T2S" -T -n 127.0.0.1 -P "$RS_TCP" -t app --from-start app.log 2>>t2s.err &
pid=$!
track $pid
down="tail2syslog: cannot connect to 127.0.0.1 port $RS_TCP: Connection refused, retrying"
wait_until 10 grep -qxF "$down" t2s.err || fail "TCP: the outage is not said: $(cat t2s.err)"
sleep 1.5 # several retries (0.1, 0.2, 0.4, 0.8 s): still one line
assert_eq "$down" "$(cat t2s.err)" "TCP: stderr during the outage"
resume_rsyslog
wait_records 2
wait_until 10 grep -qxF "tail2syslog: connected to 127.0.0.1 port $RS_TCP again" t2s.err ||
	fail "TCP: the return is not said: $(cat t2s.err)"
assert_eq 2 "$(grep -c . t2s.err)" "TCP: lines on stderr"
kill $pid
wait $pid

stop_rsyslog
: >r.err
"$T2S" --relp -n "127.0.0.1:$RS_RELP" -t app --from-start app.log 2>>r.err &
pid=$!
track $pid
wait_until 10 grep -q "^tail2syslog: cannot open a session with 127.0.0.1 port $RS_RELP: .*, retrying\$" r.err ||
	fail "RELP: the outage is not said: $(cat r.err)"
sleep 1.5
assert_eq 1 "$(grep -c . r.err)" "RELP: lines on stderr during the outage"
resume_rsyslog
wait_records 4
wait_until 10 grep -qxF "tail2syslog: connected to 127.0.0.1 port $RS_RELP again" r.err ||
	fail "RELP: the return is not said: $(cat r.err)"
kill $pid
wait $pid
