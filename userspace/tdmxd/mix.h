/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tdmxd mixing graph: who hears whom, computed block by block straight in
 * the span rings.
 *
 * Ports (media.h: span * 32 + timeslot, span from 1) each have a law (A-law
 * unless set). A port is in at most one of:
 *
 *   bridge      mix_bridge(a, b): a hears b and b hears a. Same law: the
 *               octets are copied bit-exact, never decoded. Different laws:
 *               one A<->mu table lookup per octet (g711.h).
 *   conference  mix_conf_join(id, p, talk, listen). The conference sums its
 *               talkers once per sample in 32 bits; a listener that talks
 *               gets the sum minus its own contribution, clamped to int16
 *               and encoded in its law; listeners that do not talk hear the
 *               whole sum, encoded once per law and copied to each of them.
 *               Members that do not talk are not visited by the sum.
 *   supervisor  mix_supervise(s, agent, caller, mode) on an existing bridge
 *               agent <-> caller:
 *                 LISTEN   s hears agent + caller; agent and caller hear
 *                          each other as before (bit-exact); nobody hears s
 *                 WHISPER  s hears agent + caller; the agent hears caller +
 *                          s; the caller hears only the agent
 *                 BARGE    each of the three hears the other two
 *               Calling it again with another mode switches live.
 *
 * Taps: mix_conf_tap() hands a conference's 32-bit sum of every block to
 * a callback (the recorder), right after the sum is made, so a recording
 * of the conference costs no second sum. Inside the callback,
 * mix_conf_talker_block() gives a talking member's decoded input of that
 * block (the part of the sum that is its own).
 *
 * Ownership: the mixer writes the tx octets of the ports it owns, and no
 * others: bridged ports, supervisors, and conference members that listen
 * (mix_port_owned()). Everything else (free ports, conference members with
 * listen off) is left for prompts and tones to write. An owned port with
 * nothing to hear gets the silence of its law.
 *
 * Timing rule: mix_process() computes output block k of every owned port
 * from input block k of the ports it hears, and from nothing else: no audio
 * is kept between blocks, so no delay is added and no block is dropped or
 * repeated. A graph change made between two mix_process() calls applies
 * from the first block of the next call, for every port at once (all
 * blocks of one call use one graph). So a mode switch is a clean cut at a
 * block boundary: the old mix up to block k - 1, the new one from block k,
 * and the parts of the mix that both have (the caller in the agent's ear,
 * say) continue sample for sample.
 *
 * Processing works on the span rings as mmap'ed from /dev/tdmx/span/<n>
 * (include/uapi/linux/tdmx.h: blocks of [32 timeslots][8 octets], 1 ms
 * each). The caller hands over every span of the mixer at once, so that a
 * bridge across spans sees both sides' block k (processing span by span
 * could only offer a peer's block k - 1 to the span done first). A ring of
 * one block also works, e.g. to hand over the blocks a per-span callback
 * collected once every span of the mixer has delivered block k. Spans
 * missing from the io (or with rx NULL) read as silence; with tx NULL their
 * ports are not written.
 *
 * Not thread-safe: one struct mix per worker thread, used only by it. A
 * bridge or conference can join ports of the spans that worker owns; the
 * daemon must shard spans so that connected ports share a worker.
 *
 * Errors: -EINVAL bad argument (port out of range, bad law or mode, a port
 * given twice), -EBUSY port already in the graph (or bridge already
 * supervised), -ENOENT port not in the role the call needs or unknown
 * conference, -ENOTCONN agent and caller are not bridged to each other,
 * -ENOSPC conference full or no conference left, -ENOMEM. A call that fails
 * leaves the graph as it was.
 */
#ifndef TDMXD_MIX_H
#define TDMXD_MIX_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/tdmx.h>

#include "media.h"

/* the largest max_ports of mix_new() (spans 1..32767) */
#define MIX_MAX_PORTS	(1u << 20)

enum mix_sup_mode {
	MIX_SUP_LISTEN = 1,
	MIX_SUP_WHISPER = 2,
	MIX_SUP_BARGE = 3,
};

/**
 * struct mix_ring - one span's rings for one mix_process() call
 * @rx: rx ring, @blocks x TDMX_RING_BLOCK_BYTES octets (NULL: span absent,
 *	its ports send silence)
 * @tx: tx ring, same layout (NULL: its ports are not written)
 * @blocks: blocks in each ring: TDMX_RING_BLOCKS for the span device, 1
 *	to hand over single blocks, or anything for buffers of one's own
 * @first: ring index of the call's first rx block; rx block b of the call
 *	is at index (first + b) % blocks
 * @ahead: the tx block that answers rx block b is at index
 *	(first + b + ahead) % blocks: 0 as in the uapi (tx block seq answers
 *	rx block seq), more to give the kernel extra slack
 */
