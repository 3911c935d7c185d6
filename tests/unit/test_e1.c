// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * E1 framer behaviour: G.704 framing and CRC-4, G.706 alignment, loss and
 * recovery, Annex B interworking, G.775 defects, TS16 CAS.
 */
#include <string.h>

#include "unit.h"
#include "linegen.h"
#include "crc.h"

#define FB 256	/* bits per frame */

static struct tdmx_e1_config cfg_of(int framing, bool cas)
{
	struct tdmx_e1_config c = { .framing = framing, .cas = cas, .sa = 0x1F };

	return c;
}

/* A line of n frames from a fresh transmitter, starting at frame 0. */
static void make_line(struct bits *b, int framing, bool cas, unsigned int n, uint8_t fill)
{
	struct tdmx_e1_config c = cfg_of(framing, cas);
	struct tdmx_e1_tx tx;

	tdmx_e1_tx_init(&tx, &c);
	e1_gen(b, &tx, n, fill);
}

static struct rec *decode(const struct bits *b, int framing, bool cas, size_t chunk,
			  struct tdmx_e1_rx *rx)
{
	struct tdmx_e1_config c = cfg_of(framing, cas);
	struct rec *r = rec_new();
	struct tdmx_fr_sink s = rec_sink(r);

	tdmx_e1_rx_init(rx, &c, &s);
	e1_feed_bits(rx, b, chunk);
	return r;
}

/* refs/e1t1-framing.md: the SMF of 8 frames with TS1-31 = fill */
static void spec_smf(uint8_t *smf, int second, uint8_t fill)
{
	static const int mfas[6] = { 0, 0, 1, 0, 1, 1 };
	int f, n;

	memset(smf, fill, 8 * 32);
	for (f = 0; f < 8; f++) {
		n = f + (second ? 8 : 0);
		if (!(n & 1))
			smf[f * 32] = 0x1B;
		else
			smf[f * 32] = ((n < 12 ? mfas[n >> 1] : 1) << 7) | 0x40 | 0x1F;
	}
}

START_TEST(test_crc4_matches_the_spec_vectors)
{
	static const struct { uint8_t fill, smf1, smf2; } v[] = {
		{ 0xFF, 0xA, 0xB }, { 0xD5, 0xF, 0xE }, { 0x00, 0xB, 0xA },
	};
	uint8_t smf[256];
	unsigned int i, s, f;

	tdmx_crc_init();
	for (i = 0; i < 3; i++) {
		for (s = 0; s < 2; s++) {
			uint8_t fold = 0;

			spec_smf(smf, s, v[i].fill);
			ck_assert_uint_eq(tdmx_crc4_update(0, smf, 256),
					  s ? v[i].smf2 : v[i].smf1);
			for (f = 0; f < 8; f++)
				fold = tdmx_crc4_shift_frame(fold) ^
				       tdmx_crc4_frame(smf + 32 * f, !(f & 1));
			ck_assert_uint_eq(fold, s ? v[i].smf2 : v[i].smf1);
		}
	}
}
END_TEST

START_TEST(test_transmitter_sends_spec_c_bits_in_the_next_smf)
{
	struct bits b;
	unsigned int f, c;

	bits_init(&b, 4096);
	make_line(&b, TDMX_E1_CRC4, false, 32, 0xD5);
	/* SMF I remainder 1111 arrives in SMF II (frames 8..14), SMF II's 1110 in SMF I */
	for (c = 0, f = 8; f < 16; f += 2)
		c = c << 1 | b.buf[f * 32] >> 7;
	ck_assert_uint_eq(c, 0xF);
	for (c = 0, f = 16; f < 24; f += 2)
		c = c << 1 | b.buf[f * 32] >> 7;
	ck_assert_uint_eq(c, 0xE);
	/* NFAS: bit 2 set, A clear, Sa = 1s, E bits 1 */
	ck_assert_uint_eq(b.buf[13 * 32], 0xDF);
	bits_free(&b);
}
END_TEST

START_TEST(test_e1_aligns_at_every_bit_offset)
{
	uint64_t seed = 0x1234567 + _i;
	struct tdmx_e1_rx rx;
	struct bits b, line;
	struct rec *r;

	bits_init(&b, 8192);
	bits_init(&line, 8192);
	bits_random(&b, _i, &seed);
	make_line(&line, TDMX_E1_CRC4, false, 64, 0xD5);
	bits_append(&b, line.buf, line.nbits);
	r = decode(&b, TDMX_E1_CRC4, false, 0, &rx);
	ck_assert_uint_eq(rec_count(r, TDMX_FR_EV_FRAME_SYNC), 1);
	ck_assert_uint_eq(rec_find(r, TDMX_FR_EV_FRAME_SYNC, 0)->bit, _i);
	ck_assert_uint_eq(rec_find(r, TDMX_FR_EV_CRC4_SYNC, 0)->bit, _i + 16 * FB);
	ck_assert(tdmx_e1_rx_aligned(&rx));
	ck_assert_uint_eq(tdmx_e1_rx_counters(&rx)->fas_errors, 0);
	rec_free(r);
	bits_free(&b);
	bits_free(&line);
}
END_TEST

