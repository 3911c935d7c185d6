#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# timeout: 90
#
# A loop card's two E1 spans, both e1-crc4 with CCS on timeslot 16, align
# with each other and stay aligned: no alarm, no alarm edge, and no FAS,
# CRC-4 or E-bit error, realignment or slip in 10 s of line.
. /tests/lib.sh
need tdmxctl tdmxmon jq

# every alarm edge from the card's birth on, for the story on failure
mon_start
loop_new e1
for s in $SPAN_A $SPAN_B; do
	span_set "$s" framing e1-crc4 signalling ccs dchan 16
done
for s in $SPAN_A $SPAN_B; do
	for kv in line=e1 framing=e1-crc4 signalling=ccs dchan=16; do
		got=$(span_field "$s" "${kv%%=*}")
		[ "$got" = "${kv#*=}" ] || fail "span $s: ${kv%%=*} is '$got', set ${kv#*=}"
	done
	type=$(tdmxctl -j chan show "$s/16" | jq -r 'if type == "array" then .[0] else . end | .chan_type')
	[ "$type" = hdlc ] || fail "span $s: channel 16 is '$type', CCS makes it hdlc"
done

sleep 2
all_clear "$SPAN_A" "$SPAN_B" ||
	fail "2 s after configuring: span $SPAN_A alarms '$(alarms "$SPAN_A" | tr '\n' ' ')', span $SPAN_B '$(alarms "$SPAN_B" | tr '\n' ' ')'"

# fail with the alarm edges tdmxmon saw
fail_story() {
	log "alarm edges so far:"
	grep '"alarm"' "$MON" | jq -r '"  \(.time) span \(.span) \(.alarm) \(if .on then "on" else "off" end)"'
	fail "$@"
}

since=$(now)
for s in $SPAN_A $SPAN_B; do
	log "span $s before: $(counters_line "$s")"
	for c in frames fas_errors crc_errors ebit_errors realignments slips; do
		get "before_${s}_$c" "$s" $c
	done
done
sleep 10
for s in $SPAN_A $SPAN_B; do
	log "span $s after:  $(counters_line "$s")"
	for c in fas_errors crc_errors ebit_errors realignments slips; do
		get after "$s" $c
		eval "before=\$before_${s}_$c"
		[ "$after" = "$before" ] || fail_story "span $s: $c went from $before to $after in 10 s of a clean line"
	done
	get after "$s" frames
	eval "before=\$before_${s}_frames"
	# 8000 frames/s of line time; TCG may run a little behind
	[ $((after - before)) -ge 40000 ] ||
		fail "span $s: only $((after - before)) frames received in 10 s (expected about 80000)"
done
all_clear "$SPAN_A" "$SPAN_B" || fail "alarms after 10 s: $(alarms "$SPAN_A") $(alarms "$SPAN_B")"
n=$(grep '^{' "$MON" | jq -s --argjson t "$since" '[.[] | select(.type == "alarm") | .time
	| capture("(?<s>[^.]*)\\.(?<f>[0-9]+)Z") | (.s + "Z" | fromdateiso8601) + ("0." + .f | tonumber)
	| select(. >= $t)] | length')
[ "$n" = 0 ] || fail_story "$n alarm edges during 10 s of a clean line"
pass
