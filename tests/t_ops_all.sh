#!/bin/sh
# t_ops_all -- --all with two TCP receivers, A (lib.sh's) and B (a second
# rsyslogd with its own small config in $W/b): every line reaches both,
# once each, in order.  B then stops for a few seconds while lines go on:
# A keeps receiving them without delay, and B gets every one of them once
# it is back (duplicates allowed and reported).
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

# until_following -- append "ready K" lines to app.log until one arrives at
# A, so that tail2syslog is known to follow app.log (a line appended before
# it opened the file is skipped: an existing file is read from its end)
until_following() {
	k=0
	while [ $k -lt 20 ]; do
		k=$((k + 1))
		echo "ready $k" >>"$log"
		wait_until 0 grep -q '	ready ' "$RS_OUT" && return 0
	done
	fail "tail2syslog does not follow app.log"
}

# arrived_at FILE N -- true when line N is in record file FILE
arrived_at() {
	grep -q "	line $2\$" "$1"
}

# check FILE N WHO -- record file FILE must hold lines 1..N once each, in
# order, after the ready lines
check() {
	awk -v n=$2 'BEGIN { for (i = 1; i <= n; i++) print "line " i }' >"$W/want"
	cut -f 6- "$1" | grep -v '^ready ' >"$W/got"
	assert_file_eq "$W/want" "$W/got" "$3: lines 1..$2 once each, in order"
}

# tally FILE N -- lines 1..N of record file FILE missing or duplicated;
# prints shell assignments (missing dups missing_list dup_list) for eval
tally() {
	cut -f 6- "$1" | awk -v n="$2" '
		$1 == "line" { seen[$2 + 0]++ }
		END {
			for (i = 1; i <= n; i++) {
				c = seen[i] + 0
				if (c == 0 && ++missing <= 10) ml = ml " " i
				if (c > 1) { dups += c - 1; if (++dl_n <= 10) dl = dl " " i }
			}
			printf "missing=%d dups=%d", missing, dups
			printf " missing_list=\"%s\" dup_list=\"%s\"\n", ml, dl
		}'
}

start_b
: >"$log"
"$T2S" -v --all -T -n "127.0.0.1:$RS_TCP" -n "127.0.0.1:$B_TCP" -t app "$log" \
	2>>"$W/t2s.err" &
t2s_pid=$!
track $t2s_pid
until_following
wait_until 10 grep -q '	ready ' "$B_OUT" || fail "B does not get the ready line"

# 1. Both up: every line to both.
lines 1 1000
wait_until 10 arrived_at "$RS_OUT" 1000 || fail "A: lines do not arrive"
wait_until 10 arrived_at "$B_OUT" 1000 || fail "B: lines do not arrive"
settle_rsyslog
settle_b
check "$RS_OUT" 1000 A
check "$B_OUT" 1000 B
echo "both up: lines 1..1000 reached A and B once each"

# 2. B down for about 4 s while a line is written every 0.05 s: A is not
#    held up; B gets them all once it is back.
stop_b
i=1000
t0=$(date +%s)
while [ $i -lt 1080 ]; do
	i=$((i + 1))
	lines $i $i
	sleep 0.05
done
wait_until 3 arrived_at "$RS_OUT" $i ||
	fail "B down: A is held up (line $i not there within 3 s)"
echo "B down: lines 1001..$i, written over $(($(date +%s) - t0)) s, reached A"
resume_b
while [ $i -lt 1100 ]; do
	i=$((i + 1))
	lines $i $i
	sleep 0.05
done
n=$i
wait_until 40 arrived_at "$B_OUT" $n || {
	eval "$(tally "$B_OUT" $n)"
	fail "B back: $missing of lines 1..$n missing after 40 s:$missing_list"
}
settle_rsyslog
settle_b
check "$RS_OUT" $n A
eval "$(tally "$B_OUT" $n)"
echo "B back: lines 1..$n at B: $missing missing, $dups duplicates"
[ "$dups" -eq 0 ] || echo "duplicates at B (allowed):$dup_list"
grep -v 'retrying in' "$W/t2s.err" | head -n 10
[ "$missing" -eq 0 ] || fail "B: lines lost:$missing_list"
kill -0 $t2s_pid 2>/dev/null || fail "tail2syslog died"
exit 0
