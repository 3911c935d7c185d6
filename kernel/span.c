// SPDX-License-Identifier: GPL-2.0-only
/*
 * Spans: registration, numbering, configuration and counters.
 *
 * Spans are numbered from 1 in a fixed table under tdmx_lock. Changing a
 * span's framing restarts its framer (the receiver hunts again) under the
 * span lock, so the tick never sees a half-made configuration.
 */
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "tdmx.h"

static struct tdmx_span *span_table[TDMX_MAX_SPANS + 1];
static u32 generation = 1;

/**
 * tdmx_generation() - configuration generation, for netlink dumps
 *
 * Return: a number that changes whenever spans, cards or their settings do.
 */
u32 tdmx_generation(void)
{
	return READ_ONCE(generation);
}

/**
 * tdmx_generation_bump() - note a configuration change (tdmx_lock held)
 */
void tdmx_generation_bump(void)
{
	WRITE_ONCE(generation, generation + 1);
}

/**
 * tdmx_span_get_by_id() - look a span up (tdmx_lock held)
 * @id: span number
 *
 * Return: the span or NULL.
 */
struct tdmx_span *tdmx_span_get_by_id(u32 id)
{
	if (!id || id > TDMX_MAX_SPANS)
		return NULL;
	return span_table[id];
}

/**
 * tdmx_span_next() - the span with the lowest number above @after
 * @after: 0 to start
 *
 * For dumps; tdmx_lock held. Return: the span or NULL at the end.
 */
struct tdmx_span *tdmx_span_next(u32 after)
{
	u32 id;

	for (id = after + 1; id <= TDMX_MAX_SPANS; id++)
		if (span_table[id])
			return span_table[id];
	return NULL;
}

static void default_cfg(struct tdmx_span *span)
{
	struct tdmx_span_cfg *c = &span->cfg;

	if (span->line == TDMX_LINE_E1) {
		c->framing = TDMX_FRAMING_E1_CRC4;
		c->linecode = TDMX_LINECODE_HDB3;
		c->law = TDMX_LAW_ALAW;
		c->dchan = 16;
	} else {
		c->framing = TDMX_FRAMING_T1_ESF;
		c->linecode = TDMX_LINECODE_B8ZS;
		c->law = TDMX_LAW_ULAW;
		c->dchan = 24;
	}
	c->signalling = TDMX_SIG_NONE;
	c->clock_prio = span->index + 1;
	c->loopback = TDMX_LOOP_NONE;
	c->block_ms = 10;
}

static u8 chan_type_for(const struct tdmx_span_cfg *c, unsigned int no)
{
	if (c->framing == TDMX_FRAMING_E1_UNFRAMED)
		return TDMX_CHAN_CLEAR;
	if (c->signalling == TDMX_SIG_CCS && no == c->dchan)
		return TDMX_CHAN_HDLC;
	if (c->signalling == TDMX_SIG_CAS) {
		/* E1 CAS: TS16 carries the signalling multiframe */
		if (c->framing != TDMX_FRAMING_T1_D4 &&
		    c->framing != TDMX_FRAMING_T1_ESF && no == 16)
			return TDMX_CHAN_UNUSED;
		return TDMX_CHAN_CAS;
	}
	return TDMX_CHAN_VOICE;
}

