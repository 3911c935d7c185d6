/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tdmxd ACD engine: the automatic call distributor that decides who
 * answers each caller (issue 5 §1; the manager's view is
 * Documentation/acd.md).
 *
 * The engine is deterministic and does no I/O: no clock reads, no
 * randomness from outside, no files. The daemon (or the simulator, or a
 * test) feeds it inputs, each carrying the time (ms on a monotonic clock,
 * never decreasing from one input to the next), and carries out the
 * decisions it hands back as events. Replaying the same inputs with the
 * same configuration gives the same events, byte for byte; the "random"
 * strategy draws from a PRNG seeded by the configuration and kept in the
 * engine's state.
 *
 * Objects
 *   skill   a name, e.g. "sales-fr"; agents hold skills with a level 1-10
 *   queue   required skills with minimum levels, relaxed in tiers after
 *           configured waits (escalation); a strategy; limits (max length,
 *           max wait -> overflow target); wrap-up and ring timeout
 *   agent   one object shared by all queues; the agent is a member of
 *           every queue for which it meets some tier's requirements
 *           (computed when the engine is created, never per event)
 *   call    a caller waiting in (or being offered from, or connected
 *           from) one queue; identified by a call id the daemon chooses
 *           (1 .. INT64_MAX, unique while the call is in the engine)
 * Skills, queues and agents are numbered from 0 in configuration order;
 * acd_queue_find() / acd_agent_find() map names to numbers.
 *
 * Inputs are the functions acd_agent_*(), acd_call_*(), acd_offer_*() and
 * acd_advance(). Each first fires the timers due up to its time (ring
 * timeouts, wrap-up ends, escalation steps, max waits, announcements),
 * each at its own deadline, then applies the input. Each returns 0 or a
 * negative errno; a rejected input changes nothing and emits nothing
 * (timers due before it still fire, as they would have anyway):
 *   -EINVAL   bad argument (time going backwards or beyond ACD_TIME_MAX,
 *             call id 0 or above INT64_MAX, reason or text out of range)
 *   -ENOENT   unknown agent, queue or call; a not-ready reason code not
 *             on the configured reasons list (acd_reason.c)
 *   -EEXIST   call id already in the engine
 *   -EBUSY    wrong state for this input (e.g. ready while talking)
 *   -EDEADLK  called from inside the event sink
 *   -ENOMEM
 *
 * Outputs are struct acd_event records handed to the sink (acd_set_sink)
 * synchronously, in sequence order, before the input returns. Every input
 * is itself recorded as the first event it produces (so the event stream
 * is the complete event-sourcing log: acd_log.c writes it as JSON lines
 * and replays it to recover), followed by the decisions and state changes
 * it causes. The sink must not call inputs of the same engine.
 *
 * Routing rules (details in Documentation/acd.md):
 *   - A waiting call's order key is arrival_ms - priority * aging_ms: a
 *     VIP counts as having arrived earlier, and a lower priority call that
 *     has waited longer than the gap is served first. With aging_ms 0
 *     ("off") priority is strict: order by (priority desc, arrival).
 *     Smallest key first; ties by arrival order in the engine.
 *   - A call in tier t may be offered to agents meeting the requirements
 *     of any tier <= t. It moves up one tier when its wait reaches the
 *     next tier's "after" time.
 *   - Call arrives / escalates -> the best ready eligible agent of its
 *     queue by the queue's strategy; no agent -> it waits.
 *   - Agent becomes ready -> among the head calls of every (queue, tier)
 *     it is eligible for, the one with the smallest key minus the agent's
 *     preference bonus for that queue is offered; no call -> it waits in
 *     the ready sets of its queues.
 *   - An agent who rejects or does not answer is skipped for that call
 *     only; ring timeout -> the next agent; max_no_answer consecutive
 *     misses -> not-ready with reason ACD_REASON_NO_ANSWER.
 *   - After the call, wrap-up for the queue's wrap-up time, then ready.
 *
 * Not thread-safe: one thread owns an engine.
 */
