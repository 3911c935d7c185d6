// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tdmxd cross-worker links, with two simulated workers on one simulated
 * line clock: deterministic, no timing. Each worker wakes every @batch ms
 * at its own phase, sometimes late (a fixed pseudo-random pattern), and
 * processes every block its span delivered up to then, as the engine
 * does. The home worker sends a pattern naming each rx block up and
 * plays what comes down; the mixer records what comes up and sends a
 * pattern naming each of its own blocks down. Every block is checked: no
 * gap, no repeat, one fixed offset (the delay the crossing adds), no
 * underrun and no slip while no worker is later than the jitter budget;
 * a stall longer than it costs only the stalled blocks.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <linux/tdmx.h>

#include "unit.h"
#include "xlink.h"

#define SIM_TS		5
#define SIM_IDLE	0xd5
#define SIM_MS		6000	/* simulated line time */
#define SIM_SETTLE	400	/* ms before the checks start */

struct sim_worker {
	unsigned int batch;	/* wake interval, ms */
	unsigned int phase;	/* first wake, ms */
	unsigned int late_max;	/* lateness of a wake, ms, 0..late_max */
	uint32_t seed;
	uint64_t pos;		/* blocks processed */
	uint64_t next_wake;	/* nominal */
	uint8_t rx[TDMX_RING_BLOCKS * TDMX_RING_BLOCK_BYTES];
	uint8_t tx[TDMX_RING_BLOCKS * TDMX_RING_BLOCK_BYTES];
};

struct sim_result {
	uint64_t gaps, jumps;		/* blocks filled, offset changes */
	int64_t up_delay, down_delay;	/* the fixed offsets, blocks */
	uint64_t underruns, slips;
};

static uint32_t lcg(uint32_t *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 16;
}

/* the 8 octets naming line block @blk of a direction (never idle) */
static void name_block(uint8_t *e, uint64_t blk, uint8_t dir)
{
	uint32_t v = (uint32_t)blk;

	memcpy(e, &v, 4);
	e[4] = dir;
	e[5] = 0x5a;
	e[6] = (uint8_t)(v * 7);
	e[7] = 0xa5;
}

static uint8_t *port_slot(uint8_t *ring, uint64_t blk)
{
	return ring + (blk % TDMX_RING_BLOCKS) * TDMX_RING_BLOCK_BYTES + SIM_TS * TDMX_RING_FRAMES;
}

/* the block a slot names, or -1 for fill */
static int64_t named(const uint8_t *e, uint8_t dir)
{
	uint32_t v;

	if (e[4] != dir || e[5] != 0x5a || e[7] != 0xa5)
		return -1;
	memcpy(&v, e, 4);
	return e[6] == (uint8_t)(v * 7) ? (int64_t)v : -1;
}

/* check one received block against the offset seen so far */
static void check(struct sim_result *res, int64_t *delay, uint64_t blk, int64_t got, uint64_t t)
{
	if (t < SIM_SETTLE)
		return;
	if (got < 0) {
		res->gaps++;
		return;
	}
	if (*delay != INT64_MIN && *delay != (int64_t)blk - got)
		res->jumps++;
	*delay = (int64_t)blk - got;
}

/* the next actual wake of @w at or after line time @t, or 0 */
static unsigned int due(struct sim_worker *w, uint64_t t, unsigned int *late)
{
	if (!*late && t >= w->next_wake)
		*late = 1 + (w->late_max ? lcg(&w->seed) % (w->late_max + 1) : 0);
	return *late && t >= w->next_wake + *late - 1;
}

static void home_wake(struct xlink *x, struct sim_worker *w, uint64_t t, struct sim_result *res)
{
	uint64_t b, n = t - w->pos;

	for (b = w->pos; b < t; b++)
		name_block(port_slot(w->rx, b), b, 'u');
	xlink_home_blocks(x, w->rx, w->tx, (uint32_t)(w->pos % TDMX_RING_BLOCKS), (unsigned int)n,
			  SIM_IDLE);
	for (b = w->pos; b < t; b++)
		check(res, &res->down_delay, b, named(port_slot(w->tx, b), 'd'), t);
	w->pos = t;
}

static void mixer_wake(struct xlink *x, struct sim_worker *w, uint64_t t, struct sim_result *res)
{
	uint64_t b, n = t - w->pos;

	xlink_mixer_in(x, w->rx, (uint32_t)(w->pos % TDMX_RING_BLOCKS), (unsigned int)n,
		       SIM_IDLE);
	for (b = w->pos; b < t; b++) {
		check(res, &res->up_delay, b, named(port_slot(w->rx, b), 'u'), t);
		name_block(port_slot(w->tx, b), b, 'd');
	}
	xlink_mixer_out(x, w->tx, (uint32_t)(w->pos % TDMX_RING_BLOCKS), (unsigned int)n);
	w->pos = t;
}

/*
 * Run the two workers over SIM_MS of line time. At a line time where both
 * wake, @home_first says who runs first. @stall_at/@stall_ms: the home
 * worker sleeps that long once (0: never).
 */
static void simulate(struct sim_worker *home, struct sim_worker *mix, unsigned int jitter_ms,
		     int home_first, uint64_t stall_at, unsigned int stall_ms,
		     struct sim_result *res)
{
	unsigned int hl = 0, ml = 0, i;
	struct xlink *x;
	uint64_t t;

