// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tdmxd cross-worker links (see xlink.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/tdmx.h>

#include "xlink.h"

/* the port's 8 octets of ring block (first + b) */
static inline size_t slot(const struct xlink *x, uint32_t first, unsigned int b)
{
	return ((first + b) % TDMX_RING_BLOCKS) * TDMX_RING_BLOCK_BYTES +
	       media_port_ts(x->port) * TDMX_RING_FRAMES;
}

static void jb_init(struct xring_jb *jb, unsigned int batch, unsigned int jitter_ms)
{
	/* a reserve of one producer wake interval plus the jitter, and room
	 * for the largest delay a lag at priming gives (xring.h) */
	jb->prime = batch + jitter_ms;
	jb->high = jb->prime + batch + jitter_ms;
	jb->batch = batch;
}

int xlink_new(struct xlink **xp, media_port port, unsigned int law, unsigned int up_batch,
	      unsigned int down_batch, unsigned int jitter_ms)
{
	struct xlink *x = calloc(1, sizeof(*x));
	int ret;

	if (!x)
		return -ENOMEM;
	x->port = port;
	x->law = law;
	ret = xring_new(&x->up, XLINK_RING_BLOCKS, TDMX_RING_FRAMES);
	if (!ret)
		ret = xring_new(&x->down, XLINK_RING_BLOCKS, TDMX_RING_FRAMES);
	if (ret) {
		xlink_free(x);
		return ret;
	}
	jb_init(&x->up_jb, up_batch, jitter_ms);
	jb_init(&x->down_jb, down_batch, jitter_ms);
	/* one call takes at most TDMX_RING_BLOCKS blocks */
	if (x->up_jb.high + TDMX_RING_BLOCKS > XLINK_RING_BLOCKS ||
	    x->down_jb.high + TDMX_RING_BLOCKS > XLINK_RING_BLOCKS) {
		xlink_free(x);
		return -EINVAL;
	}
	*xp = x;
	return 0;
}

void xlink_free(struct xlink *x)
{
	if (!x)
		return;
	xring_free(x->up);
	xring_free(x->down);
	free(x);
}

/* take n blocks into ring blocks first.. of @ring (wrapping at its end) */
static void take(struct xring *r, struct xring_jb *jb, const struct xlink *x, uint8_t *ring,
		 uint32_t first, unsigned int nblk, uint8_t idle)
{
	uint8_t tmp[TDMX_RING_BLOCKS][TDMX_RING_FRAMES], fill[TDMX_RING_FRAMES];
	unsigned int b;

	memset(fill, idle, sizeof(fill));
	xring_take(r, jb, tmp, TDMX_RING_FRAMES, nblk, fill);
	for (b = 0; b < nblk; b++)
		memcpy(ring + slot(x, first, b), tmp[b], TDMX_RING_FRAMES);
}

static void push(struct xring *r, const struct xlink *x, const uint8_t *ring, uint32_t first,
		 unsigned int nblk)
{
	unsigned int b;

	/* a full ring (the consumer stopped) drops blocks: counted by xring */
	for (b = 0; b < nblk; b++)
		xring_push(r, ring + slot(x, first, b));
}

void xlink_home_blocks(struct xlink *x, const uint8_t *rx, uint8_t *scratch, uint32_t first,
		       unsigned int nblk, uint8_t idle)
{
	push(x->up, x, rx, first, nblk);
	take(x->down, &x->down_jb, x, scratch, first, nblk, idle);
}

void xlink_mixer_in(struct xlink *x, uint8_t *vrx, uint32_t first, unsigned int nblk,
		    uint8_t idle)
{
	take(x->up, &x->up_jb, x, vrx, first, nblk, idle);
}

void xlink_mixer_out(struct xlink *x, const uint8_t *vtx, uint32_t first, unsigned int nblk)
{
	push(x->down, x, vtx, first, nblk);
}
