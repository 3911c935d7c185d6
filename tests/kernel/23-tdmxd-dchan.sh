#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# timeout: 150
#
# tdmxd carries the D-channel of a span: a loop pair with CCS signalling
# (TS16 hdlc on both ends), tdmxd attaches the near span A and opens A/16.
# The far end B/16 (tdmxd-hdlcpeer) writes frames of 1..260 octets and a
# client subscribed with hdlc_subscribe gets each as an event, bit-exact
# and in order; frames of 1..260 octets sent with hdlc_send arrive at B/16
# bit-exact (a full tx queue is refused with an error and retried). status
# counts them; bad hdlc_send requests get error replies; SIGHUP detaching
# the span closes the D-channel, attaching it again reopens it.
. /tests/lib.sh
need tdmxctl jq tdmxd tdmxd-ctl tdmxd-hdlcpeer

SOCK=$PWD/run/control
TDMXD_PID=""
N=260

write_config() {
	{
		echo "log_level: info"
		echo "block_ms: 10"
		echo "jitter_ms: 40"
		echo "control: $SOCK"
		echo "spans:"
		for _s in "$@"; do
			echo "  - span: $_s"
		done
		echo "recordings:"
		echo "  dir: $PWD/rec"
		echo "  database: $PWD/rec/index.db"
	} >tdmxd.yaml
}

dchans() {
	[ "$(ctl '{"cmd":"status"}' | jq -c '[.dchans[].port]')" = "$1" ]
}

loop_new e1
A=$SPAN_A
B=$SPAN_B
for s in $A $B; do
	span_set "$s" framing e1-crc4 signalling ccs dchan 16
done
wait_clear 5 "$A" "$B"
defer stop_tdmxd

mkdir -p rec run
write_config "$A"
tdmxd --foreground --config "$PWD/tdmxd.yaml" >>tdmxd.log 2>&1 &
TDMXD_PID=$!
ctl -w 15 '{"cmd":"status"}' >/dev/null || { cat tdmxd.log; fail "tdmxd does not answer"; }
wait_for 5 "tdmxd to open D-channel $A/16" dchans "[\"$A/16\"]"

# far end -> tdmxd: events bit-exact
ctl -e $N "{\"cmd\":\"hdlc_subscribe\",\"port\":\"$A/16\"}" >events.txt 2>events.err &
sub=$!
wait_for 5 "hdlc_subscribe to be answered" grep -q '"ok":true' events.txt
must tdmxd-hdlcpeer send "$B" 16 $N
wait "$sub" || { cat events.err; fail "not all $N frames came as events"; }
must tdmxd-hdlcpeer check $N <events.txt

# tdmxd -> far end: hdlc_send
tdmxd-hdlcpeer recv "$B" 16 $N >recv.txt &
rcv=$!
full=0
len=1
while [ $len -le $N ]; do
	req="{\"cmd\":\"hdlc_send\",\"port\":\"$A/16\",\"frame\":\"$(tdmxd-hdlcpeer hex $len)\"}"
	if ! r=$(ctl "$req"); then
		echo "$r" | grep -q 'tx queue full' || fail "hdlc_send of $len octets: $r"
		full=$((full + 1))
		[ $full -lt 2000 ] || fail "tx queue never drains"
		sleep 0.05
		continue
	fi
	len=$((len + 1))
done
wait "$rcv" || { cat recv.txt; fail "the far end did not read the $N frames bit-exact"; }
cat recv.txt
log "hdlc_send: $N frames, refused $full times on a full tx queue"

st=$(ctl '{"cmd":"status"}' | jq -c ".dchans[] | select(.port == \"$A/16\")")
log "status: $st"
[ "$(echo "$st" | jq .rx_frames)" = $N ] || fail "rx_frames is not $N: $st"
[ "$(echo "$st" | jq .tx_frames)" = $N ] || fail "tx_frames is not $N: $st"
[ "$(echo "$st" | jq .tx_full)" = $full ] || fail "tx_full is not $full: $st"

# bad requests: error replies, the daemon carries on
expect_bad() {
	if r=$(ctl "$1"); then
		fail "'$1' was accepted: $r"
	fi
	echo "$r" | grep -q "$2" || fail "'$1' got '$r', not '$2'"
}
expect_bad "{\"cmd\":\"hdlc_send\",\"port\":\"$A/5\",\"frame\":\"00\"}" "not an open D-channel"
expect_bad "{\"cmd\":\"hdlc_send\",\"port\":\"$A/16\",\"frame\":\"0z\"}" "not hex"
expect_bad "{\"cmd\":\"hdlc_subscribe\",\"port\":\"$A/5\"}" "not an open D-channel"

# SIGHUP: detached span, closed D-channel; attached again, reopened
write_config
kill -HUP "$TDMXD_PID"
wait_for 10 "D-channel $A/16 to close after SIGHUP" dchans "[]"
write_config "$A"
kill -HUP "$TDMXD_PID"
wait_for 10 "D-channel $A/16 to reopen after SIGHUP" dchans "[\"$A/16\"]"
must tdmxd-hdlcpeer send "$B" 16 1 >/dev/null
wait_for 5 "a frame after the reopen" sh -c "tdmxd-ctl -s '$SOCK' '{\"cmd\":\"status\"}' | jq -e '.dchans[0].rx_frames == 1' >/dev/null"

kill -TERM "$TDMXD_PID"
wait "$TDMXD_PID"
rc=$?
TDMXD_PID=""
[ $rc = 0 ] || { cat tdmxd.log; fail "tdmxd exited $rc after SIGTERM"; }
pass
