// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ACD routing: who gets which call. Never a scan of all members or all
 * calls: only the heads of a few trees are looked at.
 *
 * Ready sets. A ready agent's member node sits in queue->ready[ft] keyed
 * (strategy key, agent index), smallest first:
 *   longest-idle, ring-all   the time it became idle
 *   round-robin, linear      the agent index (member order); round robin
 *                            starts after the agent offered last, cyclic
 *   fewest-calls             calls answered from this queue since login
 *   least-talk               talk time on this queue since login
 *   random                   agent index; the choice is a uniformly drawn
 *                            rank over all the eligible sets (select by
 *                            rank; a skipped agent passes to the next one)
 * Ties fall to the lower agent index.
 *
 * An agent who missed a call (rejected, rang out) is skipped for it,
 * until every logged-in agent eligible for it has missed it: then a new
 * round starts with nobody skipped.
 *
 * A call of tier t takes the best unskipped agent over ready[0..t];
 * ring-all takes them all. A ready agent takes, over every queue it is a
 * member of and every tier from its ft up, the waiting call with the
 * smallest (key - preference bonus, arrival sequence) that did not skip
 * it: so an agent of several queues serves the longest-waiting,
 * highest-priority call first, and a preference counts as that much
 * extra wait.
 */
#include <errno.h>
#include <stdlib.h>

#include "acd_int.h"

static uint64_t strategy_key(const struct acd_member *m)
{
	switch (m->queue->cfg->strategy) {
	case ACD_STRAT_ROUND_ROBIN:
	case ACD_STRAT_LINEAR:
	case ACD_STRAT_RANDOM:
		return m->agent->idx;
	case ACD_STRAT_FEWEST_CALLS:
		return m->calls;
	case ACD_STRAT_LEAST_TALK:
		return m->talk_ms;
	default:
		return m->agent->idle_since_ms;
	}
}

void acd_member_insert(struct acd *a, struct acd_member *m)
{
	if (m->in_set)
		return;
	(void)a;
	m->node.k1 = strategy_key(m);
	m->node.k2 = m->agent->idx;
	acd_tree_insert(&m->queue->ready[m->ft], &m->node);
	m->in_set = true;
}

void acd_member_remove(struct acd_member *m)
{
	if (!m->in_set)
		return;
	acd_tree_remove(&m->queue->ready[m->ft], &m->node);
	m->in_set = false;
}

bool acd_call_skips(const struct acd_call *c, uint32_t agent)
{
	uint32_t i;

	for (i = 0; i < c->nskip; i++)
		if (c->skip[i] == agent)
			return true;
	return false;
}

void acd_ring_drop(struct acd_call *c, uint32_t agent)
{
	uint32_t i;

	for (i = 0; i < c->nring; i++) {
		if (c->ring[i] == agent) {
			c->ring[i] = c->ring[--c->nring];
			return;
		}
	}
}

static struct acd_member *member_of(struct acd_agent *g, const struct acd_queue *q)
{
	uint32_t i;

	for (i = 0; i < g->nmem; i++)
		if (g->mem[i].queue == q)
			return &g->mem[i];
	return NULL;
}

/* from @n on, the first member node whose agent @c did not skip */
static struct acd_tnode *unskipped(struct acd_tnode *n, const struct acd_call *c)
{
	while (n && acd_call_skips(c, acd_member_of_node(n)->agent->idx))
		n = acd_tree_next(n);
	return n;
}

/* round robin: distance after the agent offered last, cyclic */
static uint32_t rr_dist(const struct acd_queue *q, const struct acd_tnode *n)
{
	return (uint32_t)n->k2 - (q->rr_last + 1);
}

static struct acd_tnode *best_in(const struct acd_queue *q, const struct acd_tree *t,
				 const struct acd_call *c)
{
	struct acd_tnode *n;

	if (q->cfg->strategy != ACD_STRAT_ROUND_ROBIN)
		return unskipped(acd_tree_first(t), c);
	n = unskipped(acd_tree_lower_bound(t, (uint32_t)(q->rr_last + 1), 0), c);
	return n ? n : unskipped(acd_tree_first(t), c);
}

static bool better_agent(const struct acd_queue *q, const struct acd_tnode *n,
			 const struct acd_tnode *best)
{
	if (!best)
		return true;
	if (q->cfg->strategy == ACD_STRAT_ROUND_ROBIN)
		return rr_dist(q, n) < rr_dist(q, best);
	return acd_tnode_less(n, best->k1, best->k2);
}