#ifndef TDMXD_ACD_H
#define TDMXD_ACD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "acd_rstats.h"
#include "acd_stats.h"

#define ACD_NAME_MAX		32	/* names of skills, queues, agents, incl. NUL */
#define ACD_MAX_TIERS		4	/* escalation tiers per queue */
#define ACD_MAX_REQ		4	/* required skills per tier */
#define ACD_MAX_AGENT_SKILLS	16
#define ACD_MAX_LEVEL		10	/* skill levels 1..10 */
#define ACD_MAX_REASONS		1024	/* named not-ready reasons of a site */
#define ACD_MAX_PRIORITY	255	/* caller priority 0..255, higher first */
#define ACD_NONE		UINT32_MAX	/* no queue / no agent / no tier */
#define ACD_EWT_UNKNOWN		UINT32_MAX	/* EWT not announced (not reliable) */
#define ACD_TIME_MAX		(1ull << 52)	/* latest now_ms accepted (142,000 years) */

/*
 * Not-ready reason codes: the site's own are 1..ACD_REASON_SITE_MAX, named
 * in the configuration's reasons list (acd_reason.c). The others are
 * built in and always known: 0 "unspecified", and the engine's own
 * "login" and "no-answer", which no input may give.
 */
#define ACD_REASON_NONE		0	/* unspecified */
#define ACD_REASON_SITE_MAX	0xfff0
#define ACD_REASON_LOGIN	0xfffe	/* just logged in, not yet ready */
#define ACD_REASON_NO_ANSWER	0xffff	/* set by the engine: max_no_answer */

/* ------------------------------------------------------------ configuration */

enum acd_strategy {
	ACD_STRAT_LONGEST_IDLE,	/* the agent idle the longest (since the last call or ready) */
	ACD_STRAT_ROUND_ROBIN,	/* next member after the last one offered, in member order */
	ACD_STRAT_FEWEST_CALLS,	/* fewest calls answered from this queue since login */
	ACD_STRAT_LEAST_TALK,	/* least talk time on this queue's calls since login */
	ACD_STRAT_RING_ALL,	/* offer to every eligible ready agent at once */
	ACD_STRAT_LINEAR,	/* always the first ready member in member (config) order */
	ACD_STRAT_RANDOM,	/* uniformly random ready member (seeded PRNG) */
	ACD_STRAT__N
};

/* When no (or no available) agent is logged in for a queue. */
enum acd_empty_rule {
	ACD_EMPTY_ALWAYS,	/* join / stay regardless */
	ACD_EMPTY_LOGGED_IN,	/* needs an eligible agent logged in (any state) */
	ACD_EMPTY_AVAILABLE,	/* needs an eligible agent logged in and not not-ready */
	ACD_EMPTY__N
};

enum acd_target_kind {
	ACD_TARGET_NONE,	/* no overflow: the call waits (max wait) or is refused (full) */
	ACD_TARGET_QUEUE,	/* another queue; the engine moves the call itself */
	ACD_TARGET_VOICEMAIL,	/* the daemon takes the call to voicemail box @dest */
	ACD_TARGET_CALLBACK,	/* the daemon offers a callback (@dest: its flow) */
	ACD_TARGET__N
};

struct acd_target {
	enum acd_target_kind kind;
	uint32_t queue;			/* ACD_TARGET_QUEUE */
	char dest[ACD_NAME_MAX];	/* VOICEMAIL, CALLBACK */
};

struct acd_skill_req {
	uint32_t skill;
	uint8_t min_level;		/* 1..10 */
};

/* Tier 0 applies from arrival (after_ms 0); tier t from a wait of after_ms. */
struct acd_tier_cfg {
	uint32_t after_ms;		/* strictly increasing over tiers */
	unsigned int nreq;		/* 0 = any agent of the site */
	struct acd_skill_req req[ACD_MAX_REQ];
};

