#!/bin/sh
# t_ops_daemon -- --daemon: start-up errors still reach the caller's stderr
# with their exit status (state file that cannot be created: 73; socket
# that is not there: 69; pid file held: 75; a TCP destination that does
# not accept a connection within 6 s: 75, and a TERM meanwhile exits 0),
# and leave no pid file behind.  Started right, it returns 0 at
# once, silent, and the daemon runs detached (own session, cwd /, stdio on
# /dev/null where /proc tells) with its pid in --pidfile; relative paths
# still work.  TERM by that pid stops it: pid file removed, state saved.
. "$(dirname "$0")/lib.sh"
start_rsyslog
# Relative paths from here: the daemon works in /.
cd "$W" || fail "cannot cd to $W"

# pid_running -- the pid file names a live process
pid_running() {
	pid=$(cat d.pid 2>/dev/null)
	[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

# startup_error STATUS TEXT ARGS... -- --daemon --pidfile $pf with ARGS
# must exit STATUS at once, with a message containing TEXT on stderr
startup_error() {
	_want=$1 _text=$2
	shift 2
	t2s --daemon --pidfile "$pf" "$@" >e.out 2>e.err
	rc=$?
	if [ $rc -eq 0 ] && wait_until 2 test -s "$pf"; then
		track "$(cat "$pf")" # a daemon started after all: stopped at exit
	fi
	[ $rc -eq "$_want" ] ||
		fail "--daemon $*: exit status $rc, not $_want: $(cat e.err)"
	grep -q "^tail2syslog: .*$_text" e.err ||
		fail "--daemon $*: message '$(cat e.err)' lacks '$_text'"
	echo "--daemon $*: $rc, $(cat e.err)"
}

# 1. Start-up errors.
pf=e.pid
startup_error 73 nodir --state nodir/state -T -n 127.0.0.1 -P "$RS_TCP" app.log
startup_error 69 no.sock -u "$W/no.sock" app.log
[ ! -e e.pid ] || fail "pid file left after a failed start"

# The destination down: the parent waits for it, then says so (75) -- it
# does not leave a daemon behind that the rc script believes in.  No pid
# file is left, no process runs on.
down=$(random_port)
start=$(now_ms)
startup_error 75 "cannot connect to 127.0.0.1 port $down: Connection refused" \
	--state e.state -T -n 127.0.0.1 -P "$down" app.log
took=$(($(now_ms) - start))
[ "$took" -ge 5000 ] || fail "destination down: gave up after $took ms, not 6 s"
assert_eq 1 "$(wc -l <e.err | tr -d ' ')" "destination down: lines said (the error, once; no retries)"
[ ! -e e.pid ] || fail "destination down: pid file left"
pgrep -f "tail2syslog.*-P $down" >/dev/null && fail "destination down: a process runs on"
# Nor does it spend the wait for nothing when told to stop.
"$T2S" --daemon --pidfile "$W/e.pid" -T -n 127.0.0.1 -P "$down" app.log 2>e.err &
parent=$!
track $parent
wait_until 5 test -e e.pid || fail "no pid file while waiting for the destination"
sleep 0.5
kill -TERM $parent
wait $parent
rc=$?
[ $rc -eq 0 ] || fail "TERM while waiting for the destination: exit status $rc: $(cat e.err)"
[ ! -e e.pid ] || fail "TERM while waiting for the destination: pid file left"

# 2. A daemon that runs.
: >app.log
t2s --daemon --pidfile d.pid --state d.state -T -n 127.0.0.1 -P "$RS_TCP" -t d \
	app.log >d.out 2>d.err
rc=$?
[ $rc -eq 0 ] || fail "--daemon: exit status $rc: $(cat d.err)"
[ ! -s d.out ] && [ ! -s d.err ] || fail "--daemon: not silent: $(cat d.out d.err)"
wait_until 5 pid_running || fail "--daemon: pid file holds '$(cat d.pid)', no live process"
track "$pid"
echo "daemon running as pid $pid"
sid=$(ps -o sid= -p "$pid" 2>/dev/null | tr -d ' ')
[ -z "$sid" ] || [ "$sid" = "$pid" ] || fail "daemon: session $sid, not its own"
if [ -d "/proc/$pid" ]; then
	assert_eq / "$(readlink "/proc/$pid/cwd")" "daemon: working directory"
	for fd in 0 1 2; do
		assert_eq /dev/null "$(readlink "/proc/$pid/fd/$fd")" "daemon: descriptor $fd"
	done
fi

# It follows app.log, named relative to the directory it started in.
until_following app.log
printf 'line %s\n' 1 2 3 >>app.log
wait_until 5 grep -q '	line 3$' "$RS_OUT" || fail "daemon: lines do not arrive"

# 3. A second --daemon on the same pid file: refused, visibly.
pf=d.pid
startup_error 75 "already running as pid $pid" -T -n 127.0.0.1 -P "$RS_TCP" app.log
[ "$(cat d.pid)" = "$pid" ] || fail "pid file changed by the refused instance"

# 4. TERM by the pid from the pid file: gone, pid file removed, state saved.
kill -TERM "$(cat d.pid)"
wait_until 10 gone "$pid" || fail "daemon: TERM does not stop it"
wait_until 2 sh -c '! test -e d.pid' || fail "daemon: pid file left after TERM"
size=$(wc -c <app.log | tr -d ' ')
grep -q "^[0-9]* [0-9]* $size [0-9a-f-]* [0-9a-f-]* $W/app.log\$" d.state ||
	fail "daemon: state file has no entry for $W/app.log at offset $size: $(cat d.state)"
exit 0
