#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# timeout: 200
#
# HDLC on the D-channels of a loop card (tdmx-hdlctest): frames of every
# length 1..300 arrive intact and in order, one way and both ways at once;
# the counters agree; with a bit error rate of 1e-4 some frames are lost
# but no damaged frame is ever delivered (the kernel checks the FCS). Then
# the same on T1 (D-channel 24).
. /tests/lib.sh
need tdmxctl jq tdmx-hdlctest

loop_new e1
for s in $SPAN_A $SPAN_B; do
	span_set "$s" framing e1-crc4 signalling ccs dchan 16
done
wait_clear 5 "$SPAN_A" "$SPAN_B"
must tdmxctl counters reset
must tdmx-hdlctest -d 16 "$SPAN_A" "$SPAN_B"
must tdmx-hdlctest -d 16 -b "$SPAN_A" "$SPAN_B"
log "span $SPAN_B: $(counters_line "$SPAN_B")"
get rx "$SPAN_B" hdlc_rx_frames
get tx "$SPAN_A" hdlc_tx_frames
get bad "$SPAN_B" hdlc_bad_fcs
[ "$rx" -ge 600 ] || fail "span $SPAN_B: hdlc_rx_frames $rx, 600 frames arrived"
[ "$tx" -ge 600 ] || fail "span $SPAN_A: hdlc_tx_frames $tx, 600 frames were sent"
[ "$bad" = 0 ] || fail "span $SPAN_B: hdlc_bad_fcs $bad on a clean line"

fault "$SPAN_A" ber 1e-4
tdmx-hdlctest -d 16 -e "$SPAN_A" "$SPAN_B" >hdlc.out
rc=$?
cat hdlc.out
fault "$SPAN_A" ber 0
[ $rc = 0 ] || fail "tdmx-hdlctest -e: a corrupted frame was delivered or none arrived"
missing=$(sed -n 's/.*A->B: .* missing \([0-9]*\) .*/\1/p' hdlc.out)
[ "${missing:-0}" -gt 0 ] || fail "ber 1e-4 on 300 frames of up to 300 octets lost none: is the error rate applied?"
get bad "$SPAN_B" hdlc_bad_fcs
[ "$bad" -gt 0 ] || fail "span $SPAN_B: frames were lost to bit errors but hdlc_bad_fcs is 0"
loop_del

loop_new t1
for s in $SPAN_A $SPAN_B; do
	span_set "$s" signalling ccs
done
wait_clear 5 "$SPAN_A" "$SPAN_B"
must tdmx-hdlctest -d 24 -m 100 "$SPAN_A" "$SPAN_B"
pass
