// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tdmx-acdsim future-event list: a binary min-heap on (time, order). The
 * order is a counter taken at insertion, so events due at the same
 * millisecond happen in the order they were scheduled: the run does not
 * depend on the heap's internal layout.
 */
#include <errno.h>
#include <stdlib.h>

#include "acdsim.h"

static bool before(const struct sim_ev *x, const struct sim_ev *y)
{
	return x->time_ms != y->time_ms ? x->time_ms < y->time_ms : x->order < y->order;
}

static void swap(struct sim_ev *x, struct sim_ev *y)
{
	struct sim_ev t = *x;

	*x = *y;
	*y = t;
}

int sim_evq_push(struct sim_evq *q, uint64_t time_ms, enum sim_ev_kind kind, uint32_t a,
		 uint32_t b, uint32_t gen)
{
	struct sim_ev *nv;
	size_t i, ncap;

	if (q->n == q->cap) {
		ncap = q->cap ? q->cap * 2 : 256;
		nv = realloc(q->v, ncap * sizeof(*nv));
		if (!nv)
			return -ENOMEM;
		q->v = nv;
		q->cap = ncap;
	}
	i = q->n++;
	q->v[i] = (struct sim_ev){ .time_ms = time_ms, .order = q->next_order++, .kind = kind,
				   .a = a, .b = b, .gen = gen };
	while (i && before(&q->v[i], &q->v[(i - 1) / 2])) {
		swap(&q->v[i], &q->v[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
	return 0;
}

bool sim_evq_pop(struct sim_evq *q, struct sim_ev *ev)
{
	size_t i = 0, l, m;

	if (!q->n)
		return false;
	*ev = q->v[0];
	q->v[0] = q->v[--q->n];
	for (;;) {
		l = 2 * i + 1;
		m = i;
		if (l < q->n && before(&q->v[l], &q->v[m]))
			m = l;
		if (l + 1 < q->n && before(&q->v[l + 1], &q->v[m]))
			m = l + 1;
		if (m == i)
			break;
		swap(&q->v[i], &q->v[m]);
		i = m;
	}
	return true;
}

uint64_t sim_evq_next(const struct sim_evq *q)
{
	return q->n ? q->v[0].time_ms : UINT64_MAX;
}

void sim_evq_free(struct sim_evq *q)
{
	free(q->v);
	q->v = NULL;
	q->n = q->cap = 0;
}
