#!/bin/sh
# t_ops_start_term -- a TERM during the start-up's name lookup (issue 10,
# item 5): tail2syslog exits 0 once the lookup returns, and removes its pid
# file and keeps its state file, as after any TERM -- the signal handlers
# are in place before the first slow call.  The lookup is made slow in a
# private mount and network namespace: /etc/resolv.conf names a server on
# 127.0.0.1:53 that reads queries and never answers.  Root only.
. "$(dirname "$0")/lib.sh"
need unshare socat ip ss
[ "$(id -u)" = 0 ] || skip "needs root (a private namespace)"
unshare -mn true 2>/dev/null || skip "unshare -mn not permitted here"

printf 'nameserver 127.0.0.1\noptions timeout:3 attempts:1\n' >resolv.conf
: >app.log
: >queries
# In the namespace: loopback up, the resolver pointed at the silent server,
# which runs in the background (its pid in socat.pid), then, once socat is
# bound, tail2syslog.
unshare -mn sh -c '
	ip link set lo up || exit 1
	mount --bind "$1/resolv.conf" /etc/resolv.conf || exit 1
	socat -u UDP-RECV:53,bind=127.0.0.1 "OPEN:$1/queries,append" &
	echo $! >"$1/socat.pid"
	# the lookup must find socat bound: a refused query ends it at once
	i=0
	until ss -Hlun "sport = :53" | grep -q .; do
		[ $i -lt 100 ] || { echo "socat not bound to :53 after 5 s" >&2; exit 1; }
		i=$((i + 1))
		sleep 0.05
	done
	exec "$2" --pidfile "$1/t2s.pid" --state "$1/state" -T -n t2s-slow.example \
		-P 514 "$1/app.log"' sh "$W" "$T2S" 2>t2s.err &
pid=$!
track $pid
wait_until 5 test -s socat.pid || fail "the silent name server did not start"
track "$(cat socat.pid)"
wait_until 10 test -s queries ||
	fail "no name lookup seen; stderr: $(cat t2s.err)"
[ -e t2s.pid ] || fail "no pid file during the lookup"
kill -TERM $pid
wait_until 10 gone $pid || fail "TERM during the lookup: still running"
wait $pid
rc=$?
[ $rc -eq 0 ] || fail "TERM during the lookup: exit status $rc, not 0; $(cat t2s.err)"
[ ! -e t2s.pid ] || fail "TERM during the lookup: pid file left"
assert_eq "tail2syslog-state 1" "$(head -n 1 state)" "the state file"
[ ! -s t2s.err ] || fail "TERM during the lookup: not silent: $(cat t2s.err)"
exit 0
