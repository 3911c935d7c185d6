# SPDX-License-Identifier: GPL-2.0-or-later
#
# Sourced by every tests/kernel/NN-*.sh scenario, inside the QEMU guest
# (busybox sh). The guest's /init runs each scenario with a time limit in its
# own scratch directory and turns its exit status and verdict into the
# "scenario NAME: ..." line on the result port; scenarios never write to
# that port themselves.
#
#   pass                 run the cleanups (which must succeed), verdict
#                        success, exit 0; every scenario ends with it
#   fail WHY...          verdict "failure WHY", run the cleanups, exit 1
#   defer CMD...         run CMD at exit (last deferred runs first)
#   must CMD...          run CMD; fail if it fails
#   mustnt CMD...        run CMD; fail if it succeeds
#   wait_for SECS DESC CMD...  poll CMD every 0.1 s until it succeeds;
#                        fail "after SECS s: DESC" when it never does
#   log MSG...           a line on the console, prefixed by the scenario
#
#   need PROG...         fail unless every PROG is in the guest
#   now                  wall-clock seconds, with fractions (for timings)
#
# Loop cards and their spans (through tdmxctl -j; see the end of the file):
#   loop_new LINE        tdmxctl vcard add loop LINE; sets CARD, SPAN_A,
#                        SPAN_B and defers the card's deletion
#   loop_del             delete that card now
#   span_set SPAN ARGS   tdmxctl span set SPAN ARGS (must succeed)
#   fault SPAN ARGS      tdmxctl fault set SPAN ARGS (must succeed); sets
#                        FAULT_AT to the time just before
#   span_field SPAN KEY  one member of tdmxctl -j span show SPAN
#   alarms SPAN          the span's alarms, one per line; nothing when clear
#   wait_clear SECS SPAN...  until every SPAN has no alarm
#   counter SPAN NAME    one counter (fas_errors, crc_errors, ...)
#   get VAR SPAN NAME    VAR=that counter, or fail
#   more_than SPAN NAME N  the counter is above N
#   counters_line SPAN   "frames N fas_errors N ..." for logs
#
# Alarm edges, through tdmxmon -j running in the background:
#   mon_start            start it (output in ./mon.json); deferred stop
#   wait_edge SECS SPAN ALARM on|off SINCE   until such an edge stamped at
#                        or after SINCE (a `now` value) was seen; sets
#                        EDGE_AT to its time stamp
#   edges SPAN ALARM on|off SINCE  how many such edges were seen
#   within EDGE SINCE SECS WHAT    fail unless EDGE - SINCE <= SECS
#
# More (the end of the file):
#   figure MSG...        a log line the host prints under the scenario's
#                        success line too (measurements)
#   logrun CMD...        run CMD, its output (stdout and stderr) logged line
#                        by line; returns CMD's exit status
#   undefer CMD...       forget a deferred CMD (it was done already)
#   tap_new LINE         tdmxctl vcard add tap LINE; sets TAP_CARD and
#                        TAP_SPAN and defers the card's deletion
#   vcard_del ID         delete card ID now (and not again at exit)
#   vcards_del_all       delete every card there is
#   live_objects         the module's count of live allocations
#   dmesg_clean          fail when dmesg shows a kernel warning or oops
#   as_nobody CMD...     run CMD as uid/gid 65534 (no capabilities)
#   expect_fail STATUS PATTERN CMD...  CMD must exit with STATUS, print
#                        nothing on stdout and match PATTERN (grep -E) on
#                        stderr

NAME=${TDMX_SCENARIO:-$(basename "$0" .sh)}
VERDICT=${TDMX_VERDICT:-/dev/null}
CLEANUP=""

log() {
	echo "[$NAME] $*"
}