struct acd_queue_cfg {
	char name[ACD_NAME_MAX];
	enum acd_strategy strategy;
	unsigned int ntiers;		/* 1..ACD_MAX_TIERS */
	struct acd_tier_cfg tier[ACD_MAX_TIERS];
	uint32_t wrapup_ms;		/* after each call of this queue */
	uint32_t ring_timeout_ms;	/* offer -> no answer; 0 = no timeout */
	uint32_t max_no_answer;		/* consecutive misses -> not-ready; 0 = never */
	uint32_t max_len;		/* waiting calls; 0 = unlimited */
	uint32_t max_wait_ms;		/* -> overflow; 0 = unlimited */
	struct acd_target overflow;	/* on max wait, full queue, join/leave refusal */
	enum acd_empty_rule join_rule;	/* checked when a call arrives */
	enum acd_empty_rule leave_rule;	/* checked when agents leave: waiting calls go */
	uint32_t sl_threshold_ms;	/* service level: answered within this wait */
	uint32_t short_abandon_ms;	/* abandons quicker than this are "short" */
	uint32_t aging_ms;		/* one priority step is worth this wait; 0 = strict */
	uint32_t announce_ms;		/* position/EWT every this often; 0 = never */
	uint32_t ewt_default_aht_ms;	/* AHT assumed before handle times are known */
	uint32_t ewt_max_error_permille;/* EWT announced only when its error is below */
};

struct acd_agent_skill {
	uint32_t skill;
	uint8_t level;			/* 1..10 */
	uint32_t preference_ms;		/* bonus: this skill's calls count as waiting longer */
};

/*
 * One named not-ready reason of the site. @max_ms: after this long in
 * the reason the engine emits one REASON_OVERRUN (0: never); the agent
 * stays not-ready. @paid: productive time (training, coaching) rather
 * than a break, for the reports.
 */
struct acd_reason_cfg {
	uint16_t code;			/* 1..ACD_REASON_SITE_MAX */
	char name[ACD_NAME_MAX];	/* [a-z0-9_-], unique, not a built-in name */
	uint32_t max_ms;
	bool paid;
};

struct acd_agent_cfg {
	char id[ACD_NAME_MAX];		/* the login id, e.g. "1001" */
	char name[64];			/* display name */
	unsigned int nskills;
	struct acd_agent_skill skill[ACD_MAX_AGENT_SKILLS];
};

/*
 * struct acd_config - everything the engine needs; built by the YAML
 *	loader or by the acd_config_add_*() calls (simulator, benchmark,
 *	tests). Must outlive every engine created from it and must not change
 *	while one exists.
 */
struct acd_config {
	uint64_t seed;			/* PRNG seed of the random strategy */
	unsigned int nskills, nqueues, nagents;
	char (*skill)[ACD_NAME_MAX];
	struct acd_queue_cfg *queue;
	struct acd_agent_cfg *agent;
	unsigned int cap_skills, cap_queues, cap_agents;	/* allocated */
	/* named not-ready reasons; none: any code 0..ACD_REASON_SITE_MAX is
	 * accepted (as before reasons were configurable) */
	unsigned int nreasons, cap_reasons;
	struct acd_reason_cfg *reason;
};

/*
 * acd_config_load() - read an ACD YAML file (format: Documentation/acd.md,
 *	example userspace/tdmxd/acd.yaml). On error returns -EINVAL (or
 *	-ENOENT, -ENOMEM) with "FILE:LINE:COL: key: message" in @err.
 * acd_config_parse() - the same from a string; @name is used in messages.
 */
int acd_config_load(const char *path, struct acd_config **out, char *err, size_t errlen);
int acd_config_parse(const char *name, const char *text, size_t len,
		     struct acd_config **out, char *err, size_t errlen);
void acd_config_free(struct acd_config *c);

