#!/bin/sh
# run.sh -- run the unit tests and the integration scenarios
#
# usage: sh tests/run.sh [t_name ...]
# Runs tests/unit_tests when it was built (its doctest test cases count
# one by one), then every tests/t_*.sh in order; or only the named ones
# ("unit_tests" names the doctest binary).
# A scenario passes with exit 0, is skipped with 77, fails otherwise or when
# it runs longer than $T2S_TEST_TIMEOUT seconds (default 120).
# The last line is "N passed, M failed" (", K skipped" when any); the exit
# status is 1 when anything failed.

LC_ALL=C
export LC_ALL
cd "$(dirname "$0")/.." || exit 1
T2S=${T2S:-./tail2syslog}
export T2S
limit=${T2S_TEST_TIMEOUT:-120}
out=$(mktemp "${TMPDIR:-/tmp}/t2s-run.XXXXXX") || exit 1
trap 'rm -f "$out"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP
passed=0 failed=0 skipped=0

# bounded CMD... -- CMD under timeout(1) when the system has it
bounded() {
	if command -v timeout >/dev/null 2>&1; then
		timeout "$limit" "$@"
	else
		"$@"
	fi
}

# show_tail -- the end of the last test's output, indented
show_tail() {
	tail -n 20 "$out" | sed 's/^/    /'
}

# count N WORD -- the number before WORD in doctest's summary line
count() {
	sed -n "s/^\[doctest\] test cases:.*[ |]\([0-9][0-9]*\) $1.*/\1/p" "$out" |
		tail -n 1
}

# unit_tests -- run the doctest binary and add up its test cases
unit_tests() {
	bounded tests/unit_tests >"$out" 2>&1
	rc=$?
	p=$(count passed) f=$(count failed) s=$(count skipped)
	if [ -z "$p" ] || [ -z "$f" ]; then
		p=0 f=1 s=0
	elif [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
	fi
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + ${s:-0}))
	if [ "$f" -eq 0 ]; then
		echo "PASS unit_tests ($p test cases)"
	else
		echo "FAIL unit_tests (exit $rc)"
		show_tail
	fi
}

if [ $# -eq 0 ]; then
	[ ! -x tests/unit_tests ] || set -- unit_tests
	set -- "$@" tests/t_*.sh
fi
for t; do
	name=${t##*/}
	name=${name%.sh}
	t=tests/$name.sh
	if [ "$name" = unit_tests ] && [ -x tests/unit_tests ]; then
		unit_tests
		continue
	elif [ ! -f "$t" ]; then
		echo "FAIL $name: no such scenario"
		failed=$((failed + 1))
		continue
	fi
	bounded sh "$t" >"$out" 2>&1
	rc=$?
	case $rc in
	0)
		echo "PASS $name"
		passed=$((passed + 1))
		;;
	77)
		printf 'SKIP %s: %s\n' "$name" "$(sed -n 's/^skip: //p' "$out" | tail -n 1)"
		skipped=$((skipped + 1))
		;;
	124)
		echo "FAIL $name: timed out after $limit s"
		show_tail
		failed=$((failed + 1))
		;;
	*)
		echo "FAIL $name"
		show_tail
		failed=$((failed + 1))
		;;
	esac
done

summary="$passed passed, $failed failed"
[ $skipped -eq 0 ] || summary="$summary, $skipped skipped"
echo "$summary"
[ $failed -eq 0 ]
