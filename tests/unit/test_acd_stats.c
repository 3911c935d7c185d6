// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ACD rolling-window statistics (userspace/tdmxd/acd_stats.c): which events
 * each window counts, the definitions of SL, ASA, AHT, longest wait and
 * occupancy, and arithmetic at extreme values. Times are chosen on bucket
 * boundaries where the test is about a boundary, mid-bucket elsewhere.
 */
#include <stdint.h>

#include "unit.h"
#include "acd_stats.h"

#define SEC	1000ULL
#define MIN	(60 * SEC)
#define HOUR	(60 * MIN)
#define T0	(1000 * HOUR + 30 * SEC)	/* mid-minute, mid-quarter */

static struct acd_stats *s;

static void setup(void)
{
	s = acd_stats_new(20 * SEC, 5 * SEC);
	ck_assert_ptr_nonnull(s);
}

static void teardown(void)
{
	acd_stats_free(s);
}

static struct acd_figures get(uint64_t now, enum acd_win w)
{
	struct acd_figures f;

	acd_stats_get(s, now, w, &f);
	return f;
}

START_TEST(test_acd_stats_event_16_min_ago_is_out_of_15min_window_but_in_1h)
{
	acd_stats_offered(s, T0);
	ck_assert_uint_eq(get(T0 + 14 * MIN, ACD_WIN_15MIN).offered, 1);
	ck_assert_uint_eq(get(T0 + 16 * MIN, ACD_WIN_15MIN).offered, 0);
	ck_assert_uint_eq(get(T0 + 16 * MIN, ACD_WIN_1H).offered, 1);
	ck_assert_uint_eq(get(T0 + 16 * MIN, ACD_WIN_DAY).offered, 1);
}
END_TEST

START_TEST(test_acd_stats_window_edge_is_exact_to_one_bucket)
{
	uint64_t m = 5100 * MIN;	/* start of a minute and of a quarter */

	acd_stats_offered(s, m);
	/* last ms of the 15th minute bucket counting from m: still in */
	ck_assert_uint_eq(get(m + 15 * MIN - 1, ACD_WIN_15MIN).offered, 1);
	ck_assert_uint_eq(get(m + 15 * MIN, ACD_WIN_15MIN).offered, 0);
	ck_assert_uint_eq(get(m + 60 * MIN - 1, ACD_WIN_1H).offered, 1);
	ck_assert_uint_eq(get(m + 60 * MIN, ACD_WIN_1H).offered, 0);
	ck_assert_uint_eq(get(m + 24 * HOUR - 1, ACD_WIN_DAY).offered, 1);
	ck_assert_uint_eq(get(m + 24 * HOUR, ACD_WIN_DAY).offered, 0);
}
END_TEST

START_TEST(test_acd_stats_day_window_keeps_23h_drops_25h)
{
	acd_stats_offered(s, T0);
	acd_stats_offered(s, T0 + 2 * HOUR);
	ck_assert_uint_eq(get(T0 + 25 * HOUR, ACD_WIN_DAY).offered, 1);
	ck_assert_uint_eq(get(T0 + 25 * HOUR, ACD_WIN_1H).offered, 0);
	ck_assert_uint_eq(get(T0 + 23 * HOUR, ACD_WIN_DAY).offered, 2);
}
END_TEST

START_TEST(test_acd_stats_events_after_now_are_not_counted)
{
	acd_stats_offered(s, T0 + 2 * MIN);
	ck_assert_uint_eq(get(T0, ACD_WIN_15MIN).offered, 0);
	ck_assert_uint_eq(get(T0 + 2 * MIN, ACD_WIN_15MIN).offered, 1);
}
END_TEST

START_TEST(test_acd_stats_reused_slot_forgets_the_old_bucket)
{
	/* minute T0 and minute T0 + 60 share a slot of the minute ring */
	acd_stats_offered(s, T0);
	acd_stats_offered(s, T0);
	acd_stats_offered(s, T0 + HOUR);
	ck_assert_uint_eq(get(T0 + HOUR, ACD_WIN_1H).offered, 1);
	ck_assert_uint_eq(get(T0 + HOUR, ACD_WIN_DAY).offered, 3);
}
END_TEST

