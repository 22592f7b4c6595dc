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
# start_rsyslog_relp starts the same receiver with an imrelp input too, on
# 127.0.0.1 port RS_RELP, configured to acknowledge only what it wrote: a
# Direct main queue and ruleset queue and a synchronous omfile
# (asyncWriting="off", flushed per message), so that a message imrelp has
# answered 200 is in the record file even if rsyslogd is then killed.
# start_rsyslog2_relp does so for the second receiver (RS2_RELP).
#
# A second receiver, for scenarios with two destinations: start_rsyslog2,
# stop_rsyslog2, resume_rsyslog2, restart_rsyslog2 and settle_rsyslog2 do for
# it what the functions without the 2 do for the first.  It has ports and
# files of its own (under $W/rs2): RS2_UDP, RS2_TCP, RS2_SOCK, RS2_OUT and
# RS2_RAW, as above.  Of the helpers that read records, has_msg,
# until_following and tally take the record file as an argument; the others
# read $RS_OUT.
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
#
# Two traps
#   - t2s() (and follow_tcp) run the binary under timeout(1), which passes
#     TERM, HUP and INT on but not KILL (that kills timeout alone), and dies
#     itself of USR1; either way tail2syslog goes on unsignalled and
#     untracked.  A process the test signals otherwise must run "$T2S"
#     directly, in the background, and be tracked: "$T2S" ... & track $!
#   - A stderr file that the test empties (: >t2s.err) while tail2syslog still
#     writes to it must be opened with 2>>: with 2> the next write lands at
#     the old offset, and the file starts with that many NUL bytes.

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
	if [ -s "$W/rs2/rsyslog.err" ]; then
		echo "rsyslogd 2 stderr:"
		tail -n 5 "$W/rs2/rsyslog.err"
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
	timeout --foreground "$T2S_TIMEOUT" "$T2S" "$@"
}

# need_nobody -- skip unless we run as root and user nobody exists: for
# scenarios whose attacker steps run as nobody; $W is made reachable (755)
need_nobody() {
	need setpriv
	[ "$(id -u)" = 0 ] || skip "needs root"
	id nobody >/dev/null 2>&1 || skip "no user nobody"
	chmod 755 "$W"
}

# as_nobody CMD... -- run CMD as user nobody, with its group and no other
as_nobody() {
	setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups "$@"
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

# gone PID -- true when no process PID runs (any more)
gone() {
	! kill -0 "$1" 2>/dev/null
}

# now_ms -- the time in milliseconds (whole seconds where date lacks %N)
now_ms() {
	case $(date +%N) in
	*N*) echo $(($(date +%s) * 1000)) ;;
	*) date +%s%N | sed 's/......$//' ;;
	esac
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

