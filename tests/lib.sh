# lib.sh -- helpers sourced by every integration scenario tests/t_*.sh
#
# A scenario is one /bin/sh script: it sources this file, starts what it
# needs, runs $T2S, checks, and exits 0 (pass), 77 (skip) or other (fail).
# Everything it starts lives in its own work directory $W and is killed, by
# pid, when the script exits for whatever reason.
#
# Environment
#   T2S          the binary under test (default: ./tail2syslog at the repo
#                root); made absolute here
#   T2S_TIMEOUT  seconds one run of the binary may take (default 30)
#   T2S_KEEP     when set, keep $W after the scenario (for debugging)
#
# The receiver: start_rsyslog runs a private rsyslogd (private config, never
# /etc/rsyslog.conf, never /dev/log) and exports
#   RS_UDP   imudp port on 127.0.0.1 and ::1
#   RS_TCP   imtcp port on 127.0.0.1 and ::1 (LF and octet-counted framing;
#            imtcp detects octet counting by itself)
#   RS_SOCK  imuxsock datagram socket $W/log.sock
#   RS_OUT   the record file, one line per received message (below)
#   RS_RAW   the same messages as rsyslog received them (%rawmsg%), one a line
#   RS_HOSTNAME  the hostname rsyslog gives to messages that carry none
#                (everything received on RS_SOCK in RFC 3164 form)
#   RS_HAVE_V6   1 when ::1 is usable, else 0 (the v6 inputs are left out)
#
# Record file $RS_OUT, one line per message, fields separated by one TAB:
#   1 PRI  2 HOSTNAME  3 APP-NAME  4 PROCID  5 MSGID  6 MSG
# e.g. "156<TAB>vm<TAB>x<TAB>-<TAB>-<TAB>a". MSG is last because it may hold
# TABs (cut -f6- keeps them). MSG equals the body that was sent, byte for
# byte, with rsyslog's own control character escaping turned off:
#   - RFC 3164: rsyslog's %msg% keeps the space that follows "TAG:" (it
#     starts at the character after the TAG token); mmrm1stspace removes that
#     one space for protocol-version 0, so "x:  b" is recorded as " b".
#   - RFC 5424: %msg% starts after the single SP that follows STRUCTURED-DATA;
#     recorded as is.
#   - rsyslog always turns a NUL inside a message into "#000" and drops one
#     trailing NUL and one trailing LF (UDP), whatever the escaping setting;
#     a CR, ESC, DEL, TAB and bytes >= 0x80 reach the record untouched.
#   - A message with no timestamp (--raw "<PRI>line") is parsed as RFC 3164
#     without TIMESTAMP: rsyslog takes the first word as HOSTNAME and the
#     next as TAG; compare such messages on $RS_RAW.
#   - Messages longer than maxMessageSize (256k here): imtcp truncates and
#     processes the cut-off rest as a new message; imuxsock truncates.

set -u
LC_ALL=C
export LC_ALL

