// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ACD calls: the call inputs (arrive, abandon, answer, reject, end), the
 * per-call timer and overflow.
 *
 * A call has one timer armed at the earliest of its deadlines; when it
 * fires they are handled in this order: ring timeout (every agent ringing
 * misses it), max wait (the call leaves: overflow target or refused),
 * escalation (next tier, more agents eligible), announcement (position,
 * and EWT when reliable). Escalation and max wait count from the moment
 * the call joined its current queue.
 *
 * Leaving without an answer (max wait, queue full on arrival, join/leave
 * rule with no agent): to a queue target the call moves itself and keeps
 * its priority and first arrival (so it does not lose its place in
 * line); to voicemail or callback it leaves the engine with an OVERFLOW
 * event; with no target it leaves with CALL_REFUSED. A chain of more
 * than ACD_MAX_HOPS queue overflows (a loop of full queues, say) ends as
 * refused.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "acd_int.h"
#include "libtdmx.h"

static uint64_t earliest(uint64_t a, uint64_t b)
{
	if (!a)
		return b;
	if (!b)
		return a;
	return a < b ? a : b;
}

void acd_call_rearm(struct acd *a, struct acd_call *c)
{
	uint64_t when = 0;

	if (c->st != ACD_CALL_CONNECTED) {
		when = earliest(c->escalate_at, c->maxwait_at);
		when = earliest(when, c->announce_at);
		if (c->st == ACD_CALL_RINGING)
			when = earliest(when, c->ring_until);
	}
	if (!when || acd_heap_arm(&a->heap, &c->timer, when))
		acd_heap_disarm(&a->heap, &c->timer);	/* ENOMEM: it waits without timers */
}

static void emit_pos(struct acd *a, struct acd_call *c, enum acd_ev_type t)
{
	struct acd_event ev;
	bool reliable;
	uint32_t ewt;

	acd_ev_init(a, &ev, t, c->id, c->q->idx, ACD_NONE);
	ev.d.pos.tier = c->tier;
	ev.d.pos.position = c->st == ACD_CALL_WAITING ? acd_queue_position(c->q, c) : 0;
	ewt = acd_queue_estimate_call(a, c, ev.d.pos.position ? ev.d.pos.position : 1, &reliable);
	ev.d.pos.ewt_ms = reliable ? ewt : ACD_EWT_UNKNOWN;
	acd_emit(a, &ev);
}

/* take @c (waiting, ringing or not yet joined) out of its queue; ringing
 * agents are noted in a->scratch for release_agents() */
static void detach(struct acd *a, struct acd_call *c, enum acd_cancel why, bool joined)
{
	struct acd_queue *q = c->q;
	struct acd_event ev;
	uint32_t i;

	a->nscratch = 0;
	if (!joined)
		return;
	if (c->st == ACD_CALL_WAITING) {
		acd_queue_remove(a, c);
	} else if (c->st == ACD_CALL_RINGING) {
		for (i = 0; i < c->nring; i++) {
			acd_ev_init(a, &ev, ACD_EV_OFFER_CANCEL, c->id, q->idx, c->ring[i]);
			ev.d.cancel = why;
			acd_emit(a, &ev);
			a->agent[c->ring[i]].call = NULL;
			a->agent[c->ring[i]].call_id = 0;
			(void)acd_u32_push(&a->scratch, &a->nscratch, &a->capscratch, c->ring[i]);
		}
		c->nring = 0;
		q->nringing--;
	}
	acd_queue_unlink(q, c);
	acd_heap_disarm(&a->heap, &c->timer);
}

/* agents that were ringing a call that went away: ready again, no miss */
static void release_agents(struct acd *a, uint32_t n, const uint32_t *idx)
{
	uint32_t i;

	for (i = 0; i < n; i++) {
		struct acd_agent *g = &a->agent[idx[i]];

		acd_agent_set(a, g, ACD_AGENT_READY, 0);
		acd_route_agent(a, g);
	}
}

static void join(struct acd *a, struct acd_call *c, struct acd_queue *q);

