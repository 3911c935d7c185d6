// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: the E1 receiver must survive any bitstream in any
 * chunking. Byte 0 picks the configuration; byte 1 the chunk size; bit 7
 * of byte 0 lays the rest of the input over a valid CRC-4 + CAS line
 * (XOR), so alignment, CRC-4, CAS and loss paths are reached, not only
 * the hunt.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "e1.h"

#define LINE_FRAMES 512

static void on_event(void *ctx, const struct tdmx_fr_event *ev)
{
	uint64_t *last = ctx;

	/* events carry sane fields */
	if (ev->type >= TDMX_FR_EV_COUNT || ev->smf > 1 || ev->ts > 31 ||
	    ev->abcd > 15 || ev->alarm >= TDMX_FR_ALARM_COUNT)
		__builtin_trap();
	*last = ev->bit;
}

static void on_payload(void *ctx, const struct tdmx_fr_payload *pl)
{
	(void)ctx;
	if (!pl->nframes || pl->nframes > TDMX_FR_BLOCK_FRAMES)
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t line[LINE_FRAMES * 32];
	static struct tdmx_e1_rx rx;
	struct tdmx_e1_config c = { 0 };
	uint64_t last = 0;
	struct tdmx_fr_sink s = { on_event, on_payload, &last };
	const uint8_t *in;
	size_t chunk, len, off, i;

	if (size < 2)
		return 0;
	c.framing = data[0] % 3;
	c.cas = data[0] & 4;
	c.nfas_loss = data[0] & 8;
	c.abcd_debounce = (data[0] >> 4) & 3;
	chunk = data[1] ? data[1] : 1;
	in = data + 2;
	len = size - 2;
	if (data[0] & 0x80) {
		struct tdmx_e1_config tc = { .framing = TDMX_E1_CRC4, .cas = true, .sa = 0x1F };
		struct tdmx_e1_tx tx;

		memset(line, 0xD5, sizeof(line));
		tdmx_e1_tx_init(&tx, &tc);
		tdmx_e1_tx_frames(&tx, line, line, LINE_FRAMES);
		for (i = 0; i < len && i < sizeof(line); i++)
			line[i] ^= in[i];
		in = line;
		len = sizeof(line);
	}
	tdmx_e1_rx_init(&rx, &c, &s);
	for (off = 0; off < len; off += chunk)
		tdmx_e1_rx_feed(&rx, in + off, len - off < chunk ? len - off : chunk);
	tdmx_e1_rx_flush(&rx);
	if (last > (uint64_t)len * 8)
		__builtin_trap();
	return 0;
}
