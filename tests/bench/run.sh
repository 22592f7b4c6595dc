#!/bin/sh
# run.sh -- the benchmark behind "make bench": tail2syslog side by side with
# `tail -F | logger` (coreutils + util-linux) and, when rsyslogd is
# installed, rsyslog imfile -> omfwd, each sending to the same counting sink
# (tests/bench/sink.cc) on loopback.  Prints one table; it is a benchmark,
# not a test, and never fails on a figure.
#
# Environment
#   BENCH_QUICK=1     latency and idle windows of 10 s instead of 20 s / 30 s
#   BENCH_REPEAT=N    runs of each measurement; the median is shown (default 3)
#   BENCH_PAIRS=N     UDP catch-up runs of tail2syslog and the bare loop, back
#                     to back, per round (default 2: the figure is noisy)
#   BENCH_BUDGET=S    start no round that would end after S seconds (default
#                     570: the whole run stays under 10 minutes on a loaded
#                     machine, with fewer rounds if need be)
#   BENCH_LINES=N     lines of the catch-up file (default 1000000)
#   BENCH_CASES=...   the cases to run, of "catchup records live slow" (default all;
#                     for trials: the goals need every case)
#   BENCH_LIVE=tcp    transport of the live, latency and idle cases (tcp, udp
#                     or unix; default tcp, the only one that cannot lose)
#   BENCH_STATIC=0    skip building the static binary for its size
#   BENCH_LOGGER_OPTS extra logger(1) options, e.g. --rfc3164 (its default
#                     towards a server is RFC 5424, with time-quality data)
#   BENCH_KEEP=1      keep the work directory
#   BENCH_ONLY=records  run only the --record-start cases (the first table
#                     is then n/a)
#   BENCH_ONLY=idle   run only the latency and idle cases
#   T2S, CXX, MAKE    the binary under test, the compiler for the helpers,
#                     and the make(1) that builds the static binary
#
# The cases (each repeated; all traffic to 127.0.0.1 or a socket in the work
# directory; every wait is bounded):
#   catch-up  the file is complete before the start; tail2syslog
#             --from-start, `tail -n +1 -F | logger`, imfile from the start;
#             the sink stops at BENCH_LINES messages or after 1 s of silence.
#             lines/s = received / (last arrival - start of the tool).
#   live      an empty file, the tool started, then `gen write` appends 50k
#             or 200k lines/s for 3 s.  delivered/s = received while the
#             writer ran / its duration; backlog = written - received when
#             the writer stops; CPU = utime + stime (/proc/PID/stat) from the
#             writer's start until the last line arrived, per million lines.
#   latency   10 lines/s for 20 s, default settings; append -> receive.
#             p50 and p99 of the lines written after the first one arrived;
#             those written before waited for the tool's first look at a
#             file quiet since its start (about 2 s): shown on their own.
#   idle      1, 100, 1000 and 10,000 files nobody writes; CPU over 30 s from
#             /proc/PID/task/*/schedstat (nanoseconds; the ticks of
#             /proc/PID/stat are too coarse for this).  The idle and latency
#             cases of all tools run at the same time: they are nearly idle.
#             tail2syslog follows the 10,000 through one glob under
#             `ulimit -n 1024` (the common soft limit: its descriptor budget
#             at work); rsyslog is left out of that case (an imfile input
#             per file), tail gets the descriptors it needs.
#   RSS       VmHWM from /proc/PID/status just before the tool is stopped;
#             for the pipeline, tail's and logger's added up, as for CPU.
#   records   tail2syslog alone, catch-up over TCP, with and without
#             --record-start: the catch-up file (every line starts a
#             record: a regexec per line), and the same lines made into
#             records of five (four of them "\tat ..."), where a regex with
#             an alternation must regexec every line and a plain "^Nov "
#             lets the first byte turn the continuation lines away.
#             Per line: CPU s per M lines, and lines/s; ratio to no option.
set -u
LC_ALL=C
export LC_ALL

TOP=$(cd "$(dirname "$0")/../.." && pwd)
T2S=${T2S:-$TOP/tail2syslog}
CXX=${CXX:-c++}
MAKE=${MAKE:-make}
REPEAT=${BENCH_REPEAT:-3}
PAIRS=${BENCH_PAIRS:-2}
LINES=${BENCH_LINES:-1000000}
LIVE=${BENCH_LIVE:-tcp}
LOGGER_OPTS=${BENCH_LOGGER_OPTS:-}
if [ "${BENCH_QUICK:-0}" = 1 ]; then
	LAT_SECS=10
	IDLE_SECS=10
else
	LAT_SECS=20
	IDLE_SECS=30
fi
LIVE_SECS=3
RATES="50000 200000"
IDLE_COUNTS="1 100 1000 10000"
CU_LIMIT=60          # seconds one catch-up run may take at most
BUDGET=${BENCH_BUDGET:-570}
TOOLS="base t2s rsys"
CASES=${BENCH_CASES:-catchup records live slow}

