#!/bin/sh
# t_stdout -- --stdout prints the RFC 3164 message instead of sending it:
# "<13>Mmm dd hh:mm:ss HOSTNAME tail2syslog: hello", the day space-padded
. "$(dirname "$0")/lib.sh"

echo hello | t2s --stdout >"$W/out" 2>"$W/err" || fail "exit status $?"
[ ! -s "$W/err" ] || fail "stderr: $(head -n 1 "$W/err")"
assert_eq 1 "$(wc -l <"$W/out" | tr -d ' ')" "number of lines printed"
mon='(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)'
day='( [1-9]|[12][0-9]|3[01])'
time='([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]'
re="<13>$mon $day $time $HOST_SHORT tail2syslog: hello"
grep -Eqx "$re" "$W/out" || fail "printed: $(cat "$W/out"), want /$re/"
