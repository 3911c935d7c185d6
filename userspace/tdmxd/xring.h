/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tdmxd cross-worker rings: how audio of one port crosses from one media
 * worker thread to another without a lock.
 *
 * struct xring is a single-producer, single-consumer ring of fixed-size
 * elements (for the engine: the 8 octets one timeslot carries in one 1 ms
 * block). The producer thread owns @head, the consumer thread owns @tail;
 * each publishes its counter with a release store and reads the other's
 * with an acquire load, so an element's bytes are visible to the consumer
 * before the head that covers them, and the producer never overwrites an
 * element before the consumer's tail says it was read. The counters are
 * 64-bit and never wrap in practice; index = counter & (cap - 1). Each
 * side keeps its counter on its own cache line.
 *
 * struct xring_jb is the consumer's jitter buffer over a ring (consumer
 * state only): the two workers wake on their own spans' schedules, so the
 * consumer keeps a reserve of @prime elements (the producer's batch, one
 * wake interval, plus the configured jitter) before it plays anything out:
 *   - not primed: xring_take() gives the fill element and consumes nothing
 *     until n + prime elements wait, then it is primed;
 *   - primed: it takes n elements; if fewer wait (the producer stalled), it
 *     takes what there is, fills the rest, counts an underrun and primes
 *     again; if more than n + high wait (the producer's clock runs fast, or
 *     the consumer stalled), it drops the oldest down to n + prime (a slip,
 *     counted).
 * So the audio is bit-exact and gap-free in the steady state, with a fixed
 * extra delay of prime to prime + batch elements, decided at priming.
 *
 * Functions return 0 or a negative errno.
 */
#ifndef TDMXD_XRING_H
#define TDMXD_XRING_H

#include <stddef.h>
#include <stdint.h>

#define XRING_MAX_ELEM	256	/* largest element, bytes */

struct xring;

struct xring_jb {
	unsigned int prime;	/* reserve kept once primed, elements */
	unsigned int high;	/* reserve beyond which the oldest are dropped */
	int primed;
	uint64_t underruns;
	uint64_t slips;
	uint64_t dropped;	/* elements dropped by slips */
};

/* @cap: a power of two >= 2; @elem: 1..XRING_MAX_ELEM bytes */
int xring_new(struct xring **rp, unsigned int cap, unsigned int elem);
void xring_free(struct xring *r);
unsigned int xring_cap(const struct xring *r);

/* producer side */
int xring_push(struct xring *r, const void *e);	/* -ENOBUFS when full */
uint64_t xring_overruns(const struct xring *r);	/* pushes refused as full */

/* consumer side */
unsigned int xring_count(const struct xring *r);
int xring_pop(struct xring *r, void *e);		/* -EAGAIN when empty */
void xring_discard(struct xring *r, unsigned int n);
unsigned int xring_take(struct xring *r, struct xring_jb *jb, void *dst, size_t stride,
			unsigned int n, const void *fill);

#endif /* TDMXD_XRING_H */
