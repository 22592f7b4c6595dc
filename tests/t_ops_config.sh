#!/bin/sh
# t_ops_config -- -f CONFIG: two files, each with its own tag and priority
# (one of them with a space in its quoted path, a match rule and an exclude
# rule), comments and blank lines; command-line options are the defaults.
# A file added to the config is followed after HUP; changed settings and
# files no longer listed are said, and wait for the next start.  Errors
# name the file and line and exit 64 (a file listed twice, however
# spelled, names both lines; so does a setting given twice); a config
# file that does not exist exits 66.  A relative path in a config file is
# taken from the config file's directory, not the current one.
. "$(dirname "$0")/lib.sh"
start_rsyslog
mkdir "$W/dir one"
a=$W/dir\ one/a.log
b=$W/b.log
c=$W/c.log
conf=$W/t2s.conf

# config_error LINE... -- a config of these lines must be refused with exit
# status 64 and "tail2syslog: CONFIG:N: ..." where N is the last line's number
config_error() {
	printf '%s\n' "$@" >"$W/bad.conf"
	t2s -f "$W/bad.conf" --stdout >/dev/null 2>"$W/bad.err"
	rc=$?
	[ $rc -eq 64 ] || fail "config '$*': exit status $rc, not 64"
	grep -q "^tail2syslog: $W/bad.conf:$#: [^ ]" "$W/bad.err" ||
		fail "config '$*': message '$(cat "$W/bad.err")' does not name file and line $#"
	echo "refused: $(cat "$W/bad.err")"
}

# 1. Two files, --once --from-start: every line once, with its file's tag
#    and priority; the match and exclude rules apply to b.log only.
cat >"$conf" <<EOF
# two files, each with its own tag and priority

"$a"   tag=alpha priority=local1.info   # trailing comment
$b tag=beta priority=local2.warning match="^ERR [0-9]+"=local2.err exclude=debug
	# an indented comment
EOF
printf '%s\n' "a 1" "a 2" "ERR 3 in a" >"$a"
printf '%s\n' "b 1" "ERR 2" "debug 3" "b 4" >"$b"
t2s --once --state "$W/state" --from-start -T -n 127.0.0.1 -P "$RS_TCP" -p daemon.crit \
	-f "$conf" 2>"$W/t2s.err" || fail "exit status $?: $(cat "$W/t2s.err")"
[ ! -s "$W/t2s.err" ] || fail "unexpected stderr: $(cat "$W/t2s.err")"
settle_rsyslog
# local1.info = 142, local2.warning = 148, local2.err = 147
printf '%s\n' "142 alpha a 1" "142 alpha a 2" "142 alpha ERR 3 in a" \
	"147 beta ERR 2" "148 beta b 1" "148 beta b 4" | sort >"$W/want"
cut -f 1,3,6 "$RS_OUT" | tr '\t' ' ' | sort >"$W/got"
assert_file_eq "$W/want" "$W/got" "PRI, tag and message of each line"

# 2. A file added to the config while following is followed after HUP; a
#    line without settings takes the command-line defaults (-t, -p).
before=$(count_records)
"$T2S" --state "$W/state" -T -n 127.0.0.1 -P "$RS_TCP" -t deftag -p daemon.crit \
	-f "$conf" 2>>"$W/t2s.err" &
t2s_pid=$!
track $t2s_pid
until_following "$a"
echo "$c" >>"$conf"
printf '%s\n' "c 1" "c 2" >"$c"
kill -HUP $t2s_pid
wait_until 5 grep -q '	c 2$' "$RS_OUT" || fail "c.log, added to the config, not followed after HUP"
settle_rsyslog
printf '%s\n' "26 deftag c 1" "26 deftag c 2" >"$W/want"
tail -n +$((before + 1)) "$RS_OUT" | grep -v '	ready ' | cut -f 1,3,6 | tr '\t' ' ' >"$W/got"
assert_file_eq "$W/want" "$W/got" "c.log: command-line tag and priority (daemon.crit = 26)"
kill -0 $t2s_pid 2>/dev/null || fail "tail2syslog died"

