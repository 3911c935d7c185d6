// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * G.711 tables (userspace/tdmxd/g711.c), exhaustively: every int16 input
 * and every code, against a reference written here from the G.711 tables
 * (segment starts and step sizes, an interval search; no shifts or biases),
 * and against spandsp where its conventions are the same.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <spandsp.h>

#include "unit.h"
#include "g711.h"

/*
 * G.711 Table 1 (A-law), magnitudes in 13-bit units (4096 = overload):
 * segment s holds 16 intervals of a_step[s] from a_start[s]; the decoder
 * output is the middle of the interval.
 */
static const int a_start[8] = { 0, 32, 64, 128, 256, 512, 1024, 2048 };
static const int a_step[8] = { 2, 2, 4, 8, 16, 32, 64, 128 };

/*
 * G.711 Table 2 (mu-law), magnitudes in 14-bit units (8159 = overload):
 * decision values 1, 3, ..., 29 | 31, 35, ... | 95, ... | ... | 4063, ...,
 * 7903; interval 0 is [0, 1) with output 0, written here as starting at -1
 * so that every interval is [start + k * step, + step) with its output in
 * the middle.
 */
static const int u_start[8] = { -1, 31, 95, 223, 479, 991, 2015, 4063 };
static const int u_step[8] = { 2, 4, 8, 16, 32, 64, 128, 256 };

static int decision(const int *start, const int *step, int n)
{
	return start[n / 16] + (n % 16) * step[n / 16];
}

static int output(const int *start, const int *step, int n)
{
	return decision(start, step, n) + step[n / 16] / 2;
}

/* the interval holding magnitude m: decision values are lower bounds */
static int interval(const int *start, const int *step, int m)
{
	int n = 127;

	while (decision(start, step, n) > m)
		n--;
	return n;
}

static int floor_div(int x, int d)
{
	return x >= 0 ? x / d : -((-x + d - 1) / d);
}

/* A-law: 13-bit value, one's complement magnitude for negative values */
static uint8_t ref_alaw(int x)
{
	int v = floor_div(x, 8), m = v >= 0 ? v : -v - 1;

	return (uint8_t)(((v >= 0 ? 0x80 : 0) | interval(a_start, a_step, m)) ^ 0x55);
}

/* mu-law: one's complement (ours) or sign and magnitude (spandsp's) */
static uint8_t ref_ulaw(int x, bool sign_magnitude)
{
	int v = floor_div(x, 4), m;

	if (sign_magnitude)
		m = abs(x) / 4;
	else
		m = v >= 0 ? v : -v - 1;
	return (uint8_t)((x >= 0 ? 0x80 : 0) | (interval(u_start, u_step, m) ^ 0x7F));
}

static int ref_alaw_value(uint8_t c)
{
	int n = (c ^ 0x55) & 0x7F, v = 8 * output(a_start, a_step, n);

	return c & 0x80 ? v : -v;
}

static int ref_ulaw_value(uint8_t c)
{
	int n = (c & 0x7F) ^ 0x7F, v = 4 * output(u_start, u_step, n);

	return c & 0x80 ? v : -v;
}

static bool is_ulaw_decision_level(int m14)
{
	int n;

	for (n = 1; n < 128; n++)
		if (decision(u_start, u_step, n) == m14)
			return true;
	return false;
}

static bool is_ulaw_segment_start(int m14)
{
	int s;

	for (s = 1; s < 8; s++)
		if (u_start[s] == m14)
			return true;
	return false;
}

START_TEST(test_g711_alaw_encodes_all_65536_inputs_like_the_g711_table)
{
	int x;

	for (x = INT16_MIN; x <= INT16_MAX; x++)
		ck_assert_msg(g711_alaw_encode((int16_t)x) == ref_alaw(x),
			      "x=%d: 0x%02x, table says 0x%02x", x,
			      g711_alaw_encode((int16_t)x), ref_alaw(x));
}
END_TEST

START_TEST(test_g711_ulaw_encodes_all_65536_inputs_like_the_g711_table)
{
	int x;

	for (x = INT16_MIN; x <= INT16_MAX; x++)
		ck_assert_msg(g711_ulaw_encode((int16_t)x) == ref_ulaw(x, false),
			      "x=%d: 0x%02x, table says 0x%02x", x,
			      g711_ulaw_encode((int16_t)x), ref_ulaw(x, false));
}
END_TEST

