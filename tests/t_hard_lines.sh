#!/bin/sh
# t_hard_lines -- hostile lines (issue 6, item 3), through a real rsyslogd:
# every line yields exactly the records the manual documents (control bytes
# 0x00-0x1f except TAB, and 0x7f, as "#" and three octal digits; a CR
# before the LF dropped; bytes >= 0x80 as they are; a long line in pieces of
# at most -S bytes, never cut inside a UTF-8 sequence), and every record
# carries our PRI, HOSTNAME and TAG: no line can forge a record.
#   1. NUL, invalid UTF-8, lone CR, CRLF, ESC sequences, a line that looks
#      like a syslog header, one that looks like an RFC 6587 frame: over TCP
#      with LF framing, over TCP with --octet-count, over TCP in RFC 5424
#      form, and followed from a file over UDP
#   2. a file of only newlines, with and without --skip-empty
#   3. 10 MB of /dev/urandom with -S 512: the records are compared, byte for
#      byte, with what an independent awk model of the rules predicts; and
#      300 kB of it with -S 4, 5 and 7 through --stdout --raw
#   4. a 100 MB line with no newline, followed from a file, streams through
#      a TCP sink in pieces of 2730 whole "€" (8190 bytes) while the peak
#      RSS (VmHWM) stays under 16 MiB
. "$(dirname "$0")/lib.sh"
start_rsyslog
H=hard-host

# sanitized -- true when $T2S is a sanitizer build, whose runtime has a
# memory use of its own: the absolute bounds do not apply to it
sanitized() {
	command -v ldd >/dev/null 2>&1 && ldd "$T2S" 2>/dev/null | grep -q 'lib[a-z]*san\.so'
}

# vm PID FIELD -- FIELD (VmRSS, VmHWM) of /proc/PID/status, in kB
vm() {
	sed -n "s/^$2:[^0-9]*\([0-9]*\) kB\$/\1/p" "/proc/$1/status" 2>/dev/null
}

# stop PID WHAT -- TERM: gone within 3 s, exit status 0
stop() {
	kill "$1" 2>/dev/null
	_st_t0=$(date +%s)
	wait "$1"
	_st_rc=$?
	[ $(($(date +%s) - _st_t0)) -le 3 ] || fail "$2: TERM took over 3 s"
	[ $_st_rc -eq 0 ] || fail "$2: exit status $_st_rc after TERM"
}

# check_headers WHAT PRI TAG -- every record has PRI, HOSTNAME $H, TAG and
# no PROCID or MSGID
check_headers() {
	_bad=$(cut -f 1-5 "$RS_OUT" | grep -cvxF "$(printf '%s\t%s\t%s\t-\t-' "$2" "$H" "$3")")
	[ "$_bad" -eq 0 ] || {
		cut -f 1-5 "$RS_OUT" | sort | uniq -c | sort -rn | head -n 5
		fail "$1: $_bad records with another PRI, HOSTNAME or TAG"
	}
}

# check_raw WHAT PRI TAG -- rsyslogd received as many messages as it
# recorded, each starting with our RFC 3164 header
check_raw() {
	assert_eq "$(count_records)" "$(wc -l <"$RS_RAW" | tr -d ' ')" \
		"$1: raw messages"
	_bad=$(grep -cv "^<$2>[A-Z][a-z][a-z] [ 123][0-9] [0-2][0-9]:[0-5][0-9]:[0-5][0-9] $H $3: " \
		"$RS_RAW")
	[ "$_bad" -eq 0 ] || fail "$1: $_bad messages without our header"
}

# reset_records -- forget what the receiver recorded so far
reset_records() {
	settle_rsyslog
	: >"$RS_OUT"
	: >"$RS_RAW"
}

# --- 1. hostile lines -------------------------------------------------------

