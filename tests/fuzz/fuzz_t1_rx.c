// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: the T1 receiver on arbitrary line bits.
 *
 * Input: a 2-octet header, then the line.
 *   [0] bit 0: ESF (else D4); bit 1: robbed bits; bits 2..3: abcd_debounce;
 *       bit 4: round trip; bits 5..7: chunk size class (1 .. 2^(2c+3))
 *   [1] seed of the chunk sizes
 *   [2..] line octets, first bit in the MSB
 *
 * The line is fed in chunks of random size, then flushed. Every event and
 * payload block must be well formed and point inside the bits fed.
 *
 * In round-trip mode the line octets are also sent as payload (with ABCD
 * taken from them) through the transmitter into a fresh receiver. D4 must
 * align on the first frame, never lose it, and deliver every frame as sent
 * (robbed bits as set). ESF confirms its 12 FPS bits with one CRC-6, which
 * still lets about 1 false FPS match in 64 through, so an ESF alignment
 * may be false: frames delivered on the true frame boundaries are checked
 * (whatever superframe phase was assumed), and an ESF that aligns at bit 0
 * (the true alignment) must be held like D4's.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "t1.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define check(cond) do { if (!(cond)) __builtin_trap(); } while (0)

#define RT_MAX_FRAMES 192

struct seen {
	u64 bits;		/* bits fed so far */
	u64 frames;		/* payload frames delivered */
	u64 syncs;
	u64 first_sync;
	u64 losses;
	/* round trip only */
	bool rt;
	bool rt_esf;
	const u8 *payload;	/* RT_MAX_FRAMES x 24 octets as sent */
	const u8 *abcd;		/* per channel 1..24 */
	bool robbed;
};

static struct tdmx_t1_rx rx;
static struct tdmx_t1_tx tx;
static struct seen seen;
static u8 rt_in[RT_MAX_FRAMES * TDMX_T1_CHANNELS];
static u8 rt_line[RT_MAX_FRAMES * TDMX_T1_FRAME_BITS / 8 + 2];
static u8 rt_abcd[TDMX_T1_CHANNELS + 1];

static void on_event(void *ctx, const struct tdmx_fr_event *ev)
{
	struct seen *s = ctx;

	check(ev->type < TDMX_FR_EV_COUNT);
	check(ev->bit < s->bits);
	if (ev->type == TDMX_FR_EV_ABCD) {
		check(ev->ts >= 1 && ev->ts <= TDMX_T1_CHANNELS);
		check(ev->abcd <= 0xF);
	}
	if (ev->type == TDMX_FR_EV_ALARM)
		check(ev->alarm < TDMX_FR_ALARM_COUNT);
	if (ev->type == TDMX_FR_EV_FRAME_SYNC) {
		check(!s->rt || s->rt_esf || ev->bit == 0);
		if (!s->syncs++)
			s->first_sync = ev->bit;
	}
	if (ev->type == TDMX_FR_EV_FRAME_LOSS)
		s->losses++;
}

static void check_rt_frame(const struct seen *s, const struct tdmx_fr_payload *pl, unsigned int k)
{
	u64 n = pl->bit / TDMX_T1_FRAME_BITS + k;
	unsigned int sf = s->rt_esf ? 24 : 12;
	unsigned int c;

	if (pl->bit % TDMX_T1_FRAME_BITS) {
		check(s->rt_esf);	/* a false ESF alignment */
		return;
	}
	check(n < RT_MAX_FRAMES);
	for (c = 0; c < TDMX_T1_CHANNELS; c++) {
		u8 want = s->payload[n * TDMX_T1_CHANNELS + c];

		/* A in frame 6, B in frame 12 (C in 18, D in 24) */
		if (s->robbed && n % 6 == 5)
			want = (want & 0xFE) | ((s->abcd[c + 1] >> (3 - n % sf / 6)) & 1);
		check(pl->ts[c + 1][k] == want);
	}
}

static void on_payload(void *ctx, const struct tdmx_fr_payload *pl)
{
	struct seen *s = ctx;
	unsigned int k;

	check(pl->nframes >= 1 && pl->nframes <= TDMX_FR_BLOCK_FRAMES);
	check(pl->bit + (u64)pl->nframes * TDMX_T1_FRAME_BITS <= s->bits);
	for (k = 0; k < pl->nframes; k++)
		if (s->rt)
			check_rt_frame(s, pl, k);
	s->frames += pl->nframes;
}

static u32 next(u32 *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

static void feed(const u8 *line, size_t len, unsigned int size_class, u32 seed)
{
	u32 max = 1u << (2 * size_class + 3);
	size_t n;

	while (len) {
		n = 1 + next(&seed) % max;
		if (n > len)
			n = len;
		seen.bits += (u64)n * 8;
		tdmx_t1_rx_feed(&rx, line, n);
		line += n;
		len -= n;
	}
	tdmx_t1_rx_flush(&rx);
	check(tdmx_t1_rx_counters(&rx)->frames == seen.frames);
}

static void round_trip(const struct tdmx_t1_config *cfg, const u8 *line, size_t len,
		       unsigned int size_class, u32 seed)
{
	struct tdmx_fr_sink sink = { on_event, on_payload, &seen };
	unsigned int nframes, c;
	size_t i, out;

	if (!len)
		return;
	nframes = len / TDMX_T1_CHANNELS + 24;
	if (nframes > RT_MAX_FRAMES)
		nframes = RT_MAX_FRAMES;
	for (i = 0; i < (size_t)nframes * TDMX_T1_CHANNELS; i++)
		rt_in[i] = line[i % len];
	tdmx_t1_tx_init(&tx, cfg);
	for (c = 1; c <= TDMX_T1_CHANNELS; c++) {
		rt_abcd[c] = line[(c * 7) % len] & 0xF;
		tdmx_t1_tx_set_abcd(&tx, c, rt_abcd[c]);
	}
	out = tdmx_t1_tx_frames(&tx, rt_in, rt_line, nframes);
	out += tdmx_t1_tx_flush(&tx, rt_line + out);
	check(out == ((size_t)nframes * TDMX_T1_FRAME_BITS + 7) / 8);

	memset(&seen, 0, sizeof(seen));
	seen.rt = true;
	seen.rt_esf = cfg->framing == TDMX_T1_ESF;
	seen.payload = rt_in;
	seen.abcd = rt_abcd;
	seen.robbed = cfg->robbed_bits;
	tdmx_t1_rx_init(&rx, cfg, &sink);
	feed(rt_line, out, size_class, seed);
	if (seen.rt_esf && (!seen.syncs || seen.first_sync))
		return;
	check(seen.syncs == 1 && seen.losses == 0);
	check(seen.frames == nframes);
	check(tdmx_t1_rx_aligned(&rx));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tdmx_fr_sink sink = { on_event, on_payload, &seen };
	struct tdmx_t1_config cfg;
	unsigned int size_class;
	u32 seed;

	if (size < 2)
		return 0;
	cfg.framing = data[0] & 1 ? TDMX_T1_ESF : TDMX_T1_D4;
	cfg.robbed_bits = data[0] & 2;
	cfg.abcd_debounce = (data[0] >> 2) & 3;
	size_class = data[0] >> 5;
	seed = 0x9E3779B9u ^ data[1];

	memset(&seen, 0, sizeof(seen));
	tdmx_t1_rx_init(&rx, &cfg, &sink);
	feed(data + 2, size - 2, size_class, seed);

	if (data[0] & 0x10)
		round_trip(&cfg, data + 2, size - 2, size_class, seed);
	return 0;
}
