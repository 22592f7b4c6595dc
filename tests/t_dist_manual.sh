#!/bin/sh
# t_dist_manual -- the manual is clean and complete:
#   - mandoc -Tlint -Wwarning reports nothing (make lint);
#   - mandoc -Tutf8 and groff -mdoc -Tutf8 render it without a message
#     (each is checked where installed);
#   - every option of --help, short and long, has its own .It entry in the
#     option list, and that list is in order: by name without dashes,
#     ignoring case, an upper-case letter before its lower-case one;
#   - the usage lines of --help and the SYNOPSIS name the same options;
#   - every exit status that src/ uses is listed in EXIT STATUS;
#   - every cron, rc and systemd example in EXAMPLES runs with --user
#     (issue 16: a root tail2syslog is a deputy of whoever owns a log
#     directory).
. "$(dirname "$0")/lib.sh"

PAGE=$TOP/man/tail2syslog.1
[ -f "$PAGE" ] || fail "no $PAGE"
bad=0

# problem TEXT... -- report one problem; the scenario fails at its end
problem() {
	printf '%s\n' "$*"
	bad=$((bad + 1))
}

# plain -- drop the overstriking of terminal output (filter)
plain() {
	sed "s/.$(printf '\b')//g"
}

# option_tokens -- the options named in a usage text, one a line, sorted:
# "--long" as it is, a cluster "-abc" as "-a", "-b", "-c" (filter)
option_tokens() {
	grep -oE '(^|[][ |])--?[A-Za-z0-9][A-Za-z0-9-]*' |
		sed 's/^[][ |]//' |
		awk '/^--/ { print; next }
		{ for (i = 2; i <= length($0); i++) print "-" substr($0, i, 1) }' |
		LC_ALL=C sort -u
}

# lint and render
if command -v mandoc >/dev/null 2>&1; then
	mandoc -Tlint -Wwarning "$PAGE" >"$W/lint" 2>&1 ||
		problem "mandoc -Tlint -Wwarning: exit status $?"
	[ ! -s "$W/lint" ] ||
		{ cat "$W/lint"; problem "mandoc -Tlint -Wwarning is not clean"; }
	mandoc -Tutf8 "$PAGE" >"$W/mandoc.out" 2>"$W/mandoc.err" ||
		problem "mandoc -Tutf8: exit status $?"
	[ ! -s "$W/mandoc.err" ] ||
		{ cat "$W/mandoc.err"; problem "mandoc -Tutf8 complains"; }
	grep -q '^S.*Y.*N.*O.*P.*S.*I.*S' "$W/mandoc.out" ||
		problem "mandoc -Tutf8: no SYNOPSIS in the output"
	mandoc -Tascii "$PAGE" | plain >"$W/page.txt"
else
	echo "not checked: mandoc lint and rendering (mandoc is not installed)"
fi
if command -v groff >/dev/null 2>&1; then
	groff -mdoc -Tutf8 -wall "$PAGE" >"$W/groff.out" 2>"$W/groff.err" ||
		problem "groff -mdoc -Tutf8: exit status $?"
	[ ! -s "$W/groff.err" ] ||
		{ cat "$W/groff.err"; problem "groff -mdoc -Tutf8 -wall complains"; }
	grep -q '^S.*Y.*N.*O.*P.*S.*I.*S' "$W/groff.out" ||
		problem "groff -mdoc -Tutf8: no SYNOPSIS in the output"
	[ -s "$W/page.txt" ] || groff -mdoc -Tascii "$PAGE" | plain >"$W/page.txt"
else
	echo "not checked: groff rendering (groff is not installed)"
fi

# --help
"$T2S" --help >"$W/help" 2>"$W/help.err" || problem "--help: exit status $?"
[ ! -s "$W/help.err" ] || problem "--help writes to stderr"
[ -s "$W/help" ] || fail "--help prints nothing"

# The entries of the option list: the .It lines of the first .Bl of
# DESCRIPTION, at its own level
awk '/^\.Sh / { d = ($0 == ".Sh DESCRIPTION") }
	d && /^\.Bl/ { n++; if (n == 1) seen = 1 }
	d && n == 1 && /^\.It/ { print }
	d && /^\.El/ { n--; if (seen && n == 0) exit }' "$PAGE" >"$W/items"
[ -s "$W/items" ] || fail "no option list (.Bl -tag) in DESCRIPTION"

# every option of --help has an entry: short ones from the option lines
# ("  -d, --udp ..."), long ones from anywhere in --help
sed -n 's/^  *-\([A-Za-z0-9]\)[, ].*/\1/p' "$W/help" | LC_ALL=C sort -u >"$W/short"
grep -oE -- '--[a-z0-9][a-z0-9-]*' "$W/help" | LC_ALL=C sort -u >"$W/long"
[ -s "$W/short" ] && [ -s "$W/long" ] || fail "no options found in --help"
while read -r o; do
	grep -Eq "Fl $o( |\$)" "$W/items" ||
		problem "-$o is in --help but has no .It entry in the manual"
