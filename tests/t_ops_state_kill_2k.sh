#!/bin/sh
# t_ops_state_kill_2k -- t_ops_state_kill_rate at 2,000 lines a second.
RATE=2000 SECS=4
. "$(dirname "$0")/t_ops_state_kill_rate.sh"
