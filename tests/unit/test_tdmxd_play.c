// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tdmxd playback: sequences of prompts, tones and silence come out in
 * order with exact sample counts whatever the block size; loops wrap
 * without a gap; stop, cancel and barge-in act at the next block and only
 * as allowed; completion callbacks come once, at the right sample, and
 * may queue the next sequence; G.711 output copies a prompt's cached
 * codes. Prompts are numbered ramps (8 kHz PCM, loaded sample for
 * sample) so every sample can be traced to its source.
 */
#include <errno.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dsp.h"
#include "g711.h"
#include "play.h"
#include "prompt.h"
#include "tone.h"
#include "unit.h"

#define MAX_DONE	32

static char dir[] = "/tmp/tdmxd-play-XXXXXX";
static struct prompt *pa, *pb;	/* A: 1000 samples 1..1000, B: 700 samples */

/* ------------------------------------------------------------- helpers */

struct done_log {
	struct play_done d[MAX_DONE];
	uint64_t block[MAX_DONE];	/* output position of the block it came in */
	int n;
	uint64_t pos;
	/* chaining: queue this when a sequence completes */
	struct player *pl;
	struct prompt *next;
};

static void on_done(void *arg, const struct play_done *d)
{
	struct done_log *l = arg;

	ck_assert_int_lt(l->n, MAX_DONE);
	l->block[l->n] = l->pos;
	l->d[l->n++] = *d;
	if (l->next && d->why == PLAY_DONE) {
		struct play_item it = { .kind = PLAY_PROMPT, .prompt = l->next };

		l->next = NULL;
		ck_assert_int_gt(play_enqueue(l->pl, &it, 1, 0, on_done, l), 0);
	}
}

static struct prompt *ramp(const char *name, int n, int base)
{
	SF_INFO info = { .samplerate = 8000, .channels = 1,
			 .format = SF_FORMAT_WAV | SF_FORMAT_PCM_16 };
	char path[256], err[PROMPT_ERR_LEN];
	int16_t *x = malloc((size_t)n * sizeof(*x));
	struct prompt *p;
	SNDFILE *sf;
	int i;

	ck_assert_ptr_nonnull(x);
	for (i = 0; i < n; i++)
		x[i] = (int16_t)(base + i);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	sf = sf_open(path, SFM_WRITE, &info);
	ck_assert_ptr_nonnull(sf);
	ck_assert_int_eq(sf_writef_short(sf, x, n), n);
	sf_close(sf);
	ck_assert_int_eq(prompt_load(path, MEDIA_ALAW, &p, err, sizeof(err)), 0);
	ck_assert_uint_eq(p->samples, (uint32_t)n);
	ck_assert(!memcmp(p->pcm, x, (size_t)n * sizeof(*x)));
	unlink(path);
	free(x);
	return p;
}

/* @n samples in blocks of @block; returns what play_generate() said in total */
static int run(struct player *pl, struct done_log *l, int16_t *out, int n, int block)
{
	int i, k, got = 0, r;

	for (i = 0; i < n; i += k) {
		k = n - i < block ? n - i : block;
		if (l)
			l->pos = (uint64_t)i;
		r = play_generate(pl, out + i, k);
		ck_assert_int_ge(r, 0);
		ck_assert_int_le(r, k);
		got += r;
	}
	return got;
}

static struct play_item prompt_item(struct prompt *p, uint32_t samples, bool barge)
{
	struct play_item it = { .kind = PLAY_PROMPT, .prompt = p, .samples = samples,
				.barge_in = barge };
	return it;
}

static struct play_item silence_item(uint32_t samples)
{
	struct play_item it = { .kind = PLAY_SILENCE, .samples = samples };
	return it;
}

static struct play_item tone_item(const char *plan, enum tone_id id, uint32_t samples)
{
	struct play_item it = { .kind = PLAY_TONE, .plan = tone_plan_find(plan), .tone = id,
				.samples = samples };
	return it;
}

static void expect_zero(const int16_t *x, int n)
{
	int i;

	for (i = 0; i < n; i++)
		ck_assert_msg(!x[i], "sample %d is %d", i, x[i]);
}

