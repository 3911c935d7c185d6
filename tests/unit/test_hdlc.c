// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * HDLC codec: FCS-16, zero-bit insertion, flags, abort, idle fill, the
 * receiver's counters, 64 and 56 kbit/s, any bit offset in the timeslot.
 *
 * Hand-built line streams come from a reference encoder in this file that
 * works on one bit per array element, so the codec is checked against the
 * rules rather than against itself.
 */
#include <stdio.h>
#include <string.h>

#include "crc.h"
#include "hdlc.h"
#include "unit.h"

#define MAXF TDMX_HDLC_MAX_FRAME
#define FLAG_BITS "01111110"

/* ---- deterministic random numbers ---- */

static u32 rng_state = 0x12345678;

static void rng_seed(u32 seed)
{
	rng_state = seed ? seed : 1;
}

static u32 rng(void)
{
	/* xorshift32 */
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

/* ---- line bits, one per element, in line order ---- */

struct bits {
	size_t n;
	size_t cap;
	u8 *b;
};

static struct bits *bits_new(void)
{
	struct bits *bb = calloc(1, sizeof(*bb));

	ck_assert_ptr_nonnull(bb);
	bb->cap = 1 << 20;
	bb->b = malloc(bb->cap);
	ck_assert_ptr_nonnull(bb->b);
	return bb;
}

static void bits_free(struct bits *bb)
{
	free(bb->b);
	free(bb);
}

static void bits_push(struct bits *bb, unsigned int v)
{
	ck_assert_uint_lt(bb->n, bb->cap);
	bb->b[bb->n++] = v & 1;
}

/* '0' and '1' characters; anything else (spaces) is skipped. */
static void bits_str(struct bits *bb, const char *s)
{
	for (; *s; s++)
		if (*s == '0' || *s == '1')
			bits_push(bb, *s - '0');
}

static void bits_flag(struct bits *bb)
{
	bits_str(bb, FLAG_BITS);
}

/* Reference encoder: octets LSB first with a 0 after every five 1s. */
static void bits_content(struct bits *bb, const u8 *p, size_t n, unsigned int *ones)
{
	size_t i;
	int k;

	for (i = 0; i < n; i++) {
		for (k = 0; k < 8; k++) {
			unsigned int v = (p[i] >> k) & 1;

			bits_push(bb, v);
			*ones = v ? *ones + 1 : 0;
			if (*ones == 5) {
				bits_push(bb, 0);
				*ones = 0;
			}
		}
	}
}

static u16 fcs_of(const u8 *p, size_t n)
{
	return ~tdmx_fcs16_update(TDMX_FCS16_INIT, p, n) & 0xFFFF;
}

/* Frame content (no flags): payload then FCS, low octet first. */
static void bits_frame(struct bits *bb, const u8 *p, size_t n)
{
	u16 fcs = fcs_of(p, n);
	u8 f[2] = { fcs & 0xFF, fcs >> 8 };
	unsigned int ones = 0;

	bits_content(bb, p, n, &ones);
	bits_content(bb, f, 2, &ones);
}

/*
 * Pack into timeslot octets, the first bit in the MSB; 56 kbit/s uses the
 * first seven bits and fills bit 8 with random junk. The tail is padded
 * with ones. Returns the number of octets written to a malloc'ed buffer.
 */
static size_t bits_pack(const struct bits *bb, bool bits56, u8 **out)
{
	unsigned int width = bits56 ? 7 : 8;
	size_t n = (bb->n + width - 1) / width, i, pos = 0;
	unsigned int k;

	*out = malloc(n ? n : 1);
	ck_assert_ptr_nonnull(*out);
	for (i = 0; i < n; i++) {
		u8 v = 0;

		for (k = 0; k < width; k++, pos++)
			v = v << 1 | (pos < bb->n ? bb->b[pos] : 1);
		if (bits56)
			v = v << 1 | (rng() & 1);
		(*out)[i] = v;
	}
	return n;
}

/* Unpack timeslot octets into line bits (dropping bit 8 at 56 kbit/s). */
static void bits_unpack(struct bits *bb, const u8 *o, size_t n, bool bits56)
{
	unsigned int width = bits56 ? 7 : 8;
	size_t i;
	unsigned int k;

	for (i = 0; i < n; i++)
		for (k = 0; k < width; k++)
			bits_push(bb, o[i] >> (7 - k));
}

/* ---- receiver capture ---- */

#define CAP_FRAMES 8

struct capture {
	unsigned int n;
	unsigned int len[CAP_FRAMES];
	u8 f[CAP_FRAMES][MAXF];
};

static struct capture cap;

static void capture_frame(void *ctx, const u8 *frame, unsigned int len)
{
	struct capture *c = ctx;
	unsigned int slot = c->n % CAP_FRAMES;

	/* Every delivered frame carries a valid FCS. */
	ck_assert_uint_ge(len, 3);
	ck_assert_uint_le(len, MAXF);
	ck_assert_uint_eq(tdmx_fcs16_update(TDMX_FCS16_INIT, frame, len), TDMX_FCS16_GOOD);
	memcpy(c->f[slot], frame, len);
	c->len[slot] = len;
	c->n++;
}

static void capture_reset(void)
{
	memset(&cap, 0, sizeof(cap));
}

/* The k-th frame from the end (0 = last) is @p with its FCS. */
static void assert_captured(unsigned int back, const u8 *p, unsigned int n)
{
	unsigned int slot;
	u16 fcs = fcs_of(p, n);

	ck_assert_uint_gt(cap.n, back);
	slot = (cap.n - 1 - back) % CAP_FRAMES;
	ck_assert_uint_eq(cap.len[slot], n + 2);
	ck_assert_mem_eq(cap.f[slot], p, n);
	ck_assert_uint_eq(cap.f[slot][n], fcs & 0xFF);
	ck_assert_uint_eq(cap.f[slot][n + 1], fcs >> 8);
}

/* Feed in random chunks of 1..17 octets. */
static void feed(struct tdmx_hdlc_rx *rx, const u8 *o, size_t n)
{
	while (n) {
		size_t c = 1 + rng() % 17;

		if (c > n)
			c = n;
		tdmx_hdlc_rx_octets(rx, o, c);
		o += c;
		n -= c;
	}
}

static struct tdmx_hdlc_rx rx;
static struct tdmx_hdlc_tx tx;

static void rx_start(const struct tdmx_hdlc_config *cfg)
{
	capture_reset();
	tdmx_hdlc_rx_init(&rx, cfg, capture_frame, &cap);
}

/*
 * Pack and feed @bb, followed by marks: eight ones after the last flag are
 * an abort of nothing and keep the padding bits from forming content.
 */
static void feed_bits(struct bits *bb, bool bits56)
{
	u8 *o;
	size_t n;
	int i;

	for (i = 0; i < 8; i++)
		bits_push(bb, 1);
	n = bits_pack(bb, bits56, &o);

	feed(&rx, o, n);
	free(o);
}

static void assert_counters(u64 frames, u64 fcs, u64 aborts, u64 shrt, u64 lng, u64 mis)
{
	const struct tdmx_hdlc_counters *c = tdmx_hdlc_rx_counters(&rx);

	ck_assert_uint_eq(c->frames, frames);
	ck_assert_uint_eq(c->fcs_errors, fcs);
	ck_assert_uint_eq(c->aborts, aborts);
	ck_assert_uint_eq(c->too_short, shrt);
	ck_assert_uint_eq(c->too_long, lng);
	ck_assert_uint_eq(c->misaligned, mis);
	ck_assert_uint_eq(cap.n, frames);
}

/* Transmit until the frame is out and its closing flag is on the line. */
static size_t tx_drain(u8 *out, size_t max)
{
	size_t n = 0;

	while (tdmx_hdlc_tx_busy(&tx)) {
		ck_assert_uint_lt(n, max);
		tdmx_hdlc_tx_octets(&tx, out + n++, 1);
	}
	ck_assert_uint_le(n + 4, max);
	/* Up to 25 queued bits: four octets flush them even at 56 kbit/s. */
	tdmx_hdlc_tx_octets(&tx, out + n, 4);
	return n + 4;
}

static void fill(u8 *p, unsigned int n, int pattern)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		p[i] = pattern < 0 ? (u8)rng() : (u8)pattern;
}

