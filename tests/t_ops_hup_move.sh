#!/bin/sh
# t_ops_hup_move -- SIGHUP looks the server name up again: while the name
# keeps its address the connection stays; once it names another address
# (here ::1 instead of 127.0.0.1, in a private /etc/hosts), the connection
# moves there between two messages.  Neither is a reconnection: the
# statistics count reloads 2, reconnects 0.  Needs root, unshare -m and
# nsenter (a private mount namespace for /etc/hosts), and ::1.
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || skip "needs root for a private /etc/hosts"
unshare -m true 2>/dev/null || skip "unshare -m does not work here"
need nsenter
start_rsyslog
[ "$RS_HAVE_V6" = 1 ] || skip "no ::1"
printf '127.0.0.1 t2s-move.test\n' >hosts
printf 'hosts: files\n' >nsswitch.conf
: >app.log
# unshare execs sh, which execs tail2syslog: one pid.
# shellcheck disable=SC2016
unshare -m sh -c 'mount --make-rprivate / &&
	mount --bind "$1" /etc/hosts && mount --bind "$2" /etc/nsswitch.conf &&
	shift 2 && exec "$@"' sh "$W/hosts" "$W/nsswitch.conf" \
	"$T2S" -v -T -n t2s-move.test -P "$RS_TCP" -t app app.log 2>>t2s.err &
pid=$!
track $pid
until_following app.log

# ss_peer -- the address tail2syslog is connected to (127.0.0.1 or ::1)
ss_peer() {
	ss -Htn state established "( dport = :$RS_TCP )" | awk '{ print $4 }' |
		sed 's/:[0-9]*$//; s/^\[//; s/\]$//' | sort -u
}

echo "line 1" >>app.log
wait_until 10 grep -q '	line 1$' "$RS_OUT" || fail "line 1 does not arrive"
kill -HUP $pid
echo "line 2" >>app.log
wait_until 10 grep -q '	line 2$' "$RS_OUT" || fail "line 2 does not arrive"
! grep -qE 'lost|closed|connected to|moving' t2s.err ||
	fail "same address: the connection did not stay: $(cat t2s.err)"

printf '::1 t2s-move.test\n' >hosts # in place: the bind mount sees it
kill -HUP $pid
wait_until 5 grep -q 'address changed, moving' t2s.err ||
	fail "new address: no move: $(cat t2s.err)"
echo "line 3" >>app.log
wait_until 10 grep -q '	line 3$' "$RS_OUT" || fail "line 3 does not arrive"
grep -q 'connected to t2s-move.test port' t2s.err || fail "no notice of the new connection"
[ "$(ss_peer)" = "::1" ] || fail "connected to '$(ss_peer)', not ::1"
: >t2s.err
kill -USR1 $pid
wait_until 5 grep -q 'destination: ' t2s.err || fail "no statistics"
assert_eq "reconnects 0, resends 0, reloads 2" \
	"$(sed -n 's/^tail2syslog: destination: //p' t2s.err)" "statistics of the destination"
settle_rsyslog
eval "$(tally "$RS_OUT" line 1 3)"
[ $((missing + dups)) -eq 0 ] || fail "lines 1..3: $missing missing, $dups doubles"
echo "same address: kept; new address: moved to ::1; reloads 2, reconnects 0"
exit 0
