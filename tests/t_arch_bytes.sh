#!/bin/sh
# t_arch_bytes -- the binary under test ($T2S, e.g. an s390x build run by
# qemu) sends the same bytes as a reference binary ($T2S_REF, a build for
# this host) for hostile input: every byte value at every offset modulo 8
# (the escape scan reads words of eight bytes: endianness and word size
# bite there), each byte alone on a line, CRLF, UTF-8 cut by long lines over
# -S, <PRI> prefixes; in each format (RFC 3164, RFC 5424, raw), split and
# truncated, on standard output (LF framing) and on a TCP socket (LF and
# octet counting).  Timestamps are masked, everything else is compared byte
# for byte.  Skipped without T2S_REF (tests/arch.sh sets it).
. "$(dirname "$0")/lib.sh"
[ -n "${T2S_REF:-}" ] || skip "no reference binary T2S_REF (see tests/arch.sh)"
[ -x "$T2S_REF" ] || fail "T2S_REF=$T2S_REF is not an executable"
[ "$T2S_REF" != "$T2S" ] || fail "T2S_REF is the binary under test"
need socat

# The input.  all: the 256 byte values but LF, in order.
i=0
while [ $i -lt 256 ]; do
	[ $i -eq 10 ] || printf "\\$(printf %03o $i)"
	i=$((i + 1))
done >"$W/all"
{
	for k in 0 1 2 3 4 5 6 7 8; do
		printf '%.*s' $k pppppppp
		cat "$W/all"
		echo
	done
	i=0
	while [ $i -lt 256 ]; do
		[ $i -eq 10 ] || printf "\\$(printf %03o $i)\\n"
		i=$((i + 1))
	done
	printf 'crlf\r\n\r\n'
	printf '<165>a priority prefix\n<192>out of range\n<7>\n'
	# 1,000-byte lines of two-, three- and four-byte UTF-8 and controls: -S
	# splits them, never inside a sequence or an escape
	for seq in '\303\251' '\342\202\254' '\360\237\230\200' 'x\001' '\177\303'; do
		j=0
		while [ $j -lt 250 ]; do
			printf "$seq"
			j=$((j + 1))
		done
		echo
	done
	printf 'unterminated last line \033'
} >"$W/in"

# mask -- timestamps of RFC 3164 and RFC 5424 replaced by stand-ins of the
# same length (filter)
mask() {
	mask_3164_time |
		sed 's/\(<[0-9]*>1 \)[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9:.]*[-+Z][0-9:]* /\1YYYY-MM-DDThh:mm:ss.uuuuuu+zz:zz /g'
}

# listening PORT -- true when a TCP socket listens on 127.0.0.1:PORT
listening() {
	grep -q " 0100007F:$(printf %04X "$1") 00000000:0000 0A " /proc/net/tcp
}

# capture BINARY OUT ARGS... -- BINARY reads $W/in and sends with ARGS; the
# bytes it sent, masked, go to OUT.  With -T among ARGS: to a one-connection
# TCP sink on loopback (host and port are added); else on standard output.
capture() {
	_bin=$1 _out=$2
	shift 2
	case " $* " in
	*" -T "*)
		_port=$(random_port)
		socat -u "TCP4-LISTEN:$_port,bind=127.0.0.1,reuseaddr" \
			"OPEN:$_out.raw,creat,trunc" &
		_sink=$!
		track $_sink
		wait_until 5 listening "$_port" || fail "no TCP sink on port $_port"
		timeout 30 "$_bin" "$@" -n 127.0.0.1 -P "$_port" <"$W/in" 2>"$_out.err" ||
			fail "$_bin $*: exit status $?: $(cat "$_out.err")"
		wait_until 10 gone $_sink || fail "TCP sink still open after $_bin $*"
		;;
	*)
		timeout 30 "$_bin" "$@" <"$W/in" >"$_out.raw" 2>"$_out.err" ||
			fail "$_bin $*: exit status $?: $(cat "$_out.err")"
		;;
	esac
	[ ! -s "$_out.err" ] || fail "$_bin $*: $(cat "$_out.err")"
	mask <"$_out.raw" >"$_out"
}

# same NAME ARGS... -- the reference and the binary under test send the same
# bytes with ARGS
same() {
	_name=$1
	shift
	set -- --hostname h.example -t tag --id=4242 -p local3.warning "$@"
	capture "$T2S_REF" "$W/$_name.ref" "$@"
	capture "$T2S" "$W/$_name.got" "$@"
	[ -s "$W/$_name.ref" ] || fail "$_name: the reference sent nothing"
	assert_file_eq "$W/$_name.ref" "$W/$_name.got" "$_name: bytes differ from the reference's"
	echo "$_name: $(wc -c <"$W/$_name.got" | tr -d ' ') bytes, the same"
}

same rfc3164 --stdout --rfc3164
same rfc5424 --stdout --rfc5424
same raw --stdout --raw
same split-rfc5424 --stdout --rfc5424 -S 100
same truncate-raw --stdout --raw -S 100 --truncate
same prio-prefix --stdout --prio-prefix -S 300
same tcp-lf -T -S 100
same tcp-octet-5424 -T --octet-count --rfc5424
same tcp-octet-raw -T --octet-count --raw -S 100
exit 0
