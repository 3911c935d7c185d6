// SPDX-License-Identifier: GPL-2.0-only
/*
 * Virtual card messages: TDMX_CMD_VCARD_NEW, TDMX_CMD_VCARD_DEL,
 * TDMX_CMD_VCARD_GET, TDMX_CMD_VCARD_NTF, and TDMX_CMD_FAULT_SET, the
 * faults a vcard puts on a span's transmitted line.
 */
#include "netlink.h"

const struct nla_policy tdmx_nl_vcard_new_policy[TDMX_A_VCARD_LINE + 1] = {
	[TDMX_A_VCARD_TYPE]	= NLA_POLICY_RANGE(NLA_U8, TDMX_VCARD_LOOP,
						   TDMX_VCARD_TAP),
	[TDMX_A_VCARD_LINE]	= NLA_POLICY_RANGE(NLA_U8, TDMX_LINE_E1,
						   TDMX_LINE_T1),
};

const struct nla_policy tdmx_nl_vcard_del_policy[TDMX_A_VCARD_ID + 1] = {
	[TDMX_A_VCARD_ID]	= { .type = NLA_U32 },
};

/* Not const: the 6.1 nla_policy points at them without const. */
static struct netlink_range_validation tdmx_nl_fault_ber_range = {
	.max	= 1000000000,
};

static struct netlink_range_validation tdmx_nl_fault_burst_range = {
	.min	= 1,
	.max	= 65536,
};

const struct nla_policy
tdmx_nl_fault_set_policy[TDMX_A_FAULT_CLOCK_PPM + 1] = {
	[TDMX_A_SPAN_ID]	= { .type = NLA_U32 },
	[TDMX_A_FAULT_BER]	= NLA_POLICY_FULL_RANGE(NLA_U32,
							&tdmx_nl_fault_ber_range),
	[TDMX_A_FAULT_BURST]	= NLA_POLICY_FULL_RANGE(NLA_U32,
							&tdmx_nl_fault_burst_range),
	[TDMX_A_FAULT_SLIP]	= { .type = NLA_FLAG },
	[TDMX_A_FAULT_LOS]	= NLA_POLICY_MAX(NLA_U8, 1),
	[TDMX_A_FAULT_AIS]	= NLA_POLICY_MAX(NLA_U8, 1),
	[TDMX_A_FAULT_NOCRC4]	= NLA_POLICY_MAX(NLA_U8, 1),
	[TDMX_A_FAULT_RAI]	= NLA_POLICY_MAX(NLA_U8, 1),
	[TDMX_A_FAULT_CLOCK_PPM] = NLA_POLICY_RANGE(NLA_S32, -1000, 1000),
};

static size_t vcard_size(void)
{
	return TDMX_NL_GENERATION_SIZE +
	       nla_total_size(sizeof(u32)) +		/* VCARD_ID */
	       nla_total_size(sizeof(u8)) * 2 +		/* VCARD_TYPE, LINE */
	       nla_total_size(sizeof(u32)) *		/* SPAN_ID each */
	       ARRAY_SIZE(((struct tdmx_card *)NULL)->spans);
}

/* The uapi defines the kinds by their spans: loop two, tap one. */
static u8 vcard_type(const struct tdmx_card *card)
{
	return card->nspans == 2 ? TDMX_VCARD_LOOP : TDMX_VCARD_TAP;
}

static int vcard_fill(struct sk_buff *skb, void *obj)
{
	const struct tdmx_card *card = obj;
	unsigned int i;

	if (tdmx_nl_put_generation(skb) ||
	    nla_put_u32(skb, TDMX_A_VCARD_ID, card->id) ||
	    nla_put_u8(skb, TDMX_A_VCARD_TYPE, vcard_type(card)) ||
	    nla_put_u8(skb, TDMX_A_VCARD_LINE, card->spans[0]->line))
		return -EMSGSIZE;
	for (i = 0; i < card->nspans; i++) {
		if (nla_put_u32(skb, TDMX_A_SPAN_ID, card->spans[i]->id))
			return -EMSGSIZE;
	}
	return 0;
}

/* A deleted card: its id alone. */
static int vcard_gone_fill(struct sk_buff *skb, void *obj)
{
	const u32 *id = obj;

	if (tdmx_nl_put_generation(skb) ||
	    nla_put_u32(skb, TDMX_A_VCARD_ID, *id))
		return -EMSGSIZE;
	return 0;
}