	memset(res, 0, sizeof(*res));
	res->up_delay = res->down_delay = INT64_MIN;
	ck_assert_int_eq(xlink_new(&x, media_port_of(1, SIM_TS), MEDIA_ALAW, home->batch,
				   mix->batch, jitter_ms), 0);
	memset(home->tx, SIM_IDLE, sizeof(home->tx));
	memset(mix->rx, SIM_IDLE, sizeof(mix->rx));
	home->pos = mix->pos = 0;
	home->next_wake = home->phase;
	mix->next_wake = mix->phase;
	for (t = 1; t <= SIM_MS; t++) {
		for (i = 0; i < 2; i++) {
			int is_home = (i == 0) == (home_first != 0);
			struct sim_worker *w = is_home ? home : mix;
			unsigned int *late = is_home ? &hl : &ml;

			if (is_home && stall_ms && t >= stall_at && t < stall_at + stall_ms)
				continue;
			if (!due(w, t, late) || t == w->pos)
				continue;
			/* a wake processes every block delivered so far, and
			 * never more than the span ring holds */
			if (t - w->pos > TDMX_RING_BLOCKS - 8)
				w->pos = t - (TDMX_RING_BLOCKS - 8);
			if (is_home)
				home_wake(x, w, t, res);
			else
				mixer_wake(x, w, t, res);
			while (w->next_wake <= t)
				w->next_wake += w->batch;
			*late = 0;
		}
	}
	res->underruns = x->up_jb.underruns + x->down_jb.underruns;
	res->slips = x->up_jb.slips + x->down_jb.slips;
	xlink_free(x);
}

static struct sim_worker *worker(struct sim_worker *w, unsigned int batch, unsigned int phase,
				 unsigned int late_max, uint32_t seed)
{
	memset(w, 0, sizeof(*w));
	w->batch = batch;
	w->phase = phase;
	w->late_max = late_max;
	w->seed = seed;
	return w;
}

static struct sim_worker wh, wm;

/* the scenario's figures: block_ms 10, jitter_ms 40, wakes late by up
 * to 15 ms (uneven batches), every phase and order */
START_TEST(test_xlink_uneven_wakes_within_budget_lose_nothing)
{
	struct sim_result res;
	unsigned int ph = (unsigned int)_i;

	simulate(worker(&wh, 10, ph % 10, 15, 7 + ph), worker(&wm, 10, (ph * 3 + 5) % 10, 15,
		 99 + ph), 40, ph & 1, 0, 0, &res);
	ck_assert_msg(!res.gaps && !res.jumps && !res.underruns && !res.slips,
		      "phase %u: %llu gaps, %llu jumps, %llu underruns, %llu slips", ph,
		      (unsigned long long)res.gaps, (unsigned long long)res.jumps,
		      (unsigned long long)res.underruns, (unsigned long long)res.slips);
}
END_TEST

/* a stall longer than the budget costs the stalled blocks (more when
 * the stalled worker lost rx it was too late for), then the audio plays
 * on with about the delay an undisturbed run has: no lasting gap */
START_TEST(test_xlink_stall_beyond_budget_costs_only_its_blocks)
{
	struct sim_result calm, res;
	unsigned int stall = _i ? 90 : 45;	/* 90: the home loses rx */

	simulate(worker(&wh, 10, 3, 4, 11), worker(&wm, 10, 8, 4, 12), 10, 1, 0, 0, &calm);
	simulate(worker(&wh, 10, 3, 4, 11), worker(&wm, 10, 8, 4, 12), 10, 1, 3000, stall, &res);
	ck_assert_uint_ge(res.underruns, 1);
	ck_assert_uint_le(res.underruns, 2);
	/* a home that lost rx skipped its tx too: what came down for those
	 * blocks has nowhere to go (one slip) */
	ck_assert_uint_le(res.slips, _i ? 1 : 0);
	ck_assert_uint_le(res.gaps, 2 * (stall + 10 + 10));
	/* primed again at another phase: within one batch of before */
	ck_assert_int_le(abs((int)(res.up_delay - calm.up_delay)), 10);
	ck_assert_int_le(abs((int)(res.down_delay - calm.down_delay)), 10);
}
END_TEST

/*
 * Workers on time: the crossing adds at most one producer batch plus the
 * jitter budget (the reserve), whatever the phases and wake orders.
 */
START_TEST(test_xlink_on_time_adds_at_most_one_batch_plus_jitter)
{
	struct sim_result res;
	unsigned int ph = (unsigned int)_i;

	simulate(worker(&wh, 10, ph % 10, 0, 1), worker(&wm, 10, (ph * 7 + 2) % 10, 0, 2), 40,
		 ph & 1, 0, 0, &res);
	ck_assert_uint_eq(res.underruns + res.slips + res.gaps + res.jumps, 0);
	ck_assert_int_le(res.up_delay, 10 + 40);
	ck_assert_int_le(res.down_delay, 10 + 40);
	ck_assert_int_ge(res.up_delay, 40);
	ck_assert_int_ge(res.down_delay, 40);
}
END_TEST

static Suite *xlink_suite(void)
{
	Suite *s = suite_create("tdmxd_xlink");
	TCase *tc = tcase_create("xlink");

	tcase_add_loop_test(tc, test_xlink_uneven_wakes_within_budget_lose_nothing, 0, 20);
	tcase_add_loop_test(tc, test_xlink_stall_beyond_budget_costs_only_its_blocks, 0, 2);
	tcase_add_loop_test(tc, test_xlink_on_time_adds_at_most_one_batch_plus_jitter, 0, 20);
	suite_add_tcase(s, tc);
	return s;
}

TDMX_CHECK_MAIN(xlink_suite)
