#!/bin/sh
# t_tcp_stop_frozen -- tail2syslog stops while a message is half written:
# rsyslogd is frozen (SIGSTOP) during a catch-up over TCP, so the socket
# fills part way through a message; then tail2syslog --state is stopped
# with TERM, and a --once run gives up (exit 75).  Part of a message may
# have reached rsyslogd's buffers by then, and nothing can take it back:
# with --octet-count rsyslogd drops the incomplete frame, so every record
# it has is a whole line; with LF framing it records the part as a message
# of its own when the connection ends (the manual's CAVEATS): at most one
# per stop, counted.  A last run sends the rest: every line arrives.
. "$(dirname "$0")/lib.sh"
start_rsyslog
n=200000
awk -v n=$n 'BEGIN { for (i = 0; i < n; i++)
	printf "seq %d qname=www.example.com. qtype=A client=192.0.2.7:53124\n", i }' >app.log

# frozen_run ARGS... -- tail2syslog ARGS over TCP with rsyslogd frozen;
# stopped with TERM once it has been blocked for a while (or, with --once,
# left to give up); its exit status in $rc
frozen_run() {
	kill -STOP "$_rs_pid"
	: >t2s.err
	"$T2S" -T -n 127.0.0.1 -P "$RS_TCP" -t app --state "$W/state" $framing "$@" app.log \
		2>t2s.err &
	pid=$!
	track $pid
	case " $* " in
	*" --once "*) ;;
	*)
		sleep 3 # blocked: the receiver's buffers are full
		kill $pid
		;;
	esac
	wait_until 20 gone $pid || fail "tail2syslog does not end ($*)"
	wait $pid
	rc=$?
	kill -CONT "$_rs_pid"
}

# cut_short -- how many records are not a line of app.log, whole
cut_short() {
	awk -F '	' '$6 !~ /^seq [0-9]+ qname=www\.example\.com\. qtype=A client=192\.0\.2\.7:53124$/' \
		"$RS_OUT" | wc -l | tr -d ' '
}

# stops FRAMING CUTS -- the two stops and a last run with FRAMING (empty:
# LF); no more than CUTS records cut short
stops() {
	framing=$1
	rm -f "$W/state"
	: >"$RS_OUT"
	frozen_run --from-start
	assert_eq 0 $rc "${framing:-LF}: exit status after TERM"
	settle_rsyslog
	after_term=$(cut_short)
	frozen_run --once
	assert_eq 75 $rc "${framing:-LF}: exit status of --once, the receiver frozen"
	settle_rsyslog
	after_once=$(cut_short)
	"$T2S" -T -n 127.0.0.1 -P "$RS_TCP" -t app --state "$W/state" $framing --once app.log \
		2>t2s.err || fail "${framing:-LF}: the last run: exit status $?: $(cat t2s.err)"
	wait_until 30 none_missing "$RS_OUT" seq 0 $((n - 1)) || fail "lines lost:$missing_list"
	settle_rsyslog
	eval "$(tally "$RS_OUT" seq 0 $((n - 1)))"
	echo "${framing:-LF}: $n lines: $missing missing, $dups sent twice;" \
		"records cut short: $after_term after TERM, $((after_once - after_term)) more" \
		"after --once gave up, $(($(cut_short) - after_once)) after the last run"
	[ "$missing" -eq 0 ] || fail "${framing:-LF}: lines lost:$missing_list"
	[ "$(cut_short)" -le "$2" ] || fail "${framing:-LF}: $(cut_short) records cut short"
}

stops --octet-count 0
stops "" 2
grep -q 'Framing Error' "$W/rsyslog.err" && fail "framing errors"
exit 0
