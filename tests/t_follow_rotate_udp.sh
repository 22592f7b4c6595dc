#!/bin/sh
# t_follow_rotate_udp -- rotation of every kind under a 20,000 lines/s writer,
# over UDP: see follow_rotate.sh
PROTO=udp
. "$(dirname "$0")/follow_rotate.sh"