# add IN MSG -- one line (printf format, its LF added) and its MSG
# shellcheck disable=SC2059
add() {
	printf "$1\n" >>hostile.in
	printf "$2\n" >>hostile.want
}
: >hostile.in
: >hostile.want
add 'nul\000mid\000text after the NUL' 'nul#000mid#000text after the NUL'
add '\000leading nul' '#000leading nul'
add 'trailing nul\000' 'trailing nul#000'
add '\000\000\000' '#000#000#000'
# Invalid UTF-8 passes as it is: an overlong "/", a surrogate, a 5-byte
# form, a lone continuation byte, a sequence cut by the end of the line.
add 'overlong \300\257 slash' 'overlong \300\257 slash'
add 'surrogate \355\240\200' 'surrogate \355\240\200'
add 'five \370\210\200\200\200 bytes' 'five \370\210\200\200\200 bytes'
add 'lone \200 \277 continuation' 'lone \200 \277 continuation'
add '\376\377 not utf-8 at all \377' '\376\377 not utf-8 at all \377'
add 'cut at the end \342\202' 'cut at the end \342\202'
# C1 controls and a bidi override are valid UTF-8, not escaped.
add 'c1 \302\205 rlo \342\200\256 end' 'c1 \302\205 rlo \342\200\256 end'
add 'lone\rcr' 'lone#015cr'
add '\rcr first' '#015cr first'
add 'crlf\r' 'crlf'
add 'cr cr lf\r\r' 'cr cr lf#015'
add '\r' ''
add 'esc \033[31mred\033[0m \033[2J\033[H\033c' \
	'esc #033[31mred#033[0m #033[2J#033[H#033c'
add 'osc \033]0;title\007 bell' 'osc #033]0;title#007 bell'
add 'bs\b\b\bover del\177 vt\v ff\f' 'bs#010#010#010over del#177 vt#013 ff#014'
add 'tab\tkept\t' 'tab\tkept\t'
add '<0>Jan  1 00:00:00 host evil: x' '<0>Jan  1 00:00:00 host evil: x'
add '<0>1 2026-01-01T00:00:00Z host evil - - - x' \
	'<0>1 2026-01-01T00:00:00Z host evil - - - x'
add '12 <0>1 - - -' '12 <0>1 - - -'
add 'first\n<0>Jan  1 00:00:00 host evil: second' \
	'first\n<0>Jan  1 00:00:00 host evil: second'
add '5 <0>x\n3 <1>' '5 <0>x\n3 <1>'
add '\001\002\003\004\005\006\016\017\020\021\022\023\024\025\026\027' \
	'#001#002#003#004#005#006#016#017#020#021#022#023#024#025#026#027'
add '\030\031\032\034\035\036\037' '#030#031#032#034#035#036#037'
n=$(wc -l <hostile.want | tr -d ' ')

# hostile_check WHAT -- the records are the expected MSGs, one each, in
# order, with our header
hostile_check() {
	wait_records "$n"
	settle_rsyslog
	check_headers "$1" 156 hostile
	check_raw "$1" 156 hostile
	cut -f 6- "$RS_OUT" >hostile.got
	assert_file_eq hostile.want hostile.got "$1: MSG of every line"
	reset_records
}

t2s -T -n 127.0.0.1 -P "$RS_TCP" --hostname $H -t hostile -p local3.warning \
	<hostile.in || fail "TCP: exit status $?"
hostile_check "TCP, LF framing"

t2s -T --octet-count -n 127.0.0.1 -P "$RS_TCP" --hostname $H -t hostile \
	-p local3.warning <hostile.in || fail "TCP octet: exit status $?"
hostile_check "TCP, octet counting"

t2s -T --rfc5424 -n 127.0.0.1 -P "$RS_TCP" --hostname $H -t hostile \
	-p local3.warning <hostile.in || fail "TCP RFC 5424: exit status $?"
wait_records "$n"
settle_rsyslog
check_headers "RFC 5424" 156 hostile
assert_eq "$n" "$(grep -c "^<156>1 [0-9T:.+-]* $H hostile - - - " "$RS_RAW")" \
	"RFC 5424: messages with our header"
cut -f 6- "$RS_OUT" >hostile.got
assert_file_eq hostile.want hostile.got "RFC 5424: MSG of every line"
reset_records

# Followed from a file, written after the start, over UDP.
: >hostile.log
: >follow.err
"$T2S" -v -n 127.0.0.1 -P "$RS_UDP" --hostname $H -t hostile \
	-p local3.warning --from-start hostile.log 2>follow.err &
