// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Mixing graph (userspace/tdmxd/mix.c): bridges, conferences (mix-minus,
 * clamping, silent members, shared frames), supervisor modes and their live
 * switching, ownership of tx octets, and requests that must fail without
 * touching the graph. Audio goes through rings laid out as the span
 * device's, several blocks long, so block order and wrap-around are real.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "g711.h"
#include "mix.h"

#define NSPANS	4	/* spans 1..3 */
#define NB	4	/* blocks per ring */
#define MAXP	(NSPANS * MEDIA_SPAN_TS)
#define UNTOUCHED 0x5A	/* what tx holds until someone writes it */

struct rig {
	struct mix *m;
	uint8_t rx[NSPANS][NB][TDMX_RING_BLOCK_BYTES];
	uint8_t tx[NSPANS][NB][TDMX_RING_BLOCK_BYTES];
	struct mix_ring ring[NSPANS];
	struct mix_io io;
};

static media_port P(unsigned int span, unsigned int ts)
{
	return media_port_of(span, ts);
}

static struct rig *rig_new(void)
{
	struct rig *r = calloc(1, sizeof(*r));
	unsigned int s;

	ck_assert_ptr_nonnull(r);
	r->m = mix_new(MAXP);
	ck_assert_ptr_nonnull(r->m);
	for (s = 1; s < NSPANS; s++) {
		r->ring[s].rx = r->rx[s][0];
		r->ring[s].tx = r->tx[s][0];
		r->ring[s].blocks = NB;
	}
	r->io.span = r->ring;
	r->io.nspans = NSPANS;
	memset(r->tx, UNTOUCHED, sizeof(r->tx));
	return r;
}

static void rig_free(struct rig *r)
{
	mix_free(r->m);
	free(r);
}

static uint8_t *rx_at(struct rig *r, media_port p, unsigned int blk)
{
	return &r->rx[media_port_span(p)][blk % NB][media_port_ts(p) * TDMX_RING_FRAMES];
}

static uint8_t *tx_at(struct rig *r, media_port p, unsigned int blk)
{
	return &r->tx[media_port_span(p)][blk % NB][media_port_ts(p) * TDMX_RING_FRAMES];
}

/* process nblk blocks starting at ring index first */
static void run(struct rig *r, unsigned int first, unsigned int nblk)
{
	unsigned int s;

	for (s = 1; s < NSPANS; s++)
		r->ring[s].first = first % NB;
	ck_assert_int_eq(mix_process(r->m, &r->io, nblk), 0);
}

static int16_t dec(int law, uint8_t c)
{
	return law == MEDIA_ULAW ? g711_ulaw_decode(c) : g711_alaw_decode(c);
}

static uint8_t enc(int law, int32_t v)
{
	if (v > INT16_MAX)
		v = INT16_MAX;
	if (v < INT16_MIN)
		v = INT16_MIN;
	return law == MEDIA_ULAW ? g711_ulaw_encode((int16_t)v) : g711_alaw_encode((int16_t)v);
}

static uint8_t xcode(int from, int to, uint8_t c)
{
	if (from == to)
		return c;
	return from == MEDIA_ALAW ? g711_alaw_to_ulaw(c) : g711_ulaw_to_alaw(c);
}

static int law_of(struct rig *r, media_port p)
{
	return mix_port_law(r->m, p);
}

/* the port's input in block blk: linear values encoded in its law */
static void put(struct rig *r, media_port p, unsigned int blk, const int32_t *lin)
{
	unsigned int i;

	for (i = 0; i < TDMX_RING_FRAMES; i++)
		rx_at(r, p, blk)[i] = enc(law_of(r, p), lin[i]);
}

static void put_const(struct rig *r, media_port p, unsigned int blk, int32_t v)
{
	int32_t lin[TDMX_RING_FRAMES];
	unsigned int i;

	for (i = 0; i < TDMX_RING_FRAMES; i++)
		lin[i] = v;
	put(r, p, blk, lin);
}

/* decoded input sample i of port p in block blk */
static int32_t in(struct rig *r, media_port p, unsigned int blk, unsigned int i)
{
	return dec(law_of(r, p), rx_at(r, p, blk)[i]);
}

static void fill_random(struct rig *r, unsigned int *seed)
{
	size_t i;
	uint8_t *b = &r->rx[0][0][0];

	for (i = 0; i < sizeof(r->rx); i++)
		b[i] = (uint8_t)(rand_r(seed) >> 7);
}

START_TEST(test_mix_same_law_bridge_copies_octets_bit_exact_both_ways)
{
	struct rig *r = rig_new();
	media_port a = P(1, 3), b = P(1, 17), c = P(2, 4), d = P(3, 30);
	struct mix_stats st;
	unsigned int blk, i;

	ck_assert_int_eq(mix_set_law(r->m, c, MEDIA_ULAW), 0);
	ck_assert_int_eq(mix_set_law(r->m, d, MEDIA_ULAW), 0);
	ck_assert_int_eq(mix_bridge(r->m, a, b), 0);
	ck_assert_int_eq(mix_bridge(r->m, d, c), 0);
	/* every code goes each way once: 4 blocks x 8 x 8 positions */
	for (blk = 0; blk < NB; blk++)
		for (i = 0; i < 8; i++) {
			rx_at(r, a, blk)[i] = (uint8_t)(blk * 64 + i);
			rx_at(r, b, blk)[i] = (uint8_t)(blk * 64 + 8 + i);
			rx_at(r, c, blk)[i] = (uint8_t)(blk * 64 + 16 + i);
			rx_at(r, d, blk)[i] = (uint8_t)(blk * 64 + 24 + i);
		}
	run(r, 0, NB);
	for (blk = 0; blk < NB; blk++) {
		ck_assert_mem_eq(tx_at(r, b, blk), rx_at(r, a, blk), 8);
		ck_assert_mem_eq(tx_at(r, a, blk), rx_at(r, b, blk), 8);
		ck_assert_mem_eq(tx_at(r, d, blk), rx_at(r, c, blk), 8);
		ck_assert_mem_eq(tx_at(r, c, blk), rx_at(r, d, blk), 8);
	}
	mix_get_stats(r->m, &st);
	ck_assert_uint_eq(st.blocks, NB);
	ck_assert_uint_eq(st.copied, NB * 4 * 8);
	ck_assert_uint_eq(st.transcoded + st.summed + st.encoded, 0);
	rig_free(r);
}
END_TEST

