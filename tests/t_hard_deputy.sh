#!/bin/sh
# t_hard_deputy -- root must not be a confused deputy (issue 16): a service
# user, here nobody, who owns the directory of a followed file cannot make a
# root tail2syslog read a root-only file for it.  Every secret (mode 0600,
# owned by root) lives INSIDE the followed directories, where Landlock lets
# us read: what refuses is tail2syslog's own rules (open_safe), with or
# without PORTABLE=1.  The attacker steps run as nobody.
#   a. the followed file replaced by nobody's symbolic link to the secret,
#      in the daemon and with --once; then a plain file again is read
#   b. the secret, beside it, renamed onto the followed name
#   c. after a copytruncate, the copy is looked for at rotated names: there
#      nobody planted a link to the secret, a FIFO (never opened: its
#      writer stays blocked) and the secret itself, renamed
#   d. glob operands: nobody's link matched by *.log (to the secret: not
#      followed; to nobody's own file: followed), and a link to a directory
#      of root matched by */app.log
#   e. a state file naming another file's inode, an entry without first
#      bytes, a link, a FIFO and a device at rotated names: resume opens
#      none of them (strace)
. "$(dirname "$0")/lib.sh"
need_nobody
NOGROUP=$(id -g nobody)

# attacker CMD -- run the shell command CMD as nobody, in $W; fail if it fails
attacker() {
	as_nobody sh -c "$1" || fail "attacker step failed: $1"
}

# secret FILE TEXT -- FILE holds TEXT, root's only
secret() {
	printf '%s\n' "$2" >"$1"
	chmod 600 "$1"
}

# no_secret PART -- no byte of PART's secret (SECRET-PART) was forwarded
no_secret() {
	if grep -q "SECRET-$1" "$RS_OUT" "$RS_RAW"; then
		fail "$1: a secret was forwarded: $(grep "SECRET-$1" "$RS_OUT" | head -n 3)"
	fi
}

start_rsyslog
mkdir logs
chown nobody:"$NOGROUP" logs
secret logs/secret 'public line
SECRET-a'
attacker ': >logs/app.log'

# --- a. nobody's link at the followed name ------------------------------
follow_tcp -t app logs/app.log logs/later.log
until_following logs/app.log
attacker 'rm logs/app.log && ln -s secret logs/app.log'
wait_until 10 grep -q 'app.log: a symbolic link of uid 65534 to a file of uid 0: not followed, waiting' t2s.err ||
	fail "a. the link was not refused; stderr: $(cat t2s.err)"
t2s --once --state once.state -T -n 127.0.0.1 -P "$RS_TCP" -t app --from-start logs/app.log \
	2>once.err
grep -q 'app.log: a symbolic link of uid 65534 to a file of uid 0: not followed' once.err ||
	fail "a. --once: the link was not refused; stderr: $(cat once.err)"
attacker 'rm logs/app.log && echo "plain again" >logs/app.log'
wait_until 10 has_msg 'plain again' || fail "a. the plain file that followed is not read"
no_secret a

# --- b. the secret renamed onto the followed name ------------------------
secret logs/secret SECRET-b
attacker 'mv logs/secret logs/app.log'
wait_until 10 grep -q 'app.log: Permission denied, waiting' t2s.err ||
	fail "b. the secret was not opened as nobody; stderr: $(cat t2s.err)"
attacker 'mv logs/app.log logs/secret && echo "plain once more" >logs/app.log'
wait_until 10 has_msg 'plain once more' || fail "b. the plain file that followed is not read"
stop_follow
no_secret b

# --- c. traps at the rotated names of a truncated file -------------------
secret logs/secret 'header c
SECRET-c'
follow_tcp -t app logs/app.log logs/later.log
attacker 'ln -s secret logs/app.log.1 && mkfifo logs/app.log.2 && mv logs/secret logs/app.log.3'
as_nobody timeout 15 sh -c 'echo SECRET-c-fifo >logs/app.log.2' &
fifo_writer=$!
track $fifo_writer
# A new file that starts as the secret does: the copy looked for must start
# with its first bytes and hold the bytes before the offset (the attacker
# needs to know only that much of the secret).
attacker 'rm logs/app.log && echo "header c" >logs/app.log'
wait_until 10 has_msg 'header c' || fail "c. the line before the truncation is not read"
attacker ': >logs/app.log'
wait_until 10 grep -q 'app.log: file truncated$' t2s.err ||
	fail "c. no truncation seen; stderr: $(cat t2s.err)"
