#!/bin/sh
# t_tcp_once_noread -- --once against a receiver that accepts the
# connection but never reads: the write blocks once the socket buffers are
# full, and after 6 s without progress tail2syslog gives up with exit
# status 75 and a message, as the manual promises (it used to wait for
# ever).  The state then records only whole lines taken: the next run,
# against a real receiver, starts with a whole message and sends the rest.
. "$(dirname "$0")/lib.sh"
peer=$TOP/tests/tools/peer
[ -x "$peer" ] || skip "tests/tools/peer not built (make tests/tools/peer)"
start_rsyslog
n=60000 # about 6 MB: far more than the socket buffers hold
awk -v n=$n 'BEGIN { for (i = 1; i <= n; i++) printf "line %d %080d\n", i, i }' >app.log
for _try in 1 2 3 4 5; do
	port=$(random_port)
	: >peer.out
	"$peer" "$port" noread >peer.out 2>peer.err &
	ppid=$!
	track $ppid
	wait_until 5 grep -q listening peer.out && break
	kill $ppid
done

t0=$(now_ms)
timeout --foreground 40 "$T2S" --once --from-start --state "$W/state" -T -n 127.0.0.1 -P "$port" \
	-t app app.log 2>t2s.err
rc=$?
ms=$(($(now_ms) - t0))
echo "noread: exit status $rc after $ms ms: $(cat t2s.err)"
[ $rc -ne 124 ] || fail "noread: still blocked after 40 s"
[ $rc -eq 75 ] || fail "noread: exit status $rc, not 75"
[ $ms -ge 6000 ] || fail "noread: gave up after $ms ms, before 6 s"
grep -q "^tail2syslog: 127.0.0.1 port $port: " t2s.err || fail "noread: no message naming the peer"
kill $ppid

# The next run: whole messages, from the first line not taken on.
t2s --once --state "$W/state" -T -n 127.0.0.1 -P "$RS_TCP" -t app app.log 2>t2s.err ||
	fail "second run: exit status $?: $(cat t2s.err)"
settle_rsyslog
first=$(record_field 1 6 | cut -d ' ' -f 2)
[ -n "$first" ] && [ "$first" -gt 1 ] ||
	fail "second run: starts with '$(record_field 1 6 | cut -c 1-40)', not with the rest"
eval "$(tally "$RS_OUT" line "$first" $n)"
echo "second run: lines $first to $n; missing $missing, doubles $dups, other $other"
[ $((missing + dups + extra + other)) -eq 0 ] || fail "second run: not the rest, once, whole"
[ "$(records_field 3 | sort -u)" = app ] || fail "second run: a record with another tag"
exit 0
