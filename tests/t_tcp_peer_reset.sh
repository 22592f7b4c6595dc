#!/bin/sh
# t_tcp_peer_reset -- a receiver that stops reading for 4 s, then resets
# the connection and is down for a second (a hung server, or one shutting
# down), over TCP with LF framing and with octet counting.  Whatever byte
# the break fell on, the next connection starts with a whole message: every
# connection carries whole messages from its first byte on (only the cut
# one may end inside one), each with the PRI and tag sent; every line
# arrives, doubles counted.  tests/tools/peer records each connection and
# checks its framing.
. "$(dirname "$0")/lib.sh"
peer=$TOP/tests/tools/peer
[ -x "$peer" ] || skip "tests/tools/peer not built (make tests/tools/peer)"
need_writer
need ss
fast=4000  # lines at 2000/s first: more than the resend ring holds
slow=600   # then about 100/s, so slow that the pause blocks no write

# slow_lines -- "slow 0" .. "slow 599", fifty every 0.5 s: each batch is
# longer than the first lines' batches, so that on the old code the batch
# queued during the outage overwrote the start of what was to be sent again
slow_lines() {
	_k=0
	while [ $_k -lt $slow ]; do
		awk -v k=$_k 'BEGIN { for (i = k; i < k + 50; i++)
			printf "slow %d qname=www.example.org. A with id %d\n", i, i * 7 }' >>app.log
		sleep 0.5 # a pace
		_k=$((_k + 50))
	done
}

# one_run FRAMING ARGS... -- the scenario, with tail2syslog options ARGS
one_run() {
	_fr=$1
	shift
	rm -rf conns app.log
	mkdir conns
	: >app.log
	for _try in 1 2 3 4 5; do
		port=$(random_port)
		: >peer.out
		# reads 360 kB, pauses 4 s, resets, is down 1 s
		"$peer" "$port" pause 4000 360000 1 "$W/conns" 1000 >peer.out 2>peer.err &
		ppid=$!
		track $ppid
		wait_until 5 grep -q listening peer.out && break
		kill $ppid
	done
	: >t2s.err
	"$T2S" -v -T -n 127.0.0.1 -P "$port" -t app -p local3.warning "$@" app.log \
		2>>t2s.err &
	tpid=$!
	track $tpid
	wait_until 5 sh -c 'ls /proc/$1/fd -l | grep -q app.log' sh $tpid ||
		fail "$_fr: tail2syslog does not open app.log"
	"$TOP/tests/tools/writer" app.log 2000 $((fast / 2000)) none >writer.out
	slow_lines
	wait_until 15 has_bytes conns/conn.2 1 || fail "$_fr: no second connection"
	wait_until 15 sh -c '"$1" frames "$2" conns/conn.2 2>/dev/null |
		grep -q "	slow $(($3 - 1)) "' sh "$peer" "$_fr" $slow ||
		fail "$_fr: the last line never arrives;" \
			"$("$peer" frames "$_fr" conns/conn.2 2>&1 >/dev/null | head -n 1)"
	kill $tpid
	wait $tpid
	sleep 0.2 # the peer writes the end of the connection out
	kill $ppid
	wait $ppid 2>/dev/null
	if ! "$peer" frames "$_fr" conns/conn.* >records 2>frames.err; then
		cat frames.err
		fail "$_fr: a connection does not start or go on with whole messages"
	fi
	_bad=$(awk -F '	' '$1 != 156 || $3 != "app"' records | head -n 3)
	[ -z "$_bad" ] || fail "$_fr: records with the wrong PRI or tag: $_bad"
	eval "$(grep '	seq ' records | tally - seq 0 $((fast - 1)))"
	[ "$missing" -eq 0 ] || fail "$_fr: $missing of the fast lines lost:$missing_list"
	_fast_dups=$dups
	eval "$(grep '	slow ' records | tally - slow 0 $((slow - 1)))"
	[ "$missing" -eq 0 ] || fail "$_fr: $missing of the slow lines lost:$missing_list"
	[ "$extra" -eq 0 ] || fail "$_fr: $extra records of lines never written"
	[ "$(grep -cv '	seq \|	slow ' records)" -eq 0 ] || fail "$_fr: records never written"
	echo "$_fr: $(ls conns | wc -l) connections, $((_fast_dups + dups)) doubles;" \
		"$(grep -h 'cut short' frames.err | wc -l) cut by the reset"
}

one_run lf
one_run octet --octet-count
exit 0
