#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# timeout: 120
#
# Who may do what, and what tdmxctl says when it is told nonsense.
#
# As uid 65534 (nobody, no CAP_NET_ADMIN), every change is refused with
# EPERM, tdmxctl exiting 1 with "Operation not permitted" and nothing on
# stdout: vcard add, vcard del, span set, chan set (type and txabcd),
# fault set, counters reset (all and one), apply; and nothing changed.
# Reading works unprivileged: span/chan/vcard/counters show (text and
# JSON), help, and tdmxmon sees a change root makes. The device nodes
# (0660 root) do not open for nobody. Each refused command succeeds as
# root, so it is the privilege that made the difference.
#
# Bad input: unknown objects, commands and keys, bad values, missing
# arguments, a bad spans file: exit 2 with a message naming the problem,
# nothing sent (nothing changes). Values only the kernel can judge (a T1
# framing on E1, dchan 31 on T1, B8ZS on E1, CAS on an unframed E1,
# nocrc4 on T1, no such span/card/channel): exit 1 with the kernel's
# extack naming the attribute. apply stops at the first refused line,
# naming it, with the lines before it applied.
. /tests/lib.sh
need tdmxctl jq su

[ "$(as_nobody id -u)" = 65534 ] || fail "su nobody does not give uid 65534: $(as_nobody id 2>&1)"
capeff=$(as_nobody sh -c 'grep CapEff /proc/self/status' | tr -d ' \t')
[ "$capeff" = "CapEff:0000000000000000" ] || fail "nobody still has capabilities: $capeff"

loop_new e1
A=$SPAN_A
B=$SPAN_B
CARD_E1=$CARD
loop_new t1
T=$SPAN_A
wait_clear 5 "$A" "$B" "$T"

eperm() {
	expect_fail 1 'Operation not permitted' as_nobody tdmxctl "$@"
	expect_fail 1 'Operation not permitted' as_nobody tdmxctl -j "$@"
}

# ---- unprivileged: every change refused ----
ncards=$(tdmxctl -j vcard show | jq length)
get frames0 "$B" frames
eperm vcard add loop e1
eperm vcard add tap t1
eperm vcard del "$CARD_E1"
eperm span set "$A" framing e1
eperm span set "$A" signalling ccs dchan 16
eperm chan set "$A/1" type clear
eperm chan set "$A/1" txabcd 0110
eperm fault set "$A" los on
eperm fault set "$A" ber 1e-3 ppm 100
eperm counters reset
eperm counters reset "$B"
printf 'span %s law ulaw\n' "$A" >./ok.conf
chmod 0644 ./ok.conf
expect_fail 1 'ok.conf:1: Operation not permitted' as_nobody tdmxctl apply ./ok.conf

# nothing changed
[ "$(tdmxctl -j vcard show | jq length)" = "$ncards" ] || fail "the number of cards changed: $(tdmxctl -j vcard show)"
[ "$(span_field "$A" framing)" = e1-crc4 ] || fail "span $A framing changed to $(span_field "$A" framing)"
[ "$(span_field "$A" signalling)" = none ] || fail "span $A signalling changed"
[ "$(span_field "$A" law)" = alaw ] || fail "span $A law changed"
[ "$(tdmxctl -j chan show "$A/1" | jq -r '.[0].chan_type')" = voice ] || fail "chan $A/1 type changed"
[ "$(tdmxctl -j chan show "$A/1" | jq -r '.[0].txabcd // "none"')" != 0110 ] || fail "chan $A/1 txabcd changed"
sleep 0.5
[ -z "$(alarms "$B")" ] || fail "span $B: alarms $(alarms "$B") after nobody's fault set was refused"
get frames1 "$B" frames
[ "$frames1" -gt "$frames0" ] || fail "span $B counters were reset ($frames0 -> $frames1)"

# ---- unprivileged: reading works ----
for cmd in "span show" "span show $A" "span" "chan show $A" "chan show $A/1" "vcard show" \
	"counters show" "counters show $B" "help" "help span"; do
	# shellcheck disable=SC2086
	as_nobody tdmxctl $cmd >./ro.out 2>./ro.err || fail "nobody: tdmxctl $cmd: exit $?: $(cat ./ro.err)"
	[ -s ./ro.out ] || fail "nobody: tdmxctl $cmd printed nothing"
done
as_nobody tdmxctl -j span show "$A" | jq -e --argjson s "$A" '.[0].span == $s' >/dev/null ||
	fail "nobody: tdmxctl -j span show $A is not the span"
as_nobody tdmxctl -j counters show "$B" | jq -e '.[0].counters.frames > 0' >/dev/null ||
	fail "nobody: tdmxctl -j counters show $B has no frames"
