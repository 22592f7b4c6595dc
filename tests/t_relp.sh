#!/bin/sh
# t_relp -- --relp to rsyslog's imrelp: messages arrive byte for byte (PRI,
# tag, body with a TAB, a leading space, bytes >= 0x80, RFC 3164 and 5424);
# the session ends with "close" (no complaint in rsyslogd's own log); a
# frame the server answers with other than 200 ends the run with exit
# status 76 and the line is not counted as sent (the state file stays
# before it); the default port is 2514; --relp needs -n.
. "$(dirname "$0")/lib.sh"
start_rsyslog_relp

printf 'a\n b\nc\td\n\303\251t\303\251\n' |
	t2s --relp -n 127.0.0.1 -P "$RS_RELP" -t x -p local3.warning ||
	fail "exit status $?"
first4() {
	want_record 156 "$HOST_SHORT" x - - a
	want_record 156 "$HOST_SHORT" x - - " b"
	want_record 156 "$HOST_SHORT" x - - "$(printf 'c\td')"
	want_record 156 "$HOST_SHORT" x - - "$(printf '\303\251t\303\251')"
}
wait_records 4
settle_rsyslog
first4
assert_records

# The same through host:port, RFC 5424.
printf 'e\n' | t2s --relp --rfc5424 --hostname myhost --id=42 \
	-n "127.0.0.1:$RS_RELP" -t y -p daemon.err || fail "rfc5424: exit status $?"
wait_records 5
settle_rsyslog
first4
want_record 27 myhost y 42 - e
assert_records
grep -Eqx '<27>1 [0-9T:.+-]+ myhost y 42 - - e' "$RS_RAW" ||
	fail "RFC 5424 message as received: $(cat "$RS_RAW")"

# Every session was opened and closed cleanly: rsyslogd says nothing
# about a broken session or a frame it could not parse.
if cat "$W/rsyslog.internal" "$W/rsyslog.err" 2>/dev/null |
	grep -Ei 'error|broken|invalid|framing'; then
	fail "rsyslogd complains (above)"
fi

# A server that refuses a message: the run ends with 76, naming the
# answer, and the state file does not pass the refused line.
need socat
refuse=$W/refuse.sh
cat >"$refuse" <<'EOF'
# a RELP server that takes the session and refuses the second message
read -r open; read -r software; read -r commands
data='200 OK
relp_version=0
commands=syslog'
printf '1 rsp %d %s\n' ${#data} "$data"
read -r first
printf '2 rsp 6 200 OK\n'
read -r second
printf '3 rsp 24 500 no room for this one\n'
sleep 1
EOF
port=$(random_port)
spawn socat "TCP4-LISTEN:$port,bind=127.0.0.1,reuseaddr,fork" "EXEC:sh $refuse"
wait_until 5 socat -u /dev/null "TCP4:127.0.0.1:$port" 2>/dev/null ||
	fail "cannot start the refusing server"
printf 'one\ntwo\nthree\n' >"$W/app.log"
t2s --relp -n "127.0.0.1:$port" --from-start --once --state "$W/state" "$W/app.log" \
	2>"$W/t2s.err"
rc=$?
[ $rc -eq 76 ] || fail "refused message: exit status $rc, not 76: $(cat "$W/t2s.err")"
grep -q "message refused: 500 no room for this one" "$W/t2s.err" ||
	fail "refusal not reported: $(cat "$W/t2s.err")"
[ "$(grep -c . "$W/t2s.err")" -eq 1 ] || fail "more than one report: $(cat "$W/t2s.err")"
[ "$(awk 'NR == 2 { print $3 }' "$W/state")" = 4 ] ||
	fail "the state file is not just past the one confirmed line: $(cat "$W/state")"

# Something that does not speak RELP: exit status 76, said once.
port2=$(random_port)
spawn socat "TCP4-LISTEN:$port2,bind=127.0.0.1,reuseaddr,fork" "SYSTEM:echo hello; sleep 1"
wait_until 5 socat -u /dev/null "TCP4:127.0.0.1:$port2" 2>/dev/null ||
	fail "cannot start the server that does not speak RELP"
printf 'x\n' | t2s --relp -n "127.0.0.1:$port2" 2>"$W/t2s.err"
rc=$?
[ $rc -eq 76 ] || fail "not RELP: exit status $rc, not 76: $(cat "$W/t2s.err")"
grep -qx "tail2syslog: 127.0.0.1 port $port2: not a RELP server: .*" "$W/t2s.err" ||
	fail "not RELP: $(cat "$W/t2s.err")"

# A plain syslog port (imtcp) takes the offer for a message and says
# nothing: one attempt, then 76, not an offer written to its log at every
# retry.
printf 'y\n' | T2S_TIMEOUT=40 t2s --relp -n "127.0.0.1:$RS_TCP" 2>"$W/t2s.err"
rc=$?
[ $rc -eq 76 ] || fail "imtcp: exit status $rc, not 76: $(cat "$W/t2s.err")"
grep -qx "tail2syslog: 127.0.0.1 port $RS_TCP: not a RELP server: no answer to open in 10 s" \
	"$W/t2s.err" || fail "imtcp: $(cat "$W/t2s.err")"

# A receiver stopped with TERM ends the session (serverclose) and is
# back: the next lines go to the new session.
: >"$W/follow.log"
"$T2S" -v --relp -n "127.0.0.1:$RS_RELP" -t f "$W/follow.log" 2>>"$W/follow.err" &
t2s_pid=$!
track $t2s_pid
until_following "$W/follow.log"
restart_rsyslog TERM
echo "after the restart" >>"$W/follow.log"
wait_until 10 has_msg "after the restart" || fail "no line after the receiver's restart"
grep -q "session with 127.0.0.1 port $RS_RELP: closed by the server" "$W/follow.err" ||
	fail "serverclose not seen: $(cat "$W/follow.err")"
kill $t2s_pid
wait $t2s_pid
rc=$?
[ $rc -eq 0 ] || fail "exit status $rc after TERM"

# --relp needs -n and takes no -d; the default port is 2514.
t2s --relp "$W/app.log" 2>"$W/usage.err"
[ $? -eq 64 ] || fail "--relp without -n accepted"
grep -q 'needs -n' "$W/usage.err" || fail "usage message: $(cat "$W/usage.err")"
t2s --relp -d -n 127.0.0.1 "$W/app.log" 2>/dev/null
[ $? -eq 64 ] || fail "--relp with -d accepted"
if ! ss -Hltn 'sport = :2514' 2>/dev/null | grep -q .; then
	printf 'x\n' | timeout 2 "$T2S" -v --relp -n 127.0.0.1 2>"$W/port.err"
	grep -q 'cannot open a session with 127.0.0.1 port 2514: Connection refused' \
		"$W/port.err" || fail "default port: $(head -n 3 "$W/port.err")"
fi
exit 0
