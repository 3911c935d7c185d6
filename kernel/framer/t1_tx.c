// SPDX-License-Identifier: GPL-2.0-only
/*
 * T1 transmitter: D4/SF and ESF framing (G.704 2.1.3), CRC-6, FDL idle
 * flags or yellow pattern, robbed-bit signalling, D4 yellow, AIS.
 *
 * The output is one continuous bitstream: the first call starts at stream
 * bit 0, the F bit of frame 1 of a superframe, and every call continues
 * where the previous one stopped. A frame is 193 bits, so a call usually
 * ends inside an octet; those bits are kept and come first in the next
 * call's output (or tdmx_t1_tx_flush() pads them to an octet at the end of
 * the stream).
 */
#include "t1.h"
#include "crc.h"

#define D4_FRAMES 12
#define ESF_FRAMES 24
/* D4 channel bit 2 (the second bit sent): 0 in every channel = yellow */
#define D4_YELLOW_BIT 0x40

static bool is_esf(const struct tdmx_t1_tx *tx)
{
	return tx->cfg.framing == TDMX_T1_ESF;
}

/* T1.403: the FDL idles with HDLC flags; yellow is 00FF repeated. */
static unsigned int fdl_next(struct tdmx_t1_tx *tx)
{
	unsigned int b;

	if (tx->yellow) {
		b = (TDMX_T1_FDL_YELLOW >> (15 - tx->fdl_bit)) & 1;
		tx->fdl_bit = (tx->fdl_bit + 1) & 15;
	} else {
		b = (TDMX_T1_FDL_FLAG >> (7 - tx->fdl_bit)) & 1;
		tx->fdl_bit = (tx->fdl_bit + 1) & 7;
	}
	return b;
}

static unsigned int f_bit(struct tdmx_t1_tx *tx, unsigned int n)
{
	if (!is_esf(tx))
		return (TDMX_T1_D4_FBITS >> (11 - n)) & 1;	/* G.704 2.1.3.2 */
	if (!(n & 1))
		return fdl_next(tx);			/* G.704 2.1.3.1.2: FDL */
	if (n % 4 == 1)
		return (tx->c_bits >> (5 - n / 4)) & 1;	/* 2.1.3.1.3: C1..C6 */
	return (TDMX_T1_ESF_FPS >> (5 - n / 4)) & 1;	/* 2.1.3.1.1: FPS */
}

/* Appends the F bit and 24 octets to the stream; returns the new end of @o. */
static u8 *put_frame(struct tdmx_t1_tx *tx, unsigned int f, const u8 *ch, u8 *o)
{
	unsigned int k = tx->carry_bits + 1;
	unsigned int c = (tx->carry << 1) | f;
	int i;

	if (k == 8) {
		*o++ = c;
		k = 0;
		c = 0;
	}
	if (!k) {
		tdmx_fr_memcpy(o, ch, TDMX_T1_CHANNELS);
		o += TDMX_T1_CHANNELS;
	} else {
		for (i = 0; i < TDMX_T1_CHANNELS; i++) {
			*o++ = (u8)((c << (8 - k)) | (ch[i] >> k));
			c = ch[i] & ((1u << k) - 1);
		}
	}
	tx->carry = c;
	tx->carry_bits = k;
	return o;
}

/* G.704 2.1.3: robbed bits in the LSB of frames 6, 12 (and 18, 24 for ESF). */
static void rob(const struct tdmx_t1_tx *tx, unsigned int n, u8 *ch)
{
	unsigned int letter = n / 6;	/* 0 = A, 1 = B, 2 = C, 3 = D */
	int c;

	for (c = 0; c < TDMX_T1_CHANNELS; c++)
		ch[c] = (ch[c] & 0xFE) | ((tx->abcd[c + 1] >> (3 - letter)) & 1);
}

static u8 *tx_frame(struct tdmx_t1_tx *tx, const u8 *in, u8 *o)
{
	unsigned int n = tx->frame;
	u8 ch[TDMX_T1_CHANNELS];
	unsigned int f;
	int c;

	if (tx->ais) {
		/* G.775: AIS is an unframed all-ones signal */
		tdmx_fr_memset(ch, 0xFF, sizeof(ch));
		f = 1;
	} else {
		tdmx_fr_memcpy(ch, in, sizeof(ch));
		if (tx->cfg.robbed_bits && n % 6 == 5)
			rob(tx, n, ch);
		if (tx->yellow && !is_esf(tx))
			for (c = 0; c < TDMX_T1_CHANNELS; c++)
				ch[c] &= ~D4_YELLOW_BIT;
		f = f_bit(tx, n);
	}
	o = put_frame(tx, f, ch, o);
	if (is_esf(tx)) {
		/* G.704 2.1.3.1.3: CRC-6 over the ESF with every F bit taken as 1 */
		tx->crc = tdmx_crc6_shift_frame(tx->crc) ^ tdmx_crc6_frame(ch);
		if (n == ESF_FRAMES - 1) {
			tx->c_bits = tx->crc;
			tx->crc = 0;
		}
	}
	if (++tx->frame == (is_esf(tx) ? ESF_FRAMES : D4_FRAMES))
		tx->frame = 0;
	return o;
}

