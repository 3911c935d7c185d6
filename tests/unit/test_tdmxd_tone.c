// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tdmxd tones: the plans hold the national values (checked here against
 * numbers written out independently of tone.c), and what the player
 * generates has those frequencies (Goertzel), levels (within 1 dB) and
 * cadences (to 2 samples: spandsp's off times are exact zeros, and a
 * burst may begin on a zero sample).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dsp.h"
#include "tone.h"
#include "unit.h"

/* ------------------------------------------------------------- helpers */

/* Amplitude of the @f Hz component of @n samples */
static double goertzel_amp(const int16_t *x, size_t n, double f)
{
	double w = 2.0 * M_PI * f / MEDIA_RATE, c = 2.0 * cos(w);
	double s0, s1 = 0.0, s2 = 0.0, re, im;
	size_t i;

	for (i = 0; i < n; i++) {
		s0 = x[i] + c * s1 - s2;
		s2 = s1;
		s1 = s0;
	}
	re = s1 - s2 * cos(w);
	im = s2 * sin(w);
	return 2.0 * sqrt(re * re + im * im) / (double)n;
}

static double goertzel_dbm0(const int16_t *x, size_t n, double f)
{
	return dsp_peak_to_dbm0(goertzel_amp(x, n, f));
}

static int16_t *render(const char *plan, enum tone_id id, size_t n, int chunk)
{
	int16_t *x = malloc(n * sizeof(*x));
	struct tone_player tp;
	size_t i;
	int k;

	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(tone_player_init(&tp), 0);
	ck_assert_int_eq(tone_start(&tp, tone_plan_find(plan), id), 0);
	for (i = 0; i < n; i += (size_t)k) {
		k = n - i < (size_t)chunk ? (int)(n - i) : chunk;
		ck_assert_int_eq(tone_generate(&tp, x + i, k), k);
	}
	tone_player_release(&tp);
	return x;
}

/* Runs of tone and of silence (>= 16 zeros), in samples, from the start */
static unsigned int runs(const int16_t *x, size_t n, unsigned int *run, unsigned int max)
{
	unsigned int nr = 0;
	size_t i = 0, j, zeros;

	while (i < n && nr < max) {
		/* a tone run ends where 16 zeros in a row begin */
		for (j = i, zeros = 0; j < n; j++) {
			zeros = x[j] ? 0 : zeros + 1;
			if (zeros == 16)
				break;
		}
		if (j == n) {
			run[nr++] = (unsigned int)(n - i);	/* to the end */
			break;
		}
		run[nr++] = (unsigned int)(j + 1 - 16 - i);
		for (i = j + 1 - 16; i < n && !x[i]; i++)
			;
		if (nr < max)
			run[nr++] = (unsigned int)(i - (j + 1 - 16));
	}
	return nr;
}

struct expect {
	const char *plan;
	enum tone_id id;
	unsigned int f1, f2;	/* Hz */
	int level;		/* dBm0 per frequency */
	unsigned int cadence[4];	/* ms, 0-terminated; one entry: steady */
};

/*
 * Two full cycles: every on and off time to 2 samples (the last run may
 * be cut by the end of the buffer), each burst's frequencies within 1 dB
 * of the level, nothing at a frequency the tone does not have.
 */
static void check_tone(const struct expect *e)
{
	unsigned int seg = 0, period = 0, i, nr, run[64];
	unsigned int off = 0;
	size_t n;
	int16_t *x;

	while (seg < 4 && e->cadence[seg])
		period += e->cadence[seg++];
	n = (size_t)DSP_SAMPLES(seg == 1 ? 3000 : 2 * period);
	x = render(e->plan, e->id, n, 160);
	nr = runs(x, n, run, 64);
	if (seg == 1) {
		ck_assert_msg(nr == 1, "%s %s: steady tone has %u runs", e->plan,
			      tone_name(e->id), nr);
	} else {
		ck_assert_uint_eq(nr, 2 * seg);
		for (i = 0; i < nr - 1; i++)
			ck_assert_msg(abs((int)run[i] - DSP_SAMPLES((int)e->cadence[i % seg])) <= 2,
				      "%s %s: run %u is %u samples, want %u ms",
				      e->plan, tone_name(e->id), i, run[i],
				      e->cadence[i % seg]);
	}
	for (i = 0; i < nr; i += 2) {
		const int16_t *b = x + off;
		unsigned int len = run[i];

		ck_assert_msg(fabs(goertzel_dbm0(b, len, e->f1) - e->level) < 1.0,
			      "%s %s: %u Hz at %.2f dBm0, want %d", e->plan,
			      tone_name(e->id), e->f1, goertzel_dbm0(b, len, e->f1), e->level);
		if (e->f2)
			ck_assert_msg(fabs(goertzel_dbm0(b, len, e->f2) - e->level) < 1.0,
				      "%s %s: %u Hz at %.2f dBm0, want %d", e->plan,
				      tone_name(e->id), e->f2, goertzel_dbm0(b, len, e->f2),
				      e->level);
		/* nothing 30 dB down at a frequency it does not have */
		ck_assert_double_lt(goertzel_dbm0(b, len, 1000.0), e->level - 30);
		ck_assert_double_lt(goertzel_dbm0(b, len, e->f1 + 100.0), e->level - 30);
		off += run[i] + (i + 1 < nr ? run[i + 1] : 0);
	}
	free(x);
}

