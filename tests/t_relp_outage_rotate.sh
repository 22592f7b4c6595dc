#!/bin/sh
# t_relp_outage_rotate -- t_ops_outage_rotate over RELP (to imrelp, which
# acknowledges only what it wrote): the receiver down for 8 s while the
# file is renamed away every 1.5 s; every line arrives once, in order.
OUTAGE_PROTO=relp
. "$(dirname "$0")/t_ops_outage_rotate.sh"