/* ring-all: every unskipped ready agent of tiers 0..c->tier, in key order per tier */
static int collect_all(struct acd *a, const struct acd_call *c)
{
	struct acd_tnode *n;
	unsigned int t;
	int ret;

	a->nscratch = 0;
	for (t = 0; t <= c->tier; t++) {
		for (n = unskipped(acd_tree_first(&c->q->ready[t]), c); n;
		     n = unskipped(acd_tree_next(n), c)) {
			ret = acd_u32_push(&a->scratch, &a->nscratch, &a->capscratch,
					   acd_member_of_node(n)->agent->idx);
			if (ret)
				return ret;
		}
	}
	return 0;
}

static int reserve_ring(struct acd_call *c, uint32_t n)
{
	uint32_t *v, cap = c->capring;

	while (cap < c->nring + n)
		cap = cap ? cap * 2 : 4;
	if (cap == c->capring)
		return 0;
	v = realloc(c->ring, cap * sizeof(*v));
	if (!v)
		return -ENOMEM;
	c->ring = v;
	c->capring = cap;
	return 0;
}

/* ring @n agents for waiting call @c; on ENOMEM the call keeps waiting */
static bool offer(struct acd *a, struct acd_call *c, const uint32_t *agents, uint32_t n)
{
	struct acd_queue *q = c->q;
	struct acd_event ev;
	uint32_t i;

	if (!n || reserve_ring(c, n))
		return false;
	acd_queue_remove(a, c);
	c->st = ACD_CALL_RINGING;
	q->nringing++;
	c->ring_until = q->cfg->ring_timeout_ms ? a->now + q->cfg->ring_timeout_ms : 0;
	if (!c->offered_ms)
		c->offered_ms = a->now;
	for (i = 0; i < n; i++) {
		struct acd_agent *g = &a->agent[agents[i]];

		acd_ev_init(a, &ev, ACD_EV_OFFER, c->id, q->idx, g->idx);
		ev.d.offer.timeout_ms = q->cfg->ring_timeout_ms;
		ev.d.offer.group = n;
		acd_emit(a, &ev);
		c->ring[c->nring++] = g->idx;
		g->call = c;
		g->call_id = c->id;
		acd_agent_set(a, g, ACD_AGENT_RINGING, 0);
	}
	q->rr_last = agents[n - 1];
	acd_call_rearm(a, c);
	return true;
}

/* random: the agent of a uniformly drawn rank over ready[0..tier] */
static struct acd_tnode *pick_random(struct acd *a, const struct acd_call *c)
{
	uint32_t total = 0, r;
	struct acd_tnode *n;
	unsigned int t;

	for (t = 0; t <= c->tier; t++)
		total += acd_tree_size(&c->q->ready[t]);
	if (!total)
		return NULL;
	r = (uint32_t)(acd_prng(a) % total);
	for (t = 0; r >= acd_tree_size(&c->q->ready[t]); t++)
		r -= acd_tree_size(&c->q->ready[t]);
	n = unskipped(acd_tree_select(&c->q->ready[t], r), c);
	for (t++; !n && t <= c->tier; t++)
		n = unskipped(acd_tree_first(&c->q->ready[t]), c);
	return n;
}

bool acd_route_call(struct acd *a, struct acd_call *c)
{
	struct acd_queue *q = c->q;
	struct acd_tnode *n, *best = NULL;
	uint32_t idx;
	unsigned int t;

	if (c->st != ACD_CALL_WAITING)
		return false;
	if (q->cfg->strategy == ACD_STRAT_RING_ALL) {
		if (collect_all(a, c))
			return false;
		return offer(a, c, a->scratch, a->nscratch);
	}
	for (t = 0; q->cfg->strategy != ACD_STRAT_RANDOM && t <= c->tier; t++) {
		n = best_in(q, &q->ready[t], c);
		if (n && better_agent(q, n, best))
			best = n;
	}
	if (q->cfg->strategy == ACD_STRAT_RANDOM)
		best = pick_random(a, c);
	if (!best)
		return false;
	idx = acd_member_of_node(best)->agent->idx;
	return offer(a, c, &idx, 1);
}

/* the first waiting call of @t that did not skip agent @g */
static struct acd_call *head_for(const struct acd_tree *t, const struct acd_agent *g)
{
	struct acd_tnode *n;

	for (n = acd_tree_first(t); n; n = acd_tree_next(n))
		if (!acd_call_skips(acd_call_of_node(n), g->idx))
			return acd_call_of_node(n);
	return NULL;
}