/**
 * tdmx_t1_tx_init() - set up a transmitter at stream bit 0
 * @tx: transmitter
 * @cfg: framing and robbed-bit mode; a framing other than TDMX_T1_ESF means
 *	D4; @cfg->abcd_debounce is not used
 *
 * The first frame sent is frame 1 of a superframe. ABCD starts at 0000 on
 * every channel; the first ESF carries C bits 000000 (there is no previous
 * ESF); the FDL idles with flags.
 */
void tdmx_t1_tx_init(struct tdmx_t1_tx *tx, const struct tdmx_t1_config *cfg)
{
	tdmx_crc_init();
	tdmx_fr_memset(tx, 0, sizeof(*tx));
	tx->cfg = *cfg;
	if (tx->cfg.framing != TDMX_T1_ESF)
		tx->cfg.framing = TDMX_T1_D4;
}

/**
 * tdmx_t1_tx_set_abcd() - set a channel's robbed-bit signalling
 * @tx: transmitter
 * @chan: channel 1..24 (others are ignored)
 * @abcd: A in bit 3 .. D in bit 0; D4 sends only A and B
 *
 * Takes effect from the next signalling frame; sent only with
 * @cfg->robbed_bits.
 */
void tdmx_t1_tx_set_abcd(struct tdmx_t1_tx *tx, unsigned int chan, u8 abcd)
{
	if (chan >= 1 && chan <= TDMX_T1_CHANNELS)
		tx->abcd[chan] = abcd & 0xF;
}

/**
 * tdmx_t1_tx_set_yellow() - send or stop the yellow alarm
 * @tx: transmitter
 * @on: send it
 *
 * D4: bit 2 of every channel is forced to 0 (the payload is changed).
 * ESF: the FDL carries 00FF repeated, starting with the eight 0s at the next
 * FDL bit, instead of idle flags.
 */
void tdmx_t1_tx_set_yellow(struct tdmx_t1_tx *tx, bool on)
{
	if (tx->yellow == on)
		return;
	tx->yellow = on;
	tx->fdl_bit = 0;
}

/**
 * tdmx_t1_tx_set_ais() - send or stop AIS
 * @tx: transmitter
 * @on: send all ones (unframed) instead of frames
 *
 * Frame counting goes on underneath, so the superframe resumes in step when
 * AIS stops. The CRC-6 runs on over the ones as sent, so the C bits after
 * AIS match the ESF the line carried (all ones where AIS was on).
 */
void tdmx_t1_tx_set_ais(struct tdmx_t1_tx *tx, bool on)
{
	tx->ais = on;
}

/**
 * tdmx_t1_tx_frames() - send frames
 * @tx: transmitter
 * @in: @nframes x 24 octets, channels 1..24 of each frame in order; the LSB
 *	is replaced in signalling frames when robbed bits are on
 * @out: room for @nframes * 193 / 8 + 2 octets
 * @nframes: frames to send (may be 0)
 *
 * Appends @nframes * 193 bits to the stream. The bits of a last partial
 * octet (tdmx_t1_tx_bits_pending()) are not written yet: they open the
 * next call's output.
 *
 * Return: the number of whole octets written to @out.
 */
size_t tdmx_t1_tx_frames(struct tdmx_t1_tx *tx, const u8 *in, u8 *out,
			 unsigned int nframes)
{
	u8 *o = out;
	unsigned int i;

	for (i = 0; i < nframes; i++)
		o = tx_frame(tx, in + (size_t)i * TDMX_T1_CHANNELS, o);
	return o - out;
}

/**
 * tdmx_t1_tx_bits_pending() - bits sent but not yet written out
 * @tx: transmitter
 *
 * Return: 0..7, the bits of the partial octet the next tdmx_t1_tx_frames()
 * (or tdmx_t1_tx_flush()) will write first.
 */
unsigned int tdmx_t1_tx_bits_pending(const struct tdmx_t1_tx *tx)
{
	return tx->carry_bits;
}

/**
 * tdmx_t1_tx_flush() - write out the partial octet at the end of a stream
 * @tx: transmitter
 * @out: room for one octet
 *
 * The pending bits go in the MSBs, the rest of the octet is padded with 1s
 * (a marking line). The pad bits are extra line bits: call this only when
 * the stream ends, since frames sent afterwards would be shifted by them.
 *
 * Return: octets written (0 or 1).
 */
size_t tdmx_t1_tx_flush(struct tdmx_t1_tx *tx, u8 *out)
{
	unsigned int k = tx->carry_bits;

	if (!k)
		return 0;
	*out = (u8)((tx->carry << (8 - k)) | (0xFF >> k));
	tx->carry = 0;
	tx->carry_bits = 0;
	return 1;
}