/* ---- FCS ---- */

START_TEST(test_fcs16_of_123456789_is_906e_and_leaves_good_residue)
{
	const u8 *s = (const u8 *)"123456789";
	u8 withfcs[11];
	u16 fcs;

	tdmx_crc_init();
	fcs = ~tdmx_fcs16_update(TDMX_FCS16_INIT, s, 9) & 0xFFFF;
	ck_assert_uint_eq(fcs, 0x906E);
	memcpy(withfcs, s, 9);
	withfcs[9] = 0x6E;	/* low octet first */
	withfcs[10] = 0x90;
	ck_assert_uint_eq(tdmx_fcs16_update(TDMX_FCS16_INIT, withfcs, 11), TDMX_FCS16_GOOD);
	withfcs[3] ^= 0x10;
	ck_assert_uint_ne(tdmx_fcs16_update(TDMX_FCS16_INIT, withfcs, 11), TDMX_FCS16_GOOD);
}
END_TEST

/* ---- transmitter ---- */

START_TEST(test_hdlc_tx_idles_with_flags_or_marks)
{
	struct tdmx_hdlc_config cfg = { 0 };
	u8 o[64];
	struct bits *bb = bits_new();
	size_t i;

	tdmx_hdlc_tx_init(&tx, &cfg);
	ck_assert(!tdmx_hdlc_tx_busy(&tx));
	tdmx_hdlc_tx_octets(&tx, o, sizeof(o));
	for (i = 0; i < sizeof(o); i++)
		ck_assert_uint_eq(o[i], 0x7E);

	cfg.idle_marks = true;
	tdmx_hdlc_tx_init(&tx, &cfg);
	tdmx_hdlc_tx_octets(&tx, o, sizeof(o));
	for (i = 0; i < sizeof(o); i++)
		ck_assert_uint_eq(o[i], 0xFF);

	/* 56 kbit/s: continuous flags across 7-bit slots, bit 8 set. */
	cfg.idle_marks = false;
	cfg.bits56 = true;
	tdmx_hdlc_tx_init(&tx, &cfg);
	tdmx_hdlc_tx_octets(&tx, o, sizeof(o));
	bits_unpack(bb, o, sizeof(o), true);
	for (i = 0; i < sizeof(o); i++)
		ck_assert_uint_eq(o[i] & 1, 1);
	for (i = 0; i < bb->n; i++)
		ck_assert_uint_eq(bb->b[i], FLAG_BITS[i % 8] - '0');
	bits_free(bb);
}
END_TEST

