#!/bin/sh
# t_ops_failover -- two TCP receivers, -n A -n B.  A is down at the start:
# the lines go to B.  A comes back: within about 30 s (the fail-back check
# interval) the lines go to A again, none lost, none sent twice.  A goes
# down again under a burst and a trickle of lines: they go to B within
# seconds, none lost.  A is the receiver of lib.sh; B a second rsyslogd
# with its own small config in $W/b.
. "$(dirname "$0")/lib.sh"
start_rsyslog
log=$W/app.log

# B: a second receiver ------------------------------------------------------
# start_b -- rsyslogd with imtcp on 127.0.0.1:$B_TCP only, on a free port;
# records in $B_OUT, in the format of $RS_OUT
B_OUT=$W/b/records
b_gen=0
start_b() {
	mkdir -p "$W/b/work"
	: >"$B_OUT"
	for _try in 1 2 3 4 5; do
		B_TCP=$(random_port)
		[ "$B_TCP" != "$RS_TCP" ] && [ "$B_TCP" != "$RS_UDP" ] || continue
		_b_config
		_b_launch && return 0
	done
	cat "$W/b/rsyslog.err"
	fail "cannot start the second rsyslogd"
}

_b_config() {
	cat >"$W/b/rsyslog.conf" <<EOF
global(workDirectory="$W/b/work" maxMessageSize="256k" net.enableDNS="off"
       parser.escapeControlCharactersOnReceive="off")
main_queue(queue.workerThreads="1")
module(load="imtcp")
module(load="mmrm1stspace")
template(name="record" type="list") {
	property(name="pri") constant(value="\t")
	property(name="hostname") constant(value="\t")
	property(name="app-name") constant(value="\t")
	property(name="procid") constant(value="\t")
	property(name="msgid") constant(value="\t")
	property(name="msg") constant(value="\n")
}
ruleset(name="rx") {
	if \$app-name == "t2s-probe" then {
		action(type="omfile" file="$W/b/probes" template="record")
		stop
	}
	if \$protocol-version == "0" then action(type="mmrm1stspace")
	action(type="omfile" file="$B_OUT" template="record")
}
input(type="imtcp" address="127.0.0.1" port="$B_TCP" ruleset="rx")
EOF
}

# _b_launch -- start B on $B_TCP; true when it answers a probe within 10 s
_b_launch() {
	rm -f "$W/b/rsyslog.pid"
	rsyslogd -n -f "$W/b/rsyslog.conf" -i "$W/b/rsyslog.pid" \
		</dev/null >>"$W/b/rsyslog.err" 2>&1 &
	b_pid=$!
	track $b_pid
	b_gen=$((b_gen + 1))
	wait_until 10 b_ready && return 0
	kill -TERM $b_pid 2>/dev/null
	wait_until 5 gone $b_pid
	return 1
}

# b_ready -- true when a probe of this generation came back from B
b_ready() {
	grep -q " b $b_gen\$" "$W/b/probes" 2>/dev/null && return 0
	printf '<13>Jan  1 00:00:00 probe t2s-probe: b %s\n' $b_gen |
		socat -u - "TCP4:127.0.0.1:$B_TCP" 2>/dev/null
	return 1
}

# settle_b -- everything sent to B before now has been recorded
settle_b() {
	b_gen=$((b_gen + 1))
	wait_until 10 b_ready || fail "second rsyslogd does not answer probes"
}

# stop_b -- stop B (TERM), wait until it is gone
stop_b() {
	kill -TERM $b_pid 2>/dev/null
	wait_until 5 gone $b_pid || fail "second rsyslogd does not stop"
}

# resume_b -- start B again on the same port; records are appended
resume_b() {
	_b_launch || fail "second rsyslogd does not come back on port $B_TCP"
}

gone() {
	! kill -0 "$1" 2>/dev/null
}
# ---------------------------------------------------------------------------

# lines A B -- append "line A" .. "line B" to app.log
lines() {
	awk -v a="$1" -v b="$2" 'BEGIN { for (i = a; i <= b; i++) print "line " i }' >>"$log"
}

# msgs FILE -- the "line N" messages of record file FILE
msgs() {
	cut -f 6- "$1" | grep '^line '
}

