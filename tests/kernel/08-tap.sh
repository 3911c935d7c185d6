#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# timeout: 120
#
# A tap vcard's line through /dev/tdmx/line/<span>, both ways, judged by
# tdmx-line (the framer run in userspace):
#   receive   a line made by tdmx-line encode (E1 CRC-4 + CAS, ABCD 1001
#             on TS5, 0101 on TS17, 1101 elsewhere) is written into the
#             line device at line rate: the span aligns (no alarm at all),
#             counts frames without FAS or CRC-4 errors, and netlink shows
#             rxabcd 1001 on 5/5, 0101 on 5/17 and 1101 on every other cas
#             channel;
#   transmit  what the span sends (txabcd 0110 on TS5, 1110 on TS17), read
#             from the line device into a file, decodes with tdmx-line
#             decode: frame, CRC-4 and CAS multiframe sync near the start
#             (the capture starts anywhere in a frame), aligned at the end,
#             no FAS/CRC/E-bit error, no realignment, no alarm, and every
#             timeslot's ABCD as set;
#   T1        the same on a T1 ESF tap with robbed-bit signalling (channel
#             3: 1111 and 10: 0110 received; 3: 0101 and 10: 1010 sent).
. /tests/lib.sh
need tdmxctl jq tdmx-line dd mkfifo

# feed_start ARGS...: tdmx-line encode ARGS into the tap span's line
# device, paced by the device (its FIFO holds 256 ms)
feed_start() {
	rm -f ./line.fifo
	mkfifo ./line.fifo || fail "mkfifo"
	tdmx-line encode "$@" >./line.fifo 2>./encode.err &
	ENC_PID=$!
	dd if=./line.fifo of="/dev/tdmx/line/$S" bs=4096 2>./feed.err &
	DD_PID=$!
	# the device holds 256 ms: do not let QEMU starve the feed
	renice -n -10 -p "$ENC_PID" "$DD_PID" >/dev/null 2>&1
	defer feed_stop
	log "feeding span $S: tdmx-line encode $*"
}

feed_stop() {
	kill "$DD_PID" "$ENC_PID" 2>/dev/null
	wait "$DD_PID" "$ENC_PID" 2>/dev/null
	undefer feed_stop
	return 0
}

# abcd_table SPAN: "ts rxabcd" lines of the span's cas channels
abcd_table() {
	tdmxctl -j chan show "$1" | jq -r '.[] | select(.chan_type == "cas") | "\(.chan) \(.rxabcd)"'
}

# abcd_ok SPAN TS:BITS... DEFAULT: every cas channel shows its value
abcd_ok() {
	_s=$1
	shift
	_def=$(eval echo "\${$#}")
	_table=$(abcd_table "$_s")
	[ "$(echo "$_table" | wc -l)" -ge 24 ] || return 1
	echo "$_table" | while read -r _ts _v; do
		_want=$_def
		for _p in "$@"; do
			case "$_p" in "$_ts":*) _want=${_p#*:} ;; esac
		done
		[ "$_v" = "$_want" ] || exit 1
	done
}

# rx_checks SPAN: aligned, no alarm, and the counters stay clean for 2 s
rx_checks() {
	wait_for 10 "span $1 to align on the line fed to it (alarms: $(alarms "$1" | tr '\n' ' '))" all_clear "$1"
	get fr0 "$1" frames
	get fas0 "$1" fas_errors
	get crc0 "$1" crc_errors
	get re0 "$1" realignments
	sleep 2
	[ -z "$(alarms "$1")" ] || fail "span $1: alarms $(alarms "$1" | tr '\n' ' ') on a clean fed line"
	get fr1 "$1" frames
	get fas1 "$1" fas_errors
	get crc1 "$1" crc_errors
	get re1 "$1" realignments
	log "span $1 in 2 s: frames +$((fr1 - fr0)), fas_errors +$((fas1 - fas0)), crc_errors +$((crc1 - crc0)), realignments +$((re1 - re0))"
	[ $((fr1 - fr0)) -ge 4000 ] || fail "span $1: only $((fr1 - fr0)) frames received in 2 s"
	[ "$fas1" = "$fas0" ] && [ "$crc1" = "$crc0" ] && [ "$re1" = "$re0" ] ||
		fail "span $1: errors on a clean fed line: $(counters_line "$1")"
}

