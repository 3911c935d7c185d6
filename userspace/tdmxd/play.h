/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tdmxd playback: what a port hears from the daemon itself.
 *
 * A struct player (one per port) plays a queue of sequences. A sequence is
 * a list of items (a prompt, a tone of a plan, silence) played back to
 * back with no gap, once or looped (music on hold) until stopped; the next
 * sequence follows on the next sample. Each sequence ends exactly once,
 * through its completion callback:
 *
 *   PLAY_DONE     it ran out (never for a loop)
 *   PLAY_STOPPED  play_stop() or play_cancel()
 *   PLAY_BARGED   play_dtmf() while an item that allows barge-in played
 *
 * Barge-in ends the whole current sequence (the rest of a menu must not
 * play on after the caller pressed a key), and only when the item playing
 * allows it; queued sequences stay. Stops and barge-in take effect at the
 * next play_generate(): the daemon calls them between blocks, so audio
 * already generated is not taken back.
 *
 * play_generate() writes linear samples; play_generate_law() writes
 * G.711, copying a prompt cached in that law as it is (a prompt is coded
 * once at load, not per port). Neither allocates; completion callbacks run
 * inside them, at the sample where the sequence ended, and may queue,
 * cancel or stop (not free the player).
 *
 * One thread uses a player. Requires dsp_init() (for the tone generator).
 */
#ifndef TDMXD_PLAY_H
#define TDMXD_PLAY_H

#include <stdbool.h>
#include <stdint.h>

#include "media.h"
#include "prompt.h"
#include "tone.h"

enum play_kind {
	PLAY_PROMPT = 1,
	PLAY_TONE,
	PLAY_SILENCE,
};

/**
 * struct play_item - one step of a sequence
 * @kind: what it plays
 * @barge_in: DTMF (play_dtmf()) ends the sequence while this item plays
 * @samples: PLAY_SILENCE: its length. PLAY_TONE: its length, 0 = until
 *	stopped. PLAY_PROMPT: at most this much of the prompt, 0 = all of it.
 * @prompt: PLAY_PROMPT: the prompt (the player takes its own reference)
 * @plan: PLAY_TONE: the tone plan
 * @tone: PLAY_TONE: which tone of @plan
 */
struct play_item {
	enum play_kind kind;
	bool barge_in;
	uint32_t samples;
	struct prompt *prompt;
	const struct tone_plan *plan;
	enum tone_id tone;
};

/* play_enqueue() flags */
#define PLAY_LOOP	0x1	/* repeat the sequence until stopped */
#define PLAY_BARGE_IN	0x2	/* every item allows barge-in */

enum play_end {
	PLAY_DONE,
	PLAY_STOPPED,
	PLAY_BARGED,
};

/**
 * struct play_done - how a sequence ended
 * @id: what play_enqueue() returned
 * @why: PLAY_DONE, PLAY_STOPPED or PLAY_BARGED
 * @played: samples it produced, all loops included
 * @offset: PLAY_DONE: where in the block being generated it ended (the
 *	samples before it belong to it); -1 for the others
 */
struct play_done {
	uint32_t id;
	enum play_end why;
	uint64_t played;
	int offset;
};

typedef void (*play_done_fn)(void *arg, const struct play_done *d);

struct player;

/* NULL on no memory or before dsp_init() */
struct player *play_new(void);

/* Ends what is queued (PLAY_STOPPED, callbacks run) and frees; what those
 * callbacks queue is dropped without a callback. */
void play_free(struct player *pl);

/*
 * Queue a sequence of @n items. @fn (may be NULL) is called once when it
 * ends. Returns its id (> 0), or -EINVAL for an empty sequence or a bad
 * item (a prompt missing, a tone the plan lacks, an unknown kind), or
 * -ENOMEM.
 */
int play_enqueue(struct player *pl, const struct play_item *items, unsigned int n,
		 unsigned int flags, play_done_fn fn, void *arg);

/* End everything queued now, in queue order (PLAY_STOPPED) */
void play_stop(struct player *pl);

/* End one sequence (PLAY_STOPPED); -ENOENT if it is not queued */
int play_cancel(struct player *pl, uint32_t id);

/* A digit was detected: barge in. Returns true if a sequence ended. */
bool play_dtmf(struct player *pl);

/* Something is queued */
bool play_busy(const struct player *pl);

/* The sequence playing, 0 if none */
uint32_t play_current(const struct player *pl);

/*
 * Produce @n samples (any n >= 0). Returns how many came from sequences;
 * the rest of @out is silence. 0 means idle: nothing to mix.
 */
int play_generate(struct player *pl, int16_t *out, int n);

/* The same as G.711 octets in @law (idle fill: the law's silence code) */
int play_generate_law(struct player *pl, enum media_law law, uint8_t *out, int n);

#endif /* TDMXD_PLAY_H */
