#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# timeout: 150
#
# Fault injection on a loop card's span A acts on A's transmitted line, so
# span B sees the fault and span A sees B's answer (RAI):
#   los        B: los on (A: rai on) within 1 s; off again within 1 s
#   ais        B: ais (blue) on, A: rai on; off again
#   rai        B: rai on; off again
#   ber 1e-4   after 3 s: B counts crc_errors, A counts ebit_errors
#   nocrc4     B: crc4_iw about 400 ms after B re-aligns; a short LOS
#              after nocrc4 off brings CRC-4 back
#   ppm 500    B: controlled frame slips (counter and slip edges)
#   slip       (one bit deleted) B: realignments + 1, no alarm after
# Alarm edges are watched with tdmxmon -j; states with tdmxctl -j.
. /tests/lib.sh
need tdmxctl tdmxmon jq

loop_new e1
A=$SPAN_A
B=$SPAN_B
for s in $A $B; do
	span_set "$s" framing e1-crc4 signalling ccs dchan 16
done
wait_clear 5 "$A" "$B"
mon_start

# ---- LOS: A sends all zeros ----
fault "$A" los on
t=$FAULT_AT
wait_edge 5 "$B" los on "$t"
within "$EDGE_AT" "$t" 1 "span $B los"
wait_edge 5 "$A" rai on "$t"
within "$EDGE_AT" "$t" 1 "span $A rai (B answering its los)"
has_alarm "$B" los || fail "span $B: los edge seen but tdmxctl shows alarms: $(alarms "$B")"
has_alarm "$A" rai || fail "span $A: rai edge seen but tdmxctl shows alarms: $(alarms "$A")"
fault "$A" los off
t=$FAULT_AT
wait_edge 5 "$B" los off "$t"
within "$EDGE_AT" "$t" 1 "span $B los clearing"
wait_edge 5 "$A" rai off "$t"
wait_clear 5 "$A" "$B"

# ---- AIS: A sends all ones ----
fault "$A" ais on
t=$FAULT_AT
wait_edge 5 "$B" ais on "$t"
within "$EDGE_AT" "$t" 1 "span $B ais"
wait_edge 5 "$A" rai on "$t"
has_alarm "$B" ais || fail "span $B: ais edge seen but tdmxctl shows alarms: $(alarms "$B")"
fault "$A" ais off
t=$FAULT_AT
wait_edge 5 "$B" ais off "$t"
wait_clear 5 "$A" "$B"

# ---- RAI sent on request ----
fault "$A" rai on
t=$FAULT_AT
wait_edge 5 "$B" rai on "$t"
within "$EDGE_AT" "$t" 1 "span $B rai"
fault "$A" rai off
wait_edge 5 "$B" rai off "$FAULT_AT"
wait_clear 5 "$A" "$B"

# ---- bit errors ----
get crc0 "$B" crc_errors
get ebit0 "$A" ebit_errors
fault "$A" ber 1e-4
sleep 3
get crc1 "$B" crc_errors
get ebit1 "$A" ebit_errors
fault "$A" ber 0
log "ber 1e-4 for 3 s: span $B crc_errors +$((crc1 - crc0)), span $A ebit_errors +$((ebit1 - ebit0))"
[ "$crc1" -gt "$crc0" ] || fail "span $B: no crc_errors after 3 s of ber 1e-4 on span $A"
[ "$ebit1" -gt "$ebit0" ] || fail "span $A: no ebit_errors (E bits from $B) after 3 s of ber 1e-4"
wait_clear 5 "$A" "$B"
sleep 1
get crc0 "$B" crc_errors
sleep 2
get crc1 "$B" crc_errors
[ "$crc1" = "$crc0" ] || fail "span $B: crc_errors still rising after ber 0 ($crc0 -> $crc1)"

# ---- far end without CRC-4 (G.706 Annex B) ----
fault "$A" nocrc4 on
t=$FAULT_AT
wait_edge 6 "$B" crc4_iw on "$t"
iw=$EDGE_AT
# the 400 ms timer starts at B's new frame alignment (the lof off edge)
sync_at=$(edge_times "$B" lof off "$t" | tail -n 1)
if [ -n "$sync_at" ]; then
	gap=$(awk -v a="$sync_at" -v b="$iw" 'BEGIN { printf "%.3f", b - a }')
	log "span $B: crc4_iw $gap s after re-aligning"
	awk -v g="$gap" 'BEGIN { exit !(g >= 0.3 && g <= 1.5) }' ||
		fail "span $B: crc4_iw $gap s after frame alignment, G.706 Annex B says 400 ms"
else
	log "span $B: crc4_iw without a re-alignment edge"
fi
has_alarm "$B" crc4_iw || fail "span $B: crc4_iw edge seen but tdmxctl shows alarms: $(alarms "$B")"
fault "$A" nocrc4 off
# interworking lasts until alignment is lost: a short LOS makes B look again
fault "$A" los on
sleep 0.3
fault "$A" los off
wait_edge 5 "$B" crc4_iw off "$FAULT_AT"
wait_clear 5 "$A" "$B"

# ---- clock offset: controlled frame slips at B ----
get slips0 "$B" slips
fault "$A" ppm 500
t=$FAULT_AT
wait_edge 5 "$B" slip on "$t"
sleep 1
fault "$A" ppm 0
get slips1 "$B" slips
log "ppm 500: span $B slips +$((slips1 - slips0))"
[ "$slips1" -gt "$slips0" ] || fail "span $B: slip edges but the slips counter did not move"
wait_clear 5 "$A" "$B"

# ---- one-bit slip: B must re-align once ----
get re0 "$B" realignments
fault "$A" slip
wait_for 5 "span $B to re-align after a bit slip" more_than "$B" realignments "$re0"
wait_clear 5 "$A" "$B"
get re1 "$B" realignments
[ "$re1" = $((re0 + 1)) ] || fail "span $B: realignments went from $re0 to $re1 after one bit slip, expected +1"
pass
