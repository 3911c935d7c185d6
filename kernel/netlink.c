// SPDX-License-Identifier: GPL-2.0-only
/*
 * The "tdmx" generic netlink family: its operations, its multicast groups
 * and what the per-message files share (span lookup, replies, dumps,
 * notifications). The messages are in nl_span.c, nl_chan.c, nl_vcard.c
 * and nl_counters.c.
 *
 * The family is not parallel: genetlink serialises our doit and dumpit
 * calls. We still take tdmx_lock around every lookup and every use of a
 * span or card, because cards, channel devices and module unload change
 * them outside netlink.
 */
#include <linux/module.h>

#include "netlink.h"

const struct nla_policy tdmx_nl_span_id_policy[TDMX_A_SPAN_ID + 1] = {
	[TDMX_A_SPAN_ID]	= { .type = NLA_U32 },
};

static const struct genl_ops tdmx_nl_ops[] = {
	{
		.cmd	= TDMX_CMD_SPAN_GET,
		.doit	= tdmx_nl_span_get_doit,
		.dumpit	= tdmx_nl_span_get_dumpit,
		.policy	= tdmx_nl_span_id_policy,
		.maxattr = ARRAY_SIZE(tdmx_nl_span_id_policy) - 1,
	},
	{
		.cmd	= TDMX_CMD_SPAN_SET,
		.flags	= GENL_ADMIN_PERM,
		.doit	= tdmx_nl_span_set_doit,
		.policy	= tdmx_nl_span_set_policy,
		.maxattr = ARRAY_SIZE(tdmx_nl_span_set_policy) - 1,
	},
	{
		.cmd	= TDMX_CMD_CHAN_GET,
		.doit	= tdmx_nl_chan_get_doit,
		.dumpit	= tdmx_nl_chan_get_dumpit,
		.policy	= tdmx_nl_chan_get_policy,
		.maxattr = ARRAY_SIZE(tdmx_nl_chan_get_policy) - 1,
	},
	{
		.cmd	= TDMX_CMD_CHAN_SET,
		.flags	= GENL_ADMIN_PERM,
		.doit	= tdmx_nl_chan_set_doit,
		.policy	= tdmx_nl_chan_set_policy,
		.maxattr = ARRAY_SIZE(tdmx_nl_chan_set_policy) - 1,
	},
	{
		.cmd	= TDMX_CMD_VCARD_NEW,
		.flags	= GENL_ADMIN_PERM,
		.doit	= tdmx_nl_vcard_new_doit,
		.policy	= tdmx_nl_vcard_new_policy,
		.maxattr = ARRAY_SIZE(tdmx_nl_vcard_new_policy) - 1,
	},
	{
		.cmd	= TDMX_CMD_VCARD_DEL,
		.flags	= GENL_ADMIN_PERM,
		.doit	= tdmx_nl_vcard_del_doit,
		.policy	= tdmx_nl_vcard_del_policy,
		.maxattr = ARRAY_SIZE(tdmx_nl_vcard_del_policy) - 1,
	},
	{
		/* no policy: genetlink rejects every attribute */
		.cmd	= TDMX_CMD_VCARD_GET,
		.dumpit	= tdmx_nl_vcard_get_dumpit,
	},
	{
		.cmd	= TDMX_CMD_FAULT_SET,
		.flags	= GENL_ADMIN_PERM,
		.doit	= tdmx_nl_fault_set_doit,
		.policy	= tdmx_nl_fault_set_policy,
		.maxattr = ARRAY_SIZE(tdmx_nl_fault_set_policy) - 1,
	},
	{
		.cmd	= TDMX_CMD_COUNTERS_GET,
		.doit	= tdmx_nl_counters_get_doit,
		.dumpit	= tdmx_nl_counters_get_dumpit,
		.policy	= tdmx_nl_span_id_policy,
		.maxattr = ARRAY_SIZE(tdmx_nl_span_id_policy) - 1,
	},
	{
		.cmd	= TDMX_CMD_COUNTERS_RESET,
		.flags	= GENL_ADMIN_PERM,
		.doit	= tdmx_nl_counters_reset_doit,
		.policy	= tdmx_nl_span_id_policy,
		.maxattr = ARRAY_SIZE(tdmx_nl_span_id_policy) - 1,
	},
};

static const struct genl_multicast_group tdmx_nl_mcgrps[] = {
	[TDMX_NL_MCGRP_MONITOR]	= { .name = TDMX_MCGRP_MONITOR },
	[TDMX_NL_MCGRP_ALARM]	= { .name = TDMX_MCGRP_ALARM },
};

