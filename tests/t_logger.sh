#!/bin/sh
# t_logger -- --logger: two files, each with its own tag (its base name),
# go through logger(1) children to rsyslogd over TCP, then over UDP: every
# record has the file's tag as APP-NAME, the priority of -p and the line as
# MSG; one logger child per tag
. "$(dirname "$0")/lib.sh"
need logger
start_rsyslog

# children PID -- how many processes PID has started (2 when pgrep(1) is
# missing: not counted)
children() {
	if command -v pgrep >/dev/null 2>&1; then
		pgrep -P "$1" | wc -l | tr -d ' '
	else
		echo 2
	fi
}

# through FLAG PORT -- tail2syslog --logger FLAG to PORT follows a.log and
# b.log from their start; writes two lines to each
through() {
	rm -f a.log b.log
	: >t2s.err
	"$T2S" --logger "$1" -n 127.0.0.1 -P "$2" -p local3.info --from-start \
		a.log b.log 2>t2s.err &
	t2s_pid=$!
	track $t2s_pid
	printf 'a 1 %s\na 2 %s\n' "$1" "$1" >a.log
	wait_until 10 has_records $((n + 2)) || fail "$1: $(count_records)" \
		"records of $((n + 2)); stderr: $(cat t2s.err)"
	printf 'b 1 %s\nb 2 %s\n' "$1" "$1" >b.log
	wait_until 10 has_records $((n + 4)) || fail "$1: $(count_records)" \
		"records of $((n + 4)); stderr: $(cat t2s.err)"
	assert_eq 2 "$(children "$t2s_pid")" "$1: logger children"
	kill "$t2s_pid"
	wait "$t2s_pid"
	rc=$?
	[ $rc -eq 0 ] || fail "$1: exit status $rc after TERM; $(cat t2s.err)"
	n=$((n + 4))
	for l in 'a 1' 'a 2'; do
		printf '158\ta.log\t%s %s\n' "$l" "$1" >>want
	done
	for l in 'b 1' 'b 2'; do
		printf '158\tb.log\t%s %s\n' "$l" "$1" >>want
	done
}

n=0
: >want
through -T "$RS_TCP"
through -d "$RS_UDP"
settle_rsyslog
cut -f 1,3,6- "$RS_OUT" >got
assert_file_eq want got "records (PRI, APP-NAME, MSG)"