START_TEST(test_e1_aligns_after_random_prefixes)
{
	uint64_t seed = 0xC0FFEE + _i * 7919;
	struct tdmx_e1_rx rx;
	struct bits b, line;
	size_t prefix = 100 + test_rand(&seed) % 3000;
	const struct tdmx_fr_event *ev;
	struct rec *r;

	bits_init(&b, 8192);
	bits_init(&line, 8192);
	bits_random(&b, prefix, &seed);
	make_line(&line, TDMX_E1_DOUBLEFRAME, false, 200, 0x55);
	bits_append(&b, line.buf, line.nbits);
	r = decode(&b, TDMX_E1_DOUBLEFRAME, false, 7, &rx);
	ck_assert(tdmx_e1_rx_aligned(&rx));
	/* the last alignment is the true one, whatever random data did first */
	ev = rec_find(r, TDMX_FR_EV_FRAME_SYNC, rec_count(r, TDMX_FR_EV_FRAME_SYNC) - 1);
	ck_assert_uint_ge(ev->bit, prefix);
	ck_assert_uint_eq((ev->bit - prefix) % (2 * FB), 0);
	rec_free(r);
	bits_free(&b);
	bits_free(&line);
}
END_TEST

static void break_fas(struct bits *b, unsigned int frame)
{
	bits_flip(b, (size_t)frame * FB + 3);
}

START_TEST(test_e1_keeps_alignment_after_two_bad_fas)
{
	struct tdmx_e1_rx rx;
	struct bits b;
	struct rec *r;

	bits_init(&b, 8192);
	make_line(&b, TDMX_E1_DOUBLEFRAME, false, 200, 0xD5);
	break_fas(&b, 40);
	break_fas(&b, 42);
	break_fas(&b, 46);
	break_fas(&b, 48);
	r = decode(&b, TDMX_E1_DOUBLEFRAME, false, 0, &rx);
	ck_assert_uint_eq(rec_count(r, TDMX_FR_EV_FRAME_LOSS), 0);
	ck_assert_uint_eq(tdmx_e1_rx_counters(&rx)->fas_errors, 4);
	ck_assert_uint_eq(tdmx_e1_rx_counters(&rx)->frames, 200);
	rec_free(r);
	bits_free(&b);
}
END_TEST

START_TEST(test_e1_loses_alignment_after_three_bad_fas)
{
	struct tdmx_e1_rx rx;
	struct bits b;
	struct rec *r;

	bits_init(&b, 8192);
	make_line(&b, TDMX_E1_DOUBLEFRAME, false, 200, 0xD5);
	break_fas(&b, 40);
	break_fas(&b, 42);
	break_fas(&b, 44);
	r = decode(&b, TDMX_E1_DOUBLEFRAME, false, 0, &rx);
	ck_assert_uint_eq(rec_count(r, TDMX_FR_EV_FRAME_LOSS), 1);
	ck_assert_uint_eq(rec_find(r, TDMX_FR_EV_FRAME_LOSS, 0)->bit, 44 * FB);
	ck_assert_uint_eq(rec_find_alarm(r, TDMX_FR_ALARM_LOF, 1)->bit, 44 * FB);
	/* G.706 4.1.2: the next good FAS/NFAS/FAS is frames 46, 47, 48 */
	ck_assert_uint_eq(rec_find(r, TDMX_FR_EV_FRAME_SYNC, 1)->bit, 46 * FB);
	ck_assert_uint_eq(rec_find_alarm(r, TDMX_FR_ALARM_LOF, 0)->bit, 46 * FB);
	ck_assert_uint_eq(tdmx_e1_rx_counters(&rx)->realignments, 1);
	ck_assert(tdmx_e1_rx_aligned(&rx));
	rec_free(r);
	bits_free(&b);
}
END_TEST

START_TEST(test_e1_nfas_bit2_loss_is_an_option)
{
	struct tdmx_e1_config c = cfg_of(TDMX_E1_DOUBLEFRAME, false);
	struct tdmx_e1_rx rx;
	struct bits b;
	struct rec *r;
	int pass;

	for (pass = 0; pass < 2; pass++) {
		bits_init(&b, 8192);
		make_line(&b, TDMX_E1_DOUBLEFRAME, false, 100, 0xD5);
		bits_flip(&b, 41 * FB + 1);
		bits_flip(&b, 43 * FB + 1);
		bits_flip(&b, 45 * FB + 1);
		r = rec_new();
		struct tdmx_fr_sink s = rec_sink(r);

		c.nfas_loss = pass;
		tdmx_e1_rx_init(&rx, &c, &s);
		e1_feed_bits(&rx, &b, 0);
		ck_assert_uint_eq(rec_count(r, TDMX_FR_EV_FRAME_LOSS), pass);
		if (pass)
			ck_assert_uint_eq(rec_find(r, TDMX_FR_EV_FRAME_LOSS, 0)->bit, 45 * FB);
		rec_free(r);
		bits_free(&b);
	}
}
END_TEST