as_nobody tdmxctl -j chan show "$A/1" | jq -e '.[0].chan_type == "voice"' >/dev/null ||
	fail "nobody: tdmxctl -j chan show $A/1"
log "nobody reads spans, channels, cards and counters"

# tdmxmon as nobody sees what root changes
mon_saw_span() {
	grep '^{' ./nobody-mon.json | jq -e --argjson s "$1" \
		'select(.type == "span" and .span == $s and .clock == 7)' >/dev/null 2>&1
}
# (su itself, not as_nobody: $! must be the process that becomes tdmxmon)
su -s /bin/sh -c 'exec "$@"' -- nobody as_nobody tdmxmon -j >./nobody-mon.json 2>./nobody-mon.err &
monpid=$!
defer "kill $monpid 2>/dev/null; wait $monpid 2>/dev/null; true"
sleep 1
kill -0 "$monpid" 2>/dev/null || fail "nobody: tdmxmon exited: $(cat ./nobody-mon.err)"
span_set "$A" clock 7
wait_for 5 "nobody's tdmxmon to print span $A's change (it printed: $(head -c 300 ./nobody-mon.json))" \
	mon_saw_span "$A"
span_set "$A" clock 1

# devices: 0660 root
for dev in "/dev/tdmx/chan/$A/1" "/dev/tdmx/span/$A"; do
	expect_fail 1 'Permission denied' as_nobody sh -c "exec 3<$dev; echo opened"
done

# the same changes as root work (so EPERM came from the privilege)
must tdmxctl span set "$A" framing e1
must tdmxctl span set "$A" framing e1-crc4
must tdmxctl chan set "$A/1" type clear txabcd 0110
must tdmxctl chan set "$A/1" type voice
must tdmxctl fault set "$A" ber 0 ppm 0
must tdmxctl counters reset "$B"
must tdmxctl apply ./ok.conf
[ "$(span_field "$A" law)" = ulaw ] || fail "root: apply did not set law ulaw"
must tdmxctl span set "$A" law alaw
out=$(tdmxctl -j vcard add tap e1) || fail "root: vcard add tap e1 failed"
must tdmxctl vcard del "$(echo "$out" | jq -r .vcard)"

# ---- nonsense: usage errors, exit 2, nothing sent ----
usage() {
	expect_fail 2 "$@"
}
usage "unknown object 'frob'" tdmxctl frob
usage "no object given" tdmxctl
usage "span: unknown command 'frob'" tdmxctl span frob
usage "span set: missing span number" tdmxctl span set
usage "span set: bad span number 'x'" tdmxctl span set x framing e1
usage "span set: bad span number '0'" tdmxctl span set 0 framing e1
usage "span set: nothing to set" tdmxctl span set "$A"
usage "span set: unknown key 'bogus'" tdmxctl span set "$A" bogus 1
usage "span set: bad framing 'e3'" tdmxctl span set "$A" framing e3
usage "span set: 'framing' needs a value" tdmxctl span set "$A" framing
usage "span set: 'framing' given twice" tdmxctl span set "$A" framing e1 framing e1
usage "span set: dchan '99' must be a number from 1 to 31" tdmxctl span set "$A" dchan 99
usage "span set: dchan '0' must be" tdmxctl span set "$A" dchan 0
usage "span set: clock '256' must be" tdmxctl span set "$A" clock 256
usage "span set: block '30ms' must be 1 to 20 ms" tdmxctl span set "$A" block 30ms
usage "span set: bad signalling 'r2'" tdmxctl span set "$A" signalling r2
usage "span set: bad law" tdmxctl span set "$A" law mu
usage "fault set: ber 'abc' must be a ratio" tdmxctl fault set "$A" ber abc
usage "fault set: ber '2' must be a ratio" tdmxctl fault set "$A" ber 2
usage "fault set: ppm '5000' must be a number from -1000 to 1000" tdmxctl fault set "$A" ppm 5000
usage "fault set: burst '0' must be" tdmxctl fault set "$A" burst 0
usage "fault set: los 'maybe' must be on or off" tdmxctl fault set "$A" los maybe
usage "fault set: missing span number" tdmxctl fault set
usage "chan set: txabcd '12' must be four bits" tdmxctl chan set "$A/1" txabcd 12
usage "chan set: txabcd '2101' must be four bits" tdmxctl chan set "$A/1" txabcd 2101
usage "chan set: bad type 'voce'" tdmxctl chan set "$A/1" type voce
usage "chan set: bad timeslot in '$A/32'" tdmxctl chan set "$A/32" type voice
usage "chan set: bad timeslot in '$A/0'" tdmxctl chan set "$A/0" type voice
usage "chan set: '$A' is not SPAN/TS" tdmxctl chan set "$A" type voice
usage "chan set: missing SPAN/TS" tdmxctl chan set
usage "vcard add: bad card type 'ring'" tdmxctl vcard add ring
usage "vcard add: bad line 'e3'" tdmxctl vcard add loop e3
usage "vcard add: missing card type" tdmxctl vcard add
usage "vcard del: bad card id 'abc'" tdmxctl vcard del abc
usage "vcard del: missing card id" tdmxctl vcard del
usage "counters show: unexpected argument" tdmxctl counters show "$A" "$B"
usage "apply: missing file name" tdmxctl apply
usage "Try 'tdmxctl help'" tdmxctl -x span show
usage "help: unknown object 'frob'" tdmxctl help frob
# a spans file with a bad third line: nothing of it is applied
printf 'span %s law ulaw\nchan %s/2 type clear\nchan %s/3 type voce\n' "$A" "$A" "$A" >./bad.conf
usage "bad.conf:3: .*voce" tdmxctl apply ./bad.conf
printf 'span %s law ulaw\nspan %s framing\n' "$A" "$A" >./bad2.conf
usage "bad2.conf:2: .*framing" tdmxctl apply ./bad2.conf
printf 'span %s law ulaw\nport 1 speed 9600\n' "$A" >./bad3.conf
usage "bad3.conf:2:" tdmxctl apply ./bad3.conf
usage "missing.conf" tdmxctl apply ./missing.conf
[ "$(span_field "$A" law)" = alaw ] || fail "a bad spans file was partly applied (law $(span_field "$A" law))"
[ "$(tdmxctl -j chan show "$A/2" | jq -r '.[0].chan_type')" = voice ] || fail "a bad spans file was partly applied (chan $A/2)"