# run_cleanup STRICT: STRICT=1 reports the first failing cleanup
run_cleanup() {
	_c=$CLEANUP
	CLEANUP=""
	_bad=""
	while [ -n "$_c" ]; do
		_cmd=${_c%%
*}
		case "$_c" in
		*"
"*) _c=${_c#*
} ;;
		*) _c="" ;;
		esac
		[ -n "$_cmd" ] || continue
		if ! eval "$_cmd"; then
			[ -n "$_bad" ] || _bad=$_cmd
			log "cleanup failed: $_cmd"
		fi
	done
	[ -z "$_bad" ] && return 0
	[ "$1" = 1 ] && CLEANUP_FAILED=$_bad
	return 1
}

trap 'run_cleanup 0' EXIT
trap 'log "terminated"; exit 143' TERM INT

defer() {
	CLEANUP="$*
$CLEANUP"
}

fail() {
	_why=$(echo "$*" | tr '\n' ' ' | sed 's/ *$//')
	log "FAILED: $_why"
	echo "failure $_why" >"$VERDICT"
	run_cleanup 0
	exit 1
}

pass() {
	CLEANUP_FAILED=""
	if ! run_cleanup 1; then
		fail "cleanup failed: $CLEANUP_FAILED"
	fi
	log "passed"
	echo success >"$VERDICT"
	exit 0
}

must() {
	"$@" || fail "'$*' failed (exit $?)"
}

mustnt() {
	if "$@"; then
		fail "'$*' succeeded but must not"
	fi
}

# centiseconds of uptime, without forking
uptime_cs() {
	read -r _up _ </proc/uptime
	echo "${_up%.*}${_up#*.}"
}

wait_for() {
	_secs=$1
	_desc=$2
	shift 2
	_end=$(($(uptime_cs) + _secs * 100))
	while ! "$@"; do
		[ "$(uptime_cs)" -lt "$_end" ] || fail "after ${_secs}s: $_desc"
		sleep 0.1
	done
}

need() {
	for _p in "$@"; do
		command -v "$_p" >/dev/null || fail "$_p is not in the guest (not built?)"
	done
}

# now: seconds since the epoch, with fractions (busybox date has no %N)
now() {
	jq -n now
}

# ---- loop cards ----

loop_new() {
	need tdmxctl jq
	_out=$(tdmxctl -j vcard add loop "$1" 2>/tmp/tdmxctl.err) ||
		fail "tdmxctl -j vcard add loop $1: $(cat /tmp/tdmxctl.err)"
	log "vcard add loop $1: $_out"
	_one='if type == "array" then .[0] else . end'
	CARD=$(echo "$_out" | jq -r "$_one | .vcard // .id // empty")
	SPAN_A=$(echo "$_out" | jq -r "$_one | .spans[0] // empty")
	SPAN_B=$(echo "$_out" | jq -r "$_one | .spans[1] // empty")
	[ -n "$CARD" ] && [ -n "$SPAN_A" ] && [ -n "$SPAN_B" ] ||
		fail "tdmxctl -j vcard add loop $1 printed no card id and two spans: $_out"
	defer "tdmxctl vcard del $CARD"
	wait_for 3 "/dev/tdmx/span/$SPAN_A and /dev/tdmx/span/$SPAN_B to appear" \
		test -c "/dev/tdmx/span/$SPAN_A" -a -c "/dev/tdmx/span/$SPAN_B"
	log "card $CARD: spans $SPAN_A (A) and $SPAN_B (B)"
}

# loop_del: delete the card of loop_new now (and not again at exit)
loop_del() {
	must tdmxctl vcard del "$CARD"
	CLEANUP=$(echo "$CLEANUP" | grep -vx "tdmxctl vcard del $CARD")
}

span_set() {
	_s=$1
	shift
	must tdmxctl span set "$_s" "$@"
}

fault() {
	_s=$1
	shift
	FAULT_AT=$(now)
	must tdmxctl fault set "$_s" "$@"
	log "fault set $_s $*"
}

span_json() {
	tdmxctl -j span show "$1" | jq -c 'if type == "array" then .[0] else . end'
}

span_field() {
	span_json "$1" | jq -r --arg k "$2" '.[$k] // empty'
}