START_TEST(test_e1_recovery_rejects_payload_imitating_fas)
{
	static const uint8_t fake[3] = { 0x1B, 0x40, 0x00 };
	struct tdmx_e1_config c = cfg_of(TDMX_E1_DOUBLEFRAME, false);
	struct tdmx_e1_tx tx;
	struct tdmx_e1_rx rx;
	uint8_t in[32], out[32];
	struct bits b, cut;
	struct rec *r;
	unsigned int f;

	bits_init(&b, 8192);
	bits_init(&cut, 8192);
	tdmx_e1_tx_init(&tx, &c);
	memset(in, 0xD5, sizeof(in));
	for (f = 0; f < 40; f++) {
		/* TS3 passes FAS, then NFAS bit 2, then fails the second FAS */
		in[3] = fake[f % 3];
		tdmx_e1_tx_frames(&tx, in, out, 1);
		bits_append(&b, out, FB);
	}
	/* start the capture at TS2 of frame 1 (an NFAS frame) */
	bits_append(&cut, b.buf + 32 + 2, b.nbits - FB - 16);
	r = decode(&cut, TDMX_E1_DOUBLEFRAME, false, 0, &rx);
	ck_assert_uint_eq(rec_count(r, TDMX_FR_EV_FRAME_SYNC), 1);
	/* frame 2 starts 256 - 16 bits into the capture */
	ck_assert_uint_eq(rec_find(r, TDMX_FR_EV_FRAME_SYNC, 0)->bit, FB - 16);
	rec_free(r);
	bits_free(&b);
	bits_free(&cut);
}
END_TEST

START_TEST(test_e1_one_bit_slip_loses_and_realigns)
{
	struct tdmx_e1_rx rx;
	struct bits b;
	struct rec *r;

	bits_init(&b, 16384);
	make_line(&b, TDMX_E1_DOUBLEFRAME, false, 300, 0xD5);
	bits_delete(&b, 100 * FB + 100);
	r = decode(&b, TDMX_E1_DOUBLEFRAME, false, 3, &rx);
	ck_assert_uint_eq(rec_count(r, TDMX_FR_EV_FRAME_LOSS), 1);
	ck_assert_uint_eq(rec_find(r, TDMX_FR_EV_FRAME_LOSS, 0)->bit, 106 * FB);
	ck_assert_uint_eq(rec_find(r, TDMX_FR_EV_FRAME_SYNC, 1)->bit, 108 * FB - 1);
	ck_assert_uint_eq(tdmx_e1_rx_counters(&rx)->realignments, 1);
	ck_assert(tdmx_e1_rx_aligned(&rx));
	rec_free(r);
	bits_free(&b);
}
END_TEST

START_TEST(test_e1_crc4_errors_counted_per_corrupted_smf)
{
	static const unsigned int smfs[] = { 4, 5, 9, 20, 21, 22, 40, 77, 100, 123 };
	struct tdmx_e1_rx rx;
	struct bits b;
	struct rec *r;
	unsigned int i;

	bits_init(&b, 65536);
	make_line(&b, TDMX_E1_CRC4, false, 2048, 0xD5);
	/* one payload bit in each chosen SMF, and two in SMF 77 */
	for (i = 0; i < 10; i++)
		bits_flip(&b, (size_t)smfs[i] * 8 * FB + 3 * FB + 77);
	bits_flip(&b, (size_t)77 * 8 * FB + 5 * FB + 200);
	r = decode(&b, TDMX_E1_CRC4, false, 0, &rx);
	ck_assert_uint_eq(rec_count(r, TDMX_FR_EV_CRC4_ERROR), 10);
	for (i = 0; i < 10; i++) {
		const struct tdmx_fr_event *ev = rec_find(r, TDMX_FR_EV_CRC4_ERROR, i);

		ck_assert_uint_eq(ev->bit, (uint64_t)smfs[i] * 8 * FB);
		ck_assert_uint_eq(ev->smf, smfs[i] & 1);
	}
	ck_assert_uint_eq(tdmx_e1_rx_counters(&rx)->crc_errors, 10);
	ck_assert_uint_eq(rec_count(r, TDMX_FR_EV_FRAME_LOSS), 0);
	rec_free(r);
	bits_free(&b);
}
END_TEST

