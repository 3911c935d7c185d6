// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tdmxd cross-worker rings (see xring.h).
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "xring.h"

#define CACHE_LINE	64

struct xring {
	/* the producer's line: head (published), its view of tail */
	uint64_t head __attribute__((aligned(CACHE_LINE)));
	uint64_t tail_seen;
	uint64_t overruns;
	/* the consumer's line */
	uint64_t tail __attribute__((aligned(CACHE_LINE)));
	uint64_t head_seen;
	/* read-only after xring_new() */
	unsigned int cap __attribute__((aligned(CACHE_LINE)));
	unsigned int elem;
	uint8_t *data;
};

int xring_new(struct xring **rp, unsigned int cap, unsigned int elem)
{
	struct xring *r;

	if (cap < 2 || (cap & (cap - 1)) || !elem || elem > XRING_MAX_ELEM)
		return -EINVAL;
	r = aligned_alloc(CACHE_LINE, sizeof(*r));
	if (!r)
		return -ENOMEM;
	memset(r, 0, sizeof(*r));
	r->data = calloc(cap, elem);
	if (!r->data) {
		free(r);
		return -ENOMEM;
	}
	r->cap = cap;
	r->elem = elem;
	*rp = r;
	return 0;
}

/* once neither side uses it any more (the engine hands it over by loop_call) */
void xring_free(struct xring *r)
{
	if (!r)
		return;
	free(r->data);
	free(r);
}

unsigned int xring_cap(const struct xring *r)
{
	return r->cap;
}

int xring_push(struct xring *r, const void *e)
{
	uint64_t head = r->head;	/* ours: a plain read */

	if (head - r->tail_seen >= r->cap) {
		/* acquire: the consumer's reads of the slot we are about to
		 * reuse happened before it published this tail */
		r->tail_seen = __atomic_load_n(&r->tail, __ATOMIC_ACQUIRE);
		if (head - r->tail_seen >= r->cap) {
			__atomic_add_fetch(&r->overruns, 1, __ATOMIC_RELAXED);
			return -ENOBUFS;
		}
	}
	memcpy(r->data + (head & (r->cap - 1)) * r->elem, e, r->elem);
	/* release: the element's bytes are visible before the new head */
	__atomic_store_n(&r->head, head + 1, __ATOMIC_RELEASE);
	return 0;
}

uint64_t xring_overruns(const struct xring *r)
{
	return __atomic_load_n(&r->overruns, __ATOMIC_RELAXED);
}

unsigned int xring_count(const struct xring *r)
{
	/* acquire: pairs with the release in xring_push(), so every element
	 * below this head can be read */
	uint64_t head = __atomic_load_n(&r->head, __ATOMIC_ACQUIRE);

	return (unsigned int)(head - r->tail);
}

/* publish a new tail: release, so the producer reuses the slots only
 * after our reads of them */
static void advance(struct xring *r, unsigned int n)
{
	__atomic_store_n(&r->tail, r->tail + n, __ATOMIC_RELEASE);
}

int xring_pop(struct xring *r, void *e)
{
	/* head_seen may lag behind a tail that xring_take() advanced */
	if (r->head_seen <= r->tail) {
		r->head_seen = __atomic_load_n(&r->head, __ATOMIC_ACQUIRE);
		if (r->head_seen == r->tail)
			return -EAGAIN;
	}
	memcpy(e, r->data + (r->tail & (r->cap - 1)) * r->elem, r->elem);
	advance(r, 1);
	return 0;
}

void xring_discard(struct xring *r, unsigned int n)
{
	unsigned int have = xring_count(r);

	advance(r, n < have ? n : have);
}

/* the consumer is primed: keep exactly @n + prime waiting, drop the rest */
static unsigned int prime(struct xring *r, struct xring_jb *jb, unsigned int have, unsigned int n)
{
	jb->primed = 1;
	jb->trimmed = 0;
	jb->window = 0;
	jb->lowest = UINT_MAX;
	if (have > n + jb->prime) {
		xring_discard(r, have - n - jb->prime);
		have = n + jb->prime;
	}
	return have;
}

/*
 * The level @left stays after this take: watch the lowest; at the end of
 * the first window after priming, drop what the lowest kept beyond the reserve an on-time
 * producer needs (prime - batch). Dropped before this take's elements
 * are copied: the oldest go, the take reads the ones after them.
 */
static void trim(struct xring *r, struct xring_jb *jb, unsigned int left, unsigned int got)
{
	unsigned int floor = jb->prime - jb->batch, excess;

	if (!jb->batch || jb->batch > jb->prime || jb->trimmed)
		return;
	if (left < jb->lowest)
		jb->lowest = left;
	jb->window += got;
	if (jb->window < XRING_JB_WINDOW)
		return;
	excess = jb->lowest > floor ? jb->lowest - floor : 0;
	if (excess > left)
		excess = left;
	if (excess) {
		xring_discard(r, excess);
		jb->dropped += excess;
		jb->trims++;
	}
	/* once: later windows would only turn lateness seen in one window
	 * into a trim in the next (a glitch each time) */
	jb->trimmed = 1;
}

/**
 * xring_take() - n elements through the jitter buffer (consumer side)
 * @r: the ring
 * @jb: the consumer's jitter buffer state
 * @dst: element i goes to @dst + i * @stride
 * @stride: bytes between elements in @dst
 * @n: elements wanted
 * @fill: an element for what the ring cannot give (silence)
 *
 * The rules and why they hold are in xring.h.
 *
 * Return: elements taken from the ring (the others are @fill).
 */
unsigned int xring_take(struct xring *r, struct xring_jb *jb, void *dst, size_t stride,
			unsigned int n, const void *fill)
{
	unsigned int have = xring_count(r), i, got = 0;
	uint8_t *d = dst;

	if (!jb->primed) {
		if (have >= n + jb->prime)
			have = prime(r, jb, have, n);
	} else if (have > n + jb->high) {
		/* more waits than a producer's lag at priming can explain:
		 * the consumer lost blocks (or the clocks drift) */
		xring_discard(r, have - n - jb->prime);
		jb->dropped += have - n - jb->prime;
		jb->slips++;
		have = n + jb->prime;
		/* as at priming: the lag of this moment is in the delay */
		jb->trimmed = 0;
		jb->window = 0;
		jb->lowest = UINT_MAX;
	}
	if (jb->primed) {
		got = have < n ? have : n;
		if (got < n) {
			/* the producer is late by more than the reserve (or lost
			 * blocks): prime again, which keeps exactly the reserve of
			 * what its catch-up brings, so no slip follows */
			jb->underruns++;
			jb->primed = 0;
		} else {
			trim(r, jb, have - got, got);
		}
	}
	for (i = 0; i < got; i++)
		memcpy(d + i * stride, r->data + ((r->tail + i) & (r->cap - 1)) * r->elem,
		       r->elem);
	if (got)
		advance(r, got);
	for (; i < n; i++)
		memcpy(d + i * stride, fill, r->elem);
	return got;
}
