#!/bin/sh
# t_hard_files -- hostile files and paths (issue 6, item 4).  None of these
# may crash tail2syslog, hang it, or make it spin; TERM always ends it at
# once with status 0.
#   1. the followed name becomes a directory, a FIFO, a device (a symlink to
#      /dev/zero, which would never end if it were read, and a node made with
#      mknod), a symlink loop: each is waited for without reading it, and a
#      regular file that takes the name again is read from its first byte
#   2. a file that cannot be read (mode 000; as root with --user nobody,
#      since root ignores the mode) is waited for and read once it can be
#   3. read(2) failing: EIO cannot be had here without FUSE or a failing
#      disk (device-mapper "error" targets need a block device; a file
#      truncated under mmap hurts only mmap readers, and tail2syslog uses
#      pread).  A sysfs attribute that stat(2) calls a 4096-byte regular
#      file but whose read fails (/sys/class/net/lo/speed: EINVAL) takes the
#      same path: warned about once, no spin; a regular file that then takes
#      the name is read (the failing one, now rotated, must not hold it
#      back); TERM works.  Skipped, with a note, where there is no such
#      attribute.
#   4. the state file or pid file is a symbolic link planted by another user
#      (pointing to a file, or dangling): refused with status 73 and a
#      message, the target untouched or not created; a planted "state.tmp"
#      link is not followed either; a state file that is a hard link to
#      another file replaces the link, not the file
#   5. the state file is a directory (73); the state or pid file lies in a
#      directory every user may write to (73), sticky (like /tmp) or not
#   6. the state file's file system is full (a 1 MiB tmpfs, root only):
#      saving warns and is retried, lines keep flowing, the old state file
#      stays whole; once there is room the state is saved again; TERM while
#      it is full exits 73 (the state could not be written), the old file
#      still whole.  Skipped when the mount is not permitted (last, so that
#      the rest has run).
. "$(dirname "$0")/lib.sh"
start_rsyslog
n_want=0
later= # a failure reported at the end, so that the other cases run

# said FILE TEXT -- true when stderr FILE holds the line "tail2syslog: TEXT"
said() {
	grep -qxF "tail2syslog: $2" "$1"
}

# follow ERR ARGS... -- tail2syslog -v (without it when follow_v is set and
# empty) over TCP with ARGS, stderr to ERR, pid in $pid
follow() {
	_err=$1
	shift
	: >"$_err"
	# shellcheck disable=SC2086 # follow_v: -v unless set (empty: without)
	"$T2S" ${follow_v--v} -T -n 127.0.0.1 -P "$RS_TCP" "$@" 2>"$_err" &
	pid=$!
	track $pid
}

# stop WHAT -- TERM: gone within 2 s, exit status 0
stop() {
	_t0=$(date +%s)
	kill "$pid"
	wait "$pid"
	rc=$?
	[ $(($(date +%s) - _t0)) -le 2 ] || fail "$1: TERM took over 2 s"
	[ $rc -eq 0 ] || fail "$1: exit status $rc after TERM"
}

# ticks PID -- CPU time used by PID so far, in clock ticks
ticks() {
	sed 's/.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'
}

# idle WHAT -- tail2syslog is alive and uses under 0.3 s of CPU in 1 s
# (only alive where there is no /proc/PID/stat)
idle() {
	kill -0 "$pid" 2>/dev/null || fail "$1: tail2syslog died"
	[ -r "/proc/$pid/stat" ] || return 0
	_c0=$(ticks "$pid")
	sleep 1 # the measuring window
	kill -0 "$pid" 2>/dev/null || fail "$1: tail2syslog died"
	_used=$(($(ticks "$pid") - _c0))
	[ "$_used" -lt 30 ] || fail "$1: tail2syslog spins ($_used ticks in 1 s)"
}

# line TEXT -- append TEXT to app.log and wait for its record
line() {
	printf '%s\n' "$1" >>app.log
	n_want=$((n_want + 1))
	want_record 13 "$HOST_SHORT" app - - "$1"
	wait_records $n_want
}