done <"$W/short"
while read -r o; do
	name=${o#--}
	grep -Eq "Fl \\\\-$name([^a-z0-9-]|\$)" "$W/items" ||
		problem "$o is in --help but has no .It entry in the manual"
done <"$W/long"

# the entries are in order: key = the first name, without dashes
sed -n 's/^\.It Fl \(\\-\)\{0,1\}\([A-Za-z0-9][A-Za-z0-9-]*\).*/\2/p' \
	"$W/items" >"$W/keys"
awk '{ k = tolower($0); print k " " ($0 == k) "\t" $0 }' "$W/keys" >"$W/order"
LC_ALL=C sort "$W/order" >"$W/order.sorted"
if ! cmp -s "$W/order" "$W/order.sorted"; then
	problem "the option list is not in order; expected:" \
		"$(cut -f 2 "$W/order.sorted" | tr '\n' ' ')"
fi

# --help usage lines and SYNOPSIS
if [ -s "$W/page.txt" ]; then
	sed -n '/^usage:/,/^$/p' "$W/help" | sed 's/^usage: *[^ ]*//' |
		option_tokens >"$W/usage.opts"
	sed -n '/^SYNOPSIS/,/^[A-Z]/p' "$W/page.txt" | sed '1d;$d' |
		option_tokens >"$W/synopsis.opts"
	[ -s "$W/usage.opts" ] || problem "no options in the usage lines of --help"
	if ! cmp -s "$W/usage.opts" "$W/synopsis.opts"; then
		problem "--help usage and SYNOPSIS differ:" \
			"only in --help: $(comm -23 "$W/usage.opts" "$W/synopsis.opts" |
				tr '\n' ' ')" \
			"only in SYNOPSIS: $(comm -13 "$W/usage.opts" "$W/synopsis.opts" |
				tr '\n' ' ')"
	fi
else
	echo "not checked: SYNOPSIS against --help (neither mandoc nor groff)"
fi

# exit statuses: numbers 64..78 on the lines of src/ that set an exit code,
# and <sysexits.h> names (EX_USAGE, or EX_USAGE_ as our own enum has it)
grep -hE 'exit_code|EX_[A-Z]+_? *=|_?exit *\(|return +(6[4-9]|7[0-8]) *;' \
	"$TOP"/src/*.cc "$TOP"/src/*.h |
	grep -oE '(^|[^0-9.])(6[4-9]|7[0-8])([^0-9.]|$)' | tr -cd '0-9\n' \
	>"$W/codes"
grep -ohE 'EX_(USAGE|DATAERR|NOINPUT|NOUSER|NOHOST|UNAVAILABLE|SOFTWARE|OSERR|OSFILE|CANTCREAT|IOERR|TEMPFAIL|PROTOCOL|NOPERM|CONFIG)\b_?' \
	"$TOP"/src/*.cc "$TOP"/src/*.h | sed 's/_$//' | sed '
	s/EX_USAGE/64/; s/EX_DATAERR/65/; s/EX_NOINPUT/66/; s/EX_NOUSER/67/
	s/EX_NOHOST/68/; s/EX_UNAVAILABLE/69/; s/EX_SOFTWARE/70/; s/EX_OSERR/71/
	s/EX_OSFILE/72/; s/EX_CANTCREAT/73/; s/EX_IOERR/74/; s/EX_TEMPFAIL/75/
	s/EX_PROTOCOL/76/; s/EX_NOPERM/77/; s/EX_CONFIG/78/' >>"$W/codes"
LC_ALL=C sort -u "$W/codes" -o "$W/codes"
[ -s "$W/codes" ] || problem "no exit status found in src/"
sed -n '/^\.Sh EXIT STATUS/,/^\.Sh /s/^\.It \([0-9][0-9]*\).*/\1/p' "$PAGE" |
	LC_ALL=C sort -u >"$W/listed"
for c in $(comm -23 "$W/codes" "$W/listed"); do
	problem "exit status $c is used in src/ but not listed in EXIT STATUS"
done

# service examples: each literal block of EXAMPLES that starts tail2syslog
# from cron, an rc script or a unit names --user
awk '/^\.Sh EXAMPLES/ { ex = 1; next } ex && /^\.Sh / { ex = 0 }
	ex && /^\.Bd -literal/ { block = ""; inb = 1; next }
	ex && inb && /^\.Ed/ {
		inb = 0
		if (block ~ /(--daemon|--once|ExecStart=|daemon_flags=|command_args=)/ &&
		    block !~ /--user tail2syslog/)
			print substr(block, 1, 60)
		next
	}
	inb { block = block $0 " " }' "$PAGE" >"$W/no_user"
services=$(awk '/^\.Sh EXAMPLES/,/^\.Sh DIAGNOSTICS/' "$PAGE" |
	grep -cE -- '--daemon|--once|ExecStart=|daemon_flags=|command_args=')
[ "$services" -ge 5 ] || problem "EXAMPLES: $services service examples found, 5 expected"
while IFS= read -r block; do
	problem "EXAMPLES: runs without --user: $block"
done <"$W/no_user"

[ $bad -eq 0 ] || fail "$bad problems with the manual"