/* The line bits of a frame sent after init with idle flags, 64 kbit/s. */
static void check_exact_bits(const u8 *p, unsigned int n, const char *content, bool bits56)
{
	struct tdmx_hdlc_config cfg = { .bits56 = bits56 };
	struct bits *want = bits_new(), *got = bits_new();
	u8 o[16];
	size_t i;

	bits_flag(want);
	bits_str(want, content);
	while (want->n < 16 * 8)
		bits_flag(want);

	tdmx_hdlc_tx_init(&tx, &cfg);
	ck_assert_int_eq(tdmx_hdlc_tx_start(&tx, p, n), 0);
	tdmx_hdlc_tx_octets(&tx, o, sizeof(o));
	bits_unpack(got, o, sizeof(o), bits56);
	for (i = 0; i < got->n; i++)
		ck_assert_msg(got->b[i] == want->b[i], "bit %zu: got %u want %u", i,
			      got->b[i], want->b[i]);
	if (bits56)
		for (i = 0; i < sizeof(o); i++)
			ck_assert_uint_eq(o[i] & 1, 1);
	bits_free(want);
	bits_free(got);
}

START_TEST(test_hdlc_tx_encodes_known_frames_bit_exact)
{
	static const u8 p7e[] = { 0x7E };
	static const u8 pff[] = { 0xFF };

	/*
	 * Payload 0x7E, LSB first 0111 1110: a 0 goes in after the five 1s.
	 * FCS = ~fcs16(0x7E) = 0x6A81, sent 0x81 (1000 0001) then 0x6A
	 * (0101 0110), LSB first, no run of five 1s there.
	 */
	check_exact_bits(p7e, 1, "0 11111 0 1 0" "10000001" "01010110", false);
	check_exact_bits(p7e, 1, "0 11111 0 1 0" "10000001" "01010110", true);
	/*
	 * Payload 0xFF: 11111 0 111. FCS = 0xFF00: octet 0x00 then 0xFF;
	 * the count of ones restarts at every 0, so the 0xFF octet of the
	 * FCS is stuffed after its fifth 1 again.
	 */
	check_exact_bits(pff, 1, "11111 0 111" "00000000" "11111 0 111", false);
}
END_TEST

