// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tdmxd G.711 tables, built from the coding rules of ITU-T G.711 once before
 * main() runs. The rules, in 16-bit units (see g711.h for the conventions):
 *
 *   A-law:  magnitude m = x >> 3 (x >= 0) or ~x >> 3 (x < 0), 0..4095;
 *           segment 0 for m < 32 (step 2), else segment s = log2(m) - 4
 *           (step 2^s); code = (sign | s << 4 | mantissa) ^ 0x55, sign 0x80
 *           for x >= 0.                               (G.711 Table 1)
 *   mu-law: magnitude m = (x >> 2 or ~x >> 2) + 33, clipped at 8191;
 *           segment s = log2(m) - 5 (step 2^(s+1));
 *           code = sign | ((s << 4 | mantissa) ^ 0x7F).  (G.711 Table 2)
 */
#include <errno.h>

#include "g711.h"

uint8_t g711_alaw_enc_tab[G711_ENC_ENTRIES];
uint8_t g711_ulaw_enc_tab[G711_ENC_ENTRIES];
int16_t g711_alaw_dec_tab[256];
int16_t g711_ulaw_dec_tab[256];
uint8_t g711_alaw_to_ulaw_tab[256];
uint8_t g711_ulaw_to_alaw_tab[256];

/* position of the highest set bit; v > 0 */
static unsigned int top_bit(unsigned int v)
{
	return 31 - (unsigned int)__builtin_clz(v);
}

static uint8_t alaw_of(int x)
{
	unsigned int m = (unsigned int)(x >= 0 ? x : ~x) >> 3;
	uint8_t sign = x >= 0 ? 0x80 : 0;
	unsigned int seg = m < 32 ? 0 : top_bit(m) - 4;
	unsigned int shift = seg ? seg : 1;

	return (uint8_t)((sign | seg << 4 | ((m >> shift) & 0x0F)) ^ 0x55);
}

static uint8_t ulaw_of(int x)
{
	unsigned int m = ((unsigned int)(x >= 0 ? x : ~x) >> 2) + 33;
	uint8_t sign = x >= 0 ? 0x80 : 0;
	unsigned int seg;

	if (m > 8191)
		m = 8191;	/* G.711 Table 2: beyond 8159 is the top code */
	seg = top_bit(m) - 5;
	return (uint8_t)(sign | ((seg << 4 | ((m >> (seg + 1)) & 0x0F)) ^ 0x7F));
}

static int16_t alaw_value(uint8_t code)
{
	unsigned int c = code ^ 0x55, seg = (c >> 4) & 7, mant = c & 0x0F;
	int v;

	/* the middle of the interval: G.711 Table 1, "decoder output" */
	if (seg == 0)
		v = (int)(mant << 4) + 8;
	else
		v = (int)((mant << 4) + 0x108) << (seg - 1);
	return (int16_t)(c & 0x80 ? v : -v);
}

static int16_t ulaw_value(uint8_t code)
{
	unsigned int c = (uint8_t)~code, seg = (c >> 4) & 7, mant = c & 0x0F;
	int v = (int)(((mant << 3) + 0x84) << seg) - 0x84;

	return (int16_t)(c & 0x80 ? -v : v);
}

/* nearest value: re-encode the magnitude, keep the sign (see g711.h) */
static void build_xcode(uint8_t *tab, int16_t (*value)(uint8_t), uint8_t (*code)(int))
{
	unsigned int c;

	for (c = 0x80; c < 0x100; c++) {
		tab[c] = code(value((uint8_t)c));
		tab[c ^ 0x80] = tab[c] ^ 0x80;
	}
}

__attribute__((constructor)) static void g711_build(void)
{
	unsigned int i;

	for (i = 0; i < G711_ENC_ENTRIES; i++) {
		int x = (int16_t)(uint16_t)(i << 2);

		g711_alaw_enc_tab[i] = alaw_of(x);
		g711_ulaw_enc_tab[i] = ulaw_of(x);
	}
	for (i = 0; i < 256; i++) {
		g711_alaw_dec_tab[i] = alaw_value((uint8_t)i);
		g711_ulaw_dec_tab[i] = ulaw_value((uint8_t)i);
	}
	build_xcode(g711_alaw_to_ulaw_tab, alaw_value, ulaw_of);
	build_xcode(g711_ulaw_to_alaw_tab, ulaw_value, alaw_of);
}

const uint8_t *g711_enc_table(enum media_law law)
{
	switch (law) {
	case MEDIA_ALAW:
		return g711_alaw_enc_tab;
	case MEDIA_ULAW:
		return g711_ulaw_enc_tab;
	}
	return NULL;
}

const int16_t *g711_dec_table(enum media_law law)
{
	switch (law) {
	case MEDIA_ALAW:
		return g711_alaw_dec_tab;
	case MEDIA_ULAW:
		return g711_ulaw_dec_tab;
	}
	return NULL;
}

const uint8_t *g711_xcode_table(enum media_law from, enum media_law to)
{
	if (!g711_law_valid(from) || !g711_law_valid(to) || from == to)
		return NULL;
	return from == MEDIA_ALAW ? g711_alaw_to_ulaw_tab : g711_ulaw_to_alaw_tab;
}

uint8_t g711_idle(enum media_law law)
{
	switch (law) {
	case MEDIA_ALAW:
		return G711_ALAW_IDLE;
	case MEDIA_ULAW:
		return G711_ULAW_IDLE;
	}
	return 0;
}

int g711_encode_buf(enum media_law law, const int16_t *in, uint8_t *out, size_t n)
{
	const uint8_t *tab = g711_enc_table(law);
	size_t i;

	if (!tab)
		return -EINVAL;
	for (i = 0; i < n; i++)
		out[i] = tab[g711_enc_index(in[i])];
	return 0;
}

int g711_decode_buf(enum media_law law, const uint8_t *in, int16_t *out, size_t n)
{
	const int16_t *tab = g711_dec_table(law);
	size_t i;

	if (!tab)
		return -EINVAL;
	for (i = 0; i < n; i++)
		out[i] = tab[in[i]];
	return 0;
}

int g711_transcode_buf(enum media_law from, enum media_law to, const uint8_t *in,
		       uint8_t *out, size_t n)
{
	const uint8_t *tab;
	size_t i;

	if (!g711_law_valid(from) || !g711_law_valid(to))
		return -EINVAL;
	tab = g711_xcode_table(from, to);
	for (i = 0; i < n; i++)
		out[i] = tab ? tab[in[i]] : in[i];
	return 0;
}