pid=$!
track $pid
cat hostile.in >>hostile.log
hostile_check "UDP, followed file"
stop $pid "followed file"

# --- 2. a file of only newlines ---------------------------------------------

awk 'BEGIN { for (i = 0; i < 500; i++) print ""; for (i = 0; i < 20; i++) printf "\r\n" }' \
	>newlines
t2s -T -n 127.0.0.1 -P "$RS_TCP" --hostname $H -t nl <newlines ||
	fail "newlines: exit status $?"
wait_records 520
settle_rsyslog
check_headers "newlines" 13 nl
assert_eq 520 "$(count_records)" "newlines: one record per line"
assert_eq 0 "$(cut -f 6- "$RS_OUT" | grep -c .)" "newlines: every MSG empty"
reset_records

printf 'last\n' >>newlines
t2s -T -e -n 127.0.0.1 -P "$RS_TCP" --hostname $H -t nl <newlines ||
	fail "newlines -e: exit status $?"
wait_records 1
settle_rsyslog
assert_eq "$(printf '13\t%s\tnl\t-\t-\tlast' $H)" "$(cat "$RS_OUT")" \
	"newlines with --skip-empty: only the last line"
reset_records

# --- 3. 10 MB of /dev/urandom -----------------------------------------------

# model SIZE FILE -- the MSGs that the rules of the manual give for FILE as
# standard input, read to its end, with -S SIZE: lines end at LF, a CR just
# before the LF is dropped, an unterminated last line is sent as it is;
# control bytes escaped; pieces of at most SIZE escaped bytes, never cut
# between a UTF-8 lead byte and the continuation bytes it announces (C2-DF:
# 1, E0-EF: 2, F0-F7: 3).
model() {
	od -An -v -tu1 "$2" | awk -v max="$1" '
function ulen(c) {
	return c >= 240 && c <= 247 ? 4 : c >= 224 && c <= 239 ? 3 : c >= 194 && c <= 223 ? 2 : 1
}
function emit(end,   start, i, j, out, s, k) {
	if (end > 0 && b[end] == 13 && terminated)
		end--
	start = 1
	for (;;) {
		out = 0
		for (i = start; i <= end && out + w[b[i]] <= max; i++)
			out += w[b[i]]
		if (i <= end && b[i] >= 128 && b[i] < 192) {
			for (j = i; j > start && i - j < 3 && b[j - 1] >= 128 && b[j - 1] < 192; j--)
				;
			if (j > start && ulen(b[j - 1]) > i - (j - 1) && j - 1 > start)
				i = j - 1
		}
		s = ""
		for (k = start; k < i; k++)
			s = s e[b[k]]
		print s
		if (i > end)
			break
		start = i
	}
}
BEGIN {
	for (c = 0; c < 256; c++) {
		if ((c < 32 && c != 9) || c == 127) {
			e[c] = sprintf("#%03o", c)
			w[c] = 4
		} else {
			e[c] = sprintf("%c", c)
			w[c] = 1
		}
	}
}
{
	for (f = 1; f <= NF; f++) {
		c = $f + 0
		if (c == 10) {
			terminated = 1
			emit(len)
			len = 0
		} else
			b[++len] = c
	}
}
END {
	terminated = 0
	if (len > 0)
		emit(len)
}'
}

size=512
head -c 10485760 /dev/urandom >random.in
model $size random.in >random.want
want_n=$(wc -l <random.want | tr -d ' ')
lines=$(tr -cd '\n' <random.in | wc -c | tr -d ' ')
echo "urandom: $lines newlines, $want_n records expected"
[ "$want_n" -gt "$lines" ] || fail "urandom: the model splits no line (-S $size)"

t2s -T -S $size -n 127.0.0.1 -P "$RS_TCP" --hostname $H -t rnd -p local7.debug \
	<random.in || fail "urandom: exit status $?"
wait_records "$want_n" 60
settle_rsyslog
check_headers "urandom" 191 rnd
check_raw "urandom" 191 rnd
assert_eq "$want_n" "$(count_records)" "urandom: record count"
cut -f 6- "$RS_OUT" >random.got
assert_file_eq random.want random.got "urandom: MSGs as the rules predict"
reset_records