# --- 1. the name becomes something else -------------------------------------

# becomes WHAT WARNING MAKE... -- app.log followed and a line sent; then the
# name is removed and MAKE run; WARNING (if not empty) must be said; no
# spin; the name becomes a regular file again, whose line is sent
becomes() {
	_what=$1 _warning=$2
	shift 2
	rm -rf app.log
	: >app.log
	follow "$_what.err" -t app --from-start app.log
	line "$_what: before"
	rm -f app.log
	"$@" || fail "$_what: cannot make it"
	if [ -n "$_warning" ]; then
		wait_until 5 said "$_what.err" "app.log: $_warning" ||
			fail "$_what: no warning; stderr: $(cat "$_what.err")"
	fi
	idle "$_what"
	rm -rf app.log
	line "$_what: after"
	stop "$_what"
}

becomes directory 'is a directory, waiting' mkdir app.log
assert_eq 1 "$(grep -c 'is a directory' directory.err)" "directory: warnings"

# mkfifo_and_check -- a FIFO at app.log, and proof that it is not opened
mkfifo_and_check() {
	mkfifo app.log || return 1
	# tail2syslog must not open it: a writer's open(2) would not block
	wait_until 5 said fifo.err 'app.log: not a regular file, ignored until it is' ||
		fail "FIFO: no warning; stderr: $(cat fifo.err)"
	timeout 1 sh -c ': >app.log'
	[ $? -eq 124 ] || fail "FIFO: tail2syslog opened it"
}
becomes fifo '' mkfifo_and_check

becomes dev-zero 'not a regular file, ignored until it is' ln -s /dev/zero app.log
assert_eq 1 "$(grep -c 'not a regular file' dev-zero.err)" "/dev/zero: warnings"

if mknod probe.node c 1 3 2>/dev/null; then
	rm -f probe.node
	becomes mknod 'not a regular file, ignored until it is' mknod app.log c 1 5
else
	echo "mknod not permitted: the device node case is left to the /dev/zero link"
fi

# A loop: stat(2) fails with ELOOP.  tail2syslog waits as for a missing file
# (and says, under -v, "No such file or directory, waiting").
becomes loop '' sh -c 'ln -s loop.b app.log && ln -s app.log loop.b'
rm -f loop.b

# --- 2. a file it may not read ----------------------------------------------

if [ "$(id -u)" = 0 ]; then
	# The directory must be searchable by nobody; the file is root's.
	chmod 755 "$W"
	as_user="--user nobody"
	who=nobody
else
	as_user=
	who=$(id -un)
fi
rm -f app.log
printf 'unread 1\n' >app.log
chmod 000 app.log
# Without -v: a file named as it is that cannot be read is said anyway,
# once, as tail(1) says it cannot open a file; so is its being followed.
follow_v=
# shellcheck disable=SC2086
follow mode000.err -t app $as_user app.log
unset follow_v
wait_until 5 said mode000.err 'app.log: Permission denied, waiting' ||
	fail "mode 000 ($who): no notice; stderr: $(cat mode000.err)"
idle "mode 000"
chmod 644 app.log
# Never opened while it existed at the start, it is read from its first
# byte once it can be read, as a file that appears later is.
n_want=$((n_want + 1))
want_record 13 "$HOST_SHORT" app - - 'unread 1'
wait_records $n_want
wait_until 5 said mode000.err 'app.log: following' ||
	fail "mode 000: no 'following' notice; stderr: $(cat mode000.err)"
line "mode 000: readable"
stop "mode 000 ($who)"
assert_eq 1 "$(grep -c 'Permission denied' mode000.err)" "mode 000: notices"
settle_rsyslog
assert_records
n_want=0
: >"$RS_OUT"

# --- 3. read(2) fails -------------------------------------------------------

