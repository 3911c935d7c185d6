// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tdmxd cross-worker ring: order, full and empty, bad arguments, the
 * jitter buffer's priming, underruns and slips, and a two-thread stress
 * run that checks every element's order and content.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <string.h>

#include "unit.h"
#include "xring.h"

START_TEST(test_xring_refuses_bad_sizes)
{
	struct xring *r;

	ck_assert_int_eq(xring_new(&r, 0, 8), -EINVAL);
	ck_assert_int_eq(xring_new(&r, 1, 8), -EINVAL);
	ck_assert_int_eq(xring_new(&r, 24, 8), -EINVAL);
	ck_assert_int_eq(xring_new(&r, 16, 0), -EINVAL);
	ck_assert_int_eq(xring_new(&r, 16, XRING_MAX_ELEM + 1), -EINVAL);
	ck_assert_int_eq(xring_new(&r, 16, XRING_MAX_ELEM), 0);
	ck_assert_uint_eq(xring_cap(r), 16);
	xring_free(r);
}
END_TEST

START_TEST(test_xring_keeps_order_and_refuses_when_full_or_empty)
{
	struct xring *r;
	uint64_t v, i;

	ck_assert_int_eq(xring_new(&r, 8, sizeof(v)), 0);
	ck_assert_int_eq(xring_pop(r, &v), -EAGAIN);
	for (i = 0; i < 8; i++)
		ck_assert_int_eq(xring_push(r, &i), 0);
	ck_assert_int_eq(xring_push(r, &i), -ENOBUFS);
	ck_assert_uint_eq(xring_overruns(r), 1);
	ck_assert_uint_eq(xring_count(r), 8);
	for (i = 0; i < 5; i++) {
		ck_assert_int_eq(xring_pop(r, &v), 0);
		ck_assert_uint_eq(v, i);
	}
	/* wraps around the end of the storage */
	for (i = 8; i < 13; i++)
		ck_assert_int_eq(xring_push(r, &i), 0);
	xring_discard(r, 2);
	for (i = 7; i < 13; i++) {
		ck_assert_int_eq(xring_pop(r, &v), 0);
		ck_assert_uint_eq(v, i);
	}
	ck_assert_int_eq(xring_pop(r, &v), -EAGAIN);
	xring_discard(r, 5);	/* more than there is: nothing happens */
	ck_assert_uint_eq(xring_count(r), 0);
	xring_free(r);
}
END_TEST

static void push_n(struct xring *r, uint64_t *next, unsigned int n)
{
	while (n--) {
		ck_assert_int_eq(xring_push(r, next), 0);
		(*next)++;
	}
}

START_TEST(test_xring_jitter_buffer_primes_then_plays_gap_free)
{
	struct xring_jb jb = { .prime = 10, .high = 30 };
	uint64_t next = 1, out[10], fill = 0, want = 1;
	struct xring *r;
	unsigned int i, k;

	ck_assert_int_eq(xring_new(&r, 64, sizeof(uint64_t)), 0);
	push_n(r, &next, 10);
	/* 10 waiting, 10 wanted + 10 reserve: still priming, all silence */
	ck_assert_uint_eq(xring_take(r, &jb, out, sizeof(out[0]), 10, &fill), 0);
	for (i = 0; i < 10; i++)
		ck_assert_uint_eq(out[i], 0);
	push_n(r, &next, 10);
	/* the producer's batches of 10 come before or after our takes: the
	 * reserve absorbs it, every element comes once, in order */
	for (k = 0; k < 40; k++) {
		ck_assert_uint_eq(xring_take(r, &jb, out, sizeof(out[0]), 10, &fill), 10);
		for (i = 0; i < 10; i++)
			ck_assert_uint_eq(out[i], want++);
		if (k % 7 == 3) {
			push_n(r, &next, 20);	/* two batches in one of our intervals ... */
			k++;			/* ... after none in the one before */
			ck_assert_uint_eq(xring_take(r, &jb, out, sizeof(out[0]), 10, &fill), 10);
			for (i = 0; i < 10; i++)
				ck_assert_uint_eq(out[i], want++);
		} else {
			push_n(r, &next, 10);
		}
	}
	ck_assert_uint_eq(jb.underruns, 0);
	ck_assert_uint_eq(jb.slips, 0);
	xring_free(r);
}
END_TEST

START_TEST(test_xring_jitter_buffer_underrun_primes_again_without_the_burst)
{
	struct xring_jb jb = { .prime = 4, .high = 20 };
	uint64_t next = 1, out[8], fill = 0;
	struct xring *r;

	ck_assert_int_eq(xring_new(&r, 64, sizeof(uint64_t)), 0);
	push_n(r, &next, 12);
	ck_assert_uint_eq(xring_take(r, &jb, out, sizeof(out[0]), 8, &fill), 8);
	ck_assert_uint_eq(out[7], 8);
	/* 4 left, 8 wanted: 4 real, 4 silence, and priming again */
	ck_assert_uint_eq(xring_take(r, &jb, out, sizeof(out[0]), 8, &fill), 4);
	ck_assert_uint_eq(out[3], 12);
	ck_assert_uint_eq(out[4], 0);
	ck_assert_uint_eq(jb.underruns, 1);
	/* the producer catches up with a burst of 24: the buffer keeps
	 * 8 + 4 of it, the newest, and plays on at once */
	push_n(r, &next, 24);
	ck_assert_uint_eq(xring_take(r, &jb, out, sizeof(out[0]), 8, &fill), 8);
	ck_assert_uint_eq(out[0], 25);
	ck_assert_uint_eq(xring_count(r), 4);
	/* on time from now on: no slip */
	push_n(r, &next, 8);
	ck_assert_uint_eq(xring_take(r, &jb, out, sizeof(out[0]), 8, &fill), 8);
	ck_assert_uint_eq(out[0], 33);
	ck_assert_uint_eq(jb.slips, 0);
	xring_free(r);
}
END_TEST