# ---- values only the kernel can judge: exit 1, the attribute named ----
kernel() {
	expect_fail 1 "$@"
}
kernel 'Invalid argument: TDMX_A_SPAN_FRAMING' tdmxctl span set "$A" framing t1-esf
kernel 'Invalid argument: TDMX_A_SPAN_FRAMING' tdmxctl span set "$T" framing e1-crc4
kernel 'Numerical result out of range: TDMX_A_SPAN_DCHAN' tdmxctl span set "$T" dchan 31
kernel 'TDMX_A_SPAN_DCHAN' tdmxctl span set "$T" signalling ccs dchan 25
kernel 'Invalid argument: TDMX_A_SPAN_LINECODE' tdmxctl span set "$A" linecode b8zs
kernel 'Invalid argument: TDMX_A_SPAN_LINECODE' tdmxctl span set "$T" linecode hdb3
kernel 'Invalid argument: TDMX_A_SPAN_SIGNALLING' tdmxctl span set "$A" framing e1-unframed signalling cas
kernel 'Invalid argument: TDMX_A_FAULT_NOCRC4' tdmxctl fault set "$T" nocrc4 on
kernel 'No such device: TDMX_A_SPAN_ID' tdmxctl span set 99 framing e1
kernel 'No such device: TDMX_A_SPAN_ID' tdmxctl fault set 99 los on
kernel 'No such device: TDMX_A_SPAN_ID' tdmxctl span show 99
kernel 'No such device: TDMX_A_SPAN_ID' tdmxctl counters show 99
kernel 'No such device: TDMX_A_SPAN_ID' tdmxctl counters reset 99
kernel 'No such file or directory: TDMX_A_VCARD_ID' tdmxctl vcard del 99
kernel 'Numerical result out of range: TDMX_A_CHAN_ID' tdmxctl chan set "$T/30" type voice
kernel 'TDMX_A_CHAN_ID' tdmxctl chan show "$T/25"
kernel 'Invalid argument: TDMX_A_SPAN_FRAMING' tdmxctl -j span set "$A" framing t1-d4
[ "$(span_field "$A" framing)" = e1-crc4 ] && [ "$(span_field "$A" signalling)" = none ] ||
	fail "span $A changed although the kernel refused"
[ "$(span_field "$T" dchan)" != 31 ] || fail "span $T took dchan 31"
# apply: line 2 refused by the kernel, line 1 stays applied, line 3 not
printf 'span %s law ulaw\nspan %s framing t1-esf\nspan %s clock 9\n' "$A" "$A" "$A" >./kbad.conf
kernel 'kbad.conf:2: Invalid argument: TDMX_A_SPAN_FRAMING' tdmxctl apply ./kbad.conf
[ "$(span_field "$A" law)" = ulaw ] || fail "apply: line 1 before the refused line was not applied"
[ "$(span_field "$A" clock)" != 9 ] || fail "apply: the line after the refused one was applied"
must tdmxctl span set "$A" law alaw
pass