START_TEST(test_mix_bridge_between_laws_transcodes_each_way)
{
	struct rig *r = rig_new();
	media_port a = P(1, 1), u = P(2, 1);
	unsigned int blk, i;

	ck_assert_int_eq(mix_set_span_law(r->m, 2, MEDIA_ULAW), 0);
	ck_assert_int_eq(mix_bridge(r->m, a, u), 0);
	for (blk = 0; blk < NB; blk++)
		for (i = 0; i < 8; i++) {
			rx_at(r, a, blk)[i] = (uint8_t)(blk * 64 + i * 8 + 3);
			rx_at(r, u, blk)[i] = (uint8_t)(255 - blk * 64 - i * 8);
		}
	run(r, 0, NB);
	for (blk = 0; blk < NB; blk++)
		for (i = 0; i < 8; i++) {
			ck_assert_int_eq(tx_at(r, u, blk)[i], g711_alaw_to_ulaw(rx_at(r, a, blk)[i]));
			ck_assert_int_eq(tx_at(r, a, blk)[i], g711_ulaw_to_alaw(rx_at(r, u, blk)[i]));
		}
	rig_free(r);
}
END_TEST

START_TEST(test_mix_bridge_across_spans_uses_the_same_block_of_both_sides)
{
	struct rig *r = rig_new();
	media_port lo = P(1, 9), hi = P(3, 2);
	unsigned int blk, first;

	ck_assert_int_eq(mix_bridge(r->m, hi, lo), 0);
	/* calls of 3 blocks from index 2: each wraps around the ring */
	for (first = 2; first < 2 + 3 * 5; first += 3) {
		for (blk = first; blk < first + 3; blk++) {
			memset(rx_at(r, lo, blk), (int)(blk & 0xFF), 8);
			memset(rx_at(r, hi, blk), (int)(~blk & 0xFF), 8);
		}
		run(r, first, 3);
		for (blk = first; blk < first + 3; blk++) {
			ck_assert_int_eq(tx_at(r, hi, blk)[7], blk & 0xFF);
			ck_assert_int_eq(tx_at(r, lo, blk)[0], ~blk & 0xFF);
		}
	}
	rig_free(r);
}
END_TEST

START_TEST(test_mix_tx_ahead_answers_rx_block_k_in_tx_block_k_plus_ahead)
{
	struct rig *r = rig_new();
	media_port a = P(1, 6), b = P(2, 6);
	unsigned int blk, s;

	ck_assert_int_eq(mix_bridge(r->m, a, b), 0);
	for (s = 1; s < NSPANS; s++)
		r->ring[s].ahead = 2;
	for (blk = 0; blk < NB; blk++)
		memset(rx_at(r, a, blk), (int)(0x10 + blk), 8);
	run(r, 3, 3);	/* rx blocks 3, 0, 1 -> tx blocks 1, 2, 3 */
	ck_assert_int_eq(tx_at(r, b, 1)[0], 0x13);
	ck_assert_int_eq(tx_at(r, b, 2)[0], 0x10);
	ck_assert_int_eq(tx_at(r, b, 3)[0], 0x11);
	ck_assert_int_eq(tx_at(r, b, 0)[0], UNTOUCHED);
	rig_free(r);
}
END_TEST

START_TEST(test_mix_writes_only_the_ports_it_owns)
{
	struct rig *r = rig_new();
	unsigned int seed = 7, s, ts;
	int id;

	fill_random(r, &seed);
	ck_assert_int_eq(mix_bridge(r->m, P(1, 1), P(2, 1)), 0);
	id = mix_conf_new(r->m, 0);
	ck_assert_int_gt(id, 0);
	ck_assert_int_eq(mix_conf_join(r->m, id, P(1, 2), true, true), 0);
	ck_assert_int_eq(mix_conf_join(r->m, id, P(1, 3), true, false), 0);	/* talks only */
	ck_assert_int_eq(mix_conf_join(r->m, id, P(1, 4), false, false), 0);	/* on hold */
	ck_assert_int_eq(mix_conf_join(r->m, id, P(1, 5), false, true), 0);
	run(r, 1, 1);
	for (s = 1; s < NSPANS; s++)
		for (ts = 0; ts < MEDIA_SPAN_TS; ts++) {
			media_port p = P(s, ts);
			bool owned = p == P(1, 1) || p == P(2, 1) || p == P(1, 2) || p == P(1, 5);
			unsigned int i;

			ck_assert_int_eq(mix_port_owned(r->m, p), owned);
			for (i = 0; i < 8 && !owned; i++)
				ck_assert_int_eq(tx_at(r, p, 1)[i], UNTOUCHED);
			/* the other blocks of the ring are not written either */
			ck_assert_int_eq(tx_at(r, p, 2)[0], UNTOUCHED);
		}
	ck_assert(!mix_port_owned(r->m, 0));
	ck_assert(!mix_port_owned(r->m, MAXP));
	rig_free(r);
}
END_TEST