START_TEST(test_acd_stats_late_event_counts_where_its_time_still_fits)
{
	acd_stats_offered(s, T0 + HOUR);
	/* an hour older than the newest minute bucket: its minute slot is
	 * taken by a newer bucket, but the day ring still holds its quarter */
	acd_stats_offered(s, T0);
	ck_assert_uint_eq(get(T0 + HOUR, ACD_WIN_1H).offered, 1);
	ck_assert_uint_eq(get(T0 + HOUR, ACD_WIN_DAY).offered, 2);
}
END_TEST

START_TEST(test_acd_stats_sl_counts_answers_within_threshold_and_excludes_short_abandons)
{
	struct acd_figures f;

	for (int i = 0; i < 10; i++)
		acd_stats_offered(s, T0);
	acd_stats_answered(s, T0 + SEC, 0);
	acd_stats_answered(s, T0 + SEC, 10 * SEC);
	acd_stats_answered(s, T0 + SEC, 20 * SEC);		/* exactly T: within */
	acd_stats_answered(s, T0 + SEC, 20 * SEC + 1);
	acd_stats_answered(s, T0 + SEC, 60 * SEC);
	acd_stats_abandoned(s, T0 + SEC, 0);			/* short */
	acd_stats_abandoned(s, T0 + SEC, 5 * SEC - 1);		/* short */
	acd_stats_abandoned(s, T0 + SEC, 5 * SEC);		/* not short */
	acd_stats_overflowed(s, T0 + SEC, 90 * SEC);
	f = get(T0 + 2 * SEC, ACD_WIN_15MIN);
	ck_assert_uint_eq(f.offered, 10);
	ck_assert_uint_eq(f.answered, 5);
	ck_assert_uint_eq(f.answered_in_sl, 3);
	ck_assert_uint_eq(f.abandoned, 3);
	ck_assert_uint_eq(f.short_abandoned, 2);
	ck_assert_uint_eq(f.overflowed, 1);
	/* 3 * 1000 / (10 - 2) */
	ck_assert_uint_eq(f.sl_permille, 375);
}
END_TEST

START_TEST(test_acd_stats_sl_is_1000_when_nothing_was_offered)
{
	ck_assert_uint_eq(get(T0, ACD_WIN_15MIN).sl_permille, 1000);
	acd_stats_offered(s, T0);
	acd_stats_abandoned(s, T0, SEC);	/* short: nothing left to serve */
	ck_assert_uint_eq(get(T0, ACD_WIN_15MIN).sl_permille, 1000);
}
END_TEST

START_TEST(test_acd_stats_sl_is_capped_when_answers_outnumber_offers)
{
	/* offered before the window, answered in it */
	acd_stats_offered(s, T0);
	acd_stats_offered(s, T0 + 20 * MIN);
	acd_stats_answered(s, T0 + 20 * MIN, SEC);
	acd_stats_answered(s, T0 + 20 * MIN, SEC);
	ck_assert_uint_eq(get(T0 + 20 * MIN, ACD_WIN_15MIN).sl_permille, 1000);
	ck_assert_uint_eq(get(T0 + 20 * MIN, ACD_WIN_1H).sl_permille, 1000);
}
END_TEST

START_TEST(test_acd_stats_asa_is_the_mean_wait_of_answered_calls)
{
	acd_stats_answered(s, T0, 1000);
	acd_stats_answered(s, T0, 2000);
	acd_stats_answered(s, T0, 4001);
	acd_stats_abandoned(s, T0, 100000);	/* not an answered call */
	ck_assert_uint_eq(get(T0, ACD_WIN_15MIN).asa_ms, 2334);	/* 7001 / 3 */
	ck_assert_uint_eq(get(T0, ACD_WIN_15MIN).answered, 3);
}
END_TEST

START_TEST(test_acd_stats_aht_is_the_mean_talk_plus_wrap_of_handled_calls)
{
	struct acd_figures f;

	acd_stats_handled(s, T0, 100 * SEC, 20 * SEC);
	acd_stats_handled(s, T0 + 30 * MIN, 50 * SEC, 10 * SEC);
	f = get(T0 + 30 * MIN, ACD_WIN_1H);
	ck_assert_uint_eq(f.handled, 2);
	ck_assert_uint_eq(f.aht_ms, 90 * SEC);
	ck_assert_uint_eq(get(T0 + 30 * MIN, ACD_WIN_15MIN).aht_ms, 60 * SEC);
}
END_TEST

