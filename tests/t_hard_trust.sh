#!/bin/sh
# t_hard_trust -- the state and pid files are untrusted (issue 16, items 2
# and 3).  Run as root, the attacker's steps as nobody (setpriv):
#   1. a pid file nobody planted in a sticky directory (like /tmp) is
#      refused (73), left as it was, and no run happens
#   2. a state file nobody planted in a directory nobody may write to (as a
#      member of its group) is refused: it belongs to another user (73); no
#      byte of the secret it points at is sent.  One in a sticky directory
#      is refused too.
#   3. --user nobody with the pid file in root's directory (which nobody
#      cannot write): it runs, the rc script's "pkill -L -F pidfile" stops
#      it, the file stays but is emptied (it names no process), and the next
#      start takes it over
. "$(dirname "$0")/lib.sh"
need setpriv
[ "$(id -u)" = 0 ] || skip "needs root (the attacker is nobody)"
id nobody >/dev/null 2>&1 || skip "no user nobody"
ngid=$(id -g nobody)
start_rsyslog
chmod 755 "$W" # nobody must reach the directories below

# as_nobody CMD -- CMD run by sh as nobody, with nobody's groups
as_nobody() {
	setpriv --reuid nobody --regid "$ngid" --init-groups sh -c "$1"
}

# refused WHAT MESSAGE ARGS... -- a --once run with ARGS exits 73 at once
# with MESSAGE, and nothing is sent
refused() {
	_what=$1 _msg=$2
	shift 2
	t2s -T -n 127.0.0.1 -P "$RS_TCP" -t app --once --from-start "$@" \
		"$W/logs/app.log" 2>refused.err
	rc=$?
	[ $rc -eq 73 ] || fail "$_what: exit status $rc, not 73; $(cat refused.err)"
	assert_eq "tail2syslog: $_msg" "$(cat refused.err)" "$_what: message"
	settle_rsyslog
	assert_eq 0 "$(count_records)" "$_what: records sent"
}

mkdir logs priv sticky shared
chmod 700 priv
chmod 1777 sticky
chgrp "$ngid" shared
chmod 770 shared
echo "ordinary line" >logs/app.log
(umask 077 && echo "SECRET shadow line" >logs/app.log.1)

# --- 1. a pid file planted in a sticky directory ----------------------------
as_nobody "echo 1 >'$W/sticky/t2s.pid'" || fail "nobody cannot plant the pid file"
refused "planted pid file" "$W/sticky/t2s.pid: directory $W/sticky is writable by everyone" \
	--state "$W/priv/state" --pidfile "$W/sticky/t2s.pid"
assert_eq 1 "$(cat sticky/t2s.pid)" "planted pid file: its contents"
[ ! -e priv/state ] || fail "planted pid file: the run went on (a state file was written)"

# --- 2. a planted state file ------------------------------------------------
# It names the secret 0600 file's inode as the followed file, at offset 0.
set -- $(stat -c '%d %i' logs/app.log.1)
head=$(head -c 16 logs/app.log.1 | od -An -tx1 | tr -d ' \n')
state="tail2syslog-state 1
$1 $2 0 $head - $W/logs/app.log"
as_nobody "printf '%s\n' '$state' >'$W/shared/state' && chmod 600 '$W/shared/state'" ||
	fail "nobody cannot plant the state file"
refused "state file planted by nobody" \
	"$W/shared/state: belongs to another user (uid $(id -u nobody))" --state "$W/shared/state"
as_nobody "printf '%s\n' '$state' >'$W/sticky/state'" || fail "nobody cannot plant in sticky"
refused "state file in a sticky directory" \
	"$W/sticky/state: directory $W/sticky is writable by everyone" --state "$W/sticky/state"
grep -q SECRET "$RS_RAW" 2>/dev/null && fail "the secret was sent"

# --- 3. --user nobody, the pid file in root's directory ---------------------
mkdir run nstate
chmod 755 run
chown nobody nstate
pf=$W/run/t2s.pid
: >logs/live.log
chmod 644 logs/live.log

# start_user -- a follower as nobody in the background, pid $pid
start_user() {
	"$T2S" --user nobody --pidfile "$pf" --state "$W/nstate/state" \
		-T -n 127.0.0.1 -P "$RS_TCP" -t live "$W/logs/live.log" 2>>user.err &
	pid=$!
	track $pid
	wait_until 10 sh -c "[ \"\$(cat '$pf' 2>/dev/null)\" = $pid ]" ||
		fail "--user: pid file holds '$(cat "$pf" 2>/dev/null)', not $pid; $(cat user.err)"
}

start_user
until_following "$W/logs/live.log"
if pkill -L -F "$pf" 2>/dev/null; then
	how="pkill -L -F"
else
	how="pkill -F" # a pkill without -L
	pkill -F "$pf" || fail "--user: pkill -F does not find it"
fi
wait_until 10 gone $pid || fail "--user: $how does not stop it"
wait $pid
rc=$?
[ $rc -eq 0 ] || fail "--user: exit status $rc after $how; $(cat user.err)"
[ -f "$pf" ] || fail "--user: the pid file in root's directory was removed (cannot be)"
[ ! -s "$pf" ] || fail "--user: the pid file left behind names '$(cat "$pf")'"
if [ "$how" = "pkill -L -F" ]; then
	pkill -L -F "$pf" 2>/dev/null && fail "pkill -L -F on a stale pid file succeeded"
fi
start_user
echo "stopped by $how; the emptied pid file was taken over by $pid"
kill -TERM $pid
wait_until 10 gone $pid || fail "--user: TERM does not stop the second instance"
[ ! -s user.err ] || fail "--user: not silent: $(cat user.err)"
exit 0
