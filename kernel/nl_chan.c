// SPDX-License-Identifier: GPL-2.0-only
/*
 * Channel messages: TDMX_CMD_CHAN_GET, TDMX_CMD_CHAN_SET and
 * TDMX_CMD_CHAN_NTF.
 */
#include "netlink.h"

const struct nla_policy tdmx_nl_chan_get_policy[TDMX_A_CHAN_ID + 1] = {
	[TDMX_A_SPAN_ID]	= { .type = NLA_U32 },
	[TDMX_A_CHAN_ID]	= NLA_POLICY_RANGE(NLA_U8, 1, TDMX_SPAN_TS - 1),
};

const struct nla_policy tdmx_nl_chan_set_policy[TDMX_A_CHAN_TX_ABCD + 1] = {
	[TDMX_A_SPAN_ID]	= { .type = NLA_U32 },
	[TDMX_A_CHAN_ID]	= NLA_POLICY_RANGE(NLA_U8, 1, TDMX_SPAN_TS - 1),
	[TDMX_A_CHAN_TYPE]	= NLA_POLICY_RANGE(NLA_U8, TDMX_CHAN_UNUSED,
						   TDMX_CHAN_CAS),
	[TDMX_A_CHAN_TX_ABCD]	= NLA_POLICY_MAX(NLA_U8, 15),
};

static size_t chan_size(void)
{
	return TDMX_NL_GENERATION_SIZE +
	       nla_total_size(sizeof(u32)) +		/* SPAN_ID */
	       nla_total_size(sizeof(u8)) * 5;		/* CHAN_ID..CHAN_OPEN */
}

/* The tick writes rx_abcd; the rest changes under tdmx_lock. */
static int chan_fill(struct sk_buff *skb, void *obj)
{
	const struct tdmx_chan *chan = obj;
	unsigned int open = READ_ONCE(chan->open_count);

	if (tdmx_nl_put_generation(skb) ||
	    nla_put_u32(skb, TDMX_A_SPAN_ID, chan->span->id) ||
	    nla_put_u8(skb, TDMX_A_CHAN_ID, chan->no) ||
	    nla_put_u8(skb, TDMX_A_CHAN_TYPE, READ_ONCE(chan->type)) ||
	    nla_put_u8(skb, TDMX_A_CHAN_RX_ABCD, READ_ONCE(chan->rx_abcd)) ||
	    nla_put_u8(skb, TDMX_A_CHAN_TX_ABCD, READ_ONCE(chan->tx_abcd)) ||
	    nla_put_u8(skb, TDMX_A_CHAN_OPEN, min_t(unsigned int, open, U8_MAX)))
		return -EMSGSIZE;
	return 0;
}

/* Context: tdmx_lock held. */
static struct tdmx_chan *chan_lookup(struct genl_info *info)
{
	struct nlattr *attr = info->attrs[TDMX_A_CHAN_ID];
	struct tdmx_span *span;
	unsigned int no;

	span = tdmx_nl_span_lookup(info);
	if (IS_ERR(span))
		return ERR_CAST(span);
	if (GENL_REQ_ATTR_CHECK(info, TDMX_A_CHAN_ID)) {
		NL_SET_ERR_MSG(info->extack, "missing TDMX_A_CHAN_ID");
		return ERR_PTR(-EINVAL);
	}
	no = nla_get_u8(attr);
	if (no > span->nchans) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "TDMX_A_CHAN_ID: no such channel on the span's line");
		return ERR_PTR(-ERANGE);
	}
	return &span->chans[no];
}

/**
 * tdmx_nl_chan_get_doit() - TDMX_CMD_CHAN_GET do: one channel
 * @skb: the request
 * @info: its attributes: TDMX_A_SPAN_ID, TDMX_A_CHAN_ID (both required)
 *
 * Return: 0 or a negative errno (-ENODEV: no such span, -ERANGE: no such
 * channel on the span's line).
 */
int tdmx_nl_chan_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct tdmx_chan *chan;
	int ret;

	mutex_lock(&tdmx_lock);
	chan = chan_lookup(info);
	if (IS_ERR(chan))
		ret = PTR_ERR(chan);
	else
		ret = tdmx_nl_reply(info, chan_size(), chan_fill, chan);
	mutex_unlock(&tdmx_lock);
	return ret;
}

/*
 * The span whose channels come next: the one after the last span done, or
 * the one the request asked for.
 */
static struct tdmx_span *dump_next_span(const struct tdmx_nl_dump_ctx *ctx,
					u32 filter)
{
	if (!filter)
		return tdmx_span_next(ctx->span);
	if (ctx->span == filter)
		return NULL;
	return tdmx_span_get_by_id(filter);
}

static int dump_span_chans(struct sk_buff *skb, struct netlink_callback *cb,
			   struct tdmx_span *span)
{
	struct tdmx_nl_dump_ctx *ctx = tdmx_nl_dump_ctx(cb);
	unsigned int no;
	int ret;