# tx_capture OCTETS FILE: what the span transmits, from the line device
# (which keeps the last 256 ms: the reader must not stall longer)
tx_capture() {
	dd if="/dev/tdmx/line/$S" of="$2" bs=65536 count=$(($1 / 65536)) iflag=fullblock 2>./cap.err &
	_cap=$!
	renice -n -10 -p "$_cap" >/dev/null 2>&1
	wait "$_cap" || fail "dd from /dev/tdmx/line/$S: $(cat ./cap.err)"
	[ "$(wc -c <"$2")" = "$1" ] || fail "read only $(wc -c <"$2") of $1 octets from /dev/tdmx/line/$S"
}

# decode_checks MODE FILE MINFRAMES SYNCBITS: the capture decodes clean
decode_checks() {
	tdmx-line decode --mode "$1" --cas "$2" >./decode.json 2>./decode.err ||
		fail "tdmx-line decode --mode $1 --cas $2: $(cat ./decode.err)"
	_sum=$(tail -n 1 ./decode.json)
	log "decode $1: $(grep -v '"abcd"' ./decode.json | head -n 6 | tr '\n' ' ')"
	log "decode $1: $_sum"
	echo "$_sum" | jq -e --argjson min "$3" '.ev == "summary" and .aligned == true and
		.fas_errors == 0 and .crc_errors == 0 and .realignments == 0 and
		.frames >= $min' >/dev/null ||
		fail "span $S transmits a line that does not decode clean: $_sum"
	_sync=$(jq -r 'select(.ev == "frame_sync") | .bit' ./decode.json | head -n 1)
	[ -n "$_sync" ] && [ "$_sync" -lt "$4" ] ||
		fail "span $S transmits: frame_sync at bit '${_sync:-never}', expected before bit $4"
	[ "$(jq -r 'select(.ev == "frame_sync" or .ev == "frame_loss") | .ev' ./decode.json | wc -l)" = 1 ] ||
		fail "span $S transmits: frame alignment lost and found again: $(grep -E 'frame_(sync|loss)' ./decode.json | head -n 5 | tr '\n' ' ')"
	_al=$(jq -c 'select(.ev == "alarm" and .on == true)' ./decode.json | head -n 3 | tr '\n' ' ')
	[ -z "$_al" ] || fail "span $S transmits alarms: $_al"
}

# decoded_abcd TS: the last ABCD the decoder saw on timeslot/channel TS
decoded_abcd() {
	jq -r --argjson ts "$1" 'select(.ev == "abcd" and .ts == $ts) | .abcd' ./decode.json | tail -n 1
}

# ================================================================ E1
out=$(tdmxctl vcard add tap e1) || fail "tdmxctl vcard add tap e1 failed"
log "vcard add tap e1: $out"
TAP_CARD=$(echo "$out" | sed -n 's/^vcard \([0-9]*\) tap e1 spans \([0-9]*\)$/\1/p')
S=$(echo "$out" | sed -n 's/^vcard \([0-9]*\) tap e1 spans \([0-9]*\)$/\2/p')
[ -n "$TAP_CARD" ] && [ -n "$S" ] || fail "vcard add tap e1 printed '$out', not 'vcard N tap e1 spans S'"
defer "tdmxctl vcard del $TAP_CARD"
wait_for 3 "/dev/tdmx/line/$S" test -c "/dev/tdmx/line/$S"
[ "$(span_field "$S" line)" = e1 ] || fail "span $S is not e1"
[ "$(tdmxctl -j vcard show | jq -r --argjson c "$TAP_CARD" '.[] | select(.vcard == $c) | .vcard_type')" = tap ] ||
	fail "vcard show does not list card $TAP_CARD as a tap: $(tdmxctl -j vcard show)"