attr=/sys/class/net/lo/speed
if [ -f "$attr" ] && ! cat "$attr" >/dev/null 2>attr.err; then
	reason=$(sed 's/.*: //' attr.err)
	rm -f app.log
	ln -s "$attr" app.log
	follow readerr.err -t app --from-start app.log
	wait_until 5 said readerr.err "app.log: read error: $reason" ||
		fail "read error: no warning; stderr: $(cat readerr.err)"
	idle "read error"
	idle "read error"
	assert_eq 1 "$(grep -c 'read error' readerr.err)" "read error: warnings"
	# The name then becomes a regular file: the failing file, now a rotated
	# one, must not hold it back for ever.
	rm app.log
	printf "after a read error\n" >>app.log
	if wait_until 5 has_records 1; then
		want_record 13 "$HOST_SHORT" app - - "after a read error"
		settle_rsyslog
		assert_records
	else
		later="read error: the file that replaced an unreadable one is never read"
		echo "FAIL (deferred): $later"
	fi
	stop "read error"
	n_want=0
	: >"$RS_OUT"
else
	echo "no sysfs attribute whose read fails ($attr): read errors not tested"
fi

# --- 4. planted links -------------------------------------------------------

: >app.log
printf 'precious\n' >victim
touch -t 200101010000 victim
victim_stamp=$(ls -ln victim)

# plant LINK TARGET -- a symbolic link, owned by another user when we can
plant() {
	rm -f "$1"
	ln -s "$2" "$1"
	[ "$(id -u)" != 0 ] || chown -h nobody "$1"
}

# refused WHAT MESSAGE ARGS... -- tail2syslog with ARGS exits 73 at once
# with MESSAGE
refused() {
	_what=$1 _msg=$2
	shift 2
	t2s -T -n 127.0.0.1 -P "$RS_TCP" "$@" app.log 2>refused.err
	rc=$?
	[ $rc -eq 73 ] || fail "$_what: exit status $rc, not 73; $(cat refused.err)"
	assert_eq "tail2syslog: $_msg" "$(cat refused.err)" "$_what: message"
	assert_eq "precious" "$(cat victim)" "$_what: the link target"
	assert_eq "$victim_stamp" "$(ls -ln victim)" \
		"$_what: the link target's mode, owner, size or time"
	[ ! -e victim.new ] || fail "$_what: created the dangling link's target"
}

plant state.lnk victim
refused "state file, a link" "state.lnk: is a symbolic link" --state state.lnk
plant state.lnk victim.new
refused "state file, a dangling link" "state.lnk: is a symbolic link" --state state.lnk
plant pid.lnk victim
refused "pid file, a link" "pid.lnk: is a symbolic link" --pidfile pid.lnk
plant pid.lnk victim.new
refused "pid file, a dangling link" "pid.lnk: is a symbolic link" --pidfile pid.lnk
[ -L pid.lnk ] || fail "the refused pid file link was removed"

# The temporary file of an atomic save, planted as a link, is not followed.
plant state.tmp victim
follow tmp.err -t app --state state app.log
wait_until 5 test -f state || fail "state.tmp link: no state file"
stop "state.tmp link"
assert_eq "tail2syslog-state 1" "$(head -n 1 state)" "state.tmp link: the state file"
assert_eq "precious" "$(cat victim)" "state.tmp link: the link target"
assert_eq "$victim_stamp" "$(ls -ln victim)" \
	"state.tmp link: the link target's mode, owner, size or time"
[ ! -e state.tmp ] || [ -L state.tmp ] || fail "state.tmp: left behind"
rm -f state state.tmp

# A state file that is a hard link: the save replaces the name, not the file.
ln victim state.hard
follow hard.err -t app --state state.hard app.log
wait_until 5 grep -q '^tail2syslog-state 1$' state.hard ||
	fail "hard link: no state saved; stderr: $(cat hard.err)"
stop "state file, a hard link"
assert_eq "precious" "$(cat victim)" "hard link: the other name's file"

# --- 5. directories ---------------------------------------------------------

