#!/bin/sh
# t_dist_diagnostics -- the manual's DIAGNOSTICS lists every message the
# program can print: each fixed text that src/*.cc hands to a message sink
# (tests/tools/messages.awk finds them) must appear in the DIAGNOSTICS
# section as mandoc renders it, blanks squeezed.  A new message fails this
# test until the manual says what it means and what to do.
#
# To teach the test a new way of printing, add the function or variable to
# SINKS below; a fragment that is not a message of its own may be listed in
# NOT_MESSAGES with the reason.
. "$(dirname "$0")/lib.sh"
need mandoc

# Where message text goes: error strings (*err, ctx->error), the printing
# functions of main and the followers, the transports' notify_, the
# functions that return a message or a reason (return), and the variables
# that hold a reason before it is printed.
SINKS='\*err *=|(^|[^a-z_])(fail|say|warning|notice|notify_|warn_once|log_notice|log_warning|out|seconds_option) *\(|ctx->error *=|error_ *=|(^|[^a-z_])return ""|unread_ *=|help *='

# Fragments that are not messages (one a line): none yet.
NOT_MESSAGES='
'

PAGE=$TOP/man/tail2syslog.1
awk -v SINKS="$SINKS" -f "$TOP/tests/tools/messages.awk" "$TOP"/src/*.cc >"$W/found" ||
	fail "messages.awk failed"
# a sanity check of the extraction itself: a message we know is there
grep -q '	--once needs --state$' "$W/found" ||
	fail "the extraction did not find '--once needs --state' in src/"

mandoc -Tascii "$PAGE" | sed "s/.$(printf '\b')//g" |
	sed -n '/^DIAGNOSTICS/,/^[A-Z][A-Z ]*$/p' | sed '1d;$d' | tr -s ' \n\t' '   ' \
	>"$W/diag"
[ -s "$W/diag" ] || fail "no DIAGNOSTICS section in the manual"

bad=0
checked=0
sort -t "$(printf '\t')" -k 2 -u "$W/found" >"$W/unique"
while IFS="$(printf '\t')" read -r where text; do
	printf '%s\n' "$NOT_MESSAGES" | grep -qxF -- "$text" && continue
	checked=$((checked + 1))
	if ! grep -qF -- "$text" "$W/diag"; then
		echo "not in DIAGNOSTICS: \"$text\" ($where)"
		bad=$((bad + 1))
	fi
done <"$W/unique"
echo "$checked message texts checked"
[ $bad -eq 0 ] || fail "$bad message texts of src/ are missing from DIAGNOSTICS"
exit 0