/* Two ends joined by a line each way; corrupt chosen SMFs near → far. */
START_TEST(test_e1_ebits_round_trip_between_two_ends)
{
	struct tdmx_e1_config c = cfg_of(TDMX_E1_CRC4, false);
	struct tdmx_e1_tx ntx, ftx;
	struct tdmx_e1_rx nrx, frx;
	struct rec *nr = rec_new(), *fr = rec_new();
	struct tdmx_fr_sink ns = rec_sink(nr), fs = rec_sink(fr);
	uint8_t in[16 * 32], out[16 * 32];
	size_t before = 0;
	unsigned int mf, corrupted = 0;

	tdmx_e1_tx_init(&ntx, &c);
	tdmx_e1_tx_init(&ftx, &c);
	tdmx_e1_rx_init(&nrx, &c, &ns);
	tdmx_e1_rx_init(&frx, &c, &fs);
	tdmx_e1_tx_link_rx(&ntx, &nrx);
	tdmx_e1_tx_link_rx(&ftx, &frx);
	memset(in, 0x2A, sizeof(in));
	for (mf = 0; mf < 400; mf++) {
		tdmx_e1_tx_frames(&ntx, in, out, 16);
		if (mf == 50)
			before = rec_count(nr, TDMX_FR_EV_EBIT);
		/* from MF 100, corrupt SMF II of every 10th multiframe */
		if (mf >= 100 && mf % 10 == 0 && corrupted < 20) {
			out[9 * 32 + 5] ^= 0x10;
			corrupted++;
		}
		tdmx_e1_rx_feed(&frx, out, sizeof(out));
		tdmx_e1_tx_frames(&ftx, in, out, 16);
		tdmx_e1_rx_feed(&nrx, out, sizeof(out));
	}
	ck_assert(tdmx_e1_rx_crc4_aligned(&nrx));
	ck_assert(tdmx_e1_rx_crc4_aligned(&frx));
	ck_assert_uint_eq(rec_count(fr, TDMX_FR_EV_CRC4_ERROR), 20);
	ck_assert_uint_eq(rec_count(nr, TDMX_FR_EV_EBIT) - before, 20);
	/* SMF II errors come back in E2 */
	ck_assert_uint_eq(rec_find(nr, TDMX_FR_EV_EBIT, before)->smf, 1);
	rec_free(nr);
	rec_free(fr);
}
END_TEST

START_TEST(test_e1_interworks_with_a_non_crc4_far_end_after_400ms)
{
	struct tdmx_e1_rx rx;
	struct bits b;
	struct rec *r;
	const struct tdmx_fr_event *sync;

	bits_init(&b, 300000);
	make_line(&b, TDMX_E1_DOUBLEFRAME, false, 8000, 0xD5);
	r = decode(&b, TDMX_E1_CRC4, false, 1000, &rx);
	sync = rec_find(r, TDMX_FR_EV_FRAME_SYNC, 0);
	ck_assert_uint_eq(sync->bit, 0);
	ck_assert_uint_eq(rec_count(r, TDMX_FR_EV_CRC4_SYNC), 0);
	ck_assert_uint_eq(rec_count(r, TDMX_FR_EV_CRC4_INTERWORKING), 1);
	/* Annex B: 400 ms = 3200 frames after primary alignment */
	ck_assert_uint_eq(rec_find(r, TDMX_FR_EV_CRC4_INTERWORKING, 0)->bit, 3199 * FB);
	ck_assert_uint_eq(rec_count(r, TDMX_FR_EV_FRAME_LOSS), 0);
	ck_assert_uint_eq(rec_count(r, TDMX_FR_EV_FRAME_SYNC), 1);
	ck_assert(tdmx_e1_rx_aligned(&rx));
	ck_assert(!tdmx_e1_rx_crc4_aligned(&rx));
	ck_assert_uint_eq(tdmx_e1_rx_take_ebits(&rx), 0);
	ck_assert_uint_eq(tdmx_e1_rx_counters(&rx)->frames, 8000);
	rec_free(r);
	bits_free(&b);
}
END_TEST

START_TEST(test_e1_crc4_research_replaces_a_spurious_alignment)
{
	struct tdmx_e1_config c = cfg_of(TDMX_E1_CRC4, false);
	struct tdmx_e1_tx tx;
	struct tdmx_e1_rx rx;
	uint8_t in[32], out[32];
	struct bits b, cut;
	struct rec *r;
	unsigned int f;

	bits_init(&b, 65536);
	bits_init(&cut, 65536);
	tdmx_e1_tx_init(&tx, &c);
	memset(in, 0xD5, sizeof(in));
	for (f = 0; f < 200; f++) {
		/* TS5 imitates FAS and NFAS in step with the true TS0 */
		in[5] = (f & 1) ? 0x40 : 0x1B;
		tdmx_e1_tx_frames(&tx, in, out, 1);
		bits_append(&b, out, FB);
	}
	/* the capture starts at TS3, so the imitation comes first */
	bits_append(&cut, b.buf + 3, b.nbits - 24);
	r = decode(&cut, TDMX_E1_CRC4, false, 0, &rx);
	ck_assert_uint_eq(rec_count(r, TDMX_FR_EV_FRAME_SYNC), 2);
	ck_assert_uint_eq(rec_find(r, TDMX_FR_EV_FRAME_SYNC, 0)->bit, 16);
	/* re-search from frame 63: the true FAS of frame 64, MF found at 91 */
	ck_assert_uint_eq(rec_find(r, TDMX_FR_EV_FRAME_SYNC, 1)->bit, 64 * FB - 24);
	ck_assert_uint_eq(rec_find(r, TDMX_FR_EV_CRC4_SYNC, 0)->bit, 80 * FB - 24);
	ck_assert_uint_eq(rec_count(r, TDMX_FR_EV_FRAME_LOSS), 0);
	ck_assert_uint_eq(rec_count(r, TDMX_FR_EV_CRC4_ERROR), 0);
	ck_assert_uint_eq(tdmx_e1_rx_counters(&rx)->realignments, 1);
	ck_assert(tdmx_e1_rx_crc4_aligned(&rx));
	rec_free(r);
	bits_free(&b);
	bits_free(&cut);
}
END_TEST

