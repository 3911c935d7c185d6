// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tdmxd DTMF: spandsp's dtmf_rx fed block by block, edges placed on the
 * envelope, too-short digits dropped; spandsp's dtmf_tx behind a queue.
 *
 * When spandsp reports at the end of block k (sample R = its end):
 *  - digit on: blocks k-1 and k hit, k-2 did not. A block hits when the
 *    tone covers more than ~82 % of it, so the tone began in
 *    (R - 288, R - 186].
 *  - digit off: k-2 hit, k-1 and k did not, so it ended in
 *    [R - 222, R - 120).
 * The envelope search looks a little wider than that, and for the end up to
 * R itself: near the twist limit spandsp may miss the last whole blocks of
 * a tone. Without history the middles of those ranges are the estimates.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define DSP_SPANDSP
#include "dsp.h"
#include "dtmf.h"

#define HMASK		(DTMF_HIST - 1)
#define WIN_HALF	16		/* envelope window: 32 samples, 4 ms */
#define TOL		20		/* min_on_ms tolerance: 2.5 ms */

/* search ranges and block estimates, relative to the report R */
#define ON_LO		306
#define ON_HI		170
#define ON_EST		237
#define OFF_LO		240
#define OFF_HI		WIN_HALF
#define OFF_EST		171

enum rx_state {
	RX_IDLE,
	RX_PENDING,	/* confirmed by spandsp, not yet min_on long */
	RX_WAIT_END,	/* envelope dipped before min_on: decide at the end */
	RX_ACTIVE,	/* DTMF_DIGIT_START sent */
};

struct dtmf_det {
	dtmf_rx_state_t *s;
	struct dtmf_det_config cfg;
	dtmf_event_fn fn;
	void *arg;
	int16_t *hist;		/* DTMF_HIST samples, by absolute position */
	uint64_t pos;		/* samples fed so far */
	uint64_t ts_base;	/* caller's time = ts_base + pos */
	unsigned int phase;	/* pos % DTMF_BLOCK */
	unsigned int min_on;	/* samples */
	enum rx_state state;
	char digit;
	int level;
	uint64_t start;		/* position of the digit's first sample */
	uint64_t on_report;	/* position where spandsp confirmed it */
	double ref;		/* tone power, per sample */
	struct dtmf_det_stats stats;
};

struct dtmf_gen {
	dtmf_tx_state_t *s;
};

/* ---- the envelope ----
 *
 * Positions are signed here: windows may reach before the first sample,
 * which reads as silence.
 */

static int16_t hist_at(const struct dtmf_det *det, int64_t p)
{
	return p < 0 ? 0 : det->hist[p & HMASK];
}

/* mean power over [a, b), positions the history still holds */
static double mean_power(const struct dtmf_det *det, int64_t a, int64_t b)
{
	double sum = 0.0;
	int64_t p;

	for (p = a; p < b; p++)
		sum += (double)hist_at(det, p) * hist_at(det, p);
	return b > a ? sum / (double)(b - a) : 0.0;
}

static double win_power(const struct dtmf_det *det, int64_t c)
{
	return mean_power(det, c - WIN_HALF, c + WIN_HALF);
}

/* r - d, kept where a window is still in the history, and not before 0 */
static int64_t back(const struct dtmf_det *det, int64_t r, int64_t d)
{
	int64_t lo = (int64_t)det->pos - DTMF_HIST + WIN_HALF;

	if (lo < 0)
		lo = 0;
	return r - d > lo ? r - d : lo;
}

static uint64_t est_back(uint64_t r, unsigned int d)
{
	return r > d ? r - d : 0;
}

/*
 * Where did the tone confirmed at r begin? Also sets the reference power.
 * No edge in range (a digit straight after another): the block estimate.
 */
static uint64_t find_start(struct dtmf_det *det, uint64_t r)
{
	int64_t c, lo, hi, at = (int64_t)r;
	double a, b, half;

	if (!det->hist)
		return est_back(r, ON_EST);
	a = mean_power(det, back(det, at, 2 * DTMF_BLOCK), at - DTMF_BLOCK);
	b = mean_power(det, at - DTMF_BLOCK, at);
	det->ref = a > b ? a : b;
	half = det->ref / 2;
	lo = back(det, at, ON_LO);
	hi = back(det, at, ON_HI);
	if (win_power(det, hi) < half)
		return est_back(r, ON_EST);
	for (c = hi; c > lo && win_power(det, c - 1) >= half; c--)
		;
	if (c == lo && lo > 0)
		return est_back(r, ON_EST);
	return (uint64_t)c;
}