alarms() {
	span_json "$1" | jq -r '(.alarms // [])[]'
}

has_alarm() {
	alarms "$1" | grep -qx "$2"
}

all_clear() {
	for _s in "$@"; do
		[ -z "$(alarms "$_s")" ] || return 1
	done
}

wait_clear() {
	_secs=$1
	shift
	_end=$(($(uptime_cs) + _secs * 100))
	while ! all_clear "$@"; do
		if [ "$(uptime_cs)" -ge "$_end" ]; then
			_why=""
			for _s in "$@"; do
				_why="$_why span $_s: $(alarms "$_s" | tr '\n' ' ')"
			done
			fail "after ${_secs}s spans still in alarm:$_why"
		fi
		sleep 0.1
	done
}

counters_json() {
	tdmxctl -j counters show "$1" | jq -c 'if type == "array" then .[0] else . end'
}

# counter SPAN NAME: for use in $(...): on error prints the reason on
# stderr and returns 1 instead of failing the scenario
counter() {
	_j=$(counters_json "$1") || return 1
	_v=$(echo "$_j" | jq -r --arg k "$2" '(.counters // .)[$k] // empty')
	case "$_v" in
	'' | *[!0-9]*)
		echo "span $1: no counter $2 in: $_j" >&2
		return 1
		;;
	esac
	echo "$_v"
}

# more_than SPAN NAME N: the counter is above N (for wait_for)
more_than() {
	_v=$(counter "$1" "$2") && [ "$_v" -gt "$3" ]
}

# get VAR SPAN NAME: VAR=counter, or fail
get() {
	_v=$(counter "$2" "$3") || fail "cannot read counter $3 of span $2"
	eval "$1=\$_v"
}

counters_line() {
	counters_json "$1" | jq -r '(.counters // .) | to_entries | map("\(.key) \(.value)") | join(" ")'
}

# ---- tdmxmon ----

MON=./mon.json

mon_start() {
	need tdmxmon jq
	tdmxmon -j >"$MON" 2>./mon.err &
	MON_PID=$!
	defer "mon_stop"
	sleep 0.5
	kill -0 "$MON_PID" 2>/dev/null || fail "tdmxmon -j exited at once: $(cat ./mon.err)"
}

mon_stop() {
	kill "$MON_PID" 2>/dev/null
	wait "$MON_PID" 2>/dev/null
	return 0
}

# the edges of SPAN ALARM ON (true/false) stamped at or after SINCE: their
# times, one per line
edge_times() {
	case "$3" in on) _on=true ;; *) _on=false ;; esac
	grep '^{' "$MON" 2>/dev/null | jq -r --argjson s "$1" --arg a "$2" \
		--argjson on "$_on" --argjson since "$4" '
		select(.type == "alarm" and .span == $s and .alarm == $a and .on == $on)
		| .time | capture("(?<s>[^.]*)\\.(?<f>[0-9]+)Z")
		| (.s + "Z" | fromdateiso8601) + ("0." + .f | tonumber)
		| select(. >= $since)' 2>/dev/null
}

edges() {
	edge_times "$@" | wc -l
}

wait_edge() {
	_secs=$1
	shift
	_end=$(($(uptime_cs) + _secs * 100))
	while :; do
		EDGE_AT=$(edge_times "$@" | head -n 1)
		[ -n "$EDGE_AT" ] && break
		[ "$(uptime_cs)" -lt "$_end" ] ||
			fail "no '$2 $3' alarm edge on span $1 within ${_secs}s; tdmxmon saw: $(tail -n 5 "$MON" | tr '\n' ' ')"
		sleep 0.1
	done
	log "span $1: $2 $3 after $(awk -v a="$4" -v b="$EDGE_AT" 'BEGIN { printf "%.3f", b - a }') s"
}

within() {
	awk -v e="$1" -v s="$2" -v l="$3" 'BEGIN { exit !(e - s <= l) }' ||
		fail "$4 took $(awk -v e="$1" -v s="$2" 'BEGIN { printf "%.3f", e - s }') s, more than $3 s"
}