TOP=$(cd "$(dirname "$0")/.." && pwd)
T2S=${T2S:-$TOP/tail2syslog}
case $T2S in
/*) ;;
*) T2S=$(pwd)/$T2S ;;
esac
T2S_TIMEOUT=${T2S_TIMEOUT:-30}
export T2S TOP

W=$(mktemp -d "${TMPDIR:-/tmp}/t2s.XXXXXX") || exit 1
_pids=

# track PID -- kill PID (TERM, then KILL) when the scenario exits
track() {
	_pids="$_pids $1"
}

# spawn CMD... -- run CMD in the background, tracked; its pid is in $!.
# A redirection written after a spawn call applies to the calling shell;
# for those write "CMD <in & track $!".
spawn() {
	"$@" &
	track $!
}

# _kill_wait PID SIG -- send SIG and wait at most 5 s for PID to be gone
_kill_wait() {
	kill -"$2" "$1" 2>/dev/null || return 0
	_kw_i=0
	while kill -0 "$1" 2>/dev/null && [ $_kw_i -lt 100 ]; do
		sleep 0.05
		_kw_i=$((_kw_i + 1))
	done
	! kill -0 "$1" 2>/dev/null
}

_cleanup() {
	_rc=$?
	trap - EXIT HUP INT TERM
	for _p in $_pids; do
		_kill_wait "$_p" TERM || _kill_wait "$_p" KILL
	done
	if [ -n "${T2S_KEEP:-}" ]; then
		echo "kept $W" >&2
	else
		rm -rf "$W"
	fi
	exit $_rc
}
trap _cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

cd "$W" || exit 1

# fail MSG -- report MSG as the last line and end the scenario as failed
fail() {
	if [ -s "$W/rsyslog.err" ]; then
		echo "rsyslogd stderr:"
		tail -n 5 "$W/rsyslog.err"
	fi
	printf 'FAIL: %s\n' "$*"
	exit 1
}

# skip MSG -- end the scenario as skipped; run.sh prints MSG
skip() {
	printf 'skip: %s\n' "$*"
	exit 77
}

# need CMD... -- skip unless every CMD is installed
need() {
	for _n; do
		command -v "$_n" >/dev/null 2>&1 || skip "$_n not installed"
	done
}

# t2s ARGS... -- run the binary under test, bounded by $T2S_TIMEOUT
t2s() {
	timeout "$T2S_TIMEOUT" "$T2S" "$@"
}

# wait_until SECONDS CMD... -- run CMD every 0.05 s until it succeeds;
# return 1 when it still fails after SECONDS (whole seconds)
wait_until() {
	_wu_end=$(($(date +%s) + $1 + 1))
	shift
	while :; do
		"$@" && return 0
		[ "$(date +%s)" -lt "$_wu_end" ] || break
		sleep 0.05
	done
	"$@"
}

# _show NAME FILE -- print FILE for a failure report, od -c when it is binary
_show() {
	echo "$1 ($(wc -c <"$2" | tr -d ' ') bytes):"
	if [ "$(tr -d '[:print:]\t\n' <"$2" | wc -c)" -gt 0 ]; then
		head -c 512 "$2" | od -c | head -n 16
	else
		head -n 10 "$2" | cut -c 1-200 | sed 's/^/  |/'
	fi
}

# assert_eq EXPECTED ACTUAL WHAT -- fail unless both are the same bytes
assert_eq() {
	[ "$1" = "$2" ] && return 0
	printf '%s\n' "$1" >"$W/expected"
	printf '%s\n' "$2" >"$W/actual"
	_show expected "$W/expected"
	_show actual "$W/actual"
	cmp "$W/expected" "$W/actual"
	fail "$3"
}

# assert_file_eq EXPECTED_FILE ACTUAL_FILE WHAT -- fail unless same bytes
assert_file_eq() {
	cmp -s "$1" "$2" && return 0
	_show expected "$1"
	_show actual "$2"
	cmp "$1" "$2"
	fail "$3"
}

# has_bytes FILE N -- true when FILE holds at least N bytes
has_bytes() {
	[ -f "$1" ] && [ "$(wc -c <"$1")" -ge "$2" ]
}

# mask_3164_time -- replace every RFC 3164 TIMESTAMP after a <PRI> by the
# stand-in "Mmm dd hh:mm:ss" of the same length (filter)
mask_3164_time() {
	sed 's/\(<[0-9]*>\)[A-Z][a-z][a-z] [ 123][0-9] [0-2][0-9]:[0-5][0-9]:[0-5][0-9] /\1Mmm dd hh:mm:ss /g'
}

# want_record PRI HOSTNAME APP-NAME PROCID MSGID MSG -- add one record to
# those assert_records expects
want_record() {
	printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$W/want.records"
}

# assert_records -- compare the record file with the want_record lines,
# field by field so that a failure names the field; then forget them.
# (Expected values come from a file, not a pipe: a pipeline's last command
# runs in a subshell, where fail could not end the scenario.)
assert_records() {
	touch "$W/want.records"
	assert_eq "$(wc -l <"$W/want.records" | tr -d ' ')" "$(count_records)" \
		"record count"
	for _f in 1 2 3 4 5 6; do
		set -- PRI HOSTNAME APP-NAME PROCID MSGID MSG
		shift $((_f - 1))
		if [ $_f = 6 ]; then
			_want=$(cut -f 6- "$W/want.records")
		else
			_want=$(cut -f $_f "$W/want.records")
		fi
		assert_eq "$_want" "$(records_field $_f)" "record field $1"
	done
	rm -f "$W/want.records"
}

# want_raw LINE -- add one message to those assert_raw expects
want_raw() {
	printf '%s\n' "$1" >>"$W/want.raw"
}

# assert_raw -- compare $RS_RAW, RFC 3164 timestamps masked (see
# mask_3164_time), with the want_raw lines; then forget them
assert_raw() {
	touch "$W/want.raw"
	mask_3164_time <"$RS_RAW" >"$W/got.raw"
	assert_file_eq "$W/want.raw" "$W/got.raw" "messages as received (rawmsg)"
	rm -f "$W/want.raw"
}

# count_records -- number of messages received so far
count_records() {
	if [ -f "$RS_OUT" ]; then
		wc -l <"$RS_OUT" | tr -d ' '
	else
		echo 0
	fi
}

# has_records N -- true when at least N messages were received
has_records() {
	[ "$(count_records)" -ge "$1" ]
}

# records_field N -- field N (1..6, see above) of every record, one a line
records_field() {
	[ -f "$RS_OUT" ] || return 0
	if [ "$1" -ge 6 ]; then
		cut -f 6- "$RS_OUT"
	else
		cut -f "$1" "$RS_OUT"
	fi
}

# record_field I N -- field N of record I (1-based)
record_field() {
	sed -n "${1}p" "$RS_OUT" | if [ "$2" -ge 6 ]; then
		cut -f 6-
	else
		cut -f "$2"
	fi
}

# wait_records N [SECONDS] -- wait until N records arrived, fail otherwise
wait_records() {
	wait_until "${2:-10}" has_records "$1" ||
		fail "expected $1 records, got $(count_records)"
}

# random_port -- a port in 20000..32767 that no socket on this host uses;
# below the ephemeral ranges of Linux (32768-60999) and the BSDs (49152-)
random_port() {
	for _rp_try in 1 2 3 4 5 6 7 8 9 10; do
		_rp=$(($(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 12768 + 20000))
		command -v ss >/dev/null 2>&1 || break
		ss -Htuan | awk '{print $5}' | grep -q ":$_rp\$" || break
	done
	echo $_rp
}

# HOST_SHORT: what a client puts in an RFC 3164 HOSTNAME (like logger(1),
# the host name up to its first dot)
HOST_SHORT=$(uname -n | sed 's/\..*//')
export HOST_SHORT

