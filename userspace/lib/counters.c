// SPDX-License-Identifier: GPL-2.0-or-later
/* Counters (TDMX_CMD_COUNTERS_GET, _RESET) and fault injection (FAULT_SET). */
#include <errno.h>
#include <string.h>

#include "libtdmx_priv.h"

/**
 * tdmx_counters_parse() - the counters of a span from a COUNTERS_GET reply
 * @nlh: the message
 * @c: result; bit n of @c->fields is set when counter n was present
 *
 * Return: 0, or -EBADMSG (bad attribute, no TDMX_A_SPAN_ID or COUNTERS).
 */
int tdmx_counters_parse(const struct nlmsghdr *nlh, struct tdmx_counters *c)
{
	struct nla_policy policy[TDMX_A_CNT_MAX + 1];
	struct nlattr *tb[TDMX_A_MAX + 1], *tbc[TDMX_A_CNT_MAX + 1];
	unsigned int i;
	int ret;

	memset(c, 0, sizeof(*c));
	ret = tdmx_attrs(nlh, tb);
	if (ret)
		return ret;
	if (!tb[TDMX_A_SPAN_ID] || !tb[TDMX_A_COUNTERS])
		return -EBADMSG;
	c->span = nla_get_u32(tb[TDMX_A_SPAN_ID]);
	memset(policy, 0, sizeof(policy));
	for (i = TDMX_A_CNT_FRAMES; i <= TDMX_A_CNT_MAX; i++)
		policy[i].type = NLA_U64;
	if (nla_parse_nested(tbc, TDMX_A_CNT_MAX, tb[TDMX_A_COUNTERS], policy) < 0)
		return -EBADMSG;
	for (i = TDMX_A_CNT_FRAMES; i <= TDMX_A_CNT_MAX; i++) {
		if (!tbc[i])
			continue;
		c->v[i] = nla_get_u64(tbc[i]);
		c->fields |= 1u << i;
	}
	return 0;
}

static int counters_reply(const struct nlmsghdr *nlh, void *arg)
{
	return tdmx_counters_parse(nlh, arg);
}

/**
 * tdmx_counters_get() - the counters of one span
 * @h: handle
 * @span: span number
 * @c: result
 *
 * Return: 0, -EBADMSG when the kernel acked without counters, or a negative
 * errno (the kernel's, with tdmx_ext_ack()).
 */
int tdmx_counters_get(struct tdmx *h, uint32_t span, struct tdmx_counters *c)
{
	int ret;

	memset(c, 0, sizeof(*c));
	ret = tdmx_request(h, tdmx_msg_span(h, TDMX_CMD_COUNTERS_GET, span), counters_reply, c);
	if (!ret && !c->span)
		ret = -EBADMSG;
	return ret;
}

/**
 * tdmx_counters_dump() - the counters of every span
 * @h: handle
 * @cb: called for each span after the whole dump arrived; a non-zero
 *	return stops the walk and is returned
 * @arg: passed to @cb
 *
 * Return: as tdmx_span_dump().
 */
int tdmx_counters_dump(struct tdmx *h, tdmx_counters_cb cb, void *arg)
{
	struct tdmx_vec v = { .size = sizeof(struct tdmx_counters) };
	const struct tdmx_counters *c;
	size_t i;
	int ret;

	ret = tdmx_dump(h, TDMX_CMD_COUNTERS_GET, 0, counters_reply, &v);
	c = v.data;
	for (i = 0; !ret && i < v.n; i++)
		ret = cb(&c[i], arg);
	tdmx_vec_free(&v);
	return ret;
}

/**
 * tdmx_counters_reset() - zero the counters of one span or of all
 * @h: handle
 * @span: span number, 0 for all spans
 *
 * Return: 0 or a negative errno (the kernel's, with tdmx_ext_ack()).
 */
int tdmx_counters_reset(struct tdmx *h, uint32_t span)
{
	return tdmx_request(h, tdmx_msg_span(h, TDMX_CMD_COUNTERS_RESET, span), NULL, NULL);
}

static int fault_put(struct nl_msg *msg, const struct tdmx_fault *f)
{
	const struct {
		uint32_t field;
		uint8_t attr;
		const uint8_t *val;
	} u8s[] = {
		{ TDMX_FAULT_F_LOS, TDMX_A_FAULT_LOS, &f->los },
		{ TDMX_FAULT_F_AIS, TDMX_A_FAULT_AIS, &f->ais },
		{ TDMX_FAULT_F_NOCRC4, TDMX_A_FAULT_NOCRC4, &f->nocrc4 },
		{ TDMX_FAULT_F_RAI, TDMX_A_FAULT_RAI, &f->rai },
	};
	size_t i;

	if ((f->fields & TDMX_FAULT_F_BER) && nla_put_u32(msg, TDMX_A_FAULT_BER, f->ber))
		return -ENOMEM;
	if ((f->fields & TDMX_FAULT_F_BURST) && nla_put_u32(msg, TDMX_A_FAULT_BURST, f->burst))
		return -ENOMEM;
	if ((f->fields & TDMX_FAULT_F_SLIP) && nla_put_flag(msg, TDMX_A_FAULT_SLIP))
		return -ENOMEM;
	for (i = 0; i < sizeof(u8s) / sizeof(u8s[0]); i++)
		if ((f->fields & u8s[i].field) && nla_put_u8(msg, u8s[i].attr, *u8s[i].val))
			return -ENOMEM;
	if ((f->fields & TDMX_FAULT_F_CLOCK_PPM) &&
	    nla_put_s32(msg, TDMX_A_FAULT_CLOCK_PPM, f->clock_ppm))
		return -ENOMEM;
	return 0;
}

/**
 * tdmx_fault_set() - inject faults into a span's transmitted line
 * @h: handle
 * @span: span number
 * @f: the faults: the members in @f->fields are sent
 *
 * Return: 0, -EINVAL when @f sets nothing, or a negative errno (the
 * kernel's, with tdmx_ext_ack()).
 */
int tdmx_fault_set(struct tdmx *h, uint32_t span, const struct tdmx_fault *f)
{
	struct nl_msg *msg;

	if (!f->fields) {
		tdmx_set_ext_ack(h, "nothing to set");
		return -EINVAL;
	}
	msg = tdmx_msg_span(h, TDMX_CMD_FAULT_SET, span);
	if (msg && fault_put(msg, f)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return tdmx_request(h, msg, NULL, NULL);
}
