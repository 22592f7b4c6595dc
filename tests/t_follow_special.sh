#!/bin/sh
# t_follow_special -- names that are not regular files.  A directory is
# reported once, even without -v, and waited for; a file that replaces it
# is read from its first byte.  A FIFO is never opened: it is reported once
# with a warning, another file's lines still flow, TERM still ends the run
# at once with status 0, and a file that replaces the FIFO is read.
. "$(dirname "$0")/lib.sh"
start_rsyslog

# said FILE TEXT -- true when stderr FILE holds the line "tail2syslog: TEXT"
said() {
	grep -qxF "tail2syslog: $2" "$1"
}

# follow ERR ARGS... -- tail2syslog over TCP with ARGS, stderr to ERR;
# its pid is in $t2s_pid
follow() {
	_err=$1
	shift
	: >"$_err"
	timeout --foreground 30 "$T2S" -T -n 127.0.0.1 -P "$RS_TCP" "$@" 2>"$_err" &
	t2s_pid=$!
	track $t2s_pid
}

# stop WHAT -- TERM tail2syslog: it must be gone within 2 s, status 0
stop() {
	_t0=$(date +%s)
	kill "$t2s_pid"
	wait "$t2s_pid"
	rc=$?
	[ $(($(date +%s) - _t0)) -le 2 ] || fail "$1: TERM took over 2 s"
	[ $rc -eq 0 ] || fail "$1: exit status $rc after TERM"
}

# A directory, then a file.
mkdir app.log
follow dir.err app.log
wait_until 5 said dir.err 'app.log: is a directory, waiting' ||
	fail "directory: no warning; stderr: $(cat dir.err)"
sleep 1 # some polls, to show the warning is not repeated
rmdir app.log
printf 'dir 1\ndir 2\n' >app.log
wait_records 2
stop directory
# Said once, and its end said too (a named file: without -v).
assert_eq "tail2syslog: app.log: is a directory, waiting
tail2syslog: app.log: following" "$(cat dir.err)" "directory: lines on stderr"

# A FIFO beside a file; TERM with the FIFO still there.
mkfifo pipe.log
: >other.log
follow fifo.err pipe.log other.log
fifo_warning='pipe.log: not a regular file, ignored until it is'
wait_until 5 said fifo.err "$fifo_warning" ||
	fail "FIFO: no warning; stderr: $(cat fifo.err)"
printf 'other 1\n' >>other.log
wait_records 3
# Nobody has the FIFO open for reading: a writer's open(2) blocks.
timeout 1 sh -c ': >pipe.log'
[ $? -eq 124 ] || fail "FIFO: tail2syslog opened it"
stop FIFO
assert_eq 1 "$(grep -c . fifo.err)" "FIFO: lines on stderr"

# A FIFO replaced by a file.
follow fifo2.err pipe.log
wait_until 5 said fifo2.err "$fifo_warning" ||
	fail "FIFO 2: no warning; stderr: $(cat fifo2.err)"
rm pipe.log
printf 'pipe 1\n' >pipe.log
wait_records 4
stop "FIFO replaced"

settle_rsyslog
want_record 13 "$HOST_SHORT" app.log - - 'dir 1'
want_record 13 "$HOST_SHORT" app.log - - 'dir 2'
want_record 13 "$HOST_SHORT" other.log - - 'other 1'
want_record 13 "$HOST_SHORT" pipe.log - - 'pipe 1'
assert_records
