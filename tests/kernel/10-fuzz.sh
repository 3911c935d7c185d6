#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# timeout: 240
#
# Fuzzing, bounded and seeded (the seeds are in the log: repeat a run with
# TDMX_NLFUZZ_SEED / TDMX_DEVFUZZ_SEED in the scenario's environment, or
# run the programs by hand with -s):
#
# netlink  tdmx-nlfuzz as root: 20000 messages or 60 s, random commands,
#          flags, attributes (types, lengths, nesting), valid-looking
#          SET/FAULT/VCARD requests on random ids, with a loop and a tap
#          card to hit. Then: the family still answers, dmesg is clean,
#          every card (the fuzzer's too) deletes, nothing stays allocated
#          (live_objects 0).
# devices  first by hand: an open channel cannot change type (EBUSY, also
#          through span set signalling), an open channel, span or line
#          device keeps its card (vcard del EBUSY). Then tdmx-devfuzz for
#          30 s on an E1 loop (A cas, B ccs: cas, voice, hdlc and unused
#          channels) and two taps (E1, T1): random opens, reads, writes,
#          ioctls, polls and mmaps with bad pointers, sizes and offsets,
#          blocking calls cut by timers; meanwhile a shell loop re-types
#          channels and re-signals span A with tdmxctl: each must succeed
#          or fail with EBUSY, nothing else. Then every card deletes,
#          live_objects is 0, dmesg is clean.
# hdlc     tdmx-devfuzz -H on a CCS loop: one frame and two blocking
#          readers of the channel: exactly one gets it and the queue is
#          empty after; two blocking writers and a full transmit queue:
#          every frame arrives once. Made certain with userfaultfd (one
#          reader or writer held inside its copy).
. /tests/lib.sh
need tdmxctl jq tdmx-nlfuzz tdmx-devfuzz
defer "vcards_del_all"

# every card goes, nothing stays allocated
all_gone() {
	vcards_del_all || fail "after $1: cannot delete every card: $(tdmxctl vcard show 2>&1 | tr '\n' ' ')"
	[ -z "$(ls /dev/tdmx/span 2>/dev/null)" ] || fail "after $1: span devices left: $(ls /dev/tdmx/span | tr '\n' ' ')"
	wait_for 3 "after $1: live_objects $(live_objects), expected 0 with no card" \
		test "$(live_objects)" = 0
}

# ================================================================ netlink
loop_new e1
undefer "tdmxctl vcard del $CARD"
tap_new t1
undefer "tdmxctl vcard del $TAP_CARD"
seed=${TDMX_NLFUZZ_SEED:+-s $TDMX_NLFUZZ_SEED}
# shellcheck disable=SC2086
logrun tdmx-nlfuzz -n 20000 -t 60 -c 3 $seed || fail "tdmx-nlfuzz failed (exit $?)"
figure "netlink fuzz: $(grep -E 'seed|sent ' ./logrun.out | sed 's/^tdmx-nlfuzz: //' | tr '\n' ';')"
dmesg_clean
out=$(tdmxctl -j span show) || fail "tdmxctl span show fails after the netlink fuzz"
log "after the netlink fuzz: $(echo "$out" | jq length) spans, $(tdmxctl -j vcard show | jq length) cards"
all_gone "the netlink fuzz"

# ================================================================ devices
loop_new e1
A=$SPAN_A
B=$SPAN_B
undefer "tdmxctl vcard del $CARD"
LOOP=$CARD
span_set "$A" signalling cas
span_set "$B" signalling ccs dchan 16
tap_new e1
TE1=$TAP_SPAN
undefer "tdmxctl vcard del $TAP_CARD"
tap_new t1
undefer "tdmxctl vcard del $TAP_CARD"

# an open device holds its channel type and its card
exec 3<"/dev/tdmx/chan/$A/1"
expect_fail 1 'Device or resource busy: TDMX_A_CHAN_TYPE' tdmxctl chan set "$A/1" type clear
expect_fail 1 'Device or resource busy: TDMX_A_SPAN_ID' tdmxctl span set "$A" signalling none
expect_fail 1 'Device or resource busy: TDMX_A_VCARD_ID' tdmxctl vcard del "$LOOP"
must tdmxctl chan set "$A/2" type clear
must tdmxctl chan set "$A/2" type cas
must tdmxctl chan set "$A/1" txabcd 0110
exec 3<&-
exec 3<"/dev/tdmx/chan/$B/16"
expect_fail 1 'Device or resource busy' tdmxctl chan set "$B/16" type voice
expect_fail 1 'Device or resource busy' tdmxctl span set "$B" dchan 20
exec 3<&-
exec 3<"/dev/tdmx/span/$B"
expect_fail 1 'Device or resource busy: TDMX_A_VCARD_ID' tdmxctl vcard del "$LOOP"
must tdmxctl chan set "$B/5" type clear
must tdmxctl chan set "$B/5" type voice
exec 3<&-
exec 3<"/dev/tdmx/line/$TE1"
expect_fail 1 'Device or resource busy: TDMX_A_VCARD_ID' tdmxctl vcard del "$(tdmxctl -j span show "$TE1" | jq -r '.[0].card')"
exec 3<&-
[ "$(tdmxctl -j chan show "$A/1" | jq -r '.[0].chan_type')" = cas ] || fail "chan $A/1 changed type while open"

