#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# timeout: 60
#
# An open tdmx device holds the module: rmmod is refused while a span or
# channel device is open (and so is deleting the card), and succeeds once
# it is closed. Unloading with cards present removes them and their
# devices; the vcards= module parameter creates cards at load.
. /tests/lib.sh
need tdmxctl jq

refcnt() {
	cat /sys/module/tdmx/refcnt
}

loop_new e1
[ "$(refcnt)" = 0 ] || fail "refcnt $(refcnt) with a card but nothing open"

exec 3</dev/tdmx/span/"$SPAN_A"
[ "$(refcnt)" -ge 1 ] || fail "refcnt $(refcnt) with /dev/tdmx/span/$SPAN_A open"
mustnt rmmod tdmx
[ -d /sys/module/tdmx ] || fail "tdmx unloaded with /dev/tdmx/span/$SPAN_A open"
mustnt tdmxctl vcard del "$CARD"
exec 3<&-
[ "$(refcnt)" = 0 ] || fail "refcnt $(refcnt) after closing /dev/tdmx/span/$SPAN_A"

exec 3<>/dev/tdmx/chan/"$SPAN_B"/1
mustnt rmmod tdmx
mustnt tdmxctl vcard del "$CARD"
exec 3<&-

# unloading with a card: the card and its devices go
CLEANUP=""
must rmmod tdmx
[ ! -e /dev/tdmx/span/"$SPAN_A" ] || fail "/dev/tdmx/span/$SPAN_A still there after rmmod"
[ ! -e /dev/tdmx/chan/"$SPAN_B"/1 ] || fail "/dev/tdmx/chan/$SPAN_B/1 still there after rmmod"

must modprobe tdmx vcards=2
wait_for 3 "four spans from vcards=2" test -c /dev/tdmx/span/4
n=$(tdmxctl -j vcard show | jq -s '[.[] | if type == "array" then .[] else . end] | length')
[ "$n" = 2 ] || fail "vcards=2 made $n cards"
must rmmod tdmx
[ -z "$(ls /dev/tdmx/span 2>/dev/null)" ] || fail "span devices left after rmmod: $(ls /dev/tdmx/span)"
must modprobe tdmx
pass
