#!/bin/sh
# t_udp_nosendmmsg -- a kernel without sendmmsg(2) (before Linux 3.0, or a
# seccomp filter, or an emulator) answers ENOSYS: tail2syslog says so under
# -v and sends one datagram per send(2) instead; every line arrives, in
# order, over UDP and over the unix datagram socket.  strace(1) injects the
# ENOSYS.  (A PORTABLE=1 build never calls sendmmsg: then only the lines are
# checked.)
. "$(dirname "$0")/lib.sh"
need strace
strace -qq -o /dev/null true 2>/dev/null || skip "strace cannot trace here"
start_rsyslog
n=500
line_range 1 $n >"$W/in"

# without_sendmmsg NAME ARGS... -- tail2syslog -v ARGS reading $W/in, every
# sendmmsg failing with ENOSYS; checks exit status, notice and lines
without_sendmmsg() {
	_name=$1
	shift
	first=$(($(count_records) + 1))
	# timeout(1) inside: strace does not pass a TERM on to what it traces.
	# LeakSanitizer cannot work under ptrace: off for this run.
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 strace -f -qq -o "$W/$_name.trace" \
		-e trace=sendmmsg -e inject=sendmmsg:error=ENOSYS \
		timeout 20 "$T2S" -v -t x "$@" <"$W/in" 2>"$W/$_name.err" ||
		fail "$_name: exit status $?: $(cat "$W/$_name.err")"
	wait_records $((first - 1 + n))
	settle_rsyslog
	tail -n +"$first" "$RS_OUT" | cut -f 6- >"$W/$_name.got"
	assert_file_eq "$W/in" "$W/$_name.got" "$_name: every line, in order"
	if grep -q 'INJECTED' "$W/$_name.trace"; then
		assert_eq 1 "$(grep -c 'ENOSYS' "$W/$_name.trace")" \
			"$_name: sendmmsg calls after the first ENOSYS"
		grep -qxF 'tail2syslog: sendmmsg: Function not implemented, one datagram per call' \
			"$W/$_name.err" || fail "$_name: no notice: $(cat "$W/$_name.err")"
		echo "$_name: sendmmsg failed once with ENOSYS, $n lines sent one by one"
	else
		echo "$_name: sendmmsg not called (PORTABLE build?), $n lines sent"
	fi
}

without_sendmmsg udp -d -n 127.0.0.1 -P "$RS_UDP"
without_sendmmsg unix -u "$RS_SOCK"
exit 0
