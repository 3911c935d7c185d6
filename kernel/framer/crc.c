// SPDX-License-Identifier: GPL-2.0-only
/*
 * CRC-4, CRC-6 and FCS-16 for the framer. The tables are filled by
 * tdmx_crc_init(), which must run once before any use: at module load in
 * the kernel, at start-up in programs (the rx/tx init functions call it
 * too; after the first call it returns at once without writing).
 */
#include "crc.h"

/* x^4 + x + 1: the feedback taps below x^4 are 0x3. */
#define CRC4_POLY 0x3
#define CRC6_POLY 0x03	/* x^6 + x + 1 */

static u8 crc4_byte(u8 crc, u8 byte)
{
	int i;

	for (i = 7; i >= 0; i--) {
		unsigned int fb = ((crc >> 3) ^ (byte >> i)) & 1;

		crc = (crc << 1) & 0xF;
		if (fb)
			crc ^= CRC4_POLY;
	}
	return crc;
}

/**
 * tdmx_crc4_update() - run the CRC-4 register over whole octets
 * @crc: remainder so far (0 to start)
 * @data: octets, first transmitted bit in the MSB
 * @len: number of octets
 *
 * Return: the new 4-bit remainder.
 */
u8 tdmx_crc4_update(u8 crc, const u8 *data, size_t len)
{
	while (len--)
		crc = crc4_byte(crc, *data++);
	return crc;
}

/*
 * A frame's remainder without a loop over octets: x^15 = 1 modulo
 * g(x) = x^4 + x + 1 (x has order 15), hence also x^60 = 1. The 256-bit
 * frame is four 64-bit words W0..W3, W3 ending at x^0; modulo x^60 - 1,
 * x^64 = x^4, so M = W0 x^12 + W1 x^8 + W2 x^4 + W3, where multiplying by
 * x^s is a rotation inside 60 bits. The 60 bits then fold to 15 (x^15 = 1),
 * and two small tables give those 15 bits times x^4 modulo g(x).
 */
#define M60 ((1ULL << 60) - 1)
static u8 crc4_lo[256];		/* v(x) * x^4 mod g, v the low 8 of 15 bits */
static u8 crc4_hi[128];		/* v(x) * x^12 mod g, v the high 7 bits */

static u64 fold60(u64 w)
{
	return (w & M60) ^ (w >> 60);
}

static u64 rot60(u64 v, unsigned int s)
{
	return ((v << s) | (v >> (60 - s))) & M60;
}

/**
 * tdmx_crc4_frame() - CRC-4 remainder of one 256-bit E1 frame
 * @frame: the frame's 32 octets, TS0 first
 * @clear_si: treat bit 1 of TS0 as 0 (a C-bit position, G.704 2.3.3.5.2)
 *
 * Return: the remainder of this frame alone; combine frames with
 * tdmx_crc4_shift_frame().
 */
u8 tdmx_crc4_frame(const u8 *frame, bool clear_si)
{
	u64 w0 = tdmx_fr_load_be64(frame), r;
	u32 r15;

	if (clear_si)
		w0 &= ~(1ULL << 63);
	r = fold60(tdmx_fr_load_be64(frame + 24)) ^
	    rot60(fold60(tdmx_fr_load_be64(frame + 16)), 4) ^
	    rot60(fold60(tdmx_fr_load_be64(frame + 8)), 8) ^ rot60(fold60(w0), 12);
	r15 = (r ^ (r >> 15) ^ (r >> 30) ^ (r >> 45)) & 0x7FFF;
	return crc4_hi[r15 >> 8] ^ crc4_lo[r15 & 0xFF];
}

/**
 * tdmx_crc4_shift_frame() - advance a remainder past one more frame
 * @crc: remainder of the bits so far
 *
 * Appending 256 bits multiplies the remainder by x^256 = x (mod g, as x
 * has order 15 and 256 = 17 * 15 + 1).
 *
 * Return: the remainder to XOR the next frame's tdmx_crc4_frame() into.
 */
u8 tdmx_crc4_shift_frame(u8 crc)
{
	return ((crc << 1) & 0xF) ^ ((crc & 8) ? CRC4_POLY : 0);
}

/**
 * tdmx_crc6_bit() - feed one bit to the CRC-6 register
 * @crc: remainder so far
 * @bit: 0 or 1
 *
 * Return: the new 6-bit remainder.
 */
u8 tdmx_crc6_bit(u8 crc, unsigned int bit)
{
	unsigned int fb = ((crc >> 5) ^ bit) & 1;

	crc = (crc << 1) & 0x3F;
	return fb ? crc ^ CRC6_POLY : crc;
}

/* The 6-bit register kept left-aligned in an octet, so octets index a table. */
static u8 crc6_table[256];

/*
 * A T1 frame's remainder without a serial loop: x has order 63 modulo
 * g(x) = x^6 + x + 1 (g is primitive), so x^63 = 1 and a bit at x^e counts
 * as one at x^(e mod 63). The 193-bit frame is the F bit at x^192 and
 * three 64-bit words of channel bits W0 (x^191..x^128), W1, W2 (..x^0);
 * x^64 = x and x^128 = x^2, so the frame folds to 63 bits
 * fold(W2) ^ fold(W1) x ^ fold(W0) x^2 ^ F x^3 (a multiplication by x is a
 * rotation inside 63 bits). Eight tables, one per octet of those 63 bits,
 * give each octet times its power of x times x^6 modulo g; the eight
 * look-ups are independent of each other.
 */
