#!/bin/sh
# t_tcp_restart -- the receiver restarts mid-stream (TERM, down for a while,
# back on the same port): every line still arrives at least once.
# Duplicates are allowed (a line in flight may be sent again) and reported.
. "$(dirname "$0")/lib.sh"
start_rsyslog
n=100

# producer -- n numbered lines, about 20 a second; a copy in $W/produced
producer() {
	i=1
	while [ $i -le $n ]; do
		echo "line $i"
		echo "line $i" >>"$W/produced"
		sleep 0.05
		i=$((i + 1))
	done
}

# produced -- how many lines the producer has written so far
produced() {
	wc -l <"$W/produced" | tr -d ' '
}

# produced_beyond N -- true when the producer has written more than N lines
produced_beyond() {
	[ "$(produced)" -gt "$1" ]
}

mkfifo "$W/in"
: >"$W/produced"
producer >"$W/in" &
track $!
timeout --foreground "$T2S_TIMEOUT" "$T2S" -T -n 127.0.0.1 -P "$RS_TCP" -t x \
	-p local3.warning <"$W/in" &
t2s_pid=$!
track $t2s_pid

wait_records 20
stop_rsyslog
down_at=$(produced)
if ! wait_until 10 produced_beyond $((down_at + 10)); then
	kill -0 $t2s_pid 2>/dev/null || {
		wait $t2s_pid
		fail "tail2syslog exited ($?) while the receiver was down"
	}
	fail "producer stalled while the receiver was down"
fi
restart_at=$(produced)
resume_rsyslog
echo "receiver down from line $down_at to line $restart_at"

wait "$t2s_pid"
rc=$?
[ $rc -eq 0 ] || fail "exit status $rc"
settle_rsyslog

eval "$(tally "$RS_OUT" line 1 $n)"
echo "$missing lines missing:$missing_list"
echo "$dups duplicates of lines:$dup_list"
[ "$missing" -eq 0 ] || fail "lines lost across the restart"
[ $((other + extra)) -eq 0 ] ||
	fail "$((other + extra)) records that the producer did not write"
