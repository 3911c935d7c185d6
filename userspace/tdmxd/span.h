/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tdmxd spans: one attached span device /dev/tdmx/span/<n> (the mmap'ed
 * rings of include/uapi/linux/tdmx.h) driven by a worker's event loop.
 *
 * The loop keeps one multishot POLL_ADD on the span device; when it fires,
 * an io_uring READ of struct tdmx_span_wake re-arms the kernel's wake-up,
 * and every rx block published since the last one processed is handed to
 * the media hook, oldest first, so a late wake-up loses nothing. The hook
 * fills the tx block that answers rx block seq: tx block seq + ahead, where
 * ahead covers one wake interval plus the configured jitter (the kernel
 * sends tx block seq tx_delay ms after rx block seq arrived). After each
 * block, tx_seq_done is published with a release store.
 */
#ifndef TDMXD_SPAN_H
#define TDMXD_SPAN_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "loop.h"

struct dspan;
struct tdmx;

/**
 * struct dspan_ops - the media hook of a span, called on its worker thread
 * @wake: the span was woken (its blocks are not consumed yet): process
 *	what is due with dspan_avail(), dspan_rx_block(), dspan_tx_block(),
 *	dspan_consume()
 */
struct dspan_ops {
	void (*wake)(void *arg, struct dspan *s);
};

/**
 * struct dspan_stats - counters of one attached span
 * @wakes: wake-ups handled
 * @blocks: rx blocks processed
 * @late: wake-ups that found more than block_ms + jitter_ms blocks
 * @max_batch: the most blocks one wake-up found
 * @rx_lost: rx blocks overwritten by the kernel before they were processed
 * @tx_missed: the ring's tx_missed since the span was attached
 * @alarms: the span's alarm mask at the last wake-up
 */
struct dspan_stats {
	uint64_t wakes;
	uint64_t blocks;
	uint64_t late;
	uint64_t max_batch;
	uint64_t rx_lost;
	uint64_t tx_missed;
	uint32_t alarms;
};

int dspan_open(struct dspan **sp, const struct cfg_span *cs, unsigned int jitter_ms,
	       struct tdmx *nl);
void dspan_set_ops(struct dspan *s, const struct dspan_ops *ops, void *arg);
void dspan_start(struct dspan *s, struct loop *l);
void dspan_stop(struct dspan *s, void (*done)(struct dspan *s, void *arg), void *arg);
void dspan_close(struct dspan *s);

unsigned int dspan_num(const struct dspan *s);
unsigned int dspan_law(const struct dspan *s);
unsigned int dspan_block_ms(const struct dspan *s);
unsigned int dspan_ahead(const struct dspan *s);
unsigned int dspan_tx_delay(const struct dspan *s);
unsigned int dspan_channels(const struct dspan *s);
struct loop *dspan_loop(const struct dspan *s);
void dspan_get_stats(const struct dspan *s, struct dspan_stats *st);

int64_t dspan_avail(struct dspan *s);
uint64_t dspan_next(const struct dspan *s);
const uint8_t *dspan_rx_ring(const struct dspan *s);
uint8_t *dspan_tx_block(struct dspan *s, uint64_t seq);
void dspan_tx_done(struct dspan *s, uint64_t seq);
void dspan_consume(struct dspan *s, unsigned int n);
void dspan_skip(struct dspan *s, uint64_t n, bool lost);

void dspan_register(struct loop *l);

/* the idle octet of a law (A-law 0xD5, mu-law 0xFF) */
static inline uint8_t dspan_idle(unsigned int law)
{
	return law == MEDIA_ULAW ? 0xFF : 0xD5;
}

#endif /* TDMXD_SPAN_H */