# 2b. What a HUP leaves as it was is said: a's settings changed, b no
#     longer listed; both go on as before until the next start.
cat >"$conf" <<EOF
"$a"   tag=alpha2 priority=local5.notice
$c
EOF
kill -HUP $t2s_pid
wait_until 5 grep -q 'b.log: no longer listed' "$W/t2s.err" ||
	fail "no word on b.log after HUP: $(cat "$W/t2s.err")"
grep -qx "tail2syslog: $conf: $a: settings changed; they take effect at the next start" \
	"$W/t2s.err" || fail "no word on a's changed settings: $(cat "$W/t2s.err")"
grep -qx "tail2syslog: $conf: $b: no longer listed; followed until the next start" \
	"$W/t2s.err" || fail "b.log: $(cat "$W/t2s.err")"
echo "a 4" >>"$a"
echo "b 5" >>"$b"
wait_until 5 grep -q '	b 5$' "$RS_OUT" || fail "b.log not followed after the HUP"
wait_until 5 grep -q '	a 4$' "$RS_OUT" || fail "a.log not followed after the HUP"
assert_eq "142 alpha" "$(grep '	a 4$' "$RS_OUT" | cut -f 1,3 | tr '\t' ' ')" \
	"a.log after the HUP: its old settings"
kill -HUP $t2s_pid
sleep 0.5
assert_eq 1 "$(grep -c 'b.log: no longer listed' "$W/t2s.err")" "notes said once, not at every HUP"
kill -0 $t2s_pid 2>/dev/null || fail "tail2syslog died"

# 3. Errors: file and line, exit 64.
config_error "# comment" "$W/x.log color=red"
config_error "\"$W/x.log tag=x"
config_error "$W/x.log tag="
config_error "" "$W/x.log priority=local9.info"
config_error "$W/x.log match=\"(=err\""
config_error "$W/x.log match=nopriority"
config_error "$W/x.log tag=a:b"
config_error "$W/x.log" "# again" "$W/x.log tag=x"
grep -qx "tail2syslog: $W/bad.conf:3: $W/x.log is already on line 1" "$W/bad.err" ||
	fail "a file listed twice: message '$(cat "$W/bad.err")' does not name both lines"
config_error "x.log" "$W/x.log"
grep -qx "tail2syslog: $W/bad.conf:2: $W/x.log is already on line 1" "$W/bad.err" ||
	fail "a file listed twice, once relative: message '$(cat "$W/bad.err")'"
config_error "$W/x.log" "$W/./x.log"
config_error "$W/x.log tag=a tag=b"
grep -qx "tail2syslog: $W/bad.conf:1: tag set twice" "$W/bad.err" ||
	fail "a setting given twice: message '$(cat "$W/bad.err")'"

# 3b. A relative path is taken from the config file's directory: run from
#     another directory, the file beside the config file is read.
mkdir "$W/etc" "$W/elsewhere"
printf '%s\n' "rel 1" "rel 2" >"$W/etc/rel.log"
printf '%s\n' "decoy" >"$W/elsewhere/rel.log"
printf '%s\n' "rel.log tag=rel" >"$W/etc/rel.conf"
(cd "$W/elsewhere" && t2s --once --state "$W/rel.state" --from-start --stdout \
	-f ../etc/rel.conf) >"$W/rel.out" 2>"$W/rel.err" ||
	fail "relative path: exit status $?: $(cat "$W/rel.err")"
sed 's/^<[0-9]*>.* rel: //' "$W/rel.out" >"$W/rel.got"
printf '%s\n' "rel 1" "rel 2" >"$W/rel.want"
assert_file_eq "$W/rel.want" "$W/rel.got" "relative path in a config file: beside the config file"

# 4. A config file that does not exist: exit 66, with a message.
t2s -f "$W/no-such.conf" --stdout >/dev/null 2>"$W/missing.err" &
pid=$!
track $pid
if wait_until 3 gone $pid; then
	wait $pid
	rc=$?
	[ $rc -eq 66 ] || fail "missing config file: exit status $rc, not 66"
	grep -q "^tail2syslog: $W/no-such.conf: " "$W/missing.err" ||
		fail "missing config file: message '$(cat "$W/missing.err")'"
else
	fail "missing config file: accepted silently; tail2syslog runs, following nothing"
fi
exit 0
