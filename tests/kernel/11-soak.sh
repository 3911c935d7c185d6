#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# timeout: 180
#
# Soak: four E1 loop cards (8 spans, CRC-4, signalling none), 60 s of
# counter patterns on 30 timeslots of every span (1-15, 17-31: 240 in
# all), both ways through the mmap'ed span rings (tdmx-soak). Every frame
# after the initial sync must continue its sequence: no frame lost,
# duplicated or corrupted, no tx block sent before it was written, the
# first frame of every stream received; and no alarm, FAS or CRC-4 error,
# slip or overrun on any span. Blocks the test itself was too late for
# (QEMU may starve it) are told apart exactly and may be at most 1% (see
# tdmx-soak.c); the checker is first shown to count known damage (-T).
#
# Figures (printed by the harness under the success line): line time
# against wall time, the kernel's cost per tick per span (counters ticks,
# tick_ns, tick_ns_max, reset before the soak), the time of a memcpy() of
# the bytes a tick moves (768: 256 octets of line in, 256 out, a 256-octet
# ring block; measured by tdmx-soak -M in this guest after the cards are
# gone), and their ratio.
. /tests/lib.sh
need tdmxctl jq tdmx-soak

# first: the checker itself counts a stream with known damage right
logrun tdmx-soak -T || fail "tdmx-soak -T: the checker miscounts"

SECONDS_SOAK=${TDMX_SOAK_SECONDS:-60}
spans=""
cards=""
for _card in 1 2 3 4; do
	loop_new e1
	spans="$spans $SPAN_A $SPAN_B"
	cards="$cards $CARD"
done
for s in $spans; do
	span_set "$s" framing e1-crc4 signalling none block 5
done
# shellcheck disable=SC2086
wait_clear 10 $spans
must tdmxctl counters reset

# shellcheck disable=SC2086
logrun tdmx-soak -s "$SECONDS_SOAK" $spans
rc=$?
totals=$(sed -n 's/^soak_totals //p' ./logrun.out)
[ -n "$totals" ] || fail "tdmx-soak printed no totals (exit $rc): $(tail -n 3 ./logrun.out | tr '\n' ' ')"
figure "soak ${SECONDS_SOAK}s, 8 spans x 30 timeslots both ways: $totals"
for s in $spans; do
	line=$(grep "^tdmx-soak: span $s: " ./logrun.out | sed 's/^tdmx-soak: span [0-9]*: //; s/;.*//')
	figure "span $s: $line"
done
[ $rc = 0 ] || fail "tdmx-soak: $(grep FAIL ./logrun.out | head -n 3 | tr '\n' ' ')"

# the spans stayed clean
for s in $spans; do
	[ -z "$(alarms "$s")" ] || fail "span $s: alarms $(alarms "$s" | tr '\n' ' ') after the soak"
	j=$(counters_json "$s")
	bad=$(echo "$j" | jq -r '.counters | to_entries | map(select(.key == "fas_errors" or
		.key == "crc_errors" or .key == "ebit_errors" or .key == "realignments" or
		.key == "slips" or .key == "rx_overruns") | select(.value != 0) |
		"\(.key) \(.value)") | join(", ")')
	[ -z "$bad" ] || fail "span $s during the soak: $bad"
done

# the kernel's cost per tick
tick_sum=0
ticks_all=0
for s in $spans; do
	j=$(counters_json "$s")
	ticks=$(echo "$j" | jq -r '.counters.ticks')
	ns=$(echo "$j" | jq -r '.counters.tick_ns')
	max=$(echo "$j" | jq -r '.counters.tick_ns_max')
	[ "$ticks" -gt 0 ] 2>/dev/null || fail "span $s: no ticks counted ($j)"
	mean=$((ns / ticks))
	figure "span $s: $ticks ticks, mean $mean ns per tick, max $max ns"
	tick_sum=$((tick_sum + ns))
	ticks_all=$((ticks_all + ticks))
done
tick_mean=$((tick_sum / ticks_all))

for c in $cards; do
	vcard_del "$c"
done

logrun tdmx-soak -M -n 1000000 -b 768 || fail "tdmx-soak -M failed"
memcpy_ns=$(sed -n 's/^memcpy_ns //p' ./logrun.out)
[ -n "$memcpy_ns" ] || fail "tdmx-soak -M printed no figure"
ratio=$(awk -v t="$tick_mean" -v m="$memcpy_ns" 'BEGIN { printf "%.0f", t / m }')
figure "tick cost: mean $tick_mean ns per span tick (all 8 spans); memcpy of 768 bytes: $memcpy_ns ns"
figure "tick cost = $ratio x memcpy of the same bytes (QEMU TCG: compare ratios, not ns)"
pass
