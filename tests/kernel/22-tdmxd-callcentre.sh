#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# timeout: 60
#
# The call centre end to end through the real tdmxd (Documentation/cti.md,
# acd.md): one vcard loop pair attached, `acd:` and `cti:` configured (two
# queues with skills, named reasons, a 0600 tokens file with an agent, a
# supervisor and an admin token, the CTI on the Unix socket and on TCP
# 127.0.0.1). Long-lived clients are tdmxd-cti sessions fed through FIFOs
# (fd 3: the agent's desktop over TCP, fd 4: the supervisor's wallboard over
# Unix); one-shot requests are tdmxd-cti with arguments.
#
# 1. The agent fails a wrong token (auth_failed, the connection carries on),
#    authenticates, logs in, goes ready; the supervisor subscribes to queue
#    sales; the admin injects calls with acd_call (the documented test hook)
#    into sales and support; the agent gets call_offered with the screen pop
#    (caller, dialled, queue, IVR data; no customer record: no customers
#    database in the guest); the supervisor sees sales events only. The CTI
#    cannot answer or end a call (no such command yet), so the offer rings
#    out: call_offer_cancelled "timeout", the agent goes not-ready
#    "no-answer" and the call waits again at position 1.
# 2. With the agent not-ready "lunch" and calls waiting in both queues,
#    tdmxd is killed with SIGKILL and restarted: agent_status, queue_status
#    and the waiting calls (positions, times) are the same as before. The
#    agent resyncs from 0 (sequence numbers restart) and gets its snapshot;
#    when it goes ready the recovered call is offered to it; the supervisor's
#    resync replays exactly the events after its `since`.
# 3. Bad JSON, an unknown command and an agent token acting on another
#    agent, over TCP and over Unix: error replies in order, the connection
#    and the daemon carry on. `tdmxd --check` on a broken ACD file names
#    FILE:LINE:COL and exits 2. SIGTERM: exit 0.
. /tests/lib.sh
need tdmxctl jq tdmxd tdmxd-ctl tdmxd-cti

SOCK=$PWD/run/control
CTI=$PWD/run/cti
TCP_PORT=4573
TCP=127.0.0.1:$TCP_PORT
TOK_AGENT=tok-agent-ana-1001-Hq2vN0yb4
TOK_SUP=tok-supervisor-wallboard-pV9s
TOK_ADMIN=tok-admin-ops-c1Xe7
TDMXD_PID=""
AGENT_PID=""
SUP_PID=""

# ---- helpers ----

start_tdmxd() {
	# the sessions' FIFO ends stay out of the daemon
	tdmxd --foreground --config "$PWD/tdmxd.yaml" >>"$PWD/tdmxd.log" 2>&1 3>&- 4>&- &
	TDMXD_PID=$!
	if ! tdmxd-ctl -s "$SOCK" -w 15 '{"cmd":"status"}' >/dev/null 3>&- 4>&-; then
		cat tdmxd.log
		fail "tdmxd does not answer on $SOCK"
	fi
	log "tdmxd running (pid $TDMXD_PID)"
}

# one-shot requests as the admin over Unix: the replies (events dropped)
admin() {
	tdmxd-cti -u "$CTI" '{"cmd":"auth","token":"'"$TOK_ADMIN"'"}' "$@" 3>&- 4>&- |
		grep -v '^{"event"' | tail -n +2
}

# seen FILE FILTER: a line of FILE (JSON lines) matches the jq FILTER
seen() {
	jq -c "select($2)" "$1" 2>/dev/null | grep -q .
}

# one line of FILE matching FILTER (the first), or nothing
pick() {
	jq -c "select($2)" "$1" 2>/dev/null | head -n 1
}

# expect FILE FILTER WHAT: wait up to 10 s for such a line
expect() {
	wait_for 10 "$3; $1 has: $(tail -n 4 "$1" | tr '\n' ' ')" seen "$1" "$2"
}

# sessions: long-lived clients reading requests from a FIFO
sessions_start() {
	mkfifo agent.in sup.in
	tdmxd-cti -t "$TCP" <agent.in >agent.out 2>agent.err &
	AGENT_PID=$!
	tdmxd-cti -u "$CTI" <sup.in >sup.out 2>sup.err &
	SUP_PID=$!
	# opening the write ends lets both clients start
	exec 3>agent.in 4>sup.in
	defer sessions_stop
}

sessions_stop() {
	exec 3>&- 4>&-
	for _p in $AGENT_PID $SUP_PID; do
		kill "$_p" 2>/dev/null
		wait "$_p" 2>/dev/null
	done
	AGENT_PID="" SUP_PID=""
	return 0
}

