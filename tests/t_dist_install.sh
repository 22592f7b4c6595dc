#!/bin/sh
# t_dist_install -- make install into a temporary DESTDIR puts the binary
# and the manual under PREFIX (default /usr/local) and MANPREFIX (default
# PREFIX/share/man); the installed binary runs and man -l reads the page;
# make uninstall leaves no file behind. With GNU make, and with bmake where
# it is installed.
. "$(dirname "$0")/lib.sh"

version=$(sed -n 's/^VERSION *= *//p' "$TOP/Makefile")
[ -n "$version" ] || fail "no VERSION in the Makefile"

# run_make MAKE TARGET VAR=VALUE... -- run MAKE in the source tree, output
# to $W/make.out. bmake must not read the MAKEFLAGS of a GNU make that
# started "make check".
run_make() {
	_rm_make=$1
	shift
	(
		cd "$TOP" || exit 1
		if [ "$_rm_make" = bmake ]; then
			unset MAKEFLAGS MFLAGS MAKELEVEL MAKE
			bmake "$@"
		else
			${MAKE:-make} "$@"
		fi
	) >"$W/make.out" 2>&1
	_rm_st=$?
	[ $_rm_st -eq 0 ] && return 0
	tail -n 10 "$W/make.out"
	fail "$_rm_make $*: exit status $_rm_st"
}

# mode FILE -- the permission bits of FILE, as ls -l shows them
mode() {
	ls -l "$1" | cut -c 2-10
}

# check_install MAKE DIR BINDIR MANDIR VAR=VALUE... -- install into DIR
# with VARs, expect BINDIR/tail2syslog and MANDIR/man1/tail2syslog.1 (both
# below DIR), run them, uninstall, expect no file left
check_install() {
	_ci_make=$1 _ci_dest=$2 _ci_bin=$2$3/tail2syslog
	_ci_man=$2$4/man1/tail2syslog.1
	shift 4
	run_make "$_ci_make" install DESTDIR="$_ci_dest" "$@"
	[ -f "$_ci_bin" ] || fail "$_ci_make install $*: no $_ci_bin"
	[ -f "$_ci_man" ] || fail "$_ci_make install $*: no $_ci_man"
	assert_eq rwxr-xr-x "$(mode "$_ci_bin")" "mode of the installed binary"
	assert_eq rw-r--r-- "$(mode "$_ci_man")" "mode of the installed page"
	assert_file_eq "$TOP/man/tail2syslog.1" "$_ci_man" "installed page"
	assert_eq 2 "$(find "$_ci_dest" ! -type d | wc -l | tr -d ' ')" \
		"number of files installed"

	assert_eq "tail2syslog $version" "$("$_ci_bin" --version)" \
		"installed binary: --version"
	echo hello | "$_ci_bin" --stdout -t inst >"$W/out" 2>"$W/err" ||
		fail "installed binary: --stdout: exit status $?"
	[ ! -s "$W/err" ] || fail "installed binary: stderr: $(cat "$W/err")"
	grep -q "^<13>... .. ..:..:.. $HOST_SHORT inst: hello\$" "$W/out" ||
		fail "installed binary: --stdout printed: $(cat "$W/out")"

	if command -v man >/dev/null 2>&1; then
		MANPAGER=cat PAGER=cat MANWIDTH=80 man -l "$_ci_man" \
			>"$W/man.out" 2>"$W/man.err" ||
			fail "man -l $_ci_man: exit status $? ($(head -n 3 "$W/man.err"))"
		# strip overstriking, if man kept it
		sed "s/.$(printf '\b')//g" "$W/man.out" >"$W/man.txt"
		grep -q '^SYNOPSIS' "$W/man.txt" && grep -q '^EXIT STATUS' "$W/man.txt" &&
			grep -q 'tail2syslog .* follow files' "$W/man.txt" ||
			fail "man -l $_ci_man: $(head -n 5 "$W/man.txt")"
	else
		echo "not checked: man -l (man is not installed)"
	fi

	run_make "$_ci_make" uninstall DESTDIR="$_ci_dest" "$@"
	find "$_ci_dest" ! -type d >"$W/left"
	[ ! -s "$W/left" ] ||
		fail "$_ci_make uninstall $*: left $(tr '\n' ' ' <"$W/left")"
}

check_install make "$W/d1" /usr/local/bin /usr/local/share/man
check_install make "$W/d2" /usr/bin /usr/share/man PREFIX=/usr
check_install make "$W/d3" /opt/t2s/bin /opt/t2s/man \
	PREFIX=/opt/t2s MANPREFIX=/opt/t2s/man
if command -v bmake >/dev/null 2>&1; then
	check_install bmake "$W/b1" /usr/local/bin /usr/local/share/man
	check_install bmake "$W/b2" /usr/bin /usr/share/man PREFIX=/usr
	check_install bmake "$W/b3" /usr/pkg/bin /usr/pkg/man \
		PREFIX=/usr/pkg MANPREFIX=/usr/pkg/man
else
	echo "not checked: bmake (not installed)"
fi
