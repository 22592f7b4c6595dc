#!/bin/sh
# t_many -- 10000 lines over TCP, then over the local socket: every line
# arrives once, in order
. "$(dirname "$0")/lib.sh"
start_rsyslog
n=10000
awk -v n=$n 'BEGIN { for (i = 1; i <= n; i++) print "line " i }' >"$W/lines"

# check FIRST WHAT -- records FIRST.. must be the lines, in order, once each
check() {
	tail -n +"$1" "$RS_OUT" | cut -f 6- >"$W/got"
	if ! cmp -s "$W/lines" "$W/got"; then
		echo "$2: $(wc -l <"$W/got") records," \
			"$(sort -u "$W/got" | wc -l) distinct," \
			"$(sort "$W/lines" "$W/got" | uniq -u | wc -l) lines missing"
		diff "$W/lines" "$W/got" | head -n 10
		fail "$2: lines lost, duplicated or out of order"
	fi
	tail -n +"$1" "$RS_OUT" | cut -f 1-5 | sort -u >"$W/heads"
	assert_eq "$(printf '156\t%s\tx\t-\t-' "$3")" "$(cat "$W/heads")" \
		"$2: record fields"
}

t2s -T -n 127.0.0.1 -P "$RS_TCP" -t x -p local3.warning <"$W/lines" ||
	fail "tcp: exit status $?"
wait_records $n 60
settle_rsyslog
check 1 tcp "$HOST_SHORT"

t2s -u "$RS_SOCK" -t x -p local3.warning <"$W/lines" ||
	fail "unix: exit status $?"
wait_records $((2 * n)) 60
settle_rsyslog
check $((n + 1)) unix "$RS_HOSTNAME"