/* Where did the tone that spandsp saw end by r? */
static uint64_t find_end(struct dtmf_det *det, uint64_t r)
{
	int64_t c, lo, hi, at = (int64_t)r;
	double half = det->ref / 2;

	if (!det->hist)
		return est_back(r, OFF_EST);
	lo = back(det, at, OFF_LO);
	hi = back(det, at, OFF_HI);
	if (lo < (int64_t)det->start)
		lo = (int64_t)det->start;
	if (win_power(det, lo) < half)
		return est_back(r, OFF_EST);
	for (c = lo; c < hi && win_power(det, c + 1) >= half; c++)
		;
	return (uint64_t)c + 1;
}

/* Did the tone hold from the confirmation up to start + min_on? */
static bool held_min_on(const struct dtmf_det *det)
{
	double half = det->ref / 2;
	int64_t c = back(det, (int64_t)det->on_report, DTMF_BLOCK);
	int64_t until = (int64_t)(det->start + det->min_on) - TOL;

	for (; c <= until; c += WIN_HALF)
		if (win_power(det, c) < half)
			return false;
	return true;
}

/* ---- events ---- */

static void emit(struct dtmf_det *det, enum dtmf_event_type type, uint64_t end)
{
	struct dtmf_event ev = {
		.type = type,
		.digit = det->digit,
		.level_dbm0 = det->level,
		.start = det->ts_base + det->start,
		.end = type == DTMF_DIGIT_END ? det->ts_base + end : 0,
	};

	if (type == DTMF_DIGIT_START)
		det->stats.digits++;
	if (det->fn)
		det->fn(det->arg, &ev);
}

static void digit_ended(struct dtmf_det *det, uint64_t end)
{
	switch (det->state) {
	case RX_ACTIVE:
		emit(det, DTMF_DIGIT_END, end);
		break;
	case RX_PENDING:
	case RX_WAIT_END:
		if (end >= det->start + det->min_on - TOL) {
			emit(det, DTMF_DIGIT_START, 0);
			emit(det, DTMF_DIGIT_END, end);
		} else {
			det->stats.too_short++;
		}
		break;
	case RX_IDLE:
		break;
	}
	det->state = RX_IDLE;
}

static void confirm(struct dtmf_det *det)
{
	if (det->pos < det->start + det->min_on - TOL + WIN_HALF)
		return;
	if (held_min_on(det)) {
		emit(det, DTMF_DIGIT_START, 0);
		det->state = RX_ACTIVE;
	} else {
		det->state = RX_WAIT_END;
	}
}

/* spandsp, at the end of the block ending at det->pos */
static void on_report(void *arg, int code, int level, int delay)
{
	struct dtmf_det *det = arg;
	uint64_t r = det->pos, start = 0;

	(void)delay;
	if (code)
		start = find_start(det, r);
	/* a digit straight after another: one's start is the other's end */
	if (det->state != RX_IDLE)
		digit_ended(det, code ? start : find_end(det, r));
	if (!code)
		return;
	det->digit = (char)code;
	det->level = level;
	det->on_report = r;
	det->start = start;
	det->state = RX_PENDING;
	if (!det->min_on) {
		emit(det, DTMF_DIGIT_START, 0);
		det->state = RX_ACTIVE;
	} else {
		confirm(det);
	}
}

/* ---- the receiver ---- */

static void apply_config(struct dtmf_det *det)
{
	const struct dtmf_det_config *c = &det->cfg;

	dtmf_rx_set_realtime_callback(det->s, on_report, det);
	dtmf_rx_parms(det->s, c->filter_dialtone, c->twist_db ? c->twist_db : -1,
		      c->reverse_twist_db ? c->reverse_twist_db : -1,
		      c->threshold_dbm0 ? c->threshold_dbm0 : -99);
}

static void no_digits(void *arg, const char *digits, int len)
{
	(void)arg;
	(void)digits;
	(void)len;
}

struct dtmf_det *dtmf_det_new(const struct dtmf_det_config *cfg, dtmf_event_fn fn, void *arg)
{
	static const struct dtmf_det_config def = DTMF_DET_CONFIG_DEFAULT;
	struct dtmf_det *det;

