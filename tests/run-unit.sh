#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Run every Check runner in $BUILD/tests, then every tests/unit/*.sh script.
# Check prints its own summary per runner; the scripts' results are summed
# into one "N passed, N failed" line.
set -u
BUILD=${BUILD:-build/native}
export BUILD
fail=0
for t in "$BUILD"/tests/test_*; do
	[ -x "$t" ] || continue
	echo "== $(basename "$t") ($BUILD)"
	"$t" || fail=1
done
passed=0
failed=0
for s in tests/unit/*.sh; do
	[ -e "$s" ] || continue
	if sh "$s"; then
		passed=$((passed + 1))
		echo "ok   $(basename "$s")"
	else
		failed=$((failed + 1))
		echo "FAIL $(basename "$s")"
	fi
done
echo "shell tests ($BUILD): $passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$fail" = 0 ]