START_TEST(test_g711_alaw_decodes_all_256_codes_to_the_g711_values)
{
	int c;

	for (c = 0; c < 256; c++)
		ck_assert_int_eq(g711_alaw_decode((uint8_t)c), ref_alaw_value((uint8_t)c));
	ck_assert_int_eq(g711_alaw_decode(0xAA), 32256);	/* segment 7, top */
	ck_assert_int_eq(g711_alaw_decode(0x2A), -32256);
	ck_assert_int_eq(g711_alaw_decode(G711_ALAW_IDLE), 8);
}
END_TEST

START_TEST(test_g711_ulaw_decodes_all_256_codes_to_the_g711_values)
{
	int c;

	for (c = 0; c < 256; c++)
		ck_assert_int_eq(g711_ulaw_decode((uint8_t)c), ref_ulaw_value((uint8_t)c));
	ck_assert_int_eq(g711_ulaw_decode(0x80), 32124);	/* 8031 x 4 */
	ck_assert_int_eq(g711_ulaw_decode(0x00), -32124);
	ck_assert_int_eq(g711_ulaw_decode(G711_ULAW_IDLE), 0);
	ck_assert_int_eq(g711_ulaw_decode(0x7F), 0);
}
END_TEST

START_TEST(test_g711_reencoding_a_decoded_value_gives_it_back)
{
	int c;

	for (c = 0; c < 256; c++) {
		int16_t a = g711_alaw_decode((uint8_t)c), u = g711_ulaw_decode((uint8_t)c);

		ck_assert_int_eq(g711_alaw_decode(g711_alaw_encode(a)), a);
		ck_assert_int_eq(g711_ulaw_decode(g711_ulaw_encode(u)), u);
		ck_assert_int_eq(g711_alaw_encode(a), c);
		/* mu-law -0 decodes to 0, which encodes as +0 */
		ck_assert_int_eq(g711_ulaw_encode(u), c == 0x7F ? 0xFF : c);
	}
}
END_TEST

START_TEST(test_g711_ulaw_sign_magnitude_differs_only_on_the_127_negative_ties)
{
	int x, ties = 0;

	for (x = INT16_MIN; x <= INT16_MAX; x++) {
		uint8_t ours = g711_ulaw_encode((int16_t)x), other = ref_ulaw(x, true);
		int e_ours, e_other;

		/* spandsp is the sign-and-magnitude convention, exactly */
		ck_assert_int_eq(linear_to_ulaw(x), other);
		if (ours == other)
			continue;
		ties++;
		ck_assert_msg(x < 0 && x % 4 == 0 && is_ulaw_decision_level(-x / 4),
			      "x=%d is not on a decision level", x);
		e_ours = abs(g711_ulaw_decode(ours) - x);
		e_other = abs(g711_ulaw_decode(other) - x);
		/* a segment start is not midway: ours is the nearer there */
		if (is_ulaw_segment_start(-x / 4))
			ck_assert_int_lt(e_ours, e_other);
		else
			ck_assert_int_eq(e_ours, e_other);
		/* ours rounds the tie towards zero */
		ck_assert_int_lt(abs(g711_ulaw_decode(ours)), abs(g711_ulaw_decode(other)));
	}
	ck_assert_int_eq(ties, 127);
	ck_assert_int_eq(g711_ulaw_encode(-4), 0x7F);
	ck_assert_int_eq(g711_ulaw_encode(4), 0xFE);
}
END_TEST

START_TEST(test_g711_alaw_and_decoders_agree_with_spandsp)
{
	int x;

	for (x = INT16_MIN; x <= INT16_MAX; x++)
		ck_assert_int_eq(g711_alaw_encode((int16_t)x), linear_to_alaw(x));
	for (x = 0; x < 256; x++) {
		ck_assert_int_eq(g711_alaw_decode((uint8_t)x), alaw_to_linear((uint8_t)x));
		ck_assert_int_eq(g711_ulaw_decode((uint8_t)x), ulaw_to_linear((uint8_t)x));
	}
}
END_TEST

