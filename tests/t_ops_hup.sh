#!/bin/sh
# t_ops_hup -- SIGHUP makes tail2syslog look at every file at once: a file
# renamed away and recreated is picked up within a second or two, although
# with -s 60 and a file idle for 6 s the next poll is seconds away (the
# poll interval of an idle file doubles from 10 ms: polls come about 5.1 s
# and 10.2 s after the last data); and patterns are expanded again
# although --rescan-interval is an hour.  A HUP keeps the TCP connection
# when the destination's address has not changed: no reconnection, and
# the statistics count the HUPs apart.  Then SIGUSR1 writes the
# statistics lines to standard error.
. "$(dirname "$0")/lib.sh"
start_rsyslog
log=$W/app.log
mkdir "$W/g"

# msgs_since N -- the messages of the records after the first N
msgs_since() {
	tail -n +$(($1 + 1)) "$RS_OUT" | cut -f 6-
}

: >"$log"
"$T2S" -v -s 60 --rotate-wait 1 --rescan-interval 3600 -T -n 127.0.0.1 \
	-P "$RS_TCP" "$log" "$W/g/*.log" 2>>"$W/t2s.err" &
t2s_pid=$!
track $t2s_pid
until_following "$log"
printf 'line %s\n' 1 2 3 4 5 >>"$log"
wait_until 5 grep -q '	line 5$' "$RS_OUT" || fail "lines 1..5 do not arrive"
sleep 6 # idle: the next poll is now about 4 s away
before=$(count_records)
mv "$log" "$log.1"
echo "line 6" >>"$log.1" # the writer's last line in the old file
printf 'line %s\n' 7 8 9 10 >"$log"
kill -HUP $t2s_pid
t0=$(date +%s)
wait_until 2 grep -q '	line 10$' "$RS_OUT" ||
	fail "renamed file: no pickup within 2 s of HUP: $(msgs_since "$before" | tr '\n' ' ')"
echo "renamed file: old and new lines arrived $(($(date +%s) - t0)) s after HUP"
printf 'line %s\n' 6 7 8 9 10 >"$W/want"
msgs_since "$before" >"$W/got"
assert_file_eq "$W/want" "$W/got" "after HUP: rest of the old file, then the new one"

before=$(count_records)
printf 'glob %s\n' 1 2 >"$W/g/new.log"
kill -HUP $t2s_pid
wait_until 2 grep -q '	glob 2$' "$RS_OUT" ||
	fail "pattern: new match not followed within 2 s of HUP"
printf 'glob %s\n' 1 2 >"$W/want"
msgs_since "$before" >"$W/got"
assert_file_eq "$W/want" "$W/got" "new match of the pattern, read from its start"
assert_eq new.log "$(record_field "$(count_records)" 3)" "tag of the new match"

# -v reports every connection lost or made again: there was none.
! grep -E 'connection to .* (lost|closed)|reconnected|connected to' "$W/t2s.err" ||
	fail "a HUP broke the connection"

# SIGUSR1: one line per file and one for the destination.
: >"$W/t2s.err"
kill -USR1 $t2s_pid
wait_until 5 grep -q '^tail2syslog: destination: ' "$W/t2s.err" ||
	fail "no statistics after USR1: $(cat "$W/t2s.err")"
cat "$W/t2s.err"

# stat_of WHAT KEY -- the number after KEY in the statistics line of WHAT (a
# path, or "destination"), whose items are "KEY N" separated by ", "
stat_of() {
	sed -n "s|^tail2syslog: $1: ||p" "$W/t2s.err" | tr ',' '\n' |
		sed -n "s/^ *$2 \([0-9][0-9]*\)\$/\1/p"
}

# Messages sent: "sent N" where the line has it, else "lines N".
sent_key=sent
[ -n "$(stat_of "$log" sent)" ] || sent_key=lines
app_lines=$(records_field 3 | grep -c '^app\.log$')
assert_eq "$app_lines 1 0" \
	"$(stat_of "$log" $sent_key) $(stat_of "$log" rotations) $(stat_of "$log" truncations)" \
	"statistics of app.log: messages sent, rotations, truncations"
assert_eq "2 0 0" \
	"$(stat_of "$W/g/new.log" $sent_key) $(stat_of "$W/g/new.log" rotations) $(stat_of "$W/g/new.log" truncations)" \
	"statistics of g/new.log: messages sent, rotations, truncations"
assert_eq "0 2" "$(stat_of destination reconnects) $(stat_of destination reloads)" \
	"statistics of the destination: reconnects, reloads (two HUPs, same address)"
kill -0 $t2s_pid 2>/dev/null || fail "tail2syslog died"
exit 0