/* Restart the framer for span->cfg; span lock held. */
static void framer_start(struct tdmx_span *span)
{
	const struct tdmx_span_cfg *c = &span->cfg;
	struct tdmx_fr_sink sink = {
		.event = tdmx_span_framer_event,
		.payload = tdmx_span_framer_payload,
		.ctx = span,
	};

	/* the framer's counters restart from 0: keep what it counted */
	tdmx_span_counters_update(span);
	span->cnt_acc = span->cnt_now;
	if (span->line == TDMX_LINE_E1) {
		u32 phase = span->e1tx.frame;
		struct tdmx_e1_config fc = {
			.framing = c->framing == TDMX_FRAMING_E1_UNFRAMED ? TDMX_E1_UNFRAMED :
				   c->framing == TDMX_FRAMING_E1 ? TDMX_E1_DOUBLEFRAME :
				   TDMX_E1_CRC4,
			.cas = c->signalling == TDMX_SIG_CAS,
			.sa = 0x1F,
		};

		tdmx_e1_rx_init(&span->e1rx, &fc, &sink);
		tdmx_e1_tx_init(&span->e1tx, &fc);
		tdmx_e1_tx_link_rx(&span->e1tx, &span->e1rx);
		/* keep sending the multiframe in step: the far end stays aligned */
		span->e1tx.frame = phase;
	} else {
		struct tdmx_t1_config fc = {
			.framing = c->framing == TDMX_FRAMING_T1_D4 ? TDMX_T1_D4 : TDMX_T1_ESF,
			.robbed_bits = c->signalling == TDMX_SIG_CAS,
		};

		tdmx_t1_rx_init(&span->t1rx, &fc, &sink);
		tdmx_t1_tx_init(&span->t1tx, &fc);
	}
	span->el_count = 0;
}

/**
 * tdmx_span_register() - create a span on a card
 * @card: the card
 * @index: the span's index on the card
 * @line: enum tdmx_line
 * @out: the new span
 *
 * Called with tdmx_lock held. Return: 0 or -errno.
 */
int tdmx_span_register(struct tdmx_card *card, unsigned int index, u8 line,
		       struct tdmx_span **out)
{
	struct tdmx_span *span;
	unsigned int i;
	u32 id;
	int ret;

	for (id = 1; id <= TDMX_MAX_SPANS && span_table[id]; id++)
		;
	if (id > TDMX_MAX_SPANS)
		return -ENOSPC;
	span = vzalloc(sizeof(*span));
	if (!span)
		return -ENOMEM;
	atomic_inc(&tdmx_objects);
	span->id = id;
	span->card = card;
	span->index = index;
	span->line = line;
	snprintf(span->name, sizeof(span->name), "%s%u/%u", card->ops->name,
		 card->id, index);
	spin_lock_init(&span->lock);
	init_waitqueue_head(&span->ring_wq);
	span->nchans = line == TDMX_LINE_E1 ? 31 : 24;
	default_cfg(span);
	for (i = 1; i <= span->nchans; i++) {
		struct tdmx_chan *chan = &span->chans[i];

		chan->span = span;
		chan->no = i;
		chan->type = chan_type_for(&span->cfg, i);
		chan->tx_abcd = line == TDMX_LINE_E1 ? 0xD : 0;
		init_waitqueue_head(&chan->wq);
	}
	framer_start(span);
	ret = tdmx_ring_add(span);
	if (ret)
		goto err_free;
	ret = tdmx_chan_devices_add(span);
	if (ret)
		goto err_ring;
	span_table[id] = span;
	tdmx_generation_bump();
	*out = span;
	return 0;

err_ring:
	tdmx_ring_del(span);
err_free:
	vfree(span);
	atomic_dec(&tdmx_objects);
	return ret;
}

/**
 * tdmx_span_unregister() - remove a span (tdmx_lock held)
 * @span: the span; its card's clock must be stopped
 */
void tdmx_span_unregister(struct tdmx_span *span)
{
	unsigned int i;

	span_table[span->id] = NULL;
	tdmx_generation_bump();
	tdmx_chan_devices_del(span);
	tdmx_ring_del(span);
	for (i = 1; i <= span->nchans; i++)
		tdmx_chan_free_hdlc(&span->chans[i]);
	vfree(span);
	atomic_dec(&tdmx_objects);
}

/**
 * tdmx_span_busy() - is any device of the span open?
 * @span: the span
 *
 * Return: true when a channel or the span device is open.
 */
bool tdmx_span_busy(struct tdmx_span *span)
{
	unsigned int i;

	if (span->ring_open)
		return true;
	for (i = 1; i <= span->nchans; i++)
		if (span->chans[i].open_count)
			return true;
	return false;
}