START_TEST(test_mix_conference_listener_hears_everyone_but_itself)
{
	struct rig *r = rig_new();
	static const int32_t level[5] = { 1000, -2500, 700, 12000, -300 };
	media_port p[5] = { P(1, 1), P(1, 2), P(2, 3), P(3, 4), P(3, 5) };
	unsigned int k, j, i;
	int id = mix_conf_new(r->m, 0);

	ck_assert_int_eq(mix_set_law(r->m, p[2], MEDIA_ULAW), 0);
	ck_assert_int_eq(mix_set_law(r->m, p[4], MEDIA_ULAW), 0);
	for (k = 0; k < 5; k++) {
		int32_t lin[8];

		ck_assert_int_eq(mix_conf_join(r->m, id, p[k], true, true), 0);
		for (i = 0; i < 8; i++)
			lin[i] = level[k] + (int32_t)i * 16;
		put(r, p[k], 0, lin);
	}
	run(r, 0, 1);
	for (k = 0; k < 5; k++)
		for (i = 0; i < 8; i++) {
			int32_t sum = 0;

			for (j = 0; j < 5; j++)
				if (j != k)
					sum += in(r, p[j], 0, i);
			/* exact: the code of the exact sum of the decoded inputs */
			ck_assert_int_eq(tx_at(r, p[k], 0)[i], enc(law_of(r, p[k]), sum));
			/* and so within the quantisation of the nominal levels */
			sum = 0;
			for (j = 0; j < 5; j++)
				if (j != k)
					sum += level[j] + (int32_t)i * 16;
			ck_assert_int_le(abs(dec(law_of(r, p[k]), tx_at(r, p[k], 0)[i]) - sum),
					 sum < 4096 && sum > -4096 ? 200 : 1400);
		}
	rig_free(r);
}
END_TEST

START_TEST(test_mix_conference_clamps_the_sum_to_int16)
{
	struct rig *r = rig_new();
	media_port p[4] = { P(1, 1), P(1, 2), P(1, 3), P(1, 4) };
	unsigned int k;
	int id = mix_conf_new(r->m, 0);

	for (k = 0; k < 4; k++)
		ck_assert_int_eq(mix_conf_join(r->m, id, p[k], true, true), 0);
	ck_assert_int_eq(mix_set_law(r->m, p[3], MEDIA_ULAW), 0);
	put_const(r, p[0], 0, 30000);
	put_const(r, p[1], 0, 30000);
	put_const(r, p[2], 0, 30000);
	put_const(r, p[3], 0, -32768);
	put_const(r, p[0], 1, -30000);
	put_const(r, p[1], 1, -30000);
	put_const(r, p[2], 1, -30000);
	put_const(r, p[3], 1, -32768);
	run(r, 0, 2);
	/* p3 hears 3 x ~30000: clamped to the top code, not wrapped */
	ck_assert_int_eq(tx_at(r, p[3], 0)[0], g711_ulaw_encode(INT16_MAX));
	ck_assert_int_eq(tx_at(r, p[3], 1)[5], g711_ulaw_encode(INT16_MIN));
	/* p0 hears 30000 + 30000 - 32124 */
	ck_assert_int_eq(tx_at(r, p[0], 0)[0],
			 enc(MEDIA_ALAW, in(r, p[1], 0, 0) + in(r, p[2], 0, 0) + in(r, p[3], 0, 0)));
	ck_assert_int_eq(tx_at(r, p[0], 1)[0], g711_alaw_encode(INT16_MIN));
	rig_free(r);
}
END_TEST

START_TEST(test_mix_silent_members_change_nothing_and_are_not_summed)
{
	struct rig *r = rig_new();
	media_port t[3] = { P(1, 1), P(2, 2), P(3, 3) }, quiet[2] = { P(1, 8), P(2, 9) };
	uint8_t before[3][8];
	struct mix_stats s0, s1;
	unsigned int k;
	int id = mix_conf_new(r->m, 0);

	for (k = 0; k < 3; k++) {
		ck_assert_int_eq(mix_conf_join(r->m, id, t[k], true, true), 0);
		put_const(r, t[k], 0, 1000 * (int32_t)(k + 1));
		put_const(r, t[k], 1, 1000 * (int32_t)(k + 1));
	}
	run(r, 0, 1);
	for (k = 0; k < 3; k++)
		memcpy(before[k], tx_at(r, t[k], 0), 8);
	/* two members that listen but do not talk, with loud noise on their line */
	for (k = 0; k < 2; k++) {
		ck_assert_int_eq(mix_conf_join(r->m, id, quiet[k], false, true), 0);
		put_const(r, quiet[k], 1, 20000);
	}
	mix_get_stats(r->m, &s0);
	run(r, 1, 1);
	mix_get_stats(r->m, &s1);
	for (k = 0; k < 3; k++)
		ck_assert_mem_eq(tx_at(r, t[k], 1), before[k], 8);
	ck_assert_uint_eq(s1.summed - s0.summed, 3 * 8);	/* talkers only */
	/* muting a talker removes it from everyone's ear, itself included */
	ck_assert_int_eq(mix_conf_set(r->m, t[2], false, true), 0);
	run(r, 1, 1);
	ck_assert_int_eq(tx_at(r, t[0], 1)[0], enc(MEDIA_ALAW, in(r, t[1], 1, 0)));
	ck_assert_int_eq(tx_at(r, t[2], 1)[0],
			 enc(MEDIA_ALAW, in(r, t[0], 1, 0) + in(r, t[1], 1, 0)));
	rig_free(r);
}
END_TEST

