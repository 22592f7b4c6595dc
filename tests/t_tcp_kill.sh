#!/bin/sh
# t_tcp_kill -- t_relp_kill over plain TCP (-T to the same receiver's imtcp,
# which writes each message before it reads the next): the receiver killed
# with KILL three times during a catch-up of 200,000 lines while a writer
# appends more.  No line lost, every line in order; what a reset may have
# lost in the receiver's kernel is read again from the file, so lines are
# sent twice (the figures are printed; the manual's CAVEATS hold them).
RELP_KILL_PROTO=tcp
. "$(dirname "$0")/t_relp_kill.sh"
