/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tdmxd G.711: A-law and mu-law by tables.
 *
 * Linear samples are int16_t. G.711 quantises 13-bit (A-law) and 14-bit
 * (mu-law) uniform PCM; an int16_t is reduced to those by dropping its low
 * bits (arithmetic shift, as in the ITU-T G.191 software tools), and the
 * decoders return the G.711 output values scaled back to 16 bits
 * (A-law x 8, mu-law x 4). So decode() is exact and encode() picks the
 * G.711 interval holding the sample.
 *
 * Tables (built once, before main(), by a constructor in g711.c; read-only
 * afterwards, so any thread may use them):
 *
 *   encode  2 x 16384 octets, indexed by the top 14 bits of the sample's
 *           two's complement pattern, (uint16_t)x >> 2. One index for both
 *           laws: mu-law needs the 14 bits, A-law only 13 (its table holds
 *           each entry twice; 8 KB more buys one code path). 32 KB in all:
 *           both fit in L1 with the decoders, where a 64K-entry table per
 *           law would not.
 *   decode  2 x 256 int16_t
 *   A<->mu  2 x 256 octets
 *
 * Negative inputs: both laws take the magnitude of a negative sample as its
 * one's complement (~x), so the quantiser is symmetric about -1/2 and
 * encode(-1 - x) == encode(x) ^ 0x80 for every x >= 0. For A-law G.711
 * prescribes this. For mu-law it is our choice, the one of the ITU-T G.191
 * reference code: an input exactly on a decision level goes to the interval
 * above it (the G.711 tables' decision values are the lower bounds of their
 * intervals), so positive ties round away from zero and the 127 negative
 * ties, x = -4 * d for each mu-law decision value d (x = -4, -12, ..., -124,
 * -140, ..., -31612), round towards zero. Sign and magnitude (-x), as in
 * spandsp's linear_to_ulaw() and Sun's g711.c, rounds those 127 inputs away
 * from zero instead; every other input gets the same code either way. Both
 * codes are equally far from the input, except at the seven segment starts
 * (x = -124, -380, -892, -1916, -3964, -8060, -16252), where the step
 * doubles so the decision value is not midway, and ours is the nearer.
 *
 * Transcoding A <-> mu decodes a code's magnitude, re-encodes it and keeps
 * the sign. For every positive code that equals encode(decode(c)); a
 * negative code gives the mirror image of its positive twin, which differs
 * from encode(decode(c)) only where the decoded value lies exactly on a
 * decision level of the other law: the eight mu-law codes 0x7F (-0), 0x7D,
 * 0x7B, ..., 0x71 (-16, -32, ..., -112), which one's complement would round
 * towards zero (and -0 to +8). These tables are not G.711 Tables 3 and 4 as
 * transcribed in spandsp's alaw_to_ulaw()/ulaw_to_alaw() (and Sun's
 * g711.c): those give the other neighbour for 16 A-law and 18 mu-law
 * magnitudes; ours is as near or nearer for all of them but A-law +-8064,
 * which sits just above mu-law's segment start 2015 (x 4) and so encodes
 * upwards. Both kinds give the code back after A -> mu -> A and
 * mu -> A -> mu for 240 of the 256 codes.
 *
 * No zero-code suppression: mu-law 0x00 is sent as it is (B8ZS spans).
 */
#ifndef TDMXD_G711_H
#define TDMXD_G711_H

#include <stddef.h>
#include <stdint.h>

#include "media.h"

#define G711_ENC_ENTRIES	16384
#define G711_ALAW_IDLE		0xD5	/* A-law +0 (+8 after decoding) */
#define G711_ULAW_IDLE		0xFF	/* mu-law +0 */

/* Read-only after start-up; use the inline helpers below. */
extern uint8_t g711_alaw_enc_tab[G711_ENC_ENTRIES];
extern uint8_t g711_ulaw_enc_tab[G711_ENC_ENTRIES];
extern int16_t g711_alaw_dec_tab[256];
extern int16_t g711_ulaw_dec_tab[256];
extern uint8_t g711_alaw_to_ulaw_tab[256];
extern uint8_t g711_ulaw_to_alaw_tab[256];

static inline unsigned int g711_enc_index(int16_t x)
{
	return (uint16_t)x >> 2;
}

static inline uint8_t g711_alaw_encode(int16_t x)
{
	return g711_alaw_enc_tab[g711_enc_index(x)];
}

static inline uint8_t g711_ulaw_encode(int16_t x)
{
	return g711_ulaw_enc_tab[g711_enc_index(x)];
}

static inline int16_t g711_alaw_decode(uint8_t c)
{
	return g711_alaw_dec_tab[c];
}

static inline int16_t g711_ulaw_decode(uint8_t c)
{
	return g711_ulaw_dec_tab[c];
}

static inline uint8_t g711_alaw_to_ulaw(uint8_t c)
{
	return g711_alaw_to_ulaw_tab[c];
}

static inline uint8_t g711_ulaw_to_alaw(uint8_t c)
{
	return g711_ulaw_to_alaw_tab[c];
}

static inline int g711_law_valid(enum media_law law)
{
	return law == MEDIA_ALAW || law == MEDIA_ULAW;
}

/* The tables of one law; NULL for an unknown law. */
const uint8_t *g711_enc_table(enum media_law law);
const int16_t *g711_dec_table(enum media_law law);
/* from -> to; NULL when from == to (copy the octets) or a law is unknown */
const uint8_t *g711_xcode_table(enum media_law from, enum media_law to);

/* The code of silence: G711_ALAW_IDLE or G711_ULAW_IDLE (0 if unknown). */
uint8_t g711_idle(enum media_law law);

/*
 * Buffers of n samples. Return 0, or -EINVAL for an unknown law. (spandsp
 * exports g711_encode/decode/transcode/init: those names are taken.)
 */
int g711_encode_buf(enum media_law law, const int16_t *in, uint8_t *out, size_t n);
int g711_decode_buf(enum media_law law, const uint8_t *in, int16_t *out, size_t n);
int g711_transcode_buf(enum media_law from, enum media_law to, const uint8_t *in,
		       uint8_t *out, size_t n);

#endif /* TDMXD_G711_H */