RS_SOCK=$W/log.sock
RS_OUT=$W/records
RS_RAW=$W/rawmsgs
RS_HOSTNAME=rs-local
RS_UDP=
RS_TCP=
RS_HAVE_V6=1
if [ -r /proc/net/if_inet6 ] &&
	! grep -q '^00000000000000000000000000000001 ' /proc/net/if_inet6; then
	RS_HAVE_V6=0
fi
export RS_SOCK RS_OUT RS_RAW RS_HOSTNAME RS_UDP RS_TCP RS_HAVE_V6
_rs_pid=
_rs_gen=0

# _rs_config -- write $W/rsyslog.conf for the current RS_UDP and RS_TCP
_rs_config() {
	_v6=
	if [ "$RS_HAVE_V6" = 1 ]; then
		_v6="input(type=\"imudp\" address=\"::1\" port=\"$RS_UDP\" ruleset=\"rx\" rcvbufSize=\"8m\")
input(type=\"imtcp\" address=\"::1\" port=\"$RS_TCP\" ruleset=\"rx\")"
	fi
	mkdir -p "$W/rsyslog.work"
	cat >"$W/rsyslog.conf" <<EOF
# private receiver for one scenario; see tests/lib.sh
global(workDirectory="$W/rsyslog.work" maxMessageSize="256k"
       localHostname="$RS_HOSTNAME" net.enableDNS="off"
       parser.escapeControlCharactersOnReceive="off")
main_queue(queue.workerThreads="1")
module(load="imuxsock" SysSock.Use="off")
module(load="imudp")
module(load="imtcp")
module(load="mmrm1stspace")

template(name="record" type="list") {
	property(name="pri") constant(value="\t")
	property(name="hostname") constant(value="\t")
	property(name="app-name") constant(value="\t")
	property(name="procid") constant(value="\t")
	property(name="msgid") constant(value="\t")
	property(name="msg") constant(value="\n")
}
template(name="rawmsg" type="list") {
	property(name="rawmsg") constant(value="\n")
}

ruleset(name="rx") {
	if \$app-name == "t2s-probe" then {
		action(type="omfile" file="$W/rsyslog.probes" template="record")
		stop
	}
	action(type="omfile" file="$RS_RAW" template="rawmsg")
	if \$protocol-version == "0" then action(type="mmrm1stspace")
	action(type="omfile" file="$RS_OUT" template="record")
}

input(type="imudp" address="127.0.0.1" port="$RS_UDP" ruleset="rx" rcvbufSize="8m")
input(type="imtcp" address="127.0.0.1" port="$RS_TCP" ruleset="rx")
$_v6
# UseSpecialParser="off": the default fast parser mangles RFC 5424.
# ParseHostname="off": local messages carry no HOSTNAME (like logger -u).
# UsePIDFromSystem stays off, so PROCID comes from the message.
input(type="imuxsock" Socket="$RS_SOCK" ruleset="rx" UseSpecialParser="off"
      ParseHostname="off" RateLimit.Interval="0")

# rsyslogd's own messages
action(type="omfile" file="$W/rsyslog.internal")
EOF
}

# _rs_probe KIND -- send one probe message of the current generation
_rs_probe() {
	_m="<13>Jan  1 00:00:00 probe t2s-probe: $_rs_gen $1"
	case $1 in
	udp4) printf '%s' "$_m" | socat -u - "UDP4-SENDTO:127.0.0.1:$RS_UDP" ;;
	udp6) printf '%s' "$_m" | socat -u - "UDP6-SENDTO:[::1]:$RS_UDP" ;;
	tcp4) printf '%s\n' "$_m" | socat -u - "TCP4:127.0.0.1:$RS_TCP" ;;
	tcp6) printf '%s\n' "$_m" | socat -u - "TCP6:[::1]:$RS_TCP" ;;
	unix) printf '<13>Jan  1 00:00:00 t2s-probe: %s unix' "$_rs_gen" |
		socat -u - "UNIX-SENDTO:$RS_SOCK" ;;
	esac 2>/dev/null
}

