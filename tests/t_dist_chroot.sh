#!/bin/sh
# t_dist_chroot -- the static binary runs in an empty chroot that holds only
# itself, /etc/hosts, the followed file and a directory for the state file:
# it resolves "loghost" from /etc/hosts, reads the file, sends over UDP and
# TCP to the rsyslogd outside, writes its state file and resumes from it.
# A name that /etc/hosts lacks fails with 68.
#
# Uses $T2S_STATIC when set, else builds tail2syslog.static with make in the
# source tree (only a link: the objects are those of the tree).
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" = 0 ] || skip "chroot needs root (CI runs as root)"
PATH=$PATH:/usr/sbin:/sbin
need chroot

# The chroot tree R: the binary, /etc/hosts, /log/app.log, /state.
R=$W/root
mkdir -p "$R/etc" "$R/log" "$R/state" || fail "cannot make $R"
if [ -n "${T2S_STATIC:-}" ]; then
	cp "$T2S_STATIC" "$R/tail2syslog" || fail "cannot copy $T2S_STATIC"
else
	# Sanitizer runtimes cannot be linked statically (ASan refuses -static).
	if command -v ldd >/dev/null 2>&1 &&
		ldd "$T2S" 2>/dev/null | grep -q 'lib[a-z]*san\.so'; then
		skip "sanitizer build: no static binary"
	fi
	if ! (cd "$TOP" && ${MAKE:-make} tail2syslog.static) >"$W/make.out" 2>&1; then
		tail -n 10 "$W/make.out"
		fail "make tail2syslog.static failed"
	fi
	cp "$TOP/tail2syslog.static" "$R/tail2syslog" || fail "no tail2syslog.static"
fi
printf '127.0.0.1\tlocalhost\n127.0.0.1\tloghost\n' >"$R/etc/hosts"
printf 'one\ntwo words\n' >"$R/log/app.log"

# in_root ARGS... -- run the binary inside the chroot, bounded
in_root() {
	timeout "$T2S_TIMEOUT" chroot "$R" /tail2syslog "$@"
}

if ! chroot "$R" /tail2syslog --version >"$W/version" 2>&1; then
	grep -qi 'operation not permitted' "$W/version" &&
		skip "chroot is not permitted here: $(head -n 1 "$W/version")"
	cat "$W/version"
	fail "the static binary does not start in the empty chroot"
fi

start_rsyslog

# UDP, to a name found in the chroot's /etc/hosts only
in_root -n loghost -P "$RS_UDP" -d --from-start --once --state /state/s \
	/log/app.log 2>"$W/err" || fail "udp: exit status $? ($(cat "$W/err"))"
[ ! -s "$W/err" ] || fail "udp: stderr: $(head -n 1 "$W/err")"
wait_records 2
settle_rsyslog
want_record 13 "$HOST_SHORT" app.log - - one
want_record 13 "$HOST_SHORT" app.log - - "two words"
assert_records
[ -s "$R/state/s" ] || fail "udp: no state file /state/s"
grep -q ' /log/app.log$' "$R/state/s" ||
	fail "udp: /state/s does not name /log/app.log: $(cat "$R/state/s")"

# TCP, a state file of its own: the whole file again
: >"$RS_OUT"
in_root -T -n loghost -P "$RS_TCP" --from-start --once --state /state/t \
	/log/app.log 2>"$W/err" || fail "tcp: exit status $? ($(cat "$W/err"))"
[ ! -s "$W/err" ] || fail "tcp: stderr: $(head -n 1 "$W/err")"
wait_records 2
settle_rsyslog
want_record 13 "$HOST_SHORT" app.log - - one
want_record 13 "$HOST_SHORT" app.log - - "two words"
assert_records
[ -s "$R/state/t" ] || fail "tcp: no state file /state/t"

# TCP again with the same state file: only the line added since
: >"$RS_OUT"
echo three >>"$R/log/app.log"
in_root -T -n loghost -P "$RS_TCP" --from-start --once --state /state/t \
	/log/app.log 2>"$W/err" || fail "resume: exit status $? ($(cat "$W/err"))"
wait_records 1
settle_rsyslog
want_record 13 "$HOST_SHORT" app.log - - three
assert_records

# A name /etc/hosts lacks is unknown (no DNS server is configured in R)
: >"$RS_OUT"
in_root -n nohost.invalid -P "$RS_UDP" -d --from-start --once \
	--state /state/u /log/app.log 2>"$W/err"
st=$?
[ $st -eq 68 ] || fail "unknown host: exit status $st, want 68 ($(cat "$W/err"))"
grep -q '^tail2syslog: nohost.invalid: ' "$W/err" ||
	fail "unknown host: stderr: $(cat "$W/err")"
settle_rsyslog
assert_eq 0 "$(count_records)" "records sent for an unknown host"
rm -f "$R/state/u" "$R/state/u.lock" # written at the start, before the lookup

# Nothing else was written in the chroot: no temporary state file left, no
# other file needed; each state file's lock file stays (empty)
(cd "$R" && find . ! -type d | LC_ALL=C sort) >"$W/tree"
printf '%s\n' ./etc/hosts ./log/app.log ./state/s ./state/s.lock ./state/t \
	./state/t.lock ./tail2syslog >"$W/want.tree"
assert_file_eq "$W/want.tree" "$W/tree" "files in the chroot"