static void setup(void)
{
	ck_assert_int_eq(dsp_init(), 0);
}

static void teardown(void)
{
	dsp_exit();
}

/* ---------------------------------------------------------------- plans */

START_TEST(test_tone_plans_cn_itu_eu_us_are_found_by_name_and_alias)
{
	static const char *const names[] = { "cn", "CN", "china", "itu", "eu", "us", "na" };
	unsigned int i;
	int t;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const struct tone_plan *p = tone_plan_find(names[i]);

		ck_assert_msg(p, "plan %s", names[i]);
		for (t = 0; t < TONE_COUNT; t++)
			ck_assert_msg(tone_plan_def(p, t), "%s lacks %s", names[i], tone_name(t));
	}
	ck_assert_ptr_eq(tone_plan_find("eu"), tone_plan_find("itu"));
	ck_assert_ptr_null(tone_plan_find("xx"));
	ck_assert_ptr_null(tone_plan_find(NULL));
	ck_assert_int_ge(tone_plan_count(), 3);
	for (i = 0; i < tone_plan_count(); i++)
		ck_assert_int_eq(tone_plan_index(tone_plan_at(i)), (int)i);
}
END_TEST

START_TEST(test_tone_names_parse_back)
{
	int t;

	for (t = 0; t < TONE_COUNT; t++)
		ck_assert_int_eq(tone_parse(tone_name(t)), t);
	ck_assert_int_eq(tone_parse("reorder"), TONE_CONGESTION);
	ck_assert_int_eq(tone_parse("Busy"), TONE_BUSY);
	ck_assert_int_eq(tone_parse("callwaiting"), TONE_CALL_WAITING);
	ck_assert_int_eq(tone_parse("CALL_WAITING"), TONE_CALL_WAITING);
	ck_assert_int_eq(tone_parse("call"), TONE_NONE);
	ck_assert_int_eq(tone_parse(""), TONE_NONE);
	ck_assert_int_eq(tone_parse("hum"), TONE_NONE);
	ck_assert_ptr_null(tone_name(TONE_COUNT));
	ck_assert_ptr_null(tone_name(TONE_NONE));
}
END_TEST

/* --------------------------------------------- the national values */

START_TEST(test_tone_cn_dial_is_450hz_continuous)
{
	static const struct expect e = { "cn", TONE_DIAL, 450, 0, -10, { 1000 } };

	check_tone(&e);
}
END_TEST

START_TEST(test_tone_cn_busy_is_450hz_350ms_on_350ms_off)
{
	static const struct expect e = { "cn", TONE_BUSY, 450, 0, -10, { 350, 350 } };

	check_tone(&e);
}
END_TEST

START_TEST(test_tone_cn_ringback_is_450hz_1s_on_4s_off)
{
	static const struct expect e = { "cn", TONE_RINGBACK, 450, 0, -10, { 1000, 4000 } };

	check_tone(&e);
}
END_TEST

START_TEST(test_tone_cn_congestion_is_450hz_700ms_on_700ms_off)
{
	static const struct expect e = { "cn", TONE_CONGESTION, 450, 0, -10, { 700, 700 } };

	check_tone(&e);
}
END_TEST

START_TEST(test_tone_cn_call_waiting_is_450hz_400ms_on_4s_off)
{
	static const struct expect e = { "cn", TONE_CALL_WAITING, 450, 0, -10, { 400, 4000 } };

	check_tone(&e);
}
END_TEST

START_TEST(test_tone_itu_tones_are_425hz_with_cept_cadences)
{
	static const struct expect e[] = {
		{ "itu", TONE_DIAL, 425, 0, -10, { 1000 } },
		{ "itu", TONE_BUSY, 425, 0, -10, { 500, 500 } },
		{ "itu", TONE_RINGBACK, 425, 0, -10, { 1000, 4000 } },
		{ "itu", TONE_CONGESTION, 425, 0, -10, { 250, 250 } },
		{ "itu", TONE_CALL_WAITING, 425, 0, -10, { 200, 200, 200, 5000 } },
	};
	unsigned int i;

	for (i = 0; i < sizeof(e) / sizeof(e[0]); i++)
		check_tone(&e[i]);
}
END_TEST