START_TEST(test_mix_listen_only_members_share_one_encoded_frame_per_law)
{
	struct rig *r = rig_new();
	media_port talk[2] = { P(1, 1), P(1, 2) };
	struct mix_stats s0, s1;
	unsigned int k, i;
	int id = mix_conf_new(r->m, 0);

	for (k = 0; k < 2; k++) {
		ck_assert_int_eq(mix_conf_join(r->m, id, talk[k], true, true), 0);
		put_const(r, talk[k], 0, k ? -7000 : 2500);
	}
	/* 12 listeners: A-law on span 2, mu-law on span 3 */
	ck_assert_int_eq(mix_set_span_law(r->m, 3, MEDIA_ULAW), 0);
	for (k = 0; k < 6; k++) {
		ck_assert_int_eq(mix_conf_join(r->m, id, P(2, 10 + k), false, true), 0);
		ck_assert_int_eq(mix_conf_join(r->m, id, P(3, 10 + k), false, true), 0);
	}
	mix_get_stats(r->m, &s0);
	run(r, 0, 1);
	mix_get_stats(r->m, &s1);
	/* two talkers' mix-minus, plus one frame per law for all listeners */
	ck_assert_uint_eq(s1.encoded - s0.encoded, (2 + 2) * 8);
	for (k = 0; k < 6; k++)
		for (i = 0; i < 8; i++) {
			int32_t sum = in(r, talk[0], 0, i) + in(r, talk[1], 0, i);

			ck_assert_int_eq(tx_at(r, P(2, 10 + k), 0)[i], enc(MEDIA_ALAW, sum));
			ck_assert_int_eq(tx_at(r, P(3, 10 + k), 0)[i], enc(MEDIA_ULAW, sum));
		}
	for (k = 1; k < 6; k++) {
		ck_assert_mem_eq(tx_at(r, P(2, 10 + k), 0), tx_at(r, P(2, 10), 0), 8);
		ck_assert_mem_eq(tx_at(r, P(3, 10 + k), 0), tx_at(r, P(3, 10), 0), 8);
	}
	rig_free(r);
}
END_TEST

/* ---- supervisor modes ---- */

enum { NONE = 0 };

struct sup_rig {
	struct rig *r;
	media_port agent, caller, sup;
};

/* agent A-law on span 1, caller mu-law on span 2, supervisor A-law on span 3 */
static struct sup_rig sup_rig_new(void)
{
	struct sup_rig s = { rig_new(), P(1, 4), P(2, 20), P(3, 11) };

	ck_assert_int_eq(mix_set_law(s.r->m, s.caller, MEDIA_ULAW), 0);
	ck_assert_int_eq(mix_bridge(s.r->m, s.agent, s.caller), 0);
	return s;
}

/* distinct signals: a rising ramp, a falling ramp, a third sequence */
static void sup_inputs(struct sup_rig *s, unsigned int blk)
{
	int32_t a[8], c[8], v[8];
	unsigned int i;

	for (i = 0; i < 8; i++) {
		int32_t n = (int32_t)(blk * 8 + i);

		a[i] = -9000 + 37 * n;
		c[i] = 15000 - 53 * n;
		v[i] = (n * n * 7) % 12000 - 6000;
	}
	put(s->r, s->agent, blk, a);
	put(s->r, s->caller, blk, c);
	put(s->r, s->sup, blk, v);
}

/* who hears what, from the inputs of the same block */
static void sup_check(struct sup_rig *s, unsigned int blk, int mode)
{
	struct rig *r = s->r;
	unsigned int i;

	for (i = 0; i < 8; i++) {
		uint8_t ra = rx_at(r, s->agent, blk)[i], rc = rx_at(r, s->caller, blk)[i];
		int32_t a = in(r, s->agent, blk, i), c = in(r, s->caller, blk, i);
		int32_t v = in(r, s->sup, blk, i);
		uint8_t to_agent, to_caller;

		if (mode == MIX_SUP_WHISPER || mode == MIX_SUP_BARGE)
			to_agent = enc(MEDIA_ALAW, c + v);
		else
			to_agent = xcode(MEDIA_ULAW, MEDIA_ALAW, rc);
		if (mode == MIX_SUP_BARGE)
			to_caller = enc(MEDIA_ULAW, a + v);
		else
			to_caller = xcode(MEDIA_ALAW, MEDIA_ULAW, ra);
		ck_assert_msg(tx_at(r, s->agent, blk)[i] == to_agent, "block %u sample %u mode %d",
			      blk, i, mode);
		ck_assert_int_eq(tx_at(r, s->caller, blk)[i], to_caller);
		if (mode == NONE)
			ck_assert_int_eq(tx_at(r, s->sup, blk)[i], UNTOUCHED);
		else
			ck_assert_int_eq(tx_at(r, s->sup, blk)[i], enc(MEDIA_ALAW, a + c));
	}
}

static void sup_one_mode(int mode)
{
	struct sup_rig s = sup_rig_new();
	unsigned int blk;

	ck_assert_int_eq(mix_supervise(s.r->m, s.sup, s.agent, s.caller,
				       (enum mix_sup_mode)mode), 0);
	ck_assert(mix_port_owned(s.r->m, s.sup));
	for (blk = 0; blk < NB; blk++)
		sup_inputs(&s, blk);
	run(s.r, 0, NB);
	for (blk = 0; blk < NB; blk++)
		sup_check(&s, blk, mode);
	rig_free(s.r);
}

START_TEST(test_mix_supervisor_listen_hears_both_and_nobody_hears_it)
{
	sup_one_mode(MIX_SUP_LISTEN);
}
END_TEST

START_TEST(test_mix_supervisor_whisper_reaches_the_agent_only)
{
	sup_one_mode(MIX_SUP_WHISPER);
}
END_TEST

START_TEST(test_mix_supervisor_barge_makes_a_three_way_call)
{
	sup_one_mode(MIX_SUP_BARGE);
}
END_TEST

