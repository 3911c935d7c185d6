#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# timeout: 60
#
# tdmx.ko loads and unloads cleanly, five times over, by modprobe (through
# the initramfs's modules.dep) and by insmod of the file; a second load is
# refused; nothing holds a reference while nothing is open. Starts and
# ends with the module loaded.
. /tests/lib.sh

KO=/lib/modules/$(uname -r)/extra/tdmx.ko

loaded() {
	[ -d /sys/module/tdmx ] && grep -q '^tdmx ' /proc/modules
}

unloaded() {
	! [ -d /sys/module/tdmx ] && ! grep -q '^tdmx ' /proc/modules
}

refcnt_is_zero() {
	_r=$(cat /sys/module/tdmx/refcnt) || fail "no /sys/module/tdmx/refcnt"
	[ "$_r" = 0 ] || fail "tdmx refcnt is $_r with nothing open"
}

[ -f "$KO" ] || fail "$KO missing"
loaded || fail "tdmx is not loaded at the start"
refcnt_is_zero

lic=$(modinfo -F license "$KO")
case "$lic" in
GPL*) ;;
*) fail "modinfo: license '$lic', expected GPL" ;;
esac

mustnt insmod "$KO"	# already loaded: EEXIST

i=1
while [ $i -le 5 ]; do
	must rmmod tdmx
	unloaded || fail "cycle $i: tdmx still listed after rmmod"
	if [ $((i % 2)) = 1 ]; then
		must modprobe tdmx
	else
		must insmod "$KO"
	fi
	loaded || fail "cycle $i: tdmx not listed after loading"
	refcnt_is_zero
	i=$((i + 1))
done

must modprobe -r tdmx
unloaded || fail "tdmx still listed after modprobe -r"
mustnt rmmod tdmx	# not loaded: ENOENT
must modprobe tdmx
loaded || fail "tdmx not listed after the last modprobe"
pass
