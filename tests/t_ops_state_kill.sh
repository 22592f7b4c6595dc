#!/bin/sh
# t_ops_state_kill -- as t_ops_state_term, but tail2syslog is killed with
# KILL: no line lost; those sent since the last save may come twice
# (counted and reported, bounded).
STOP_SIG=KILL
. "$(dirname "$0")/t_ops_state_term.sh"
