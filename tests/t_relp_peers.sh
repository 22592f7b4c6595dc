#!/bin/sh
# t_relp_peers -- --relp with two imrelp receivers.  Failover (-n A -n B):
# lines go to A; A is killed (KILL) while lines keep coming: they go on to
# B, and every line is at A or B, in order, at most one window twice.
# --all: every line reaches both, once each.
. "$(dirname "$0")/lib.sh"
start_rsyslog_relp
start_rsyslog2_relp
log=$W/app.log

# msgs FILE WORD -- the "WORD N" messages of record file FILE
msgs() {
	cut -f 6- "$1" | grep "^$2 "
}

# 1. Failover.
: >"$log"
"$T2S" -v --relp -n "127.0.0.1:$RS_RELP" -n "127.0.0.1:$RS2_RELP" -t app "$log" \
	2>>"$W/t2s.err" &
t2s_pid=$!
track $t2s_pid
until_following "$log"
awk 'BEGIN { for (i = 1; i <= 20000; i++) print "fo " i }' >>"$log"
wait_until 10 msgs_beyond fo 2000 || fail "lines do not reach A"
stop_rsyslog KILL
echo "A killed after $(count_msgs fo) lines"
awk 'BEGIN { for (i = 20001; i <= 20100; i++) print "fo " i }' >>"$log"
wait_until 20 has_msg "fo 20100" "$RS2_OUT" || fail "lines do not go on to B"
settle_rsyslog2
cat "$RS_OUT" "$RS2_OUT" >"$W/both"
eval "$(tally "$W/both" fo 1 20100)"
echo "A then B: $missing missing, $dups twice, $ooo out of order"
[ "$missing" -eq 0 ] || fail "lines lost:$missing_list"
[ "$ooo" -eq 0 ] || fail "lines out of order"
[ "$dups" -le 128 ] || fail "$dups lines twice: more than one window"
msgs "$RS2_OUT" fo | head -n 1 | grep -q . || fail "B got nothing"
kill $t2s_pid
wait $t2s_pid
rc=$?
[ $rc -eq 0 ] || fail "exit status $rc after TERM: $(cat "$W/t2s.err")"

# 2. --all: both, once each.
resume_rsyslog
: >"$W/all.log"
"$T2S" -v --relp --all -n "127.0.0.1:$RS_RELP" -n "127.0.0.1:$RS2_RELP" -t app \
	"$W/all.log" 2>>"$W/t2s.err" &
t2s_pid=$!
track $t2s_pid
until_following "$W/all.log" "$RS2_OUT"
line_range 1 500 >>"$W/all.log"
wait_until 10 has_msg "line 500" "$RS_OUT" || fail "--all: lines do not reach A"
wait_until 10 has_msg "line 500" "$RS2_OUT" || fail "--all: lines do not reach B"
settle_rsyslog
settle_rsyslog2
line_range 1 500 >"$W/want"
for f in "$RS_OUT" "$RS2_OUT"; do
	msgs "$f" line >"$W/got"
	assert_file_eq "$W/want" "$W/got" "--all: lines 1..500 once each at $f"
done

# 3. --all with B down: a line counts as sent once both confirmed it, so
#    after the batch in progress A gets nothing more until B is back; then
#    both get every line once.
stop_rsyslog2
echo "held 1" >>"$W/all.log"
wait_until 10 has_msg "held 1" "$RS_OUT" || fail "--all, B down: A lacks the first line"
sleep 0.5
echo "held 2" >>"$W/all.log"
sleep 2
has_msg "held 2" "$RS_OUT" && fail "--all, B down: A got a line that B has not confirmed"
resume_rsyslog2
wait_until 10 has_msg "held 2" "$RS_OUT" || fail "--all: A lacks held 2 once B is back"
wait_until 10 has_msg "held 2" "$RS2_OUT" || fail "--all: B lacks held 2"
settle_rsyslog
settle_rsyslog2
printf 'held 1\nheld 2\n' >"$W/want"
for f in "$RS_OUT" "$RS2_OUT"; do
	msgs "$f" held >"$W/got"
	assert_file_eq "$W/want" "$W/got" "--all after B's outage: held 1, 2 once each at $f"
done