START_TEST(test_mix_mode_switch_cuts_at_a_block_boundary_without_gap_or_repeat)
{
	static const struct {
		int mode;
		unsigned int nblk;
	} steps[] = {
		{ MIX_SUP_LISTEN, 2 }, { MIX_SUP_WHISPER, 1 }, { MIX_SUP_BARGE, 3 },
		{ MIX_SUP_LISTEN, 1 }, { NONE, 2 }, { MIX_SUP_BARGE, 1 },
		{ MIX_SUP_WHISPER, 4 }, { MIX_SUP_LISTEN, 1 }, { MIX_SUP_BARGE, 2 },
	};
	struct sup_rig s = sup_rig_new();
	unsigned int k, blk, seq = 0;

	for (k = 0; k < sizeof(steps) / sizeof(steps[0]); k++) {
		int mode = steps[k].mode;

		if (mode == NONE)
			ck_assert_int_eq(mix_unsupervise(s.r->m, s.sup), 0);
		else
			ck_assert_int_eq(mix_supervise(s.r->m, s.sup, s.agent, s.caller,
						       (enum mix_sup_mode)mode), 0);
		/* the ramps run on across calls: block seq is sample 8 * seq */
		for (blk = seq; blk < seq + steps[k].nblk; blk++) {
			sup_inputs(&s, blk);
			memset(tx_at(s.r, s.sup, blk), UNTOUCHED, 8);
		}
		run(s.r, seq, steps[k].nblk);
		/* each block is the new mode's mix of that very block's inputs */
		for (blk = seq; blk < seq + steps[k].nblk; blk++)
			sup_check(&s, blk, mode);
		seq += steps[k].nblk;
	}
	rig_free(s.r);
}
END_TEST

START_TEST(test_mix_unbridge_releases_the_supervisor)
{
	struct sup_rig s = sup_rig_new();
	media_port other = P(1, 30);

	ck_assert_int_eq(mix_supervise(s.r->m, s.sup, s.agent, s.caller, MIX_SUP_BARGE), 0);
	ck_assert_int_eq(mix_peer(s.r->m, s.agent), (int)s.caller);
	ck_assert_int_eq(mix_peer(s.r->m, s.caller), (int)s.agent);
	ck_assert_int_eq(mix_peer(s.r->m, s.sup), -ENOENT);
	/* roles can be swapped live too */
	ck_assert_int_eq(mix_supervise(s.r->m, s.sup, s.caller, s.agent, MIX_SUP_WHISPER), 0);
	ck_assert_int_eq(mix_unbridge(s.r->m, s.caller), 0);
	ck_assert(!mix_port_owned(s.r->m, s.sup));
	ck_assert(!mix_port_owned(s.r->m, s.agent));
	ck_assert(!mix_port_owned(s.r->m, s.caller));
	/* all three are free again */
	ck_assert_int_eq(mix_bridge(s.r->m, s.sup, other), 0);
	ck_assert_int_eq(mix_bridge(s.r->m, s.agent, s.caller), 0);
	rig_free(s.r);
}
END_TEST

START_TEST(test_mix_law_change_applies_to_live_paths)
{
	struct sup_rig s = sup_rig_new();
	unsigned int i;

	ck_assert_int_eq(mix_supervise(s.r->m, s.sup, s.agent, s.caller, MIX_SUP_LISTEN), 0);
	ck_assert_int_eq(mix_set_law(s.r->m, s.caller, MEDIA_ALAW), 0);
	ck_assert_int_eq(mix_set_law(s.r->m, s.sup, MEDIA_ULAW), 0);
	for (i = 0; i < 8; i++) {
		rx_at(s.r, s.agent, 0)[i] = (uint8_t)(0x10 + i);
		rx_at(s.r, s.caller, 0)[i] = (uint8_t)(0xA0 + i);
	}
	run(s.r, 0, 1);
	ck_assert_mem_eq(tx_at(s.r, s.agent, 0), rx_at(s.r, s.caller, 0), 8);
	ck_assert_mem_eq(tx_at(s.r, s.caller, 0), rx_at(s.r, s.agent, 0), 8);
	ck_assert_int_eq(tx_at(s.r, s.sup, 0)[3],
			 enc(MEDIA_ULAW, in(s.r, s.agent, 0, 3) + in(s.r, s.caller, 0, 3)));
	rig_free(s.r);
}
END_TEST

START_TEST(test_mix_absent_spans_send_silence_and_are_not_written)
{
	struct rig *r = rig_new();
	media_port a = P(1, 1), b = P(3, 1), c = P(3, 2);
	int id = mix_conf_new(r->m, 0);

	ck_assert_int_eq(mix_bridge(r->m, a, b), 0);
	ck_assert_int_eq(mix_conf_join(r->m, id, P(1, 2), true, true), 0);
	ck_assert_int_eq(mix_conf_join(r->m, id, c, true, true), 0);
	ck_assert_int_eq(mix_set_law(r->m, c, MEDIA_ULAW), 0);
	put_const(r, P(1, 2), 0, 5000);
	put_const(r, b, 0, 5000);
	r->io.nspans = 3;	/* span 3 is gone */
	run(r, 0, 1);
	ck_assert_int_eq(tx_at(r, a, 0)[0], G711_ALAW_IDLE);
	ck_assert_int_eq(tx_at(r, b, 0)[0], UNTOUCHED);
	/* mu-law silence decodes to 0: P(1,2) hears nothing */
	ck_assert_int_eq(tx_at(r, P(1, 2), 0)[0], G711_ALAW_IDLE);
	r->io.nspans = NSPANS;
	r->ring[1].rx = NULL;	/* span 1 receives nothing, still transmits */
	r->ring[3].tx = NULL;	/* span 3 receives, does not transmit */
	memset(r->tx, UNTOUCHED, sizeof(r->tx));
	run(r, 0, 1);
	ck_assert_int_eq(tx_at(r, a, 0)[0], rx_at(r, b, 0)[0]);
	ck_assert_int_eq(tx_at(r, b, 0)[0], UNTOUCHED);
	rig_free(r);
}
END_TEST