START_TEST(test_g711_encode_is_monotonic_and_within_half_a_step)
{
	int x, prev_a = INT16_MIN, prev_u = INT16_MIN;

	for (x = INT16_MIN; x <= INT16_MAX; x++) {
		int a = g711_alaw_decode(g711_alaw_encode((int16_t)x));
		int u = g711_ulaw_decode(g711_ulaw_encode((int16_t)x));
		int ma = x >= 0 ? x : -x - 1, mu = x >= 0 ? x : -x - 1;
		int step_a = ma < 512 ? 16 : 16 << (31 - __builtin_clz((unsigned int)ma >> 8));
		int step_u = 8 << (31 - __builtin_clz(((unsigned int)mu >> 2) + 33) - 5);

		ck_assert_int_ge(a, prev_a);
		ck_assert_int_ge(u, prev_u);
		prev_a = a;
		prev_u = u;
		/* within half a step; mu-law clips above 8159 x 4 */
		ck_assert_int_le(abs(a - x), step_a / 2);
		if (mu < 32636)
			ck_assert_int_le(abs(u - x), step_u / 2);
	}
}
END_TEST

START_TEST(test_g711_transcoding_is_decode_then_encode_with_the_sign_kept)
{
	static const uint8_t mirrored_ties[8] = {
		0x7F, 0x7D, 0x7B, 0x79, 0x77, 0x75, 0x73, 0x71
	};
	int c, i, differ = 0;

	for (c = 0; c < 256; c++) {
		uint8_t a2u = g711_ulaw_encode(g711_alaw_decode((uint8_t)c));
		uint8_t u2a = g711_alaw_encode(g711_ulaw_decode((uint8_t)c));

		/* A -> mu: no A-law value lies on a mu-law decision level */
		ck_assert_int_eq(g711_alaw_to_ulaw((uint8_t)c), a2u);
		/* the sign is kept: negative codes mirror the positive ones */
		ck_assert_int_eq(g711_alaw_to_ulaw((uint8_t)c),
				 g711_alaw_to_ulaw((uint8_t)(c | 0x80)) ^ (c & 0x80 ? 0 : 0x80));
		ck_assert_int_eq(g711_ulaw_to_alaw((uint8_t)c),
				 g711_ulaw_to_alaw((uint8_t)(c | 0x80)) ^ (c & 0x80 ? 0 : 0x80));
		if (g711_ulaw_to_alaw((uint8_t)c) == u2a)
			continue;
		differ++;
		for (i = 0; i < 8 && mirrored_ties[i] != c; i++)
			;
		ck_assert_msg(i < 8, "mu-law 0x%02x differs", c);
		/* a tie: both A-law codes are equally far */
		ck_assert_int_eq(abs(g711_alaw_decode(u2a) - g711_ulaw_decode((uint8_t)c)),
				 abs(g711_alaw_decode(g711_ulaw_to_alaw((uint8_t)c)) -
				     g711_ulaw_decode((uint8_t)c)));
	}
	ck_assert_int_eq(differ, 8);
	ck_assert_int_eq(g711_ulaw_to_alaw(0x7F), 0x55);	/* -0 stays negative */
	ck_assert_int_eq(g711_ulaw_to_alaw(0xFF), 0xD5);
}
END_TEST

static int err_ulaw(uint8_t u, int v)
{
	return abs(g711_ulaw_decode(u) - v);
}

static int err_alaw(uint8_t a, int v)
{
	return abs(g711_alaw_decode(a) - v);
}

/* the figures g711.h quotes about G.711 Tables 3 and 4 as spandsp has them */
START_TEST(test_g711_transcoding_differs_from_spandsps_tables_where_documented)
{
	int c, a_differ = 0, u_differ = 0, a_back = 0, u_back = 0;

	for (c = 0; c < 256; c++) {
		int va = g711_alaw_decode((uint8_t)c), vu = g711_ulaw_decode((uint8_t)c);
		uint8_t a2u = g711_alaw_to_ulaw((uint8_t)c), u2a = g711_ulaw_to_alaw((uint8_t)c);

		if (a2u != alaw_to_ulaw((uint8_t)c)) {
			a_differ++;
			if (abs(va) == 8064)
				ck_assert_int_gt(err_ulaw(a2u, va), err_ulaw(alaw_to_ulaw((uint8_t)c), va));
			else
				ck_assert_int_le(err_ulaw(a2u, va), err_ulaw(alaw_to_ulaw((uint8_t)c), va));
		}
		if (u2a != ulaw_to_alaw((uint8_t)c)) {
			u_differ++;
			ck_assert_int_le(err_alaw(u2a, vu), err_alaw(ulaw_to_alaw((uint8_t)c), vu));
		}
		a_back += g711_ulaw_to_alaw(a2u) == c;
		u_back += g711_alaw_to_ulaw(u2a) == c;
	}
	ck_assert_int_eq(a_differ, 2 * 16);
	ck_assert_int_eq(u_differ, 2 * 18);
	ck_assert_int_eq(a_back, 240);
	ck_assert_int_eq(u_back, 240);
}
END_TEST

