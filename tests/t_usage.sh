#!/bin/sh
# t_usage -- bad invocations: documented exit status, nothing on stdout, one
# line on stderr that starts with "tail2syslog: "; where the manual quotes
# the message (DIAGNOSTICS), that exact line, which says why and what to
# write instead
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

# says STATUS MESSAGE ARGS... -- as expect, and stderr is exactly
# "tail2syslog: MESSAGE"
says() {
	_msg=$2
	_st=$1
	shift 2
	expect "$_st" "$@"
	_got=$(cat "$W/err")
	if [ "$_got" != "tail2syslog: $_msg" ]; then
		echo "t2s $*: stderr '$_got'"
		echo "                 want 'tail2syslog: $_msg'"
		bad=$((bad + 1))
	fi
}

says 64 "unrecognized option '--foo' (see --help)" --stdout --foo
says 64 "unrecognized option '-x' (see --help)" --stdout -x
says 64 "option '-t' needs a value (see --help)" --stdout -t
says 64 "option '--stdout' takes no value (see --help)" --stdout=yes
says 64 "ambiguous option '--s' (see --help)" --s
says 64 "invalid server: ::1:15301 (an IPv6 address with a port is written [::1]:15301)" \
	-n ::1:15301
says 64 "invalid port: nosuchservice (not a number, nor a service in /etc/services)" \
	-n 127.0.0.1 -P nosuchservice
says 64 "invalid tag: a:b (a ':' ends a tag)" --stdout -t a:b
says 64 "invalid tag: a b (a space ends a tag)" --stdout -t 'a b'
says 64 "invalid tag:  (empty)" --stdout -t ''
says 64 "invalid tag: 123456789012345678901234567890123 (33 bytes, more than the 32 of RFC 3164; --rfc5424 allows 48)" \
	--stdout -t 123456789012345678901234567890123
says 64 "invalid tag: 1234567890123456789012345678901234567890123456789 (49 bytes, more than the 48 of an RFC 5424 APP-NAME)" \
	--stdout --rfc5424 -t 1234567890123456789012345678901234567890123456789
says 64 "--match: invalid priority: foo" --stdout --match 'x=foo'
says 64 "--match: unknown facility: local9" --stdout --match 'x=local9.info'
says 64 "unknown severity: nosev" --stdout -p local3.nosev

# With neither -n nor -u the binary looks for the system socket; it has no
# hook to look elsewhere, so check "none found" only where none exists.
if [ ! -S /dev/log ] && [ ! -S /var/run/log ] && [ ! -S /var/run/syslog ]; then
	expect 69
else
	echo "not checked: no system socket found (this host has one)"
fi

[ $bad -eq 0 ] || fail "$bad bad invocations handled wrongly"