START_TEST(test_mix_process_rejects_bad_rings_and_writes_nothing)
{
	struct rig *r = rig_new();

	ck_assert_int_eq(mix_bridge(r->m, P(1, 1), P(2, 1)), 0);
	ck_assert_int_eq(mix_process(r->m, &r->io, NB + 1), -EINVAL);
	r->ring[2].first = NB;
	ck_assert_int_eq(mix_process(r->m, &r->io, 1), -EINVAL);
	r->ring[2].first = 0;
	r->ring[2].ahead = NB;
	ck_assert_int_eq(mix_process(r->m, &r->io, 1), -EINVAL);
	r->ring[2].ahead = 0;
	r->ring[2].blocks = 0;
	ck_assert_int_eq(mix_process(r->m, &r->io, 1), -EINVAL);
	ck_assert_int_eq(mix_process(r->m, NULL, 1), -EINVAL);
	ck_assert_int_eq(tx_at(r, P(1, 1), 0)[0], UNTOUCHED);
	r->ring[2].blocks = NB;
	ck_assert_int_eq(mix_process(r->m, &r->io, 0), 0);
	ck_assert_int_eq(tx_at(r, P(1, 1), 0)[0], UNTOUCHED);
	rig_free(r);
}
END_TEST

START_TEST(test_mix_ring_of_map_follows_the_span_device_layout)
{
	static uint8_t map[TDMX_RING_MMAP_SIZE];
	struct mix_ring ring = mix_ring_of_map(map, 64 * 5 + 9, 3);

	ck_assert_ptr_eq(ring.rx, map + 4096);
	ck_assert_ptr_eq(ring.tx, map + 4096 + 64 * 256);
	ck_assert_uint_eq(ring.blocks, 64);
	ck_assert_uint_eq(ring.first, 9);
	ck_assert_uint_eq(ring.ahead, 3);
	ck_assert_ptr_null(mix_new(63));
	ck_assert_ptr_null(mix_new(MIX_MAX_PORTS + 1));
}
END_TEST

/* ---- bad requests ---- */

struct snap {
	bool owned[MAXP];
	uint8_t tx[NSPANS][TDMX_RING_BLOCK_BYTES];
};

static void snap_take(struct rig *r, struct snap *s)
{
	unsigned int seed = 99;
	media_port p;

	fill_random(r, &seed);
	memset(r->tx, UNTOUCHED, sizeof(r->tx));
	run(r, 0, 1);
	for (p = 0; p < MAXP; p++)
		s->owned[p] = mix_port_owned(r->m, p);
	for (p = 0; p < NSPANS; p++)
		memcpy(s->tx[p], r->tx[p][0], TDMX_RING_BLOCK_BYTES);
}