agent_say() {
	echo "$*" >&3
}

sup_say() {
	echo "$*" >&4
}

# the agent's and the queues' state, the waiting calls: what recovery must
# restore (longest_wait_ms grows with the clock, so it is left out)
acd_state() {
	admin '{"cmd":"agent_status"}' '{"cmd":"queue_status"}' '{"cmd":"resync","since":0}' |
		jq -c 'del(.queues[]?.longest_wait_ms) | del(.seq) |
			if .snapshot then .snapshot.calls else . end'
}

# ---- set-up ----

ip link set lo up 2>/dev/null || ifconfig lo 127.0.0.1 up || fail "cannot bring up lo"
loop_new e1
A=$SPAN_A
B=$SPAN_B
wait_clear 5 "$A" "$B"
defer stop_tdmxd

mkdir -p rec run acd
cat >acd/acd.yaml <<'EOF'
seed: 7
skills: [sales, support]
queues:
  - name: sales
    strategy: longest-idle
    require: {sales: 5}
    ring_timeout: 3s
    max_no_answer: 1
    wrapup: 5s
    max_wait: 10min
  - name: support
    strategy: round-robin
    require: {support: 1}
    ring_timeout: 3s
    max_wait: 10min
agents:
  - id: "1001"
    name: Ana Lima
    skills: {sales: 9}
  - id: "1002"
    name: Bruno Costa
    skills: {support: 8}
reasons:
  - {code: 7, name: break, max: 10min}
  - {code: 12, name: lunch, max: 45min}
EOF
cat >acd/tokens.yaml <<EOF
- name: ana
  token: $TOK_AGENT
  role: agent
  agent: "1001"
- name: wallboard
  token: $TOK_SUP
  role: supervisor
- name: ops
  token: $TOK_ADMIN
  role: admin
EOF
chmod 0600 acd/tokens.yaml
# write_config ACD_FILE: the daemon's configuration with that ACD file
write_config() {
	cat <<EOF
log_level: info
workers: 1
block_ms: 10
control: $SOCK
spans:
  - span: $A
  - span: $B
recordings:
  dir: $PWD/rec
  database: $PWD/rec/index.db
acd:
  config: $1
  log: $PWD/acd/acd.log
cti:
  socket: $CTI
  tcp_address: 127.0.0.1
  tcp_port: $TCP_PORT
  tokens: $PWD/acd/tokens.yaml
EOF
	grep -q '^nobody:' /etc/passwd 2>/dev/null && echo "user: nobody"
}
grep -q '^nobody:' /etc/passwd 2>/dev/null && chown nobody rec run acd
write_config "$PWD/acd/acd.yaml" >tdmxd.yaml
must tdmxd --check --config "$PWD/tdmxd.yaml"
start_tdmxd

# ---- 1. agent, supervisor, calls ----

sessions_start
agent_say '{"cmd":"auth","token":"wrong-guess","id":"a1"}'
agent_say '{"cmd":"auth","token":"'"$TOK_AGENT"'","id":"a2"}'
agent_say '{"cmd":"subscribe","id":"a3"}'
agent_say '{"cmd":"agent_login","id":"a4"}'
agent_say '{"cmd":"agent_ready","id":"a5"}'
expect agent.out '.id == "a5"' "the agent's agent_ready reply"
seen agent.out '.id == "a1" and .ok == false and .code == "auth_failed"' ||
	fail "a wrong token was not answered auth_failed: $(pick agent.out '.id == "a1"')"
seen agent.out '.id == "a2" and .ok and .role == "agent" and .agent == "1001"' ||
	fail "the agent's token was refused after a wrong one: $(pick agent.out '.id == "a2"')"
for _id in a3 a4 a5; do
	seen agent.out ".id == \"$_id\" and .ok" || fail "agent request $_id failed: $(pick agent.out ".id == \"$_id\"")"
done
seen agent.out '.event == "agent_state" and .agent == "1001" and .state == "ready"' ||
	fail "no agent_state ready for 1001: $(cat agent.out)"
log "agent 1001: auth_failed, then authenticated, logged in, ready"

sup_say '{"cmd":"auth","token":"'"$TOK_SUP"'","id":"s1"}'
sup_say '{"cmd":"subscribe","queues":["sales"],"id":"s2"}'
expect sup.out '.id == "s2" and .ok' "the supervisor's subscription"

r=$(admin '{"cmd":"acd_call","queue":"sales","caller":"+86 138 0013 8000","dialled":"4008","ivr":["lang=zh","order=77"]}' \
	'{"cmd":"acd_call","queue":"support","caller":"010 6552 9988","dialled":"4009","priority":5}')
