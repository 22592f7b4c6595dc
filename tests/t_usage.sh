#!/bin/sh
# t_usage -- bad invocations: documented exit status, nothing on stdout, one
# line on stderr that starts with "tail2syslog: "
. "$(dirname "$0")/lib.sh"
bad=0

# expect STATUS ARGS... -- run with one line on stdin, check the outcome
expect() {
	_want=$1
	shift
	echo line | t2s "$@" >"$W/out" 2>"$W/err"
	_st=$?
	_why=
	[ $_st -eq "$_want" ] || _why="exit status $_st, want $_want"
	[ -s "$W/out" ] && _why="${_why:+$_why; }output on stdout"
	[ "$(wc -l <"$W/err")" -eq 1 ] ||
		_why="${_why:+$_why; }$(wc -l <"$W/err" | tr -d ' ') lines on stderr"
	head -n 1 "$W/err" | grep -q '^tail2syslog: ' ||
		_why="${_why:+$_why; }stderr does not start with 'tail2syslog: '"
	if [ -n "$_why" ]; then
		echo "t2s $*: $_why"
		sed 's/^/  stderr: /' "$W/err" | head -n 3
		bad=$((bad + 1))
	fi
}

expect 64 -d -n 127.0.0.1 -P 0
expect 64 -d -n 127.0.0.1 -P 70000
expect 64 -d -n 127.0.0.1 -P 514x
expect 64 -d -n 127.0.0.1 -p foo
expect 64 -d -n 127.0.0.1 -p nofac.info
expect 64 -d -n 127.0.0.1 -p local3.nosev
expect 64 -d -n 127.0.0.1 --no-such-option
expect 64 -d -n 127.0.0.1 --tag 123456789012345678901234567890123
expect 64 -d -n 127.0.0.1 --hostname 'bad host'
expect 68 -d -n no-such-host.invalid
expect 69 -u "$W/no-such.sock"

# With neither -n nor -u the binary looks for the system socket; it has no
# hook to look elsewhere, so check "none found" only where none exists.
if [ ! -S /dev/log ] && [ ! -S /var/run/log ] && [ ! -S /var/run/syslog ]; then
	expect 69
else
	echo "not checked: no system socket found (this host has one)"
fi

[ $bad -eq 0 ] || fail "$bad bad invocations handled wrongly"