static void leave(struct acd *a, struct acd_call *c, enum acd_leave why, bool joined)
{
	struct acd_queue *q = c->q;
	const struct acd_target *tg = &q->cfg->overflow;
	uint32_t wait = (uint32_t)(a->now - c->queued_ms), n, *held = NULL;
	struct acd_event ev;
	bool to_queue;

	detach(a, c, ACD_CANCEL_OVERFLOW, joined);
	/* the agents to release after the call has gone on */
	n = a->nscratch;
	if (n) {
		held = malloc(n * sizeof(*held));
		if (held)
			memcpy(held, a->scratch, n * sizeof(*held));
		else
			n = 0;	/* ENOMEM: they stay ringing until answer/reject fails */
	}
	if (joined)
		acd_stats_overflowed(q->stats, a->now, wait);
	to_queue = tg->kind == ACD_TARGET_QUEUE && tg->queue != q->idx && c->hops < ACD_MAX_HOPS;
	acd_ev_init(a, &ev, tg->kind == ACD_TARGET_NONE || (tg->kind == ACD_TARGET_QUEUE && !to_queue) ?
			    ACD_EV_CALL_REFUSED : ACD_EV_OVERFLOW, c->id, q->idx, ACD_NONE);
	ev.d.leave.why = why;
	ev.d.leave.wait_ms = wait;
	if (ev.type == ACD_EV_OVERFLOW)
		ev.d.leave.target = *tg;
	acd_emit(a, &ev);
	if (to_queue) {
		c->hops++;
		join(a, c, &a->queue[tg->queue]);
	} else {
		acd_call_destroy(a, c);
	}
	release_agents(a, n, held);
	free(held);
}

void acd_call_leave(struct acd *a, struct acd_call *c, enum acd_leave why)
{
	leave(a, c, why, true);
}

static void join(struct acd *a, struct acd_call *c, struct acd_queue *q)
{
	const struct acd_queue_cfg *qc = q->cfg;

	c->q = q;
	c->tier = 0;
	c->queued_ms = a->now;
	c->key = acd_call_key(qc, c->arrival_ms, c->prio);
	c->nskip = 0;
	c->escalate_at = c->maxwait_at = c->announce_at = c->ring_until = 0;
	c->offered_ms = 0;
	if (!acd_queue_staffed(q, qc->join_rule)) {
		leave(a, c, ACD_LEAVE_EMPTY, false);
		return;
	}
	if (qc->max_len && q->nwaiting + q->nringing >= qc->max_len) {
		leave(a, c, ACD_LEAVE_FULL, false);
		return;
	}
	acd_stats_offered(q->stats, a->now);
	acd_queue_link(q, c);
	acd_queue_insert(a, c);
	c->predicted_ms = acd_queue_estimate_call(a, c, acd_queue_position(q, c), NULL);
	if (qc->ntiers > 1)
		c->escalate_at = a->now + qc->tier[1].after_ms;
	if (qc->max_wait_ms)
		c->maxwait_at = a->now + qc->max_wait_ms;
	if (qc->announce_ms)
		c->announce_at = a->now + qc->announce_ms;
	emit_pos(a, c, ACD_EV_CALL_QUEUED);
	acd_call_rearm(a, c);
	acd_route_call(a, c);
}

/* a ringing call that no agent rings any more waits again */
void acd_call_requeue(struct acd *a, struct acd_call *c)
{
	c->q->nringing--;
	c->ring_until = 0;
	acd_queue_insert(a, c);
	emit_pos(a, c, ACD_EV_CALL_QUEUED);
	acd_call_rearm(a, c);
}

static void ring_timeout(struct acd *a, struct acd_call *c)
{
	struct acd_event ev;
	uint32_t i, n = c->nring, *v = malloc(n * sizeof(*v));

	c->ring_until = 0;
	if (!v)
		return;	/* ENOMEM: they ring until answer, reject or abandon */
	memcpy(v, c->ring, n * sizeof(*v));
	for (i = 0; i < n; i++) {
		acd_ev_init(a, &ev, ACD_EV_OFFER_CANCEL, c->id, c->q->idx, v[i]);
		ev.d.cancel = ACD_CANCEL_TIMEOUT;
		acd_emit(a, &ev);
	}
	for (i = 0; i < n; i++)
		acd_route_miss(a, c, &a->agent[v[i]], true, true);
	free(v);
}

