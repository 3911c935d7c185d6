// SPDX-License-Identifier: GPL-2.0-only
/*
 * Counter messages: TDMX_CMD_COUNTERS_GET and TDMX_CMD_COUNTERS_RESET.
 * A span's counters are its framer's, its slips and the sums over its
 * channels.
 */
#include "netlink.h"

/* Counters are gathered into an array indexed by TDMX_A_CNT_*. */
#define TDMX_NL_CNT_FIRST	TDMX_A_CNT_FRAMES
#define TDMX_NL_CNT_N		(TDMX_A_CNT_MAX - TDMX_NL_CNT_FIRST + 1)

static size_t counters_size(void)
{
	return TDMX_NL_GENERATION_SIZE +
	       nla_total_size(sizeof(u32)) +		/* SPAN_ID */
	       nla_total_size(0) +			/* COUNTERS */
	       nla_total_size_64bit(sizeof(u64)) * TDMX_NL_CNT_N;
}

/* HDLC receive counters since the last reset; zero on other channels */
static void counters_add_hdlc(struct tdmx_chan *chan, u64 *v)
{
	struct tdmx_hdlc_counters h;

	tdmx_chan_hdlc_counters(chan, &h);
	v[TDMX_A_CNT_HDLC_RX_FRAMES] += h.frames;
	v[TDMX_A_CNT_HDLC_BAD_FCS] += h.fcs_errors;
	v[TDMX_A_CNT_HDLC_ABORTS] += h.aborts;
	v[TDMX_A_CNT_HDLC_LENGTH] += h.too_short + h.too_long + h.misaligned;
}

/* The tick counts under the span lock. */
static void counters_add_chans(struct tdmx_span *span, u64 *v)
{
	const struct tdmx_chan *chan;
	unsigned int no;

	spin_lock_bh(&span->lock);
	v[TDMX_A_CNT_SLIPS] = span->slips;
	v[TDMX_A_CNT_TICKS] = span->ticks_timed;
	v[TDMX_A_CNT_TICK_NS] = span->tick_ns;
	v[TDMX_A_CNT_TICK_NS_MAX] = span->tick_ns_max;
	for (no = 1; no <= span->nchans; no++) {
		chan = &span->chans[no];
		v[TDMX_A_CNT_RX_OVERRUNS] += chan->overruns;
		v[TDMX_A_CNT_TX_UNDERRUNS] += chan->underruns;
		v[TDMX_A_CNT_HDLC_TX_FRAMES] += chan->hdlc_tx_frames;
	}
	spin_unlock_bh(&span->lock);
}

/* Each helper takes the span lock itself. */
static void counters_prepare(struct tdmx_span *span, u64 *v)
{
	struct tdmx_fr_counters fr;
	unsigned int no;

	tdmx_span_counters(span, &fr);
	v[TDMX_A_CNT_FRAMES] = fr.frames;
	v[TDMX_A_CNT_FAS_ERRORS] = fr.fas_errors;
	v[TDMX_A_CNT_CRC_ERRORS] = fr.crc_errors;
	v[TDMX_A_CNT_EBIT_ERRORS] = fr.ebit_errors;
	v[TDMX_A_CNT_REALIGNMENTS] = fr.realignments;
	v[TDMX_A_CNT_ES] = fr.es;
	v[TDMX_A_CNT_SES] = fr.ses;
	v[TDMX_A_CNT_UAS] = fr.uas;
	counters_add_chans(span, v);
	for (no = 1; no <= span->nchans; no++)
		counters_add_hdlc(&span->chans[no], v);
}

static int counters_fill(struct sk_buff *skb, void *obj)
{
	u64 v[TDMX_A_CNT_MAX + 1] = {};
	struct tdmx_span *span = obj;
	struct nlattr *nest;
	unsigned int i;

	counters_prepare(span, v);
	if (tdmx_nl_put_generation(skb) ||
	    nla_put_u32(skb, TDMX_A_SPAN_ID, span->id))
		return -EMSGSIZE;
	nest = nla_nest_start(skb, TDMX_A_COUNTERS);
	if (!nest)
		return -EMSGSIZE;
	for (i = TDMX_NL_CNT_FIRST; i <= TDMX_A_CNT_MAX; i++) {
		if (nla_put_u64_64bit(skb, i, v[i], TDMX_A_CNT_PAD))
			goto err_put;
	}
	nla_nest_end(skb, nest);
	return 0;

err_put:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

/**
 * tdmx_nl_counters_get_doit() - TDMX_CMD_COUNTERS_GET do: one span's
 * @skb: the request
 * @info: its attributes: TDMX_A_SPAN_ID (required)
 *
 * Return: 0 or a negative errno (-ENODEV: no such span).
 */
int tdmx_nl_counters_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	return tdmx_nl_reply_span(info, counters_size(), counters_fill);
}

/**
 * tdmx_nl_counters_get_dumpit() - TDMX_CMD_COUNTERS_GET dump: every span's
 * @skb: the dump's message buffer
 * @cb: the dump
 *
 * Return: as tdmx_nl_dump_ret().
 */
int tdmx_nl_counters_get_dumpit(struct sk_buff *skb,
				struct netlink_callback *cb)
{
	return tdmx_nl_dump_spans(skb, cb, counters_fill);
}

static void counters_reset_all(void)
{
	struct tdmx_span *span;

	for (span = tdmx_span_next(0); span; span = tdmx_span_next(span->id))
		tdmx_span_counters_reset(span);
}

/**
 * tdmx_nl_counters_reset_doit() - TDMX_CMD_COUNTERS_RESET: back to zero
 * @skb: the request
 * @info: its attributes: TDMX_A_SPAN_ID, or none for every span
 *
 * Return: 0 or a negative errno (-ENODEV: no such span).
 */
int tdmx_nl_counters_reset_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct tdmx_span *span;
	int ret = 0;

	mutex_lock(&tdmx_lock);
	if (!info->attrs[TDMX_A_SPAN_ID]) {
		counters_reset_all();
		goto out_unlock;
	}
	span = tdmx_nl_span_lookup(info);
	if (IS_ERR(span))
		ret = PTR_ERR(span);
	else
		tdmx_span_counters_reset(span);
out_unlock:
	mutex_unlock(&tdmx_lock);
	return ret;
}
