// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Framer throughput: how many spans one core can receive or transmit.
 *
 * One second of line is built with the transmitter, then each case runs
 * RUNS times and the median is reported, with memcpy of the same octets
 * in the same run as the baseline. One E1 span is 2.048 Mbit/s, so
 * spans per core = 1 s / (time to process one second of line).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "e1.h"
#include "t1.h"

#define RUNS 9
#define SECONDS 4
#define E1_FRAMES (8000 * SECONDS)
#define CHUNK 256	/* 1 ms of E1, as the kernel hands it over */

static uint64_t sink_frames;

static void count_payload(void *ctx, const struct tdmx_fr_payload *pl)
{
	(void)ctx;
	sink_frames += pl->nframes;
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return v[n / 2];
}

static uint8_t *e1_line(size_t *len, unsigned int shift)
{
	struct tdmx_e1_config c = { .framing = TDMX_E1_CRC4, .cas = true, .sa = 0x1F };
	size_t n = (size_t)E1_FRAMES * 32;
	uint8_t *plain = malloc(n), *line = calloc(n + 1, 1);
	struct tdmx_e1_tx tx;
	size_t i;

	for (i = 0; i < n; i++)
		plain[i] = (uint8_t)(i * 2654435761u >> 13);
	tdmx_e1_tx_init(&tx, &c);
	tdmx_e1_tx_frames(&tx, plain, plain, E1_FRAMES);
	/* shift right by `shift` bits: the frames start at that bit offset */
	for (i = 0; i < n; i++) {
		line[i] |= plain[i] >> shift;
		if (shift)
			line[i + 1] |= (uint8_t)(plain[i] << (8 - shift));
	}
	free(plain);
	*len = n + (shift ? 1 : 0);
	return line;
}

static double run_e1_rx(const uint8_t *line, size_t len)
{
	struct tdmx_e1_config c = { .framing = TDMX_E1_CRC4, .cas = true };
	struct tdmx_fr_sink s = { NULL, count_payload, NULL };
	static struct tdmx_e1_rx rx;
	double t0 = now_ns();
	size_t off;

	tdmx_e1_rx_init(&rx, &c, &s);
	for (off = 0; off < len; off += CHUNK)
		tdmx_e1_rx_feed(&rx, line + off, len - off < CHUNK ? len - off : CHUNK);
	tdmx_e1_rx_flush(&rx);
	if (!tdmx_e1_rx_crc4_aligned(&rx) || tdmx_e1_rx_counters(&rx)->crc_errors) {
		fprintf(stderr, "bench: receiver did not hold CRC-4 alignment\n");
		exit(1);
	}
	return now_ns() - t0;
}

static double run_e1_tx(uint8_t *buf)
{
	struct tdmx_e1_config c = { .framing = TDMX_E1_CRC4, .cas = true, .sa = 0x1F };
	static struct tdmx_e1_tx tx;
	double t0 = now_ns();
	unsigned int f;

	tdmx_e1_tx_init(&tx, &c);
	for (f = 0; f < E1_FRAMES; f += 8)
		tdmx_e1_tx_frames(&tx, buf + f * 32, buf + f * 32, 8);
	return now_ns() - t0;
}

static double run_memcpy(uint8_t *dst, const uint8_t *src, size_t len)
{
	double t0 = now_ns();
	size_t off;

	for (off = 0; off < len; off += CHUNK)
		memcpy(dst + off, src + off, len - off < CHUNK ? len - off : CHUNK);
	__asm__ volatile("" : : "r"(dst) : "memory");
	return now_ns() - t0;
}

static uint8_t *t1_line(size_t *len)
{
	struct tdmx_t1_config c = { .framing = TDMX_T1_ESF, .robbed_bits = true };
	unsigned int frames = 8000 * SECONDS;
	uint8_t *pcm = malloc((size_t)frames * 24);
	uint8_t *line = calloc((size_t)frames * 193 / 8 + 16, 1);
	static struct tdmx_t1_tx tx;
	size_t i, n;

	for (i = 0; i < (size_t)frames * 24; i++)
		pcm[i] = (uint8_t)(i * 40503u >> 7);
	tdmx_t1_tx_init(&tx, &c);
	n = tdmx_t1_tx_frames(&tx, pcm, line, frames);
	free(pcm);
	*len = n;
	return line;
}

static double run_t1_rx(const uint8_t *line, size_t len)
{
	struct tdmx_t1_config c = { .framing = TDMX_T1_ESF, .robbed_bits = true };
	struct tdmx_fr_sink s = { NULL, count_payload, NULL };
	static struct tdmx_t1_rx rx;
	double t0 = now_ns();
	size_t off;

	tdmx_t1_rx_init(&rx, &c, &s);
	for (off = 0; off < len; off += 193)
		tdmx_t1_rx_feed(&rx, line + off, len - off < 193 ? len - off : 193);
	tdmx_t1_rx_flush(&rx);
	if (!tdmx_t1_rx_aligned(&rx) || tdmx_t1_rx_counters(&rx)->crc_errors) {
		fprintf(stderr, "bench: T1 receiver did not hold alignment\n");
		exit(1);
	}
	return now_ns() - t0;
}

static void report(const char *name, const char *unit, double *t, double *base, double line_bps)
{
	double ns = median(t, RUNS), mc = median(base, RUNS);
	double per_second = ns / SECONDS;

	printf("%-36s %9.1f us per line-second  %8.0f %s per core  %5.1fx memcpy (%.1f us)\n",
	       name, per_second / 1e3, 1e9 / per_second, unit, ns / mc, mc / 1e3 / SECONDS);
	(void)line_bps;
}

int main(void)
{
	double t[RUNS], base[RUNS];
	size_t len0, len3, tlen;
	uint8_t *l0 = e1_line(&len0, 0), *l3 = e1_line(&len3, 3);
	uint8_t *scratch = malloc(len3 + 64), *tl;
	int i;

	printf("framer benchmark: median of %d runs, %d s of line each, 1 ms chunks\n",
	       RUNS, SECONDS);
	for (i = 0; i < RUNS; i++) {
		base[i] = run_memcpy(scratch, l0, len0);
		t[i] = run_e1_rx(l0, len0);
	}
	report("e1 rx crc4+cas, bit offset 0", "E1 spans", t, base, 2048000);
	for (i = 0; i < RUNS; i++) {
		base[i] = run_memcpy(scratch, l3, len3);
		t[i] = run_e1_rx(l3, len3);
	}
	report("e1 rx crc4+cas, bit offset 3", "E1 spans", t, base, 2048000);
	for (i = 0; i < RUNS; i++) {
		memcpy(scratch, l0, len0);
		base[i] = run_memcpy(scratch, l0, len0);
		t[i] = run_e1_tx(scratch);
	}
	report("e1 tx crc4+cas", "E1 spans", t, base, 2048000);
	tl = t1_line(&tlen);
	for (i = 0; i < RUNS; i++) {
		base[i] = run_memcpy(scratch, tl, tlen);
		t[i] = run_t1_rx(tl, tlen);
	}
	report("t1 rx esf+robbed bits", "T1 spans", t, base, 1544000);
	printf("payload frames delivered: %llu\n", (unsigned long long)sink_frames);
	free(l0);
	free(l3);
	free(tl);
	free(scratch);
	return 0;
}
