#!/bin/sh
# t_hard_regex -- bounded work on attacker-written lines (issue 16 item 4).
#   1. nobody writes one 64 KiB line of 'a' to a file a root tail2syslog
#      follows with --match 'a+b=err' (glibc's regexec is quadratic on it):
#      with --once it is sent, at its own priority, with little more time
#      than a run whose pattern is cheap on it
#   2. rules see the first 4096 bytes of a line: --exclude secret keeps a
#      line whose "secret" starts at byte 4097, drops one where it ends at
#      byte 4096
#   3. a back-reference is refused when the rule is compiled: exit 64 with a
#      clear reason, on the command line and in a config file
. "$(dirname "$0")/lib.sh"
need_nobody
start_rsyslog
mkdir app
chown nobody app

# --- 1. a hostile line --------------------------------------------------------
as_nobody sh -c "awk 'BEGIN { s = \"a\"; while (length(s) < 65536) s = s s;
	print s; print \"after\" }' >$W/app/app.log" || fail "nobody could not write"
# The same run with 'b' first, found absent in one pass: all the run costs
# but the matching, so that only the matching is timed.  On the first 4 KiB
# 'a+b' costs some 30 ms; on all 64 KiB, 256 times as much (7 s on a 2-core
# VM, sanitizer or not: regexec is glibc's).  A bound of 2 s spares a slow
# or busy machine, and holds on one three times faster.
start=$(now_ms)
t2s --once --state base.state --from-start -S 65536 --match 'b=err' -T -n 127.0.0.1 \
	-P "$RS_TCP" -t app app/app.log || fail "--once, the baseline: exit status $?"
base=$(($(now_ms) - start))
wait_records 2
settle_rsyslog
: >"$RS_OUT"
start=$(now_ms)
t2s --once --state app.state --from-start -S 65536 --match 'a+b=err' -T -n 127.0.0.1 \
	-P "$RS_TCP" -t app app/app.log || fail "--once: exit status $?"
took=$(($(now_ms) - start))
echo "a 64 KiB hostile line: $took ms, $base ms with a cheap pattern"
[ $((took - base)) -lt 2000 ] || fail "a 64 KiB hostile line took $took ms, $base ms with a cheap pattern"
wait_records 2
settle_rsyslog
assert_eq "13 13" "$(records_field 1 | tr '\n' ' ' | sed 's/ $//')" "PRI of the two lines"
assert_eq 65536 "$(sed -n 1p "$RS_OUT" | cut -f 6- | tr -d '\n' | wc -c | tr -d ' ')" \
	"the hostile line's length as received"
: >"$RS_OUT"

# --- 2. what a rule sees ------------------------------------------------------
awk 'BEGIN { s = ""; while (length(s) < 4090) s = s "x";
	print s "secret"; print s "xsecret"; print "short secret" }' >cut.log
t2s --once --state cut.state --from-start -S 65536 --exclude secret -T -n 127.0.0.1 \
	-P "$RS_TCP" -t cut cut.log || fail "--exclude: exit status $?"
wait_records 1
settle_rsyslog
assert_eq 1 "$(count_records)" "lines kept by --exclude secret"
assert_eq 4097 "$(cut -f 6- "$RS_OUT" | tr -d '\n' | wc -c | tr -d ' ')" \
	"the line kept: its \"secret\" past byte 4096"

# --- 3. back-references -------------------------------------------------------
t2s --match '(a)\1=err' -T -n 127.0.0.1 -P "$RS_TCP" cut.log 2>backref.err </dev/null
assert_eq 64 "$?" "--match with a back-reference: exit status"
assert_eq 'tail2syslog: --match: back-references are not allowed: (a)\1' "$(cat backref.err)" \
	"--match with a back-reference: the reason"
printf '%s\n' "$W/cut.log exclude=x(y)\\1" >backref.conf
t2s -f backref.conf -T -n 127.0.0.1 -P "$RS_TCP" 2>backref.err </dev/null
assert_eq 64 "$?" "a config file rule with a back-reference: exit status"
grep -q 'back-references are not allowed' backref.err ||
	fail "a config file rule with a back-reference: $(cat backref.err)"
