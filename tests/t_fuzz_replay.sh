#!/bin/sh
# t_fuzz_replay -- every fuzz target's seed corpus replayed through the
# target without libFuzzer (tests/fuzz/replay.cc), with the sanitizers when
# the build has them: "make check" builds tests/fuzz/replay_NAME first.
. "$(dirname "$0")/lib.sh"
bad=0
for name in config format lines options relp state; do
	replay=$TOP/tests/fuzz/replay_$name
	[ -x "$replay" ] || skip "no $replay: make tests/fuzz/replay_$name"
	set -- "$TOP"/tests/fuzz/corpus/$name/*
	[ -f "$1" ] || fail "no seed corpus in tests/fuzz/corpus/$name"
	if "$replay" "$@" >"$W/out" 2>&1; then
		echo "$name: $# inputs"
	else
		echo "$name: replay failed"
		tail -n 20 "$W/out"
		bad=$((bad + 1))
	fi
done
[ $bad -eq 0 ] || fail "$bad of 6 fuzz targets failed on their seed corpus"
