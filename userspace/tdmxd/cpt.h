/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tdmxd call progress: which progress tone of a plan is on a line (dial,
 * busy, ringback, congestion), over spandsp's super_tone_rx.
 *
 * The detector of a plan matches frequencies and the whole cadence: a tone
 * is reported once a cycle fits the plan (on and off times within 20 % +
 * 20 ms), or as many cycles as it takes to tell it from the plan's other
 * tones of the same frequencies (call waiting included, which is never
 * reported itself). Measured: CN busy 1.4 s (two cycles, or call waiting
 * would look alike), CN congestion 1.3 s, CN ringback 4.2 s, ITU/US busy
 * 0.9 s, ITU congestion 1.5 s, US reorder 0.5 s, US ringback 5.2 s; a
 * steady tone once it outlasts every burst of the same frequencies (CN and
 * ITU dial 1.4 s, US dial 1.0 s). The end is reported when the cadence
 * breaks. Frequencies are resolved to about +-30 Hz (16 ms Goertzel
 * blocks): CN's 450 Hz and ITU's 425 Hz look alike.
 *
 * One struct cpt_rx per port that listens, used by one thread; the
 * descriptors it uses are built once by dsp_init() and shared read-only.
 * spandsp costs ~6 ns a sample.
 */
#ifndef TDMXD_CPT_H
#define TDMXD_CPT_H

#include <stdint.h>

#include "tone.h"

struct cpt_rx;

/*
 * @tone: the tone now recognised (never TONE_CALL_WAITING), or TONE_NONE
 * when the one reported
 * before has ended. @ts: sample time of the end of the cpt_rx_feed() chunk
 * in which it was decided.
 */
typedef void (*cpt_event_fn)(void *arg, enum tone_id tone, uint64_t ts);

/* NULL on no memory, before dsp_init(), or for a plan without tones */
struct cpt_rx *cpt_rx_new(const struct tone_plan *plan, cpt_event_fn fn, void *arg);
void cpt_rx_free(struct cpt_rx *rx);

/* Forget the line's history (new call on the port) */
void cpt_rx_reset(struct cpt_rx *rx);

/* @ts: sample time of x[0], on the caller's clock */
void cpt_rx_feed(struct cpt_rx *rx, const int16_t *x, int n, uint64_t ts);

/* The tone recognised now, TONE_NONE if none */
enum tone_id cpt_rx_tone(const struct cpt_rx *rx);

/* Called by dsp_init() / dsp_exit(): build and free the plans' descriptors. */
int cpt_init(void);
void cpt_exit(void);

#endif /* TDMXD_CPT_H */
