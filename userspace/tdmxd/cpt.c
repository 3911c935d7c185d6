// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tdmxd call progress: a tone plan turned into super_tone_rx patterns.
 */
#include <errno.h>
#include <stdlib.h>

#define DSP_SPANDSP
#include "cpt.h"
#include "dsp.h"

/* cadence tolerance: nominal * (1 -+ 20 %) -+ 20 ms */
#define CPT_TOL_PCT		20
#define CPT_TOL_MS		20
/* a continuous tone: at least this long, and longer than any burst */
#define CPT_STEADY_MIN_MS	1000
#define CPT_STEADY_MARGIN_MS	200
/* super_tone_rx keeps the last 10 steps */
#define CPT_MAX_STEPS		10
/* pattern steps that can never match (durations are whole 16 ms blocks) */
#define CPT_NEVER_MS		1

struct cpt_plan {
	super_tone_rx_descriptor_t *desc;
	/* spandsp tone number -> ours; number 0 only registers frequencies */
	enum tone_id code[TONE_COUNT + 1];
	int ncodes;
};

struct cpt_rx {
	super_tone_rx_state_t *s;
	const struct cpt_plan *cp;
	cpt_event_fn fn;
	void *arg;
	enum tone_id tone;
	uint64_t ts_end;	/* sample time just after the chunk being fed */
};

static struct cpt_plan *cpt_plans;

static unsigned int tol_min(unsigned int ms)
{
	unsigned int m = ms * (100 - CPT_TOL_PCT) / 100;

	return m > CPT_TOL_MS * 2 ? m - CPT_TOL_MS : m / 2;
}

static unsigned int tol_max(unsigned int ms)
{
	return ms * (100 + CPT_TOL_PCT) / 100 + CPT_TOL_MS;
}

static bool same_freqs(const struct tone_def *a, const struct tone_def *b)
{
	return (a->f1 == b->f1 && a->f2 == b->f2) || (a->f1 == b->f2 && a->f2 == b->f1);
}

/* A steady tone must outlast every burst of the same frequencies. */
static unsigned int steady_min_ms(const struct tone_plan *plan, const struct tone_def *d)
{
	unsigned int min = CPT_STEADY_MIN_MS, i, t;

	for (t = 0; t < TONE_COUNT; t++) {
		const struct tone_def *o = &plan->tones[t];

		if (o == d || !o->f1 || !same_freqs(o, d))
			continue;
		for (i = 0; i < TONE_SEGMENTS && o->cadence_ms[i]; i += 2)
			if (tol_max(o->cadence_ms[i]) + CPT_STEADY_MARGIN_MS > min)
				min = tol_max(o->cadence_ms[i]) + CPT_STEADY_MARGIN_MS;
	}
	return min;
}

/*
 * super_tone_rx numbers frequencies in the order it first sees them and
 * reports the two strongest lowest number first, while a pattern step keeps
 * (f1, f2) as given: register every frequency in ascending order with steps
 * that cannot match, then give each step its pair in ascending order.
 */
static void register_freqs(super_tone_rx_descriptor_t *desc, const struct tone_plan *plan)
{
	unsigned int f[2 * TONE_COUNT], n = 0, i, j, t;
	int tone = super_tone_rx_add_tone(desc);

	for (t = 0; t < TONE_COUNT; t++) {
		const struct tone_def *d = &plan->tones[t];

		if (!d->f1)
			continue;
		f[n++] = d->f1;
		if (d->f2)
			f[n++] = d->f2;
	}
	for (i = 1; i < n; i++)		/* insertion sort, a dozen entries */
		for (j = i; j > 0 && f[j - 1] > f[j]; j--) {
			unsigned int x = f[j];

			f[j] = f[j - 1];
			f[j - 1] = x;
		}
	for (i = 0; i < n; i++)
		if (!i || f[i] != f[i - 1])
			super_tone_rx_add_element(desc, tone, (int)f[i], 0,
						  CPT_NEVER_MS, CPT_NEVER_MS);
}

static unsigned int segments(const struct tone_def *d)
{
	unsigned int n = 0;

	while (n < TONE_SEGMENTS && d->cadence_ms[n])
		n++;
	return n;
}

/*
 * Could tone @b, heard from any point of its cadence, fit the first @len
 * steps of @a's pattern, the last one still running? @b's times are taken
 * as nominal -+ 10 %, what a real line may do.
 */
static bool fits(const struct tone_def *a, unsigned int len, const struct tone_def *b)
{
	unsigned int na = segments(a), nb = segments(b), rot, i;

	if (nb == 1)		/* steady: never ends a step */
		return len == 1;
	for (rot = 0; rot < nb; rot += 2) {
		for (i = 0; i < len; i++) {
			unsigned int want = a->cadence_ms[i % na];
			unsigned int got = b->cadence_ms[(rot + i) % nb];
			unsigned int lo = got * 9 / 10, hi = got * 11 / 10;

			if (i + 1 < len && (hi < tol_min(want) || lo > tol_max(want)))
				break;
			if (i + 1 == len && hi < tol_min(want))
				break;
		}
		if (i == len)
			return true;
	}
	return false;
}

/*
 * Steps a cadenced tone's pattern needs: whole cycles (super_tone_rx
 * follows a pattern round and round), as few as tell it from every other
 * tone of the plan with the same frequencies. CN busy needs two: one
 * burst and a long enough pause also begin CN call waiting; so does ITU
 * congestion (three), whose cycles begin ITU call waiting.
 */