START_TEST(test_hdlc_tx_ff_payload_never_has_six_ones_inside_frame)
{
	struct tdmx_hdlc_config cfg = { .idle_marks = true };
	static u8 p[300], o[1000];
	struct bits *bb = bits_new(), *ref = bits_new();
	size_t n, i, first, last, run = 0;

	memset(p, 0xFF, sizeof(p));
	tdmx_hdlc_tx_init(&tx, &cfg);
	tdmx_hdlc_tx_octets(&tx, o, 3);
	ck_assert_int_eq(tdmx_hdlc_tx_start(&tx, p, sizeof(p)), 0);
	n = 3 + tx_drain(o + 3, sizeof(o) - 3);
	bits_unpack(bb, o, n, false);

	/* Marks, opening flag, content, closing flag, marks. */
	for (first = 0; first < bb->n && bb->b[first]; first++)
		;
	for (last = bb->n - 1; last > first && bb->b[last]; last--)
		;
	ck_assert_uint_ge(first, 24);
	ck_assert_uint_lt(last, bb->n - 1);
	for (i = 0; i < 8; i++) {
		ck_assert_uint_eq(bb->b[first + i], FLAG_BITS[i] - '0');
		ck_assert_uint_eq(bb->b[last - 7 + i], FLAG_BITS[i] - '0');
	}
	for (i = first + 8; i < last - 7; i++) {
		run = bb->b[i] ? run + 1 : 0;
		ck_assert_msg(run < 6, "six ones at bit %zu", i);
	}
	/* And the content is exactly what the reference encoder makes. */
	bits_frame(ref, p, sizeof(p));
	ck_assert_uint_eq(last - 7 - (first + 8), ref->n);
	ck_assert_mem_eq(bb->b + first + 8, ref->b, ref->n);
	bits_free(bb);
	bits_free(ref);
}
END_TEST

START_TEST(test_hdlc_tx_start_rejects_bad_length_and_busy)
{
	static u8 p[MAXF];

	tdmx_hdlc_tx_init(&tx, NULL);
	ck_assert_int_eq(tdmx_hdlc_tx_start(&tx, p, 0), -2);
	ck_assert_int_eq(tdmx_hdlc_tx_start(&tx, p, MAXF - 1), -2);
	ck_assert(!tdmx_hdlc_tx_busy(&tx));
	ck_assert_int_eq(tdmx_hdlc_tx_start(&tx, p, MAXF - 2), 0);
	ck_assert(tdmx_hdlc_tx_busy(&tx));
	ck_assert_int_eq(tdmx_hdlc_tx_start(&tx, p, 1), -1);
	ck_assert_int_eq(tdmx_hdlc_tx_start(&tx, p, 0), -2);
	tdmx_hdlc_tx_abort(&tx);
	ck_assert(!tdmx_hdlc_tx_busy(&tx));
	ck_assert_int_eq(tdmx_hdlc_tx_start(&tx, p, 1), 0);
}
END_TEST

/* ---- round trips ---- */

static void round_trip_every_length(const struct tdmx_hdlc_config *cfg, u32 seed)
{
	static const int patterns[] = { -1, 0xFF, 0x7E, 0x00 };
	static u8 p[300], o[1000];
	unsigned int len, k;
	u64 frames = 0;

	rng_seed(seed);
	tdmx_hdlc_tx_init(&tx, cfg);
	rx_start(cfg);
	tdmx_hdlc_tx_octets(&tx, o, 5);
	feed(&rx, o, 5);
	for (k = 0; k < sizeof(patterns) / sizeof(patterns[0]); k++) {
		for (len = 1; len <= 300; len++) {
			size_t n;

			fill(p, len, patterns[k]);
			ck_assert_int_eq(tdmx_hdlc_tx_start(&tx, p, len), 0);
			n = tx_drain(o, sizeof(o));
			feed(&rx, o, n);
			frames++;
			ck_assert_uint_eq(cap.n, frames);
			assert_captured(0, p, len);
		}
	}
	assert_counters(frames, 0, 0, 0, 0, 0);
}

START_TEST(test_hdlc_every_length_1_to_300_round_trips_at_64k)
{
	struct tdmx_hdlc_config cfg = { 0 };

	round_trip_every_length(&cfg, 1);
}
END_TEST

START_TEST(test_hdlc_every_length_1_to_300_round_trips_at_56k)
{
	struct tdmx_hdlc_config cfg = { .bits56 = true };

	round_trip_every_length(&cfg, 2);
}
END_TEST

START_TEST(test_hdlc_every_length_1_to_300_round_trips_with_idle_marks)
{
	struct tdmx_hdlc_config cfg = { .idle_marks = true };

	round_trip_every_length(&cfg, 3);
	cfg.bits56 = true;
	round_trip_every_length(&cfg, 4);
}
END_TEST

START_TEST(test_hdlc_longest_frame_round_trips)
{
	static u8 p[MAXF - 2], o[6000];
	size_t n;

	rng_seed(5);
	fill(p, sizeof(p), -1);
	tdmx_hdlc_tx_init(&tx, NULL);
	rx_start(NULL);
	ck_assert_int_eq(tdmx_hdlc_tx_start(&tx, p, sizeof(p)), 0);
	n = tx_drain(o, sizeof(o));
	feed(&rx, o, n);
	assert_counters(1, 0, 0, 0, 0, 0);
	assert_captured(0, p, sizeof(p));
}
END_TEST