# re-type channels while the fuzzer opens them: ok or EBUSY, nothing else
retype() {
	i=0
	while [ ! -e ./retype.stop ]; do
		ts=$((i * 7 % 31 + 1))
		case $((i % 4)) in
		0) cmd="chan set $A/$ts type clear" ;;
		1) cmd="chan set $A/$ts type cas" ;;
		2) cmd="chan set $B/$ts txabcd 1001 type voice" ;;
		*)
			if [ $((i % 8)) = 3 ]; then
				cmd="span set $A signalling none"
			else
				cmd="span set $A signalling cas"
			fi
			;;
		esac
		# shellcheck disable=SC2086
		msg=$(tdmxctl $cmd 2>&1)
		rc=$?
		case "$rc:$msg" in
		0:) echo "ok $cmd" ;;
		1:*"Device or resource busy"*) echo "busy $cmd" ;;
		*) echo "BAD $cmd: exit $rc: $msg" ;;
		esac
		i=$((i + 1))
	done >./retype.log
}
rm -f ./retype.stop
retype &
RETYPE=$!
defer "touch ./retype.stop; wait $RETYPE 2>/dev/null; true"

seed=${TDMX_DEVFUZZ_SEED:+-s $TDMX_DEVFUZZ_SEED}
# shellcheck disable=SC2086
logrun tdmx-devfuzz -t 30 $seed
rc=$?
touch ./retype.stop
wait "$RETYPE"
undefer "touch ./retype.stop; wait $RETYPE 2>/dev/null; true"
[ $rc = 0 ] || fail "tdmx-devfuzz: $(grep FAIL ./logrun.out | head -n 3 | tr '\n' ' ') (exit $rc)"
figure "device fuzz: $(grep -E 'seed|steps' ./logrun.out | sed 's/^tdmx-devfuzz: //' | tr '\n' ';')"
log "tdmxctl while fuzzing: $(grep -c '^ok' ./retype.log) ok, $(grep -c '^busy' ./retype.log) busy, $(grep -c '^BAD' ./retype.log) other"
if grep -q '^BAD' ./retype.log; then
	fail "tdmxctl while the devices were fuzzed: $(grep '^BAD' ./retype.log | head -n 3 | tr '\n' ' ')"
fi
grep -q '^ok' ./retype.log || fail "no tdmxctl change succeeded while fuzzing: $(head -n 3 ./retype.log | tr '\n' ' ')"
dmesg_clean
# every file is closed: nothing holds a card
[ "$(tdmxctl -j chan show | jq '[.[] | select(.open > 0)] | length')" = 0 ] ||
	fail "channels still open after the fuzzer exited: $(tdmxctl -j chan show | jq -c '[.[] | select(.open > 0)]')"
all_gone "the device fuzz"

# ================================================ hdlc readers and writers
# Two readers of one hdlc channel and one frame: one reader gets it, the
# other waits; two writers and one free slot: the second waits for room.
# Forced with userfaultfd (a reader or writer stopped inside its copy,
# holding the channel's reader/writer lock), so the result is certain.
loop_new e1
span_set "$SPAN_A" signalling ccs dchan 16
span_set "$SPAN_B" signalling ccs dchan 16
wait_clear 5 "$SPAN_A" "$SPAN_B"
logrun tdmx-devfuzz -H "$SPAN_A" "$SPAN_B"
rc=$?
loop_del
# the held (certain) results first
[ $rc = 0 ] || fail "hdlc channel with two readers or writers: $({
	grep 'FAIL: held' ./logrun.out
	grep FAIL ./logrun.out | grep -v 'FAIL: held'
} | sed 's/^tdmx-devfuzz: FAIL: //' | head -n 3 | tr '\n' ' ')"
pass
