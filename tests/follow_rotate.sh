#!/bin/sh
# follow_rotate.sh -- the body of t_follow_rotate_tcp and _udp, which set
# PROTO and source it.  Over $PROTO, a writer appends 20,000 lines/s to app.log
# while it is rotated every second: renamed away and created again for 10 s,
# then deleted and created again, then a symbolic link re-pointed between two
# files, 5 s each (the writer going on with the old descriptor for a few ms
# after each, as a daemon does until signalled): every line arrives once and
# in order.  Then copytruncate for 5 s: no line twice, none out of order, and
# at most the lines written between a copy and its truncate lost.  Over
# UDP, in every mode, as many more may be lost as the kernel dropped.
# ROTATE_MODES (environment) runs fewer modes, or shorter: see the end.
. "$(dirname "$0")/lib.sh"
WRITER=$TOP/tests/tools/writer
[ -x "$WRITER" ] || fail "no writer at $WRITER (make tests/tools/writer)"
start_rsyslog

# count_seqs FIRST N AT-RISK -- the seq numbers in the MSG of records
# FIRST.. against the lines 0..N-1 written: print how many were lost,
# duplicated and out of order (a line older than one sent before it); true
# when none is duplicated or out of order and at most AT-RISK are lost
count_seqs() {
	eval "$(tail -n +"$1" "$RS_OUT" | tally - seq 0 $(($2 - 1)))"
	echo "$missing lost${missing_list:+ (first:$missing_list)}," \
		"$dups duplicated, $ooo out of order"
	[ "$missing" -le "$3" ] && [ $((dups + ooo + extra + other)) -eq 0 ]
}

# udp_dropped -- "INERRORS RCVBUFERRORS" from /proc/net/snmp: the UDP
# datagrams the kernel received and dropped so far (a full receive buffer
# counts in both).  System-wide in this network namespace, not rsyslogd's
# socket alone.  False where /proc/net/snmp is absent.  No Udp6 counters:
# the lines go to 127.0.0.1.
udp_dropped() {
	[ -r /proc/net/snmp ] && awk '$1 != "Udp:" { next }
		!h++ { for (i = 2; i <= NF; i++) f[$i] = i; next }
		{ print $f["InErrors"], $f["RcvbufErrors"]; exit }' /proc/net/snmp
}

# wait_drained COUNT -- wait until COUNT records arrived, or none came for
# about 3 s (lost lines never come), at most 30 s
wait_drained() {
	_wd_last=-1 _wd_end=$(($(date +%s) + 30))
	while :; do
		_wd_now=$(count_records) _wd_t=$(date +%s)
		[ "$_wd_now" -lt "$1" ] && [ "$_wd_t" -lt $_wd_end ] || break
		if [ "$_wd_now" != "$_wd_last" ]; then
			_wd_last=$_wd_now _wd_since=$_wd_t
		elif [ $((_wd_t - _wd_since)) -ge 3 ]; then
			break
		fi
		sleep 0.1
	done
}

# rotate MODE SECONDS -- tail2syslog follows app.log (not there yet) in a
# fresh directory while the writer appends 20,000 lines/s to it for SECONDS,
# rotating it in MODE every 1000 ms; then counts the lines.  A failure is
# added to $bad so that the other modes still run.  Copytruncate is allowed
# no margin over the writer's at-risk count (and the kernel's drops): any
# other line is either in the copy, which tail2syslog reads the unread rest
# from, or in the file after the truncate, which it reads from 0.
rotate() {
	name=$1-$PROTO
	d=$W/$name
	mkdir "$d" && cd "$d" || fail "$name: cannot make $d"
	first=$(($(count_records) + 1))
	drops0=
	[ "$PROTO" = tcp ] || drops0=$(udp_dropped)
	timeout --foreground 90 "$T2S" -v $FLAG -n 127.0.0.1 -P "$PORT" -t app \
		-p local3.notice --from-start app.log 2>"$d/t2s.err" &
	t2s_pid=$!
	track $t2s_pid
	wait_until 5 grep -qs 'app.log: No such file or directory, waiting' \
		"$d/t2s.err" || fail "$name: tail2syslog does not start"
	started=$(date +%s)
	timeout $(($2 + 20)) "$WRITER" "$d/app.log" 20000 "$2" "$1" 1000 \
		>"$d/writer.out" || fail "$name: writer failed"
	n=$(sed -n 's/^written //p' "$d/writer.out")
	risk=$(sed -n 's/^at-risk //p' "$d/writer.out")
	wait_drained $((first - 1 + n))
	kill "$t2s_pid"
	wait "$t2s_pid"
	rc=$?
	settle_rsyslog
	# Over UDP, a datagram the kernel dropped (rsyslogd's imudp thread fell
	# behind its receive buffer) is allowed as lost: the test cannot tell it
	# from one tail2syslog lost.  None dropped, none allowed.
	dropped=0
	if [ -n "$drops0" ] && drops1=$(udp_dropped); then
		dropped=$((${drops1% *} - ${drops0% *}))
		echo "$name: the kernel dropped $dropped UDP datagrams in this" \
			"network namespace ($((${drops1#* } - ${drops0#* })) for a full" \
			"receive buffer), allowed as lost"
	fi
	printf '%s: %s rotations, %s lines, %s records, %s s: ' "$name" \
		"$(sed -n 's/^rotations //p' "$d/writer.out")" "$n" \
		"$(($(count_records) - first + 1))" "$(($(date +%s) - started))"
	count_seqs "$first" "$n" $((risk + dropped)) >"$d/counts"
	ok=$?
	cat "$d/counts"
	if [ "$1" = copytruncate ]; then
		echo "copytruncate: lost $(sed 's/ .*//' "$d/counts") of $n," \
			"at-risk $risk"
	fi
	[ $ok -eq 0 ] || bad="$bad $name"
	[ $rc -eq 0 ] || fail "$name: tail2syslog exit status $rc"
	tail -n +"$first" "$RS_OUT" | cut -f 1,3 | sort -u >"$d/heads"
	assert_eq "$(printf '157\tapp')" "$(cat "$d/heads")" \
		"$name: PRI and APP-NAME"
	cd "$W" || exit 1
}

if [ "$PROTO" = tcp ]; then
	FLAG=-T PORT=$RS_TCP
else
	FLAG=-d PORT=$RS_UDP
fi
bad=
# ROTATE_MODES, "MODE:SECONDS ...", picks a shorter run (tests/arch.sh
# runs only "rename:3" under qemu)
for mode in ${ROTATE_MODES:-rename:10 delete:5 symlink:5 copytruncate:5}; do
	rotate "${mode%:*}" "${mode#*:}"
done
[ -z "$bad" ] || fail "lines lost, duplicated or out of order:$bad"