struct mix_ring {
	const uint8_t *rx;
	uint8_t *tx;
	uint32_t blocks;
	uint32_t first;
	uint32_t ahead;
};

/**
 * struct mix_io - the spans of one mix_process() call
 * @span: indexed by span number (entry 0 unused)
 * @nspans: entries in @span; spans from @nspans up are absent
 */
struct mix_io {
	const struct mix_ring *span;
	unsigned int nspans;
};

/* counters since mix_new(), in samples (octets) unless named otherwise */
struct mix_stats {
	uint64_t blocks;	/* 1 ms blocks processed */
	uint64_t copied;	/* same-law bridge paths, bit-exact */
	uint64_t transcoded;	/* A<->mu bridge paths */
	uint64_t summed;	/* samples decoded into a sum */
	uint64_t encoded;	/* samples encoded from a sum */
};

struct mix;

/* Ports 32 (span 1, ts 0) to max_ports - 1. NULL: no memory, or max_ports
 * below 64 or above MIX_MAX_PORTS. */
struct mix *mix_new(unsigned int max_ports);
void mix_free(struct mix *m);

int mix_set_law(struct mix *m, media_port p, enum media_law law);
int mix_set_span_law(struct mix *m, unsigned int span, enum media_law law);
/* the port's law, or -EINVAL */
int mix_port_law(const struct mix *m, media_port p);

int mix_bridge(struct mix *m, media_port a, media_port b);
/* Either side. A supervisor of the bridge is released with it. */
int mix_unbridge(struct mix *m, media_port p);
/* p's bridge peer (agent <-> caller too), or -ENOENT */
int mix_peer(const struct mix *m, media_port p);

/* A new, empty conference: its id (> 0). max_members 0: no limit. */
int mix_conf_new(struct mix *m, unsigned int max_members);
/* Every member leaves, then the id is freed (and may be given again). */
int mix_conf_del(struct mix *m, int id);
int mix_conf_join(struct mix *m, int id, media_port p, bool talk, bool listen);
/* change a member's flags (mute, deafen) */
int mix_conf_set(struct mix *m, media_port p, bool talk, bool listen);
int mix_conf_leave(struct mix *m, media_port p);
/* p's conference id, or -ENOENT */
int mix_conf_of(const struct mix *m, media_port p);

/*
 * A conference's tap: called by mix_process() once per block, after the
 * sum of the conference's talkers (@sum: BLK = TDMX_RING_FRAMES samples,
 * not clamped) and before its members' tx is written. It must not change
 * the graph. mix_conf_tap(m, id, NULL, NULL) removes it; mix_conf_del()
 * too.
 */
typedef void (*mix_tap_fn)(void *arg, const int32_t *sum);
int mix_conf_tap(struct mix *m, int id, mix_tap_fn fn, void *arg);
/* during a tap callback: p's decoded input of this block if p talks in a
 * conference, else NULL */
const int16_t *mix_conf_talker_block(const struct mix *m, media_port p);

/* New supervision, or a mode change for the same (sup, agent, caller). */
int mix_supervise(struct mix *m, media_port sup, media_port agent, media_port caller,
		  enum mix_sup_mode mode);
int mix_unsupervise(struct mix *m, media_port sup);

/* Whether mix_process() writes p's tx octets. */
bool mix_port_owned(const struct mix *m, media_port p);

/*
 * Process nblk consecutive 1 ms blocks of every span. Each present span
 * needs nblk <= blocks, first < blocks and ahead < blocks. Returns 0 or
 * -EINVAL (then nothing was written).
 */
int mix_process(struct mix *m, const struct mix_io *io, unsigned int nblk);

void mix_get_stats(const struct mix *m, struct mix_stats *st);

/* A mix_ring for the mapping of a span device, from rx block seq. */
static inline struct mix_ring mix_ring_of_map(void *map, uint64_t seq, unsigned int ahead)
{
	struct mix_ring r = {
		.rx = (const uint8_t *)map + TDMX_RING_RX_OFFSET,
		.tx = (uint8_t *)map + TDMX_RING_TX_OFFSET,
		.blocks = TDMX_RING_BLOCKS,
		.first = (uint32_t)(seq % TDMX_RING_BLOCKS),
		.ahead = ahead,
	};

	return r;
}

#endif /* TDMXD_MIX_H */