	if (!cfg)
		cfg = &def;
	if (!dsp_ready() || cfg->min_on_ms < 0 || cfg->min_on_ms > DTMF_MAX_MIN_ON_MS ||
	    cfg->twist_db < 0 || cfg->reverse_twist_db < 0 || cfg->threshold_dbm0 > 0)
		return NULL;
	det = calloc(1, sizeof(*det));
	if (!det)
		return NULL;
	det->cfg = *cfg;
	det->fn = fn;
	det->arg = arg;
	det->min_on = (unsigned int)DSP_SAMPLES(cfg->min_on_ms);
	if (det->min_on) {
		det->hist = calloc(DTMF_HIST, sizeof(*det->hist));
		if (!det->hist)
			goto err_hist;
	}
	det->s = dtmf_rx_init(NULL, no_digits, NULL);
	if (!det->s)
		goto err_spandsp;
	apply_config(det);
	return det;

err_spandsp:
	free(det->hist);
err_hist:
	free(det);
	return NULL;
}

void dtmf_det_free(struct dtmf_det *det)
{
	if (!det)
		return;
	dtmf_rx_free(det->s);
	free(det->hist);
	free(det);
}

void dtmf_det_reset(struct dtmf_det *det)
{
	dtmf_rx_init(det->s, no_digits, NULL);
	apply_config(det);
	if (det->hist)
		memset(det->hist, 0, DTMF_HIST * sizeof(*det->hist));
	det->state = RX_IDLE;
	det->phase = 0;
	det->pos = 0;
}

/* k <= DTMF_BLOCK samples at det->pos: a loop beats memcpy calls at 1 ms */
static void hist_put(struct dtmf_det *det, const int16_t *x, unsigned int k)
{
	unsigned int at = (unsigned int)(det->pos & HMASK), i;

	if (at + k <= DTMF_HIST) {
		for (i = 0; i < k; i++)
			det->hist[at + i] = x[i];
		return;
	}
	for (i = 0; i < k; i++)
		det->hist[(at + i) & HMASK] = x[i];
}

void dtmf_det_feed(struct dtmf_det *det, const int16_t *x, int n, uint64_t ts)
{
	unsigned int k;

	det->ts_base = ts - det->pos;
	while (n > 0) {
		k = DTMF_BLOCK - det->phase;
		if (k > (unsigned int)n)
			k = (unsigned int)n;
		if (det->hist)
			hist_put(det, x, k);
		det->pos += k;
		det->phase += k;
		if (det->phase == DTMF_BLOCK)
			det->phase = 0;
		/* reports happen inside, at the block's end: det->pos */
		dtmf_rx(det->s, x, (int)k);
		if (det->state == RX_PENDING && !det->phase)
			confirm(det);
		x += k;
		n -= (int)k;
	}
}

void dtmf_det_get_stats(const struct dtmf_det *det, struct dtmf_det_stats *st)
{
	*st = det->stats;
}

/* ---- the generator ---- */

struct dtmf_gen *dtmf_gen_new(int level_dbm0, int twist_db, int on_ms, int off_ms)
{
	struct dtmf_gen *gen;

	if (!dsp_ready() || on_ms <= 0 || off_ms < 0)
		return NULL;
	gen = calloc(1, sizeof(*gen));
	if (!gen)
		return NULL;
	gen->s = dtmf_tx_init(NULL);
	if (!gen->s) {
		free(gen);
		return NULL;
	}
	dtmf_tx_set_level(gen->s, level_dbm0, twist_db);
	dtmf_tx_set_timing(gen->s, on_ms, off_ms);
	return gen;
}

void dtmf_gen_free(struct dtmf_gen *gen)
{
	if (!gen)
		return;
	dtmf_tx_free(gen->s);
	free(gen);
}

int dtmf_gen_put(struct dtmf_gen *gen, const char *digits)
{
	size_t i, n = strlen(digits);

	for (i = 0; i < n; i++)
		if (!strchr(DTMF_DIGITS, digits[i]))
			return -EINVAL;
	/* spandsp 0.0.6: 0, or -1 when the queue cannot take them all */
	if (dtmf_tx_put(gen->s, digits, (int)n) < 0)
		return -ENOSPC;
	return (int)n;
}

int dtmf_gen_generate(struct dtmf_gen *gen, int16_t *out, int n)
{
	int done = dtmf_tx(gen->s, out, n);

	if (done < 0)
		done = 0;
	if (done < n)
		memset(out + done, 0, (size_t)(n - done) * sizeof(*out));
	return done;
}