/*
 * resv_start_op is left at 0, so every command is at or after it: the core
 * checks the reserved genlmsghdr field and the netlink flags, rejects
 * attributes an operation's policy does not list, and rejects every
 * attribute of an operation without a policy. No op sets .validate.
 */
struct genl_family tdmx_nl_family __ro_after_init = {
	.name		= TDMX_GENL_NAME,
	.version	= TDMX_GENL_VERSION,
	.module		= THIS_MODULE,
	.netnsok	= false,
	.parallel_ops	= false,
	.ops		= tdmx_nl_ops,
	.n_ops		= ARRAY_SIZE(tdmx_nl_ops),
	.mcgrps		= tdmx_nl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(tdmx_nl_mcgrps),
};

/**
 * tdmx_nl_span_lookup() - the span a request names in TDMX_A_SPAN_ID
 * @info: the request; its policy must list TDMX_A_SPAN_ID
 *
 * Context: tdmx_lock held; the span stays valid until it is dropped.
 * Return: the span, ERR_PTR(-EINVAL) when the attribute is missing or
 * ERR_PTR(-ENODEV) when no span has that id, with an extack message.
 */
struct tdmx_span *tdmx_nl_span_lookup(struct genl_info *info)
{
	struct nlattr *attr = info->attrs[TDMX_A_SPAN_ID];
	struct tdmx_span *span;

	lockdep_assert_held(&tdmx_lock);
	if (GENL_REQ_ATTR_CHECK(info, TDMX_A_SPAN_ID)) {
		NL_SET_ERR_MSG(info->extack, "missing TDMX_A_SPAN_ID");
		return ERR_PTR(-EINVAL);
	}
	span = tdmx_span_get_by_id(nla_get_u32(attr));
	if (!span) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "TDMX_A_SPAN_ID: no such span");
		return ERR_PTR(-ENODEV);
	}
	return span;
}

/**
 * tdmx_nl_reply_new() - allocate a reply to a request, header included
 * @info: the request; the reply carries the same command
 * @size: room for the attributes
 * @hdr: the genetlink header, for genlmsg_end()
 *
 * Return: the message, or NULL when out of memory.
 */
