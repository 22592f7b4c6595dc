#!/bin/sh
# t_ops_state_sync -- every save of the state file is durable (issue 10,
# item 6): the new file is flushed, renamed over the old one, and then its
# directory is flushed, so that after a power loss the name holds the new
# state, not the old one (or none).  Seen with strace(1): each rename of
# STATE.tmp to STATE is followed by an fsync of a descriptor opened on
# STATE's directory.
. "$(dirname "$0")/lib.sh"
need strace
if command -v ldd >/dev/null 2>&1 && ldd "$T2S" 2>/dev/null | grep -q 'lib[a-z]*san\.so'; then
	skip "a sanitizer build (LeakSanitizer fails under ptrace)"
fi
strace -f -qq -e trace=fsync -o /dev/null true 2>/dev/null || skip "strace cannot trace here"

mkdir s
printf 'line %s\n' 1 2 3 >app.log
strace -f -qq -e trace=openat,open,rename,renameat,renameat2,fsync -o trace \
	"$T2S" --stdout --once --from-start --state "$W/s/state" app.log >out 2>err ||
	fail "exit status $?; $(cat err)"
assert_eq "3" "$(wc -l <out | tr -d ' ')" "lines sent"
# Every rename of the state file, and what follows it: the directory opened
# (its descriptor) and that descriptor flushed.
awk -v dir="$W/s" -v state="$W/s/state" '
	/rename/ && index($0, "\"" state ".tmp\"") && index($0, "\"" state "\"") {
		renames++; want_open = 1; next
	}
	want_open && /open/ && index($0, "\"" dir "\"") && /O_DIRECTORY/ {
		fd = $NF; want_open = 0; want_sync = 1; next
	}
	want_sync && $0 ~ "fsync\\(" fd "\\)" { synced++; want_sync = 0 }
	END { printf "%d %d\n", renames, synced }' trace >counts
read -r renames synced <counts
[ "$renames" -ge 2 ] || fail "saw $renames renames of the state file, not 2 or more (start, exit)"
assert_eq "$renames" "$synced" "renames followed by an fsync of the directory"
echo "$renames saves, each rename followed by an fsync of $W/s"
exit 0