START_TEST(test_e1_multiframe_moved_by_8_frames_is_lost_and_found_again)
{
	struct tdmx_e1_config c = cfg_of(TDMX_E1_CRC4, false);
	struct tdmx_e1_tx tx;
	struct tdmx_e1_rx rx;
	struct bits b;
	struct rec *r;

	bits_init(&b, 200000);
	tdmx_e1_tx_init(&tx, &c);
	e1_gen(&b, &tx, 1000, 0xD5);
	/* the far end restarts its transmitter 8 frames into a multiframe */
	tdmx_e1_tx_init(&tx, &c);
	e1_gen(&b, &tx, 1000, 0xD5);
	r = decode(&b, TDMX_E1_CRC4, false, 0, &rx);
	/*
	 * The CRC-4 checks cannot see the move (the SMFs swap places); only
	 * the SMF before the restart fails, its C bits never having been sent.
	 * The MFAS shows it.
	 */
	ck_assert_uint_eq(rec_count(r, TDMX_FR_EV_CRC4_ERROR), 1);
	ck_assert_uint_eq(rec_find(r, TDMX_FR_EV_CRC4_ERROR, 0)->bit, 992 * FB);
	ck_assert_uint_eq(rec_count(r, TDMX_FR_EV_CRC4_LOSS), 1);
	/* four wrong MFAS: our multiframes at frames 992 (half moved), 1008, 1024, 1040 */
	ck_assert_uint_eq(rec_find(r, TDMX_FR_EV_CRC4_LOSS, 0)->bit, 1040 * FB);
	ck_assert_uint_eq(rec_count(r, TDMX_FR_EV_CRC4_SYNC), 2);
	ck_assert_uint_eq(rec_find(r, TDMX_FR_EV_CRC4_SYNC, 1)->bit % (16 * FB), 8 * FB);
	ck_assert_uint_eq(rec_count(r, TDMX_FR_EV_FRAME_LOSS), 0);
	/* MFAS bits read as E bits only until the multiframe is found again */
	ck_assert_uint_le(rec_count(r, TDMX_FR_EV_EBIT), 8);
	ck_assert(tdmx_e1_rx_crc4_aligned(&rx));
	rec_free(r);
	bits_free(&b);
}
END_TEST

static void corrupt_smfs(struct bits *b, unsigned int first, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		bits_flip(b, (size_t)(first + i) * 8 * FB + 2 * FB + 9);
}

START_TEST(test_e1_915_of_1000_errored_blocks_restart_the_search)
{
	struct tdmx_e1_rx rx;
	struct bits b;
	struct rec *r;
	int pass;

	for (pass = 0; pass < 2; pass++) {
		bits_init(&b, 1200000);
		make_line(&b, TDMX_E1_CRC4, false, 16 * 700, 0xD5);
		/* crc4_sync at MF 1: blocks are counted from its SMF I (SMF 2) */
		corrupt_smfs(&b, 2, pass ? 915 : 914);
		r = decode(&b, TDMX_E1_CRC4, false, 0, &rx);
		ck_assert_uint_eq(rec_find(r, TDMX_FR_EV_CRC4_SYNC, 0)->bit, 16 * FB);
		ck_assert_uint_eq(rec_count(r, TDMX_FR_EV_FRAME_LOSS), pass);
		ck_assert_uint_eq(rec_count(r, TDMX_FR_EV_CRC4_LOSS), pass);
		if (pass) {
			/* the 915th error (SMF 916) is found at the end of SMF 917 */
			ck_assert_uint_eq(rec_find(r, TDMX_FR_EV_FRAME_LOSS, 0)->bit,
					  (uint64_t)917 * 8 * FB + 7 * FB);
			ck_assert_uint_eq(rec_count(r, TDMX_FR_EV_CRC4_ERROR), 915);
		} else {
			ck_assert_uint_eq(rec_count(r, TDMX_FR_EV_CRC4_ERROR), 914);
		}
		rec_free(r);
		bits_free(&b);
	}
}
END_TEST

static void ones_with_zeros(struct bits *b, unsigned int periods, unsigned int zeros)
{
	unsigned int p, i;

	for (p = 0; p < periods; p++)
		for (i = 0; i < 512; i++)
			bits_append_bit(b, !(i < zeros * 100 && i % 100 == 50));
}

START_TEST(test_e1_ais_at_two_zeros_per_512_bits_not_three)
{
	struct tdmx_e1_rx rx;
	struct bits b;
	struct rec *r;

	bits_init(&b, 8192);
	ones_with_zeros(&b, 10, 2);
	ones_with_zeros(&b, 10, 3);
	r = decode(&b, TDMX_E1_DOUBLEFRAME, false, 0, &rx);
	ck_assert_uint_eq(rec_count_alarm(r, TDMX_FR_ALARM_AIS, 1), 1);
	ck_assert_uint_eq(rec_find_alarm(r, TDMX_FR_ALARM_AIS, 1)->bit, 512);
	ck_assert_uint_eq(rec_count_alarm(r, TDMX_FR_ALARM_AIS, 0), 1);
	ck_assert_uint_eq(rec_find_alarm(r, TDMX_FR_ALARM_AIS, 0)->bit, 11 * 512);
	ck_assert_uint_eq(rec_count_alarm(r, TDMX_FR_ALARM_LOS, -1), 0);
	rec_free(r);
	bits_free(&b);
}
END_TEST

