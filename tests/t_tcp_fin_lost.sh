#!/bin/sh
# t_tcp_fin_lost -- a receiver killed after it read a line and before it
# wrote it, with nothing left unread, closes the connection in order (its
# kernel sends a FIN), as one that read and wrote everything does: what it
# took in the 100 ms before it was last seen connected is sent again on the
# next connection (manual, Transports, TCP).  Read from a file, the line is
# read again from it; from standard input, which cannot be read again, it
# is sent again from memory, by the same rule (before, only what was not
# acknowledged was: the line was lost), once the next line comes: standard
# input is waited on, and the break is seen then.  The receiver is tests/tools/peer
# drop: it throws away the line of its first connection, and keeps what
# every later one carries.
. "$(dirname "$0")/lib.sh"
peer=$TOP/tests/tools/peer
[ -x "$peer" ] || skip "tests/tools/peer not built (make tests/tools/peer)"

# start_drop -- a peer drop on a fresh port $port, writing $W/kept, pid $ppid
start_drop() {
	for _try in 1 2 3 4 5; do
		port=$(random_port)
		: >"$W/kept"
		"$peer" "$port" drop "$W/kept" >"$W/peer.out" 2>"$W/peer.err" &
		ppid=$!
		track $ppid
		wait_until 5 grep -q listening "$W/peer.out" && return 0
		kill $ppid 2>/dev/null
	done
	fail "cannot start the peer: $(cat "$W/peer.err")"
}

# kept WHAT -- the line "WHAT 1" reached the second connection, once
kept() {
	wait_until 5 grep -q " app: $1 1\$" "$W/kept" ||
		fail "$1: the line the receiver dropped never came again; stderr: $(cat "$W/t2s.err")"
	_n=$(grep -c " app: $1 1\$" "$W/kept")
	[ "$_n" -eq 1 ] || fail "$1: the line came $_n times on the later connections"
	grep -q 'closed by the peer' "$W/t2s.err" ||
		fail "$1: the connection did not end in order: $(cat "$W/t2s.err")"
	echo "$1: the line the receiver dropped came again, once"
}

# From a file.
start_drop
: >"$W/app.log"
"$T2S" -v -T -n 127.0.0.1 -P "$port" -t app --from-start "$W/app.log" 2>"$W/t2s.err" &
pid=$!
track $pid
echo "file 1" >>"$W/app.log"
kept file
kill $pid
kill $ppid

# From standard input, kept open by a writer that sleeps.
start_drop
mkfifo "$W/in"
"$T2S" -v -T -n 127.0.0.1 -P "$port" -t app <"$W/in" 2>"$W/t2s.err" &
pid=$!
track $pid
{
	echo "stdin 1"
	sleep 1 # the receiver drops it, and closes
	echo "stdin 2"
	sleep 10 # stdin stays open meanwhile
} >"$W/in" &
track $!
kept stdin
kill $pid
exit 0