case $T2S in
/*) ;;
*) T2S=$(pwd)/$T2S ;;
esac
case $REPEAT in
'' | *[!0-9]* | 0) echo "run.sh: BENCH_REPEAT must be a number from 1" >&2; exit 64 ;;
esac
case $PAIRS in
'' | *[!0-9]* | 0) echo "run.sh: BENCH_PAIRS must be a number from 1" >&2; exit 64 ;;
esac
case $BUDGET in
'' | *[!0-9]*) echo "run.sh: BENCH_BUDGET must be a number of seconds" >&2; exit 64 ;;
esac
case $LIVE in
tcp | udp | unix) ;;
*) echo "run.sh: BENCH_LIVE must be tcp, udp or unix" >&2; exit 64 ;;
esac
[ -x "$T2S" ] || { echo "run.sh: no binary at $T2S (run make first)" >&2; exit 1; }

START=$(($(date +%s) * 1000000)) # for the wall time and BENCH_BUDGET
W=$(mktemp -d "${TMPDIR:-/tmp}/t2sbench.XXXXXX") || exit 1
BIN=$W/bin
RES=$W/results
_pids=

say() {
	printf '%s\n' "$*" >&2
}

die() {
	say "run.sh: $*"
	exit 1
}

# track PID... / untrack PID -- the processes cleanup may stop; only ours
track() {
	_pids="$_pids $*"
}

untrack() {
	_ut=
	for _p in $_pids; do
		[ "$_p" = "$1" ] || _ut="$_ut $_p"
	done
	_pids=$_ut
}

# stop_pid PID -- TERM, at most 5 s to go, then KILL; reaps it
stop_pid() {
	if kill -TERM "$1" 2>/dev/null; then
		_sp_i=0
		while kill -0 "$1" 2>/dev/null && [ $_sp_i -lt 100 ]; do
			sleep 0.05
			_sp_i=$((_sp_i + 1))
		done
		kill -KILL "$1" 2>/dev/null
	fi
	wait "$1" 2>/dev/null
	untrack "$1"
}

cleanup() {
	_rc=$?
	trap - EXIT HUP INT TERM
	for _p in $_pids; do
		stop_pid "$_p"
	done
	if [ -n "${BENCH_KEEP:-}" ]; then
		say "kept $W"
	else
		rm -rf "$W"
	fi
	exit $_rc
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# wait_until SECONDS CMD... -- run CMD every 0.05 s until it succeeds; false
# when it still fails after about SECONDS
wait_until() {
	_wu_n=$(($1 * 20))
	shift
	while [ $_wu_n -gt 0 ]; do
		"$@" && return 0
		sleep 0.05
		_wu_n=$((_wu_n - 1))
	done
	"$@"
}

now_us() {
	"$BIN/gen" now
}

# rec TOOL METRIC VALUE -- one measured figure ("na" when there is none)
rec() {
	echo "$1 $2 $3" >>"$RES"
}

# last_rec TOOL METRIC -- the latest figure recorded ("na" if none)
last_rec() {
	awk -v t="$1" -v m="$2" '$1 == t && $2 == m { v = $3 } END { print (v == "" ? "na" : v) }' "$RES"
}

# kv FILE KEY -- KEY=value from the last "final" line of a sink report
kv() {
	awk -v k="$2" '$1 == "final" {
		v = "na"
		for (i = 2; i <= NF; i++) {
			n = index($i, "=")
			if (substr($i, 1, n - 1) == k) v = substr($i, n + 1)
		}
	} END { print (v == "" ? "na" : v) }' "$1"
}

# calc EXPR -- awk arithmetic; "na" if a variable is "na"
calc() {
	case " $* " in
	*na*) echo na ;;
	*) awk "BEGIN { x = $*; printf \"%.6g\\n\", x }" ;;
	esac
}

# quotient A B -- A / B; "na" if either is "na" or B is 0
quotient() {
	case "$1 $2" in
	*na*) echo na ;;
	*) awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print "na"; else printf "%.6g\n", a / b }' ;;
	esac
}

HZ=$(getconf CLK_TCK 2>/dev/null || echo 100)
HAVE_PROC=0
[ -r /proc/self/stat ] && HAVE_PROC=1
HAVE_SCHEDSTAT=0
[ -r /proc/self/schedstat ] && HAVE_SCHEDSTAT=1

# cpu_s PID... -- utime + stime of the processes, in seconds
cpu_s() {
	[ $HAVE_PROC = 1 ] || { echo na; return; }
	for _p; do
		# the fields after "pid (comm) ": state is $1, utime $12, stime $13
		sed 's/^.*) //' "/proc/$_p/stat" 2>/dev/null
	done | awk -v hz="$HZ" '{ t += $12 + $13 } END { printf "%.6f\n", t / hz }'
}

# cpu_ns PID... -- time on CPU of every thread, nanoseconds (schedstat), or
# utime + stime when the kernel has no schedstat
cpu_ns() {
	if [ $HAVE_SCHEDSTAT = 0 ]; then
		calc "$(cpu_s "$@") * 1e9"
		return
	fi
	for _p; do
		cat "/proc/$_p"/task/*/schedstat 2>/dev/null
	done | awk '{ t += $1 } END { printf "%.0f\n", t }'
}

# rss_mb PID... -- VmHWM added up, in MB (10^6 bytes)
rss_mb() {
	[ $HAVE_PROC = 1 ] || { echo na; return; }
	for _p; do
		cat "/proc/$_p/status" 2>/dev/null
	done | awk '$1 == "VmHWM:" { k += $2; n++ }
		END { if (n) printf "%.2f\n", k * 1024 / 1e6; else print "na" }'
}

# has_open PID FILE -- PID has FILE open
has_open() {
	for _fd in "/proc/$1/fd"/*; do
		[ "$(readlink "$_fd" 2>/dev/null)" = "$2" ] && return 0
	done
	return 1
}

# --- the helpers and the data -------------------------------------------
mkdir -p "$BIN"
for _h in sink gen bare; do
	"$CXX" -std=c++17 -O2 -o "$BIN/$_h" "$TOP/tests/bench/$_h.cc" ||
		die "cannot build tests/bench/$_h.cc with $CXX"
done

HAVE_BASE=1
command -v logger >/dev/null 2>&1 || HAVE_BASE=0
command -v tail >/dev/null 2>&1 || HAVE_BASE=0
HAVE_RSYS=1
command -v rsyslogd >/dev/null 2>&1 || HAVE_RSYS=0
[ $HAVE_RSYS = 1 ] || say "rsyslogd not installed: its column is n/a"
[ $HAVE_BASE = 1 ] || say "tail or logger missing: no baseline, no ratios"

# Some systems' default is 1024 descriptors; 1000 idle files need more.
# (ulimit -n is not POSIX, but every sh we know has it.)
# shellcheck disable=SC3045
_nofile=$(ulimit -n)
# shellcheck disable=SC3045
case $_nofile in
unlimited) ;;
*) [ "$_nofile" -ge 16384 ] || ulimit -n 16384 2>/dev/null ||
	ulimit -n 4096 2>/dev/null ;;
esac

: >"$RES"
LOAD0=$(cut -d ' ' -f 1-3 /proc/loadavg 2>/dev/null || echo na)

# binary sizes: as built and stripped (static: static_size, at the end); the
# peers' as installed (distribution binaries are stripped)
rec t2s size_dyn "$(calc "$(wc -c <"$T2S") / 1e6")"
if strip -o "$BIN/t2s.stripped" "$T2S" 2>/dev/null; then
	rec t2s size_strip "$(calc "$(wc -c <"$BIN/t2s.stripped") / 1e6")"
fi
if [ $HAVE_BASE = 1 ]; then
	rec base size_strip "$(calc "($(wc -c <"$(command -v tail)") + \
		$(wc -c <"$(command -v logger)")) / 1e6")"
fi
if [ $HAVE_RSYS = 1 ]; then
	_imfile=$(ls /usr/lib/*/rsyslog/imfile.so /usr/lib/rsyslog/imfile.so \
		/usr/lib64/rsyslog/imfile.so /usr/local/lib/rsyslog/imfile.so 2>/dev/null |
		head -n 1)
	rec rsys size_strip "$(calc "($(wc -c <"$(command -v rsyslogd)") + \
		$(cat "$_imfile" 2>/dev/null | wc -c)) / 1e6")"
