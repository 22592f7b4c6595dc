#!/bin/sh
# t_tcp_restart_load -- rsyslogd stopped and started again under load
# (TERM, KILL), over TCP with LF framing and with octet counting: a new
# connection starts on a message boundary, so every record parses, carries
# the PRI and tag that were sent, and rsyslogd reports no framing error;
# every line arrives (doubles after a break are allowed, and counted).
. "$(dirname "$0")/lib.sh"
need_writer
start_rsyslog
rate=5000
secs=8
total=$((rate * secs))

# parses -- no framing complaint in rsyslogd's stderr or its own log
parses() {
	! grep -iE 'framing error|invalid|octet count' "$W/rsyslog.err" \
		"$W/rsyslog.internal" 2>/dev/null
}

# one_run NAME ARGS... -- the writer at $rate lines/s for $secs s, followed
# with ARGS; meanwhile rsyslogd is stopped three times and started again
# after 1 s: with TERM; with KILL after it hung for 0.2 s (it then holds
# unread data, and the kill resets the connection); with KILL
one_run() {
	_name=$1
	shift
	: >"$RS_OUT"
	: >app.log
	: >t2s.err
	"$T2S" -v -T -n 127.0.0.1 -P "$RS_TCP" -t app -p local3.warning "$@" app.log \
		2>>t2s.err &
	_pid=$!
	track $_pid
	until_following app.log
	: >"$RS_OUT"
	start_writer app.log $rate $secs none
	sleep 1 # under load
	stop_rsyslog TERM
	sleep 1 # down
	resume_rsyslog
	sleep 1
	kill -STOP "$_rs_pid"
	sleep 0.2 # hung
	stop_rsyslog KILL
	sleep 1
	resume_rsyslog
	sleep 1
	stop_rsyslog KILL
	sleep 1
	resume_rsyslog
	wait $writer_pid
	wait_until 30 none_missing "$RS_OUT" seq 0 $((total - 1))
	settle_rsyslog
	kill $_pid
	wait $_pid
	eval "$(tally "$RS_OUT" seq 0 $((total - 1)))"
	echo "$_name: $missing missing, $dups doubles, $other others" \
		"($(grep -cE 'reconnected|connected to .* again$' t2s.err) reconnections)"
	parses || fail "$_name: rsyslogd reports framing errors"
	# every record: PRI 156 (local3.warning), tag app, a writer's line
	_bad=$(awk -F '	' '$1 != 156 || $3 != "app" ||
		($6 !~ /^seq [0-9]+ qname=www\.example\.com\. qtype=A client=192\.0\.2\.7:53124$/ &&
		$6 !~ /^ready [0-9]+$/)' \
		"$RS_OUT" | head -n 3 | cut -c 1-160)
	[ -z "$_bad" ] || fail "$_name: garbled records: $_bad"
	[ "$missing" -eq 0 ] || fail "$_name: $missing lines lost:$missing_list"
	[ "$extra" -eq 0 ] || fail "$_name: $extra records not written"
}

one_run lf
one_run octet --octet-count
exit 0
