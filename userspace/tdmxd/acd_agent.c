// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ACD agents: the state machine of one agent, shared by all its queues.
 *
 *   logged-out --login--> not-ready (reason "login") or ready
 *   not-ready  --ready--> ready --(offer)--> ringing --answer--> talking
 *   ringing    --reject / ring timeout--> ready (skipped for that call),
 *                 or not-ready "no-answer" after max_no_answer misses
 *   talking    --call end--> wrap-up (queue's wrap-up time) --> ready
 *   not-ready asked while talking or in wrap-up is kept pending and
 *   applied when the wrap-up ends; ready then cancels it.
 *   logout is refused while talking; in wrap-up it ends the wrap-up.
 *   not-ready in a reason with a max: one REASON_OVERRUN at since + max,
 *   from the agent's timer (free outside wrap-up); the agent stays
 *   not-ready, a supervisor decides. Leaving not-ready (or changing the
 *   reason) disarms it and reports the period to the reason times.
 *
 * The inputs each state accepts are the table below; anything else is
 * -EBUSY with nothing changed. Every state change is one AGENT_STATE
 * event, updates the per-queue counts of members by state, and accounts
 * the time spent for occupancy (busy: ringing, talking, wrap-up;
 * available: ready).
 */
#include <errno.h>

#include "acd_int.h"

enum agent_input { IN_LOGIN, IN_LOGOUT, IN_READY, IN_NOT_READY, IN_WRAPUP_DONE };

#define BIT(x) (1u << (x))

static const unsigned int allowed[ACD_AGENT__N] = {
	[ACD_AGENT_LOGGED_OUT] = BIT(IN_LOGIN),
	[ACD_AGENT_NOT_READY] = BIT(IN_LOGOUT) | BIT(IN_READY) | BIT(IN_NOT_READY),
	[ACD_AGENT_READY] = BIT(IN_LOGOUT) | BIT(IN_NOT_READY),
	[ACD_AGENT_RINGING] = BIT(IN_LOGOUT) | BIT(IN_NOT_READY),
	/* ready here only cancels a pending not-ready (checked below) */
	[ACD_AGENT_TALKING] = BIT(IN_NOT_READY) | BIT(IN_READY),
	[ACD_AGENT_WRAPUP] = BIT(IN_LOGOUT) | BIT(IN_NOT_READY) | BIT(IN_READY) |
			     BIT(IN_WRAPUP_DONE),
};

bool acd_agent_available(enum acd_agent_state s)
{
	return s != ACD_AGENT_LOGGED_OUT && s != ACD_AGENT_NOT_READY;
}

static bool busy(enum acd_agent_state s)
{
	return s == ACD_AGENT_RINGING || s == ACD_AGENT_TALKING || s == ACD_AGENT_WRAPUP;
}

/* occupancy classes: busy (ringing, talking, wrap-up), available (ready), neither */
static int occ_class(enum acd_agent_state s)
{
	return busy(s) ? 2 : s == ACD_AGENT_READY;
}

/*
 * The time since the agent's class last changed, to the agent's figures
 * and to each of its queues' (an agent of several queues counts in each
 * one's occupancy). Reported once per class change, not per state: a
 * ring-talk-wrap-up stretch is one busy period, which costs a third of
 * the updates and counts the same time.
 */
static void account(struct acd *a, struct acd_agent *g, enum acd_agent_state next)
{
	uint64_t d = a->now - g->acct_ms;
	uint32_t b, v, i;

	if (occ_class(g->state) == occ_class(next))
		return;
	g->acct_ms = a->now;
	if (!d || !occ_class(g->state))
		return;
	d = d > UINT32_MAX ? UINT32_MAX : d;
	b = busy(g->state) ? (uint32_t)d : 0;
	v = busy(g->state) ? 0 : (uint32_t)d;
	acd_stats_agent_time(g->stats, a->now, b, v);
	for (i = 0; i < g->nmem; i++)
		acd_stats_agent_time(g->mem[i].queue->stats, a->now, b, v);
}

/* logged in and not not-ready: the agent serves its queues (EWT) */
static uint32_t serving(enum acd_agent_state s)
{
	return s != ACD_AGENT_LOGGED_OUT && s != ACD_AGENT_NOT_READY;
}

/* a not-ready period ends: its time to the reason, its overrun timer off */
static void not_ready_end(struct acd *a, struct acd_agent *g)
{
	acd_heap_disarm(&a->heap, &g->timer);
	/* ENOMEM: the period is not counted; the engine carries on */
	(void)acd_rstats_add(&g->rstats, g->reason, a->now, a->now - g->since_ms);
}

/* a not-ready period begins: arm the overrun of a reason with a max */
static void not_ready_begin(struct acd *a, struct acd_agent *g)
{
	const struct acd_reason_cfg *r = acd_reason_get(a->cfg, g->reason);

	/* ENOMEM: no overrun event for this period */
	if (r && r->max_ms)
		(void)acd_heap_arm(&a->heap, &g->timer, a->now + r->max_ms);
}

void acd_agent_set(struct acd *a, struct acd_agent *g, enum acd_agent_state st, uint16_t reason)
{
	enum acd_agent_state prev = g->state;
	struct acd_event ev;
	uint32_t i;

	if (prev == ACD_AGENT_NOT_READY)
		not_ready_end(a, g);
	account(a, g, st);
	for (i = 0; i < g->nmem; i++) {
		g->mem[i].queue->agents[prev]--;
		g->mem[i].queue->agents[st]++;
		g->mem[i].queue->serving[g->mem[i].ft] += serving(st) - serving(prev);
		if (prev == ACD_AGENT_LOGGED_OUT)
			g->mem[i].queue->logged_in[g->mem[i].ft]++;
		if (st == ACD_AGENT_LOGGED_OUT)
			g->mem[i].queue->logged_in[g->mem[i].ft]--;
		if (prev == ACD_AGENT_READY)
			acd_member_remove(&g->mem[i]);
		if (!acd_agent_available(st))
			acd_leave_later(a, g->mem[i].queue);
	}
	g->state = st;
	g->since_ms = a->now;
	g->reason = st == ACD_AGENT_NOT_READY ? reason : 0;
	acd_ev_init(a, &ev, ACD_EV_AGENT_STATE, g->call_id, ACD_NONE, g->idx);
	if (st == ACD_AGENT_WRAPUP || st == ACD_AGENT_TALKING || st == ACD_AGENT_RINGING)
		ev.queue = g->call ? g->call->q->idx : g->wrap_queue ? g->wrap_queue->idx : ACD_NONE;
	ev.d.state.state = st;
	ev.d.state.prev = prev;
	ev.d.state.reason = g->reason;
	ev.d.state.wrapup_ms = st == ACD_AGENT_WRAPUP ? g->wrap_ms : 0;
	if (st == ACD_AGENT_NOT_READY)
		not_ready_begin(a, g);
	acd_emit(a, &ev);
}

/* not-ready beyond the reason's max: said once, nothing else changes */
static void overrun(struct acd *a, struct acd_agent *g)
{
	const struct acd_reason_cfg *r = acd_reason_get(a->cfg, g->reason);
	struct acd_event ev;

	acd_ev_init(a, &ev, ACD_EV_REASON_OVERRUN, 0, ACD_NONE, g->idx);
	ev.d.overrun.reason = g->reason;
	ev.d.overrun.max_ms = r ? r->max_ms : 0;
	ev.d.overrun.since_ms = g->since_ms;
	acd_emit(a, &ev);
}

/* ready after not-ready, login or wrap-up: idle from now, then route */
void acd_agent_became_free(struct acd *a, struct acd_agent *g)
{
	g->idle_since_ms = a->now;
	acd_agent_set(a, g, ACD_AGENT_READY, 0);
	acd_route_agent(a, g);
}

static struct acd_member *member_of(struct acd_agent *g, const struct acd_queue *q)
{
	uint32_t i;

	for (i = 0; i < g->nmem; i++)
		if (g->mem[i].queue == q)
			return &g->mem[i];
	return NULL;
}

/* the call is handled: talk and wrap-up to the statistics and the EWT */
static void handled(struct acd *a, struct acd_agent *g)
{
	struct acd_queue *q = g->wrap_queue;
	uint32_t wrap = (uint32_t)(a->now - (g->talk_start_ms + g->talk_ms));

	acd_heap_disarm(&a->heap, &g->timer);
	if (q) {
		acd_stats_handled(q->stats, a->now, (uint32_t)g->talk_ms, wrap);
		acd_ewt_handled(q->ewt, (uint32_t)g->talk_ms + wrap);
	}
	acd_stats_handled(g->stats, a->now, (uint32_t)g->talk_ms, wrap);
	g->wrap_queue = NULL;
	g->call_id = 0;
}

/* wrap-up over (timer, wrapup-done, or none configured): ready, or the
 * not-ready asked meanwhile */
void acd_agent_wrap_end(struct acd *a, struct acd_agent *g)
{
	handled(a, g);
	if (g->pending_nr) {
		g->pending_nr = false;
		acd_agent_set(a, g, ACD_AGENT_NOT_READY, g->pending_reason);
		return;
	}
	acd_agent_became_free(a, g);
}

void acd_agent_timer(struct acd *a, struct acd_agent *g)
{
	if (g->state == ACD_AGENT_WRAPUP)
		acd_agent_wrap_end(a, g);
	else if (g->state == ACD_AGENT_NOT_READY)
		overrun(a, g);
}

/* the call ended (acd_call_end): talk time, then wrap-up */
void acd_agent_call_done(struct acd *a, struct acd_agent *g)
{
	struct acd_member *m = member_of(g, g->wrap_queue);

	g->talk_ms = a->now - g->talk_start_ms;
	if (m)
		m->talk_ms += g->talk_ms;
	g->call = NULL;
	g->wrap_ms = g->wrap_queue ? g->wrap_queue->cfg->wrapup_ms : 0;
	if (!g->wrap_ms) {
		acd_agent_wrap_end(a, g);
		return;
	}
	g->wrap_until_ms = a->now + g->wrap_ms;
	if (acd_heap_arm(&a->heap, &g->timer, g->wrap_until_ms)) {
		acd_agent_wrap_end(a, g);	/* ENOMEM: no timer, skip the wrap-up */
		return;
	}
	acd_agent_set(a, g, ACD_AGENT_WRAPUP, 0);
}

/* validate, fire due timers, check the table, record the input */
static int enter(struct acd *a, uint64_t now, uint32_t agent, enum agent_input in,
		 enum acd_ev_type t, struct acd_event *ev)
{
	int ret;

	if (agent >= a->cfg->nagents)
		return -ENOENT;
	ret = acd_enter(a, now);
	if (ret)
		return ret;
	if (!(allowed[a->agent[agent].state] & BIT(in)))
		return -EBUSY;
	acd_ev_init(a, ev, t, 0, ACD_NONE, agent);
	return 0;
}

int acd_agent_login(struct acd *a, uint64_t now_ms, uint32_t agent, bool ready)
{
	struct acd_event ev;
	struct acd_agent *g;
	uint32_t i;
	int ret;

	ret = enter(a, now_ms, agent, IN_LOGIN, ACD_EV_AGENT_LOGIN, &ev);
	if (ret)
		return ret;
	ev.d.ready = ready;
	acd_emit(a, &ev);
	g = &a->agent[agent];
	g->missed = g->calls = 0;
	g->pending_nr = false;
	g->acct_ms = now_ms;
	for (i = 0; i < g->nmem; i++) {
		g->mem[i].calls = 0;
		g->mem[i].talk_ms = 0;
	}
	if (ready)
		acd_agent_became_free(a, g);
	else
		acd_agent_set(a, g, ACD_AGENT_NOT_READY, ACD_REASON_LOGIN);
	acd_flush(a);
	return 0;
}

/* ringing and leaving: the offer is cancelled without counting a miss */
static void drop_offer(struct acd *a, struct acd_agent *g)
{
	struct acd_event ev;
	struct acd_call *c = g->call;

	acd_ev_init(a, &ev, ACD_EV_OFFER_CANCEL, c->id, c->q->idx, g->idx);
	ev.d.cancel = ACD_CANCEL_AGENT;
	acd_emit(a, &ev);
	acd_route_miss(a, c, g, false, false);
}

int acd_agent_logout(struct acd *a, uint64_t now_ms, uint32_t agent)
{
	struct acd_event ev;
	struct acd_agent *g;
	int ret;

	ret = enter(a, now_ms, agent, IN_LOGOUT, ACD_EV_AGENT_LOGOUT, &ev);
	if (ret)
		return ret;
	acd_emit(a, &ev);
	g = &a->agent[agent];
	if (g->state == ACD_AGENT_RINGING)
		drop_offer(a, g);
	if (g->state == ACD_AGENT_WRAPUP)
		handled(a, g);		/* logging out ends the wrap-up */
	g->pending_nr = false;
	acd_agent_set(a, g, ACD_AGENT_LOGGED_OUT, 0);
	acd_flush(a);
	return 0;
}

int acd_agent_ready(struct acd *a, uint64_t now_ms, uint32_t agent)
{
	struct acd_event ev;
	struct acd_agent *g;
	int ret;

	ret = enter(a, now_ms, agent, IN_READY, ACD_EV_AGENT_READY, &ev);
	if (ret)
		return ret;
	g = &a->agent[agent];
	if (g->state != ACD_AGENT_NOT_READY && !g->pending_nr)
		return -EBUSY;
	acd_emit(a, &ev);
	if (g->state == ACD_AGENT_NOT_READY)
		acd_agent_became_free(a, g);
	else
		g->pending_nr = false;
	acd_flush(a);
	return 0;
}

int acd_agent_not_ready(struct acd *a, uint64_t now_ms, uint32_t agent, uint16_t reason)
{
	struct acd_event ev;
	struct acd_agent *g;
	int ret;

	if (reason > ACD_REASON_SITE_MAX)
		return -EINVAL;
	ret = enter(a, now_ms, agent, IN_NOT_READY, ACD_EV_AGENT_NOT_READY, &ev);
	if (ret)
		return ret;
	/* a configured list names every reason an agent may give */
	if (!acd_reason_allowed(a->cfg, reason))
		return -ENOENT;
	ev.d.reason = reason;
	acd_emit(a, &ev);
	g = &a->agent[agent];
	if (g->state == ACD_AGENT_TALKING || g->state == ACD_AGENT_WRAPUP) {
		g->pending_nr = true;
		g->pending_reason = reason;
	} else {
		if (g->state == ACD_AGENT_RINGING)
			drop_offer(a, g);
		acd_agent_set(a, g, ACD_AGENT_NOT_READY, reason);
	}
	acd_flush(a);
	return 0;
}

int acd_agent_wrapup_done(struct acd *a, uint64_t now_ms, uint32_t agent)
{
	struct acd_event ev;
	int ret;

	ret = enter(a, now_ms, agent, IN_WRAPUP_DONE, ACD_EV_AGENT_WRAPUP_DONE, &ev);
	if (ret)
		return ret;
	acd_emit(a, &ev);
	acd_agent_wrap_end(a, &a->agent[agent]);
	acd_flush(a);
	return 0;
}