bool acd_route_agent(struct acd *a, struct acd_agent *g)
{
	struct acd_call *best = NULL, *c;
	int64_t best_key = 0, k;
	uint32_t i, t;

	if (g->state != ACD_AGENT_READY)
		return false;
	for (i = 0; i < g->nmem; i++) {
		struct acd_member *m = &g->mem[i];

		for (t = m->ft; t < m->queue->cfg->ntiers; t++) {
			c = head_for(&m->queue->wait[t], g);
			if (!c)
				continue;
			k = c->key - (int64_t)m->bonus_ms;
			if (!best || k < best_key || (k == best_key && c->seq < best->seq)) {
				best = c;
				best_key = k;
			}
		}
	}
	if (best && offer(a, best, &g->idx, 1))
		return true;
	for (i = 0; i < g->nmem; i++)
		acd_member_insert(a, &g->mem[i]);
	return false;
}

void acd_route_answer(struct acd *a, struct acd_call *c, struct acd_agent *g)
{
	struct acd_queue *q = c->q;
	struct acd_member *m = member_of(g, q);
	struct acd_event ev;
	uint32_t i, n = 0, wait = (uint32_t)(a->now - c->queued_ms);
	int ret;

	/* ring-all: the others stop ringing (and are freed after the connect) */
	a->nscratch = 0;
	for (i = 0; i < c->nring; i++) {
		if (c->ring[i] == g->idx)
			continue;
		acd_ev_init(a, &ev, ACD_EV_OFFER_CANCEL, c->id, q->idx, c->ring[i]);
		ev.d.cancel = ACD_CANCEL_ANSWERED_ELSEWHERE;
		acd_emit(a, &ev);
		a->agent[c->ring[i]].call = NULL;
		a->agent[c->ring[i]].call_id = 0;
		c->ring[n++] = c->ring[i];
	}
	c->nring = 0;
	acd_queue_unlink(q, c);
	q->nringing--;
	q->ntalking++;
	c->st = ACD_CALL_CONNECTED;
	c->agent = g;
	c->ring_until = c->escalate_at = c->maxwait_at = c->announce_at = 0;
	acd_heap_disarm(&a->heap, &c->timer);
	acd_stats_answered(q->stats, a->now, wait);
	acd_stats_answered(g->stats, a->now, wait);
	acd_ewt_outcome(q->ewt, c->predicted_ms, wait);
	acd_ewt_answered(q->ewt, (uint32_t)(a->now - c->offered_ms));
	acd_ev_init(a, &ev, ACD_EV_CONNECT, c->id, q->idx, g->idx);
	ev.d.connect.wait_ms = wait;
	ev.d.connect.predicted_ms = c->predicted_ms;
	acd_emit(a, &ev);
	g->missed = 0;
	g->calls++;
	if (m)
		m->calls++;
	g->talk_start_ms = a->now;
	g->wrap_queue = q;
	acd_agent_set(a, g, ACD_AGENT_TALKING, 0);
	/* c->ring still holds the others (n of them); copy before routing */
	for (i = 0; i < n; i++) {
		ret = acd_u32_push(&a->scratch, &a->nscratch, &a->capscratch, c->ring[i]);
		if (ret)
			break;
	}
	n = a->nscratch;
	for (i = 0; i < n; i++) {
		struct acd_agent *o = &a->agent[a->scratch[i]];

		acd_agent_set(a, o, ACD_AGENT_READY, 0);
		acd_route_agent(a, o);
	}
}

/* agents logged in who may take @c at its tier */
static uint32_t eligible_logged_in(const struct acd_call *c)
{
	uint32_t n = 0, t;

	for (t = 0; t <= c->tier; t++)
		n += c->q->logged_in[t];
	return n;
}

void acd_route_miss(struct acd *a, struct acd_call *c, struct acd_agent *g, bool count,
		    bool ready_again)
{
	const struct acd_queue_cfg *qc = c->q->cfg;

	acd_ring_drop(c, g->idx);
	g->call = NULL;
	g->call_id = 0;
	if (count) {
		/* no memory for the skip list: the agent may be offered it again */
		(void)acd_u32_push(&c->skip, &c->nskip, &c->capskip, g->idx);
		g->missed++;
		if (c->nskip >= eligible_logged_in(c))
			c->nskip = 0;	/* everyone missed it: a new round */
	}
	if (!c->nring) {
		acd_call_requeue(a, c);
		acd_route_call(a, c);
	}
	if (!ready_again)
		return;
	if (count && qc->max_no_answer && g->missed >= qc->max_no_answer) {
		acd_agent_set(a, g, ACD_AGENT_NOT_READY, ACD_REASON_NO_ANSWER);
		return;
	}
	acd_agent_set(a, g, ACD_AGENT_READY, 0);
	acd_route_agent(a, g);
}
