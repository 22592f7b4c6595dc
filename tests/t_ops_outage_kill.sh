#!/bin/sh
# t_ops_outage_kill -- as t_ops_outage, but the receiver is killed with
# KILL, so whatever it had read but not yet written is gone with it.
OUTAGE_SIG=KILL
. "$(dirname "$0")/t_ops_outage.sh"
