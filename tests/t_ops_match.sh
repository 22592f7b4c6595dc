#!/bin/sh
# t_ops_match -- --match REGEX=PRI: a line that matches gets that priority,
# the first matching rule deciding; other lines keep -p; the messages are
# unchanged.  The same for a followed file (--once) and for standard input.
# A REGEX may hold '=' (the last one separates the priority).  Bad rules
# exit 64.
. "$(dirname "$0")/lib.sh"
start_rsyslog
cat >"$W/fw.log" <<'EOF'
ACCEPT 1 DPT=80
DENY 2 DPT=22
ACCEPT 3 DPT=22
DENY 4 DPT=443
plain 5
EOF
# local0.info = 134, local0.warning = 132, auth.notice = 37
cat >"$W/want" <<'EOF'
134	ACCEPT 1 DPT=80
132	DENY 2 DPT=22
37	ACCEPT 3 DPT=22
132	DENY 4 DPT=443
134	plain 5
EOF
rules="--match DENY=local0.warning --match DPT=22=auth.notice"

# 1. A followed file.
t2s --once --state "$W/state" --from-start -T -n 127.0.0.1 -P "$RS_TCP" -t fw \
	-p local0.info $rules "$W/fw.log" || fail "file: exit status $?"
settle_rsyslog
cut -f 1,6 "$RS_OUT" >"$W/got"
assert_file_eq "$W/want" "$W/got" "file: PRI and message of each line"
records_field 3 | sort -u >"$W/tags"
assert_eq fw "$(cat "$W/tags")" "file: tag of every line"

# 2. Standard input.
t2s -T -n 127.0.0.1 -P "$RS_TCP" -t fw -p local0.info $rules <"$W/fw.log" ||
	fail "stdin: exit status $?"
settle_rsyslog
tail -n +6 "$RS_OUT" | cut -f 1,6 >"$W/got"
assert_file_eq "$W/want" "$W/got" "stdin: PRI and message of each line"

# 3. Bad rules.
for bad in "DENY" "DENY=nosuch.level" "(=err"; do
	t2s --stdout --match "$bad" "$W/fw.log" >/dev/null 2>"$W/err"
	rc=$?
	[ $rc -eq 64 ] || fail "--match '$bad': exit status $rc, not 64"
	grep -q '^tail2syslog: .' "$W/err" || fail "--match '$bad': no message"
	echo "refused: --match '$bad': $(cat "$W/err")"
done
exit 0