# The smallest sizes, where an escape or a UTF-8 sequence fills a piece:
# 300 kB of it through --stdout --raw, against the same model.
head -c 300000 random.in >small.in
for s in 4 5 7; do
	model $s small.in >small.want
	t2s --stdout --raw -p 13 -S $s <small.in >small.out || fail "-S $s: exit status $?"
	grep -v '^<13>' small.out | head -n 3 | grep . && fail "-S $s: a message without <13>"
	sed 's/^<13>//' small.out >small.got
	assert_file_eq small.want small.got "urandom, -S $s: messages as the rules predict"
done

# --- 4. a 100 MB line with no newline ---------------------------------------

# 34,952,533 "€" (3 bytes each): pieces of at most 8192 bytes hold 2730 of
# them (8190 bytes), never a cut one.
chars=34952533 per=2730
yes '€' | tr -d '\n' | head -c $((chars * 3)) >big.log
assert_eq $((chars * 3)) "$(wc -c <big.log | tr -d ' ')" "100 MB line: its size"
pieces=$(((chars + per - 1) / per))
last=$(((chars - (pieces - 1) * per) * 3))

start_tcp_sink_check() {
	for _try in 1 2 3 4 5; do
		sink_port=$(random_port)
		socat -u "TCP4-LISTEN:$sink_port,bind=127.0.0.1,reuseaddr" STDOUT 2>sink.err |
			awk -v full=$((per * 3)) -v last=$last -v H=$H '
			{
				hdr = "^<13>[A-Z][a-z][a-z] [ 123][0-9] [0-2][0-9]:[0-5][0-9]:[0-5][0-9] " H " big: "
				if (!match($0, hdr)) { bad++; next }
				body = substr($0, RLENGTH + 1)
				n = length(body)
				bytes += n
				if (n != full) { short++; lastlen = n }
				if (substr(body, 1, 3) != "€" || substr(body, n - 2) != "€")
					cut++
				if (NR % 97 == 1 && gsub(/€/, "", body) * 3 != n)
					cut++
			}
			END { printf "records %d bad %d short %d last %d cut %d bytes %d\n",
				NR, bad, short, lastlen, cut, bytes }' >sink.summary &
		sink_pid=$!
		track $sink_pid
		wait_until 5 sh -c "ss -Htln | grep -q ':$sink_port '" && return 0
		kill $sink_pid 2>/dev/null
	done
	fail "cannot start the TCP sink"
}
need ss
start_tcp_sink_check

: >big.err
"$T2S" -T -n 127.0.0.1 -P "$sink_port" --hostname $H -t big --from-start \
	--partial-timeout 1 big.log 2>big.err &
pid=$!
track $pid
t0=$(date +%s)
# Its signal handlers are in place once it sends: SIGUSR1 from then on.
wait_until 30 sh -c "ss -Htn state established '( dport = :$sink_port )' | grep -q ." ||
	fail "100 MB line: tail2syslog does not connect; $(tail -n 3 big.err)"
peak=0
# sent -- true once every piece has gone, the short last one included
sent() {
	_h=$(vm $pid VmHWM)
	[ -z "$_h" ] || peak=$_h
	kill -USR1 $pid || fail "100 MB line: tail2syslog died; $(tail -n 3 big.err)"
	grep -q "big.log: lines 1, sent $pieces," big.err
}
wait_until 90 sent || fail "100 MB line: not all sent in 90 s; $(tail -n 2 big.err)"
secs=$(($(date +%s) - t0))
peak=$(vm $pid VmHWM)
stop $pid "100 MB line"
wait $sink_pid
summary=$(cat sink.summary)
echo "100 MB line: $secs s, VmHWM $peak kB; sink: $summary"
assert_eq "records $pieces bad 0 short 1 last $last cut 0 bytes $((chars * 3))" \
	"$summary" "100 MB line: the pieces received"
if [ -z "$peak" ]; then
	echo "100 MB line: no /proc/PID/status here, peak RSS not measured"
elif sanitized; then
	echo "100 MB line: a sanitizer build, peak RSS not held to 16 MiB"
else
	[ "$peak" -lt 16384 ] || fail "100 MB line: peak RSS $peak kB, not under 16 MiB"
fi
exit 0
