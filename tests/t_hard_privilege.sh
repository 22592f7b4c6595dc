#!/bin/sh
# t_hard_privilege -- privilege (issue 6, item 7).
#   1. --logger runs logger(1) by an argument vector, never through a shell:
#      tags made of shell syntax (within the tag charset: printable ASCII
#      without ':', '[' or ']', no space, so ${IFS} stands for one) reach a
#      stand-in logger as one literal argument each, and no command in them
#      runs; a --logger path with a space and a ';' is run as it is; with the
#      real logger(1) under strace(1), the only programs executed are
#      tail2syslog and logger, and the record's APP-NAME is the tag; the
#      logger child holds no followed file open
#   2. as root, --user nobody: once running, every user and group ID of the
#      process is nobody's, it has no capability left, no_new_privs is set
#      (Linux), and lines still flow (the socket was opened before the change)
#   3. as root, --user nobody: a file created after a rotation that nobody
#      cannot read is reported (-v) and waited for while the old file is
#      drained; once readable, it is read from its first byte
# Parts 2 and 3 need root: skipped otherwise, after part 1 has run.
. "$(dirname "$0")/lib.sh"
need logger
start_rsyslog

# stop WHAT -- TERM to tail2syslog ($t2s_pid, else $pid), then $pid (itself,
# or strace, which exits with its status) gone, exit status 0
stop() {
	kill "${t2s_pid:-$pid}"
	wait "$pid"
	_rc=$?
	[ $_rc -eq 0 ] || fail "$1: exit status $_rc after TERM"
}

# --- 1. --logger, by argument vector ----------------------------------------

mkdir bin
# As root, logger children run as nobody: the stand-in must reach $W (mode
# 700, root's) and write its files there.
[ "$(id -u)" != 0 ] || chmod 1777 "$W"
# A stand-in logger: its arguments, one a line, to argv.N; its input to in.N.
cat >"bin/logger" <<EOF
#!/bin/sh
for a; do printf '%s\n' "\$a"; done >"$W/argv.\$\$"
cat >"$W/in.\$\$"
EOF
chmod 755 bin/logger
cp bin/logger "bin/log ger;touch pwned-path"

