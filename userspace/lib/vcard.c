// SPDX-License-Identifier: GPL-2.0-or-later
/* Virtual cards: TDMX_CMD_VCARD_NEW, _DEL, _GET (dump), VCARD_NTF parsing. */
#include <errno.h>
#include <string.h>

#include "libtdmx_priv.h"

/**
 * tdmx_vcard_parse() - a card from a VCARD_NEW reply, a VCARD_GET reply or
 *	a VCARD_NTF
 * @nlh: the message
 * @v: result; @v->spans lists every TDMX_A_SPAN_ID, in message order
 *
 * Return: 0, or -EBADMSG (bad attribute, no TDMX_A_VCARD_ID, or more than
 * TDMX_VCARD_MAX_SPANS spans).
 */
int tdmx_vcard_parse(const struct nlmsghdr *nlh, struct tdmx_vcard *v)
{
	struct nlattr *tb[TDMX_A_MAX + 1], *a;
	const struct genlmsghdr *g;
	int ret, rem;

	memset(v, 0, sizeof(*v));
	ret = tdmx_attrs(nlh, tb);
	if (ret)
		return ret;
	if (!tb[TDMX_A_VCARD_ID])
		return -EBADMSG;
	v->id = nla_get_u32(tb[TDMX_A_VCARD_ID]);
	if (tb[TDMX_A_VCARD_TYPE])
		v->type = nla_get_u8(tb[TDMX_A_VCARD_TYPE]);
	if (tb[TDMX_A_VCARD_LINE])
		v->line = nla_get_u8(tb[TDMX_A_VCARD_LINE]);
	g = NLMSG_DATA(nlh);
	nla_for_each_attr(a, genlmsg_attrdata(g, 0), genlmsg_attrlen(g, 0), rem) {
		if (nla_type(a) != TDMX_A_SPAN_ID)
			continue;
		/* tdmx_attrs() checked the length of the last one only */
		if (nla_len(a) < (int)sizeof(uint32_t) || v->nspans == TDMX_VCARD_MAX_SPANS)
			return -EBADMSG;
		v->spans[v->nspans++] = nla_get_u32(a);
	}
	return 0;
}

static int vcard_reply(const struct nlmsghdr *nlh, void *arg)
{
	return tdmx_vcard_parse(nlh, arg);
}

/**
 * tdmx_vcard_new() - create a virtual card
 * @h: handle
 * @type: enum tdmx_vcard_type
 * @line: enum tdmx_line
 * @v: the new card: its id and spans (type and line as requested when the
 *	reply does not carry them)
 *
 * Return: 0, -EBADMSG when the kernel acked without a card, or a negative
 * errno (the kernel's, with tdmx_ext_ack()).
 */
int tdmx_vcard_new(struct tdmx *h, unsigned int type, unsigned int line, struct tdmx_vcard *v)
{
	struct nl_msg *msg = tdmx_msg(h, TDMX_CMD_VCARD_NEW, 0);
	int ret;

	memset(v, 0, sizeof(*v));
	if (msg && (nla_put_u8(msg, TDMX_A_VCARD_TYPE, (uint8_t)type) ||
		    nla_put_u8(msg, TDMX_A_VCARD_LINE, (uint8_t)line))) {
		nlmsg_free(msg);
		msg = NULL;
	}
	ret = tdmx_request(h, msg, vcard_reply, v);
	if (ret)
		return ret;
	if (!v->id)
		return -EBADMSG;
	if (!v->type)
		v->type = (uint8_t)type;
	if (!v->line)
		v->line = (uint8_t)line;
	return 0;
}

/**
 * tdmx_vcard_del() - delete a virtual card and its spans
 * @h: handle
 * @id: card id
 *
 * Return: 0 or a negative errno (the kernel's, with tdmx_ext_ack(); -EBUSY
 * while one of its devices is open).
 */
int tdmx_vcard_del(struct tdmx *h, uint32_t id)
{
	struct nl_msg *msg = tdmx_msg(h, TDMX_CMD_VCARD_DEL, 0);

	if (msg && nla_put_u32(msg, TDMX_A_VCARD_ID, id)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return tdmx_request(h, msg, NULL, NULL);
}

/**
 * tdmx_vcard_dump() - every virtual card
 * @h: handle
 * @cb: called for each card after the whole dump arrived; a non-zero
 *	return stops the walk and is returned
 * @arg: passed to @cb
 *
 * Return: as tdmx_span_dump().
 */
int tdmx_vcard_dump(struct tdmx *h, tdmx_vcard_cb cb, void *arg)
{
	struct tdmx_vec v = { .size = sizeof(struct tdmx_vcard) };
	const struct tdmx_vcard *c;
	size_t i;
	int ret;

	ret = tdmx_dump(h, TDMX_CMD_VCARD_GET, 0, vcard_reply, &v);
	c = v.data;
	for (i = 0; !ret && i < v.n; i++)
		ret = cb(&c[i], arg);
	tdmx_vec_free(&v);
	return ret;
}