static void escalate(struct acd *a, struct acd_call *c)
{
	const struct acd_queue_cfg *qc = c->q->cfg;
	bool waiting = c->st == ACD_CALL_WAITING;

	if (waiting)
		acd_queue_remove(a, c);
	c->tier++;
	c->escalate_at = c->tier + 1 < qc->ntiers ? c->queued_ms + qc->tier[c->tier + 1].after_ms : 0;
	if (waiting)
		acd_queue_insert(a, c);
	emit_pos(a, c, ACD_EV_CALL_ESCALATE);
	if (waiting)
		acd_route_call(a, c);
}

void acd_call_timer(struct acd *a, struct acd_call *c)
{
	uint64_t now = a->now;

	if (c->st == ACD_CALL_RINGING && c->ring_until && c->ring_until <= now)
		ring_timeout(a, c);
	if (c->maxwait_at && c->maxwait_at <= now) {
		leave(a, c, ACD_LEAVE_MAX_WAIT, true);
		return;		/* gone, or joined another queue with new timers */
	}
	if (c->escalate_at && c->escalate_at <= now)
		escalate(a, c);
	if (c->announce_at && c->announce_at <= now) {
		c->announce_at += c->q->cfg->announce_ms;
		if (c->st == ACD_CALL_WAITING)
			emit_pos(a, c, ACD_EV_ANNOUNCE);
	}
	acd_call_rearm(a, c);
}

/* short, valid UTF-8: anything else would not come back the same from
 * the JSON log (the writer replaces bad bytes), and recovery would diverge */
static bool text_ok(const char *s)
{
	const unsigned char *p;
	size_t n;

	if (!s)
		return true;
	if (strlen(s) > ACD_TEXT_MAX)
		return false;
	for (p = (const unsigned char *)s; *p; p += n) {
		n = tdmx_utf8_len(p);
		if (!n)
			return false;
	}
	return true;
}

static struct acd_call *call_new(struct acd *a, uint64_t id, uint8_t prio, const char *caller,
				 const char *dnis, const char *data)
{
	size_t l1 = strlen(caller) + 1, l2 = strlen(dnis) + 1, l3 = strlen(data) + 1;
	struct acd_call *c = calloc(1, sizeof(*c));
	char *t = malloc(l1 + l2 + l3);

	if (!c || !t || acd_idmap_put(&a->calls, id, c)) {
		free(c);
		free(t);
		return NULL;
	}
	memcpy(t, caller, l1);
	memcpy(t + l1, dnis, l2);
	memcpy(t + l1 + l2, data, l3);
	c->caller = t;
	c->dnis = t + l1;
	c->data = t + l1 + l2;
	c->id = id;
	c->prio = prio;
	c->seq = ++a->call_seq;
	acd_timer_init(&c->timer, ACD_TIE_CALL + c->seq);
	return c;
}

int acd_call_arrive(struct acd *a, uint64_t now_ms, uint64_t call, uint32_t queue,
		    uint8_t priority, const char *caller, const char *dnis, const char *data)
{
	struct acd_event ev;
	struct acd_call *c;
	int ret;

	if (!call || call > INT64_MAX || !text_ok(caller) || !text_ok(dnis) || !text_ok(data))
		return -EINVAL;
	if (queue >= a->cfg->nqueues)
		return -ENOENT;
	ret = acd_enter(a, now_ms);
	if (ret)
		return ret;
	if (acd_idmap_get(&a->calls, call))
		return -EEXIST;
	c = call_new(a, call, priority, caller ? caller : "", dnis ? dnis : "", data ? data : "");
	if (!c)
		return -ENOMEM;
	c->arrival_ms = now_ms;
	c->q = &a->queue[queue];
	acd_ev_init(a, &ev, ACD_EV_CALL_ARRIVE, call, queue, ACD_NONE);
	ev.d.arrive.priority = priority;
	ev.d.arrive.caller = c->caller;
	ev.d.arrive.dnis = c->dnis;
	ev.d.arrive.data = c->data;
	acd_emit(a, &ev);
	join(a, c, &a->queue[queue]);
	acd_flush(a);
	return 0;
}

