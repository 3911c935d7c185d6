// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ACD queues: where waiting calls sit and what a caller is told.
 *
 * Order key. key = arrival_ms - priority * aging_ms, smallest first, ties
 * by arrival sequence. A caller of priority p+1 thus counts as having
 * arrived aging_ms earlier than one of priority p: the VIP goes first,
 * unless the other has already waited aging_ms longer (aging prevents
 * starvation). The key never changes while the call waits, so the trees
 * never need re-sorting. aging_ms 0 means strict priority: one step is
 * then worth 2^32 ms (50 days), more than any wait.
 *
 * Position = 1 + the waiting calls of the queue, all tiers, with a
 * smaller key (calls being offered do not count). EWT uses acd_ewt with
 * serving = members logged in and not not-ready, free = ready members.
 * For a caller (acd_queue_estimate_call) both count only the members of
 * the caller's tier or an earlier one (the others cannot take the call
 * yet), and the callers of queues sharing those agents with a smaller key
 * count as ahead (acd_share.c).
 */
#include "acd_int.h"

#define STRICT_AGING_MS	(1ull << 32)

int64_t acd_call_key(const struct acd_queue_cfg *qc, uint64_t arrival_ms, uint8_t prio)
{
	uint64_t aging = qc->aging_ms ? qc->aging_ms : STRICT_AGING_MS;

	return (int64_t)arrival_ms - (int64_t)prio * (int64_t)aging;
}

/* the int64 key as an unsigned tree key with the same order */
static uint64_t tree_key(int64_t key)
{
	return (uint64_t)key ^ (1ull << 63);
}

void acd_queue_insert(struct acd *a, struct acd_call *c)
{
	(void)a;
	c->node.k1 = tree_key(c->key);
	c->node.k2 = c->seq;
	acd_tree_insert(&c->q->wait[c->tier], &c->node);
	c->q->nwaiting++;
	c->st = ACD_CALL_WAITING;
}

void acd_queue_remove(struct acd *a, struct acd_call *c)
{
	(void)a;
	acd_tree_remove(&c->q->wait[c->tier], &c->node);
	c->q->nwaiting--;
}

void acd_queue_link(struct acd_queue *q, struct acd_call *c)
{
	c->next = NULL;
	c->prev = q->tail;
	if (q->tail)
		q->tail->next = c;
	else
		q->head = c;
	q->tail = c;
}

void acd_queue_unlink(struct acd_queue *q, struct acd_call *c)
{
	if (c->prev)
		c->prev->next = c->next;
	else
		q->head = c->next;
	if (c->next)
		c->next->prev = c->prev;
	else
		q->tail = c->prev;
	c->prev = c->next = NULL;
}

uint32_t acd_queue_position(const struct acd_queue *q, const struct acd_call *c)
{
	uint32_t pos = 1;
	unsigned int t;

	for (t = 0; t < q->cfg->ntiers; t++)
		pos += acd_tree_count_less(&q->wait[t], tree_key(c->key), c->seq);
	return pos;
}

uint32_t acd_queue_serving(const struct acd_queue *q)
{
	return q->nmembers - q->agents[ACD_AGENT_LOGGED_OUT] - q->agents[ACD_AGENT_NOT_READY];
}

uint32_t acd_queue_estimate(const struct acd_queue *q, uint32_t position, bool *reliable)
{
	if (reliable)
		*reliable = acd_ewt_reliable(q->ewt);
	return acd_ewt_estimate(q->ewt, position, acd_queue_serving(q),
				q->agents[ACD_AGENT_READY]);
}

uint32_t acd_queue_estimate_call(const struct acd *a, const struct acd_call *c, uint32_t position,
				 bool *reliable)
{
	const struct acd_queue *q = c->q;
	uint32_t serving = 0, free = 0, t;
	uint64_t ahead;

	if (reliable)
		*reliable = acd_ewt_reliable(q->ewt);
	for (t = 0; t <= c->tier; t++) {
		serving += q->serving[t];
		free += acd_tree_size(&q->ready[t]);
	}
	ahead = acd_share_ahead(a, q, tree_key(c->key), c->seq);
	/* 2^52 thousandths of a call: far beyond any queue, keeps acd_ewt's
	 * arithmetic in 64 bits */
	if (ahead > (1ull << 52))
		ahead = 1ull << 52;
	return acd_ewt_estimate_shared(q->ewt, position, ahead, serving, free);
}

bool acd_queue_staffed(const struct acd_queue *q, enum acd_empty_rule rule)
{
	switch (rule) {
	case ACD_EMPTY_LOGGED_IN:
		return q->nmembers > q->agents[ACD_AGENT_LOGGED_OUT];
	case ACD_EMPTY_AVAILABLE:
		return acd_queue_serving(q) > 0;
	default:
		return true;
	}
}

/* leave rule: with nobody (available) left, every waiting call leaves */
void acd_queue_check_leave(struct acd *a, struct acd_queue *q)
{
	struct acd_tnode *n;
	unsigned int t;

	if (acd_queue_staffed(q, q->cfg->leave_rule))
		return;
	for (t = 0; t < q->cfg->ntiers; t++)
		while ((n = acd_tree_first(&q->wait[t])))
			acd_call_leave(a, acd_call_of_node(n), ACD_LEAVE_EMPTY);
}
