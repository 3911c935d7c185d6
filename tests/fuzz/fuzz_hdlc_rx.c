// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: the HDLC receiver on arbitrary timeslot octets.
 *
 * Input: a 4-octet header, then the line.
 *   [0] bit 0: 56 kbit/s; bit 1: idle marks; bit 2: round trip;
 *       bits 3..7: chunk size - 1 for feeding the receiver
 *   [1] min_len (0 = default)
 *   [2..3] max_len, little endian (0 = default, too big = clamped)
 *   [4..] timeslot octets
 *
 * Every delivered frame must have a good FCS and a length within the
 * limits. In round-trip mode the same octets are then also sent as one
 * frame through the transmitter: whatever state the garbage left, the
 * frame must come back intact, or be counted as too short or too long.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "crc.h"
#include "hdlc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define check(cond) do { if (!(cond)) __builtin_trap(); } while (0)

struct seen {
	unsigned int min_len;
	unsigned int max_len;
	u64 n;
	unsigned int len;
	u8 last[TDMX_HDLC_MAX_FRAME];
};

static struct tdmx_hdlc_rx rx;
static struct tdmx_hdlc_tx tx;
static struct seen seen;
static u8 line[2 * TDMX_HDLC_MAX_FRAME];

static void on_frame(void *ctx, const u8 *frame, unsigned int len)
{
	struct seen *s = ctx;

	check(len >= 3 && len <= TDMX_HDLC_MAX_FRAME);
	check(len - 2 >= s->min_len && len - 2 <= s->max_len);
	check(tdmx_fcs16_update(TDMX_FCS16_INIT, frame, len) == TDMX_FCS16_GOOD);
	memcpy(s->last, frame, len);
	s->len = len;
	s->n++;
}

static void feed(const u8 *p, size_t n, size_t chunk)
{
	while (n) {
		size_t c = n < chunk ? n : chunk;

		tdmx_hdlc_rx_octets(&rx, p, c);
		p += c;
		n -= c;
	}
}

static void round_trip(const u8 *payload, size_t len, size_t chunk)
{
	const struct tdmx_hdlc_counters *c = tdmx_hdlc_rx_counters(&rx);
	u64 too_short, too_long;
	size_t n = 0;
	u16 fcs;

	if (len > TDMX_HDLC_MAX_FRAME - 2)
		len = TDMX_HDLC_MAX_FRAME - 2;
	if (!len)
		return;
	/* Two octets of idle fill bring the receiver to a flag or a hunt. */
	tdmx_hdlc_tx_octets(&tx, line, 2);
	feed(line, 2, chunk);
	seen.n = 0;
	too_short = c->too_short;
	too_long = c->too_long;
	check(tdmx_hdlc_tx_start(&tx, payload, len) == 0);
	check(tdmx_hdlc_tx_start(&tx, payload, len) == -1);
	while (tdmx_hdlc_tx_busy(&tx)) {
		check(n < sizeof(line) - 4);
		tdmx_hdlc_tx_octets(&tx, line + n++, 1);
	}
	tdmx_hdlc_tx_octets(&tx, line + n, 4);
	feed(line, n + 4, chunk);

	/* Too long is found while receiving, before the closing flag. */
	if (len > seen.max_len) {
		check(seen.n == 0 && c->too_long == too_long + 1);
		return;
	}
	if (len < seen.min_len) {
		check(seen.n == 0 && c->too_short == too_short + 1);
		return;
	}
	fcs = ~tdmx_fcs16_update(TDMX_FCS16_INIT, payload, len);
	check(seen.n == 1 && seen.len == len + 2);
	check(!memcmp(seen.last, payload, len));
	check(seen.last[len] == (fcs & 0xFF) && seen.last[len + 1] == fcs >> 8);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tdmx_hdlc_config cfg = { 0 };
	size_t chunk;

	if (size < 4)
		return 0;
	cfg.bits56 = data[0] & 1;
	cfg.idle_marks = data[0] & 2;
	chunk = (data[0] >> 3) + 1;
	cfg.min_len = data[1];
	cfg.max_len = data[2] | data[3] << 8;

	/* The limits the receiver documents for zero and oversized values. */
	seen.min_len = cfg.min_len ? cfg.min_len : 1;
	seen.max_len = cfg.max_len && cfg.max_len <= TDMX_HDLC_MAX_FRAME - 2 ?
		       cfg.max_len : TDMX_HDLC_MAX_FRAME - 2;
	seen.n = 0;

	tdmx_hdlc_rx_init(&rx, &cfg, on_frame, &seen);
	tdmx_hdlc_tx_init(&tx, &cfg);
	feed(data + 4, size - 4, chunk);
	check(tdmx_hdlc_rx_counters(&rx)->frames == seen.n);
	if (data[0] & 4)
		round_trip(data + 4, size - 4, chunk);
	return 0;
}