START_TEST(test_acd_stats_longest_wait_of_any_ended_wait_in_window)
{
	acd_stats_abandoned(s, T0, 300 * SEC);
	acd_stats_answered(s, T0 + 20 * MIN, 5 * SEC);
	acd_stats_abandoned(s, T0 + 20 * MIN, 9 * SEC);
	acd_stats_overflowed(s, T0 + 20 * MIN, 7 * SEC);
	ck_assert_uint_eq(get(T0 + 20 * MIN, ACD_WIN_15MIN).longest_wait_ms, 9 * SEC);
	ck_assert_uint_eq(get(T0 + 20 * MIN, ACD_WIN_1H).longest_wait_ms, 300 * SEC);
	ck_assert_uint_eq(get(T0 + 40 * MIN, ACD_WIN_15MIN).longest_wait_ms, 0);
}
END_TEST

START_TEST(test_acd_stats_occupancy_is_busy_over_busy_plus_available)
{
	ck_assert_uint_eq(get(T0, ACD_WIN_15MIN).occupancy_permille, 0);
	acd_stats_agent_time(s, T0, 45 * SEC, 15 * SEC);
	ck_assert_uint_eq(get(T0, ACD_WIN_15MIN).occupancy_permille, 750);
}
END_TEST

START_TEST(test_acd_stats_agent_time_is_spread_over_the_buckets_it_covers)
{
	uint64_t m = 1000 * MIN;	/* start of a minute */
	struct acd_figures f;

	acd_stats_agent_time(s, m, 0, 2 * HOUR);		/* minutes 880..999 */
	acd_stats_agent_time(s, m + 30 * MIN, 30 * MIN, 0);	/* minutes 1000..1029 */
	/* window at m + 30 min: minutes 971..1030, i.e. 29 min idle, 30 busy */
	f = get(m + 30 * MIN, ACD_WIN_1H);
	ck_assert_uint_eq(f.occupancy_permille, 30 * 1000 / 59);
	f = get(m + 30 * MIN, ACD_WIN_15MIN);
	ck_assert_uint_eq(f.occupancy_permille, 1000);
	/* the day holds it all: 30 min busy of 150 */
	ck_assert_uint_eq(get(m + 30 * MIN, ACD_WIN_DAY).occupancy_permille, 200);
}
END_TEST

START_TEST(test_acd_stats_agent_time_before_clock_zero_is_dropped)
{
	acd_stats_agent_time(s, 30 * SEC, 60 * SEC, 60 * SEC);
	/* the last 30 s of the 120: 15 s busy, 15 s available */
	ck_assert_uint_eq(get(30 * SEC, ACD_WIN_15MIN).occupancy_permille, 500);
}
END_TEST

START_TEST(test_acd_stats_unknown_window_reads_zero)
{
	struct acd_figures f;

	acd_stats_offered(s, T0);
	acd_stats_get(s, T0, ACD_WIN__N, &f);
	ck_assert_uint_eq(f.offered, 0);
	ck_assert_uint_eq(f.sl_permille, 0);
	ck_assert_uint_eq(acd_stats_window_ms(ACD_WIN__N), 0);
	ck_assert_uint_eq(acd_stats_window_ms(ACD_WIN_15MIN), 15 * MIN);
	ck_assert_uint_eq(acd_stats_window_ms(ACD_WIN_1H), HOUR);
	ck_assert_uint_eq(acd_stats_window_ms(ACD_WIN_DAY), 24 * HOUR);
}
END_TEST

START_TEST(test_acd_stats_uint32_max_waits_and_handle_times_do_not_wrap)
{
	struct acd_figures f;

	for (int i = 0; i < 3; i++) {
		acd_stats_answered(s, T0, UINT32_MAX);
		acd_stats_handled(s, T0, UINT32_MAX, UINT32_MAX);
	}
	f = get(T0, ACD_WIN_DAY);
	ck_assert_uint_eq(f.asa_ms, UINT32_MAX);
	ck_assert_uint_eq(f.longest_wait_ms, UINT32_MAX);
	ck_assert_uint_eq(f.aht_ms, UINT32_MAX);	/* 2^33 saturates */
	ck_assert_uint_eq(f.answered_in_sl, 0);
}
END_TEST

