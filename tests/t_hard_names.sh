#!/bin/sh
# t_hard_names -- diagnostics escape file names that another user chose
# (issue 16 item 7): nobody names a file in a directory a root tail2syslog
# follows with a glob: a FIFO "x<LF>tail2syslog: forged.log" and a directory
# "y<ESC>[2J.log"; the warnings for them show the LF and ESC as #012 and
# #033, as bodies are escaped, and stderr holds no line that a name forged
# and no raw ESC
. "$(dirname "$0")/lib.sh"
need_nobody
start_rsyslog
mkdir app
chown nobody app

"$T2S" -v --from-start --rescan 0.1 -T -n 127.0.0.1 -P "$RS_TCP" -t app "$W/app/*.log" \
	2>t2s.err &
pid=$!
track $pid
fifo=$(printf 'x\ntail2syslog: forged.log')
dir=$(printf 'y\033[2J.log')
as_nobody sh -c 'mkfifo "$1" && mkdir "$2" && echo plain >"$3"' sh "$W/app/$fifo" \
	"$W/app/$dir" "$W/app/z.log" || fail "nobody could not make the names"
wait_records 1
wait_until 10 grep -q '#033' t2s.err
kill "$pid"
wait "$pid"
grep -q 'x#012tail2syslog: forged\.log: not a regular file' t2s.err ||
	fail "the FIFO's name is not escaped: $(od -c t2s.err | head -n 12)"
grep -q 'y#033\[2J\.log: is a directory' t2s.err ||
	fail "the directory's name is not escaped: $(od -c t2s.err | head -n 12)"
grep -q '^tail2syslog: forged' t2s.err && fail "a name forged a diagnostic line"
[ "$(tr -d -c '\033' <t2s.err | wc -c)" -eq 0 ] || fail "an ESC reached stderr"