CALL1=$(echo "$r" | sed -n 1p | jq -r '.call // empty')
CALL2=$(echo "$r" | sed -n 2p | jq -r '.call // empty')
[ -n "$CALL1" ] && [ -n "$CALL2" ] || fail "acd_call failed: $r"
log "calls $CALL1 (sales) and $CALL2 (support) injected"

expect agent.out ".event == \"call_offered\" and .call == $CALL1" "call_offered to agent 1001"
pop=$(pick agent.out ".event == \"call_offered\" and .call == $CALL1")
echo "$pop" | jq -e '.agent == "1001" and .queue == "sales" and .caller == "+86 138 0013 8000" and
	.dialled == "4008" and .ivr == {"lang":"zh","order":"77"} and .timeout_ms == 3000 and
	.priority == 0 and (.wait_ms | type) == "number" and .customer == null' >/dev/null ||
	fail "wrong screen pop: $pop"
log "screen pop: $pop"

expect sup.out ".event == \"call_offered\" and .call == $CALL1" "call_offered seen by the supervisor"
seen sup.out ".event == \"call_queued\" and .call == $CALL1 and .position == 1" ||
	fail "the supervisor did not see call_queued for $CALL1: $(cat sup.out)"
# a reply after the support call's events: anything leaked would be before it
sup_say '{"cmd":"queue_status","queue":"support","id":"s3"}'
expect sup.out '.id == "s3"' "the supervisor's queue_status reply"
pick sup.out '.id == "s3"' | jq -e '.queues[0].waiting == 1' >/dev/null ||
	fail "support does not show one waiting call: $(pick sup.out '.id == "s3"')"
! seen sup.out '.event and .queue != "sales"' ||
	fail "the supervisor got events of another queue: $(pick sup.out '.event and .queue != "sales"')"
log "supervisor: $(jq -r 'select(.event) | .event' sup.out | sort | uniq -c | tr -s ' \n' ' ')(sales only)"

# no answer command in the CTI yet: the offer rings out after 3 s
expect agent.out ".event == \"call_offer_cancelled\" and .call == $CALL1 and .why == \"timeout\"" \
	"the offer of $CALL1 to time out"
expect agent.out '.event == "agent_state" and .state == "not-ready" and .reason_name == "no-answer"' \
	"agent 1001 not-ready no-answer after max_no_answer 1"
expect sup.out ".event == \"call_queued\" and .call == $CALL1 and .position == 1 and .seq > $(pick sup.out ".event == \"call_offered\" and .call == $CALL1" | jq .seq)" \
	"$CALL1 to wait again at position 1"
log "no answer: offer cancelled (timeout), agent not-ready no-answer, $CALL1 waits again"

# the known state before the crash: agent on lunch, two calls in sales
agent_say '{"cmd":"agent_not_ready","reason":"lunch","id":"a6"}'
expect agent.out '.id == "a6"' "the agent's agent_not_ready reply"
seen agent.out '.id == "a6" and .ok' || fail "agent_not_ready lunch failed: $(pick agent.out '.id == "a6"')"
CALL3=$(admin '{"cmd":"acd_call","queue":"sales","caller":"0755 8888 0001"}' | jq -r '.call // empty')
[ -n "$CALL3" ] || fail "acd_call of a third call failed"
expect sup.out ".event == \"call_queued\" and .call == $CALL3 and .position == 2" "$CALL3 at position 2"

# ---- 2. kill -9 and recovery ----

before=$(acd_state)
echo "$before" | sed -n 1p | jq -e '.agents[] | select(.agent == "1001") |
	.state == "not-ready" and .reason_name == "lunch"' >/dev/null || fail "agent 1001 not on lunch: $before"
echo "$before" | sed -n 3p | jq -e "map(select(.state == \"waiting\") | [.call, .position]) | sort ==
	[[$CALL1, 1], [$CALL2, 1], [$CALL3, 2]]" >/dev/null || fail "unexpected waiting calls: $before"
kill -KILL "$TDMXD_PID"
wait "$TDMXD_PID" 2>/dev/null
TDMXD_PID=""
# the daemon's death closes both sessions' connections
wait_for 5 "the sessions to see the connection close" \
	sh -c "! kill -0 $AGENT_PID 2>/dev/null && ! kill -0 $SUP_PID 2>/dev/null"
sessions_stop
undefer sessions_stop
start_tdmxd
grep -q 'acd: recovered from' tdmxd.log || fail "tdmxd did not recover from its event log: $(tail -n 5 tdmxd.log)"
after=$(acd_state)
[ "$after" = "$before" ] || fail "state after kill -9 differs; before: $before; after: $after"
log "after kill -9: agent_status, queue_status and the waiting calls equal: $(grep 'recovered from' tdmxd.log)"