/* Building a configuration in code. acd_queue_cfg_init() fills defaults. */
struct acd_config *acd_config_new(void);
void acd_queue_cfg_init(struct acd_queue_cfg *q, const char *name);
void acd_agent_cfg_init(struct acd_agent_cfg *a, const char *id);
int acd_config_add_skill(struct acd_config *c, const char *name);	/* index or -errno */
int acd_config_add_queue(struct acd_config *c, const struct acd_queue_cfg *q);
int acd_config_add_agent(struct acd_config *c, const struct acd_agent_cfg *a);
/* whole-config check (references, ranges, tier order); err as above */
int acd_config_check(const struct acd_config *c, char *err, size_t errlen);
int acd_config_skill_find(const struct acd_config *c, const char *name);	/* index or -ENOENT */

/* not-ready reasons (acd_reason.c); add: -EINVAL bad code or name,
 * -EEXIST code or name taken, -ENOMEM */
int acd_config_add_reason(struct acd_config *c, const struct acd_reason_cfg *r);
bool acd_reason_name_ok(const char *name);		/* [a-z0-9_-]{1,31} */
/* the configured reason of @code, NULL for built-in or unknown codes */
const struct acd_reason_cfg *acd_reason_get(const struct acd_config *c, uint16_t code);
/* @code's name: configured, built-in, or NULL when unknown */
const char *acd_reason_name(const struct acd_config *c, uint16_t code);
/* the code named @name (configured or built-in), or -ENOENT */
int acd_reason_find(const struct acd_config *c, const char *name);
/* may an input give @code: in range and, when a list is configured, on it
 * (or 0, "unspecified") */
bool acd_reason_allowed(const struct acd_config *c, uint16_t code);
/* the built-in reasons: codes and names, for listings */
#define ACD_REASON_BUILTINS	3
extern const struct acd_reason_cfg acd_reason_builtin[ACD_REASON_BUILTINS];

/* ------------------------------------------------------------------ events */

enum acd_agent_state {
	ACD_AGENT_LOGGED_OUT,
	ACD_AGENT_NOT_READY,	/* with a reason code */
	ACD_AGENT_READY,	/* idle, can be offered a call */
	ACD_AGENT_RINGING,	/* offered a call */
	ACD_AGENT_TALKING,
	ACD_AGENT_WRAPUP,	/* after a call, for the queue's wrap-up time */
	ACD_AGENT__N
};

enum acd_ev_type {
	/* inputs (recorded first, replayed on recovery) */
	ACD_EV_AGENT_LOGIN = 1,
	ACD_EV_AGENT_LOGOUT,
	ACD_EV_AGENT_READY,
	ACD_EV_AGENT_NOT_READY,		/* d.reason */
	ACD_EV_AGENT_WRAPUP_DONE,
	ACD_EV_CALL_ARRIVE,		/* d.arrive */
	ACD_EV_CALL_ABANDON,		/* caller hung up before being connected */
	ACD_EV_OFFER_ANSWER,		/* the agent answered: call connected */
	ACD_EV_OFFER_REJECT,		/* d.reject */
	ACD_EV_CALL_END,		/* the connected call ended -> wrap-up */
	ACD_EV__INPUT_LAST = ACD_EV_CALL_END,
	/* decisions and state changes */
	ACD_EV_AGENT_STATE,		/* d.state: every agent state change */
	ACD_EV_CALL_QUEUED,		/* d.pos: joined the queue (or came back to it) */
	ACD_EV_CALL_REFUSED,		/* d.leave: not let in (full, empty), no target */
	ACD_EV_CALL_ESCALATE,		/* d.pos: moved to tier d.pos.tier */
	ACD_EV_OFFER,			/* d.offer: ring agent (ring-all: one per agent) */
	ACD_EV_OFFER_CANCEL,		/* d.cancel: stop ringing agent */
	ACD_EV_CONNECT,			/* d.connect: bridge call and agent */
	ACD_EV_OVERFLOW,		/* d.leave: send the call to d.leave.target */
	ACD_EV_ANNOUNCE,		/* d.pos: tell the caller position (and EWT) */
	ACD_EV_REASON_OVERRUN,		/* d.overrun: not-ready longer than its reason's max */
	ACD_EV__N
};