/* Count runs of exactly six ones between zeros: flags, as content has none. */
static unsigned int count_flags(const struct bits *bb)
{
	unsigned int flags = 0, run = 0;
	size_t i;

	for (i = 0; i < bb->n; i++) {
		if (bb->b[i]) {
			run++;
			continue;
		}
		if (run == 6 && i >= 7 && !bb->b[i - 7])
			flags++;
		run = 0;
	}
	return flags;
}

START_TEST(test_hdlc_back_to_back_frames_share_one_flag)
{
	struct tdmx_hdlc_config cfg = { .idle_marks = true };
	static u8 a[40], b[23], o[200];
	struct bits *bb = bits_new();
	size_t n = 0;

	rng_seed(6);
	fill(a, sizeof(a), -1);
	fill(b, sizeof(b), 0x7E);
	tdmx_hdlc_tx_init(&tx, &cfg);
	rx_start(&cfg);
	tdmx_hdlc_tx_octets(&tx, o, 2);
	n = 2;
	ck_assert_int_eq(tdmx_hdlc_tx_start(&tx, a, sizeof(a)), 0);
	while (tdmx_hdlc_tx_busy(&tx))
		tdmx_hdlc_tx_octets(&tx, o + n++, 1);
	ck_assert_int_eq(tdmx_hdlc_tx_start(&tx, b, sizeof(b)), 0);
	n += tx_drain(o + n, sizeof(o) - n);
	tdmx_hdlc_tx_octets(&tx, o + n, 2);
	n += 2;

	/* Marks, flag, A, flag, B, flag, marks: three flags in all. */
	bits_unpack(bb, o, n, false);
	ck_assert_uint_eq(count_flags(bb), 3);
	feed(&rx, o, n);
	assert_counters(2, 0, 0, 0, 0, 0);
	assert_captured(1, a, sizeof(a));
	assert_captured(0, b, sizeof(b));
	bits_free(bb);
}
END_TEST

START_TEST(test_hdlc_rx_takes_frames_separated_by_one_flag_or_a_shared_zero)
{
	static const u8 a[] = { 0x01, 0x03, 0x7F }, b[] = { 0xFC, 0x3F, 0x00, 0x12 };
	struct bits *bb = bits_new();
	bool bits56;

	for (bits56 = false; ; bits56 = true) {
		struct tdmx_hdlc_config cfg = { .bits56 = bits56 };

		bb->n = 0;
		bits_flag(bb);
		bits_frame(bb, a, sizeof(a));
		bits_flag(bb);
		bits_frame(bb, b, sizeof(b));
		/* Q.921 2.2: "0111111 0 111111 0", two flags sharing a zero. */
		bits_str(bb, "0111111" "0" "1111110");
		bits_frame(bb, a, sizeof(a));
		bits_flag(bb);
		rx_start(&cfg);
		feed_bits(bb, bits56);
		assert_counters(3, 0, 0, 0, 0, 0);
		assert_captured(2, a, sizeof(a));
		assert_captured(1, b, sizeof(b));
		assert_captured(0, a, sizeof(a));
		if (bits56)
			break;
	}
	bits_free(bb);
}
END_TEST

START_TEST(test_hdlc_rx_empty_flag_pairs_are_not_errors)
{
	struct bits *bb = bits_new();
	static u8 o[100];
	int i;

	rx_start(NULL);
	memset(o, 0x7E, sizeof(o));
	feed(&rx, o, sizeof(o));
	assert_counters(0, 0, 0, 0, 0, 0);
	for (i = 0; i < 100; i++)
		bits_str(bb, "0111111");	/* flags sharing their zeros */
	bits_str(bb, "0");
	feed_bits(bb, false);
	assert_counters(0, 0, 0, 0, 0, 0);
	/* Marks and flags mixed: no content, no abort counted. */
	bb->n = 0;
	for (i = 0; i < 50; i++) {
		bits_flag(bb);
		bits_str(bb, "11111111111");
	}
	bits_flag(bb);
	feed_bits(bb, false);
	assert_counters(0, 0, 0, 0, 0, 0);
	bits_free(bb);
}
END_TEST

/* ---- aborts and errors ---- */

