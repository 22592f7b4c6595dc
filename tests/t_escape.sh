#!/bin/sh
# t_escape -- control bytes in a line: 0x00-0x1F except TAB, and 0x7F, are
# sent as "#" and three octal digits; a trailing CR is dropped; TAB and bytes
# >= 0x80 pass as they are. (rsyslog's own escaping is off, so the record
# shows what was sent; rsyslog itself would turn a NUL into #000 too.)
. "$(dirname "$0")/lib.sh"
start_rsyslog

# add IN MSG -- one case: printf formats of an input line and of its MSG
# shellcheck disable=SC2059
add() {
	printf "$1\n" >>"$W/in"
	printf "$2\n" >>"$W/want"
}
add 'tab\tx' 'tab\tx'
add 'cr\rmid' 'cr#015mid'
add 'trailing cr\r' 'trailing cr'
add 'esc\033[1m' 'esc#033[1m'
add 'nul\000x' 'nul#000x'
add 'del\177x' 'del#177x'
add '\001\037 ends' '#001#037 ends'
add 'caf\303\251 \200\377' 'caf\303\251 \200\377'
n=$(wc -l <"$W/want")

t2s -T -n 127.0.0.1 -P "$RS_TCP" -t x -p local3.warning <"$W/in" ||
	fail "exit status $?"
wait_records $n
settle_rsyslog
assert_eq "$n" "$(count_records)" "record count"
i=1
while [ $i -le $n ]; do
	assert_eq "$(sed -n "${i}p" "$W/want")" "$(record_field $i 6)" \
		"MSG of input line $i"
	i=$((i + 1))
done