/* why an offer ended without an answer */
enum acd_reject {
	ACD_REJECT_DECLINED,		/* the agent declined (input) */
	ACD_REJECT_NO_ANSWER,		/* the phone rang out (input or ring timeout) */
	ACD_REJECT_FAILED,		/* the agent's line could not be reached (input) */
	ACD_REJECT__N
};

enum acd_cancel {
	ACD_CANCEL_ANSWERED_ELSEWHERE,	/* ring-all: another agent answered */
	ACD_CANCEL_ABANDONED,		/* the caller hung up */
	ACD_CANCEL_TIMEOUT,		/* ring timeout (the agent is skipped) */
	ACD_CANCEL_AGENT,		/* the agent logged out / went not-ready */
	ACD_CANCEL_OVERFLOW,		/* the call overflowed while ringing */
	ACD_CANCEL__N
};

enum acd_leave {
	ACD_LEAVE_MAX_WAIT,
	ACD_LEAVE_FULL,			/* max_len reached on arrival */
	ACD_LEAVE_EMPTY,		/* join/leave rule: no agent */
	ACD_LEAVE__N
};

/*
 * struct acd_event - one record of the event stream. @seq counts from 1
 *	without gaps; @time_ms is the input's time or the timer's deadline.
 *	@call is 0, @queue and @agent ACD_NONE when not relevant. Strings in
 *	@d point into the engine and are valid during the sink call only.
 */
struct acd_event {
	uint64_t seq;
	uint64_t time_ms;
	enum acd_ev_type type;
	uint64_t call;
	uint32_t queue;
	uint32_t agent;
	union {
		bool ready;			/* AGENT_LOGIN: logged in ready */
		uint16_t reason;		/* AGENT_NOT_READY */
		struct {			/* CALL_ARRIVE */
			uint8_t priority;
			const char *caller;	/* caller number, "" if none */
			const char *dnis;	/* dialled number */
			const char *data;	/* free text (IVR data), logged */
		} arrive;
		enum acd_reject reject;		/* OFFER_REJECT */
		struct {			/* AGENT_STATE */
			enum acd_agent_state state, prev;
			uint16_t reason;	/* NOT_READY */
			uint32_t wrapup_ms;	/* WRAPUP: planned length */
		} state;
		struct {			/* CALL_QUEUED, CALL_ESCALATE, ANNOUNCE */
			uint32_t tier;
			uint32_t position;	/* 1 = next to be served */
			uint32_t ewt_ms;	/* ACD_EWT_UNKNOWN unless reliable */
		} pos;
		struct {			/* OFFER */
			uint32_t timeout_ms;	/* ring timeout, 0 = none */
			uint32_t group;		/* agents offered together (ring-all) */
		} offer;
		enum acd_cancel cancel;		/* OFFER_CANCEL */
		struct {			/* CONNECT */
			uint32_t wait_ms;	/* actual wait in this queue */
			uint32_t predicted_ms;	/* EWT computed on joining, even if not announced */
		} connect;
		struct {			/* OVERFLOW, CALL_REFUSED */
			enum acd_leave why;
			uint32_t wait_ms;
			struct acd_target target;
		} leave;
		struct {			/* REASON_OVERRUN */
			uint16_t reason;
			uint32_t max_ms;	/* the reason's max */
			uint64_t since_ms;	/* not-ready in this reason since */
		} overrun;
	} d;
};

typedef void (*acd_sink_fn)(void *arg, const struct acd_event *ev);

const char *acd_ev_name(enum acd_ev_type t);		/* "call-arrive", NULL if bad */
const char *acd_agent_state_name(enum acd_agent_state s);	/* "ready", ... */
const char *acd_strategy_name(enum acd_strategy s);	/* "longest-idle", ... */

/* ------------------------------------------------------------------ engine */

struct acd;

