#!/bin/sh
# t_relp_kill -- --relp while the receiver (imrelp, acknowledging only what
# it wrote) is killed with KILL three times and restarted a second later,
# under load: tail2syslog catches up on a file of 200,000 lines while a
# writer appends more.  No line lost, every line in order, at most one
# window (128 frames) sent twice per kill.
#
# For the manual's figures: RELP_KILL_LINES changes the size of the file
# (the manual's: 2,000,000); RELP_KILL_PROTO=tcp runs the same over plain
# TCP (-T to the same receiver's imtcp; t_tcp_kill does so): no line lost
# either, and the lines sent twice are reported, not bounded (up to the
# last 8 MB the receiver confirmed, per kill).
. "$(dirname "$0")/lib.sh"
need_writer
start_rsyslog_relp
n=${RELP_KILL_LINES:-200000}
kills=3
window=128
rate=500 secs=8
proto=${RELP_KILL_PROTO:-relp}
if [ "$proto" = tcp ]; then
	dest="-T -n 127.0.0.1:$RS_TCP"
else
	dest="--relp -n 127.0.0.1:$RS_RELP"
fi

log=$W/app.log
awk -v n="$n" 'BEGIN { for (i = 0; i < n; i++) printf "old %d a line of some length\n", i }' \
	>"$log"
# shellcheck disable=SC2086 # $dest: options, split on purpose
"$T2S" -v $dest -t app --from-start "$log" 2>"$W/t2s.err" &
t2s_pid=$!
track $t2s_pid
start_writer "$log" $rate $secs none

# Kill the receiver whenever another share of the old lines has arrived.
k=0
while [ $k -lt $kills ]; do
	k=$((k + 1))
	at=$((n * k / (kills + 1)))
	wait_until 60 msgs_beyond old "$at" || fail "kill $k: lines do not arrive"
	stop_rsyslog KILL
	echo "kill $k after $(count_msgs old) old lines, $(count_msgs seq) new"
	sleep 1
	resume_rsyslog
done

m=$((rate * secs))
writer_done $m
wait_until 60 none_missing "$RS_OUT" seq 0 $((m - 1)) ||
	fail "new lines missing:$missing_list"
settle_rsyslog
kill -0 $t2s_pid 2>/dev/null || fail "tail2syslog exited: $(cat "$W/t2s.err")"

# The statistics count breaks: each kill is one reconnection, and at most
# one resend.
kill -USR1 $t2s_pid
wait_until 5 grep -q 'destination: reconnects' "$W/t2s.err" || fail "no statistics on USR1"
stats=$(sed -n 's/^tail2syslog: destination: //p' "$W/t2s.err" | tail -n 1)
echo "$proto statistics: $stats"
eval "$(echo "$stats" | awk -F', ' '{ for (i = 1; i <= NF; i++) { split($i, kv, " "); print kv[1] "=" kv[2] } }')"
assert_eq $kills "$reconnects" "reconnections counted"
[ "$resends" -le $kills ] || fail "$resends resends counted for $kills breaks"

total_dups=0
for word in old seq; do
	[ $word = old ] && hi=$((n - 1)) || hi=$((m - 1))
	eval "$(tally "$RS_OUT" $word 0 $hi)"
	echo "$proto, $word lines 0..$hi: $missing missing, $dups twice, $ooo out of order"
	[ "$missing" -eq 0 ] || fail "$word lines lost:$missing_list"
	[ "$ooo" -eq 0 ] || fail "$word lines out of order"
	[ "$extra" -eq 0 ] || fail "$extra $word records that nobody wrote"
	total_dups=$((total_dups + dups))
done
[ "$proto" = relp ] || exit 0
[ "$total_dups" -le $((kills * window)) ] ||
	fail "$total_dups lines sent twice: more than one window ($window) per kill"
# Each reconnection said once: "connected to ... again" after an outage
# that was said, else (-v) "reconnected to".
grep -cE 'reconnected to|connected to .* again$' "$W/t2s.err" | grep -qx "$kills" ||
	fail "not $kills reconnections: $(grep -v 'retrying in' "$W/t2s.err" | head)"
exit 0
