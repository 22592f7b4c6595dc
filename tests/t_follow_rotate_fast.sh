#!/bin/sh
# t_follow_rotate_fast -- rotation that outruns the poll: with -s 0.02 a
# writer renames the file away every 30 ms (200 generations, 1000 lines a
# second).  A new generation is pinned the moment it is seen, even while an
# older one is still being drained: every line arrives once, in order.
. "$(dirname "$0")/lib.sh"
need_writer
start_rsyslog
rate=1000 secs=6
n=$((rate * secs))

: >"$W/app.log"
"$T2S" -v -s 0.02 -T -n 127.0.0.1 -P "$RS_TCP" -t app "$W/app.log" 2>"$W/t2s.err" &
t2s_pid=$!
track $t2s_pid
until_following "$W/app.log"
start_writer "$W/app.log" $rate $secs rename 30
writer_done $n
echo "$(ls "$W"/app.log.* | wc -l) generations"
wait_until 30 none_missing "$RS_OUT" seq 0 $((n - 1))
settle_rsyslog

eval "$(tally "$RS_OUT" seq 0 $((n - 1)))"
echo "$n lines: $missing missing, $dups doubled, $ooo out of order, $extra unexpected"
[ "$missing" -eq 0 ] || fail "lines lost:$missing_list"
[ "$dups" -eq 0 ] || fail "lines doubled:$dup_list"
[ "$ooo" -eq 0 ] || fail "lines out of order"
[ "$extra" -eq 0 ] || fail "$extra records that no writer wrote"
exit 0