static void setup(void)
{
	strcpy(dir, "/tmp/tdmxd-play-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(dsp_init(), 0);
	pa = ramp("a.wav", 1000, 1);
	pb = ramp("b.wav", 700, 20001);
}

static void teardown(void)
{
	prompt_put(pa);
	prompt_put(pb);
	rmdir(dir);
	dsp_exit();
}

/* ------------------------------------------------------------- sequences */

START_TEST(test_play_sequence_plays_items_in_order_with_exact_sample_counts)
{
	static const int blocks[] = { 160, 1, 8, 80, 333, 4000 };
	int block = blocks[_i], id, total = 1000 + 333 + 800 + 500;
	struct play_item it[4] = {
		prompt_item(pa, 0, false),
		silence_item(333),
		tone_item("cn", TONE_BUSY, 800),
		prompt_item(pb, 500, false),
	};
	struct tone_player tp;
	struct done_log l = { 0 };
	struct player *pl = play_new();
	int16_t out[4000], tone[800];

	ck_assert_ptr_nonnull(pl);
	id = play_enqueue(pl, it, 4, 0, on_done, &l);
	ck_assert_int_gt(id, 0);
	ck_assert(play_busy(pl));
	ck_assert_uint_eq(play_current(pl), (uint32_t)id);
	ck_assert_int_eq(run(pl, &l, out, 4000, block), total);

	ck_assert(!memcmp(out, pa->pcm, 1000 * sizeof(*out)));
	expect_zero(out + 1000, 333);
	ck_assert_int_eq(tone_player_init(&tp), 0);
	tone_start(&tp, tone_plan_find("cn"), TONE_BUSY);
	tone_generate(&tp, tone, 800);
	tone_player_release(&tp);
	ck_assert(!memcmp(out + 1333, tone, sizeof(tone)));
	ck_assert(!memcmp(out + 2133, pb->pcm, 500 * sizeof(*out)));
	expect_zero(out + total, 4000 - total);

	ck_assert_int_eq(l.n, 1);
	ck_assert_uint_eq(l.d[0].id, (uint32_t)id);
	ck_assert_int_eq(l.d[0].why, PLAY_DONE);
	ck_assert_uint_eq(l.d[0].played, (uint64_t)total);
	/* reported in the block it ended in, at its last sample */
	ck_assert_uint_eq(l.block[0] + (uint64_t)l.d[0].offset, (uint64_t)total);
	ck_assert(!play_busy(pl));
	play_free(pl);
}
END_TEST

START_TEST(test_play_queued_sequences_follow_each_other_without_a_gap)
{
	struct play_item a = prompt_item(pa, 0, false), b = prompt_item(pb, 0, false);
	struct done_log l = { 0 };
	struct player *pl = play_new();
	int16_t out[2000];
	int ia, ib;

	ia = play_enqueue(pl, &a, 1, 0, on_done, &l);
	ib = play_enqueue(pl, &b, 1, 0, on_done, &l);
	ck_assert_int_ne(ia, ib);
	ck_assert_int_eq(run(pl, &l, out, 2000, 160), 1700);
	ck_assert(!memcmp(out, pa->pcm, 1000 * sizeof(*out)));
	ck_assert(!memcmp(out + 1000, pb->pcm, 700 * sizeof(*out)));
	ck_assert_int_eq(l.n, 2);
	ck_assert_uint_eq(l.d[0].id, (uint32_t)ia);
	ck_assert_uint_eq(l.d[1].id, (uint32_t)ib);
	ck_assert_uint_eq(l.block[0] + (uint64_t)l.d[0].offset, 1000);
	ck_assert_uint_eq(l.block[1] + (uint64_t)l.d[1].offset, 1700);
	play_free(pl);
}
END_TEST

/* Music on hold: the loop wraps inside a block, sample for sample */
START_TEST(test_play_loop_repeats_seamlessly_until_stopped)
{
	struct play_item it[3] = { prompt_item(pa, 0, false), silence_item(100),
				   prompt_item(pb, 0, false) };
	int period = 1000 + 100 + 700, n = 8 * 1800 + 123, i;
	struct done_log l = { 0 };
	struct player *pl = play_new();
	int16_t *out = malloc((size_t)n * sizeof(*out)), want;

	ck_assert_ptr_nonnull(out);
	ck_assert_int_gt(play_enqueue(pl, it, 3, PLAY_LOOP, on_done, &l), 0);
	ck_assert_int_eq(run(pl, &l, out, n, 160), n);
	for (i = 0; i < n; i++) {
		int at = i % period;

		want = at < 1000 ? pa->pcm[at] : at < 1100 ? 0 : pb->pcm[at - 1100];
		ck_assert_msg(out[i] == want, "sample %d: %d, want %d", i, out[i], want);
	}
	ck_assert_int_eq(l.n, 0);
	play_stop(pl);
	ck_assert_int_eq(l.n, 1);
	ck_assert_int_eq(l.d[0].why, PLAY_STOPPED);
	ck_assert_uint_eq(l.d[0].played, (uint64_t)n);
	ck_assert_int_eq(l.d[0].offset, -1);
	free(out);
	play_free(pl);
}
END_TEST

START_TEST(test_play_loop_that_plays_nothing_ends_instead_of_spinning)
{
	struct play_item it = silence_item(0);
	struct done_log l = { 0 };
	struct player *pl = play_new();
	int16_t out[160];

	ck_assert_int_gt(play_enqueue(pl, &it, 1, PLAY_LOOP, on_done, &l), 0);
	ck_assert_int_eq(run(pl, &l, out, 160, 160), 0);
	ck_assert_int_eq(l.n, 1);
	ck_assert_int_eq(l.d[0].why, PLAY_DONE);
	play_free(pl);
}
END_TEST

START_TEST(test_play_tone_without_length_plays_until_stopped)
{
	struct play_item it = tone_item("us", TONE_RINGBACK, 0);
	struct done_log l = { 0 };
	struct player *pl = play_new();
	int16_t *out = malloc(80000 * sizeof(*out));

	ck_assert_int_gt(play_enqueue(pl, &it, 1, 0, on_done, &l), 0);
	ck_assert_int_eq(run(pl, &l, out, 80000, 160), 80000);
	ck_assert(play_busy(pl));
	ck_assert_int_eq(l.n, 0);
	play_stop(pl);
	ck_assert_int_eq(l.d[0].why, PLAY_STOPPED);
	ck_assert_uint_eq(l.d[0].played, 80000);
	free(out);
	play_free(pl);
}
END_TEST

/* ------------------------------------------------------ stop and barge-in */

START_TEST(test_play_stop_takes_effect_at_the_next_block)
{
	struct play_item a = prompt_item(pa, 0, false), b = prompt_item(pb, 0, false);
	struct done_log l = { 0 };
	struct player *pl = play_new();
	int16_t out[800];
	int ia, ib;

	ia = play_enqueue(pl, &a, 1, 0, on_done, &l);
	ib = play_enqueue(pl, &b, 1, 0, on_done, &l);
	ck_assert_int_eq(run(pl, &l, out, 480, 160), 480);
	ck_assert(!memcmp(out, pa->pcm, 480 * sizeof(*out)));
	play_stop(pl);
	/* everything queued ends, in queue order */
	ck_assert_int_eq(l.n, 2);
	ck_assert_uint_eq(l.d[0].id, (uint32_t)ia);
	ck_assert_int_eq(l.d[0].why, PLAY_STOPPED);
	ck_assert_uint_eq(l.d[0].played, 480);
	ck_assert_uint_eq(l.d[1].id, (uint32_t)ib);
	ck_assert_uint_eq(l.d[1].played, 0);
	ck_assert(!play_busy(pl));
	ck_assert_int_eq(play_generate(pl, out, 160), 0);
	expect_zero(out, 160);
	play_free(pl);
}
END_TEST

START_TEST(test_play_cancel_ends_one_sequence)
{
	struct play_item a = prompt_item(pa, 0, false), b = prompt_item(pb, 0, false);
	struct done_log l = { 0 };
	struct player *pl = play_new();
	int16_t out[1000];
	int ib;

	play_enqueue(pl, &a, 1, 0, on_done, &l);
	ib = play_enqueue(pl, &b, 1, 0, on_done, &l);
	ck_assert_int_eq(play_cancel(pl, (uint32_t)ib), 0);
	ck_assert_int_eq(play_cancel(pl, (uint32_t)ib), -ENOENT);
	ck_assert_int_eq(l.n, 1);
	ck_assert_int_eq(l.d[0].why, PLAY_STOPPED);
	ck_assert_int_eq(run(pl, &l, out, 1000, 160), 1000);
	ck_assert(!memcmp(out, pa->pcm, sizeof(out)));
	ck_assert_int_eq(l.n, 2);
	ck_assert_int_eq(l.d[1].why, PLAY_DONE);
	ck_assert(!play_busy(pl));
	play_free(pl);
}
END_TEST

START_TEST(test_play_barge_in_stops_on_dtmf_only_when_allowed)
{
	struct play_item menu[2] = { prompt_item(pa, 0, false), prompt_item(pb, 0, true) };
	struct play_item after = tone_item("itu", TONE_DIAL, 320);
	struct done_log l = { 0 };
	struct player *pl = play_new();
	int16_t out[2000];
	int im, ia;

	im = play_enqueue(pl, menu, 2, 0, on_done, &l);
	ia = play_enqueue(pl, &after, 1, 0, on_done, &l);
	/* in the first item: no barge-in */
	ck_assert_int_eq(run(pl, &l, out, 320, 160), 320);
	ck_assert(!play_dtmf(pl));
	ck_assert_int_eq(l.n, 0);
	/* in the second: the whole menu ends, the next sequence stays */
	ck_assert_int_eq(run(pl, &l, out, 1120, 160), 1120);
	ck_assert(!memcmp(out + 680, pb->pcm, 440 * sizeof(*out)));
	ck_assert(play_dtmf(pl));
	ck_assert_int_eq(l.n, 1);
	ck_assert_uint_eq(l.d[0].id, (uint32_t)im);
	ck_assert_int_eq(l.d[0].why, PLAY_BARGED);
	ck_assert_uint_eq(l.d[0].played, 1440);
	ck_assert_uint_eq(play_current(pl), (uint32_t)ia);
	/* the tone does not allow barge-in */
	ck_assert(!play_dtmf(pl));
	ck_assert_int_eq(run(pl, &l, out, 480, 160), 320);
	ck_assert_int_eq(l.n, 2);
	ck_assert_int_eq(l.d[1].why, PLAY_DONE);
	play_free(pl);
}
END_TEST

START_TEST(test_play_barge_in_flag_covers_every_item)
{
	struct play_item menu[2] = { prompt_item(pa, 0, false), prompt_item(pb, 0, false) };
	struct done_log l = { 0 };
	struct player *pl = play_new();
	int16_t out[160];

	ck_assert_int_gt(play_enqueue(pl, menu, 2, PLAY_BARGE_IN, on_done, &l), 0);
	run(pl, &l, out, 160, 160);
	ck_assert(play_dtmf(pl));
	ck_assert_int_eq(l.d[0].why, PLAY_BARGED);
	ck_assert(!play_dtmf(pl));	/* nothing left */
	play_free(pl);
}
END_TEST

/* An IVR chains prompts from the callback: no gap, not even in a block */
START_TEST(test_play_callback_can_queue_the_next_sequence_without_a_gap)
{
	struct play_item a = prompt_item(pa, 0, false);
	struct player *pl = play_new();
	struct done_log l = { .pl = pl, .next = pb };
	int16_t out[1920];

	ck_assert_int_gt(play_enqueue(pl, &a, 1, 0, on_done, &l), 0);
	ck_assert_int_eq(run(pl, &l, out, 1920, 160), 1700);
	ck_assert(!memcmp(out, pa->pcm, 1000 * sizeof(*out)));
	ck_assert(!memcmp(out + 1000, pb->pcm, 700 * sizeof(*out)));
	ck_assert_int_eq(l.n, 2);
	play_free(pl);
}
END_TEST

/* ------------------------------------------------------------- G.711 */

START_TEST(test_play_law_output_copies_the_cached_codes)
{
	struct play_item it[3] = { prompt_item(pa, 0, false), silence_item(50),
				   tone_item("cn", TONE_DIAL, 200) };
	struct player *pl = play_new();
	int16_t lin[1400];
	uint8_t out[1400];
	int i;

	/* A-law: the prompt's own codes, the silence code, the tone coded */
	ck_assert_int_gt(play_enqueue(pl, it, 3, 0, NULL, NULL), 0);
	ck_assert_int_eq(play_generate_law(pl, MEDIA_ALAW, out, 1400), 1250);
	ck_assert(!memcmp(out, pa->coded, 1000));
	for (i = 1000; i < 1050; i++)
		ck_assert_uint_eq(out[i], G711_ALAW_IDLE);
	ck_assert_int_gt(play_enqueue(pl, it + 2, 1, 0, NULL, NULL), 0);
	play_generate(pl, lin, 200);
	for (i = 0; i < 200; i++)
		ck_assert_uint_eq(out[1050 + i], g711_alaw_encode(lin[i]));
	for (i = 1250; i < 1400; i++)
		ck_assert_uint_eq(out[i], G711_ALAW_IDLE);

	/* mu-law from an A-law cached prompt: coded from the samples */
	ck_assert_int_gt(play_enqueue(pl, it, 1, 0, NULL, NULL), 0);
	ck_assert_int_eq(play_generate_law(pl, MEDIA_ULAW, out, 1100), 1000);
	for (i = 0; i < 1000; i++)
		ck_assert_uint_eq(out[i], g711_ulaw_encode(pa->pcm[i]));
	for (i = 1000; i < 1100; i++)
		ck_assert_uint_eq(out[i], G711_ULAW_IDLE);
	ck_assert_int_eq(play_generate_law(pl, (enum media_law)9, out, 10), -EINVAL);
	play_free(pl);
}
END_TEST

/* ------------------------------------------------------------- misc */

START_TEST(test_play_rejects_bad_sequences)
{
	struct play_item bad_prompt = { .kind = PLAY_PROMPT };
	struct play_item bad_tone = tone_item("cn", TONE_COUNT, 10);
	struct play_item no_plan = { .kind = PLAY_TONE, .tone = TONE_BUSY };
	struct play_item bad_kind = { .kind = (enum play_kind)42 };
	struct play_item ok = silence_item(10);
	struct player *pl = play_new();

	ck_assert_int_eq(play_enqueue(pl, &ok, 0, 0, NULL, NULL), -EINVAL);
	ck_assert_int_eq(play_enqueue(pl, NULL, 1, 0, NULL, NULL), -EINVAL);
	ck_assert_int_eq(play_enqueue(pl, &bad_prompt, 1, 0, NULL, NULL), -EINVAL);
	ck_assert_int_eq(play_enqueue(pl, &bad_tone, 1, 0, NULL, NULL), -EINVAL);
	ck_assert_int_eq(play_enqueue(pl, &no_plan, 1, 0, NULL, NULL), -EINVAL);
	ck_assert_int_eq(play_enqueue(pl, &bad_kind, 1, 0, NULL, NULL), -EINVAL);
	ck_assert_int_eq(play_enqueue(pl, &ok, 1, 0x80, NULL, NULL), -EINVAL);
	ck_assert(!play_busy(pl));
	play_free(pl);
	dsp_exit();
	ck_assert_ptr_null(play_new());
	ck_assert_int_eq(dsp_init(), 0);
}
END_TEST

/* The player holds its own references: the caller may drop its at once */
START_TEST(test_play_keeps_prompts_alive_while_queued)
{
	struct prompt *p = ramp("own.wav", 500, 7);
	struct play_item it = prompt_item(p, 0, false);
	struct done_log l = { 0 };
	struct player *pl = play_new();
	int16_t out[640], want[500];

	memcpy(want, p->pcm, sizeof(want));
	ck_assert_int_gt(play_enqueue(pl, &it, 1, 0, on_done, &l), 0);
	ck_assert_int_gt(play_enqueue(pl, &it, 1, 0, on_done, &l), 0);
	prompt_put(p);
	ck_assert_int_eq(run(pl, &l, out, 640, 160), 640);
	ck_assert(!memcmp(out, want, sizeof(want)));
	ck_assert(!memcmp(out + 500, want, 140 * sizeof(*out)));
	/* freeing the player ends (and reports) what is left */
	play_free(pl);
	ck_assert_int_eq(l.n, 2);
	ck_assert_int_eq(l.d[1].why, PLAY_STOPPED);
	ck_assert_uint_eq(l.d[1].played, 140);
}
END_TEST

static Suite *play_suite(void)
{
	Suite *s = suite_create("tdmxd_play");
	TCase *tc = tcase_create("play");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_play_sequence_plays_items_in_order_with_exact_sample_counts,
			    0, 6);
	tcase_add_test(tc, test_play_queued_sequences_follow_each_other_without_a_gap);
	tcase_add_test(tc, test_play_loop_repeats_seamlessly_until_stopped);
	tcase_add_test(tc, test_play_loop_that_plays_nothing_ends_instead_of_spinning);
	tcase_add_test(tc, test_play_tone_without_length_plays_until_stopped);
	tcase_add_test(tc, test_play_stop_takes_effect_at_the_next_block);
	tcase_add_test(tc, test_play_cancel_ends_one_sequence);
	tcase_add_test(tc, test_play_barge_in_stops_on_dtmf_only_when_allowed);
	tcase_add_test(tc, test_play_barge_in_flag_covers_every_item);
	tcase_add_test(tc, test_play_callback_can_queue_the_next_sequence_without_a_gap);
	tcase_add_test(tc, test_play_law_output_copies_the_cached_codes);
	tcase_add_test(tc, test_play_rejects_bad_sequences);
	tcase_add_test(tc, test_play_keeps_prompts_alive_while_queued);
	suite_add_tcase(s, tc);
	return s;
}

TDMX_CHECK_MAIN(play_suite)