/**
 * tdmx_span_configure() - apply new settings (tdmx_lock held)
 * @span: the span
 * @cfg: validated settings
 *
 * Channels are re-typed for the signalling; a channel that must change
 * type while open makes the whole change fail.
 *
 * Return: 0, or -EBUSY.
 */
int tdmx_span_configure(struct tdmx_span *span, const struct tdmx_span_cfg *cfg)
{
	bool restart = cfg->framing != span->cfg.framing ||
		       cfg->signalling != span->cfg.signalling;
	unsigned int i;
	int ret;

	for (i = 1; i <= span->nchans; i++) {
		struct tdmx_chan *chan = &span->chans[i];

		if (chan_type_for(cfg, i) != chan->type && chan->open_count)
			return -EBUSY;
	}
	for (i = 1; i <= span->nchans; i++) {
		ret = tdmx_chan_set_type(&span->chans[i], chan_type_for(cfg, i));
		if (ret)
			return ret;
	}
	spin_lock_bh(&span->lock);
	span->cfg = *cfg;
	if (restart)
		framer_start(span);
	spin_unlock_bh(&span->lock);
	if (span->card->ops->span_config)
		span->card->ops->span_config(span);
	tdmx_generation_bump();
	return 0;
}

static void framer_counters(struct tdmx_span *span, struct tdmx_fr_counters *c)
{
	*c = span->line == TDMX_LINE_E1 ? *tdmx_e1_rx_counters(&span->e1rx) :
					  *tdmx_t1_rx_counters(&span->t1rx);
}

static void add_counters(struct tdmx_fr_counters *a, const struct tdmx_fr_counters *b)
{
	a->frames += b->frames;
	a->fas_errors += b->fas_errors;
	a->crc_errors += b->crc_errors;
	a->ebit_errors += b->ebit_errors;
	a->realignments += b->realignments;
	a->es += b->es;
	a->ses += b->ses;
	a->uas += b->uas;
}

/**
 * tdmx_span_counters_update() - refresh the span's totals from the framer
 * @span: the span, lock held (called by the tick)
 */
void tdmx_span_counters_update(struct tdmx_span *span)
{
	struct tdmx_fr_counters fr;

	framer_counters(span, &fr);
	span->cnt_now = span->cnt_acc;
	add_counters(&span->cnt_now, &fr);
}

/**
 * tdmx_span_counters() - the span's counters since the last reset
 * @span: the span
 * @out: receive counters
 */
void tdmx_span_counters(struct tdmx_span *span, struct tdmx_fr_counters *out)
{
	struct tdmx_fr_counters *b = &span->cnt_base;

	spin_lock_bh(&span->lock);
	tdmx_span_counters_update(span);
	*out = span->cnt_now;
	spin_unlock_bh(&span->lock);
	out->frames -= b->frames;
	out->fas_errors -= b->fas_errors;
	out->crc_errors -= b->crc_errors;
	out->ebit_errors -= b->ebit_errors;
	out->realignments -= b->realignments;
	out->es -= b->es;
	out->ses -= b->ses;
	out->uas -= b->uas;
}

/**
 * tdmx_span_counters_reset() - start the span's counters from zero
 * @span: the span
 */
void tdmx_span_counters_reset(struct tdmx_span *span)
{
	unsigned int i;

	spin_lock_bh(&span->lock);
	tdmx_span_counters_update(span);
	span->cnt_base = span->cnt_now;
	span->slips = 0;
	span->ticks_timed = 0;
	span->tick_ns = 0;
	span->tick_ns_max = 0;
	for (i = 1; i <= span->nchans; i++) {
		struct tdmx_chan *chan = &span->chans[i];

		chan->overruns = 0;
		chan->underruns = 0;
		chan->hdlc_tx_frames = 0;
		if (chan->type == TDMX_CHAN_HDLC)
			chan->hdlc_base = *tdmx_hdlc_rx_counters(&chan->hrx);
	}
	spin_unlock_bh(&span->lock);
}