START_TEST(test_tone_us_dial_is_350_plus_440hz_continuous)
{
	static const struct expect e = { "us", TONE_DIAL, 350, 440, -13, { 1000 } };

	check_tone(&e);
}
END_TEST

START_TEST(test_tone_us_busy_is_480_plus_620hz_500ms_on_500ms_off)
{
	static const struct expect e = { "us", TONE_BUSY, 480, 620, -24, { 500, 500 } };

	check_tone(&e);
}
END_TEST

START_TEST(test_tone_us_ringback_is_440_plus_480hz_2s_on_4s_off)
{
	static const struct expect e = { "us", TONE_RINGBACK, 440, 480, -19, { 2000, 4000 } };

	check_tone(&e);
}
END_TEST

START_TEST(test_tone_us_reorder_is_480_plus_620hz_250ms_on_250ms_off)
{
	static const struct expect e = { "us", TONE_CONGESTION, 480, 620, -24, { 250, 250 } };

	check_tone(&e);
}
END_TEST

START_TEST(test_tone_us_call_waiting_is_440hz_300ms_every_10s)
{
	static const struct expect e = { "us", TONE_CALL_WAITING, 440, 0, -13, { 300, 9700 } };

	check_tone(&e);
}
END_TEST

/* Every tone of every plan, against the plan's own table */
START_TEST(test_tone_every_plan_generates_what_its_table_says)
{
	const struct tone_plan *p = tone_plan_at((unsigned int)_i / TONE_COUNT);
	enum tone_id id = (enum tone_id)(_i % TONE_COUNT);
	const struct tone_def *d = tone_plan_def(p, id);
	struct expect e = { p->name, id, d->f1, d->f2, d->level1, { 0 } };
	int s;

	ck_assert_int_eq(d->level1, d->f2 ? d->level2 : d->level1);
	for (s = 0; s < TONE_SEGMENTS; s++)
		e.cadence[s] = d->cadence_ms[s];
	check_tone(&e);
}
END_TEST

/* ------------------------------------------------------------- the player */

START_TEST(test_tone_output_does_not_depend_on_the_block_size)
{
	static const int chunks[] = { 1, 7, 80, 101, 160, 4000 };
	size_t n = DSP_SAMPLES(6000);
	int16_t *ref = render("us", TONE_RINGBACK, n, 8), *x;
	unsigned int i;

	for (i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
		x = render("us", TONE_RINGBACK, n, chunks[i]);
		ck_assert_msg(!memcmp(x, ref, n * sizeof(*x)), "chunk %d differs", chunks[i]);
		free(x);
	}
	free(ref);
}
END_TEST

/*
 * The steady tone is one oscillator: no click where spandsp wraps around
 * its cadence. A sine obeys x[n+1] + x[n-1] = 2 cos(w) x[n]; spandsp's
 * DDS stays within ~22 of that, a phase jump of 1 degree would not.
 */
START_TEST(test_tone_steady_dial_has_no_gap_or_phase_jump)
{
	static const char *const plans[] = { "cn", "itu" };
	size_t n = DSP_SAMPLES(3500), i;
	unsigned int p;

	for (p = 0; p < 2; p++) {
		const struct tone_def *d = tone_plan_def(tone_plan_find(plans[p]), TONE_DIAL);
		int16_t *x = render(plans[p], TONE_DIAL, n, 160);
		double c = 2.0 * cos(2.0 * M_PI * d->f1 / MEDIA_RATE);

		for (i = 1; i + 1 < n; i++)
			ck_assert_msg(fabs(x[i + 1] + x[i - 1] - c * x[i]) < 64,
				      "%s: not a sine at %zu", plans[p], i);
		/* and every 40 ms window carries it at its level */
		for (i = 0; i + 320 <= n; i += 320)
			ck_assert_double_lt(fabs(goertzel_dbm0(x + i, 320, d->f1) - d->level1),
					    1.0);
		free(x);
	}
}
END_TEST

START_TEST(test_tone_stop_silences_and_start_restarts_the_cadence)
{
	const struct tone_plan *cn = tone_plan_find("cn");
	struct tone_player tp;
	int16_t a[800], b[800];
	unsigned int i;

	ck_assert_int_eq(tone_player_init(&tp), 0);
	ck_assert(!tone_active(&tp));
	ck_assert_int_eq(tone_generate(&tp, a, 800), 0);
	for (i = 0; i < 800; i++)
		ck_assert_int_eq(a[i], 0);

	ck_assert_int_eq(tone_start(&tp, cn, TONE_BUSY), 0);
	ck_assert(tone_active(&tp));
	ck_assert_int_eq(tone_generate(&tp, a, 800), 800);
	tone_stop(&tp);
	ck_assert(!tone_active(&tp));
	ck_assert_int_eq(tone_generate(&tp, b, 800), 0);
	for (i = 0; i < 800; i++)
		ck_assert_int_eq(b[i], 0);

	ck_assert_int_eq(tone_start(&tp, cn, TONE_BUSY), 0);
	ck_assert_int_eq(tone_generate(&tp, b, 800), 800);
	ck_assert(!memcmp(a, b, sizeof(a)));
	tone_player_release(&tp);
}
END_TEST