/* @c is checked (acd_config_check) and must outlive the engine. */
int acd_new(const struct acd_config *c, struct acd **out);
void acd_free(struct acd *a);
void acd_set_sink(struct acd *a, acd_sink_fn fn, void *arg);
const struct acd_config *acd_config_of(const struct acd *a);

int acd_queue_find(const struct acd *a, const char *name);	/* index or -ENOENT */
int acd_agent_find(const struct acd *a, const char *id);	/* index or -ENOENT */

/* agents: login leaves the agent not-ready (ACD_REASON_LOGIN) unless @ready */
int acd_agent_login(struct acd *a, uint64_t now_ms, uint32_t agent, bool ready);
int acd_agent_logout(struct acd *a, uint64_t now_ms, uint32_t agent);	/* -EBUSY talking */
int acd_agent_ready(struct acd *a, uint64_t now_ms, uint32_t agent);
/* ringing: the offer is cancelled (no miss counted); talking or wrap-up:
 * the agent goes not-ready when the wrap-up ends */
int acd_agent_not_ready(struct acd *a, uint64_t now_ms, uint32_t agent, uint16_t reason);
int acd_agent_wrapup_done(struct acd *a, uint64_t now_ms, uint32_t agent);

/*
 * calls: @caller, @dnis, @data may be NULL (read as ""); they are copied
 * (each up to 255 bytes of valid UTF-8, else -EINVAL) and appear in the
 * event log.
 */
int acd_call_arrive(struct acd *a, uint64_t now_ms, uint64_t call, uint32_t queue,
		    uint8_t priority, const char *caller, const char *dnis, const char *data);
int acd_call_abandon(struct acd *a, uint64_t now_ms, uint64_t call);	/* waiting or ringing */
int acd_offer_answer(struct acd *a, uint64_t now_ms, uint64_t call, uint32_t agent);
int acd_offer_reject(struct acd *a, uint64_t now_ms, uint64_t call, uint32_t agent,
		     enum acd_reject why);
int acd_call_end(struct acd *a, uint64_t now_ms, uint64_t call);	/* connected calls */

/* timers: the earliest pending deadline (UINT64_MAX if none); fire up to now */
uint64_t acd_next_deadline(const struct acd *a);
int acd_advance(struct acd *a, uint64_t now_ms);

/* ----------------------------------------------------------------- queries */

struct acd_agent_status {
	enum acd_agent_state state;
	uint64_t since_ms;		/* in this state since */
	uint16_t reason;		/* NOT_READY; or pending not-ready reason */
	bool not_ready_pending;		/* not-ready asked while busy */
	uint64_t call;			/* ringing/talking/wrap-up: the call, else 0 */
	uint32_t queue;			/* ... and its queue, else ACD_NONE */
	uint64_t wrapup_until_ms;	/* WRAPUP: planned end */
	uint32_t missed;		/* consecutive offers not answered */
	uint32_t calls;			/* answered since login */
	uint32_t nqueues;		/* queues it is a member of */
};

struct acd_queue_status {
	uint32_t waiting;		/* in queue, not being offered */
	uint32_t ringing;		/* being offered */
	uint32_t talking;		/* connected, not yet ended */
	uint32_t agents[ACD_AGENT__N];	/* eligible members by state */
	uint32_t longest_wait_ms;	/* of the calls waiting or ringing now */
};

struct acd_call_status {
	uint64_t call;
	uint32_t queue;
	uint32_t tier;
	bool ringing, connected;
	uint32_t position;		/* waiting: 1 = next; otherwise 0 */
	uint32_t agent;			/* connected: the agent; else ACD_NONE */
	uint8_t priority;
	uint64_t arrival_ms;		/* first arrival in the engine */
	uint64_t queued_ms;		/* joined this queue */
	const char *caller, *dnis, *data;
};

int acd_agent_status(const struct acd *a, uint32_t agent, struct acd_agent_status *st);
int acd_queue_status(const struct acd *a, uint32_t queue, uint64_t now_ms,
		     struct acd_queue_status *st);
