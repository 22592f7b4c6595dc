#!/bin/sh
# t_dist_readme -- the README's commands are complete as written on a fresh
# Debian or Ubuntu box:
#   - the build command is preceded by an apt-get install of g++ and make;
#   - the test command's apt-get install list is the one .ci/run installs
#     for the suite (test_pkgs), compiler and make included, so that a
#     package CI needs is never missing from the README, nor the reverse.
# (The commands themselves were run in a debootstrap chroot by hand; this
# holds the lists.)
. "$(dirname "$0")/lib.sh"
README=$TOP/README
RUN=$TOP/.ci/run

# install_list LINE_RE -- the packages of the "apt-get install -y" command
# that follows the first line matching LINE_RE in the README, continuation
# lines included, one a line, sorted (filter: none; reads $README)
install_list() {
	awk -v re="$1" '
		!seen && $0 ~ re { seen = 1 }
		seen && !done && /apt-get install/ { on = 1; sub(/.*apt-get install -y/, "") }
		on { line = $0; more = sub(/\\ *$/, "", line); printf "%s ", line
			if (!more) { on = 0; done = 1 } }' "$README" |
		tr ' ' '\n' | sed '/^$/d' | LC_ALL=C sort -u
}

install_list '^Build and run' >"$W/build"
for p in g++ make; do
	grep -qx "$p" "$W/build" || fail "the README's build command does not install $p"
done

install_list '^Test' >"$W/readme"
[ -s "$W/readme" ] || fail "no apt-get install in the README's Test section"
sed -n 's/^test_pkgs="\(.*\)"$/\1/p' "$RUN" | tr ' ' '\n' | sed '/^$/d' |
	LC_ALL=C sort -u >"$W/ci"
[ -s "$W/ci" ] || fail "no test_pkgs=\"...\" line in .ci/run"
if ! cmp -s "$W/readme" "$W/ci"; then
	echo "only in the README: $(comm -23 "$W/readme" "$W/ci" | tr '\n' ' ')"
	echo "only in .ci/run:    $(comm -13 "$W/readme" "$W/ci" | tr '\n' ' ')"
	fail "the README's test packages and .ci/run's test_pkgs differ"
fi
echo "test packages: $(tr '\n' ' ' <"$W/readme")"
exit 0