START_TEST(test_e1_los_after_255_zeros_not_254)
{
	struct tdmx_e1_rx rx;
	struct bits b, line;
	struct rec *r;
	size_t i, start;
	int pass;

	for (pass = 0; pass < 2; pass++) {
		bits_init(&b, 65536);
		bits_init(&line, 8192);
		make_line(&line, TDMX_E1_DOUBLEFRAME, false, 100, 0x00);
		bits_append(&b, line.buf, line.nbits);
		bits_append_bit(&b, 1);
		start = b.nbits;
		for (i = 0; i < (pass ? 255u : 254u); i++)
			bits_append_bit(&b, 0);
		bits_append_bit(&b, 1);
		bits_append(&b, line.buf, line.nbits);
		r = decode(&b, TDMX_E1_DOUBLEFRAME, false, 0, &rx);
		ck_assert_uint_eq(rec_count_alarm(r, TDMX_FR_ALARM_LOS, 1), pass);
		ck_assert_uint_eq(rec_count_alarm(r, TDMX_FR_ALARM_LOS, 0), pass);
		if (pass)
			ck_assert_uint_eq(rec_find_alarm(r, TDMX_FR_ALARM_LOS, 1)->bit,
					  start + 254);
		rec_free(r);
		bits_free(&b);
		bits_free(&line);
	}
}
END_TEST

START_TEST(test_e1_rai_follows_the_a_bit_after_three_frames)
{
	struct tdmx_e1_config c = cfg_of(TDMX_E1_DOUBLEFRAME, false);
	struct tdmx_e1_tx tx;
	struct tdmx_e1_rx rx;
	struct bits b;
	struct rec *r;

	bits_init(&b, 65536);
	tdmx_e1_tx_init(&tx, &c);
	e1_gen(&b, &tx, 100, 0xD5);
	tx.rai = true;
	e1_gen(&b, &tx, 100, 0xD5);
	tx.rai = false;
	e1_gen(&b, &tx, 100, 0xD5);
	r = decode(&b, TDMX_E1_DOUBLEFRAME, false, 0, &rx);
	/* A = 1 from frame 101; the third such NFAS is frame 105 */
	ck_assert_uint_eq(rec_count_alarm(r, TDMX_FR_ALARM_RAI, 1), 1);
	ck_assert_uint_eq(rec_find_alarm(r, TDMX_FR_ALARM_RAI, 1)->bit, 105 * FB);
	ck_assert_uint_eq(rec_find_alarm(r, TDMX_FR_ALARM_RAI, 0)->bit, 205 * FB);
	rec_free(r);
	bits_free(&b);
}
END_TEST

START_TEST(test_e1_transmitter_sends_rai_while_its_receiver_has_no_frame)
{
	struct tdmx_e1_config c = cfg_of(TDMX_E1_DOUBLEFRAME, false);
	struct tdmx_e1_tx tx;
	struct tdmx_e1_rx rx;
	uint8_t in[32] = { 0 }, out[32];

	tdmx_e1_rx_init(&rx, &c, NULL);
	tdmx_e1_tx_init(&tx, &c);
	tdmx_e1_tx_link_rx(&tx, &rx);
	tdmx_e1_tx_frames(&tx, in, out, 1);
	tdmx_e1_tx_frames(&tx, in, out, 1);
	ck_assert_uint_eq(out[0] & 0x20, 0x20);
}
END_TEST

static uint8_t abcd_for(unsigned int ts, int round)
{
	return ((ts * 7 + round * 5) % 15) + 1;
}

START_TEST(test_e1_cas_reports_all_30_timeslots_and_their_changes)
{
	struct tdmx_e1_config c = cfg_of(TDMX_E1_CRC4, true);
	struct tdmx_e1_tx tx;
	struct tdmx_e1_rx rx;
	struct bits b;
	struct rec *r;
	unsigned int ts, i, seen[32] = { 0 };

	bits_init(&b, 65536);
	tdmx_e1_tx_init(&tx, &c);
	for (ts = 1; ts < 32; ts++)
		tdmx_e1_tx_set_abcd(&tx, ts, abcd_for(ts, 0));
	e1_gen(&b, &tx, 160, 0xD5);
	for (ts = 1; ts < 32; ts++)
		tdmx_e1_tx_set_abcd(&tx, ts, abcd_for(ts, 1));
	e1_gen(&b, &tx, 160, 0xD5);
	r = decode(&b, TDMX_E1_CRC4, true, 5, &rx);
	ck_assert_uint_eq(rec_count(r, TDMX_FR_EV_CAS_SYNC), 1);
	/* the first MFAS has a non-zero TS16 before it at frame 16 */
	ck_assert_uint_eq(rec_find(r, TDMX_FR_EV_CAS_SYNC, 0)->bit, 16 * FB);
	ck_assert_uint_eq(rec_count(r, TDMX_FR_EV_ABCD), 60);
	for (i = 0; i < 60; i++) {
		const struct tdmx_fr_event *ev = rec_find(r, TDMX_FR_EV_ABCD, i);

		ck_assert(ev->ts >= 1 && ev->ts <= 31 && ev->ts != 16);
		ck_assert_uint_eq(ev->abcd, abcd_for(ev->ts, seen[ev->ts]));
		/* ts k and k+16 are in frame k of the multiframe */
		ck_assert_uint_eq((ev->bit / FB) % 16, ev->ts & 15);
		seen[ev->ts]++;
	}
	ck_assert_uint_eq(rec_count(r, TDMX_FR_EV_CAS_LOSS), 0);
	rec_free(r);
	bits_free(&b);
}
END_TEST