#define M63 ((1ULL << 63) - 1)
#define CRC6_FOLD_F (192 % 63)	/* where the F bit lands in the fold */
static u8 crc6_pos[8][256];	/* v(x) x^(8k) x^6 mod g */
static u8 crc6_x4[64];		/* r(x) x^4 mod g: one frame later */

static u64 fold63(u64 w)
{
	return (w & M63) ^ (w >> 63);
}

static u64 rot63(u64 v, unsigned int s)
{
	return ((v << s) | (v >> (63 - s))) & M63;
}

/**
 * tdmx_crc6_frame() - CRC-6 remainder of one 193-bit T1 ESF frame
 * @ch: channels 1..24, 24 octets
 *
 * The F bit is taken as 1, as G.704 2.1.3.1.3 computes the ESF check.
 *
 * Return: the remainder of this frame alone, the same as
 * tdmx_crc6_update(tdmx_crc6_bit(0, 1), @ch, 24); combine frames with
 * tdmx_crc6_shift_frame().
 */
u8 tdmx_crc6_frame(const u8 *ch)
{
	u64 r = fold63(tdmx_fr_load_be64(ch + 16)) ^
		rot63(fold63(tdmx_fr_load_be64(ch + 8)), 1) ^
		rot63(fold63(tdmx_fr_load_be64(ch)), 2) ^ (1ULL << CRC6_FOLD_F);

	return crc6_pos[0][r & 0xFF] ^ crc6_pos[1][(r >> 8) & 0xFF] ^
	       crc6_pos[2][(r >> 16) & 0xFF] ^ crc6_pos[3][(r >> 24) & 0xFF] ^
	       crc6_pos[4][(r >> 32) & 0xFF] ^ crc6_pos[5][(r >> 40) & 0xFF] ^
	       crc6_pos[6][(r >> 48) & 0xFF] ^ crc6_pos[7][r >> 56];
}

/**
 * tdmx_crc6_shift_frame() - advance a remainder past one more frame
 * @crc: remainder of the bits so far
 *
 * Appending 193 bits multiplies the remainder by x^193 = x^4 (mod g, as x
 * has order 63 and 193 = 3 * 63 + 4).
 *
 * Return: the remainder to XOR the next frame's tdmx_crc6_frame() into.
 */
u8 tdmx_crc6_shift_frame(u8 crc)
{
	return crc6_x4[crc & 0x3F];
}

/**
 * tdmx_crc6_update() - run the CRC-6 register over whole octets
 * @crc: remainder so far
 * @data: octets, first transmitted bit in the MSB
 * @len: number of octets
 *
 * Return: the new 6-bit remainder.
 */
u8 tdmx_crc6_update(u8 crc, const u8 *data, size_t len)
{
	u8 reg = crc << 2;

	while (len--)
		reg = crc6_table[reg ^ *data++];
	return reg >> 2;
}

static u16 fcs16_table[256];

/**
 * tdmx_fcs16_update() - run the HDLC FCS over octets
 * @fcs: value so far (TDMX_FCS16_INIT to start)
 * @data: octets as HDLC sends them, LSB first
 * @len: number of octets
 *
 * Return: the new register; a transmitter appends its complement, low
 * octet first.
 */
u16 tdmx_fcs16_update(u16 fcs, const u8 *data, size_t len)
{
	while (len--)
		fcs = (fcs >> 8) ^ fcs16_table[(fcs ^ *data++) & 0xFF];
	return fcs;
}

/**
 * tdmx_crc_init() - fill the CRC tables
 *
 * Call once before any other framer function (module init, program start);
 * calling it again is harmless. The rx/tx init functions call it too.
 */
void tdmx_crc_init(void)
{
	static bool done;
	unsigned int s, v, i;

	if (done)
		return;
	for (v = 0; v < 256; v++) {
		u8 r4 = crc4_byte(0, v);
		u8 r6 = v;
		u16 r16 = v;

		crc4_lo[v] = r4;
		for (s = 0; s < 8; s++)
			r4 = tdmx_crc4_shift_frame(r4);	/* times x */
		if (v < 128)
			crc4_hi[v] = r4;
		for (i = 0; i < 8; i++)
			r6 = (r6 & 0x80) ? (u8)(r6 << 1) ^ (CRC6_POLY << 2) : (u8)(r6 << 1);
		crc6_table[v] = r6;
		/* r6 >> 2 is v(x) x^6 mod g; each table is x^8 times the last */
		r6 >>= 2;
		for (s = 0; s < 8; s++) {
			crc6_pos[s][v] = r6;
			for (i = 0; i < 8; i++)
				r6 = tdmx_crc6_bit(r6, 0);	/* times x */
		}
		if (v < 64) {
			r6 = v;
			for (i = 0; i < 4; i++)
				r6 = tdmx_crc6_bit(r6, 0);
			crc6_x4[v] = r6;
		}
		for (i = 0; i < 8; i++)
			r16 = (r16 & 1) ? (r16 >> 1) ^ 0x8408 : r16 >> 1;
		fcs16_table[v] = r16;
	}
	done = true;
}
