#!/bin/sh
# t_hard_children -- logger(1) children of a root tail2syslog (issue 16 item
# 5, issue 10 item 6).
#   1. PATH with an empty entry, run from a directory where nobody planted
#      ./logger: the planted program never runs, the real logger does (found
#      once, by an absolute path); the line reaches rsyslogd
#   2. the logger child, as root without --user, runs as nobody, with the
#      environment PATH=/usr/bin:/bin LC_ALL=C, no descriptor of ours,
#      its stdin a pipe and its stdout /dev/null,
#      SIGPIPE not ignored and no signal blocked
#   3. with --user daemon, the child runs as daemon
#   4. --once with a logger that exits as soon as it starts ends with exit
#      status 75 after the give-up time (6 s), instead of handing the whole
#      file to children that die
. "$(dirname "$0")/lib.sh"
need logger
need_nobody
[ -r /proc/self/status ] || skip "no /proc to read the child from"
start_rsyslog

# --- 1. an empty PATH entry ---------------------------------------------------
mkdir app
chown nobody app
# The attacker, owner of the log directory, plants ./logger there.
as_nobody sh -c "printf '#!/bin/sh\ntouch $W/app/pwned\n' >$W/app/logger &&
	chmod 755 $W/app/logger" || fail "nobody could not plant ./logger"
as_nobody sh -c ": >$W/app/app.log"
(cd app && PATH=":/nonexistent:$(dirname "$(command -v logger)"):/usr/bin:/bin" \
	"$T2S" --logger -T -n 127.0.0.1 -P "$RS_TCP" -p local3.info --from-start \
	app.log 2>"$W/one.err") &
pid=$!
track $pid
echo "through the real logger" >>app/app.log
wait_records 1
[ ! -e app/pwned ] || fail "./logger from an empty PATH entry ran as root"

# --- 2. the child as it runs --------------------------------------------------
child=$(pgrep -P "$pid" | head -n 1)
[ -n "$child" ] || fail "no logger child"
assert_eq "$(id -u nobody)" "$(awk '$1 == "Uid:" { print $2 }' "/proc/$child/status")" \
	"the child's user ID"
assert_eq "$(id -g nobody)" "$(awk '$1 == "Gid:" { print $2 }' "/proc/$child/status")" \
	"the child's group ID"
groups=$(awk '$1 == "Groups:" { $1 = ""; print }' "/proc/$child/status" | tr -s ' ' '\n' |
	grep -v '^$' | sort -n | tr '\n' ' ')
assert_eq "$(id -g nobody) " "$groups" "the child's groups"
assert_eq "$(printf 'LC_ALL=C\nPATH=/usr/bin:/bin')" \
	"$(tr '\0' '\n' <"/proc/$child/environ" | sort)" "the child's environment"
# Above 2, only logger's own socket; none of ours (the followed file).
for fd in $(ls "/proc/$child/fd"); do
	[ "$fd" -gt 2 ] || continue
	case $(readlink "/proc/$child/fd/$fd") in
	socket:*) ;;
	*) fail "the child holds descriptor $fd: $(readlink "/proc/$child/fd/$fd")" ;;
	esac
done
case $(readlink "/proc/$child/fd/0") in
pipe:*) ;;
*) fail "the child's stdin is not a pipe: $(readlink "/proc/$child/fd/0")" ;;
esac
assert_eq /dev/null "$(readlink "/proc/$child/fd/1")" "the child's standard output"
# Signals 1 to 31 (32 and 33 are glibc's, which it does not let a program
# reset, and which a test harness may have left ignored).
for what in SigIgn SigBlk; do
	mask=$(awk -v w="$what:" '$1 == w { print $2 }' "/proc/$child/status")
	assert_eq 0 "$((0x$mask & 0x7fffffff))" "$what of the child ($mask)"
done
kill "$pid"
wait "$pid"
settle_rsyslog
want_record 158 "$HOST_SHORT" app.log - - "through the real logger"
assert_records

# --- 3. --user ----------------------------------------------------------------
if id daemon >/dev/null 2>&1; then
	chmod 644 app/app.log
	"$T2S" --user daemon --logger -T -n 127.0.0.1 -P "$RS_TCP" -p local3.info \
		app/app.log 2>"$W/three.err" &
	pid=$!
	track $pid
	wait_until 10 sh -c "pgrep -P $pid >/dev/null" || true
	echo "as daemon" >>app/app.log
	wait_records 2
	child=$(pgrep -P "$pid" | head -n 1)
	[ -n "$child" ] || fail "--user: no logger child"
	assert_eq "$(id -u daemon)" "$(awk '$1 == "Uid:" { print $2 }' "/proc/$child/status")" \
		"--user daemon: the child's user ID"
	kill "$pid"
	wait "$pid"
fi

# --- 4. --once and a logger that keeps dying ---------------------------------
mkdir bin
printf '#!/bin/sh\nexit 1\n' >bin/logger
chmod 755 bin/logger
# More than a pipe holds, so that the children's deaths are seen.
awk 'BEGIN { for (i = 0; i < 100000; i++) printf "line %d of a log that logger never reads\n", i }' \
	>dying.log
start=$(now_ms)
PATH="$W/bin:$PATH" t2s --logger --once --state "$W/dying.state" --from-start dying.log \
	2>dying.err
rc=$?
took=$(($(now_ms) - start))
assert_eq 75 "$rc" "--once, a logger that keeps dying: exit status ($(tail -n 2 dying.err))"
grep -q "logger: exits as soon as it starts" dying.err ||
	fail "--once, a logger that keeps dying: no reason given: $(cat dying.err)"
[ "$took" -ge 5000 ] && [ "$took" -lt 15000 ] ||
	fail "--once, a logger that keeps dying: gave up after $took ms, not about 6 s"
