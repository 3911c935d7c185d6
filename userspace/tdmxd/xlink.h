/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tdmxd cross-worker links: one port mixed on another worker than the one
 * that owns its span (a bridge, conference or supervision across workers).
 *
 * The port's span lives on its "home" worker; the bridge or conference it
 * is in lives on the "mixer" worker (the worker of the bridge's first port,
 * or the conference's). Two xrings (xring.h) of 8-octet elements, one per
 * 1 ms block, join them:
 *
 *   up    home -> mixer: the port's rx. The home worker pushes its blocks
 *         after it processed them; the mixer takes them through its jitter
 *         buffer into a stand-in span ring ("remote span") that its mixing
 *         graph reads like any span's rx, so mix.c, recordings and
 *         supervisor modes need no change.
 *   down  mixer -> home: what the port hears, taken by the mixer from the
 *         stand-in span's tx; the home worker takes it through its jitter
 *         buffer into the tx block it sends, after its own players and
 *         mixer ran (the port is reserved for the link on its home worker:
 *         nothing else plays to it).
 *
 * Latency: each direction adds what its jitter buffer holds once its
 * priming lag is trimmed (xring.h): jitter_ms plus the phase between the
 * two workers' wakes, so jitter_ms to jitter_ms + one wake interval more
 * than a bridge on one worker; the audio is bit-exact all the same.
 *
 * Threads: a link's home fields are touched by the home worker only, its
 * mixer fields by the mixer worker only; the control thread creates it,
 * hands it to the home worker and then the mixer (loop_call(), whose
 * queue orders the hand-over), and frees it through the home worker once
 * the mixer let go. No lock on the media path.
 */
#ifndef TDMXD_XLINK_H
#define TDMXD_XLINK_H

#include <stdbool.h>
#include <stdint.h>

#include "media.h"
#include "xring.h"

#define XLINK_RING_BLOCKS	256	/* 256 ms each way */

struct xlink {
	media_port port;
	unsigned int law;
	struct xring *up;
	struct xring *down;
	struct xring_jb up_jb;		/* the mixer's */
	struct xring_jb down_jb;	/* the home worker's */
	void *home;			/* struct eng_group * */
	void *mixer;
	unsigned int home_idx;		/* the home's worker number */
	void *eng;			/* struct eng * */
	struct xlink *enext;		/* the engine's list of links (its lock) */
	bool refused;			/* the home worker had the port busy */
	bool home_attached;		/* home worker only */
	bool rehoming;			/* its span moved: on its way (control) */
	unsigned int rehome_idx;
	struct xlink *hnext;		/* home worker only */
	struct xlink *mnext;		/* mixer worker only */
};

/*
 * @up_batch, @down_batch: the wake interval (ms) of the worker that
 * produces into each ring; @jitter_ms: the configured jitter.
 */
int xlink_new(struct xlink **xp, media_port port, unsigned int law, unsigned int up_batch,
	      unsigned int down_batch, unsigned int jitter_ms);
void xlink_free(struct xlink *x);

/*
 * Home side, once per processing call of @nblk blocks, after the home
 * worker's mixer and players wrote @scratch: push rx blocks first ..
 * first + nblk - 1 of @rx (a span ring, TDMX_RING_BLOCKS blocks) up, and
 * take as many down into the same blocks of @scratch (@idle when the
 * mixer has nothing yet).
 */
void xlink_home_blocks(struct xlink *x, const uint8_t *rx, uint8_t *scratch, uint32_t first,
		       unsigned int nblk, uint8_t idle);

/* Mixer side, before its mixer runs: take @nblk blocks up into @vrx. */
void xlink_mixer_in(struct xlink *x, uint8_t *vrx, uint32_t first, unsigned int nblk,
		    uint8_t idle);
/* Mixer side, after it: push the port's tx of those blocks down. */
void xlink_mixer_out(struct xlink *x, const uint8_t *vtx, uint32_t first, unsigned int nblk);

#endif /* TDMXD_XLINK_H */
