#!/bin/sh
# t_ops_daemon_voice -- the daemon's own voice (issue 14, item 5).  With
# --daemon, tail2syslog's own messages go through the destination it
# forwards to, tagged tail2syslog with its pid, facility daemon, each at its
# severity: a warning (a followed name that is a directory) at warning (28),
# a rotation notice (-v) at notice (29), the SIGUSR1 statistics at info (30)
# -- not to syslog(3), which here has no /dev/log and would lose them.  In
# the foreground they go to standard error, and none to the destination.
. "$(dirname "$0")/lib.sh"
start_rsyslog
cd "$W" || fail "cannot cd to $W"

: >app.log
mkdir adir
t2s --daemon -v --pidfile d.pid -T -n 127.0.0.1 -P "$RS_TCP" -t app \
	app.log adir >d.out 2>d.err || fail "--daemon: exit status $?: $(cat d.err)"
[ ! -s d.err ] || fail "--daemon: not silent: $(cat d.err)"
pid=$(cat d.pid)
track "$pid"
until_following app.log

# own_record PRI TEXT -- a record from tail2syslog itself, at PRI, with MSG TEXT
own_record() {
	awk -F '\t' -v pri="$1" -v pid="$pid" -v msg="$2" '
		$1 == pri && $3 == "tail2syslog" && $4 == pid && $6 == msg { found = 1 }
		END { exit !found }' "$RS_OUT"
}

wait_until 5 own_record 28 "$W/adir: is a directory, waiting" ||
	fail "the warning did not arrive as daemon.warning; records: $(cut -f 1,3,4,6 "$RS_OUT")"

mv app.log app.log.1
echo "after rotation" >app.log
# A look between the mv and the new file sees it gone: either notice will do.
rotation_notice() {
	own_record 29 "$W/app.log: has been replaced" ||
		own_record 29 "$W/app.log: has gone, draining the old file"
}
wait_until 5 rotation_notice ||
	fail "the rotation notice did not arrive as daemon.notice; records: $(cut -f 1,3,6 "$RS_OUT")"
has_msg "after rotation" || wait_until 5 has_msg "after rotation" ||
	fail "the line after the rotation did not arrive"

kill -USR1 "$pid"
wait_until 5 own_record 30 "destination: reconnects 0, resends 0, reloads 0" ||
	fail "the statistics did not arrive as daemon.info; records: $(cut -f 1,3,6 "$RS_OUT")"
grep -q "	tail2syslog	$pid	-	$W/app.log: lines " "$RS_OUT" ||
	fail "no statistics line for app.log"
kill -TERM "$pid"
wait_until 10 gone "$pid" || fail "TERM does not stop the daemon"
own=$(grep -c "	tail2syslog	" "$RS_OUT")
echo "$own messages of the daemon's own received, at their severities"

# In the foreground: standard error, nothing of ours to the destination.
: >"$RS_OUT"
"$T2S" --pidfile f.pid -T -n 127.0.0.1 -P "$RS_TCP" -t app app.log 2>fg.err &
fg=$!
track $fg
until_following app.log
kill -USR1 $fg
wait_until 5 grep -q "^tail2syslog: destination: reconnects 0, resends 0, reloads 0\$" fg.err ||
	fail "foreground: no statistics on stderr: $(cat fg.err)"
kill -TERM $fg
wait_until 10 gone $fg || fail "TERM does not stop the foreground run"
settle_rsyslog
grep -q "	tail2syslog	" "$RS_OUT" && fail "foreground: own messages sent to the destination"
exit 0
