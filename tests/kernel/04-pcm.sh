#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# timeout: 150
#
# PCM through a loop card, bit-exact (tdmx-pcmtest): one timeslot and then
# every voice timeslot through the channel devices, both ways, and every
# timeslot through the mmap'ed span rings; on E1 (PCM31 + CRC-4, the
# default) and on T1 (ESF). Prints the latencies.
. /tests/lib.sh
need tdmxctl jq tdmx-pcmtest

# pcm ARGS...: tdmx-pcmtest; a run is repeated (up to 3) only when it failed
# with its own channel FIFOs over- or underrunning (exit 3): the program was
# descheduled for longer than a FIFO (128 ms) by a TCG stall
pcm() {
	_try=1
	while :; do
		tdmx-pcmtest "$@"
		_st=$?
		[ "$_st" = 0 ] && return 0
		if [ "$_st" != 3 ] || [ "$_try" -ge 3 ]; then
			fail "'tdmx-pcmtest $*' failed (exit $_st, run $_try)"
		fi
		log "tdmx-pcmtest $*: run $_try broken by a stall, again"
		_try=$((_try + 1))
	done
}

loop_new e1
wait_clear 5 "$SPAN_A" "$SPAN_B"
pcm -t 1 -s 3 "$SPAN_A" "$SPAN_B"
pcm -a -s 2 "$SPAN_A" "$SPAN_B"
pcm -a -s 2 "$SPAN_B" "$SPAN_A"
must tdmx-pcmtest -r -a -s 3 "$SPAN_A" "$SPAN_B"
must tdmx-pcmtest -r -a -s 2 "$SPAN_B" "$SPAN_A"
log "span $SPAN_B: $(counters_line "$SPAN_B")"
get over "$SPAN_B" rx_overruns
[ "$over" = 0 ] || fail "span $SPAN_B: $over rx_overruns while a reader kept up"
loop_del

loop_new t1
wait_clear 5 "$SPAN_A" "$SPAN_B"
pcm -a -s 2 "$SPAN_A" "$SPAN_B"
must tdmx-pcmtest -r -a -s 2 "$SPAN_A" "$SPAN_B"
pass