# ---- more helpers (08-11) ----

figure() {
	log "figure: $*"
}

logrun() {
	"$@" >./logrun.out 2>&1
	_rc=$?
	while IFS= read -r _l; do
		log "$_l"
	done <./logrun.out
	return $_rc
}

undefer() {
	CLEANUP=$(echo "$CLEANUP" | grep -vxF "$*")
}

tap_new() {
	need tdmxctl jq
	_out=$(tdmxctl -j vcard add tap "$1" 2>/tmp/tdmxctl.err) ||
		fail "tdmxctl -j vcard add tap $1: $(cat /tmp/tdmxctl.err)"
	log "vcard add tap $1: $_out"
	TAP_CARD=$(echo "$_out" | jq -r '.vcard // empty')
	TAP_SPAN=$(echo "$_out" | jq -r '.spans[0] // empty')
	[ -n "$TAP_CARD" ] && [ -n "$TAP_SPAN" ] && [ "$(echo "$_out" | jq '.spans | length')" = 1 ] ||
		fail "tdmxctl -j vcard add tap $1 printed no card id and one span: $_out"
	defer "tdmxctl vcard del $TAP_CARD"
	wait_for 3 "/dev/tdmx/span/$TAP_SPAN and /dev/tdmx/line/$TAP_SPAN to appear" \
		test -c "/dev/tdmx/span/$TAP_SPAN" -a -c "/dev/tdmx/line/$TAP_SPAN"
}

vcard_del() {
	must tdmxctl vcard del "$1"
	undefer "tdmxctl vcard del $1"
}

vcards_del_all() {
	_ids=$(tdmxctl -j vcard show | jq -r '.[].vcard') || return 1
	for _id in $_ids; do
		tdmxctl vcard del "$_id" || return 1
		undefer "tdmxctl vcard del $_id"
	done
	[ "$(tdmxctl -j vcard show | jq length)" = 0 ]
}

live_objects() {
	cat /sys/module/tdmx/parameters/live_objects
}

dmesg_clean() {
	_bad=$(dmesg | grep -E 'WARNING:|BUG:|Oops|general protection|Call Trace|UBSAN:|KASAN:|kernel BUG' | head -n 5)
	[ -z "$_bad" ] || fail "kernel trouble in dmesg: $_bad"
}

# the initramfs has /etc/passwd with nobody (65534); busybox su as root needs
# no password, and a uid change from 0 drops every capability
as_nobody() {
	su -s /bin/sh -c 'exec "$@"' -- nobody as_nobody "$@"
}

expect_fail() {
	_want=$1
	_pat=$2
	shift 2
	"$@" >./expect.out 2>./expect.err
	_rc=$?
	_msg=$(head -c 400 ./expect.err | tr '\n' ' ')
	[ "$_rc" = "$_want" ] || fail "'$*' exited $_rc, expected $_want; stderr: $_msg"
	grep -qE -- "$_pat" ./expect.err ||
		fail "'$*': the message does not match '$_pat': $_msg"
	[ ! -s ./expect.out ] ||
		fail "'$*' failed but printed on stdout: $(head -c 200 ./expect.out)"
	log "ok, exit $_rc: $* -> $(head -n 1 ./expect.err)"
}

# ---- tdmxd ----

# ctl REQUEST...: requests to the tdmxd control socket $SOCK (tdmxd-ctl)
ctl() {
	tdmxd-ctl -s "$SOCK" "$@"
}

# stop_tdmxd: SIGTERM to the daemon a scenario started ($TDMXD_PID) and
# reap it; a deferred cleanup, so that the cards can be deleted
stop_tdmxd() {
	[ -n "$TDMXD_PID" ] || return 0
	kill -TERM "$TDMXD_PID" 2>/dev/null
	wait "$TDMXD_PID" 2>/dev/null
	TDMXD_PID=""
	return 0
}