# _rs_ready -- true when a probe of this generation came back from every
# input; sends probes for the inputs not seen yet
_rs_ready() {
	_missing=0
	for _k in udp4 tcp4 unix $(
		[ "$RS_HAVE_V6" = 0 ] || echo udp6 tcp6
	); do
		# probes skip mmrm1stspace: their MSG is " GEN KIND"
		if ! grep -q " $_rs_gen $_k\$" "$W/rsyslog.probes" 2>/dev/null; then
			_rs_probe $_k
			_missing=1
		fi
	done
	[ $_missing = 0 ]
}

# _rs_settled -- true when rsyslogd is ready ($_rs_state "ready") or cannot
# become so: it died or could not bind a port ($_rs_state "broken")
_rs_settled() {
	if _rs_ready; then
		_rs_state=ready
	elif ! kill -0 "$_rs_pid" 2>/dev/null ||
		grep -q 'Address already in use' "$W/rsyslog.err"; then
		_rs_state=broken
	else
		return 1
	fi
}

# _rs_launch -- start rsyslogd on the current ports; true when every input
# answered within 10 s
_rs_launch() {
	_rs_gen=$((_rs_gen + 1))
	rm -f "$W/rsyslog.pid"
	rsyslogd -n -f "$W/rsyslog.conf" -i "$W/rsyslog.pid" \
		</dev/null >>"$W/rsyslog.err" 2>&1 &
	_rs_pid=$!
	track $_rs_pid
	_rs_state=
	wait_until 10 _rs_settled && [ "$_rs_state" = ready ] && return 0
	_kill_wait "$_rs_pid" TERM || _kill_wait "$_rs_pid" KILL
	return 1
}

# start_rsyslog -- start the private receiver (see top); retries with fresh
# ports when one turns out to be taken
start_rsyslog() {
	need rsyslogd socat
	: >"$RS_OUT"
	: >"$RS_RAW"
	for _try in 1 2 3 4 5; do
		RS_UDP=$(random_port)
		RS_TCP=$(random_port)
		[ "$RS_UDP" != "$RS_TCP" ] || continue
		_rs_config
		: >"$W/rsyslog.err"
		if ! rsyslogd -N1 -f "$W/rsyslog.conf" >"$W/rsyslog.check" 2>&1; then
			cat "$W/rsyslog.check"
			fail "rsyslogd rejects the generated config"
		fi
		_rs_launch && return 0
		echo "rsyslogd not ready on udp $RS_UDP tcp $RS_TCP, retrying:" \
			"$(grep -m 1 . "$W/rsyslog.err")"
	done
	fail "cannot start rsyslogd"
}

# stop_rsyslog [SIG] -- stop the receiver with SIG (default TERM; KILL for a
# crash), wait until it is gone
stop_rsyslog() {
	_kill_wait "$_rs_pid" "${1:-TERM}" || fail "rsyslogd does not stop"
}

# resume_rsyslog -- start the stopped receiver again on the same ports;
# records are appended to the same files
resume_rsyslog() {
	_rs_launch || fail "rsyslogd does not come back on udp $RS_UDP tcp $RS_TCP"
}

# restart_rsyslog [SIG] -- stop_rsyslog SIG, then resume_rsyslog
restart_rsyslog() {
	stop_rsyslog "${1:-TERM}"
	resume_rsyslog
}

# settle_rsyslog -- wait until a probe sent now through every input came
# back; everything sent before has then been recorded (one worker, in order)
settle_rsyslog() {
	_rs_gen=$((_rs_gen + 1))
	wait_until 10 _rs_ready || fail "rsyslogd does not answer probes"
}

# start_tcp_sink -- a TCP listener on 127.0.0.1:$SINK_PORT that appends every
# byte it receives to $SINK_OUT, to check framing on the wire
start_tcp_sink() {
	need socat
	SINK_OUT=$W/sink.out
	: >"$SINK_OUT"
	for _try in 1 2 3 4 5; do
		SINK_PORT=$(random_port)
		spawn socat -u "TCP4-LISTEN:$SINK_PORT,bind=127.0.0.1,reuseaddr,fork" \
			"OPEN:$SINK_OUT,append"
		if wait_until 5 socat -u /dev/null "TCP4:127.0.0.1:$SINK_PORT" \
			2>/dev/null; then
			return 0
		fi
	done
	fail "cannot start the TCP sink"
}

[ -x "$T2S" ] || fail "no binary at $T2S (run make first)"
