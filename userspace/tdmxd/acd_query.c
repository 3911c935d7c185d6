// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ACD queries for CTI and status: agent, queue and call status, EWT,
 * statistics per window, and the snapshot walk used for a resync. Read
 * only; queue figures come from counters the engine keeps up to date, the
 * longest wait from the head of the queue's joining-order list.
 */
#include <errno.h>
#include <string.h>

#include "acd_int.h"

int acd_agent_status(const struct acd *a, uint32_t agent, struct acd_agent_status *st)
{
	const struct acd_agent *g;

	if (agent >= a->cfg->nagents)
		return -ENOENT;
	g = &a->agent[agent];
	memset(st, 0, sizeof(*st));
	st->state = g->state;
	st->since_ms = g->since_ms;
	st->not_ready_pending = g->pending_nr;
	st->reason = g->pending_nr ? g->pending_reason : g->reason;
	st->call = g->call_id;
	st->queue = g->call ? g->call->q->idx : g->wrap_queue ? g->wrap_queue->idx : ACD_NONE;
	st->wrapup_until_ms = g->state == ACD_AGENT_WRAPUP ? g->wrap_until_ms : 0;
	st->missed = g->missed;
	st->calls = g->calls;
	st->nqueues = g->nmem;
	return 0;
}

int acd_queue_status(const struct acd *a, uint32_t queue, uint64_t now_ms,
		     struct acd_queue_status *st)
{
	const struct acd_queue *q;

	if (queue >= a->cfg->nqueues)
		return -ENOENT;
	q = &a->queue[queue];
	memset(st, 0, sizeof(*st));
	st->waiting = q->nwaiting;
	st->ringing = q->nringing;
	st->talking = q->ntalking;
	memcpy(st->agents, q->agents, sizeof(st->agents));
	if (q->head && now_ms > q->head->queued_ms)
		st->longest_wait_ms = (uint32_t)(now_ms - q->head->queued_ms);
	return 0;
}

static void call_status(const struct acd_call *c, struct acd_call_status *st)
{
	memset(st, 0, sizeof(*st));
	st->call = c->id;
	st->queue = c->q->idx;
	st->tier = c->tier;
	st->ringing = c->st == ACD_CALL_RINGING;
	st->connected = c->st == ACD_CALL_CONNECTED;
	st->position = c->st == ACD_CALL_WAITING ? acd_queue_position(c->q, c) : 0;
	st->agent = c->agent ? c->agent->idx : ACD_NONE;
	st->priority = c->prio;
	st->arrival_ms = c->arrival_ms;
	st->queued_ms = c->queued_ms;
	st->caller = c->caller;
	st->dnis = c->dnis;
	st->data = c->data;
}

int acd_call_status(const struct acd *a, uint64_t call, struct acd_call_status *st)
{
	const struct acd_call *c = call ? acd_idmap_get(&a->calls, call) : NULL;

	if (!c)
		return -ENOENT;
	call_status(c, st);
	return 0;
}

int acd_queue_ewt(const struct acd *a, uint32_t queue, uint32_t position,
		  uint32_t *ewt_ms, bool *reliable)
{
	if (queue >= a->cfg->nqueues)
		return -ENOENT;
	*ewt_ms = acd_queue_estimate(&a->queue[queue], position, reliable);
	return 0;
}

int acd_queue_stats(const struct acd *a, uint32_t queue, uint64_t now_ms, enum acd_win w,
		    struct acd_figures *f)
{
	if (queue >= a->cfg->nqueues)
		return -ENOENT;
	if ((unsigned int)w >= ACD_WIN__N)
		return -EINVAL;
	acd_stats_get(a->queue[queue].stats, now_ms, w, f);
	return 0;
}

int acd_agent_stats(const struct acd *a, uint32_t agent, uint64_t now_ms, enum acd_win w,
		    struct acd_figures *f)
{
	if (agent >= a->cfg->nagents)
		return -ENOENT;
	if ((unsigned int)w >= ACD_WIN__N)
		return -EINVAL;
	acd_stats_get(a->agent[agent].stats, now_ms, w, f);
	return 0;
}