START_TEST(test_g711_buffer_helpers_and_idle_codes)
{
	int16_t lin[4] = { 0, 1000, -1000, INT16_MIN }, back[4];
	uint8_t a[4], u[4], x[4];
	int i;

	ck_assert_int_eq(g711_encode_buf(MEDIA_ALAW, lin, a, 4), 0);
	ck_assert_int_eq(g711_encode_buf(MEDIA_ULAW, lin, u, 4), 0);
	for (i = 0; i < 4; i++) {
		ck_assert_int_eq(a[i], g711_alaw_encode(lin[i]));
		ck_assert_int_eq(u[i], g711_ulaw_encode(lin[i]));
	}
	ck_assert_int_eq(g711_decode_buf(MEDIA_ULAW, u, back, 4), 0);
	for (i = 0; i < 4; i++)
		ck_assert_int_eq(back[i], g711_ulaw_decode(u[i]));
	ck_assert_int_eq(g711_transcode_buf(MEDIA_ALAW, MEDIA_ULAW, a, x, 4), 0);
	for (i = 0; i < 4; i++)
		ck_assert_int_eq(x[i], g711_alaw_to_ulaw(a[i]));
	ck_assert_int_eq(g711_transcode_buf(MEDIA_ULAW, MEDIA_ULAW, u, x, 4), 0);
	ck_assert_mem_eq(x, u, 4);

	ck_assert_int_eq(g711_encode_buf((enum media_law)0, lin, a, 4), -EINVAL);
	ck_assert_int_eq(g711_decode_buf((enum media_law)3, u, back, 4), -EINVAL);
	ck_assert_int_eq(g711_transcode_buf(MEDIA_ALAW, (enum media_law)9, a, x, 4), -EINVAL);
	ck_assert_ptr_null(g711_xcode_table(MEDIA_ALAW, MEDIA_ALAW));
	ck_assert_ptr_nonnull(g711_xcode_table(MEDIA_ULAW, MEDIA_ALAW));
	ck_assert_ptr_null(g711_enc_table((enum media_law)0));

	ck_assert_int_eq(g711_idle(MEDIA_ALAW), 0xD5);
	ck_assert_int_eq(g711_idle(MEDIA_ULAW), 0xFF);
	ck_assert_int_eq(g711_alaw_encode(0), 0xD5);
	ck_assert_int_eq(g711_ulaw_encode(0), 0xFF);
}
END_TEST

static Suite *g711_suite(void)
{
	Suite *s = suite_create("g711");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_g711_alaw_encodes_all_65536_inputs_like_the_g711_table);
	tcase_add_test(tc, test_g711_ulaw_encodes_all_65536_inputs_like_the_g711_table);
	tcase_add_test(tc, test_g711_alaw_decodes_all_256_codes_to_the_g711_values);
	tcase_add_test(tc, test_g711_ulaw_decodes_all_256_codes_to_the_g711_values);
	tcase_add_test(tc, test_g711_reencoding_a_decoded_value_gives_it_back);
	tcase_add_test(tc, test_g711_ulaw_sign_magnitude_differs_only_on_the_127_negative_ties);
	tcase_add_test(tc, test_g711_alaw_and_decoders_agree_with_spandsp);
	tcase_add_test(tc, test_g711_encode_is_monotonic_and_within_half_a_step);
	tcase_add_test(tc, test_g711_transcoding_is_decode_then_encode_with_the_sign_kept);
	tcase_add_test(tc, test_g711_transcoding_differs_from_spandsps_tables_where_documented);
	tcase_add_test(tc, test_g711_buffer_helpers_and_idle_codes);
	suite_add_tcase(s, tc);
	return s;
}

TDMX_CHECK_MAIN(g711_suite)