# until_following RECORDS -- append "ready K" lines to app.log until one
# arrives in record file RECORDS, so that tail2syslog is known to follow
# app.log (a line appended before it opened the file is skipped: an
# existing file is read from its end)
until_following() {
	k=0
	while [ $k -lt 20 ]; do
		k=$((k + 1))
		echo "ready $k" >>"$log"
		wait_until 0 grep -q '	ready ' "$1" && return 0
	done
	fail "tail2syslog does not follow app.log"
}

# arrived_at FILE N -- true when line N is in record file FILE
arrived_at() {
	grep -q "	line $2\$" "$1"
}

start_b
stop_rsyslog # A is down at the start
"$T2S" -v -T -n "127.0.0.1:$RS_TCP" -n "127.0.0.1:$B_TCP" -t app "$log" \
	2>>"$W/t2s.err" &
t2s_pid=$!
track $t2s_pid
t_start=$(date +%s)

# 1. A down: lines go to B.
until_following "$B_OUT"
lines 1 100
wait_until 10 arrived_at "$B_OUT" 100 || fail "A down: lines do not reach B"
echo "A down from the start: lines 1..100 went to B"

# 2. A back: lines 101.. go to A once tail2syslog looks for it again.
resume_rsyslog
i=100
while ! arrived_at "$RS_OUT" $i; do
	[ $(($(date +%s) - t_start)) -lt 50 ] ||
		fail "no fail-back to A within 50 s of the start"
	i=$((i + 1))
	lines $i $i
	sleep 0.5 # one line every half second until one reaches A
done
back=$i
echo "A back: line $back was the first to reach A, $(($(date +%s) - t_start)) s after the start"
lines $((back + 1)) $((back + 50))
wait_until 10 arrived_at "$RS_OUT" $((back + 50)) || fail "lines after fail-back lost"
settle_rsyslog
settle_b
msgs "$B_OUT" >"$W/got.b"
msgs "$RS_OUT" >"$W/got.a"
awk -v n=$((back - 1)) 'BEGIN { for (i = 1; i <= n; i++) print "line " i }' >"$W/want.b"
awk -v a=$back -v b=$((back + 50)) \
	'BEGIN { for (i = a; i <= b; i++) print "line " i }' >"$W/want.a"
assert_file_eq "$W/want.b" "$W/got.b" "B: the lines before the fail-back, once each"
assert_file_eq "$W/want.a" "$W/got.a" "A: the lines from the fail-back on, once each"

# 3. A down again: lines go to B; none lost.  A trickle of lines follows
#    the burst: the connection to A is found broken only by a write after
#    the peer is gone (t_ops_idle_outage tests a burst alone).
stop_rsyslog
a_had=$(msgs "$RS_OUT" | wc -l)
lines $((back + 51)) $((back + 150))
last=$((back + 150))
t3=$(date +%s)
while ! arrived_at "$B_OUT" $((back + 150)); do
	[ $(($(date +%s) - t3)) -lt 15 ] ||
		fail "A down again: lines do not reach B within 15 s"
	last=$((last + 1))
	lines $last $last
	sleep 0.5
done
wait_until 10 arrived_at "$B_OUT" $last || fail "A down again: line $last lost"
echo "A down again: lines $((back + 51))..$last reached B" \
	"$(($(date +%s) - t3)) s after the burst, with $((last - back - 150)) trickle lines"
settle_b
cat "$B_OUT" "$RS_OUT" | cut -f 6- | awk -v n=$last '
	$1 == "line" { seen[$2 + 0]++ }
	END {
		for (i = 1; i <= n; i++) {
			if (!seen[i]) { missing++; ml = ml " " i }
			if (seen[i] > 1) { dups += seen[i] - 1; dl = dl " " i }
		}
		printf "A down again: %d lines lost:%s\n", missing, ml
		printf "A down again: %d duplicates (allowed):%s\n", dups, dl
		exit missing > 0
	}' || fail "lines lost when A went down again"
echo "A down again: A had $a_had lines; the rest went to B"
grep -v 'retrying in' "$W/t2s.err" | head -n 10
kill -0 $t2s_pid 2>/dev/null || fail "tail2syslog died"
exit 0
