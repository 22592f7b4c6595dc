#!/bin/sh
# t_follow_many -- 200 files followed at once, without -t: 100 lines
# appended to each (in rounds of 10, the files taking turns) arrive as
# exactly 20,000 messages, each tagged with its file's base name, each
# file's lines once and in order
. "$(dirname "$0")/lib.sh"
start_rsyslog
files=200 lines=100
mkdir logs
i=1
while [ $i -le $files ]; do
	: >logs/f$i.log
	i=$((i + 1))
done

# The last operand names nothing: once tail2syslog says it waits for it, it
# has opened every file before it (at its end).
T2S_TIMEOUT=60 # bounds follow_tcp
follow_tcp logs/f*.log ready

# Line I of file F reads "fF.log I".
awk -v files=$files -v lines=$lines 'BEGIN {
	for (r = 0; r < lines / 10; r++)
		for (f = 1; f <= files; f++) {
			name = "logs/f" f ".log"
			for (i = r * 10 + 1; i <= r * 10 + 10; i++)
				print "f" f ".log " i >>name
			close(name)
		}
}'
wait_records $((files * lines)) 60
stop_follow
assert_eq $((files * lines)) "$(count_records)" "record count"

# Each record's APP-NAME is the file named in its MSG; per file, the line
# numbers are 1, 2, ... 100.
cut -f 3,6- "$RS_OUT" | awk -F '\t' -v files=$files -v lines=$lines '
	{ split($2, m, " ") }
	$1 != m[1] { if (bad++ < 5) print "tag " $1 " on a line of " m[1] }
	m[2] != ++next_line[m[1]] {
		if (bad++ < 5)
			print m[1] ": line " m[2] " instead of " next_line[m[1]]
		next_line[m[1]] = m[2]
	}
	END {
		for (f = 1; f <= files; f++)
			if (next_line[name = "f" f ".log"] != lines) {
				bad++
				print name ": " next_line[name] + 0 " lines"
			}
		exit bad > 0
	}' || fail "tags wrong, or lines lost, duplicated or out of order"