attacker 'echo "after the truncation" >>logs/app.log'
wait_until 10 has_msg 'after the truncation' || fail "c. the truncated file is not read on"
kill -0 $fifo_writer 2>/dev/null || fail "c. the FIFO at a rotated name was opened"
stop_follow
no_secret c
attacker 'mv logs/app.log.3 logs/secret'

# --- d. glob operands ----------------------------------------------------
mkdir glogs glogs/.root
chown nobody:"$NOGROUP" glogs
secret glogs/secret SECRET-d
secret glogs/.root/app.log SECRET-d-dir
attacker 'echo "own line" >glogs/own.data && ln -s own.data glogs/own.log &&
	ln -s secret glogs/evil.log && ln -s .root glogs/sub'
follow_tcp -t app --from-start --rescan-interval 0.2 'glogs/*.log' 'glogs/*/app.log' glogs/later
wait_until 10 has_msg 'own line' || fail "d. nobody's link to its own file is not followed"
wait_until 10 grep -q 'evil.log: a symbolic link of uid 65534 to a file of uid 0: not followed' t2s.err ||
	fail "d. the link matched by *.log was not refused; stderr: $(cat t2s.err)"
wait_until 10 grep -q 'sub/app.log: symbolic link .*glogs/sub (uid 65534) names a directory of uid 0: not followed' t2s.err ||
	fail "d. the link to a directory matched by */app.log was not refused; stderr: $(cat t2s.err)"
stop_follow
no_secret d

# --- e. a state file that names what it should not -----------------------
need strace
mkdir sdir
echo 'app line' >sdir/app.log
secret sdir/auth.log 'SECRET-e
SECRET-e2'
ln -s auth.log sdir/app.log.1
mkfifo sdir/app.log.2
mknod sdir/app.log.3 c 1 3
ino() { stat -c %i "$1"; }
dev=$(stat -c %d sdir/auth.log)
head_hex=$(printf 'SECRET-e' | od -An -tx1 | tr -d ' \n')
{
	echo 'tail2syslog-state 1'
	echo "$dev $(ino sdir/auth.log) 9 $head_hex 0a $W/sdir/app.log"
	echo "$dev $(ino sdir/auth.log) 9 - 0a $W/sdir/app.log"
	echo "$dev $(ino sdir/app.log.3) 0 $head_hex - $W/sdir/app.log"
} >state
chmod 600 state
# LeakSanitizer cannot run under ptrace: a sanitizer build skips only it.
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
	strace -f -o trace -e trace=open,openat "$T2S" --once -T -n 127.0.0.1 -P "$RS_TCP" \
	-t app --state state "$W/sdir/app.log" 2>e.err || fail "e. exit status $?; $(cat e.err)"
grep -q 'a saved entry without its first bytes, ignored' e.err ||
	fail "e. the entry without first bytes was taken; stderr: $(cat e.err)"
if grep -E 'auth\.log|app\.log\.[123]' trace; then
	fail "e. resume opened a file that is not the followed one's generation"
fi
settle_rsyslog
no_secret e

# --- f. a directory of root that every user may write to ------------------
mkdir -m 1777 shared
echo 'shared line' >shared/app.log
t2s --once --state once.state -T -n 127.0.0.1 -P "$RS_TCP" -t app --from-start shared/app.log \
	2>f.err
grep -q 'shared/app.log: its directory shared is writable by others: not opened as root (run with --user)' f.err ||
	fail "f. a file in a world-writable directory was not refused; stderr: $(cat f.err)"
(cd shared && t2s --once --state ../once.state -T -n 127.0.0.1 -P "$RS_TCP" -t app \
	--from-start app.log 2>../f2.err)
grep -q '^tail2syslog: app.log: its directory \. is writable by others' f2.err ||
	fail "f. the directory . is not named; stderr: $(cat f2.err)"
settle_rsyslog
has_msg 'shared line' && fail "f. a file in a world-writable directory was read as root"
exit 0