/* The card first, then its spans: the spans name the card. */
static void vcard_notify_new(struct tdmx_card *card)
{
	unsigned int i;

	tdmx_nl_notify(TDMX_NL_MCGRP_MONITOR, TDMX_CMD_VCARD_NTF, vcard_size(),
		       GFP_KERNEL, vcard_fill, card);
	for (i = 0; i < card->nspans; i++)
		tdmx_netlink_notify_span(card->spans[i]);
}

static int vcard_new_check(struct genl_info *info)
{
	if (GENL_REQ_ATTR_CHECK(info, TDMX_A_VCARD_TYPE)) {
		NL_SET_ERR_MSG(info->extack, "missing TDMX_A_VCARD_TYPE");
		return -EINVAL;
	}
	if (GENL_REQ_ATTR_CHECK(info, TDMX_A_VCARD_LINE)) {
		NL_SET_ERR_MSG(info->extack, "missing TDMX_A_VCARD_LINE");
		return -EINVAL;
	}
	return 0;
}

/**
 * tdmx_nl_vcard_new_doit() - TDMX_CMD_VCARD_NEW: create a virtual card
 * @skb: the request
 * @info: its attributes: TDMX_A_VCARD_TYPE, TDMX_A_VCARD_LINE (required)
 *
 * The reply is allocated first, so that once the card exists the request
 * cannot fail. The reply carries what TDMX_CMD_VCARD_GET does; the card
 * and then each of its spans go to the "monitor" group.
 *
 * Return: 0 or a negative errno.
 */
int tdmx_nl_vcard_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct tdmx_card *card;
	struct sk_buff *msg;
	void *hdr;
	int ret;

	ret = vcard_new_check(info);
	if (ret)
		return ret;
	msg = tdmx_nl_reply_new(info, vcard_size(), &hdr);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&tdmx_lock);
	ret = tdmx_vcard_new(nla_get_u8(info->attrs[TDMX_A_VCARD_TYPE]),
			     nla_get_u8(info->attrs[TDMX_A_VCARD_LINE]), &card);
	if (ret) {
		NL_SET_ERR_MSG(info->extack, "cannot create the card");
		goto err_new;
	}
	ret = vcard_fill(msg, card);
	if (WARN_ON_ONCE(ret))	/* vcard_size() is too small */
		goto err_fill;
	vcard_notify_new(card);
	mutex_unlock(&tdmx_lock);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_fill:
	tdmx_vcard_del(card->id);
err_new:
	mutex_unlock(&tdmx_lock);
	nlmsg_free(msg);
	return ret;
}

/**
 * tdmx_nl_vcard_del_doit() - TDMX_CMD_VCARD_DEL: remove a virtual card
 * @skb: the request
 * @info: its attributes: TDMX_A_VCARD_ID (required)
 *
 * The card and its spans go; a TDMX_CMD_VCARD_NTF with only the card's id
 * goes to the "monitor" group.
 *
 * Return: 0, -ENOENT (no such card), -EBUSY (one of its devices is open)
 * or another negative errno.
 */
int tdmx_nl_vcard_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *attr = info->attrs[TDMX_A_VCARD_ID];
	u32 id;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, TDMX_A_VCARD_ID)) {
		NL_SET_ERR_MSG(info->extack, "missing TDMX_A_VCARD_ID");
		return -EINVAL;
	}
	id = nla_get_u32(attr);
	mutex_lock(&tdmx_lock);
	ret = tdmx_vcard_del(id);
	if (ret == -ENOENT)
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "TDMX_A_VCARD_ID: no such card");
	else if (ret == -EBUSY)
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "TDMX_A_VCARD_ID: a device of the card is open");
	else if (ret)
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "TDMX_A_VCARD_ID: cannot delete the card");
	else
		tdmx_nl_notify(TDMX_NL_MCGRP_MONITOR, TDMX_CMD_VCARD_NTF,
			       vcard_size(), GFP_KERNEL, vcard_gone_fill, &id);
	mutex_unlock(&tdmx_lock);
	return ret;
}

/**
 * tdmx_nl_vcard_get_dumpit() - TDMX_CMD_VCARD_GET dump: every card
 * @skb: the dump's message buffer
 * @cb: the dump
 *
 * Takes tdmx_lock. Cards in id order.
 *
 * Return: as tdmx_nl_dump_ret().
 */