START_TEST(test_hdlc_abort_mid_frame_is_counted_and_next_frame_arrives)
{
	static u8 a[200], b[50], o[1000];
	bool marks;

	for (marks = false; ; marks = true) {
		struct tdmx_hdlc_config cfg = { .idle_marks = marks };
		size_t n;

		rng_seed(7);
		fill(a, sizeof(a), -1);
		fill(b, sizeof(b), -1);
		tdmx_hdlc_tx_init(&tx, &cfg);
		rx_start(&cfg);
		ck_assert_int_eq(tdmx_hdlc_tx_start(&tx, a, sizeof(a)), 0);
		tdmx_hdlc_tx_octets(&tx, o, 30);
		tdmx_hdlc_tx_abort(&tx);
		ck_assert(!tdmx_hdlc_tx_busy(&tx));
		tdmx_hdlc_tx_octets(&tx, o + 30, 10);
		feed(&rx, o, 40);
		assert_counters(0, 0, 1, 0, 0, 0);
		ck_assert_int_eq(tdmx_hdlc_tx_start(&tx, b, sizeof(b)), 0);
		n = tx_drain(o, sizeof(o));
		feed(&rx, o, n);
		assert_counters(1, 0, 1, 0, 0, 0);
		assert_captured(0, b, sizeof(b));
		if (marks)
			break;
	}
}
END_TEST

START_TEST(test_hdlc_rx_counts_an_abort_once_however_long)
{
	static const u8 a[] = { 0x11, 0x22, 0x33, 0x44 };
	struct bits *bb = bits_new();
	int i;

	rx_start(NULL);
	bits_flag(bb);
	bits_str(bb, "0010110");	/* some content */
	for (i = 0; i < 500; i++)
		bits_push(bb, 1);
	/* An abort straight after a flag has no frame to abort... */
	bits_flag(bb);
	bits_str(bb, "1111111");
	/* ...but one content bit, even a lone 0, makes a frame. */
	bits_flag(bb);
	bits_str(bb, "0 1111111");
	bits_flag(bb);
	bits_frame(bb, a, sizeof(a));
	bits_flag(bb);
	feed_bits(bb, false);
	assert_counters(1, 0, 2, 0, 0, 0);
	assert_captured(0, a, sizeof(a));
	bits_free(bb);
}
END_TEST

START_TEST(test_hdlc_bit_error_counts_fcs_error_and_next_frame_arrives)
{
	static u8 a[20], b[30], o[400];
	size_t n;

	rng_seed(8);
	fill(b, sizeof(b), -1);
	tdmx_hdlc_tx_init(&tx, NULL);
	ck_assert_int_eq(tdmx_hdlc_tx_start(&tx, a, sizeof(a)), 0);
	n = tx_drain(o, sizeof(o));
	ck_assert_int_eq(tdmx_hdlc_tx_start(&tx, b, sizeof(b)), 0);
	n += tx_drain(o + n, sizeof(o) - n);

	/* A (zeros) starts after the opening flag; flip one bit in it. */
	o[5] ^= 0x10;
	rx_start(NULL);
	feed(&rx, o, n);
	assert_counters(1, 1, 0, 0, 0, 0);
	assert_captured(0, b, sizeof(b));
}
END_TEST

START_TEST(test_hdlc_any_single_bit_error_never_delivers_a_bad_frame)
{
	static u8 a[24], b[30], o[400], damaged[400];
	struct bits *ref = bits_new();
	size_t n, na, bit, end;

	rng_seed(9);
	fill(a, sizeof(a), -1);
	a[3] = 0xFF;
	a[4] = 0x7E;
	fill(b, sizeof(b), -1);
	tdmx_hdlc_tx_init(&tx, NULL);
	ck_assert_int_eq(tdmx_hdlc_tx_start(&tx, a, sizeof(a)), 0);
	na = tx_drain(o, sizeof(o));
	ck_assert_int_eq(tdmx_hdlc_tx_start(&tx, b, sizeof(b)), 0);
	n = na + tx_drain(o + na, sizeof(o) - na);

	/*
	 * Opening flag at bits 0..7, A's content, its closing flag; then
	 * idle flags, the last of which opens B.
	 */
	bits_frame(ref, a, sizeof(a));
	end = 16 + ref->n;
	ck_assert_uint_le(end + 8, 8 * na);
	for (bit = 0; bit < end; bit++) {
		const struct tdmx_hdlc_counters *c;

		memcpy(damaged, o, n);
		damaged[bit / 8] ^= 0x80 >> (bit % 8);
		rx_start(NULL);
		feed(&rx, damaged, n);
		c = tdmx_hdlc_rx_counters(&rx);
		/* The capture callback checks each delivered FCS. */
		assert_captured(0, b, sizeof(b));
		ck_assert_uint_le(cap.n, 2);
		/* A damaged opening flag just hides A; anything else is counted. */
		if (bit >= 8 && cap.n == 1)
			ck_assert_msg(c->fcs_errors + c->aborts + c->too_short +
				      c->misaligned + c->too_long >= 1, "bit %zu uncounted", bit);
	}
	bits_free(ref);
}
END_TEST

