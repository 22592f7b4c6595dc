#!/bin/sh
# t_follow_rotate_tcp -- rotation of every kind under a 20,000 lines/s writer,
# over TCP: see follow_rotate.sh
PROTO=tcp
. "$(dirname "$0")/follow_rotate.sh"