int tdmx_nl_vcard_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct tdmx_nl_dump_ctx *ctx = tdmx_nl_dump_ctx(cb);
	struct tdmx_card *card;
	int ret = 0;

	mutex_lock(&tdmx_lock);
	cb->seq = tdmx_generation();
	for (card = tdmx_card_next(ctx->card); card;
	     card = tdmx_card_next(card->id)) {
		ret = tdmx_nl_dump_one(skb, cb, vcard_fill, card);
		if (ret)
			break;
		ctx->card = card->id;
	}
	mutex_unlock(&tdmx_lock);
	return tdmx_nl_dump_ret(skb, ret);
}

static void fault_bool(const struct nlattr *attr, bool *dst, u32 flag,
		       u32 *mask)
{
	if (!attr)
		return;
	*dst = nla_get_u8(attr);
	*mask |= flag;
}

static u32 fault_parse(struct nlattr **tb, struct tdmx_fault *f)
{
	u32 mask = 0;

	if (tb[TDMX_A_FAULT_BER]) {
		f->ber = nla_get_u32(tb[TDMX_A_FAULT_BER]);
		mask |= TDMX_FAULT_F_BER;
	}
	if (tb[TDMX_A_FAULT_BURST]) {
		f->burst = nla_get_u32(tb[TDMX_A_FAULT_BURST]);
		mask |= TDMX_FAULT_F_BURST;
	}
	if (nla_get_flag(tb[TDMX_A_FAULT_SLIP])) {
		f->slip = true;
		mask |= TDMX_FAULT_F_SLIP;
	}
	fault_bool(tb[TDMX_A_FAULT_LOS], &f->los, TDMX_FAULT_F_LOS, &mask);
	fault_bool(tb[TDMX_A_FAULT_AIS], &f->ais, TDMX_FAULT_F_AIS, &mask);
	fault_bool(tb[TDMX_A_FAULT_NOCRC4], &f->nocrc4, TDMX_FAULT_F_NOCRC4,
		   &mask);
	fault_bool(tb[TDMX_A_FAULT_RAI], &f->rai, TDMX_FAULT_F_RAI, &mask);
	if (tb[TDMX_A_FAULT_CLOCK_PPM]) {
		f->clock_ppm = nla_get_s32(tb[TDMX_A_FAULT_CLOCK_PPM]);
		mask |= TDMX_FAULT_F_PPM;
	}
	return mask;
}

/* CRC-4 is E1's (G.704 2.3.3): a T1 line has none to leave out. */
static int fault_check(const struct tdmx_span *span,
		       const struct tdmx_fault *f, u32 mask,
		       struct genl_info *info)
{
	if ((mask & TDMX_FAULT_F_NOCRC4) && f->nocrc4 &&
	    span->line != TDMX_LINE_E1) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[TDMX_A_FAULT_NOCRC4],
				    "TDMX_A_FAULT_NOCRC4: the span is not E1");
		return -EINVAL;
	}
	return 0;
}

static void fault_set_error(struct genl_info *info, int ret)
{
	struct nlattr *attr = info->attrs[TDMX_A_SPAN_ID];

	if (ret == -EOPNOTSUPP)
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "TDMX_A_SPAN_ID: the span's card takes no faults");
	else
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "TDMX_A_SPAN_ID: the span's card refused the faults");
}

/**
 * tdmx_nl_fault_set_doit() - TDMX_CMD_FAULT_SET: damage a transmitted line
 * @skb: the request
 * @info: its attributes: TDMX_A_SPAN_ID (required) and any TDMX_A_FAULT_*
 *
 * Faults not given stay as they are. TDMX_A_FAULT_CLOCK_PPM shows in
 * TDMX_A_SPAN_CLOCK_PPM, so changing it sends TDMX_CMD_SPAN_NTF.
 *
 * Return: 0 or a negative errno, with an extack message.
 */
int tdmx_nl_fault_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct tdmx_fault f = {};
	struct tdmx_span *span;
	s32 ppm;
	u32 mask;
	int ret;

	mask = fault_parse(info->attrs, &f);
	mutex_lock(&tdmx_lock);
	span = tdmx_nl_span_lookup(info);
	if (IS_ERR(span)) {
		ret = PTR_ERR(span);
		goto out_unlock;
	}
	ret = fault_check(span, &f, mask, info);
	if (ret || !mask)
		goto out_unlock;
	ppm = READ_ONCE(span->clock_ppm);
	ret = tdmx_vcard_fault_set(span, &f, mask);
	if (ret) {
		fault_set_error(info, ret);
		goto out_unlock;
	}
	if (READ_ONCE(span->clock_ppm) != ppm)
		tdmx_netlink_notify_span(span);
out_unlock:
	mutex_unlock(&tdmx_lock);
	return ret;
}
