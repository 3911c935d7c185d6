/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tdmxd DTMF: digit events with time stamps over spandsp's dtmf_rx, and a
 * generator over dtmf_tx. (Our names are dtmf_det_* and dtmf_gen_*:
 * spandsp exports dtmf_rx_free, dtmf_tx_free and dtmf_tx_put, and a
 * function of ours with such a name would replace spandsp's at link time.)
 *
 * Receiver. spandsp decides on Goertzel blocks of DTMF_BLOCK (102)
 * samples and wants two agreeing blocks to change state, so its decisions
 * come 25..38 ms after a tone starts and 15..28 ms after it ends. The
 * wrapper feeds it up to block boundaries (at most three calls per 20 ms
 * frame, no work per sample), so it knows which block decided, and turns
 * that into the sample time where the tone began and ended:
 *
 *  - with min_on_ms > 0 (default 40) it keeps the last DTMF_HIST samples
 *    (one memcpy per frame) and places both edges on the signal's
 *    envelope (32-sample windows, half the tone's power): within 8
 *    samples for every digit at every alignment. A digit is reported only
 *    once it has lasted min_on_ms (less 2.5 ms of measurement tolerance):
 *    ITU-T Q.24 wants 40 ms tones accepted, shorter ones may be rejected,
 *    and spandsp alone accepts some 25 ms ones. DTMF_DIGIT_START then
 *    comes min_on_ms..min_on_ms + 13 ms after the tone began (later if the
 *    envelope dips, at the tone's end at the latest).
 *  - with min_on_ms = 0 no history is kept: DTMF_DIGIT_START comes when
 *    spandsp decides, and the edges are block estimates (+-52 samples).
 *
 * Every digit gives exactly one DTMF_DIGIT_START and one DTMF_DIGIT_END
 * (with start and end); digits that do not last are reported not at all.
 * Times are on the caller's clock: dtmf_det_feed() gets the time of its
 * first sample (e.g. the port's running sample count), and events may lie
 * up to a few blocks before the chunk that reports them. The events do
 * not depend on how the audio is cut into chunks.
 *
 * One struct dtmf_det per port, used by one thread; dsp_init() first. The
 * callback runs inside dtmf_det_feed() and must not free the receiver.
 */
#ifndef TDMXD_DTMF_H
#define TDMXD_DTMF_H

#include <stdbool.h>
#include <stdint.h>

#define DTMF_BLOCK		102	/* spandsp's Goertzel block */
#define DTMF_HIST		1024	/* samples kept for the edges */
#define DTMF_MIN_ON_MS		40
#define DTMF_MAX_MIN_ON_MS	100
#define DTMF_DIGITS		"123A456B789C*0#D"
#define DTMF_GEN_QUEUE		128	/* spandsp's MAX_DTMF_DIGITS */

/**
 * struct dtmf_det_config - receiver settings
 * @min_on_ms: shortest tone reported, 0..DTMF_MAX_MIN_ON_MS; 0: as spandsp
 *	decides, no history, block-accurate times
 * @threshold_dbm0: weakest tone accepted, per frequency; 0: spandsp's
 *	default (-42 dBm0)
 * @twist_db: normal twist accepted (high group weaker); 0: default 8 dB
 * @reverse_twist_db: reverse twist accepted; 0: default 4 dB
 * @filter_dialtone: notch 350 and 440 Hz out first (US dial tone)
 */
struct dtmf_det_config {
	int min_on_ms;
	int threshold_dbm0;
	int twist_db;
	int reverse_twist_db;
	bool filter_dialtone;
};

#define DTMF_DET_CONFIG_DEFAULT { .min_on_ms = DTMF_MIN_ON_MS }

enum dtmf_event_type {
	DTMF_DIGIT_START,
	DTMF_DIGIT_END,
};

/**
 * struct dtmf_event - a digit began or ended
 * @type: DTMF_DIGIT_START or DTMF_DIGIT_END
 * @digit: '0'..'9', '*', '#', 'A'..'D'
 * @level_dbm0: power of the tone pair when spandsp confirmed it
 * @start: sample time of the tone's first sample
 * @end: DTMF_DIGIT_END: sample time just after its last sample; else 0
 */
struct dtmf_event {
	enum dtmf_event_type type;
	char digit;
	int level_dbm0;
	uint64_t start;
	uint64_t end;
};

typedef void (*dtmf_event_fn)(void *arg, const struct dtmf_event *ev);

/**
 * struct dtmf_det_stats - counters since dtmf_det_new()
 * @digits: digits reported
 * @too_short: tones spandsp confirmed that did not last min_on_ms
 */
struct dtmf_det_stats {
	uint64_t digits;
	uint64_t too_short;
};

struct dtmf_det;

/* @cfg NULL: DTMF_DET_CONFIG_DEFAULT. NULL on bad config, no memory, or
 * before dsp_init(). */
struct dtmf_det *dtmf_det_new(const struct dtmf_det_config *cfg, dtmf_event_fn fn, void *arg);
void dtmf_det_free(struct dtmf_det *rx);

/* Forget any digit in progress, without reporting it (new call) */
void dtmf_det_reset(struct dtmf_det *rx);

/* @ts: sample time of x[0]; any n >= 0 */
void dtmf_det_feed(struct dtmf_det *rx, const int16_t *x, int n, uint64_t ts);

void dtmf_det_get_stats(const struct dtmf_det *rx, struct dtmf_det_stats *st);

/*
 * Generator: queued digits at a level per frequency (the low group at
 * @level_dbm0, the high group @twist_db above it), @on_ms tone and
 * @off_ms silence each.
 */
struct dtmf_gen;

struct dtmf_gen *dtmf_gen_new(int level_dbm0, int twist_db, int on_ms, int off_ms);
void dtmf_gen_free(struct dtmf_gen *tx);

/* Queue digits (DTMF_DIGITS); returns how many, or (nothing queued)
 * -EINVAL for a bad digit, -ENOSPC past DTMF_GEN_QUEUE waiting digits. */
int dtmf_gen_put(struct dtmf_gen *tx, const char *digits);

/* Up to @n samples of the queued digits; returns how many, the rest of
 * @out is zeros; 0 when the queue is empty. */
int dtmf_gen_generate(struct dtmf_gen *tx, int16_t *out, int n);

#endif /* TDMXD_DTMF_H */