START_TEST(test_hdlc_rx_enforces_min_and_max_len)
{
	struct tdmx_hdlc_config cfg = { .min_len = 4, .max_len = 10 };
	static u8 p[MAXF + 1000];
	struct bits *bb = bits_new();
	unsigned int len;

	rng_seed(10);
	fill(p, sizeof(p), -1);
	rx_start(&cfg);
	bits_flag(bb);
	for (len = 1; len <= 12; len++) {
		bits_frame(bb, p, len);
		bits_flag(bb);
	}
	feed_bits(bb, false);
	/* 1..3 too short, 4..10 good, 11 and 12 too long. */
	assert_counters(7, 0, 0, 3, 2, 0);
	assert_captured(0, p, 10);

	/* Default: FCS plus at least one octet; two octets alone are too short. */
	rx_start(NULL);
	bb->n = 0;
	bits_flag(bb);
	bits_str(bb, "00000000 11111 0 111");
	bits_flag(bb);
	bits_str(bb, "00000000");
	bits_flag(bb);
	feed_bits(bb, false);
	assert_counters(0, 0, 0, 2, 0, 0);

	/* Longer than the buffer: counted once, the next frame arrives. */
	rx_start(NULL);
	bb->n = 0;
	bits_flag(bb);
	bits_frame(bb, p, MAXF + 900);
	bits_flag(bb);
	bits_frame(bb, p, MAXF - 1);	/* one octet too many, even at max */
	bits_flag(bb);
	bits_frame(bb, p, 7);
	bits_flag(bb);
	feed_bits(bb, false);
	assert_counters(1, 0, 0, 0, 2, 0);
	assert_captured(0, p, 7);

	/* A max_len above the buffer is clamped to it. */
	cfg.min_len = 0;
	cfg.max_len = 60000;
	rx_start(&cfg);
	bb->n = 0;
	bits_flag(bb);
	bits_frame(bb, p, MAXF - 2);
	bits_flag(bb);
	bits_frame(bb, p, MAXF - 1);
	bits_flag(bb);
	feed_bits(bb, false);
	assert_counters(1, 0, 0, 0, 1, 0);
	assert_captured(0, p, MAXF - 2);
	bits_free(bb);
}
END_TEST

START_TEST(test_hdlc_rx_drops_and_counts_misaligned_frames)
{
	static const u8 a[] = { 0xA5, 0x5A, 0x00, 0xFF, 0x13 };
	struct bits *bb = bits_new();
	unsigned int extra, k;

	rx_start(NULL);
	bits_flag(bb);
	for (extra = 1; extra <= 7; extra++) {
		bits_frame(bb, a, sizeof(a));
		for (k = 0; k < extra; k++)
			bits_push(bb, k & 1);
		bits_flag(bb);
		bits_frame(bb, a, sizeof(a));
		bits_flag(bb);
	}
	/* A few bits alone between two flags are a misaligned frame too. */
	bits_str(bb, "010");
	bits_flag(bb);
	feed_bits(bb, false);
	assert_counters(7, 0, 0, 0, 0, 8);
	assert_captured(0, a, sizeof(a));
	bits_free(bb);
}
END_TEST

/* ---- robustness ---- */

static void garbage_run(bool bits56, unsigned int ones_per_16)
{
	struct tdmx_hdlc_config cfg = { .bits56 = bits56, .min_len = 0 };
	static const u8 good[] = { 0x00, 0x01, 0x7F, 0xC0 };
	static u8 o[1 << 16];
	const struct tdmx_hdlc_counters *c;
	struct bits *bb = bits_new();
	int round;
	size_t i;

	rx_start(&cfg);
	for (round = 0; round < 32; round++) {
		for (i = 0; i < sizeof(o); i++) {
			unsigned int v = 0, k;

			if (!ones_per_16) {
				o[i] = rng();
				continue;
			}
			for (k = 0; k < 8; k++)
				v = v << 1 | ((rng() & 15) < ones_per_16);
			o[i] = v;
		}
		feed(&rx, o, sizeof(o));
	}
	c = tdmx_hdlc_rx_counters(&rx);
	ck_assert_uint_eq(c->frames, cap.n);
	ck_assert_uint_gt(c->fcs_errors + c->misaligned + c->too_short + c->aborts +
			  c->too_long, 0);

	/* Whatever state garbage left, a flag then a good frame gets through. */
	cap.n = 0;
	bits_flag(bb);
	bits_flag(bb);
	bits_frame(bb, good, sizeof(good));
	bits_flag(bb);
	feed_bits(bb, bits56);
	ck_assert_uint_eq(cap.n, 1);
	assert_captured(0, good, sizeof(good));
	bits_free(bb);
}

