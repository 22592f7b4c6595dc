#!/bin/sh
# t_ops_pidfile -- --pidfile: the running instance's pid is in the file; a
# second instance on the same file exits 75 with "already running as pid
# N", also with --once; a clean exit removes the file; a file left by a
# killed instance, or one naming a live process that holds no lock, is
# taken over.
. "$(dirname "$0")/lib.sh"
start_rsyslog
pidfile=$W/t2s.pid
# app.log does not exist until the end: once created, it is read from its
# first byte, whenever the instance started

# pidfile_names PID -- true when the pid file holds exactly PID
pidfile_names() {
	[ -f "$pidfile" ] && [ "$(cat "$pidfile")" = "$1" ]
}

# start_first -- an instance in the background, pid $first
start_first() {
	"$T2S" --pidfile "$pidfile" -T -n 127.0.0.1 -P "$RS_TCP" -t app \
		"$W/app.log" 2>"$W/first.err" &
	first=$!
	track $first
	wait_until 10 pidfile_names $first ||
		fail "pid file holds '$(cat "$pidfile" 2>/dev/null)', not $first"
}

# second WHAT ARGS... -- another instance on the same pid file must be
# refused: exit status 75 and the message, at once, the file untouched
second() {
	_what=$1
	shift
	t2s --pidfile "$pidfile" -T -n 127.0.0.1 -P "$RS_TCP" -t app "$@" \
		2>"$W/second.err"
	rc=$?
	[ $rc -eq 75 ] || { cat "$W/second.err"; fail "$_what: exit status $rc, not 75"; }
	assert_eq "tail2syslog: already running as pid $first" "$(cat "$W/second.err")" \
		"$_what: message"
	pidfile_names $first || fail "$_what: the pid file was changed"
	kill -0 $first 2>/dev/null || fail "$_what: the first instance died"
}

# 1. A running instance refuses a second one, following or --once.
start_first
second "second instance" "$W/app.log"
second "second instance with --once" --once --state "$W/state" "$W/app.log"

# 2. A clean exit (TERM) removes the file.
kill -TERM $first
wait_until 10 gone $first || fail "TERM does not stop it"
wait $first
rc=$?
[ $rc -eq 0 ] || fail "exit status $rc after TERM"
[ ! -e "$pidfile" ] || fail "pid file left after a clean exit"

# 3. A file left by a killed instance is stale: taken over.
start_first
kill -KILL $first
wait_until 10 gone $first || fail "KILL does not stop it"
[ -e "$pidfile" ] || fail "pid file gone after KILL (cannot test a stale one)"
start_first
echo "stale pid file of a killed instance: taken over by $first"

# 4. So is a file that names a live process holding no lock (this shell).
kill -TERM $first
wait_until 10 gone $first || fail "TERM does not stop it"
echo $$ >"$pidfile"
start_first
echo "pid file naming live pid $$ without a lock: taken over by $first"

# The instance that took over works.
echo "hello" >"$W/app.log"
wait_records 1
assert_eq "hello" "$(record_field 1 6)" "message after the take-over"
exit 0