START_TEST(test_acd_stats_a_million_events_in_one_bucket_sum_exactly)
{
	struct acd_figures f;
	const uint32_t n = 1000000;

	for (uint32_t i = 0; i < n; i++) {
		acd_stats_offered(s, T0);
		acd_stats_answered(s, T0, i % 2 ? UINT32_MAX : UINT32_MAX - 2);
		acd_stats_agent_time(s, T0, UINT32_MAX, UINT32_MAX / 3);
	}
	for (int w = 0; w < ACD_WIN__N; w++) {
		f = get(T0, w);
		ck_assert_uint_eq(f.offered, n);
		ck_assert_uint_eq(f.answered, n);
		ck_assert_uint_eq(f.asa_ms, UINT32_MAX - 1);
		ck_assert_uint_eq(f.sl_permille, 0);
		/* busy is 3/4 of the time, less the part before T0's bucket */
		ck_assert_uint_eq(f.occupancy_permille, 750);
	}
}
END_TEST

START_TEST(test_acd_stats_work_near_the_end_of_the_clock)
{
	uint64_t t = UINT64_MAX - 1;

	acd_stats_offered(s, t);
	acd_stats_answered(s, t, 3 * SEC);
	acd_stats_agent_time(s, t, 10 * SEC, 10 * SEC);
	ck_assert_uint_eq(get(t, ACD_WIN_15MIN).offered, 1);
	ck_assert_uint_eq(get(t, ACD_WIN_DAY).asa_ms, 3 * SEC);
	ck_assert_uint_eq(get(t, ACD_WIN_1H).occupancy_permille, 500);
}
END_TEST

static Suite *acd_stats_suite(void)
{
	Suite *su = suite_create("acd_stats");
	TCase *tc = tcase_create("stats");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_acd_stats_event_16_min_ago_is_out_of_15min_window_but_in_1h);
	tcase_add_test(tc, test_acd_stats_window_edge_is_exact_to_one_bucket);
	tcase_add_test(tc, test_acd_stats_day_window_keeps_23h_drops_25h);
	tcase_add_test(tc, test_acd_stats_events_after_now_are_not_counted);
	tcase_add_test(tc, test_acd_stats_reused_slot_forgets_the_old_bucket);
	tcase_add_test(tc, test_acd_stats_late_event_counts_where_its_time_still_fits);
	tcase_add_test(tc, test_acd_stats_sl_counts_answers_within_threshold_and_excludes_short_abandons);
	tcase_add_test(tc, test_acd_stats_sl_is_1000_when_nothing_was_offered);
	tcase_add_test(tc, test_acd_stats_sl_is_capped_when_answers_outnumber_offers);
	tcase_add_test(tc, test_acd_stats_asa_is_the_mean_wait_of_answered_calls);
	tcase_add_test(tc, test_acd_stats_aht_is_the_mean_talk_plus_wrap_of_handled_calls);
	tcase_add_test(tc, test_acd_stats_longest_wait_of_any_ended_wait_in_window);
	tcase_add_test(tc, test_acd_stats_occupancy_is_busy_over_busy_plus_available);
	tcase_add_test(tc, test_acd_stats_agent_time_is_spread_over_the_buckets_it_covers);
	tcase_add_test(tc, test_acd_stats_agent_time_before_clock_zero_is_dropped);
	tcase_add_test(tc, test_acd_stats_unknown_window_reads_zero);
	tcase_add_test(tc, test_acd_stats_uint32_max_waits_and_handle_times_do_not_wrap);
	tcase_add_test(tc, test_acd_stats_a_million_events_in_one_bucket_sum_exactly);
	tcase_add_test(tc, test_acd_stats_work_near_the_end_of_the_clock);
	suite_add_tcase(su, tc);
	return su;
}

TDMX_CHECK_MAIN(acd_stats_suite)