int acd_call_status(const struct acd *a, uint64_t call, struct acd_call_status *st);
/* EWT in ms for position @position of @queue now; *reliable as acd_ewt */
int acd_queue_ewt(const struct acd *a, uint32_t queue, uint32_t position,
		  uint32_t *ewt_ms, bool *reliable);
/* statistics on a rolling window (acd_stats.h) */
int acd_queue_stats(const struct acd *a, uint32_t queue, uint64_t now_ms, enum acd_win w,
		    struct acd_figures *f);
int acd_agent_stats(const struct acd *a, uint32_t agent, uint64_t now_ms, enum acd_win w,
		    struct acd_figures *f);
/*
 * acd_agent_reason_times() - not-ready time per reason of @agent in window
 *	@w at @now_ms (acd_rstats.h), the present not-ready period included
 *	up to @now_ms. Fills up to @max entries in code order; *@n is how
 *	many reasons have time (may exceed @max).
 */
int acd_agent_reason_times(const struct acd *a, uint32_t agent, uint64_t now_ms, enum acd_win w,
			   struct acd_reason_time *out, size_t max, size_t *n);
/* bytes the agent's reason times take now (0 until it used a reason) */
size_t acd_agent_reason_mem(const struct acd *a, uint32_t agent);

/*
 * acd_snapshot() - the whole live state for a resync: every agent (in
 *	index order), every queue, then per queue its waiting calls in
 *	position order followed by its ringing and connected calls. @fn gets
 *	one item at a time; a non-zero return from @fn stops the walk and is
 *	returned.
 */
enum acd_snap_kind { ACD_SNAP_AGENT, ACD_SNAP_QUEUE, ACD_SNAP_CALL };
struct acd_snap_item {
	enum acd_snap_kind kind;
	uint32_t index;			/* agent or queue number; calls: queue */
	union {
		struct acd_agent_status agent;
		struct acd_queue_status queue;
		struct acd_call_status call;
	} u;
};
int acd_snapshot(const struct acd *a, uint64_t now_ms,
		 int (*fn)(void *arg, const struct acd_snap_item *it), void *arg);
uint64_t acd_last_seq(const struct acd *a);	/* seq of the last event emitted */
uint64_t acd_now(const struct acd *a);		/* time of the last input */

/* ---------------------------------------------------------- log (acd_log.c) */

#define ACD_LOG_LINE_MAX	5120	/* longest JSON line: 3 texts of 255 control characters */

/*
 * acd_log_format() - the event as one JSON object and a newline, e.g.
 *	{"seq":7,"t":1000,"ev":"offer","call":42,"queue":"sales","agent":"1001",
 *	 "timeout_ms":15000,"group":1}
 *	Returns the length (excluding the NUL) or -ENOSPC.
 * acd_log_write() - the same to @f (the daemon's append-only log).
 */
int acd_log_format(const struct acd *a, const struct acd_event *ev, char *buf, size_t len);
int acd_log_write(const struct acd *a, const struct acd_event *ev, FILE *f);

/*
 * acd_log_replay() - recovery: re-apply the inputs logged in @f to @a, a
 *	fresh engine created from the same configuration, and check that
 *	every decision it regenerates equals the logged one. The sink of @a
 *	is not called for the logged events. A last line without a newline
 *	(torn by a crash) is ignored; *@good_bytes (if not NULL) is the
 *	length of the log up to the last complete line, where the daemon
 *	resumes appending. Decisions of the last logged input that are not in
 *	the log (the crash came first) are handed to the sink after a
 *	successful replay, so the daemon logs them and carries them out. Errors: -EINVAL bad line, -EPROTO divergence, both with
 *	"log:LINE: ..." in @err; the engine is then in an unspecified state.
 */
int acd_log_replay(struct acd *a, FILE *f, uint64_t *good_bytes, char *err, size_t errlen);

/* acd_snapshot() as JSON lines to @f (CTI resync, tests) */
int acd_snapshot_write(const struct acd *a, uint64_t now_ms, FILE *f);

#endif /* TDMXD_ACD_H */
