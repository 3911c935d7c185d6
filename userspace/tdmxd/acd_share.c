// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Shared agents in the estimated wait: which other queues compete with a
 * queue for its agents, and how many of their callers come first.
 *
 * An agent of several queues takes the waiting call with the smallest key
 * across all of them (acd_route.c). So a caller of queue q waits not only
 * for the callers of q ahead of it but also for the callers of the other
 * queues of q's agents whose keys are smaller. A caller of such a queue r
 * is served by one of r's agents; the chance that it is one of q's is
 * about shared(q, r) / members(r). The estimate thus adds
 *
 *   ahead = sum over neighbours r of  waiting(r, key < this key) * w(q, r)
 *   w(q, r) = members of both q and r / members of r    (permille)
 *
 * calls to the caller's own position (acd_ewt.h). In tdmx-acdsim's example
 * the French sales queue shares its six agents with sales (18 members):
 * its callers wait behind a third of the sales callers with smaller keys.
 *
 * The neighbours are worked out once from the static membership. To keep
 * the per-call cost bounded (each neighbour costs one O(log n) rank per
 * tier), only neighbours with w >= ACD_SHARE_MIN_PERMILLE are kept, at
 * most ACD_SHARE_MAX of them, the heaviest first: a queue that shares 1 %
 * of its agents with q sends q's agents 1 % of its calls ahead, within the
 * noise of the estimate.
 */
#include <errno.h>
#include <stdlib.h>

#include "acd_int.h"

struct tally {
	uint32_t *off, *agent;	/* the agents of queue q: agent[off[q] .. off[q + 1]) */
	uint32_t *count;	/* per queue: members shared with the queue at hand */
	uint32_t *touched, ntouched;
};

static void tally_queue(const struct acd *a, uint32_t q, struct tally *t)
{
	uint32_t k, j;

	t->ntouched = 0;
	for (k = t->off[q]; k < t->off[q + 1]; k++) {
		const struct acd_agent *ag = &a->agent[t->agent[k]];

		for (j = 0; j < ag->nmem; j++) {
			uint32_t r = ag->mem[j].queue->idx;

			if (r == q)
				continue;
			if (!t->count[r]++)
				t->touched[t->ntouched++] = r;
		}
	}
}

/* the agents of every queue, from the agents' member lists */
static int index_members(const struct acd *a, struct tally *t)
{
	uint32_t nq = a->cfg->nqueues, q, g, j, n = 0;

	t->off = calloc(nq + 1, sizeof(*t->off));
	for (q = 0; q < nq; q++)
		n += a->queue[q].nmembers;
	t->agent = malloc((n ? n : 1) * sizeof(*t->agent));
	if (!t->off || !t->agent)
		return -ENOMEM;
	for (q = 0; q < nq; q++)
		t->off[q + 1] = t->off[q] + a->queue[q].nmembers;
	/* t->count as each queue's fill pointer for now */
	for (g = 0; g < a->cfg->nagents; g++) {
		for (j = 0; j < a->agent[g].nmem; j++) {
			q = a->agent[g].mem[j].queue->idx;
			t->agent[t->off[q] + t->count[q]++] = g;
		}
	}
	for (q = 0; q < nq; q++)
		t->count[q] = 0;
	return 0;
}

/* keep the ACD_SHARE_MAX heaviest neighbours (ties: lower queue index) */
static void keep(struct acd_queue *q, uint32_t r, uint32_t w)
{
	uint32_t i = q->nshare;

	if (i == ACD_SHARE_MAX) {
		if (w <= q->share[i - 1].w_permille)
			return;
		i--;
	} else {
		q->nshare++;
	}
	while (i > 0 && q->share[i - 1].w_permille < w) {
		q->share[i] = q->share[i - 1];
		i--;
	}
	q->share[i].q = r;
	q->share[i].w_permille = w;
}

int acd_share_build(struct acd *a)
{
	uint32_t nq = a->cfg->nqueues, q, i;
	struct tally t = { 0 };
	int ret = -ENOMEM;

	t.count = calloc(nq ? nq : 1, sizeof(*t.count));
	t.touched = calloc(nq ? nq : 1, sizeof(*t.touched));
	if (!t.count || !t.touched)
		goto out;
	ret = index_members(a, &t);
	if (ret)
		goto out;
	for (q = 0; q < nq; q++) {
		tally_queue(a, q, &t);
		for (i = 0; i < t.ntouched; i++) {
			uint32_t r = t.touched[i];
			uint32_t w = (uint32_t)((uint64_t)t.count[r] * 1000 / a->queue[r].nmembers);

			if (w >= ACD_SHARE_MIN_PERMILLE)
				keep(&a->queue[q], r, w);
			t.count[r] = 0;
		}
	}
out:
	free(t.off);
	free(t.agent);
	free(t.count);
	free(t.touched);
	return ret;
}

/* thousandths of calls of the neighbour queues ahead of key (k1, k2) */
uint64_t acd_share_ahead(const struct acd *a, const struct acd_queue *q, uint64_t k1, uint64_t k2)
{
	uint64_t milli = 0;
	uint32_t i, t, n;

	for (i = 0; i < q->nshare; i++) {
		const struct acd_queue *r = &a->queue[q->share[i].q];

		if (!r->nwaiting)
			continue;
		for (n = 0, t = 0; t < r->cfg->ntiers; t++)
			n += acd_tree_count_less(&r->wait[t], k1, k2);
		milli += (uint64_t)n * q->share[i].w_permille;
	}
	return milli;
}