fi
say "generating $LINES lines ..."
DATA=$W/catchup.log
"$BIN/gen" lines "$LINES" >"$DATA" || die "gen failed"
AVG=$(calc "$(wc -c <"$DATA") / $LINES")
# The same lines as records of five: a first line, four "\tat" lines.
TRACES=$W/traces.log
awk 'NR % 5 != 1 { printf "\tat " } { print }' "$DATA" >"$TRACES" || die "awk failed"
RECORDS=$(((LINES + 4) / 5))

# Idle files: one line each, shared by every tool (none of them writes).
for _n in $IDLE_COUNTS; do
	mkdir -p "$W/idle$_n"
	_i=1
	while [ $_i -le $_n ]; do
		echo "idle file $_i" >"$W/idle$_n/f$_i.log"
		_i=$((_i + 1))
	done
done
# Faster than the loop above for the 10,000 (the loop stays for the others:
# the same files as in earlier runs).
_n=10000
mkdir -p "$W/idle$_n"
awk -v d="$W/idle$_n" -v n=$_n 'BEGIN {
	for (i = 1; i <= n; i++) { f = d "/f" i ".log"; print "idle file " i >f; close(f) }
}'

# --- sink and tools ------------------------------------------------------

# start_sink NAME KIND SINK-OPTIONS... -- starts a sink; sets SINK_PID,
# SINK_ADDR (port or path) and SINK_OUT (its report)
start_sink() {
	_ss_name=$1
	_ss_kind=$2
	shift 2
	_ss_addr=0
	[ "$_ss_kind" = unix ] && _ss_addr=$W/$_ss_name.sock
	SINK_OUT=$W/$_ss_name.sink
	rm -f "$W/$_ss_name.ready"
	"$BIN/sink" -k "$_ss_kind" -a "$_ss_addr" -r "$W/$_ss_name.ready" "$@" \
		>"$SINK_OUT" 2>"$W/$_ss_name.sinkerr" &
	SINK_PID=$!
	track $SINK_PID
	wait_until 5 test -s "$W/$_ss_name.ready" ||
		die "sink $_ss_name did not start: $(cat "$W/$_ss_name.sinkerr")"
	SINK_ADDR=$(cat "$W/$_ss_name.ready")
}

# dest_opts KIND ADDR -- the destination options of tail2syslog and logger
dest_opts() {
	case $1 in
	udp) echo "-d -n 127.0.0.1 -P $2" ;;
	tcp) echo "-T -n 127.0.0.1 -P $2" ;;
	unix) echo "-u $2" ;;
	esac
}

# rsys_config NAME KIND PORT FILE... -- writes $W/NAME.rsys/rsyslog.conf:
# imfile from the first byte of each file to omfwd; nothing else loaded
rsys_config() {
	_rc_d=$W/$1.rsys
	_rc_proto=$2
	_rc_port=$3
	shift 3
	rm -rf "$_rc_d"
	mkdir -p "$_rc_d/work"
	{
		echo "global(workDirectory=\"$_rc_d/work\" net.enableDNS=\"off\")"
		echo 'module(load="imfile")'
		echo 'ruleset(name="fwd") {'
		echo "	action(type=\"omfwd\" target=\"127.0.0.1\" port=\"$_rc_port\"" \
			"protocol=\"$_rc_proto\")"
		echo '}'
		for _f; do
			echo "input(type=\"imfile\" file=\"$_f\" tag=\"bench\" ruleset=\"fwd\"" \
				"readMode=\"0\" freshStartTail=\"off\")"
		done
		echo "action(type=\"omfile\" file=\"$_rc_d/internal.log\")"
	} >"$_rc_d/rsyslog.conf"
}

# start_tool NAME TOOL KIND ADDR FROM FILE... -- starts TOOL (t2s, base,
# rsys, bare) sending to the sink at ADDR; FROM is "start" (catch-up: read
# the files from their first byte) or "end".  Sets TOOL_PIDS (for the
# pipeline: tail, then logger) and TOOL_WATCH, the pid that opens the files.
start_tool() {
	_st_name=$1
	_st_tool=$2
	_st_kind=$3
	_st_addr=$4
	_st_from=$5
	shift 5
	case $_st_tool in
	t2s)
		_st_fs=
		[ "$_st_from" = start ] && _st_fs=--from-start
		# shellcheck disable=SC2046
		# T2S_NOFILE: its descriptor limit (sh -c: exec keeps the pid).
		sh -c 'if [ -n "$1" ]; then ulimit -n "$1" || exit 1; fi; shift; exec "$@"' sh \
			"${T2S_NOFILE:-}" "$T2S" $_st_fs -t bench $(dest_opts "$_st_kind" "$_st_addr") "$@" \
			</dev/null >/dev/null 2>"$W/$_st_name.err" &
		TOOL_PIDS=$!
		TOOL_WATCH=$!
		;;
	base)
		_st_n="-n 0"
		[ "$_st_from" = start ] && _st_n="-n +1"
		# A FIFO rather than a pipe, so that both pids are known.
		rm -f "$W/$_st_name.fifo"
		mkfifo "$W/$_st_name.fifo" || die "mkfifo failed"
		# shellcheck disable=SC2046,SC2086
		logger -t bench $LOGGER_OPTS $(dest_opts "$_st_kind" "$_st_addr") \
			<"$W/$_st_name.fifo" >/dev/null 2>"$W/$_st_name.err" &
		_st_lp=$!
		# shellcheck disable=SC2086
		tail -q $_st_n -F "$@" >"$W/$_st_name.fifo" 2>>"$W/$_st_name.err" &
		TOOL_PIDS="$! $_st_lp"
		TOOL_WATCH=$!
		;;
	rsys)
		rsys_config "$_st_name" "$_st_kind" "$_st_addr" "$@"
		rsyslogd -n -f "$W/$_st_name.rsys/rsyslog.conf" \
			-i "$W/$_st_name.rsys/rsyslogd.pid" \
			</dev/null >/dev/null 2>"$W/$_st_name.err" &
		TOOL_PIDS=$!
		TOOL_WATCH=$!
		;;
	bare)
		rm -f "$W/$_st_name.out"
		"$BIN/bare" "$_st_kind" "$_st_addr" "$1" \
			</dev/null >"$W/$_st_name.out" 2>"$W/$_st_name.err" &
		TOOL_PIDS=$!
		TOOL_WATCH=$!
		;;
	esac
	# shellcheck disable=SC2086
	track $TOOL_PIDS
}

