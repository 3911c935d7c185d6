#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# timeout: 90
#
# CAS signalling through a loop card (tdmx-abcdtest): ABCD bits set with
# TDMX_IOC_SET_TX_ABCD on every cas channel of one span arrive on the
# other's TDMX_IOC_GET_RX_ABCD with an ABCD event, both ways; netlink
# shows the same bits. E1 (TS16 CAS, 30 channels), then T1 (ESF robbed
# bits, 24 channels).
. /tests/lib.sh
need tdmxctl jq tdmx-abcdtest

chan_field() {
	tdmxctl -j chan show "$1/$2" | jq -r --arg k "$3" 'if type == "array" then .[0] else . end | .[$k]'
}

loop_new e1
for s in $SPAN_A $SPAN_B; do
	span_set "$s" framing e1-crc4 signalling cas
done
wait_clear 5 "$SPAN_A" "$SPAN_B"
n=$(tdmxctl -j chan show "$SPAN_A" | jq -s '[.[] | if type == "array" then .[] else . end | select(.chan_type == "cas")] | length')
[ "$n" = 30 ] || fail "span $SPAN_A: $n cas channels after signalling cas, E1 has 30"
must tdmx-abcdtest "$SPAN_A" "$SPAN_B"
# the last round sent values[(1 + 10) % 14] = 12 = 1100 on timeslot 1 from A to B
tx=$(chan_field "$SPAN_A" 1 txabcd)
rx=$(chan_field "$SPAN_B" 1 rxabcd)
[ "$tx" = 1100 ] || fail "span $SPAN_A ts 1: netlink says txabcd '$tx', the ioctl set 1100"
[ "$rx" = 1100 ] || fail "span $SPAN_B ts 1: netlink says rxabcd '$rx', expected 1100"
loop_del

loop_new t1
for s in $SPAN_A $SPAN_B; do
	span_set "$s" signalling cas
done
wait_clear 5 "$SPAN_A" "$SPAN_B"
must tdmx-abcdtest "$SPAN_A" "$SPAN_B"
pass
