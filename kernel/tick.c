// SPDX-License-Identifier: GPL-2.0-only
/*
 * The 1 ms tick of a span: build the line to send from the channels, run
 * the received line through the framer, and hand 8 frames of received
 * timeslots to the channels and the span ring.
 *
 * Received frames pass an elastic store between the line clock and the
 * card's clock (the timing master). When the far end's clock is faster the
 * store fills and one frame is deleted; when slower, one frame is repeated:
 * a controlled slip of one frame (G.822), counted and reported.
 */
#include <linux/poll.h>
#include <linux/string.h>

#include "tdmx.h"

#define E1_IDLE_ALAW	0xD5
#define IDLE_ULAW	0xFF
#define IDLE_DATA	0xFF

static bool span_aligned(struct tdmx_span *span)
{
	return span->line == TDMX_LINE_E1 ? tdmx_e1_rx_aligned(&span->e1rx) :
					    tdmx_t1_rx_aligned(&span->t1rx);
}

static u8 idle_octet(struct tdmx_span *span, struct tdmx_chan *chan)
{
	if (chan->type == TDMX_CHAN_CLEAR || chan->type == TDMX_CHAN_UNUSED)
		return IDLE_DATA;
	return span->cfg.law == TDMX_LAW_ALAW ? E1_IDLE_ALAW : IDLE_ULAW;
}

static void slip(struct tdmx_span *span)
{
	span->slips++;
	tdmx_alarm_edge(span, TDMX_ALARM_SLIP, true);
}

/**
 * tdmx_span_framer_payload() - framer sink: frames into the elastic store
 * @ctx: the span (lock held: called from tdmx_span_rx_bits)
 * @pl: de-interleaved frames
 */
void tdmx_span_framer_payload(void *ctx, const struct tdmx_fr_payload *pl)
{
	struct tdmx_span *span = ctx;
	unsigned int f, ts;

	for (f = 0; f < pl->nframes; f++) {
		if (span->el_count == TDMX_ELASTIC_FRAMES) {
			memmove(span->elastic[0], span->elastic[1],
				sizeof(span->elastic[0]) * (TDMX_ELASTIC_FRAMES - 1));
			span->el_count--;
			slip(span);
		}
		for (ts = 0; ts < TDMX_SPAN_TS; ts++)
			span->elastic[span->el_count][ts] = pl->ts[ts][f];
		span->el_count++;
	}
}

/**
 * tdmx_span_framer_event() - framer sink: alarms and signalling
 * @ctx: the span (lock held)
 * @ev: the event
 */
void tdmx_span_framer_event(void *ctx, const struct tdmx_fr_event *ev)
{
	tdmx_alarm_from_framer(ctx, ev);
}

static void chan_tx(struct tdmx_span *span, struct tdmx_chan *chan, u8 *o,
		    const u8 *ring)
{
	struct tdmx_hdlc_frame *fr;

	switch (chan->type) {
	case TDMX_CHAN_HDLC:
		if (!tdmx_hdlc_tx_busy(&chan->htx) && chan->htxq_tail != chan->htxq_head) {
			fr = &chan->htxq[chan->htxq_tail % TDMX_HDLC_QUEUE];
			if (!tdmx_hdlc_tx_start(&chan->htx, fr->data, fr->len))
				chan->hdlc_tx_frames++;
			chan->htxq_tail++;
			wake_up_interruptible_poll(&chan->wq, EPOLLOUT);
		}
		tdmx_hdlc_tx_octets(&chan->htx, o, TDMX_TICK_FRAMES);
		return;
	case TDMX_CHAN_UNUSED:
		memset(o, IDLE_DATA, TDMX_TICK_FRAMES);
		return;
	default:
		if (chan->open_count)
			tdmx_chan_tx_octets(chan, o, TDMX_TICK_FRAMES);
		else if (ring)
			memcpy(o, ring, TDMX_TICK_FRAMES);
		else
			memset(o, idle_octet(span, chan), TDMX_TICK_FRAMES);
	}
}