# stop_tool PIDS -- stops the processes of one tool
stop_tool() {
	for _p; do
		stop_pid "$_p"
	done
}

# have_tool TOOL KIND -- TOOL is installed and can send over KIND
have_tool() {
	case $1 in
	base) [ $HAVE_BASE = 1 ] ;;
	rsys) [ $HAVE_RSYS = 1 ] && [ "$2" != unix ] ;; # omfwd: UDP and TCP
	*) true ;;
	esac
}

# sink_has PID OUT N -- the sink PID (report OUT) has received N messages
sink_has() {
	kill -USR1 "$1"
	sleep 0.05
	[ "$(awk '$1 == "snap" { split($2, a, "="); n = a[2] } END { print n + 0 }' \
		"$2")" -ge "$3" ]
}

# --- catch-up ------------------------------------------------------------

# catchup TOOL KIND REP
catchup() {
	start_sink cu "$2" -n "$LINES" -i 1000 -l $CU_LIMIT
	_cu_sink=$SINK_PID
	_cu_t0=$(now_us)
	start_tool cu "$1" "$2" "$SINK_ADDR" start "$DATA"
	wait "$_cu_sink" 2>/dev/null # bounded: the sink stops after CU_LIMIT s
	untrack "$_cu_sink"
	if [ "$1" = bare ]; then
		# it has sent everything by now, and reports its own cost at exit
		wait_until 5 test -s "$W/cu.out"
		read -r _ _cu_cpu _ _cu_rss <"$W/cu.out" || _cu_cpu=na _cu_rss=na
		_cu_rss=$(calc "$_cu_rss * 1024 / 1e6")
	else
		_cu_cpu=$(cpu_s $TOOL_PIDS)
		_cu_rss=$(rss_mb $TOOL_PIDS)
	fi
	stop_tool $TOOL_PIDS
	_cu_n=$(kv "$SINK_OUT" count)
	_cu_last=$(kv "$SINK_OUT" last_us)
	if [ "$_cu_n" = 0 ] || [ "$_cu_n" = na ]; then
		_cu_rate=0
		say "  $1 over $2 delivered nothing: $(head -c 300 "$W/cu.err")"
	else
		_cu_rate=$(calc "$_cu_n / (($_cu_last - $_cu_t0) / 1e6)")
	fi
	rec "$1" "cu_$2_rate" "$_cu_rate"
	rec "$1" "cu_$2_lost" "$(calc "$LINES - $_cu_n")"
	rec "$1" "cu_$2_cpu" "$(calc "$_cu_cpu * 1e6 / $LINES")"
	rec "$1" "cu_$2_rss" "$_cu_rss"
	say "  catch-up $2 run $3: $1 $(printf '%.0f' "$_cu_rate") lines/s," \
		"$_cu_n received, $(kv "$SINK_OUT" reason); cpu ${_cu_cpu}s rss ${_cu_rss}MB"
}

# --- records -------------------------------------------------------------

# records CASE DATA MESSAGES REP [OPTIONS...] -- a catch-up of DATA (LINES
# lines, MESSAGES messages once joined) by tail2syslog over TCP; the last
# record goes at once (--partial-timeout 0), not after 5 s
records() {
	_rc_case=$1
	_rc_data=$2
	_rc_want=$3
	start_sink rc tcp -n "$_rc_want" -i 1000 -l $CU_LIMIT
	_rc_sink=$SINK_PID
	_rc_rep=$4
	shift 4
	_rc_t0=$(now_us)
	start_tool rc t2s tcp "$SINK_ADDR" start --partial-timeout 0 "$@" "$_rc_data"
	wait "$_rc_sink" 2>/dev/null # bounded: the sink stops after CU_LIMIT s
	untrack "$_rc_sink"
	_rc_cpu=$(cpu_s $TOOL_PIDS)
	stop_tool $TOOL_PIDS
	_rc_n=$(kv "$SINK_OUT" count)
	_rc_last=$(kv "$SINK_OUT" last_us)
	if [ "$_rc_n" != "$_rc_want" ]; then
		say "  records $_rc_case: $_rc_n of $_rc_want messages: $(head -c 300 "$W/rc.err")"
		return
	fi
	_rc_rate=$(calc "$LINES / (($_rc_last - $_rc_t0) / 1e6)")
	rec t2s "rc_${_rc_case}_rate" "$_rc_rate"
	rec t2s "rc_${_rc_case}_cpu" "$(calc "$_rc_cpu * 1e6 / $LINES")"
	say "  records $_rc_case run $_rc_rep: $(printf '%.0f' "$_rc_rate") lines/s," \
		"cpu ${_rc_cpu}s"
}

# --- live ----------------------------------------------------------------

