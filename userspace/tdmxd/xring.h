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
 * state only). Both workers process every block their spans delivered
 * when they wake, so a late consumer takes a larger n and finds as many
 * more elements: only the producer's lateness (relative to the
 * consumer's) can leave it short. With the producer's lag L (line blocks
 * the consumer processed that the producer has not pushed yet: up to one
 * producer batch B when on time), the level left after a take is
 * D - L, for a delay D fixed when the buffer primed. So:
 *   - not primed: xring_take() gives the fill element and consumes nothing
 *     until n + prime elements wait; then it keeps exactly n + prime (the
 *     surplus of a producer that started earlier goes) and is primed.
 *     D = prime + L0, L0 the lag at that moment (0 .. B + lateness);
 *   - primed: it takes n elements; if fewer wait (the producer is late
 *     by more than prime - B, or lost blocks), it takes what there is,
 *     fills the rest, counts an underrun and primes again. As priming
 *     keeps exactly n + prime, the late producer's catch-up burst does
 *     not become extra reserve. An earlier version kept all of it: the
 *     next on-time take then looked like a surplus, so a slip followed
 *     every underrun, and a buffer primed while its producer was late (or
 *     after the producer had run alone for a while) slipped with no
 *     further cause, as its slip limit (B + 8 ms above the reserve) was
 *     smaller than the lag a priming can catch;
 *   - more than n + high waiting means the consumer lost blocks (or the
 *     clocks drift): the oldest go down to n + prime (a slip, counted).
 *     high = prime + B + jitter covers the largest D a lag at priming
 *     can give, so slips never come from lateness within the budget.
 *   - trimming: D = prime + L0 is up to one batch more than the reserve
 *     needs. Once primed, the lowest level a take leaves is watched over
 *     XRING_JB_WINDOW elements: if it stayed above prime - B (the level
 *     an on-time producer at its worst phase leaves), the excess goes
 *     once, after the first window (not a slip: the delay shrinks to what the wake
 *     phases need, jitter included, and never below).
 * The audio is bit-exact and gap-free while the producer is not later
 * than the jitter budget; a later one costs exactly its missing blocks.
 *
 * Functions return 0 or a negative errno.
 */
#ifndef TDMXD_XRING_H
#define TDMXD_XRING_H

#include <stddef.h>
#include <stdint.h>

#define XRING_MAX_ELEM	256	/* largest element, bytes */
#define XRING_JB_WINDOW	64	/* elements watched before the delay trim (at
				 * least three wake intervals of 20 ms) */

struct xring;

struct xring_jb {
	unsigned int prime;	/* reserve kept once primed, elements */
	unsigned int high;	/* reserve beyond which the oldest are dropped */
	int primed;
	unsigned int batch;	/* the producer's batch B (0: no trimming) */
	unsigned int lowest;	/* lowest level left by a take in this window */
	unsigned int window;	/* elements taken in this window */
	int trimmed;
	uint64_t underruns;
	uint64_t slips;
	uint64_t dropped;	/* elements dropped: slips, late, trims */
	uint64_t trims;		/* delay trims (not slips) */
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
