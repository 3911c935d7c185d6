// SPDX-License-Identifier: GPL-2.0-or-later
/* Deadline heap of the ACD engine (acd_timer.h): sift up/down on (when, tie). */
#include <errno.h>
#include <stdlib.h>

#include "acd_timer.h"

void acd_timer_init(struct acd_timer *t, uint64_t tie)
{
	t->when = 0;
	t->tie = tie;
	t->slot = ACD_TIMER_IDLE;
}

static bool before(const struct acd_timer *a, const struct acd_timer *b)
{
	return a->when < b->when || (a->when == b->when && a->tie < b->tie);
}

static void put(struct acd_heap *h, uint32_t i, struct acd_timer *t)
{
	h->v[i] = t;
	t->slot = i;
}

static void sift_up(struct acd_heap *h, uint32_t i)
{
	struct acd_timer *t = h->v[i];

	while (i > 0 && before(t, h->v[(i - 1) / 2])) {
		put(h, i, h->v[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
	put(h, i, t);
}

static void sift_down(struct acd_heap *h, uint32_t i)
{
	struct acd_timer *t = h->v[i];
	uint32_t c;

	for (;;) {
		c = 2 * i + 1;
		if (c >= h->n)
			break;
		if (c + 1 < h->n && before(h->v[c + 1], h->v[c]))
			c++;
		if (!before(h->v[c], t))
			break;
		put(h, i, h->v[c]);
		i = c;
	}
	put(h, i, t);
}

int acd_heap_arm(struct acd_heap *h, struct acd_timer *t, uint64_t when)
{
	struct acd_timer **v;
	uint32_t cap;

	if (acd_timer_armed(t)) {
		t->when = when;
		sift_up(h, t->slot);
		sift_down(h, t->slot);
		return 0;
	}
	if (h->n == h->cap) {
		cap = h->cap ? h->cap * 2 : 64;
		v = realloc(h->v, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		h->v = v;
		h->cap = cap;
	}
	t->when = when;
	put(h, h->n++, t);
	sift_up(h, t->slot);
	return 0;
}

void acd_heap_disarm(struct acd_heap *h, struct acd_timer *t)
{
	uint32_t i = t->slot;
	struct acd_timer *m;

	if (!acd_timer_armed(t))
		return;
	t->slot = ACD_TIMER_IDLE;
	if (i == --h->n)
		return;
	m = h->v[h->n];		/* the last one fills the hole, then settles */
	put(h, i, m);
	sift_up(h, i);
	sift_down(h, m->slot);
}

struct acd_timer *acd_heap_top(const struct acd_heap *h)
{
	return h->n ? h->v[0] : NULL;
}

void acd_heap_free(struct acd_heap *h)
{
	free(h->v);
	h->v = NULL;
	h->n = h->cap = 0;
}