# live TOOL RATE REP
live() {
	_lv_k=$(($2 / 1000))
	_lv_file=$W/live.log
	rm -f "$_lv_file"
	: >"$_lv_file"
	_lv_total=$(($2 * LIVE_SECS))
	start_sink lv "$LIVE" -n "$_lv_total" -i 2000 -l $((LIVE_SECS + 40)) -L
	_lv_sink=$SINK_PID
	start_tool lv "$1" "$LIVE" "$SINK_ADDR" end "$_lv_file"
	wait_until 10 has_open "$TOOL_WATCH" "$_lv_file" ||
		say "  $1 has not opened the file after 10 s"
	sleep 0.5 # let the tool settle into its loop
	_lv_c0=$(cpu_s $TOOL_PIDS)
	"$BIN/gen" write "$_lv_file" "$2" $LIVE_SECS "$_lv_sink" >"$W/lv.writer" ||
		die "writer failed"
	wait "$_lv_sink" 2>/dev/null # bounded by the sink's -l
	untrack "$_lv_sink"
	_lv_c1=$(cpu_s $TOOL_PIDS)
	_lv_rss=$(rss_mb $TOOL_PIDS)
	stop_tool $TOOL_PIDS
	read -r _ _lv_written _ _lv_ws _ _lv_we <"$W/lv.writer"
	_lv_snap=$(awk '$1 == "snap" { split($2, a, "="); n = a[2] } END { print n + 0 }' \
		"$SINK_OUT")
	_lv_n=$(kv "$SINK_OUT" count)
	rec "$1" "lv${_lv_k}_rate" "$(calc "$_lv_snap / (($_lv_we - $_lv_ws) / 1e6)")"
	rec "$1" "lv${_lv_k}_backlog" "$(calc "$_lv_written - $_lv_snap")"
	rec "$1" "lv${_lv_k}_lost" "$(calc "$_lv_written - $_lv_n")"
	if [ "$_lv_n" != 0 ]; then
		rec "$1" "lv${_lv_k}_cpu" "$(calc "($_lv_c1 - $_lv_c0) * 1e6 / $_lv_n")"
	fi
	rec "$1" "lv${_lv_k}_p50" "$(calc "$(kv "$SINK_OUT" lat_p50_us) / 1000")"
	rec "$1" "lv${_lv_k}_p99" "$(calc "$(kv "$SINK_OUT" lat_p99_us) / 1000")"
	rec "$1" "lv${_lv_k}_rss" "$_lv_rss"
	say "  live ${_lv_k}k run $3: $1 written $_lv_written, at stop $_lv_snap," \
		"in all $_lv_n; cpu $(calc "$_lv_c1 - $_lv_c0")s rss ${_lv_rss}MB"
}

# --- latency and idle, all tools at once --------------------------------