mkdir state.d
refused "state file, a directory" "state.d: not a regular file" --state state.d
mkdir ww
chmod 777 ww
refused "state file, world-writable directory" \
	"ww/state: directory ww is writable by everyone" --state ww/state
refused "pid file, world-writable directory" \
	"ww/pid: directory ww is writable by everyone" --pidfile ww/pid
[ ! -e ww/state ] && [ ! -e ww/pid ] || fail "world-writable: a file was created"
chmod 1777 ww # sticky, like /tmp: refused too (issue 16)
refused "state file, sticky world-writable directory" \
	"ww/state: directory ww is writable by everyone" --state ww/state
refused "pid file, sticky world-writable directory" \
	"ww/pid: directory ww is writable by everyone" --pidfile ww/pid
[ ! -e ww/state ] && [ ! -e ww/pid ] || fail "sticky: a file was created"

# --- 6. a full file system --------------------------------------------------

# skip_full WHY -- skip the full file system case (after any deferred failure)
skip_full() {
	[ -z "$later" ] || fail "$later"
	skip "full file system: $1 (the other cases passed)"
}
[ "$(id -u)" = 0 ] || skip_full "needs root to mount a tmpfs"
mkdir full
mount -t tmpfs -o size=1m,mode=755 t2s-hard-full "$W/full" 2>mount.err ||
	skip_full "mount not permitted: $(cat mount.err)"
# On the way out: stop tail2syslog first (its last save would land under the
# mount point), unmount, then lib.sh cleans up.
# shellcheck disable=SC2154
trap '_rc0=$?; kill $pid 2>/dev/null; wait $pid 2>/dev/null
	umount -l "$W/full" 2>/dev/null; (exit $_rc0); _cleanup' EXIT

# saved_offset -- the offset of app.log in the state file
saved_offset() {
	awk 'NR > 1 && $NF ~ /app\.log$/ { print $3 }' full/state
}
# offset_is N -- true when the state file says app.log was sent up to N
offset_is() {
	[ "$(saved_offset)" = "$1" ]
}

rm -f app.log
: >app.log
settle_rsyslog
: >"$RS_OUT"
n_want=0
follow full.err -t app --from-start --state full/state --state-interval 0.1 app.log
line "full 1"
size=$(wc -c <app.log | tr -d ' ')
wait_until 5 offset_is "$size" || fail "full: state not saved ($(saved_offset))"
cp full/state state.before
# Fill it up.
dd if=/dev/zero of=full/filler bs=4k 2>/dev/null
[ "$(df -P full | awk 'NR == 2 { print $4 }')" -eq 0 ] || fail "full: not full"
line "full 2"
line "full 3"
wait_until 5 grep -q 'full/state.tmp: No space left on device, will retry' full.err ||
	fail "full: no warning; stderr: $(cat full.err)"
line "full 4"
assert_file_eq state.before full/state "full: the old state file"
[ ! -e full/state.tmp ] || fail "full: state.tmp left behind"
idle "full"
# Room again: the next save goes through.
rm full/filler
line "full 5"
size=$(wc -c <app.log | tr -d ' ')
wait_until 5 offset_is "$size" || fail "full: state not saved once there is room"
stop "full, then room again"

# Full at the end: the state cannot be saved at TERM.
follow full2.err -t app --state full/state --state-interval 0.1 app.log
line "full 6"
size=$(wc -c <app.log | tr -d ' ')
wait_until 5 offset_is "$size" || fail "full 2: state not saved"
cp full/state state.before
dd if=/dev/zero of=full/filler bs=4k 2>/dev/null
line "full 7"
kill $pid
wait $pid
rc=$?
assert_eq 73 $rc "full at TERM: exit status"
assert_eq "tail2syslog: full/state.tmp: No space left on device" \
	"$(tail -n 1 full2.err)" "full at TERM: the last message"
assert_file_eq state.before full/state "full at TERM: the old state file"
settle_rsyslog
assert_records
[ -z "$later" ] || fail "$later"
exit 0