static unsigned int pattern_len(const struct tone_plan *plan, const struct tone_def *d)
{
	unsigned int n = segments(d), len, t;

	for (len = n; len + n <= CPT_MAX_STEPS; len += n) {
		for (t = 0; t < TONE_COUNT; t++) {
			const struct tone_def *o = &plan->tones[t];

			if (o != d && o->f1 && same_freqs(o, d) && fits(d, len, o))
				break;
		}
		if (t == TONE_COUNT)
			break;
	}
	return len;
}

static void add_pattern(super_tone_rx_descriptor_t *desc, const struct tone_plan *plan,
			const struct tone_def *d)
{
	int lo = d->f2 && d->f2 < d->f1 ? d->f2 : d->f1;
	int hi = d->f2 && d->f2 < d->f1 ? d->f1 : d->f2;
	int tone = super_tone_rx_add_tone(desc);
	unsigned int i, ms, n = segments(d), len;

	if (n == 1) {
		super_tone_rx_add_element(desc, tone, lo, hi,
					  (int)steady_min_ms(plan, d), 0);
		return;
	}
	len = pattern_len(plan, d);
	for (i = 0; i < len; i++) {
		ms = d->cadence_ms[i % n];
		if (i % 2 == 0)
			super_tone_rx_add_element(desc, tone, lo, hi,
						  (int)tol_min(ms), (int)tol_max(ms));
		else
			super_tone_rx_add_element(desc, tone, 0, 0,
						  (int)tol_min(ms), (int)tol_max(ms));
	}
}

static int build_plan(struct cpt_plan *cp, const struct tone_plan *plan)
{
	int t;

	cp->desc = super_tone_rx_make_descriptor(NULL);
	if (!cp->desc)
		return -ENOMEM;
	register_freqs(cp->desc, plan);
	cp->code[0] = TONE_NONE;
	cp->ncodes = 1;
	for (t = 0; t < TONE_COUNT; t++) {
		/* call waiting is no progress tone: only kept apart from them */
		if (!plan->tones[t].f1 || t == TONE_CALL_WAITING)
			continue;
		add_pattern(cp->desc, plan, &plan->tones[t]);
		cp->code[cp->ncodes++] = (enum tone_id)t;
	}
	return 0;
}

void cpt_exit(void)
{
	unsigned int i;

	if (!cpt_plans)
		return;
	for (i = 0; i < tone_plan_count(); i++)
		if (cpt_plans[i].desc)
			super_tone_rx_free_descriptor(cpt_plans[i].desc);
	free(cpt_plans);
	cpt_plans = NULL;
}

int cpt_init(void)
{
	unsigned int i;
	int ret;

	if (cpt_plans)
		return 0;
	cpt_plans = calloc(tone_plan_count(), sizeof(*cpt_plans));
	if (!cpt_plans)
		return -ENOMEM;
	for (i = 0; i < tone_plan_count(); i++) {
		ret = build_plan(&cpt_plans[i], tone_plan_at(i));
		if (ret) {
			cpt_exit();
			return ret;
		}
	}
	return 0;
}

static void on_tone(void *arg, int code, int level, int delay)
{
	struct cpt_rx *rx = arg;
	enum tone_id tone = TONE_NONE;

	(void)level;
	(void)delay;
	if (code > 0 && code < rx->cp->ncodes)
		tone = rx->cp->code[code];
	if (tone == rx->tone)
		return;
	rx->tone = tone;
	if (rx->fn)
		rx->fn(rx->arg, tone, rx->ts_end);
}

struct cpt_rx *cpt_rx_new(const struct tone_plan *plan, cpt_event_fn fn, void *arg)
{
	struct cpt_rx *rx;
	int i = tone_plan_index(plan);

	if (!dsp_ready() || !cpt_plans || i < 0 || cpt_plans[i].ncodes < 2)
		return NULL;
	rx = calloc(1, sizeof(*rx));
	if (!rx)
		return NULL;
	rx->cp = &cpt_plans[i];
	rx->fn = fn;
	rx->arg = arg;
	rx->tone = TONE_NONE;
	rx->s = super_tone_rx_init(NULL, rx->cp->desc, on_tone, rx);
	if (!rx->s) {
		free(rx);
		return NULL;
	}
	return rx;
}

void cpt_rx_free(struct cpt_rx *rx)
{
	if (!rx)
		return;
	super_tone_rx_free(rx->s);
	free(rx);
}

void cpt_rx_reset(struct cpt_rx *rx)
{
	super_tone_rx_init(rx->s, rx->cp->desc, on_tone, rx);
	rx->tone = TONE_NONE;
}

/*
 * spandsp 0.0.6's super_tone_rx() reads a local variable before setting it
 * (valgrind: "depends on uninitialised value ... stack allocation in
 * super_tone_rx"), so a steady tone was at times never reported. Zeroing
 * the stack region it is about to use makes that read 0 every time and
 * the result deterministic. Remove once Debian ships a fixed spandsp.
 */
static __attribute__((noinline)) void scrub_stack(void)
{
	volatile unsigned char pad[4096];
	size_t i;

	for (i = 0; i < sizeof(pad); i++)
		pad[i] = 0;
}

void cpt_rx_feed(struct cpt_rx *rx, const int16_t *x, int n, uint64_t ts)
{
	rx->ts_end = ts + (uint64_t)n;
	scrub_stack();
	super_tone_rx(rx->s, x, n);
}

enum tone_id cpt_rx_tone(const struct cpt_rx *rx)
{
	return rx->tone;
}
