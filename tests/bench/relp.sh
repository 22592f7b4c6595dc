#!/bin/sh
# relp.sh -- catch-up throughput of --relp against plain TCP (-T), part of
# "make bench": one file of BENCH_RELP_LINES lines (default 200000) sent
# with --from-start --once to a private rsyslogd (tests/lib.sh's
# start_rsyslog_relp: imrelp and imtcp into the same ruleset, Direct
# queues, synchronous omfile, so it acknowledges only what it wrote).
# lines/s = lines / (start of tail2syslog -> the last record written); the
# median of BENCH_REPEAT runs (default 3).  A benchmark: it prints, and
# fails only when a run does not deliver every line.
T2S=${T2S:-$(cd "$(dirname "$0")/../.." && pwd)/tail2syslog}
. "$(dirname "$0")/../lib.sh"
lines=${BENCH_RELP_LINES:-200000}
repeat=${BENCH_REPEAT:-3}
start_rsyslog_relp
awk -v n="$lines" 'BEGIN { for (i = 0; i < n; i++) printf "bench %d a line of some length\n", i }' \
	>"$W/bench.log"

# run_once PROTO -- prints lines/s for one run over PROTO (relp or tcp)
run_once() {
	settle_rsyslog
	base=$(count_records)
	rm -f "$W/state"
	if [ "$1" = relp ]; then
		set -- --relp -n "127.0.0.1:$RS_RELP"
	else
		set -- -T -n "127.0.0.1:$RS_TCP"
	fi
	t0=$(now_ms)
	timeout 300 "$T2S" "$@" -t bench --from-start --once --state "$W/state" \
		"$W/bench.log" || fail "tail2syslog $*: exit status $?"
	wait_until 120 has_records $((base + lines)) ||
		fail "$*: $(($(count_records) - base)) of $lines lines arrived"
	t1=$(now_ms)
	echo $((lines * 1000 / (t1 - t0 + 1)))
}

# median -- the middle of the numbers on standard input
median() {
	sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

printf 'catch-up of %d lines to rsyslogd (imrelp / imtcp, Direct queues, synchronous omfile)\n' \
	"$lines"
for proto in relp tcp; do
	i=0
	while [ $i -lt "$repeat" ]; do
		run_once $proto
		i=$((i + 1))
	done >"$W/$proto.runs"
	printf '  %-5s %8s lines/s  (runs: %s)\n' "$proto" "$(median <"$W/$proto.runs")" \
		"$(tr '\n' ' ' <"$W/$proto.runs" | sed 's/ $//')"
done
