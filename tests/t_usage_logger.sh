#!/bin/sh
# t_usage_logger -- what logger(1) accepts is accepted: -p in upper case
# (LOCAL5.INFO arrives as PRI 174), -P and host:PORT as a service name
# ("syslog" is port 514, read from /etc/services, and 514 all the same in a
# private mount namespace where /etc/services is empty, while another name
# is refused there).  The port reaches a stand-in logger(1) that writes down
# its arguments.
. "$(dirname "$0")/lib.sh"
start_rsyslog

# 1. -p LOCAL5.INFO over UDP: recorded with PRI 21 * 8 + 6 = 174
echo "upper case" | t2s -d -n 127.0.0.1 -P "$RS_UDP" -t up -p LOCAL5.INFO 2>"$W/err" ||
	fail "-p LOCAL5.INFO: exit status $?: $(cat "$W/err")"
wait_records 1
assert_eq "174 up upper case" "$(cut -f 1,3,6 "$RS_OUT" | tr '\t' ' ')" "-p LOCAL5.INFO"

# A stand-in logger: its arguments, one a line, into $W/a/args (a
# directory anyone may write to: run as root, tail2syslog runs logger as
# nobody)
chmod o+x "$W"
mkdir "$W/a"
chmod 1777 "$W/a"
cat >"$W/logger" <<EOS
#!/bin/sh
printf '%s\n' "\$@" >"$W/a/args"
cat >/dev/null
EOS
chmod 755 "$W/logger"

# port_given ARGS... -- the port tail2syslog hands to logger -P with ARGS
port_given() {
	rm -f "$W/a/args"
	echo x | "$@" --logger="$W/logger" -t p >/dev/null 2>"$W/err" ||
		{ echo "exit status $?: $(cat "$W/err")"; return; }
	wait_until 5 test -s "$W/a/args" || { echo "logger not run"; return; }
	sed -n '/^-P$/{n;p;}' "$W/a/args"
}

assert_eq 514 "$(port_given "$T2S" -n 127.0.0.1 -P syslog)" "-P syslog"
assert_eq 514 "$(port_given "$T2S" -n 127.0.0.1:syslog)" "-n host:syslog"
assert_eq 1514 "$(port_given "$T2S" -n 127.0.0.1 -P 1514)" "-P 1514"

# 2. Without /etc/services: bind an empty file over it in a private mount
#    namespace (root and unshare(1) needed)
: >"$W/services"
if [ "$(id -u)" -eq 0 ] && command -v unshare >/dev/null 2>&1 &&
	unshare -m sh -c "mount --bind '$W/services' /etc/services" 2>/dev/null; then
	# hidden -- run ARGS... where /etc/services is empty
	hidden() {
		unshare -m sh -c "mount --bind '$W/services' /etc/services && exec \"\$@\"" sh "$@"
	}
	assert_eq 514 "$(port_given hidden "$T2S" -n 127.0.0.1 -P syslog)" \
		"-P syslog without /etc/services"
	echo x | hidden "$T2S" --stdout -P domain >/dev/null 2>"$W/err"
	rc=$?
	[ $rc -eq 64 ] || fail "-P domain without /etc/services: exit status $rc, not 64"
	assert_eq "tail2syslog: invalid port: domain (not a number, nor a service in /etc/services)" \
		"$(cat "$W/err")" "-P domain without /etc/services"
else
	echo "not checked: -P syslog without /etc/services (needs root and unshare -m)"
fi
exit 0