START_TEST(test_hdlc_random_garbage_never_delivers_a_bad_fcs)
{
	rng_seed(11);
	garbage_run(false, 0);
	garbage_run(true, 0);
	/* Mostly ones: flags and aborts everywhere. */
	garbage_run(false, 13);
	garbage_run(true, 14);
	/* Mostly zeros: long frames, overflows. */
	garbage_run(false, 2);
}
END_TEST

START_TEST(test_hdlc_rx_finds_frames_at_any_bit_offset)
{
	static const u8 a[] = { 0x02, 0x01, 0x7F, 0xFF, 0x08 };
	static const u8 b[] = { 0x00, 0x7E, 0x7E, 0xFF, 0xFF, 0xFF, 0x01 };
	struct bits *bb = bits_new();
	unsigned int prefix, k, width;
	bool bits56;

	rng_seed(12);
	for (bits56 = false; ; bits56 = true) {
		struct tdmx_hdlc_config cfg = { .bits56 = bits56 };

		width = bits56 ? 7 : 8;
		for (prefix = 0; prefix < 2 * width; prefix++) {
			bb->n = 0;
			for (k = 0; k < prefix; k++)
				bits_push(bb, rng());
			bits_flag(bb);
			bits_frame(bb, a, sizeof(a));
			bits_flag(bb);
			bits_frame(bb, b, sizeof(b));
			bits_flag(bb);
			rx_start(&cfg);
			feed_bits(bb, bits56);
			ck_assert_msg(cap.n == 2, "prefix %u bits56 %d: %u frames", prefix,
				      bits56, cap.n);
			assert_captured(1, a, sizeof(a));
			assert_captured(0, b, sizeof(b));
		}
		if (bits56)
			break;
	}
	bits_free(bb);
}
END_TEST

/* The FCS table is filled by tdmx_crc_init(), which the codec inits call. */
static void setup(void)
{
	tdmx_crc_init();
}

static Suite *hdlc_suite(void)
{
	Suite *s = suite_create("hdlc");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_fcs16_of_123456789_is_906e_and_leaves_good_residue);
	tcase_add_test(tc, test_hdlc_tx_idles_with_flags_or_marks);
	tcase_add_test(tc, test_hdlc_tx_encodes_known_frames_bit_exact);
	tcase_add_test(tc, test_hdlc_tx_ff_payload_never_has_six_ones_inside_frame);
	tcase_add_test(tc, test_hdlc_tx_start_rejects_bad_length_and_busy);
	tcase_add_test(tc, test_hdlc_every_length_1_to_300_round_trips_at_64k);
	tcase_add_test(tc, test_hdlc_every_length_1_to_300_round_trips_at_56k);
	tcase_add_test(tc, test_hdlc_every_length_1_to_300_round_trips_with_idle_marks);
	tcase_add_test(tc, test_hdlc_longest_frame_round_trips);
	tcase_add_test(tc, test_hdlc_back_to_back_frames_share_one_flag);
	tcase_add_test(tc, test_hdlc_rx_takes_frames_separated_by_one_flag_or_a_shared_zero);
	tcase_add_test(tc, test_hdlc_rx_empty_flag_pairs_are_not_errors);
	tcase_add_test(tc, test_hdlc_abort_mid_frame_is_counted_and_next_frame_arrives);
	tcase_add_test(tc, test_hdlc_rx_counts_an_abort_once_however_long);
	tcase_add_test(tc, test_hdlc_bit_error_counts_fcs_error_and_next_frame_arrives);
	tcase_add_test(tc, test_hdlc_any_single_bit_error_never_delivers_a_bad_frame);
	tcase_add_test(tc, test_hdlc_rx_enforces_min_and_max_len);
	tcase_add_test(tc, test_hdlc_rx_drops_and_counts_misaligned_frames);
	tcase_add_test(tc, test_hdlc_random_garbage_never_delivers_a_bad_fcs);
	tcase_add_test(tc, test_hdlc_rx_finds_frames_at_any_bit_offset);
	suite_add_tcase(s, tc);
	return s;
}

TDMX_CHECK_MAIN(hdlc_suite)