struct sk_buff *tdmx_nl_reply_new(struct genl_info *info, size_t size,
				  void **hdr)
{
	struct sk_buff *msg;

	msg = genlmsg_new(size, GFP_KERNEL);
	if (!msg)
		return NULL;
	*hdr = genlmsg_put_reply(msg, info, &tdmx_nl_family, 0,
				 info->genlhdr->cmd);
	if (!*hdr) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

/**
 * tdmx_nl_reply() - answer a request with one object
 * @info: the request
 * @size: the most the object's attributes take
 * @fill: puts the object's attributes
 * @obj: the object
 *
 * Return: 0 or a negative errno.
 */
int tdmx_nl_reply(struct genl_info *info, size_t size, tdmx_nl_fill_fn fill,
		  void *obj)
{
	struct sk_buff *msg;
	void *hdr;
	int ret;

	msg = tdmx_nl_reply_new(info, size, &hdr);
	if (!msg)
		return -ENOMEM;
	ret = fill(msg, obj);
	if (WARN_ON_ONCE(ret))	/* @size is too small */
		goto err_fill;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_fill:
	nlmsg_free(msg);
	return ret;
}

/**
 * tdmx_nl_reply_span() - answer a request with the span it names
 * @info: the request, with TDMX_A_SPAN_ID
 * @size: the most @fill puts
 * @fill: puts a span's attributes (struct tdmx_span *)
 *
 * Takes tdmx_lock.
 *
 * Return: 0 or a negative errno, with an extack message for a bad span.
 */
int tdmx_nl_reply_span(struct genl_info *info, size_t size,
		       tdmx_nl_fill_fn fill)
{
	struct tdmx_span *span;
	int ret;

	mutex_lock(&tdmx_lock);
	span = tdmx_nl_span_lookup(info);
	if (IS_ERR(span))
		ret = PTR_ERR(span);
	else
		ret = tdmx_nl_reply(info, size, fill, span);
	mutex_unlock(&tdmx_lock);
	return ret;
}

/**
 * tdmx_nl_dump_one() - add one object to a dump
 * @skb: the dump's message buffer
 * @cb: the dump; cb->seq must hold the generation the object was read at
 * @fill: puts the object's attributes
 * @obj: the object
 *
 * The message carries the dump's command and NLM_F_DUMP_INTR when the
 * generation changed since the previous part of the dump.
 *
 * Return: 0, or -EMSGSIZE when @skb is full (nothing of @obj was added).
 */
int tdmx_nl_dump_one(struct sk_buff *skb, struct netlink_callback *cb,
		     tdmx_nl_fill_fn fill, void *obj)
{
	void *hdr;
	int ret;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &tdmx_nl_family, NLM_F_MULTI,
			  genl_dumpit_info(cb)->op.cmd);
	if (!hdr)
		return -EMSGSIZE;
	genl_dump_check_consistent(cb, hdr);
	ret = fill(skb, obj);
	if (ret) {
		genlmsg_cancel(skb, hdr);
		return ret;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/**
 * tdmx_nl_dump_ret() - what a dumpit callback returns
 * @skb: the dump's message buffer
 * @ret: 0 when the dump got to its end, or why it stopped
 *
 * Return: the bytes in @skb so that the core calls again (once more after
 * the end, to find nothing and finish), or @ret when not even one object
 * fitted in an empty buffer.
 */
int tdmx_nl_dump_ret(struct sk_buff *skb, int ret)
{
	if (ret && !skb->len)
		return ret;
	return skb->len;
}

/**
 * tdmx_nl_dump_spans() - dump every span, one message each, in id order
 * @skb: the dump's message buffer
 * @cb: the dump
 * @fill: puts a span's attributes (struct tdmx_span *)
 *
 * Takes tdmx_lock. The position is the id of the last span sent, so spans
 * created or removed between parts do not shift the others; the
 * generation check flags such a dump.
 *
 * Return: as tdmx_nl_dump_ret().
 */
int tdmx_nl_dump_spans(struct sk_buff *skb, struct netlink_callback *cb,
		       tdmx_nl_fill_fn fill)
{
	struct tdmx_nl_dump_ctx *ctx = tdmx_nl_dump_ctx(cb);
	struct tdmx_span *span;
	int ret = 0;

	mutex_lock(&tdmx_lock);
	cb->seq = tdmx_generation();
	for (span = tdmx_span_next(ctx->span); span;
	     span = tdmx_span_next(span->id)) {
		ret = tdmx_nl_dump_one(skb, cb, fill, span);
		if (ret)
			break;
		ctx->span = span->id;
	}
	mutex_unlock(&tdmx_lock);
	return tdmx_nl_dump_ret(skb, ret);
}

/**
 * tdmx_nl_notify() - send one object to a multicast group
 * @group: TDMX_NL_MCGRP_*
 * @cmd: TDMX_CMD_*_NTF
 * @size: the most @fill puts
 * @gfp: GFP_KERNEL, or GFP_ATOMIC from the tick
 * @fill: puts the object's attributes
 * @obj: the object
 *
 * Does nothing when nobody listens to @group. A notification that cannot
 * be allocated is dropped: listeners see it as a gap, as with a full
 * socket buffer.
 *
 * Context: any, with a @gfp that suits it.
 */
void tdmx_nl_notify(unsigned int group, u8 cmd, size_t size, gfp_t gfp,
		    tdmx_nl_fill_fn fill, void *obj)
{
	struct sk_buff *msg;
	void *hdr;

	if (!genl_has_listeners(&tdmx_nl_family, &init_net, group))
		return;
	msg = genlmsg_new(size, gfp);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &tdmx_nl_family, 0, cmd);
	if (!hdr)
		goto err_put;
	if (WARN_ON_ONCE(fill(msg, obj)))	/* @size is too small */
		goto err_put;
	genlmsg_end(msg, hdr);
	genlmsg_multicast(&tdmx_nl_family, msg, 0, group, gfp);
	return;

err_put:
	nlmsg_free(msg);
}

/**
 * tdmx_netlink_init() - register the "tdmx" generic netlink family
 *
 * Context: module init, before the first card can appear and before
 * anything may call the tdmx_netlink_notify_*() functions.
 *
 * Return: 0 or a negative errno from genl_register_family().
 */
int __init tdmx_netlink_init(void)
{
	return genl_register_family(&tdmx_nl_family);
}

/**
 * tdmx_netlink_exit() - unregister the family
 *
 * Context: module exit (or init unwinding), after the last card is gone
 * and no span tick runs any more: nothing may notify once it returns.
 */
void tdmx_netlink_exit(void)
{
	genl_unregister_family(&tdmx_nl_family);
}