	for (no = ctx->chan + 1; no <= span->nchans; no++) {
		ret = tdmx_nl_dump_one(skb, cb, chan_fill, &span->chans[no]);
		if (ret)
			return ret;
		ctx->chan = no;
	}
	ctx->span = span->id;
	ctx->chan = 0;
	return 0;
}

/**
 * tdmx_nl_chan_get_dumpit() - TDMX_CMD_CHAN_GET dump: every channel
 * @skb: the dump's message buffer
 * @cb: the dump; with TDMX_A_SPAN_ID, only that span's channels
 *
 * Takes tdmx_lock. Spans in id order, channels in timeslot order.
 *
 * Return: as tdmx_nl_dump_ret(); -ENODEV when the span asked for does
 * not exist.
 */
int tdmx_nl_chan_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nlattr *attr = genl_dumpit_info(cb)->attrs[TDMX_A_SPAN_ID];
	struct tdmx_nl_dump_ctx *ctx = tdmx_nl_dump_ctx(cb);
	u32 filter = attr ? nla_get_u32(attr) : 0;
	struct tdmx_span *span;
	int ret = 0;

	mutex_lock(&tdmx_lock);
	cb->seq = tdmx_generation();
	span = dump_next_span(ctx, filter);
	if (!span && filter && !ctx->span && !ctx->chan) {
		NL_SET_ERR_MSG_ATTR(cb->extack, attr,
				    "TDMX_A_SPAN_ID: no such span");
		ret = -ENODEV;
		goto out_unlock;
	}
	for (; span; span = dump_next_span(ctx, filter)) {
		ret = dump_span_chans(skb, cb, span);
		if (ret)
			break;
	}
	ret = tdmx_nl_dump_ret(skb, ret);
out_unlock:
	mutex_unlock(&tdmx_lock);
	return ret;
}

static int chan_set_type(struct tdmx_chan *chan, struct genl_info *info,
			 bool *mod)
{
	struct nlattr *attr = info->attrs[TDMX_A_CHAN_TYPE];
	int ret;

	if (!attr || nla_get_u8(attr) == chan->type)
		return 0;
	ret = tdmx_chan_set_type(chan, nla_get_u8(attr));
	if (ret == -EBUSY)
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "TDMX_A_CHAN_TYPE: the channel device is open");
	else if (ret)
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "TDMX_A_CHAN_TYPE: the channel cannot take this type");
	if (ret)
		return ret;
	/* a dump running across the change must see it */
	tdmx_generation_bump();
	*mod = true;
	return 0;
}

/* The tick sends it: E1 TS16 CAS (G.704 5.1.3) or T1 robbed bits. */
static void chan_set_tx_abcd(struct tdmx_chan *chan,
			     const struct nlattr *attr, bool *mod)
{
	struct tdmx_span *span = chan->span;
	u8 abcd;

	if (!attr)
		return;
	abcd = nla_get_u8(attr);
	spin_lock_bh(&span->lock);
	if (chan->tx_abcd != abcd) {
		WRITE_ONCE(chan->tx_abcd, abcd);
		*mod = true;
	}
	spin_unlock_bh(&span->lock);
}

/**
 * tdmx_nl_chan_set_doit() - TDMX_CMD_CHAN_SET: re-type a channel, set ABCD
 * @skb: the request
 * @info: its attributes: TDMX_A_SPAN_ID, TDMX_A_CHAN_ID (required),
 *	TDMX_A_CHAN_TYPE, TDMX_A_CHAN_TX_ABCD
 *
 * The type changes first; when it is refused nothing changes. A change
 * goes to the "monitor" group as TDMX_CMD_CHAN_NTF.
 *
 * Return: 0 or a negative errno (-EBUSY: the channel device is open).
 */
int tdmx_nl_chan_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct tdmx_chan *chan;
	bool mod = false;
	int ret;

	mutex_lock(&tdmx_lock);
	chan = chan_lookup(info);
	if (IS_ERR(chan)) {
		ret = PTR_ERR(chan);
		goto out_unlock;
	}
	ret = chan_set_type(chan, info, &mod);
	if (ret)
		goto out_unlock;
	chan_set_tx_abcd(chan, info->attrs[TDMX_A_CHAN_TX_ABCD], &mod);
	if (mod)
		tdmx_netlink_notify_chan(chan);
out_unlock:
	mutex_unlock(&tdmx_lock);
	return ret;
}

/**
 * tdmx_netlink_notify_chan() - send TDMX_CMD_CHAN_NTF to "monitor"
 * @chan: the channel that changed
 *
 * Carries what a TDMX_CMD_CHAN_GET reply carries.
 *
 * Context: process, tdmx_lock held.
 */
void tdmx_netlink_notify_chan(struct tdmx_chan *chan)
{
	lockdep_assert_held(&tdmx_lock);
	tdmx_nl_notify(TDMX_NL_MCGRP_MONITOR, TDMX_CMD_CHAN_NTF, chan_size(),
		       GFP_KERNEL, chan_fill, chan);
}
