#!/bin/sh
# t_ops_outage_rotate -- the TCP receiver is down for 8 s while a writer
# appends 500 numbered lines a second and renames the file away every
# 1.5 s (app.log.1, app.log.2, ...): the files are looked at while the
# destination is down, each new generation is pinned the moment it is seen,
# and once the receiver is back every line arrives, in order.  Plain TCP
# may resend what the receiver had when it stopped: where it closed the
# connection in order, what it took in its last 100 ms, a tenth of a
# second's lines here; where it reset it, what the connection carried; no
# line written after it stopped is doubled.  With OUTAGE_PROTO=relp
# (t_relp_outage_rotate), none at all.
. "$(dirname "$0")/lib.sh"
need_writer
proto=${OUTAGE_PROTO:-tcp}
if [ "$proto" = relp ]; then
	start_rsyslog_relp
	dest="--relp -n 127.0.0.1:$RS_RELP"
else
	start_rsyslog
	dest="-T -n 127.0.0.1:$RS_TCP"
fi
rate=500 secs=12
n=$((rate * secs))

: >"$W/app.log"
# shellcheck disable=SC2086 # $dest: options, split on purpose
"$T2S" -v $dest -t app "$W/app.log" 2>"$W/t2s.err" &
t2s_pid=$!
track $t2s_pid
until_following "$W/app.log"
start_writer "$W/app.log" $rate $secs rename 1500

wait_until 10 msgs_beyond seq 500 || fail "lines do not arrive"
stop_rsyslog TERM
# What was written by the time it was gone: a line past that cannot have
# reached it, and must arrive once.  (What it recorded is no measure:
# rsyslogd may drop a line in flight as it stops, or write it only after
# its restart, from its queue.)
down_at=$(cat "$W"/app.log* | awk '$1 == "seq" && $2 + 1 > n { n = $2 + 1 } END { print n + 0 }')
sleep 8 # the outage: about five rotations
rotations=$(ls "$W"/app.log.* | wc -l)
resume_rsyslog
echo "receiver down once $down_at lines were written, for 8 s; $rotations rotations by then"

writer_done $n
wait_until 60 none_missing "$RS_OUT" seq 0 $((n - 1))
settle_rsyslog
kill -0 $t2s_pid 2>/dev/null || fail "tail2syslog exited: $(cat "$W/t2s.err")"

eval "$(tally "$RS_OUT" seq 0 $((n - 1)))"
echo "$n lines: $missing missing, $dups doubled, $ooo arrived after a later one, $extra unexpected"
[ "$missing" -eq 0 ] || fail "lines lost:$missing_list"
[ "$dups" -eq 0 ] || [ "$proto" = tcp ] || fail "lines sent twice:$dup_list"
[ "$dups" -eq 0 ] || echo "resent after the reconnection:$dup_list ..."
# Closed in order: 100 ms of lines, a sampling step of 20 ms and what was
# unacknowledged, and as much again for a stall just before the close (a
# backlog then flushed counts as taken lately): half a second's at most,
# half what a resend of the connection costs; reset: the lines written
# before it stopped, at most -- where the kernel tells what was
# acknowledged and the window: a PORTABLE=1 build sends again what the
# connection carried (manual, Transports, TCP).
most=$((rate / 2))
if grep -q ' lost: ' "$W/t2s.err"; then
	most=$down_at
	echo "the receiver reset the connection as it stopped"
fi
[ "$dups" -le "$most" ] || [ -n "${PORTABLE:-}" ] ||
	fail "$dups lines sent twice, more than $most"
late=$(cut -f 6- "$RS_OUT" | awk -v from=$down_at '$1 == "seq" && $2 + 0 >= from && seen[$2]++ { n++ }
	END { print n + 0 }')
[ "$late" -eq 0 ] || fail "$late lines written during the outage doubled"
# In order: each line's first arrival after every earlier line's, but for
# the one rsyslogd dropped as it stopped, sent again after the restart.
cut -f 6- "$RS_OUT" | awk -v upto=$down_at '$1 == "seq" && !seen[$2]++ && $2 + 0 >= upto {
		if ($2 + 0 < max) bad++; else max = $2 + 0 }
	END { exit bad > 0 }' || fail "lines out of order"
[ "$extra" -eq 0 ] || fail "$extra records that no writer wrote"
grep -q 'Framing Error' "$W/rsyslog.err" && fail "framing errors"
exit 0
