#!/bin/sh
# t_stdin_stop_said -- standard input cannot be read again: stopped by TERM
# while the TCP server is down, tail2syslog says how many bytes it read
# from it and did not send (the 292 bytes of "seq 100"), and exits 0 as for
# any stop by a signal (manual, DIAGNOSTICS).  Before, it said nothing.
. "$(dirname "$0")/lib.sh"
port=$(random_port) # nothing listens there
mkfifo "$W/in"
"$T2S" -T -n 127.0.0.1 -P "$port" <"$W/in" 2>"$W/t2s.err" &
pid=$!
track $pid
{
	seq 100
	sleep 10 # standard input stays open meanwhile
} >"$W/in" &
track $!
wait_until 5 grep -q 'cannot connect' "$W/t2s.err" || fail "no outage said: $(cat "$W/t2s.err")"
kill -TERM $pid
wait_until 3 gone $pid || fail "still running 3 s after TERM"
wait $pid
rc=$?
[ $rc -eq 0 ] || fail "exit status $rc after TERM"
grep -qx 'tail2syslog: standard input: stopped with 292 bytes read from it not sent; they are lost' \
	"$W/t2s.err" || fail "not said: $(cat "$W/t2s.err")"
echo "said: $(tail -n 1 "$W/t2s.err")"
exit 0