START_TEST(test_xring_jitter_buffer_primes_to_its_reserve_exactly)
{
	struct xring_jb jb = { .prime = 4, .high = 20 };
	uint64_t next = 1, out[8], fill = 0;
	struct xring *r;

	ck_assert_int_eq(xring_new(&r, 64, sizeof(uint64_t)), 0);
	/* a producer that started long before the consumer */
	push_n(r, &next, 40);
	ck_assert_uint_eq(xring_take(r, &jb, out, sizeof(out[0]), 8, &fill), 8);
	ck_assert_uint_eq(out[0], 29);
	ck_assert_uint_eq(xring_count(r), 4);
	ck_assert_uint_eq(jb.slips, 0);
	xring_free(r);
}
END_TEST

START_TEST(test_xring_jitter_buffer_slips_back_to_its_reserve)
{
	struct xring_jb jb = { .prime = 4, .high = 10 };
	uint64_t next = 1, out[4], fill = 0;
	struct xring *r;

	ck_assert_int_eq(xring_new(&r, 64, sizeof(uint64_t)), 0);
	push_n(r, &next, 8);
	ck_assert_uint_eq(xring_take(r, &jb, out, sizeof(out[0]), 4, &fill), 4);
	ck_assert_uint_eq(out[0], 1);
	/* the consumer stalled: 4 + 20 wait, more than 4 + high */
	push_n(r, &next, 20);
	ck_assert_uint_eq(xring_take(r, &jb, out, sizeof(out[0]), 4, &fill), 4);
	/* it kept the newest 4 + 4: elements 21..28 */
	ck_assert_uint_eq(out[0], 21);
	ck_assert_uint_eq(jb.slips, 1);
	ck_assert_uint_eq(jb.dropped, 16);
	ck_assert_uint_eq(xring_count(r), 4);
	xring_free(r);
}
END_TEST

/* ------------------------------------------------------- two threads */

#define STRESS_N	2000000u
#define STRESS_ELEM	8

struct stress {
	struct xring *r;
	uint64_t bad;
	uint64_t got;
};

/* element i: 8 octets derived from i, so a torn or stale slot shows */
static void stress_elem(uint64_t i, uint8_t e[STRESS_ELEM])
{
	uint64_t x = i * 0x9E3779B97F4A7C15ull ^ (i >> 7);

	memcpy(e, &x, STRESS_ELEM);
}

static void *stress_producer(void *arg)
{
	struct stress *s = arg;
	uint8_t e[STRESS_ELEM];
	uint64_t i;

	for (i = 0; i < STRESS_N; i++) {
		stress_elem(i, e);
		while (xring_push(s->r, e))
			sched_yield();
	}
	return NULL;
}

START_TEST(test_xring_two_threads_keep_order_and_content)
{
	uint8_t e[STRESS_ELEM], want[STRESS_ELEM], batch[64 * STRESS_ELEM];
	struct stress s = { 0 };
	pthread_t t;
	uint64_t i = 0;
	unsigned int k, n;

	ck_assert_int_eq(xring_new(&s.r, 64, STRESS_ELEM), 0);
	ck_assert_int_eq(pthread_create(&t, NULL, stress_producer, &s), 0);
	while (i < STRESS_N) {
		/* alternate single pops and batches, as the engine takes them */
		if (i & 1) {
			if (xring_pop(s.r, e)) {
				sched_yield();
				continue;
			}
			stress_elem(i++, want);
			if (memcmp(e, want, STRESS_ELEM))
				s.bad++;
			continue;
		}
		n = xring_count(s.r);
		if (!n) {
			sched_yield();
			continue;
		}
		if (n > 64)
			n = 64;
		{
			struct xring_jb jb = { .prime = 0, .high = 1u << 20, .primed = 1 };
			uint8_t fill[STRESS_ELEM] = { 0 };

			ck_assert_uint_eq(xring_take(s.r, &jb, batch, STRESS_ELEM, n, fill), n);
		}
		for (k = 0; k < n; k++) {
			stress_elem(i++, want);
			if (memcmp(batch + k * STRESS_ELEM, want, STRESS_ELEM))
				s.bad++;
		}
	}
	ck_assert_int_eq(pthread_join(t, NULL), 0);
	ck_assert_int_eq(xring_pop(s.r, e), -EAGAIN);
	ck_assert_uint_eq(s.bad, 0);
	xring_free(s.r);
}
END_TEST

static Suite *xring_suite(void)
{
	Suite *s = suite_create("tdmxd_xring");
	TCase *tc = tcase_create("xring");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_xring_refuses_bad_sizes);
	tcase_add_test(tc, test_xring_keeps_order_and_refuses_when_full_or_empty);
	tcase_add_test(tc, test_xring_jitter_buffer_primes_then_plays_gap_free);
	tcase_add_test(tc, test_xring_jitter_buffer_underrun_primes_again_without_the_burst);
	tcase_add_test(tc, test_xring_jitter_buffer_primes_to_its_reserve_exactly);
	tcase_add_test(tc, test_xring_jitter_buffer_slips_back_to_its_reserve);
	tcase_add_test(tc, test_xring_two_threads_keep_order_and_content);
	suite_add_tcase(s, tc);
	return s;
}

TDMX_CHECK_MAIN(xring_suite)