START_TEST(test_tone_start_rejects_a_tone_or_plan_that_is_missing)
{
	struct tone_player tp;

	ck_assert_int_eq(tone_player_init(&tp), 0);
	ck_assert_int_eq(tone_start(&tp, NULL, TONE_BUSY), -EINVAL);
	ck_assert_int_eq(tone_start(&tp, tone_plan_find("cn"), TONE_COUNT), -EINVAL);
	ck_assert_int_eq(tone_start(&tp, tone_plan_find("cn"), TONE_NONE), -EINVAL);
	ck_assert(!tone_active(&tp));
	tone_player_release(&tp);
}
END_TEST

START_TEST(test_tone_player_needs_dsp_init)
{
	struct tone_player tp;

	ck_assert(!dsp_ready());
	ck_assert_int_eq(tone_player_init(&tp), -EPERM);
	ck_assert_int_eq(dsp_init(), 0);
	ck_assert_int_eq(dsp_init(), 0);	/* idempotent */
	ck_assert_int_eq(tone_player_init(&tp), 0);
	tone_player_release(&tp);
	dsp_exit();
	ck_assert(!dsp_ready());
}
END_TEST

START_TEST(test_tone_dbm0_helpers_agree_with_spandsp)
{
	int16_t x[8000];
	struct tone_player tp;

	ck_assert_double_lt(fabs(dsp_peak_to_dbm0(dsp_dbm0_to_peak(-13.0)) + 13.0), 1e-9);
	ck_assert_int_eq(tone_player_init(&tp), 0);
	ck_assert_int_eq(tone_start(&tp, tone_plan_find("us"), TONE_DIAL), 0);
	tone_generate(&tp, x, 8000);
	/* two tones at -13 dBm0 each: -10 dBm0 together */
	ck_assert_double_lt(fabs(dsp_power_dbm0(x, 8000) + 9.99), 0.3);
	tone_player_release(&tp);
}
END_TEST

static Suite *tone_suite(void)
{
	Suite *s = suite_create("tdmxd_tone");
	TCase *tc = tcase_create("tone");
	TCase *init = tcase_create("init");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_tone_plans_cn_itu_eu_us_are_found_by_name_and_alias);
	tcase_add_test(tc, test_tone_names_parse_back);
	tcase_add_test(tc, test_tone_cn_dial_is_450hz_continuous);
	tcase_add_test(tc, test_tone_cn_busy_is_450hz_350ms_on_350ms_off);
	tcase_add_test(tc, test_tone_cn_ringback_is_450hz_1s_on_4s_off);
	tcase_add_test(tc, test_tone_cn_congestion_is_450hz_700ms_on_700ms_off);
	tcase_add_test(tc, test_tone_cn_call_waiting_is_450hz_400ms_on_4s_off);
	tcase_add_test(tc, test_tone_itu_tones_are_425hz_with_cept_cadences);
	tcase_add_test(tc, test_tone_us_dial_is_350_plus_440hz_continuous);
	tcase_add_test(tc, test_tone_us_busy_is_480_plus_620hz_500ms_on_500ms_off);
	tcase_add_test(tc, test_tone_us_ringback_is_440_plus_480hz_2s_on_4s_off);
	tcase_add_test(tc, test_tone_us_reorder_is_480_plus_620hz_250ms_on_250ms_off);
	tcase_add_test(tc, test_tone_us_call_waiting_is_440hz_300ms_every_10s);
	tcase_add_loop_test(tc, test_tone_every_plan_generates_what_its_table_says, 0,
			    (int)(tone_plan_count() * TONE_COUNT));
	tcase_add_test(tc, test_tone_output_does_not_depend_on_the_block_size);
	tcase_add_test(tc, test_tone_steady_dial_has_no_gap_or_phase_jump);
	tcase_add_test(tc, test_tone_stop_silences_and_start_restarts_the_cadence);
	tcase_add_test(tc, test_tone_start_rejects_a_tone_or_plan_that_is_missing);
	tcase_add_test(tc, test_tone_dbm0_helpers_agree_with_spandsp);
	suite_add_tcase(s, tc);
	tcase_add_test(init, test_tone_player_needs_dsp_init);
	suite_add_tcase(s, init);
	return s;
}

TDMX_CHECK_MAIN(tone_suite)
