/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * tdmx generic netlink: what netlink.c (the family and its operations)
 * shares with the per-message files nl_span.c, nl_chan.c, nl_vcard.c and
 * nl_counters.c. The messages themselves are the contract in
 * include/uapi/linux/tdmx.h and are described in Documentation/netlink.rst.
 *
 * Every object has a size function (the most its attributes take) and a
 * fill function (tdmx_nl_fill_fn) that puts them. The same fill serves the
 * GET reply, each message of a dump and the notification.
 */
#ifndef TDMX_KERNEL_NETLINK_H
#define TDMX_KERNEL_NETLINK_H

#include <net/genetlink.h>

#include "tdmx.h"

/* Indices in the family's mcgrps[], for genlmsg_multicast(). */
enum tdmx_nl_mcgrp {
	TDMX_NL_MCGRP_MONITOR,
	TDMX_NL_MCGRP_ALARM,
};

/* TDMX_A_GENERATION, put first by every GET reply and *_NTF but alarms */
#define TDMX_NL_GENERATION_SIZE	nla_total_size(sizeof(u32))

extern struct genl_family tdmx_nl_family;

/*
 * Puts the attributes of one object (a span, a channel, a card...) into a
 * message whose header is already there. Returns 0 or -EMSGSIZE.
 */
typedef int (*tdmx_nl_fill_fn)(struct sk_buff *skb, void *obj);

/**
 * struct tdmx_nl_dump_ctx - where a dump stopped, kept in cb->ctx
 * @span: id of the last span dumped whole, 0 = none yet
 * @chan: channel dump: last channel dumped of the span after @span
 * @card: card dump: id of the last card dumped, 0 = none yet
 */
struct tdmx_nl_dump_ctx {
	u32 span;
	u32 chan;
	u32 card;
};

static inline struct tdmx_nl_dump_ctx *
tdmx_nl_dump_ctx(struct netlink_callback *cb)
{
	BUILD_BUG_ON(sizeof(struct tdmx_nl_dump_ctx) > sizeof(cb->ctx));
	return (struct tdmx_nl_dump_ctx *)cb->ctx;
}

static inline int tdmx_nl_put_generation(struct sk_buff *skb)
{
	return nla_put_u32(skb, TDMX_A_GENERATION, tdmx_generation());
}

/* netlink.c */
extern const struct nla_policy tdmx_nl_span_id_policy[TDMX_A_SPAN_ID + 1];
struct tdmx_span *tdmx_nl_span_lookup(struct genl_info *info);
struct sk_buff *tdmx_nl_reply_new(struct genl_info *info, size_t size,
				  void **hdr);
int tdmx_nl_reply(struct genl_info *info, size_t size, tdmx_nl_fill_fn fill,
		  void *obj);
int tdmx_nl_reply_span(struct genl_info *info, size_t size,
		       tdmx_nl_fill_fn fill);
int tdmx_nl_dump_one(struct sk_buff *skb, struct netlink_callback *cb,
		     tdmx_nl_fill_fn fill, void *obj);
int tdmx_nl_dump_ret(struct sk_buff *skb, int ret);
int tdmx_nl_dump_spans(struct sk_buff *skb, struct netlink_callback *cb,
		       tdmx_nl_fill_fn fill);
void tdmx_nl_notify(unsigned int group, u8 cmd, size_t size, gfp_t gfp,
		    tdmx_nl_fill_fn fill, void *obj);

/* nl_span.c */
extern const struct nla_policy
tdmx_nl_span_set_policy[TDMX_A_SPAN_BLOCK_MS + 1];
int tdmx_nl_span_get_doit(struct sk_buff *skb, struct genl_info *info);
int tdmx_nl_span_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int tdmx_nl_span_set_doit(struct sk_buff *skb, struct genl_info *info);

/* nl_chan.c */
extern const struct nla_policy tdmx_nl_chan_get_policy[TDMX_A_CHAN_ID + 1];
extern const struct nla_policy
tdmx_nl_chan_set_policy[TDMX_A_CHAN_TX_ABCD + 1];
int tdmx_nl_chan_get_doit(struct sk_buff *skb, struct genl_info *info);
int tdmx_nl_chan_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int tdmx_nl_chan_set_doit(struct sk_buff *skb, struct genl_info *info);

/* nl_vcard.c */
extern const struct nla_policy
tdmx_nl_vcard_new_policy[TDMX_A_VCARD_LINE + 1];
extern const struct nla_policy tdmx_nl_vcard_del_policy[TDMX_A_VCARD_ID + 1];
extern const struct nla_policy
tdmx_nl_fault_set_policy[TDMX_A_FAULT_CLOCK_PPM + 1];
int tdmx_nl_vcard_new_doit(struct sk_buff *skb, struct genl_info *info);
int tdmx_nl_vcard_del_doit(struct sk_buff *skb, struct genl_info *info);
int tdmx_nl_vcard_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int tdmx_nl_fault_set_doit(struct sk_buff *skb, struct genl_info *info);

/* nl_counters.c */
int tdmx_nl_counters_get_doit(struct sk_buff *skb, struct genl_info *info);
int tdmx_nl_counters_get_dumpit(struct sk_buff *skb,
				struct netlink_callback *cb);
int tdmx_nl_counters_reset_doit(struct sk_buff *skb, struct genl_info *info);

#endif /* TDMX_KERNEL_NETLINK_H */