# tag_passed TAG -- the stand-in was given "-t" TAG, and the line
tag_passed() {
	for _f in argv.*; do
		[ -f "$_f" ] || continue
		if awk -v t="$1" 'prev == "-t" && $0 == t { ok = 1 } { prev = $0 } END { exit !ok }' \
			"$_f"; then
			assert_eq "line for $2" "$(cat "in.${_f#argv.}")" "tag $2: the line given"
			return 0
		fi
	done
	return 1
}

i=0
# shellcheck disable=SC2016
for tag in 'a;touch${IFS}pwned-1' '$(touch${IFS}pwned-2)' '`touch${IFS}pwned-3`' \
	'x|touch${IFS}pwned-4' 'x&&touch${IFS}pwned-5' '>pwned-6' "'\"\\\$HOME*?"; do
	i=$((i + 1))
	rm -f argv.* in.*
	printf 'line for %s\n' $i |
		PATH="$W/bin:$PATH" t2s --logger -t "$tag" -p local3.info ||
		fail "tag $i ($tag): exit status $?"
	tag_passed "$tag" $i || {
		cat argv.* 2>/dev/null
		fail "tag $i ($tag): not passed as one argument"
	}
done
ls pwned* >/dev/null 2>&1 && fail "a command in a tag ran: $(ls pwned*)"

rm -f argv.* in.*
printf 'line for path\n' |
	t2s --logger="$W/bin/log ger;touch pwned-path" -t path ||
	fail "--logger path with a space and ';': exit status $?"
tag_passed path path || fail "--logger path with a space and ';': not run"
[ ! -e pwned-path ] || fail "--logger path: a shell ran it"

# The real logger(1), to rsyslogd, and what was executed.
tag='a;touch${IFS}pwned-7'
# The followed file lies in a directory of root's: $W is 1777 for the
# stand-in logger above, and root follows nothing in a directory that
# everyone may write to.
mkdir logs
: >logs/app.log
tracer=
if command -v ldd >/dev/null 2>&1 && ldd "$T2S" 2>/dev/null | grep -q 'lib[a-z]*san\.so'; then
	echo "a sanitizer build (LeakSanitizer fails under ptrace): the programs run are not listed"
elif ! strace -f -qq -e trace=execve -o /dev/null true 2>/dev/null; then
	echo "strace cannot trace here: the programs run are not listed"
else
	tracer="strace -f -qq -e trace=execve -o $W/trace"
fi
: >logger.err
# shellcheck disable=SC2086
$tracer "$T2S" --logger -T -n 127.0.0.1 -P "$RS_TCP" -t "$tag" -p local3.info \
	--from-start logs/app.log 2>logger.err &
pid=$!
track $pid
echo "through logger" >>logs/app.log
wait_records 1
t2s_pid=$pid
if [ -n "$tracer" ]; then
	t2s_pid=$(pgrep -P $pid -x "$(basename "$T2S" | cut -c 1-15)" | head -n 1)
	[ -n "$t2s_pid" ] || fail "logger: tail2syslog not found under strace"
	track "$t2s_pid"
fi
child=$(pgrep -P "$t2s_pid" | head -n 1)
[ -n "$child" ] || fail "logger: no child process"
# shellcheck disable=SC2010
if ls -l "/proc/$child/fd" 2>/dev/null | grep -q "$W/logs/app.log"; then
	fail "logger: the child holds the followed file open"
fi
stop "logger"
wait_until 5 test ! -d "/proc/$child" || fail "logger: the child outlived tail2syslog"
settle_rsyslog
want_record 158 "$HOST_SHORT" "$tag" - - "through logger"
assert_records
[ ! -e pwned-7 ] || fail "logger: a command in the tag ran"
t2s_pid=
if [ -n "$tracer" ]; then
	sed -n 's/^[0-9]* *execve("\([^"]*\)".*= 0$/\1/p' trace | sort -u >executed
	printf '%s\n' "$T2S" "$(command -v logger)" | sort -u >allowed
	assert_file_eq allowed executed "logger: the programs executed"
fi

# --- 2. --user nobody -------------------------------------------------------

[ "$(id -u)" = 0 ] || skip "--user: needs root (the --logger cases passed)"
[ -r /proc/self/status ] ||
	skip "--user: no /proc to read the IDs from (the --logger cases passed)"
id nobody >/dev/null 2>&1 || skip "--user: no user nobody (the --logger cases passed)"
uid=$(id -u nobody) gid=$(id -g nobody)
groups=$(id -G nobody | tr ' ' '\n' | sort -n | tr '\n' ' ')
# nobody must reach the files: $W is mode 700, root's.
chmod 755 "$W"
settle_rsyslog
: >"$RS_OUT"
rm -f app.log
: >app.log
: >user.err
"$T2S" -v --user nobody -T -n 127.0.0.1 -P "$RS_TCP" -t app --from-start \
	--rotate-wait 1 app.log 2>user.err &
pid=$!
track $pid
echo "as nobody 1" >>app.log
wait_records 1
status=/proc/$pid/status
assert_eq "$uid $uid $uid $uid" "$(awk '$1 == "Uid:" { print $2, $3, $4, $5 }' $status)" \
	"--user: real, effective, saved and file system user IDs"
assert_eq "$gid $gid $gid $gid" "$(awk '$1 == "Gid:" { print $2, $3, $4, $5 }' $status)" \
	"--user: group IDs"
assert_eq "$groups" "$(awk '$1 == "Groups:" { $1 = ""; print }' $status |
	tr ' ' '\n' | grep . | sort -n | tr '\n' ' ')" "--user: supplementary groups"
for cap in CapPrm CapEff; do
	assert_eq 0000000000000000 "$(awk -v c="$cap:" '$1 == c { print $2 }' $status)" \
		"--user: $cap"
done
# No set-user-ID program run from now on can give root back (Linux; a
# PORTABLE=1 build leaves it to the fallback: nothing).
if [ -z "${PORTABLE:-}" ] && grep -q '^NoNewPrivs:' $status; then
	assert_eq 1 "$(awk '$1 == "NoNewPrivs:" { print $2 }' $status)" "--user: no_new_privs"
fi

# --- 3. a new file nobody cannot read ---------------------------------------

echo "old file, last line" >>app.log
mv app.log app.log.1
(umask 077 && echo "new file, first line" >app.log)
echo "old file, written late" >>app.log.1
wait_until 5 grep -qxF 'tail2syslog: app.log: Permission denied, waiting' user.err ||
	fail "--user: no notice of the unreadable file; stderr: $(cat user.err)"
# The old file is drained meanwhile.
wait_records 3
chmod 644 app.log
wait_records 4
echo "new file, second line" >>app.log
wait_records 5
stop "--user"
assert_eq 1 "$(grep -c 'Permission denied' user.err)" "--user: notices"
settle_rsyslog
want_record 13 "$HOST_SHORT" app - - "as nobody 1"
want_record 13 "$HOST_SHORT" app - - "old file, last line"
want_record 13 "$HOST_SHORT" app - - "old file, written late"
want_record 13 "$HOST_SHORT" app - - "new file, first line"
want_record 13 "$HOST_SHORT" app - - "new file, second line"
assert_records
exit 0