START_TEST(test_e1_cas_multiframe_lost_on_all_zero_ts16)
{
	struct tdmx_e1_rx rx;
	struct bits b;
	struct rec *r;
	unsigned int f;

	bits_init(&b, 65536);
	make_line(&b, TDMX_E1_DOUBLEFRAME, true, 320, 0xD5);
	for (f = 64; f < 80; f++)
		b.buf[f * 32 + 16] = 0;
	r = decode(&b, TDMX_E1_DOUBLEFRAME, true, 0, &rx);
	ck_assert_uint_eq(rec_count(r, TDMX_FR_EV_CAS_LOSS), 1);
	ck_assert_uint_eq(rec_find(r, TDMX_FR_EV_CAS_LOSS, 0)->bit, 64 * FB);
	/* regained on the next MFAS with a non-zero TS16 before it */
	ck_assert_uint_eq(rec_count(r, TDMX_FR_EV_CAS_SYNC), 2);
	ck_assert_uint_eq(rec_find(r, TDMX_FR_EV_CAS_SYNC, 1)->bit, 96 * FB);
	ck_assert_uint_eq(rec_count(r, TDMX_FR_EV_FRAME_LOSS), 0);
	rec_free(r);
	bits_free(&b);
}
END_TEST

START_TEST(test_e1_cas_multiframe_lost_after_two_bad_mfas)
{
	struct tdmx_e1_rx rx;
	struct bits b;
	struct rec *r;

	bits_init(&b, 65536);
	make_line(&b, TDMX_E1_DOUBLEFRAME, true, 320, 0xD5);
	b.buf[64 * 32 + 16] |= 0x80;
	r = decode(&b, TDMX_E1_DOUBLEFRAME, true, 0, &rx);
	ck_assert_uint_eq(rec_count(r, TDMX_FR_EV_CAS_LOSS), 0);
	bits_free(&b);
	rec_free(r);

	bits_init(&b, 65536);
	make_line(&b, TDMX_E1_DOUBLEFRAME, true, 320, 0xD5);
	b.buf[64 * 32 + 16] |= 0x80;
	b.buf[80 * 32 + 16] |= 0x10;
	r = decode(&b, TDMX_E1_DOUBLEFRAME, true, 0, &rx);
	ck_assert_uint_eq(rec_count(r, TDMX_FR_EV_CAS_LOSS), 1);
	ck_assert_uint_eq(rec_find(r, TDMX_FR_EV_CAS_LOSS, 0)->bit, 80 * FB);
	rec_free(r);
	bits_free(&b);
}
END_TEST

START_TEST(test_e1_ts16_ais_and_remote_multiframe_alarm)
{
	struct tdmx_e1_config c = cfg_of(TDMX_E1_DOUBLEFRAME, true);
	struct tdmx_e1_tx tx;
	struct tdmx_e1_rx rx;
	struct bits b;
	struct rec *r;

	bits_init(&b, 65536);
	tdmx_e1_tx_init(&tx, &c);
	e1_gen(&b, &tx, 64, 0xD5);
	tx.cas_rmfa = true;
	e1_gen(&b, &tx, 64, 0xD5);
	tx.ts16_ais = true;
	e1_gen(&b, &tx, 64, 0xD5);
	r = decode(&b, TDMX_E1_DOUBLEFRAME, true, 0, &rx);
	/* Y = 1 from MF 4; the second such multiframe is MF 5 */
	ck_assert_uint_eq(rec_find_alarm(r, TDMX_FR_ALARM_CAS_RMFA, 1)->bit, 80 * FB);
	/* TS16 AIS from frame 128: decided over periods 128 and 144 */
	ck_assert_uint_eq(rec_find_alarm(r, TDMX_FR_ALARM_TS16_AIS, 1)->bit, 144 * FB);
	ck_assert_uint_eq(rec_count(r, TDMX_FR_EV_CAS_LOSS), 1);
	rec_free(r);
	bits_free(&b);
}
END_TEST