# nothing fed: the line is dead
wait_for 3 "span $S to see LOS with nothing written to its line" has_alarm "$S" los

span_set "$S" framing e1-crc4 signalling cas
[ "$(span_field "$S" signalling)" = cas ] || fail "span $S: signalling not cas"
[ "$(tdmxctl -j chan show "$S/5" | jq -r '.[0].chan_type')" = cas ] || fail "span $S: TS5 is not a cas channel"
must tdmxctl chan set "$S/5" txabcd 0110
must tdmxctl chan set "$S/17" txabcd 1110

# 60 s of line: more than this part needs; stopped at the end
feed_start --mode e1-crc4 --cas --frames 480000 --abcd 5:1001 --abcd 17:0101
rx_checks "$S"
wait_for 5 "span $S: rxabcd 1001 on TS5, 0101 on TS17, 1101 elsewhere; netlink shows: $(abcd_table "$S" | tr '\n' ' ')" \
	abcd_ok "$S" 5:1001 17:0101 1101
log "span $S rxabcd: $(abcd_table "$S" | tr '\n' ' ')"
[ "$(tdmxctl -j chan show "$S/5" | jq -r '.[0].rxabcd')" = 1001 ] || fail "span $S: chan show $S/5 rxabcd is not 1001"

# 1 MiB of what the span sends: 4 s of E1
tx_capture 1048576 ./tx-e1.raw
decode_checks e1-crc4 ./tx-e1.raw 32000 4096
tail -n 1 ./decode.json | jq -e '.crc4 == true and .ebit_errors == 0' >/dev/null ||
	fail "span $S transmits: not CRC-4 aligned at the end or E bits set: $(tail -n 1 ./decode.json)"
for ev in crc4_sync cas_sync; do
	b=$(jq -r --arg e "$ev" 'select(.ev == $e) | .bit' ./decode.json | head -n 1)
	[ -n "$b" ] && [ "$b" -lt 40960 ] || fail "span $S transmits: $ev at bit '${b:-never}', expected within 20 ms"
done
for ts in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31; do
	case $ts in 5) want=0110 ;; 17) want=1110 ;; *) want=1101 ;; esac
	got=$(decoded_abcd "$ts")
	[ "$got" = "$want" ] || fail "span $S transmits ABCD '$got' on TS$ts, set $want"
done
log "span $S transmits: tdmx-line decode aligned, CRC-4 and CAS, no errors, ABCD as set"
feed_stop
vcard_del "$TAP_CARD"

# ================================================================ T1
tap_new t1
S=$TAP_SPAN
[ "$(span_field "$S" line)" = t1 ] || fail "span $S is not t1"
span_set "$S" framing t1-esf signalling cas
must tdmxctl chan set "$S/3" txabcd 0101
must tdmxctl chan set "$S/10" txabcd 1010
feed_start --mode t1-esf --cas --frames 480000 --abcd 3:1111 --abcd 10:0110
rx_checks "$S"
wait_for 5 "span $S: rxabcd 1111 on 3, 0110 on 10, 0000 elsewhere; netlink shows: $(abcd_table "$S" | tr '\n' ' ')" \
	abcd_ok "$S" 3:1111 10:0110 0000
log "span $S rxabcd: $(abcd_table "$S" | tr '\n' ' ')"

# 512 KiB: 2.7 s of T1
tx_capture 524288 ./tx-t1.raw
decode_checks t1-esf ./tx-t1.raw 20000 154400
ch=1
while [ $ch -le 24 ]; do
	case $ch in 3) want=0101 ;; 10) want=1010 ;; *) want=0000 ;; esac
	got=$(decoded_abcd "$ch")
	[ "$got" = "$want" ] || fail "span $S transmits ABCD '$got' on channel $ch, set $want"
	ch=$((ch + 1))
done
log "span $S transmits: tdmx-line decode aligned (ESF), no CRC-6 error, robbed-bit ABCD as set"
feed_stop
pass
