// SPDX-License-Identifier: GPL-2.0-or-later
/* Channels: TDMX_CMD_CHAN_GET (do, dump), TDMX_CMD_CHAN_SET, CHAN_NTF parsing. */
#include <errno.h>
#include <string.h>

#include "libtdmx_priv.h"

/**
 * tdmx_chan_parse() - a channel from a CHAN_GET reply or a CHAN_NTF
 * @nlh: the message
 * @c: result; members whose attribute is absent are 0 and not in @c->fields
 *
 * Return: 0, or -EBADMSG (bad attribute, no TDMX_A_SPAN_ID or CHAN_ID).
 */
int tdmx_chan_parse(const struct nlmsghdr *nlh, struct tdmx_chan *c)
{
	static const struct {
		uint8_t attr;
		uint32_t field;
	} u8s[] = {
		{ TDMX_A_CHAN_TYPE, TDMX_CHAN_F_TYPE },
		{ TDMX_A_CHAN_RX_ABCD, TDMX_CHAN_F_RX_ABCD },
		{ TDMX_A_CHAN_TX_ABCD, TDMX_CHAN_F_TX_ABCD },
		{ TDMX_A_CHAN_OPEN, TDMX_CHAN_F_OPEN },
	};
	uint8_t *dst[] = { &c->type, &c->rx_abcd, &c->tx_abcd, &c->open };
	struct nlattr *tb[TDMX_A_MAX + 1];
	size_t i;
	int ret;

	memset(c, 0, sizeof(*c));
	ret = tdmx_attrs(nlh, tb);
	if (ret)
		return ret;
	if (!tb[TDMX_A_SPAN_ID] || !tb[TDMX_A_CHAN_ID])
		return -EBADMSG;
	c->span = nla_get_u32(tb[TDMX_A_SPAN_ID]);
	c->id = nla_get_u8(tb[TDMX_A_CHAN_ID]);
	for (i = 0; i < sizeof(u8s) / sizeof(u8s[0]); i++) {
		if (!tb[u8s[i].attr])
			continue;
		*dst[i] = nla_get_u8(tb[u8s[i].attr]);
		c->fields |= u8s[i].field;
	}
	return 0;
}

static int chan_reply(const struct nlmsghdr *nlh, void *arg)
{
	return tdmx_chan_parse(nlh, arg);
}

static struct nl_msg *chan_msg(struct tdmx *h, uint8_t cmd, uint32_t span, unsigned int id)
{
	struct nl_msg *msg = tdmx_msg_span(h, cmd, span);

	if (msg && nla_put_u8(msg, TDMX_A_CHAN_ID, (uint8_t)id) < 0) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

/**
 * tdmx_chan_get() - one channel
 * @h: handle
 * @span: span number
 * @id: timeslot / channel number
 * @c: result
 *
 * Return: 0, -EINVAL for an @id above 255, -EBADMSG when the kernel acked
 * without a channel, or a negative errno (the kernel's, with tdmx_ext_ack()).
 */
int tdmx_chan_get(struct tdmx *h, uint32_t span, unsigned int id, struct tdmx_chan *c)
{
	int ret;

	memset(c, 0, sizeof(*c));
	if (id > UINT8_MAX) {
		tdmx_set_ext_ack(h, "channel number out of range");
		return -EINVAL;
	}
	ret = tdmx_request(h, chan_msg(h, TDMX_CMD_CHAN_GET, span, id), chan_reply, c);
	if (!ret && !c->span)
		ret = -EBADMSG;
	return ret;
}

/**
 * tdmx_chan_dump() - the channels of one span, or of all spans
 * @h: handle
 * @span: span number, 0 for all
 * @cb: called for each channel after the whole dump arrived; a non-zero
 *	return stops the walk and is returned
 * @arg: passed to @cb
 *
 * Return: as tdmx_span_dump().
 */
int tdmx_chan_dump(struct tdmx *h, uint32_t span, tdmx_chan_cb cb, void *arg)
{
	struct tdmx_vec v = { .size = sizeof(struct tdmx_chan) };
	const struct tdmx_chan *c;
	size_t i;
	int ret;

	ret = tdmx_dump(h, TDMX_CMD_CHAN_GET, span, chan_reply, &v);
	c = v.data;
	for (i = 0; !ret && i < v.n; i++)
		ret = cb(&c[i], arg);
	tdmx_vec_free(&v);
	return ret;
}

/**
 * tdmx_chan_set() - change a channel
 * @h: handle
 * @span: span number
 * @id: timeslot / channel number
 * @cfg: the members in @cfg->fields & TDMX_CHAN_F_SETTABLE are sent
 *
 * Return: 0, -EINVAL when @cfg sets nothing or @id is above 255, or a
 * negative errno (the kernel's, with tdmx_ext_ack(); -EBUSY when the type
 * changes while the channel device is open).
 */
int tdmx_chan_set(struct tdmx *h, uint32_t span, unsigned int id, const struct tdmx_chan *cfg)
{
	uint32_t set = cfg->fields & TDMX_CHAN_F_SETTABLE;
	struct nl_msg *msg;

	if (!set || id > UINT8_MAX) {
		tdmx_set_ext_ack(h, set ? "channel number out of range" : "nothing to set");
		return -EINVAL;
	}
	msg = chan_msg(h, TDMX_CMD_CHAN_SET, span, id);
	if (msg && (set & TDMX_CHAN_F_TYPE) && nla_put_u8(msg, TDMX_A_CHAN_TYPE, cfg->type))
		goto err_put;
	if (msg && (set & TDMX_CHAN_F_TX_ABCD) &&
	    nla_put_u8(msg, TDMX_A_CHAN_TX_ABCD, cfg->tx_abcd))
		goto err_put;
	return tdmx_request(h, msg, NULL, NULL);

err_put:
	nlmsg_free(msg);
	return -ENOMEM;
}