#define REFUSED(call, err)						\
	do {								\
		struct snap after;					\
									\
		ck_assert_int_eq(call, err);				\
		snap_take(r, &after);					\
		ck_assert_msg(!memcmp(&before, &after, sizeof(before)),	\
			      "%s changed the graph", #call);		\
	} while (0)

START_TEST(test_mix_bad_requests_fail_and_leave_the_graph_unchanged)
{
	struct rig *r = rig_new();
	struct mix *m = r->m;
	media_port b1 = P(1, 1), b2 = P(2, 1), c1 = P(1, 2), c2 = P(1, 3);
	media_port ag = P(2, 5), ca = P(3, 6), sv = P(3, 7), f1 = P(1, 20), f2 = P(2, 21);
	struct snap before;
	int id, id2;

	ck_assert_int_eq(mix_bridge(m, b1, b2), 0);
	id = mix_conf_new(m, 2);
	id2 = mix_conf_new(m, 0);
	ck_assert_int_eq(mix_conf_join(m, id, c1, true, true), 0);
	ck_assert_int_eq(mix_conf_join(m, id, c2, false, true), 0);
	ck_assert_int_eq(mix_bridge(m, ag, ca), 0);
	ck_assert_int_eq(mix_supervise(m, sv, ag, ca, MIX_SUP_WHISPER), 0);
	snap_take(r, &before);

	REFUSED(mix_bridge(m, 0, f1), -EINVAL);		/* span 0 */
	REFUSED(mix_bridge(m, f1, MAXP), -EINVAL);	/* beyond max_ports */
	REFUSED(mix_bridge(m, f1, f1), -EINVAL);
	REFUSED(mix_bridge(m, b1, f1), -EBUSY);
	REFUSED(mix_bridge(m, f1, c2), -EBUSY);
	REFUSED(mix_bridge(m, f1, sv), -EBUSY);
	REFUSED(mix_bridge(m, ag, f1), -EBUSY);
	REFUSED(mix_unbridge(m, f1), -ENOENT);
	REFUSED(mix_unbridge(m, c1), -ENOENT);
	REFUSED(mix_unbridge(m, sv), -ENOENT);
	REFUSED(mix_unbridge(m, MAXP + 5), -EINVAL);
	REFUSED(mix_conf_join(m, id, f1, true, true), -ENOSPC);	/* full */
	REFUSED(mix_conf_join(m, 999, f1, true, true), -ENOENT);
	REFUSED(mix_conf_join(m, 0, f1, true, true), -ENOENT);
	REFUSED(mix_conf_join(m, id2, b1, true, true), -EBUSY);
	REFUSED(mix_conf_join(m, id2, c1, true, true), -EBUSY);	/* in another one */
	REFUSED(mix_conf_join(m, id2, sv, false, true), -EBUSY);
	REFUSED(mix_conf_join(m, id2, 3, false, true), -EINVAL);
	REFUSED(mix_conf_leave(m, f1), -ENOENT);
	REFUSED(mix_conf_leave(m, b1), -ENOENT);
	REFUSED(mix_conf_set(m, b2, true, true), -ENOENT);
	REFUSED(mix_conf_set(m, 1, true, true), -EINVAL);
	REFUSED(mix_conf_del(m, 0), -ENOENT);
	REFUSED(mix_conf_del(m, 12345), -ENOENT);
	REFUSED(mix_conf_of(m, b1), -ENOENT);
	REFUSED(mix_supervise(m, f1, b1, f2, MIX_SUP_LISTEN), -ENOTCONN);
	REFUSED(mix_supervise(m, f1, c1, c2, MIX_SUP_LISTEN), -ENOTCONN);
	REFUSED(mix_supervise(m, f1, b1, b2, (enum mix_sup_mode)0), -EINVAL);
	REFUSED(mix_supervise(m, f1, b1, b2, (enum mix_sup_mode)4), -EINVAL);
	REFUSED(mix_supervise(m, f1, b1, b1, MIX_SUP_LISTEN), -EINVAL);
	REFUSED(mix_supervise(m, b1, b1, b2, MIX_SUP_LISTEN), -EINVAL);
	REFUSED(mix_supervise(m, c1, b1, b2, MIX_SUP_LISTEN), -EBUSY);
	REFUSED(mix_supervise(m, ag, b1, b2, MIX_SUP_LISTEN), -EBUSY);
	REFUSED(mix_supervise(m, f1, ag, ca, MIX_SUP_BARGE), -EBUSY);	/* has one */
	REFUSED(mix_supervise(m, sv, b1, b2, MIX_SUP_BARGE), -EBUSY);	/* has another */
	REFUSED(mix_unsupervise(m, f1), -ENOENT);
	REFUSED(mix_unsupervise(m, ag), -ENOENT);
	REFUSED(mix_set_law(m, f1, (enum media_law)0), -EINVAL);
	REFUSED(mix_set_law(m, f1, (enum media_law)3), -EINVAL);
	REFUSED(mix_set_law(m, 31, MEDIA_ULAW), -EINVAL);
	REFUSED(mix_set_span_law(m, 0, MEDIA_ULAW), -EINVAL);
	REFUSED(mix_set_span_law(m, NSPANS, MEDIA_ULAW), -EINVAL);
	REFUSED(mix_process(m, &r->io, NB + 1), -EINVAL);
	/* and the good requests still work afterwards */
	ck_assert_int_eq(mix_conf_of(m, c2), id);
	ck_assert_int_eq(mix_conf_leave(m, c2), 0);
	ck_assert_int_eq(mix_conf_join(m, id, f1, true, true), 0);
	ck_assert_int_eq(mix_conf_del(m, id), 0);
	ck_assert_int_eq(mix_conf_join(m, id, f2, true, true), -ENOENT);
	ck_assert_int_eq(mix_conf_join(m, id2, c1, true, true), 0);
	rig_free(r);
}
END_TEST

/* ---- many random changes against a plain model ---- */

#define MODEL_PORTS	24
#define MODEL_CONFS	6

struct model {
	media_port port[MODEL_PORTS];
	int role[MAXP];		/* 0 free, 1 bridge, 2 conference */
	media_port peer[MAXP];
	int conf[MAXP];
	bool talk[MAXP], listen[MAXP];
	int ids[MODEL_CONFS];	/* 0: none */
	unsigned int max[MODEL_CONFS], members[MODEL_CONFS];
};

static int model_slot(const struct model *md, int id)
{
	int k;

	for (k = 0; k < MODEL_CONFS; k++)
		if (id && md->ids[k] == id)
			return k;
	return -1;
}

static int model_expect_join(struct model *md, int id, media_port p)
{
	int k = model_slot(md, id);

	if (k < 0)
		return -ENOENT;
	if (md->role[p])
		return -EBUSY;
	if (md->max[k] && md->members[k] >= md->max[k])
		return -ENOSPC;
	return 0;
}

static void model_step(struct rig *r, struct model *md, unsigned int *seed)
{
	media_port p = md->port[rand_r(seed) % MODEL_PORTS];
	media_port q = md->port[rand_r(seed) % MODEL_PORTS];
	int k = rand_r(seed) % MODEL_CONFS, id = md->ids[k] ? md->ids[k] : 77;
	bool talk = rand_r(seed) & 1, listen = rand_r(seed) & 1;
	int want, got, i;

	switch (rand_r(seed) % 8) {
	case 0:
		if (md->ids[k])
			break;
		md->max[k] = rand_r(seed) % 3 ? 0 : 2 + rand_r(seed) % 4;
		got = mix_conf_new(r->m, md->max[k]);
		ck_assert_int_gt(got, 0);
		ck_assert_int_lt(model_slot(md, got), 0);
		md->ids[k] = got;
		md->members[k] = 0;
		break;
	case 1:
		want = md->ids[k] ? 0 : -ENOENT;
		ck_assert_int_eq(mix_conf_del(r->m, id), want);
		if (want)
			break;
		for (i = 0; i < MAXP; i++)
			if (md->role[i] == 2 && md->conf[i] == id)
				md->role[i] = 0;
		md->ids[k] = 0;
		break;
	case 2:
		want = model_expect_join(md, id, p);
		ck_assert_int_eq(mix_conf_join(r->m, id, p, talk, listen), want);
		if (want)
			break;
		md->role[p] = 2;
		md->conf[p] = id;
		md->talk[p] = talk;
		md->listen[p] = listen;
		md->members[k]++;
		break;
	case 3:
		want = md->role[p] == 2 ? 0 : -ENOENT;
		ck_assert_int_eq(mix_conf_leave(r->m, p), want);
		if (!want) {
			md->members[model_slot(md, md->conf[p])]--;
			md->role[p] = 0;
		}
		break;
	case 4:
		want = md->role[p] == 2 ? 0 : -ENOENT;
		ck_assert_int_eq(mix_conf_set(r->m, p, talk, listen), want);
		if (!want) {
			md->talk[p] = talk;
			md->listen[p] = listen;
		}
		break;
	case 5:
		want = p == q ? -EINVAL : md->role[p] || md->role[q] ? -EBUSY : 0;
		ck_assert_int_eq(mix_bridge(r->m, p, q), want);
		if (!want) {
			md->role[p] = md->role[q] = 1;
			md->peer[p] = q;
			md->peer[q] = p;
		}
		break;
	case 6:
		want = md->role[p] == 1 ? 0 : -ENOENT;
		ck_assert_int_eq(mix_unbridge(r->m, p), want);
		if (!want)
			md->role[p] = md->role[md->peer[p]] = 0;
		break;
	case 7:
		ck_assert_int_eq(mix_set_law(r->m, p, talk ? MEDIA_ALAW : MEDIA_ULAW), 0);
		break;
	}
}

static void model_check(struct rig *r, const struct model *md, unsigned int blk)
{
	unsigned int j, i;

	for (j = 0; j < MODEL_PORTS; j++) {
		media_port p = md->port[j];
		bool owned = md->role[p] == 1 || (md->role[p] == 2 && md->listen[p]);

		ck_assert_int_eq(mix_port_owned(r->m, p), owned);
		for (i = 0; i < 8; i++) {
			uint8_t want = UNTOUCHED;

			if (md->role[p] == 1) {
				want = xcode(law_of(r, md->peer[p]), law_of(r, p),
					     rx_at(r, md->peer[p], blk)[i]);
			} else if (owned) {
				int32_t sum = 0;
				unsigned int t;

				for (t = 0; t < MODEL_PORTS; t++) {
					media_port q = md->port[t];

					if (q != p && md->role[q] == 2 && md->conf[q] == md->conf[p] &&
					    md->talk[q])
						sum += in(r, q, blk, i);
				}
				want = enc(law_of(r, p), sum);
			}
			ck_assert_msg(tx_at(r, p, blk)[i] == want, "port %u sample %u: %02x, want %02x",
				      p, i, tx_at(r, p, blk)[i], want);
		}
	}
}

START_TEST(test_mix_random_graph_changes_match_a_plain_model)
{
	struct rig *r = rig_new();
	struct model *md = calloc(1, sizeof(*md));
	unsigned int seed = 2024, step, j;

	ck_assert_ptr_nonnull(md);
	for (j = 0; j < MODEL_PORTS; j++)
		md->port[j] = P(1 + j % 3, 1 + j);
	for (step = 0; step < 4000; step++) {
		unsigned int blk = step % NB;

		model_step(r, md, &seed);
		fill_random(r, &seed);
		/* loud inputs now and then, to reach the clamps */
		if (step % 5 == 0)
			for (j = 0; j < MODEL_PORTS; j++)
				put_const(r, md->port[j], blk, j & 1 ? 32000 : -32000);
		memset(r->tx, UNTOUCHED, sizeof(r->tx));
		run(r, blk, 1);
		model_check(r, md, blk);
	}
	free(md);
	rig_free(r);
}
END_TEST

static Suite *mix_suite(void)
{
	Suite *s = suite_create("mix");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_mix_same_law_bridge_copies_octets_bit_exact_both_ways);
	tcase_add_test(tc, test_mix_bridge_between_laws_transcodes_each_way);
	tcase_add_test(tc, test_mix_bridge_across_spans_uses_the_same_block_of_both_sides);
	tcase_add_test(tc, test_mix_tx_ahead_answers_rx_block_k_in_tx_block_k_plus_ahead);
	tcase_add_test(tc, test_mix_writes_only_the_ports_it_owns);
	tcase_add_test(tc, test_mix_conference_listener_hears_everyone_but_itself);
	tcase_add_test(tc, test_mix_conference_clamps_the_sum_to_int16);
	tcase_add_test(tc, test_mix_silent_members_change_nothing_and_are_not_summed);
	tcase_add_test(tc, test_mix_listen_only_members_share_one_encoded_frame_per_law);
	tcase_add_test(tc, test_mix_supervisor_listen_hears_both_and_nobody_hears_it);
	tcase_add_test(tc, test_mix_supervisor_whisper_reaches_the_agent_only);
	tcase_add_test(tc, test_mix_supervisor_barge_makes_a_three_way_call);
	tcase_add_test(tc, test_mix_mode_switch_cuts_at_a_block_boundary_without_gap_or_repeat);
	tcase_add_test(tc, test_mix_unbridge_releases_the_supervisor);
	tcase_add_test(tc, test_mix_law_change_applies_to_live_paths);
	tcase_add_test(tc, test_mix_absent_spans_send_silence_and_are_not_written);
	tcase_add_test(tc, test_mix_process_rejects_bad_rings_and_writes_nothing);
	tcase_add_test(tc, test_mix_ring_of_map_follows_the_span_device_layout);
	tcase_add_test(tc, test_mix_bad_requests_fail_and_leave_the_graph_unchanged);
	tcase_add_test(tc, test_mix_random_graph_changes_match_a_plain_model);
	suite_add_tcase(s, tc);
	return s;
}

TDMX_CHECK_MAIN(mix_suite)