# new_records_are WHAT -- the MSG of each record after the first $got is,
# in order, a line of $W/want, and nothing else (else fail with WHAT,
# showing the difference); then got counts them too.  For scenarios that
# check, run after run, what each one sent.
new_records_are() {
	tail -n +$((got + 1)) "$RS_OUT" | cut -f 6- >"$W/got"
	if ! cmp -s "$W/want" "$W/got"; then
		echo "want $(wc -l <"$W/want") lines, got $(wc -l <"$W/got"):"
		diff "$W/want" "$W/got" | head -n 10
		fail "$1"
	fi
	got=$(count_records)
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

# has_msg MSG [RECORDS] -- true when a record in record file RECORDS
# (default $RS_OUT) has the MSG MSG
has_msg() {
	[ -f "${2:-$RS_OUT}" ] && cut -f 6- "${2:-$RS_OUT}" | grep -qxF -- "$1"
}

# until_following FILE [RECORDS] -- append "ready K" lines (K = 1..20) to
# FILE until one arrives in record file RECORDS (default $RS_OUT); then
# tail2syslog follows FILE (a line appended before it opened the file is
# skipped: an existing file is read from its end); fail otherwise
until_following() {
	_uf_k=0
	while [ $_uf_k -lt 20 ]; do
		_uf_k=$((_uf_k + 1))
		echo "ready $_uf_k" >>"$1"
		wait_until 0 grep -q '	ready ' "${2:-$RS_OUT}" && return 0
	done
	fail "tail2syslog does not follow $1"
}

# t2s_state ARGS... -- tail2syslog -T to the receiver, with -t app,
# --state $W/state and ARGS (options, then files), in the background;
# stderr appended to $W/t2s.err, pid $t2s_pid
t2s_state() {
	"$T2S" -T -n 127.0.0.1 -P "$RS_TCP" -t app --state "$W/state" "$@" 2>>"$W/t2s.err" &
	t2s_pid=$!
	track $t2s_pid
}

# need_writer -- skip the scenario where tests/tools/writer was not built
need_writer() {
	[ -x "$TOP/tests/tools/writer" ] ||
		skip "tests/tools/writer not built (make tests/tools/writer)${1:+; $1}"
}

# start_writer FILE RATE SECS MODE [ARG] -- tests/tools/writer appends
# numbered lines ("seq N ...") to FILE in the background, as its usage says;
# pid $writer_pid, its report in $W/writer.out
start_writer() {
	"$TOP/tests/tools/writer" "$@" >"$W/writer.out" 2>&1 &
	writer_pid=$!
	track $writer_pid
}

# writer_done N -- waits for the writer of start_writer, which must have
# written N lines
writer_done() {
	wait "$writer_pid" || fail "writer failed: $(cat "$W/writer.out")"
	grep -qx "written $1" "$W/writer.out" || fail "writer: $(cat "$W/writer.out")"
}

# line_range A B -- print "line A" .. "line B", one a line
line_range() {
	awk -v a="$1" -v b="$2" 'BEGIN { for (i = a; i <= b; i++) print "line " i }'
}

# count_msgs WORD -- how many records have a MSG that starts with "WORD "
count_msgs() {
	grep -c "	$1 " "$RS_OUT"
}

# msgs_beyond WORD N -- true when more than N records have a MSG that
# starts with "WORD "
msgs_beyond() {
	[ "$(count_msgs "$1")" -gt "$2" ]
}

# tally FILE WORD LO HI -- check the numbered lines in record file FILE (-:
# standard input), the records whose MSG is "WORD N ...", N all digits.
# Prints shell assignments for eval: missing (of LO..HI), dups (records of
# a number already seen), extra (records of a number outside LO..HI), ooo
# (out of order: a number below one that came before it), other (records
# not numbered lines), missing_list and dup_list (the first 10 of each)
tally() {
	cut -f 6- "$1" | awk -v w="$2" -v lo="$3" -v hi="$4" '
		$1 != w || $2 !~ /^[0-9]+$/ { other++; next }
		{ k = $2 + 0 }
		k < lo || k > hi { extra++ }
		seen[k]++ { dups++; next }
		k < max { ooo++ }
		k > max { max = k }
		END {
			for (i = lo; i <= hi; i++)
				if (!(i in seen)) {
					if (++missing <= 10)
						ml = ml " " i
				} else if (seen[i] > 1 && ++dl_n <= 10)
					dl = dl " " i
			printf "missing=%d dups=%d extra=%d ooo=%d other=%d", missing,
				dups, extra, ooo, other
			printf " missing_list=\"%s\" dup_list=\"%s\"\n", ml, dl
		}'
}

# none_missing FILE WORD LO HI -- tally (its variables set); true when
# none of LO..HI is missing
none_missing() {
	eval "$(tally "$@")"
	[ "$missing" -eq 0 ]
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
RS_RELP=
RS_HAVE_V6=1
if [ -r /proc/net/if_inet6 ] &&
	! grep -q '^00000000000000000000000000000001 ' /proc/net/if_inet6; then
	RS_HAVE_V6=0
fi
export RS_SOCK RS_OUT RS_RAW RS_HOSTNAME RS_UDP RS_TCP RS_RELP RS_HAVE_V6
_rs_pid=
_rs_gen=0
_rs_dir=$W
_rs_name=rsyslogd
_rs_relp=0  # 1: with the synchronous imrelp input (start_rsyslog_relp)

# The second receiver's state; _rs_swap exchanges it with the first's.
RS2_SOCK=$W/rs2/log.sock
RS2_OUT=$W/rs2/records
RS2_RAW=$W/rs2/rawmsgs
RS2_UDP=
RS2_TCP=
RS2_RELP=
export RS2_SOCK RS2_OUT RS2_RAW RS2_UDP RS2_TCP RS2_RELP
_rs2_pid=
_rs2_gen=0
_rs2_dir=$W/rs2
_rs2_name='rsyslogd 2'
_rs2_relp=0

# _rs_config -- write $_rs_dir/rsyslog.conf for the current RS_UDP and RS_TCP
_rs_config() {
	_v6=
	if [ "$RS_HAVE_V6" = 1 ]; then
		_v6="input(type=\"imudp\" address=\"::1\" port=\"$RS_UDP\" ruleset=\"rx\" rcvbufSize=\"8m\")
input(type=\"imtcp\" address=\"::1\" port=\"$RS_TCP\" ruleset=\"rx\")"
	fi
	_queue='main_queue(queue.workerThreads="1")'
	_rxq=
	_sync=
	_relp_in=
	if [ "$_rs_relp" = 1 ]; then
		# acknowledge only what was written: no queue, no write buffer
		_queue='main_queue(queue.type="Direct")
module(load="imrelp")'
		_rxq=' queue.type="Direct"'
		_sync=' asyncWriting="off" flushOnTXEnd="on"'
		_relp_in="input(type=\"imrelp\" address=\"127.0.0.1\" port=\"$RS_RELP\" ruleset=\"rx\")"
	fi
	mkdir -p "$_rs_dir/rsyslog.work"
	cat >"$_rs_dir/rsyslog.conf" <<EOF
# private receiver for one scenario; see tests/lib.sh
global(workDirectory="$_rs_dir/rsyslog.work" maxMessageSize="256k"
       localHostname="$RS_HOSTNAME" net.enableDNS="off"
       parser.escapeControlCharactersOnReceive="off")
$_queue
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

ruleset(name="rx"$_rxq) {
	if \$app-name == "t2s-probe" then {
		action(type="omfile" file="$_rs_dir/rsyslog.probes" template="record")
		stop
	}
	action(type="omfile" file="$RS_RAW" template="rawmsg"$_sync)
	if \$protocol-version == "0" then action(type="mmrm1stspace")
	action(type="omfile" file="$RS_OUT" template="record"$_sync)
}

input(type="imudp" address="127.0.0.1" port="$RS_UDP" ruleset="rx" rcvbufSize="8m")
input(type="imtcp" address="127.0.0.1" port="$RS_TCP" ruleset="rx")
$_relp_in
$_v6
# UseSpecialParser="off": the default fast parser mangles RFC 5424.
# ParseHostname="off": local messages carry no HOSTNAME (like logger -u).
# UsePIDFromSystem stays off, so PROCID comes from the message.
input(type="imuxsock" Socket="$RS_SOCK" ruleset="rx" UseSpecialParser="off"
      ParseHostname="off" RateLimit.Interval="0")

# rsyslogd's own messages
action(type="omfile" file="$_rs_dir/rsyslog.internal")
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
		if ! grep -q " $_rs_gen $_k\$" "$_rs_dir/rsyslog.probes" 2>/dev/null; then
			_rs_probe $_k
			_missing=1
		fi
	done
	[ $_missing = 0 ] && _rs_relp_listening
}

# _rs_relp_listening -- true when imrelp accepts on RS_RELP (or there is none)
_rs_relp_listening() {
	[ "$_rs_relp" = 1 ] || return 0
	if command -v ss >/dev/null 2>&1; then
		ss -Hltn "sport = :$RS_RELP" | grep -q .
	else
		socat -u /dev/null "TCP4:127.0.0.1:$RS_RELP" 2>/dev/null
	fi
}

# _rs_settled -- true when rsyslogd is ready ($_rs_state "ready") or cannot
# become so: it died or could not bind a port ($_rs_state "broken")
_rs_settled() {
	if _rs_ready; then
		_rs_state=ready
	elif ! kill -0 "$_rs_pid" 2>/dev/null ||
		grep -q 'Address already in use' "$_rs_dir/rsyslog.err"; then
		_rs_state=broken
	else
		return 1
	fi
}

# _rs_launch -- start rsyslogd on the current ports; true when every input
# answered within 10 s
_rs_launch() {
	_rs_gen=$((_rs_gen + 1))
	rm -f "$_rs_dir/rsyslog.pid"
	rsyslogd -n -f "$_rs_dir/rsyslog.conf" -i "$_rs_dir/rsyslog.pid" \
		</dev/null >>"$_rs_dir/rsyslog.err" 2>&1 &
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
		RS_RELP=$(random_port)
		[ "$RS_UDP" != "$RS_TCP" ] && [ "$RS_RELP" != "$RS_UDP" ] &&
			[ "$RS_RELP" != "$RS_TCP" ] || continue
		case " $RS2_UDP $RS2_TCP $RS2_RELP " in # the other receiver's, if stopped
		*" $RS_UDP "* | *" $RS_TCP "* | *" $RS_RELP "*) continue ;;
		esac
		_rs_config
		: >"$_rs_dir/rsyslog.err"
		if ! rsyslogd -N1 -f "$_rs_dir/rsyslog.conf" >"$_rs_dir/rsyslog.check" 2>&1; then
			[ "$_rs_relp" = 0 ] || ! grep -q imrelp "$_rs_dir/rsyslog.check" ||
				skip "rsyslog has no imrelp (Debian: rsyslog-relp)"
			cat "$_rs_dir/rsyslog.check"
			fail "$_rs_name rejects the generated config"
		fi
		_rs_launch && return 0
		echo "$_rs_name not ready on udp $RS_UDP tcp $RS_TCP, retrying:" \
			"$(grep -m 1 . "$_rs_dir/rsyslog.err")"
	done
	fail "cannot start $_rs_name"
}

# stop_rsyslog [SIG] -- stop the receiver with SIG (default TERM; KILL for a
# crash), wait until it is gone
stop_rsyslog() {
	_kill_wait "$_rs_pid" "${1:-TERM}" || fail "$_rs_name does not stop"
}

# resume_rsyslog -- start the stopped receiver again on the same ports;
# records are appended to the same files
resume_rsyslog() {
	_rs_launch || fail "$_rs_name does not come back on udp $RS_UDP tcp $RS_TCP"
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
	wait_until 10 _rs_ready || fail "$_rs_name does not answer probes"
}

# _rs_swap -- exchange the state of the first and the second receiver, so
# that the functions above act on the second
_rs_swap() {
	set -- RS_UDP RS2_UDP RS_TCP RS2_TCP RS_SOCK RS2_SOCK RS_OUT RS2_OUT \
		RS_RAW RS2_RAW _rs_pid _rs2_pid _rs_gen _rs2_gen _rs_dir _rs2_dir \
		_rs_name _rs2_name RS_RELP RS2_RELP _rs_relp _rs2_relp
	while [ $# -gt 0 ]; do
		eval "_sw=\$$1; $1=\$$2; $2=\$_sw"
		shift 2
	done
}

# _rs2 CMD... -- run CMD, a function above, on the second receiver
_rs2() {
	_rs_swap
	"$@"
	_rs2_rc=$?
	_rs_swap
	return $_rs2_rc
}

# start_rsyslog2 -- start the second receiver (see top): like start_rsyslog,
# on ports of its own, with its files under $W/rs2
start_rsyslog2() {
	mkdir -p "$_rs2_dir"
	_rs2 start_rsyslog
}

# start_rsyslog_relp -- start_rsyslog with the synchronous imrelp input on
# RS_RELP (see top); skipped where rsyslog has no imrelp
start_rsyslog_relp() {
	need rsyslogd
	_rs_relp=1
	start_rsyslog
}

# start_rsyslog2_relp -- start_rsyslog_relp for the second receiver
start_rsyslog2_relp() {
	mkdir -p "$_rs2_dir"
	_rs2 start_rsyslog_relp
}

# stop_rsyslog2 [SIG] -- stop_rsyslog for the second receiver
stop_rsyslog2() {
	_rs2 stop_rsyslog "$@"
}

# resume_rsyslog2 -- resume_rsyslog for the second receiver
resume_rsyslog2() {
	_rs2 resume_rsyslog
}

# restart_rsyslog2 [SIG] -- restart_rsyslog for the second receiver
restart_rsyslog2() {
	_rs2 restart_rsyslog "$@"
}

# settle_rsyslog2 -- settle_rsyslog for the second receiver
settle_rsyslog2() {
	_rs2 settle_rsyslog
}

# follow_tcp ARGS... -- tail2syslog -v over TCP to the receiver with ARGS,
# in the background under timeout(1) like t2s (so TERM, HUP or INT only:
# see the top), pid $t2s_pid, stderr in $W/t2s.err.  The last operand must name
# nothing yet: returns once tail2syslog says it waits for it (then it has
# opened or expanded the operands before it); fail after T2S_START_WAIT
# seconds (5)
follow_tcp() {
	for _ft_last; do :; done
	: >"$W/t2s.err"
	timeout --foreground "$T2S_TIMEOUT" "$T2S" -v -T -n 127.0.0.1 -P "$RS_TCP" "$@" \
		2>"$W/t2s.err" &
	t2s_pid=$!
	track $t2s_pid
	wait_until "${T2S_START_WAIT:-5}" \
		grep -qxF "tail2syslog: $_ft_last: No such file or directory, waiting" \
		"$W/t2s.err" || fail "tail2syslog does not start ($*)"
}

# stop_follow -- TERM the tail2syslog of follow_tcp, which must exit 0;
# then settle_rsyslog
stop_follow() {
	kill "$t2s_pid"
	wait "$t2s_pid"
	rc=$?
	[ $rc -eq 0 ] || fail "exit status $rc after TERM"
	settle_rsyslog
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