static void build_e1(struct tdmx_span *span, u8 (*ts)[TDMX_TICK_FRAMES],
		     unsigned int nframes, u8 *out)
{
	u8 in[TDMX_TICK_FRAMES + 1][TDMX_E1_FRAME_OCTETS];
	unsigned int f, t;

	for (f = 0; f < nframes; f++)
		for (t = 0; t < TDMX_E1_TS; t++)
			in[f][t] = ts[t][min(f, TDMX_TICK_FRAMES - 1u)];
	for (t = 1; t <= span->nchans; t++)
		if (span->chans[t].type == TDMX_CHAN_CAS)
			tdmx_e1_tx_set_abcd(&span->e1tx, t, span->chans[t].tx_abcd);
	tdmx_e1_tx_frames(&span->e1tx, in[0], out, nframes);
}

static size_t build_t1(struct tdmx_span *span, u8 (*ts)[TDMX_TICK_FRAMES],
		       unsigned int nframes, u8 *out)
{
	u8 in[TDMX_TICK_FRAMES + 1][TDMX_T1_CHANNELS];
	unsigned int f, c;

	for (f = 0; f < nframes; f++)
		for (c = 0; c < TDMX_T1_CHANNELS; c++)
			in[f][c] = ts[c + 1][min(f, TDMX_TICK_FRAMES - 1u)];
	for (c = 1; c <= span->nchans; c++)
		if (span->chans[c].type == TDMX_CHAN_CAS)
			tdmx_t1_tx_set_abcd(&span->t1tx, c, span->chans[c].tx_abcd);
	/* T1.403: send yellow while we see LOS, AIS or LOF */
	tdmx_t1_tx_set_yellow(&span->t1tx, span->tx_rai ||
			      (span->alarms & (BIT(TDMX_ALARM_LOS) | BIT(TDMX_ALARM_AIS) |
					       BIT(TDMX_ALARM_LOF))));
	tdmx_t1_tx_set_ais(&span->t1tx, span->tx_ais);
	return tdmx_t1_tx_frames(&span->t1tx, in[0], out, nframes);
}

/**
 * tdmx_span_tx_bits() - the line to send for this tick
 * @span: the span
 * @nframes: frames to build: 8, or 7/9 when the card emulates a slower or
 *	faster clock for this span
 * @out: at least TDMX_TICK_MAX_OCTETS
 *
 * Return: octets written.
 */
size_t tdmx_span_tx_bits(struct tdmx_span *span, unsigned int nframes, u8 *out)
{
	u8 ts[TDMX_SPAN_TS][TDMX_TICK_FRAMES];
	u8 ring[TDMX_SPAN_TS][TDMX_RING_FRAMES];
	bool use_ring = span->ring_open;
	unsigned int i;
	size_t n;

	spin_lock(&span->lock);
	if (use_ring)
		tdmx_ring_tx_block(span, ring);
	memset(ts[0], IDLE_DATA, TDMX_TICK_FRAMES);
	for (i = 1; i <= span->nchans; i++) {
		if (span->cfg.loopback == TDMX_LOOP_PAYLOAD)
			memcpy(ts[i], span->last_rx[i], TDMX_TICK_FRAMES);
		else
			chan_tx(span, &span->chans[i], ts[i], use_ring ? ring[i] : NULL);
	}
	for (; i < TDMX_SPAN_TS; i++)
		memset(ts[i], IDLE_DATA, TDMX_TICK_FRAMES);
	if (span->line == TDMX_LINE_E1) {
		span->e1tx.rai = span->tx_rai;
		span->e1tx.ais = span->tx_ais;
		span->e1tx.cfg.framing = span->e1rx.cfg.framing;
		if (span->tx_nocrc4 && span->e1tx.cfg.framing == TDMX_E1_CRC4)
			span->e1tx.cfg.framing = TDMX_E1_DOUBLEFRAME;
		build_e1(span, ts, nframes, out);
		n = (size_t)nframes * TDMX_E1_FRAME_OCTETS;
	} else {
		n = build_t1(span, ts, nframes, out);
	}
	spin_unlock(&span->lock);
	return n;
}

