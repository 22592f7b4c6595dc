#!/bin/sh
# t_hard_confine -- the kernel's bound (Landlock): a root tail2syslog reads
# only beneath the directories of the files it was told to follow.  Even a
# symbolic link that root itself owns, put where the followed file was and
# pointing at a secret in another directory, cannot be opened; the followed
# name still works once it is a plain file again.  Built with PORTABLE=1,
# or on a kernel without Landlock, there is no such bound: skipped.
. "$(dirname "$0")/lib.sh"
[ "${PORTABLE:-}" != 1 ] || skip "PORTABLE=1: no Landlock"
[ "$(uname -s)" = Linux ] || skip "not Linux"
start_rsyslog

mkdir logs secret
echo 'root:SECRET-HASH:19000:0:99999:7:::' >secret/shadow
chmod 600 secret/shadow
: >logs/app.log
follow_tcp logs/app.log logs/later.log
grep -q '^tail2syslog: confined: reading only beneath ' t2s.err ||
	skip "no Landlock in this kernel: $(head -n 3 t2s.err)"
until_following logs/app.log

rm logs/app.log
ln -s "$W/secret/shadow" logs/app.log
wait_until 10 grep -q 'app.log: Permission denied' t2s.err ||
	fail "the link was not refused; stderr: $(cat t2s.err)"
rm logs/app.log
echo 'plain again' >logs/app.log
wait_until 10 has_msg 'plain again' || fail "the plain file that followed is not read"
stop_follow
if grep -q SECRET "$RS_OUT" "$RS_RAW"; then
	fail "the secret was forwarded"
fi
