#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# timeout: 210
#
# tdmxd's media graph end to end on two vcard loops (near A <-> far B,
# near C <-> far D): tdmxd works on the near spans, driven through its
# control socket by tdmxd-mediatest, which sends known audio into the far
# channel devices and checks what comes back:
# - the bridge latency (tdmxd-bridgetest, bit-exact both ways);
# - a conference of three talkers (A/5, A/6, C/7), a silent talker (C/9)
#   and a listen-only member (A/8): each hears the sum of the others
#   (mix-minus, to one quantisation step), the listener hears all and is
#   not heard, the silent member adds nothing, sums beyond full scale clamp;
# - supervision of the bridge agent A/11 <-> caller C/11 from A/12:
#   listen, whisper, barge, switched live in both directions and back to
#   none, the caller <-> agent audio continuous sample for sample across
#   every switch (pseudo-random sequence patterns), bit-exact where only
#   one party is heard;
# - DTMF: 16 digits (Q.23 dual tones, -10 dBm0 each, 50 ms on / 50 ms
#   off) sent into A/10 come back as dtmf events in order, with increasing
#   time stamps;
# - recordings of the bridge caller C/13 <-> agent A/13: stereo A-law,
#   stereo PCM and mono PCM WAV files parsed in the guest: sizes, format,
#   each channel's pattern from its first sample to the end after an idle
#   lead-in, the index row 'done' with the file's duration and size;
#   then of a conference of the caller, the agent and C/15 (a constant
#   level): stereo PCM and A-law with the caller on the left (its pattern
#   as sent) and the others' mix on the right, mono PCM of all three; the
#   mono one ends by record_stop, the stereo ones with the conference (its
#   members leave), each with a record_done event;
# - playback: an 8 kHz A-law prompt played on A/14 arrives bit-exact
#   between idle, with its play_done event; the ITU dial tone is 425 Hz;
# - the recordings' index rows: a conference's names it and its members;
# - a conference across workers: tdmxd restarted with `workers: 2` (A and C
#   on different workers), the conference test again: the members on the
#   other worker (C/7, C/9) cross through links, the sums are checked the
#   same way.
# A run broken by a TCG stall (longer than tdmxd's jitter budget: tdmxd
# counts late_wakes, rx_lost, tx_missed, and across workers
# remote_underruns, remote_slips; or of the test program itself,
# whose 128 ms channel FIFOs then run dry or over: it reports its
# channels' underrun and overrun events) is repeated, logging
# those counts, up to 5 runs; one run must pass every check, and a failed
# run with no stall recorded fails the scenario at once.
. /tests/lib.sh
need tdmxctl jq tdmxd tdmxd-ctl tdmxd-bridgetest tdmxd-mediatest

SOCK=$PWD/run/control
TDMXD_PID=""

# the counters that tell a TCG stall, summed over the spans, and the
# cross-worker jitter buffers' underruns and slips (a sending worker later
# than the buffer's reserve: audio of a remote member lost or skipped)
stall_counts() {
	ctl '{"cmd":"status"}' |
		jq -r '"late_wakes \([.spans[].late_wakes] | add), rx_lost \([.spans[].rx_lost] | add), tx_missed \([.spans[].tx_missed] | add), remote_underruns \([.workers[].remote_underruns // 0] | add), remote_slips \([.workers[].remote_slips // 0] | add)"'
}

# attempt WHAT CMD...: up to 5 runs of CMD, one must pass. A failed run
# is repeated only when a stall was recorded during it (tdmxd's counters
# moved, or the test program's channel FIFOs ran dry or over); a failure
# with none is a fault and fails at once. Stalls come in bursts (the host
# is busy), so the next run waits a second.
attempt() {
	_what=$1
	shift
	_try=1
	while :; do
		_before=$(stall_counts)
		if logrun "$@"; then
			log "$_what: passed in run $_try"
			return 0
		fi
		_after=$(stall_counts)
		_fifo=$(grep 'own channel FIFOs' logrun.out | sed 's/^tdmxd-mediatest: //')
		log "$_what: run $_try failed; tdmxd before it: $_before; after: $_after; $_fifo; tdmxd's log ends: $(tail -n 4 tdmxd.log | tr '\n' ';')"
		if [ "$_before" = "$_after" ] && echo "$_fifo" | grep -q ': 0 rx overruns, 0 tx underruns'; then
			fail "$_what: failed with no stall recorded: $(grep FAIL logrun.out | head -n 3)"
		fi
		[ "$_try" -lt 5 ] || fail "$_what: failed in 5 runs: $(grep FAIL logrun.out | head -n 3)"
		_try=$((_try + 1))
		sleep 1
	done
}

