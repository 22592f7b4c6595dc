#!/bin/sh
# arch.sh -- build tail2syslog for other architectures with Debian's cross
# compilers and test each under qemu-user, against the real rsyslogd
#
# usage: sh tests/arch.sh [ARCH ...]
# ARCH is i686, aarch64, s390x (these three by default) or armhf; each needs
# Debian's g++-TRIPLE and qemu-user-static (README, Portability).
# For each ARCH, in a build directory of its own (the sources are copied:
# the objects of the worktree are left alone):
#   1. make static tests/unit_tests CXX=TRIPLE-g++ STRIP=TRIPLE-strip
#      LDFLAGS=-static -- the static binary, and the unit tests linked
#      static so that qemu needs no sysroot
#   2. the unit tests under qemu-ARCH-static
#   3. the scenarios $ARCH_SCENARIOS with T2S a wrapper that runs the
#      binary under qemu (qemu-user passes sockets and signals through):
#      UDP, TCP (LF and octet counting), a unix socket, escaping, long
#      lines, each format, rename rotation under a 20,000 lines/s writer,
#      copytruncate, --once --state across runs with rotations, a sparse
#      file past 5 GiB; then t_arch_bytes, which compares the bytes the
#      binary sends for hostile input with those of a static build for
#      this host (built here too), byte for byte.
# Environment
#   ARCH_CXXFLAGS   compiler flags (default: warnings are errors, as in CI)
#   ARCH_SCENARIOS  the scenarios of step 3 (default below)
#   ARCH_KEEP       when set, keep the build directories
# Each step prints its seconds; the last line is "N passed, M failed" over
# every architecture (unit test cases and scenarios); the exit status is 1
# when anything failed.

LC_ALL=C
export LC_ALL
cd "$(dirname "$0")/.." || exit 1
TOP=$(pwd)
flags=${ARCH_CXXFLAGS:--O2 -Wall -Wextra -Wpedantic -Werror}
scenarios=${ARCH_SCENARIOS:-t_udp4 t_tcp_lf t_tcp_octet t_unix_dgram t_escape \
t_split t_rfc5424 t_raw t_follow_truncate t_follow_rotate_tcp t_ops_once \
t_follow_big}
jobs=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)
[ $# -gt 0 ] || set -- i686 aarch64 s390x
B=$(mktemp -d "${TMPDIR:-/tmp}/t2s-arch.XXXXXX") || exit 1
if [ -n "${ARCH_KEEP:-}" ]; then
	trap 'echo "kept $B"' EXIT
else
	trap 'rm -rf "$B"' EXIT
fi
trap 'exit 130' INT
trap 'exit 143' TERM HUP
passed=0 failed=0
t0=$(date +%s)

# say TEXT -- TEXT, with the seconds since the start
say() {
	echo "[$(($(date +%s) - t0)) s] $*"
}

# bad WHAT -- count one failure
bad() {
	echo "FAIL $*"
	failed=$((failed + 1))
}

# triple ARCH / emulator ARCH -- the GNU triple and the qemu of ARCH
triple() {
	case $1 in
	i686) echo i686-linux-gnu ;;
	aarch64) echo aarch64-linux-gnu ;;
	s390x) echo s390x-linux-gnu ;;
	armhf) echo arm-linux-gnueabihf ;;
	esac
}
emulator() {
	case $1 in
	i686) echo qemu-i386-static ;;
	armhf) echo qemu-arm-static ;;
	*) echo "qemu-$1-static" ;;
	esac
}

# build NAME MAKE-ARGS... -- make, in $B/NAME from a copy of the sources
build() {
	_d=$B/$1
	shift
	mkdir -p "$_d/src" "$_d/tests" &&
		cp Makefile "$_d/" && cp src/*.cc src/*.h "$_d/src/" &&
		cp tests/*.cc "$_d/tests/" || return 1
	for _h in tests/*.h; do
		[ ! -f "$_h" ] || cp "$_h" "$_d/tests/" || return 1
	done
	(cd "$_d" && nice make -j"$jobs" CXXFLAGS="$flags" "$@") >"$_d/build.log" 2>&1 ||
		{ tail -n 20 "$_d/build.log"; return 1; }
}

# add_counts FILE -- add the "N passed, M failed" of run.sh's output FILE
add_counts() {
	_l=$(tail -n 1 "$1")
	_p=$(echo "$_l" | sed -n 's/^\([0-9]*\) passed.*/\1/p')
	_f=$(echo "$_l" | sed -n 's/.* \([0-9]*\) failed.*/\1/p')
	if [ -z "$_p" ] || [ -z "$_f" ]; then
		bad "no summary from tests/run.sh"
		return
	fi
	passed=$((passed + _p)) failed=$((failed + _f))
}

# one ARCH -- build, unit tests, scenarios for ARCH
one() {
	t=$(triple "$1") q=$(emulator "$1") d=$B/$1
	if [ -z "$t" ]; then
		bad "$1: unknown architecture (i686, aarch64, s390x, armhf)"
		return
	fi
	for _tool in "$t-g++" "$t-strip" "$q"; do
		command -v "$_tool" >/dev/null 2>&1 || {
			bad "$1: $_tool not installed"
			return
		}
	done
	say "$1: make static tests/unit_tests CXX=$t-g++ STRIP=$t-strip LDFLAGS=-static"
	build "$1" CXX="$t-g++" STRIP="$t-strip" LDFLAGS=-static \
		tail2syslog.static tests/unit_tests || {
		bad "$1: build"
		return
	}
	say "$1: unit tests under $q"
	"$q" "$d/tests/unit_tests" >"$d/unit.out" 2>&1
	rc=$?
	_s=$(grep '^\[doctest\] test cases:' "$d/unit.out")
	_p=$(echo "$_s" | sed -n 's/.*| *\([0-9]*\) passed.*/\1/p')
	_f=$(echo "$_s" | sed -n 's/.*| *\([0-9]*\) failed.*/\1/p')
	if [ $rc -eq 0 ] && [ -n "$_p" ] && [ "$_f" = 0 ]; then
		echo "PASS $1 unit_tests ($_p test cases)"
		passed=$((passed + _p))
	else
		tail -n 20 "$d/unit.out"
		bad "$1 unit_tests (exit $rc)"
	fi
	printf '#!/bin/sh\nexec %s %s "$@"\n' "$q" "$d/tail2syslog.static" >"$d/t2s"
	chmod +x "$d/t2s"
	say "$1: scenarios under $q"
	# rename rotation only, 3 s of it: the other modes are not about the
	# architecture, and qemu is slow
	T2S=$d/t2s T2S_REF=$B/host/tail2syslog.static ROTATE_MODES=rename:3 \
		sh tests/run.sh $scenarios t_arch_bytes |
		sed -e "s/^PASS /PASS $1 /" -e "s/^FAIL /FAIL $1 /" -e "s/^SKIP /SKIP $1 /" |
		tee "$d/scenarios.out"
	add_counts "$d/scenarios.out"
}

say "host: make static tests/tools/writer (the reference for t_arch_bytes)"
build host CXX="${CXX:-c++}" tail2syslog.static || {
	bad "host: build"
	echo "$passed passed, $failed failed"
	exit 1
}
nice make -s tests/tools/writer >/dev/null || bad "tests/tools/writer: build"
for arch; do
	one "$arch"
done
say "done: $*"
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
