// SPDX-License-Identifier: GPL-2.0-or-later
/* Test helpers shared by the unit tests; see linegen.h. */
#include "linegen.h"

#include <stdlib.h>
#include <string.h>

void bits_init(struct bits *b, size_t cap_octets)
{
	b->buf = calloc(cap_octets + 8, 1);
	b->cap = cap_octets;
	b->nbits = 0;
}

void bits_free(struct bits *b)
{
	free(b->buf);
	b->buf = NULL;
}

static void grow(struct bits *b, size_t nbits)
{
	size_t need = (nbits + 7) / 8;

	if (need <= b->cap)
		return;
	b->cap = need * 2;
	b->buf = realloc(b->buf, b->cap + 8);
	memset(b->buf + (b->nbits + 7) / 8, 0, b->cap + 8 - (b->nbits + 7) / 8);
}

unsigned int bits_get(const struct bits *b, size_t i)
{
	return (b->buf[i >> 3] >> (7 - (i & 7))) & 1;
}

void bits_set(struct bits *b, size_t i, unsigned int v)
{
	uint8_t m = 0x80 >> (i & 7);

	if (v)
		b->buf[i >> 3] |= m;
	else
		b->buf[i >> 3] &= ~m;
}

void bits_flip(struct bits *b, size_t i)
{
	b->buf[i >> 3] ^= 0x80 >> (i & 7);
}

void bits_append_bit(struct bits *b, unsigned int v)
{
	grow(b, b->nbits + 1);
	bits_set(b, b->nbits, v);
	b->nbits++;
}

void bits_append(struct bits *b, const uint8_t *src, size_t nbits)
{
	size_t i;

	grow(b, b->nbits + nbits);
	if (!(b->nbits & 7) && !(nbits & 7)) {
		memcpy(b->buf + b->nbits / 8, src, nbits / 8);
		b->nbits += nbits;
		return;
	}
	for (i = 0; i < nbits; i++)
		bits_append_bit(b, (src[i >> 3] >> (7 - (i & 7))) & 1);
}

void bits_delete(struct bits *b, size_t i)
{
	size_t k;

	for (k = i; k + 1 < b->nbits; k++)
		bits_set(b, k, bits_get(b, k + 1));
	b->nbits--;
	bits_set(b, b->nbits, 0);
}

uint64_t test_rand(uint64_t *seed)
{
	/* xorshift64* */
	*seed ^= *seed >> 12;
	*seed ^= *seed << 25;
	*seed ^= *seed >> 27;
	return *seed * 2685821657736338717ULL;
}

void bits_random(struct bits *b, size_t nbits, uint64_t *seed)
{
	size_t i;

	for (i = 0; i < nbits; i++)
		bits_append_bit(b, test_rand(seed) >> 63);
}

void e1_gen(struct bits *b, struct tdmx_e1_tx *tx, unsigned int nframes, uint8_t fill)
{
	uint8_t in[32], out[32];
	unsigned int i;

	memset(in, fill, sizeof(in));
	for (i = 0; i < nframes; i++) {
		tdmx_e1_tx_frames(tx, in, out, 1);
		bits_append(b, out, 256);
	}
}

static void rec_event(void *ctx, const struct tdmx_fr_event *ev)
{
	struct rec *r = ctx;

	if (r->n < REC_MAX)
		r->ev[r->n++] = *ev;
}

static void rec_payload(void *ctx, const struct tdmx_fr_payload *pl)
{
	struct rec *r = ctx;
	unsigned int ts, f;

	r->payload_frames += pl->nframes;
	for (ts = 0; ts < 32; ts++) {
		if (!r->ts_out[ts])
			continue;
		for (f = 0; f < pl->nframes && r->ts_len[ts] < r->ts_cap; f++)
			r->ts_out[ts][r->ts_len[ts]++] = pl->ts[ts][f];
	}
}

struct rec *rec_new(void)
{
	return calloc(1, sizeof(struct rec));
}

void rec_free(struct rec *r)
{
	unsigned int ts;

	for (ts = 0; ts < 32; ts++)
		free(r->ts_out[ts]);
	free(r);
}

struct tdmx_fr_sink rec_sink(struct rec *r)
{
	struct tdmx_fr_sink s = { rec_event, rec_payload, r };

	return s;
}

size_t rec_count(const struct rec *r, unsigned int type)
{
	size_t i, n = 0;

	for (i = 0; i < r->n; i++)
		n += r->ev[i].type == type;
	return n;
}

size_t rec_count_alarm(const struct rec *r, unsigned int alarm, int on)
{
	size_t i, n = 0;

	for (i = 0; i < r->n; i++)
		n += r->ev[i].type == TDMX_FR_EV_ALARM && r->ev[i].alarm == alarm &&
		     (on < 0 || r->ev[i].on == on);
	return n;
}

const struct tdmx_fr_event *rec_find(const struct rec *r, unsigned int type, size_t nth)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (r->ev[i].type == type && !nth--)
			return &r->ev[i];
	return NULL;
}

const struct tdmx_fr_event *rec_find_alarm(const struct rec *r, unsigned int alarm, int on)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (r->ev[i].type == TDMX_FR_EV_ALARM && r->ev[i].alarm == alarm &&
		    (on < 0 || r->ev[i].on == on))
			return &r->ev[i];
	return NULL;
}

void e1_feed_bits(struct tdmx_e1_rx *rx, const struct bits *b, size_t chunk)
{
	size_t len = b->nbits / 8, off = 0;
	uint8_t last;

	if (!chunk)
		chunk = len;
	while (off < len) {
		size_t n = len - off < chunk ? len - off : chunk;

		tdmx_e1_rx_feed(rx, b->buf + off, n);
		off += n;
	}
	/* a trailing partial octet is padded with ones */
	if (b->nbits & 7) {
		last = b->buf[len] | (0xFF >> (b->nbits & 7));
		tdmx_e1_rx_feed(rx, &last, 1);
	}
	tdmx_e1_rx_flush(rx);
}