/* waiting calls of @q in position order: merge the tiers' trees by key */
static int walk_waiting(const struct acd_queue *q, struct acd_snap_item *it,
			int (*fn)(void *arg, const struct acd_snap_item *it), void *arg)
{
	struct acd_tnode *cur[ACD_MAX_TIERS], *best;
	unsigned int t, bt;
	uint32_t pos = 0;
	int ret;

	for (t = 0; t < q->cfg->ntiers; t++)
		cur[t] = acd_tree_first(&q->wait[t]);
	for (;;) {
		best = NULL;
		bt = 0;
		for (t = 0; t < q->cfg->ntiers; t++) {
			if (cur[t] && (!best || acd_tnode_less(cur[t], best->k1, best->k2))) {
				best = cur[t];
				bt = t;
			}
		}
		if (!best)
			return 0;
		cur[bt] = acd_tree_next(best);
		call_status(acd_call_of_node(best), &it->u.call);
		it->u.call.position = ++pos;
		ret = fn(arg, it);
		if (ret)
			return ret;
	}
}

int acd_snapshot(const struct acd *a, uint64_t now_ms,
		 int (*fn)(void *arg, const struct acd_snap_item *it), void *arg)
{
	struct acd_snap_item it;
	const struct acd_call *c;
	uint32_t i;
	int ret;

	for (i = 0; i < a->cfg->nagents; i++) {
		memset(&it, 0, sizeof(it));
		it.kind = ACD_SNAP_AGENT;
		it.index = i;
		acd_agent_status(a, i, &it.u.agent);
		ret = fn(arg, &it);
		if (ret)
			return ret;
	}
	for (i = 0; i < a->cfg->nqueues; i++) {
		memset(&it, 0, sizeof(it));
		it.kind = ACD_SNAP_QUEUE;
		it.index = i;
		acd_queue_status(a, i, now_ms, &it.u.queue);
		ret = fn(arg, &it);
		if (ret)
			return ret;
	}
	for (i = 0; i < a->cfg->nqueues; i++) {
		memset(&it, 0, sizeof(it));
		it.kind = ACD_SNAP_CALL;
		it.index = i;
		ret = walk_waiting(&a->queue[i], &it, fn, arg);
		if (ret)
			return ret;
		for (c = a->queue[i].head; c; c = c->next) {
			if (c->st != ACD_CALL_RINGING)
				continue;
			call_status(c, &it.u.call);
			ret = fn(arg, &it);
			if (ret)
				return ret;
		}
	}
	/* connected calls are no longer in a queue list: find them by agent */
	for (i = 0; i < a->cfg->nagents; i++) {
		c = a->agent[i].state == ACD_AGENT_TALKING ? a->agent[i].call : NULL;
		if (!c)
			continue;
		memset(&it, 0, sizeof(it));
		it.kind = ACD_SNAP_CALL;
		it.index = c->q->idx;
		call_status(c, &it.u.call);
		ret = fn(arg, &it);
		if (ret)
			return ret;
	}
	return 0;
}

int acd_agent_reason_times(const struct acd *a, uint32_t agent, uint64_t now_ms, enum acd_win w,
			   struct acd_reason_time *out, size_t max, size_t *n)
{
	const struct acd_agent *g;
	uint64_t start, open_ms;
	size_t i, k;

	if (agent >= a->cfg->nagents)
		return -ENOENT;
	if ((unsigned int)w >= ACD_WIN__N)
		return -EINVAL;
	g = &a->agent[agent];
	k = acd_rstats_get(g->rstats, now_ms, w, out, max);
	*n = k;
	if (g->state != ACD_AGENT_NOT_READY || now_ms <= g->since_ms)
		return 0;
	/* the period going on now counts up to now, from the window's start */
	start = acd_rstats_window_start(now_ms, w);
	open_ms = now_ms - (g->since_ms > start ? g->since_ms : start);
	if (k > max)
		k = max;
	for (i = 0; i < k && out[i].code < g->reason; i++)
		;
	if (i < k && out[i].code == g->reason) {
		out[i].ms += open_ms;
		return 0;
	}
	/* a code not in the table yet: inserted in order (if there is room) */
	(*n)++;
	if (k == max)
		return 0;
	memmove(&out[i + 1], &out[i], (k - i) * sizeof(*out));
	out[i] = (struct acd_reason_time){ g->reason, open_ms };
	return 0;
}

size_t acd_agent_reason_mem(const struct acd *a, uint32_t agent)
{
	return agent < a->cfg->nagents ? acd_rstats_size(a->agent[agent].rstats) : 0;
}