START_TEST(test_e1_payload_round_trips_bit_exact)
{
	struct tdmx_e1_config c = cfg_of(TDMX_E1_CRC4, true);
	struct tdmx_e1_tx tx;
	struct tdmx_e1_rx rx;
	struct rec *r = rec_new();
	struct tdmx_fr_sink s = rec_sink(r);
	uint8_t in[32], out[32];
	struct bits b;
	unsigned int f, ts;

	bits_init(&b, 65536);
	bits_append_bit(&b, 1);
	bits_append_bit(&b, 0);
	bits_append_bit(&b, 1);
	tdmx_e1_tx_init(&tx, &c);
	for (f = 0; f < 800; f++) {
		for (ts = 0; ts < 32; ts++)
			in[ts] = (uint8_t)(f * 31 + ts * 17);
		tdmx_e1_tx_frames(&tx, in, out, 1);
		bits_append(&b, out, FB);
	}
	r->ts_cap = 1000;
	for (ts = 1; ts < 32; ts++)
		r->ts_out[ts] = calloc(1000, 1);
	tdmx_e1_rx_init(&rx, &c, &s);
	e1_feed_bits(&rx, &b, 11);
	for (ts = 1; ts < 32; ts++) {
		if (ts == 16)
			continue;
		ck_assert_uint_eq(r->ts_len[ts], 800);
		for (f = 0; f < 800; f++)
			ck_assert_uint_eq(r->ts_out[ts][f], (uint8_t)(f * 31 + ts * 17));
	}
	rec_free(r);
	bits_free(&b);
}
END_TEST

START_TEST(test_e1_chunk_size_does_not_change_events)
{
	static const size_t chunks[] = { 1, 2, 3, 31, 32, 33, 1000, 0 };
	struct tdmx_e1_rx rx;
	struct bits b;
	struct rec *ref, *r;
	unsigned int i;

	bits_init(&b, 300000);
	make_line(&b, TDMX_E1_CRC4, true, 4000, 0x3C);
	bits_delete(&b, 1000 * FB + 5);
	bits_flip(&b, 2000 * FB + 40);
	for (i = 0; i < 300; i++)
		bits_set(&b, 3000 * FB + i, 0);
	ref = decode(&b, TDMX_E1_CRC4, true, 4096, &rx);
	ck_assert_uint_gt(ref->n, 40);
	for (i = 0; i < 8; i++) {
		r = decode(&b, TDMX_E1_CRC4, true, chunks[i], &rx);
		ck_assert_uint_eq(r->n, ref->n);
		ck_assert_mem_eq(r->ev, ref->ev, ref->n * sizeof(ref->ev[0]));
		rec_free(r);
	}
	rec_free(ref);
	bits_free(&b);
}
END_TEST

static Suite *e1_suite(void)
{
	Suite *s = suite_create("e1");
	TCase *tc = tcase_create("framer");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_crc4_matches_the_spec_vectors);
	tcase_add_test(tc, test_transmitter_sends_spec_c_bits_in_the_next_smf);
	tcase_add_loop_test(tc, test_e1_aligns_at_every_bit_offset, 0, 8);
	tcase_add_loop_test(tc, test_e1_aligns_after_random_prefixes, 0, 20);
	tcase_add_test(tc, test_e1_keeps_alignment_after_two_bad_fas);
	tcase_add_test(tc, test_e1_loses_alignment_after_three_bad_fas);
	tcase_add_test(tc, test_e1_nfas_bit2_loss_is_an_option);
	tcase_add_test(tc, test_e1_recovery_rejects_payload_imitating_fas);
	tcase_add_test(tc, test_e1_one_bit_slip_loses_and_realigns);
	tcase_add_test(tc, test_e1_crc4_errors_counted_per_corrupted_smf);
	tcase_add_test(tc, test_e1_ebits_round_trip_between_two_ends);
	tcase_add_test(tc, test_e1_interworks_with_a_non_crc4_far_end_after_400ms);
	tcase_add_test(tc, test_e1_crc4_research_replaces_a_spurious_alignment);
	tcase_add_test(tc, test_e1_multiframe_moved_by_8_frames_is_lost_and_found_again);
	tcase_add_test(tc, test_e1_915_of_1000_errored_blocks_restart_the_search);
	tcase_add_test(tc, test_e1_ais_at_two_zeros_per_512_bits_not_three);
	tcase_add_test(tc, test_e1_los_after_255_zeros_not_254);
	tcase_add_test(tc, test_e1_rai_follows_the_a_bit_after_three_frames);
	tcase_add_test(tc, test_e1_transmitter_sends_rai_while_its_receiver_has_no_frame);
	tcase_add_test(tc, test_e1_cas_reports_all_30_timeslots_and_their_changes);
	tcase_add_test(tc, test_e1_cas_multiframe_lost_on_all_zero_ts16);
	tcase_add_test(tc, test_e1_cas_multiframe_lost_after_two_bad_mfas);
	tcase_add_test(tc, test_e1_ts16_ais_and_remote_multiframe_alarm);
	tcase_add_test(tc, test_e1_payload_round_trips_bit_exact);
	tcase_add_test(tc, test_e1_chunk_size_does_not_change_events);
	suite_add_tcase(s, tc);
	return s;
}

TDMX_CHECK_MAIN(e1_suite)