/**
 * tdmx_span_rx_bits() - the line received in this tick
 * @span: the span
 * @in: raw line bits
 * @len: octets
 */
void tdmx_span_rx_bits(struct tdmx_span *span, const u8 *in, size_t len)
{
	spin_lock(&span->lock);
	if (span->line == TDMX_LINE_E1)
		tdmx_e1_rx_feed(&span->e1rx, in, len);
	else
		tdmx_t1_rx_feed(&span->t1rx, in, len);
	spin_unlock(&span->lock);
}

/* Take one tick of frames from the elastic store into @block. */
static void elastic_take(struct tdmx_span *span, u8 block[][TDMX_RING_FRAMES])
{
	bool steady = span_aligned(span) && span->aligned_ticks >= 2;
	unsigned int take = min_t(unsigned int, span->el_count, TDMX_TICK_FRAMES);
	unsigned int f, t;

	for (f = 0; f < TDMX_TICK_FRAMES; f++) {
		for (t = 0; t < TDMX_SPAN_TS; t++) {
			if (f < take)
				block[t][f] = span->elastic[f][t];
			else if (take && steady)
				block[t][f] = span->elastic[take - 1][t];
			else
				block[t][f] = IDLE_DATA;
		}
	}
	/* a steady line one frame short: the far clock is slow, repeat */
	if (steady && take && take < TDMX_TICK_FRAMES)
		slip(span);
	span->el_count -= take;
	memmove(span->elastic[0], span->elastic[take],
		sizeof(span->elastic[0]) * span->el_count);
	/* two frames left over: the far clock is fast, delete one */
	if (steady && span->el_count >= 2) {
		span->el_count--;
		memmove(span->elastic[0], span->elastic[1],
			sizeof(span->elastic[0]) * span->el_count);
		slip(span);
	}
	span->aligned_ticks = span_aligned(span) ? span->aligned_ticks + 1 : 0;
	if (!span->aligned_ticks)
		span->el_count = 0;
}

/**
 * tdmx_span_tick_time() - account the time one tick of the span took
 * @span: the span
 * @ns: nanoseconds from tdmx_span_tx_bits() to tdmx_span_tick_end()
 */
void tdmx_span_tick_time(struct tdmx_span *span, u64 ns)
{
	spin_lock(&span->lock);
	span->ticks_timed++;
	span->tick_ns += ns;
	if (ns > span->tick_ns_max)
		span->tick_ns_max = ns;
	spin_unlock(&span->lock);
}

/**
 * tdmx_span_tick_end() - deliver this tick's received timeslots
 * @span: the span
 *
 * Channels get their 8 octets (hdlc channels through the HDLC receiver),
 * the span ring gets the block, and readers are woken once.
 */
void tdmx_span_tick_end(struct tdmx_span *span)
{
	u8 block[TDMX_SPAN_TS][TDMX_RING_FRAMES];
	unsigned int i;

	spin_lock(&span->lock);
	elastic_take(span, block);
	for (i = 1; i <= span->nchans; i++) {
		struct tdmx_chan *chan = &span->chans[i];

		memcpy(span->last_rx[i], block[i], TDMX_TICK_FRAMES);
		if (chan->type == TDMX_CHAN_HDLC)
			tdmx_hdlc_rx_octets(&chan->hrx, block[i], TDMX_TICK_FRAMES);
		else if (chan->open_count && chan->type != TDMX_CHAN_UNUSED)
			tdmx_chan_rx_octets(chan, block[i], TDMX_TICK_FRAMES);
	}
	tdmx_ring_rx_block(span, block);
	span->tick++;
	tdmx_span_counters_update(span);
	spin_unlock(&span->lock);
}