# the agent reconnects: sequence numbers restarted, so resync from 0
rm -f agent.in sup.in
sessions_start
agent_say '{"cmd":"auth","token":"'"$TOK_AGENT"'","id":"b1"}'
agent_say '{"cmd":"subscribe","id":"b2"}'
agent_say '{"cmd":"resync","since":0,"id":"b3"}'
expect agent.out '.id == "b3"' "the agent's resync reply"
rs=$(pick agent.out '.id == "b3"')
echo "$rs" | jq -e '.ok and .gap == false and (.snapshot.agents | length) == 1 and
	.snapshot.agents[0].agent == "1001" and .snapshot.agents[0].reason_name == "lunch"' >/dev/null ||
	fail "wrong resync snapshot for the agent: $rs"
# ready again: the recovered call that waited longest is offered
agent_say '{"cmd":"agent_ready","id":"b4"}'
expect agent.out ".event == \"call_offered\" and .call == $CALL1" "the recovered call $CALL1 to be offered"
log "agent resynced ($(echo "$rs" | jq -c .snapshot.agents[0])), ready: $CALL1 offered again"
# ... and rings out again: then nothing changes until the scenario acts
expect agent.out '.event == "agent_state" and .state == "not-ready" and .reason_name == "no-answer"' \
	"agent 1001 not-ready no-answer after the second offer"
sup_say '{"cmd":"auth","token":"'"$TOK_SUP"'","id":"t1"}'
expect sup.out '.id == "t1"' "the supervisor's auth reply"
seq=$(pick sup.out '.id == "t1"' | jq .seq)
[ "$seq" -gt 2 ] || fail "only $seq events since the restart"
tdmxd-cti -u "$CTI" -e $((seq - 2)) '{"cmd":"auth","token":"'"$TOK_SUP"'"}' '{"cmd":"resync","since":2}' \
	>resync.out 3>&- 4>&- || fail "supervisor resync since 2: $(cat resync.out)"
jq -e -s --argjson seq "$seq" '(map(select(.event) | .seq) == [range(3; $seq + 1)]) and
	(.[1].seq == $seq) and (.[1].snapshot.calls | length) == 3' resync.out >/dev/null ||
	fail "the supervisor's resync since 2 did not replay events 3..$seq: $(cat resync.out)"
log "supervisor resync since 2: snapshot and events 3..$seq"

# ---- 3. bad input ----

bad_input() {
	tdmxd-cti "$@" '{"cmd":"auth","token":"'"$TOK_AGENT"'"}' 'not json' '{"cmd":"nope"}' \
		'{"cmd":"agent_ready","agent":"1002"}' '{"cmd":"agent_status","id":9}' \
		>bad.out 3>&- 4>&-
	_codes=$(grep -v '^{"event"' bad.out | jq -r 'if .ok then "ok" else .code end' | tr '\n' ' ')
	[ "$_codes" = "ok bad_json unknown_command forbidden ok " ] ||
		fail "bad input over $*: replies $_codes: $(cat bad.out)"
	pick bad.out '.id == 9' | jq -e '.agents[0].agent == "1001"' >/dev/null ||
		fail "the connection did not carry on after the errors over $*: $(cat bad.out)"
	log "bad input over $1: $_codes"
}
bad_input -t "$TCP"
bad_input -u "$CTI"
kill -0 "$TDMXD_PID" || fail "tdmxd died"
[ "$(admin '{"cmd":"queue_status","queue":"sales"}' | jq .queues[0].waiting)" = 2 ] ||
	fail "the daemon lost calls after bad input"

sed 's/strategy: longest-idle/strategy: longest-waiting/' acd/acd.yaml >acd/bad.yaml
write_config "$PWD/acd/bad.yaml" >bad.yaml
tdmxd --check --config "$PWD/bad.yaml" >check.out 2>&1
rc=$?
[ "$rc" = 2 ] || fail "tdmxd --check on a broken ACD file exited $rc: $(cat check.out)"
grep -q "$PWD/acd/bad.yaml:5:15: strategy" check.out ||
	fail "tdmxd --check does not name FILE:LINE:COL: $(cat check.out)"
log "--check: exit $rc, $(cat check.out)"

sessions_stop
undefer sessions_stop
kill -TERM "$TDMXD_PID"
wait "$TDMXD_PID"
rc=$?
TDMXD_PID=""
[ "$rc" = 0 ] || fail "tdmxd exited $rc after SIGTERM: $(tail -n 5 tdmxd.log)"
grep -q "notice stopped" tdmxd.log || fail "tdmxd did not log its clean stop"
pass
