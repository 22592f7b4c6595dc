#!/bin/sh
# t_logger_fail -- a logger(1) that fails loses no line and is not taken for
# success: --logger -n with a name that has no address ends the start (68);
# a logger that exits 1 at once, or after reading one line, ends a --once
# run with 75 within the give-up period, the state at the first line; the
# real logger then sends every line once.  Following, a logger killed with
# lines in its pipe: its successor is given them, each line arrives, and
# only lines it had read before may arrive twice.  Standard input ends as
# --once does: a logger that exits 1 makes it 75, the real one sends each
# line once and it is 0.  A logger that fails at our end of input without
# reading hands all it was given to its successor.
. "$(dirname "$0")/lib.sh"
need logger
need pgrep
start_rsyslog

# offset STATE -- the saved offset of the one file in STATE (0 if none)
offset() {
	awk 'NR == 2 { o = $3 } END { print o + 0 }' "$1"
}

printf 'line %s\n' 1 2 3 4 5 >"$W/lf.log"

# 1. an unknown host: 68 at start, nothing saved past
t2s --once --from-start --state "$W/s" --logger -n no.such.host.invalid \
	"$W/lf.log" 2>"$W/err"
assert_eq 68 $? "unknown host: exit status ($(cat "$W/err"))"
assert_eq 0 "$(offset "$W/s")" "unknown host: saved offset"

# 2. stand-in loggers that fail (run as nobody when we are root)
chmod o+x "$W"
printf '#!/bin/sh\nexit 1\n' >"$W/exit1"
printf '#!/bin/sh\nread x\nexit 1\n' >"$W/read1"
chmod 755 "$W/exit1" "$W/read1"
for l in exit1 read1; do
	began=$(date +%s)
	t2s --once --from-start --state "$W/s$l" --logger="$W/$l" "$W/lf.log" 2>"$W/err"
	rc=$?
	took=$(($(date +%s) - began))
	assert_eq 75 $rc "$l: exit status ($(cat "$W/err"))"
	[ $took -le 20 ] || fail "$l: took $took s"
	assert_eq 0 "$(offset "$W/s$l")" "$l: saved offset"
	assert_eq 1 "$(grep -c '^tail2syslog: logger for lf.log exited with status 1, restarting$' "$W/err")" \
		"$l: the failure said once for the series"
done

# 3. the real logger then sends every line once, from the state
t2s --once --state "$W/sread1" --logger -n 127.0.0.1 -P "$RS_TCP" -T \
	-p local3.info "$W/lf.log" 2>"$W/err"
assert_eq 0 $? "real logger: exit status ($(cat "$W/err"))"
wait_records 5
settle_rsyslog
printf 'line %s\n' 1 2 3 4 5 >"$W/want"
cut -f 6- "$RS_OUT" >"$W/got"
assert_file_eq "$W/want" "$W/got" "real logger: records"
[ "$(offset "$W/sread1")" -eq "$(wc -c <"$W/lf.log")" ] ||
	fail "real logger: saved offset $(offset "$W/sread1")"

# 4. following: the logger stopped, lines into its pipe, then killed
: >"$W/fl.log"
"$T2S" --logger -n 127.0.0.1 -P "$RS_TCP" -T -p local3.info --from-start "$W/fl.log" \
	2>"$W/ferr" &
pid=$!
track $pid
printf 'early %s\n' 1 2 3 >>"$W/fl.log"
wait_until 10 has_records 8 || fail "early lines: $(count_records) records"
lpid=$(pgrep -P $pid)
[ -n "$lpid" ] || fail "no logger child"
kill -STOP "$lpid"
i=1
while [ $i -le 20 ]; do
	printf 'late %s\n' $i >>"$W/fl.log"
	i=$((i + 1))
done
sleep 1  # the follower reads them into the stopped logger's pipe
kill -KILL "$lpid"
wait_until 15 has_records 28 || fail "late lines: $(count_records) records; $(cat "$W/ferr")"
settle_rsyslog
cut -f 6- "$RS_OUT" | grep '^late ' | sort >"$W/late"
i=1
: >"$W/want"
while [ $i -le 20 ]; do
	printf 'late %s\n' $i >>"$W/want"
	i=$((i + 1))
done
sort "$W/want" >"$W/want.s"
assert_file_eq "$W/want.s" "$W/late" "late lines, each once"
early=$(cut -f 6- "$RS_OUT" | grep -c '^early ')
[ "$early" -ge 3 ] && [ "$early" -le 6 ] || fail "early lines: $early records"
grep -qx 'tail2syslog: logger for fl.log was killed by signal 9, restarting' "$W/ferr" ||
	fail "the killed logger not said: $(cat "$W/ferr")"
kill "$pid"
wait "$pid"

# 5. standard input: a logger that exits 1 is 75, said in one line at the
# end (a failure's first "restarting" warning aside)
began=$(date +%s)
printf 'a\nb\n' | t2s --logger="$W/exit1" 2>"$W/serr"
rc=$?
took=$(($(date +%s) - began))
assert_eq 75 $rc "stdin, exit1: exit status ($(cat "$W/serr"))"
[ $took -le 20 ] || fail "stdin, exit1: took $took s"
assert_eq "tail2syslog: $W/exit1: exits as soon as it starts" "$(tail -n 1 "$W/serr")" \
	"stdin, exit1: the last diagnostic"
assert_eq 1 "$(grep -c 'exits as soon' "$W/serr")" "stdin, exit1: said once"

# 6. standard input to the real logger: 0, each line once
before=$(count_records)
printf 'stdin %s\n' a b | t2s --logger -n 127.0.0.1 -P "$RS_TCP" -T -p local3.info \
	2>"$W/serr"
assert_eq 0 $? "stdin, real logger: exit status ($(cat "$W/serr"))"
wait_records $((before + 2))
settle_rsyslog
printf 'stdin %s\n' a b >"$W/want"
cut -f 6- "$RS_OUT" | grep '^stdin ' >"$W/got"
assert_file_eq "$W/want" "$W/got" "stdin, real logger: records"

# 7. a logger that fails at our end of input without reading, after more
# than a reader's buffer was given to it: its successor is given all of it
# (where the pipe cannot be asked what is unread too), and sends it
mkdir "$W/once" && chmod 777 "$W/once"
printf '#!/bin/sh\nif [ -f %s/failed ]; then cat >%s/out; exit 0; fi\n: >%s/failed; sleep 1; exit 1\n' \
	"$W/once" "$W/once" "$W/once" >"$W/failonce"
chmod 755 "$W/failonce"
awk 'BEGIN { for (i = 1; i <= 400; i++) printf "line %04d of forty bytes, more or less\n", i }' \
	>"$W/big"
t2s --logger="$W/failonce" <"$W/big" 2>"$W/serr"
assert_eq 0 $? "fail once: exit status ($(cat "$W/serr"))"
assert_file_eq "$W/big" "$W/once/out" "fail once: what the successor was given"
