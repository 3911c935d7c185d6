/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Test helpers: build E1 lines with the transmitter, damage them at the
 * bit level, and record what a receiver reports. */
#ifndef TDMX_TESTS_LINEGEN_H
#define TDMX_TESTS_LINEGEN_H

#include <stddef.h>
#include <stdint.h>
#include "e1.h"

struct bits {
	uint8_t *buf;
	size_t nbits;
	size_t cap;	/* octets */
};

void bits_init(struct bits *b, size_t cap_octets);
void bits_free(struct bits *b);
void bits_append(struct bits *b, const uint8_t *src, size_t nbits);
void bits_append_bit(struct bits *b, unsigned int v);
unsigned int bits_get(const struct bits *b, size_t i);
void bits_set(struct bits *b, size_t i, unsigned int v);
void bits_flip(struct bits *b, size_t i);
void bits_delete(struct bits *b, size_t i);
void bits_random(struct bits *b, size_t nbits, uint64_t *seed);
uint64_t test_rand(uint64_t *seed);

/* Appends nframes of E1 built by tx from a constant fill octet. */
void e1_gen(struct bits *b, struct tdmx_e1_tx *tx, unsigned int nframes, uint8_t fill);

#define REC_MAX 200000
struct rec {
	struct tdmx_fr_event ev[REC_MAX];
	size_t n;
	uint64_t payload_frames;
	uint8_t *ts_out[32];	/* optional per-timeslot capture */
	size_t ts_len[32];
	size_t ts_cap;
};

struct rec *rec_new(void);
void rec_free(struct rec *r);
struct tdmx_fr_sink rec_sink(struct rec *r);
size_t rec_count(const struct rec *r, unsigned int type);
size_t rec_count_alarm(const struct rec *r, unsigned int alarm, int on);
const struct tdmx_fr_event *rec_find(const struct rec *r, unsigned int type, size_t nth);
const struct tdmx_fr_event *rec_find_alarm(const struct rec *r, unsigned int alarm, int on);

/* Feeds the whole of b to rx (in chunks of chunk octets; 0 = all), then flushes. */
void e1_feed_bits(struct tdmx_e1_rx *rx, const struct bits *b, size_t chunk);

#endif