loop_new e1
A=$SPAN_A
B=$SPAN_B
loop_new e1
C=$SPAN_A
D=$SPAN_B
wait_clear 5 "$A" "$B" "$C" "$D"
defer stop_tdmxd

mkdir -p rec run prompts
grep -q '^nobody:' /etc/passwd 2>/dev/null && chown nobody rec run

# write_config WORKERS
write_config() {
	{
		echo "log_level: info"
		echo "workers: $1"
		echo "block_ms: 10"
		echo "jitter_ms: 40"
		echo "rt_priority: 10"
		echo "control: $SOCK"
		echo "spans:"
		echo "  - span: $A"
		echo "  - span: $C"
		echo "recordings:"
		echo "  dir: $PWD/rec"
		echo "  database: $PWD/rec/index.db"
		echo "prompts:"
		echo "  dir: $PWD/prompts"
		if grep -q '^nobody:' /etc/passwd 2>/dev/null; then
			echo "user: nobody"
		fi
	} >tdmxd.yaml
}

start_tdmxd() {
	tdmxd --foreground --config "$PWD/tdmxd.yaml" >>"$PWD/tdmxd.log" 2>&1 &
	TDMXD_PID=$!
	ctl -w 15 '{"cmd":"status"}' >/dev/null || fail "tdmxd does not answer: $(tail -n 5 tdmxd.log)"
	log "tdmxd running (pid $TDMXD_PID)"
}

write_config 1
start_tdmxd

MT="tdmxd-mediatest -s $SOCK -l $A:$B -l $C:$D"

# latency: the far-to-far time of markers through a bridge A/5 <-> C/5
must ctl "{\"cmd\":\"bridge\",\"a\":\"$A/5\",\"b\":\"$C/5\"}" >/dev/null
_try=1
while ! logrun tdmxd-bridgetest -s 1 -p 9 "$B/5" "$D/5"; do
	log "bridge run $_try not bit-exact; tdmxd: $(stall_counts)"
	[ "$_try" -lt 3 ] || fail "the bridge $A/5 <-> $C/5 was not bit-exact in 3 runs"
	_try=$((_try + 1))
done
log "bridge $A/5 <-> $C/5: bit-exact in run $_try"
figure "tdmxd bridge, $(grep 'latency through' logrun.out | sed 's/^tdmxd-bridgetest: //')"
must ctl "{\"cmd\":\"unbridge\",\"a\":\"$A/5\"}" >/dev/null

attempt "conference" $MT conf "$A/5" "$A/6" "$C/7" "$C/9" "$A/8"
attempt "supervision" $MT super "$A/11" "$C/11" "$A/12"
attempt "dtmf" $MT dtmf "$A/10"
attempt "recording" $MT rec "$C/13" "$A/13" "$C/15"
attempt "playback" $MT play "$A/14" "$PWD/prompts"
log "tdmxd at the end: $(stall_counts)"

# term_tdmxd: SIGTERM must end it with 0
term_tdmxd() {
	kill -TERM "$TDMXD_PID"
	wait "$TDMXD_PID"
	rc=$?
	TDMXD_PID=""
	[ "$rc" = 0 ] || fail "tdmxd exited $rc after SIGTERM: $(tail -n 5 tdmxd.log)"
}
term_tdmxd

# the conference again with A and C on two workers: mixed on A/5's worker,
# C/7 and C/9 cross through links (tdmxd-mediatest logs the count)
write_config 2
start_tdmxd
[ "$(ctl '{"cmd":"status"}' | jq -r '[.spans[].worker] | unique | length')" = 2 ] ||
	fail "spans $A and $C are not on two workers: $(ctl '{"cmd":"status"}')"
attempt "conference across workers" $MT conf "$A/5" "$A/6" "$C/7" "$C/9" "$A/8"
grep -q 'conf: 2 members mixed across workers' logrun.out ||
	fail "the conference did not cross workers: $(grep 'mixed across' logrun.out)"
log "tdmxd at the end: $(stall_counts)"
term_tdmxd
pass