# slow REP -- per-tool values live in variables named after the tool and
# the case (_sl_pids_idlet2s_100, ...), set and read with eval.
# shellcheck disable=SC2154
slow() {
	_sl_idle=
	_sl_lat=
	for _t in $TOOLS; do
		have_tool $_t "$LIVE" || continue
		_f=$W/lat.$_t.log
		rm -f "$_f"
		: >"$_f"
		start_sink "lat$_t" "$LIVE" -L -l $((IDLE_SECS + LAT_SECS + 60))
		eval "_sl_sink_lat$_t=\$SINK_PID _sl_out_lat$_t=\$SINK_OUT"
		start_tool "lat$_t" $_t "$LIVE" "$SINK_ADDR" end "$_f"
		eval "_sl_pids_lat$_t=\"\$TOOL_PIDS\" _sl_watch_lat$_t=\$TOOL_WATCH"
		_sl_lat="$_sl_lat $_t"
		for _n in $IDLE_COUNTS; do
			[ $_n = 10000 ] && [ $_t = rsys ] && continue
			start_sink "idle$_t$_n" "$LIVE" -l $((IDLE_SECS + LAT_SECS + 60))
			eval "_sl_sink_idle${_t}_$_n=\$SINK_PID"
			if [ $_n = 10000 ] && [ $_t = t2s ]; then
				T2S_NOFILE=1024 start_tool "idle$_t$_n" $_t "$LIVE" "$SINK_ADDR" \
					end "$W/idle$_n/*.log"
			else
				start_tool "idle$_t$_n" $_t "$LIVE" "$SINK_ADDR" end "$W/idle$_n"/*.log
			fi
			eval "_sl_pids_idle${_t}_$_n=\"\$TOOL_PIDS\""
			_sl_idle="$_sl_idle ${_t}_$_n"
		done
	done
	for _t in $_sl_lat; do
		eval "_w=\$_sl_watch_lat$_t"
		wait_until 10 has_open "$_w" "$W/lat.$_t.log" ||
			say "  $_t has not opened its latency file after 10 s"
	done
	sleep 2 # start-up work (rsyslog reads the idle files' one line) is over
	for _i in $_sl_idle; do
		eval "_sl_c0_$_i=\$(cpu_ns \$_sl_pids_idle$_i)"
	done
	_sl_writers=
	for _t in $_sl_lat; do
		"$BIN/gen" write "$W/lat.$_t.log" 10 $LAT_SECS >"$W/lat$_t.writer" &
		_sl_writers="$_sl_writers $!"
		track $!
	done
	_sl_t0=$(now_us)
	sleep $IDLE_SECS
	_sl_el=$(calc "($(now_us) - $_sl_t0) * 1000") # ns
	for _i in $_sl_idle; do
		eval "_c0=\$_sl_c0_$_i _p=\$_sl_pids_idle$_i"
		_c1=$(cpu_ns $_p)
		_t=${_i%_*}
		_n=${_i##*_}
		rec "$_t" "idle${_n}_cpu" "$(calc "($_c1 - $_c0) * 100 / $_sl_el")"
		rec "$_t" "idle${_n}_rss" "$(rss_mb $_p)"
		stop_tool $_p
		eval "stop_pid \$_sl_sink_idle$_i"
	done
	for _p in $_sl_writers; do
		wait "$_p" # they ran LAT_SECS <= IDLE_SECS: already done
		untrack "$_p"
	done
	for _t in $_sl_lat; do
		eval "_p=\$_sl_pids_lat$_t _s=\$_sl_sink_lat$_t _o=\$_sl_out_lat$_t"
		_want=$(awk '{ print $2 }' "$W/lat$_t.writer")
		wait_until 3 sink_has "$_s" "$_o" "$_want"
		rec $_t lat_rss "$(rss_mb $_p)"
		stop_tool $_p
		stop_pid "$_s"
		rec $_t lat_p50 "$(calc "$(kv "$_o" lat_steady_p50_us) / 1000")"
		rec $_t lat_p99 "$(calc "$(kv "$_o" lat_steady_p99_us) / 1000")"
		rec $_t lat_first_n "$(kv "$_o" lat_first_n)"
		rec $_t lat_first_max "$(calc "$(kv "$_o" lat_first_max_us) / 1000")"
		rec $_t lat_lost "$(calc "$_want - $(kv "$_o" count)")"
		say "  latency run $1: $_t p50 $(kv "$_o" lat_steady_p50_us) us" \
			"p99 $(kv "$_o" lat_steady_p99_us) us, first look $(kv "$_o" lat_first_max_us) us" \
			"($(kv "$_o" lat_first_n) lines), $(kv "$_o" count) of $_want"
	done
	say "  idle run $1: $(grep ' idle[0-9]*_cpu ' "$RES" | tail -n 9 | tr '\n' ' ')"
}

# --- the runs ------------------------------------------------------------
# One round is every case once; rounds are repeated, so that a passing load
# on the machine spreads over all tools.  A round is not started when it
# would end past the time budget: the table then says how many were done.
# elapsed -- whole seconds since START
elapsed() {
	calc "int(($(now_us) - $START) / 1e6)"
}

rep=1
ROUNDS=0
while [ $rep -le "$REPEAT" ]; do
	_r0=$(elapsed)
	say "round $rep of $REPEAT (at ${_r0} s):"
	case " $CASES " in *" catchup "*)
	for kind in udp tcp unix; do
		[ "${BENCH_ONLY:-}" = records ] && break
		for t in base rsys; do
			have_tool $t $kind || continue
			catchup $t $kind $rep
		done
		# tail2syslog and the bare loop back to back, so that both see the
		# same load; the noisy UDP figure gets more pairs
		_pairs=1
		[ $kind = udp ] && _pairs=$PAIRS
		_pair=1
		while [ $_pair -le $_pairs ]; do
			catchup t2s $kind $rep
			catchup bare $kind $rep
			rec pair "cu_${kind}_vsbare" "$(quotient "$(last_rec t2s "cu_${kind}_rate")" \
				"$(last_rec bare "cu_${kind}_rate")")"
			_pair=$((_pair + 1))
		done
	done ;;
	esac
	case " $CASES " in *" records "*)
	records plain "$DATA" "$LINES" $rep
	records every "$DATA" "$LINES" $rep --record-start '^[A-Z][a-z]{2} [ 0-9][0-9] '
	records plain5 "$TRACES" "$LINES" $rep
	records alt5 "$TRACES" "$RECORDS" $rep --record-start '^(Nov|Dec) '
	records prefix5 "$TRACES" "$RECORDS" $rep --record-start '^Nov '
	;;
	esac
	case " $CASES " in *" live "*)
	for rate in $RATES; do
		[ -n "${BENCH_ONLY:-}" ] && break
		for t in $TOOLS; do
			have_tool $t "$LIVE" || continue
			live $t "$rate" $rep
		done
	done ;;
	esac
	case " $CASES " in *" slow "*) [ "${BENCH_ONLY:-}" = records ] || slow $rep ;; esac
	ROUNDS=$rep
	_r1=$(elapsed)
	rep=$((rep + 1))
	if [ $rep -le "$REPEAT" ] && [ $((_r1 + _r1 - _r0)) -gt "$BUDGET" ]; then
		say "stopping after $ROUNDS rounds: another would end past ${BUDGET} s" \
			"(BENCH_BUDGET)"
		break
	fi
done

# static_size -- builds the static binary from a copy of the sources, so that
# the tree's objects are left alone; last, and only if there is time left
static_size() {
	STATIC_NOTE=
	if [ "${BENCH_STATIC:-1}" = 0 ]; then
		STATIC_NOTE="static size: skipped (BENCH_STATIC=0)"
	elif ! grep -q '^static:' "$TOP/Makefile"; then
		STATIC_NOTE="static size: n/a, the Makefile has no static target"
	elif [ "$(elapsed)" -gt $((BUDGET - 30)) ]; then
		STATIC_NOTE="static size: skipped, no time left (BENCH_BUDGET)"
	else
		say "building the static binary from a copy of the sources ..."
		mkdir -p "$W/static/src"
		# not the flags of a calling make (make -n bench would make nothing)
		cp "$TOP"/src/*.cc "$TOP"/src/*.h "$W/static/src/" &&
			cp "$TOP/Makefile" "$W/static/" &&
			(unset MAKEFLAGS MFLAGS MAKELEVEL MAKE_JOBS_FIFO GNUMAKEFLAGS
			cd "$W/static" && $MAKE -j2 static CXX="$CXX") >"$W/static.log" 2>&1
		# "make static" makes tail2syslog.static, or a static tail2syslog
		for _f in "$W/static/tail2syslog.static" "$W/static/tail2syslog"; do
			if [ -x "$_f" ]; then
				rec t2s size_static "$(calc "$(wc -c <"$_f") / 1e6")"
				break
			fi
		done
		grep -q ' size_static ' "$RES" ||
			STATIC_NOTE="static size: n/a, make static failed: $(tail -n 1 "$W/static.log")"
		rm -rf "$W/static"
	fi
}

# --- the table -----------------------------------------------------------
static_size
END=$(now_us)
LOAD1=$(cut -d ' ' -f 1-3 /proc/loadavg 2>/dev/null || echo na)
RCVBUF=na
[ -f "$W/cu.sink" ] && RCVBUF=$(kv "$W/cu.sink" rcvbuf)
QLEN=$(cat /proc/sys/net/unix/max_dgram_qlen 2>/dev/null || echo na)
CPU=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null)
NCPU=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo '?')
REV=$(cd "$TOP" && git rev-parse --short HEAD 2>/dev/null || echo '?')
[ -z "$(cd "$TOP" && git status --porcelain src Makefile 2>/dev/null)" ] || REV="$REV+dirty"

cat <<EOF
tail2syslog benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'); wall time $(calc "($END - $START) / 1e6") s
host: $NCPU x ${CPU:-?}, $(uname -sr); load average $LOAD0 at start, $LOAD1 at end
tail2syslog $("$T2S" -V 2>/dev/null | awk '{ print $2 }') (git $REV); $(tail --version 2>/dev/null | head -n 1);
logger: $(logger -V 2>/dev/null | head -n 1)${LOGGER_OPTS:+ with $LOGGER_OPTS}; rsyslogd: $(rsyslogd -v 2>/dev/null | awk 'NR == 1 { print $2; exit }')
$LINES lines of $AVG bytes on average; median of $ROUNDS runs; live, latency and idle over $LIVE;
sink receive buffer $RCVBUF bytes (granted), net.unix.max_dgram_qlen $QLEN

EOF
awk -v have_rsys=$HAVE_RSYS -v have_base=$HAVE_BASE '
function median(k,    n, i, j, t, a, c) {
	if (!(k in vals)) return "na"
	n = split(vals[k], a, " ")
	c = 0
	for (i = 1; i <= n; i++) if (a[i] != "na") b[++c] = a[i] + 0
	if (c == 0) return "na"
	for (i = 2; i <= c; i++)        # insertion sort: c is small
		for (j = i; j > 1 && b[j - 1] > b[j]; j--) { t = b[j]; b[j] = b[j - 1]; b[j - 1] = t }
	return c % 2 ? b[(c + 1) / 2] : (b[c / 2] + b[c / 2 + 1]) / 2
}
function fmt(v, f) {
	if (v == "na") return "n/a"
	return sprintf(f, v)
}
function ratio(v, base) {
	if (v == "na" || base == "na" || base == 0) return "-"
	return sprintf("%.2fx", v / base)
}
function row(label, key, f,    b, t, r, x) {
	b = median("base " key); t = median("t2s " key)
	r = median("rsys " key); x = median("bare " key)
	printf "%-34s %13s %13s %8s %13s %8s %11s\n", label, fmt(b, f), fmt(t, f),
		ratio(t, b), (have_rsys ? fmt(r, f) : "n/a"), ratio(r, b), fmt(x, f)
}
{ vals[$1 " " $2] = ($1 " " $2) in vals ? vals[$1 " " $2] " " $3 : $3 }
END {
	printf "%-34s %13s %13s %8s %13s %8s %11s\n", "", "tail -F|logger", "tail2syslog",
		"ratio", "rsyslog", "ratio", "bare loop"
	row("catch-up UDP, lines/s", "cu_udp_rate", "%.0f")
	row("  lost of the file (UDP)", "cu_udp_lost", "%.0f")
	row("  CPU s per M lines", "cu_udp_cpu", "%.2f")
	row("  peak RSS MB", "cu_udp_rss", "%.2f")
	row("catch-up TCP, lines/s", "cu_tcp_rate", "%.0f")
	row("  lost of the file", "cu_tcp_lost", "%.0f")
	row("  CPU s per M lines", "cu_tcp_cpu", "%.2f")
	row("  peak RSS MB", "cu_tcp_rss", "%.2f")
	row("catch-up unix dgram, lines/s", "cu_unix_rate", "%.0f")
	row("  lost of the file", "cu_unix_lost", "%.0f")
	row("  CPU s per M lines", "cu_unix_cpu", "%.2f")
	row("  peak RSS MB", "cu_unix_rss", "%.2f")
	row("live 50k/s, delivered/s", "lv50_rate", "%.0f")
	row("  backlog at writer stop, lines", "lv50_backlog", "%.0f")
	row("  lost", "lv50_lost", "%.0f")
	row("  CPU s per M lines", "lv50_cpu", "%.2f")
	row("  latency p50 ms", "lv50_p50", "%.1f")
	row("  latency p99 ms", "lv50_p99", "%.1f")
	row("  peak RSS MB", "lv50_rss", "%.2f")
	row("live 200k/s, delivered/s", "lv200_rate", "%.0f")
	row("  backlog at writer stop, lines", "lv200_backlog", "%.0f")
	row("  lost", "lv200_lost", "%.0f")
	row("  CPU s per M lines", "lv200_cpu", "%.2f")
	row("  latency p50 ms", "lv200_p50", "%.1f")
	row("  latency p99 ms", "lv200_p99", "%.1f")
	row("  peak RSS MB", "lv200_rss", "%.2f")
	row("latency at 10 lines/s, p50 ms", "lat_p50", "%.1f")
	row("  p99 ms", "lat_p99", "%.1f")
	row("  first look after quiet, worst ms", "lat_first_max", "%.1f")
	row("  lines that waited for it", "lat_first_n", "%.0f")
	row("  lost", "lat_lost", "%.0f")
	row("  peak RSS MB", "lat_rss", "%.2f")
	row("idle, 1 file: % of one core", "idle1_cpu", "%.4f")
	row("  peak RSS MB", "idle1_rss", "%.2f")
	row("idle, 100 files: % of one core", "idle100_cpu", "%.4f")
	row("  peak RSS MB", "idle100_rss", "%.2f")
	row("idle, 1000 files: % of one core", "idle1000_cpu", "%.4f")
	row("  peak RSS MB", "idle1000_rss", "%.2f")
	row("idle, 10,000 files (t2s: ulimit -n 1024): % of one core", "idle10000_cpu", "%.4f")
	row("  peak RSS MB", "idle10000_rss", "%.2f")
	row("binary MB, as built (dynamic)", "size_dyn", "%.3f")
	row("  stripped; peers as installed", "size_strip", "%.3f")
	row("  static, stripped", "size_static", "%.3f")
	goals()
}
# verdict V OP GOAL -- "met" or "NOT met" ("-" without a figure)
function verdict(v, op, g) {
	if (v == "na") return "-"
	return (op == "<=" ? v <= g : v >= g) ? "met" : "NOT met"
}
# goal LABEL FIGURE OP GOAL UNIT SIDE -- one line of the goals: the figure
# (a ratio when UNIT is "x"), the goal, the verdict and the peers beside it
function goal(label, v, op, g, unit, side,    shown) {
	shown = v == "na" ? "n/a" : unit == "x" ? sprintf("%.2fx", v) : sprintf("%.4g", v) " " unit
	printf "%-40s %10s %3s %-9s %-8s %s\n", label, shown, op,
		(unit == "x" ? sprintf("%.2fx", g) : sprintf("%g", g) " " unit),
		verdict(v, op, g), side
}
function q(a, b) {
	return (a == "na" || b == "na" || b == 0) ? "na" : a / b
}
function goals(    tb, bb, tc, bc, t, b, r) {
	printf "\ngoals (issue 12), median of the runs; met or not\n"
	tb = median("t2s cu_tcp_rate"); bb = median("bare cu_tcp_rate")
	goal("TCP catch-up / bare loop", median("pair cu_tcp_vsbare"), ">=", 0.75, "x",
		sprintf("(%s vs %s lines/s; tail -F|logger %s)", fmt(tb, "%.0f"), fmt(bb, "%.0f"),
		fmt(median("base cu_tcp_rate"), "%.0f")))
	tb = median("t2s cu_udp_rate"); bb = median("bare cu_udp_rate")
	goal("UDP catch-up / bare loop", median("pair cu_udp_vsbare"), ">=", 0.9, "x",
		sprintf("(%s vs %s lines/s, %d pairs; tail -F|logger %s)", fmt(tb, "%.0f"),
		fmt(bb, "%.0f"), npairs("pair cu_udp_vsbare"), fmt(median("base cu_udp_rate"), "%.0f")))
	tb = median("t2s cu_unix_rate"); bb = median("bare cu_unix_rate")
	goal("unix dgram catch-up / bare loop", median("pair cu_unix_vsbare"), ">=", 0.9, "x",
		sprintf("(%s vs %s lines/s; tail -F|logger %s)", fmt(tb, "%.0f"), fmt(bb, "%.0f"),
		fmt(median("base cu_unix_rate"), "%.0f")))
	tc = median("t2s lv50_cpu"); bc = median("base lv50_cpu")
	goal("CPU per line at 50k/s / tail -F|logger", q(tc, bc), "<=", 1 / 3, "x",
		sprintf("(%s vs %s s per M lines; rsyslog %s)", fmt(tc, "%.2f"), fmt(bc, "%.2f"),
		fmt(median("rsys lv50_cpu"), "%.2f")))
	goal("latency at 10 lines/s, p50", median("t2s lat_p50"), "<=", 10, "ms",
		sprintf("(tail -F|logger %s, rsyslog %s ms)", fmt(median("base lat_p50"), "%.1f"),
		fmt(median("rsys lat_p50"), "%.1f")))
	goal("latency at 10 lines/s, p99", median("t2s lat_p99"), "<=", 30, "ms",
		sprintf("(tail -F|logger %s, rsyslog %s ms)", fmt(median("base lat_p99"), "%.1f"),
		fmt(median("rsys lat_p99"), "%.1f")))
	goal("idle, 1 file, % of a core", median("t2s idle1_cpu"), "<=", 0.05, "%",
		sprintf("(tail -F|logger %s, rsyslog %s)", fmt(median("base idle1_cpu"), "%.4f"),
		fmt(median("rsys idle1_cpu"), "%.4f")))
	goal("idle, 1000 files, % of a core", median("t2s idle1000_cpu"), "<=", 0.2, "%",
		sprintf("(tail -F|logger %s, rsyslog %s)", fmt(median("base idle1000_cpu"), "%.4f"),
		fmt(median("rsys idle1000_cpu"), "%.4f")))
}
function npairs(k,    a) {
	return (k in vals) ? split(vals[k], a, " ") : 0
}' "$RES"
cat <<EOF

ratio = figure / tail -F|logger's; higher is better for lines/s, lower for
everything else.  tail -F|logger is \`tail -q -F FILE | logger -t bench\`
(-n +1 for catch-up; CPU and RSS are both processes' added up); rsyslog is
imfile (readMode 0, freshStartTail off) -> omfwd; the bare loop reads the
file and sends with sendmmsg / large writes, and shows what the sink takes.
The goals' ratios to the bare loop are the median of the ratios of runs
made back to back, tail2syslog then the bare loop; the others are ratios
of the medians.
Catch-up lines/s: received / (last arrival - start).  Live CPU: from the
writer's start until the last line arrived.  Idle: CPU over ${IDLE_SECS} s
(tail -F sleeps on inotify: 0 is real).  Latency p50/p99: lines written
after the first one arrived; the first look: the worst of those before.
Peer sizes: tail + logger, and rsyslogd + imfile.so.
$STATIC_NOTE

EOF
awk '
function median(k,    n, i, j, t, a, c) {
	if (!(k in vals)) return "na"
	n = split(vals[k], a, " ")
	c = 0
	for (i = 1; i <= n; i++) if (a[i] != "na") b[++c] = a[i] + 0
	if (c == 0) return "na"
	for (i = 2; i <= c; i++)
		for (j = i; j > 1 && b[j - 1] > b[j]; j--) { t = b[j]; b[j] = b[j - 1]; b[j - 1] = t }
	return c % 2 ? b[(c + 1) / 2] : (b[c / 2] + b[c / 2 + 1]) / 2
}
function row(label, key, base,    r, c, rb, cb) {
	r = median("t2s rc_" key "_rate"); c = median("t2s rc_" key "_cpu")
	rb = median("t2s rc_" base "_rate"); cb = median("t2s rc_" base "_cpu")
	printf "%-46s %10s %7s %9s %7s\n", label,
		r == "na" ? "n/a" : sprintf("%.0f", r),
		(r == "na" || rb == "na" || rb == 0) ? "-" : sprintf("%.2fx", r / rb),
		c == "na" ? "n/a" : sprintf("%.3f", c),
		(c == "na" || cb == "na" || cb == 0) ? "-" : sprintf("%.2fx", c / cb)
}
{ vals[$1 " " $2] = ($1 " " $2) in vals ? vals[$1 " " $2] " " $3 : $3 }
END {
	printf "%-46s %10s %7s %9s %7s\n", "--record-start, catch-up over TCP",
		"lines/s", "ratio", "CPU s/M", "ratio"
	row("each line a record: without", "plain", "plain")
	row("  with --record-start (a regexec per line)", "every", "plain")
	row("records of five lines: without", "plain5", "plain5")
	row("  with \"^(Nov|Dec) \" (a regexec per line)", "alt5", "plain5")
	row("  with \"^Nov \" (first byte decides)", "prefix5", "plain5")
}' "$RES"
cat <<EOF
lines/s counts lines read (a record of five counts five); ratio = figure /
the same file's without --record-start.  Each line a record:
--record-start '^[A-Z][a-z]{2} [ 0-9][0-9] '.
EOF