static int find(struct acd *a, uint64_t now_ms, uint64_t call, struct acd_call **out)
{
	int ret = acd_enter(a, now_ms);

	if (ret)
		return ret;
	*out = acd_idmap_get(&a->calls, call);
	return *out ? 0 : -ENOENT;
}

int acd_call_abandon(struct acd *a, uint64_t now_ms, uint64_t call)
{
	struct acd_event ev;
	struct acd_call *c;
	uint32_t n, *held;
	int ret;

	ret = find(a, now_ms, call, &c);
	if (ret)
		return ret;
	if (c->st == ACD_CALL_CONNECTED)
		return -EBUSY;
	acd_ev_init(a, &ev, ACD_EV_CALL_ABANDON, call, c->q->idx, ACD_NONE);
	acd_emit(a, &ev);
	acd_stats_abandoned(c->q->stats, now_ms, (uint32_t)(now_ms - c->queued_ms));
	detach(a, c, ACD_CANCEL_ABANDONED, true);
	acd_call_destroy(a, c);
	n = a->nscratch;
	held = n ? malloc(n * sizeof(*held)) : NULL;
	if (held)
		memcpy(held, a->scratch, n * sizeof(*held));
	release_agents(a, held ? n : 0, held);
	free(held);
	acd_flush(a);
	return 0;
}

/* the call must be ringing @agent */
static int ringing(struct acd *a, uint64_t now_ms, uint64_t call, uint32_t agent,
		   struct acd_call **out)
{
	uint32_t i;
	int ret;

	if (agent >= a->cfg->nagents)
		return -ENOENT;
	ret = find(a, now_ms, call, out);
	if (ret)
		return ret;
	for (i = 0; (*out)->st == ACD_CALL_RINGING && i < (*out)->nring; i++)
		if ((*out)->ring[i] == agent)
			return 0;
	return -EBUSY;
}

int acd_offer_answer(struct acd *a, uint64_t now_ms, uint64_t call, uint32_t agent)
{
	struct acd_event ev;
	struct acd_call *c;
	int ret;

	ret = ringing(a, now_ms, call, agent, &c);
	if (ret)
		return ret;
	acd_ev_init(a, &ev, ACD_EV_OFFER_ANSWER, call, c->q->idx, agent);
	acd_emit(a, &ev);
	acd_route_answer(a, c, &a->agent[agent]);
	acd_flush(a);
	return 0;
}

int acd_offer_reject(struct acd *a, uint64_t now_ms, uint64_t call, uint32_t agent,
		     enum acd_reject why)
{
	struct acd_event ev;
	struct acd_call *c;
	int ret;

	if ((unsigned int)why >= ACD_REJECT__N)
		return -EINVAL;
	ret = ringing(a, now_ms, call, agent, &c);
	if (ret)
		return ret;
	acd_ev_init(a, &ev, ACD_EV_OFFER_REJECT, call, c->q->idx, agent);
	ev.d.reject = why;
	acd_emit(a, &ev);
	acd_route_miss(a, c, &a->agent[agent], true, true);
	acd_flush(a);
	return 0;
}

int acd_call_end(struct acd *a, uint64_t now_ms, uint64_t call)
{
	struct acd_event ev;
	struct acd_call *c;
	struct acd_agent *g;
	int ret;

	ret = find(a, now_ms, call, &c);
	if (ret)
		return ret;
	if (c->st != ACD_CALL_CONNECTED)
		return -EBUSY;
	g = c->agent;
	acd_ev_init(a, &ev, ACD_EV_CALL_END, call, c->q->idx, g->idx);
	acd_emit(a, &ev);
	c->q->ntalking--;
	acd_call_destroy(a, c);
	acd_agent_call_done(a, g);
	acd_flush(a);
	return 0;
}
