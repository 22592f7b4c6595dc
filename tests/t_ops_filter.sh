#!/bin/sh
# t_ops_filter -- --include REGEX sends only the lines that match one of the
# includes; --exclude REGEX drops the lines that match, includes or not; an
# excluded line is dropped even if a --match rule matches it.  On a
# followed file (--once) and on standard input.
. "$(dirname "$0")/lib.sh"
start_rsyslog
cat >"$W/access.log" <<'EOF'
GET /a 200
GET /b 404
POST /c 500
GET /health 200
POST /d 200
EOF
run=0
set -f # $opts is split into words below, never expanded as a pattern

# case WANT... -- run with the options in $opts, on the file and on standard
# input; each must send exactly the lines WANT, in order
case_() {
	run=$((run + 1))
	printf '%s\n' "$@" | sed '/^$/d' >"$W/want"
	before=$(count_records)
	t2s --once --state "$W/state.$run" --from-start -T -n 127.0.0.1 -P "$RS_TCP" \
		-t web $opts "$W/access.log" || fail "$opts: file: exit status $?"
	settle_rsyslog
	tail -n +$((before + 1)) "$RS_OUT" | cut -f 6- >"$W/got"
	assert_file_eq "$W/want" "$W/got" "$opts: file: lines sent"
	before=$(count_records)
	t2s -T -n 127.0.0.1 -P "$RS_TCP" -t web $opts <"$W/access.log" ||
		fail "$opts: stdin: exit status $?"
	settle_rsyslog
	tail -n +$((before + 1)) "$RS_OUT" | cut -f 6- >"$W/got"
	assert_file_eq "$W/want" "$W/got" "$opts: stdin: lines sent"
	echo "$opts: $(wc -l <"$W/want" | tr -d ' ') of 5 lines sent"
}

opts="--include [45][0-9][0-9]\$"
case_ "GET /b 404" "POST /c 500"
opts="--include ^GET --include ^POST.*/d --exclude health"
case_ "GET /a 200" "GET /b 404" "POST /d 200"
opts="--exclude ^GET"
case_ "POST /c 500" "POST /d 200"
opts="--exclude 200\$ --match 200\$=err --match 500\$=crit"
case_ "GET /b 404" "POST /c 500"
# The last case's priorities: the 500 line crit (user.crit = 10), the 404
# line the default (user.notice = 13).
assert_eq "$(printf '13\n10')" "$(tail -n 2 "$RS_OUT" | cut -f 1)" \
	"--match on the lines --exclude let through"
opts="--include nothing-matches"
case_ ""
exit 0
