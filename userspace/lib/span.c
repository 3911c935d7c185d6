// SPDX-License-Identifier: GPL-2.0-or-later
/* Spans: TDMX_CMD_SPAN_GET (do, dump), TDMX_CMD_SPAN_SET, SPAN_NTF parsing. */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "libtdmx_priv.h"

/* the u8 members of struct tdmx_span and their attributes */
static const struct {
	uint8_t attr;
	uint32_t field;
	size_t off;
} span_u8[] = {
	{ TDMX_A_SPAN_LINE, TDMX_SPAN_F_LINE, offsetof(struct tdmx_span, line) },
	{ TDMX_A_SPAN_FRAMING, TDMX_SPAN_F_FRAMING, offsetof(struct tdmx_span, framing) },
	{ TDMX_A_SPAN_LINECODE, TDMX_SPAN_F_LINECODE, offsetof(struct tdmx_span, linecode) },
	{ TDMX_A_SPAN_SIGNALLING, TDMX_SPAN_F_SIGNALLING,
	  offsetof(struct tdmx_span, signalling) },
	{ TDMX_A_SPAN_DCHAN, TDMX_SPAN_F_DCHAN, offsetof(struct tdmx_span, dchan) },
	{ TDMX_A_SPAN_LAW, TDMX_SPAN_F_LAW, offsetof(struct tdmx_span, law) },
	{ TDMX_A_SPAN_CLOCK_PRIO, TDMX_SPAN_F_CLOCK_PRIO,
	  offsetof(struct tdmx_span, clock_prio) },
	{ TDMX_A_SPAN_LOOPBACK, TDMX_SPAN_F_LOOPBACK, offsetof(struct tdmx_span, loopback) },
	{ TDMX_A_SPAN_BLOCK_MS, TDMX_SPAN_F_BLOCK_MS, offsetof(struct tdmx_span, block_ms) },
	{ TDMX_A_SPAN_CHANNELS, TDMX_SPAN_F_CHANNELS, offsetof(struct tdmx_span, channels) },
};

#define N_SPAN_U8 (sizeof(span_u8) / sizeof(span_u8[0]))

/**
 * tdmx_span_parse() - a span from a SPAN_GET reply or a SPAN_NTF
 * @nlh: the message
 * @s: result; members whose attribute is absent are 0 and not in @s->fields
 *
 * Return: 0, or -EBADMSG (bad attribute, or no TDMX_A_SPAN_ID).
 */
int tdmx_span_parse(const struct nlmsghdr *nlh, struct tdmx_span *s)
{
	struct nlattr *tb[TDMX_A_MAX + 1];
	size_t i;
	int ret;

	memset(s, 0, sizeof(*s));
	ret = tdmx_attrs(nlh, tb);
	if (ret)
		return ret;
	if (!tb[TDMX_A_SPAN_ID])
		return -EBADMSG;
	s->id = nla_get_u32(tb[TDMX_A_SPAN_ID]);
	if (tb[TDMX_A_SPAN_NAME]) {
		snprintf(s->name, sizeof(s->name), "%s", nla_get_string(tb[TDMX_A_SPAN_NAME]));
		s->fields |= TDMX_SPAN_F_NAME;
	}
	if (tb[TDMX_A_SPAN_CARD]) {
		s->card = nla_get_u32(tb[TDMX_A_SPAN_CARD]);
		s->fields |= TDMX_SPAN_F_CARD;
	}
	for (i = 0; i < N_SPAN_U8; i++) {
		if (!tb[span_u8[i].attr])
			continue;
		*((uint8_t *)s + span_u8[i].off) = nla_get_u8(tb[span_u8[i].attr]);
		s->fields |= span_u8[i].field;
	}
	if (tb[TDMX_A_SPAN_ALARMS]) {
		s->alarms = nla_get_u32(tb[TDMX_A_SPAN_ALARMS]);
		s->fields |= TDMX_SPAN_F_ALARMS;
	}
	s->timing_master = tb[TDMX_A_SPAN_TIMING_MASTER] != NULL;
	if (tb[TDMX_A_SPAN_CLOCK_PPM]) {
		s->clock_ppm = (int32_t)nla_get_u32(tb[TDMX_A_SPAN_CLOCK_PPM]);
		s->fields |= TDMX_SPAN_F_CLOCK_PPM;
	}
	if (tb[TDMX_A_GENERATION]) {
		s->generation = nla_get_u32(tb[TDMX_A_GENERATION]);
		s->fields |= TDMX_SPAN_F_GENERATION;
	}
	return 0;
}

static int span_reply(const struct nlmsghdr *nlh, void *arg)
{
	return tdmx_span_parse(nlh, arg);
}

/**
 * tdmx_span_get() - one span
 * @h: handle
 * @id: span number
 * @s: result
 *
 * Return: 0, -EBADMSG when the kernel acked without a span, or a negative
 * errno (the kernel's, with tdmx_ext_ack()).
 */
int tdmx_span_get(struct tdmx *h, uint32_t id, struct tdmx_span *s)
{
	int ret;

	memset(s, 0, sizeof(*s));
	ret = tdmx_request(h, tdmx_msg_span(h, TDMX_CMD_SPAN_GET, id), span_reply, s);
	if (!ret && !s->id)
		ret = -EBADMSG;
	return ret;
}

/**
 * tdmx_span_dump() - every span, in span order, from one consistent dump
 * @h: handle
 * @cb: called for each span after the whole dump arrived; a non-zero
 *	return stops the walk and is returned
 * @arg: passed to @cb
 *
 * Return: 0, @cb's non-zero return, -EAGAIN when the configuration kept
 * changing during the dump, or a negative errno.
 */
int tdmx_span_dump(struct tdmx *h, tdmx_span_cb cb, void *arg)
{
	struct tdmx_vec v = { .size = sizeof(struct tdmx_span) };
	const struct tdmx_span *s;
	size_t i;
	int ret;

	ret = tdmx_dump(h, TDMX_CMD_SPAN_GET, 0, span_reply, &v);
	s = v.data;
	for (i = 0; !ret && i < v.n; i++)
		ret = cb(&s[i], arg);
	tdmx_vec_free(&v);
	return ret;
}

/**
 * tdmx_span_set() - change a span
 * @h: handle
 * @id: span number
 * @cfg: the new values: the members in @cfg->fields & TDMX_SPAN_F_SETTABLE
 *	are sent, the others keep their value in the kernel
 *
 * Return: 0, -EINVAL when @cfg sets nothing, or a negative errno (the
 * kernel's, with tdmx_ext_ack()).
 */
int tdmx_span_set(struct tdmx *h, uint32_t id, const struct tdmx_span *cfg)
{
	uint32_t set = cfg->fields & TDMX_SPAN_F_SETTABLE;
	struct nl_msg *msg;
	size_t i;

	if (!set) {
		tdmx_set_ext_ack(h, "nothing to set");
		return -EINVAL;
	}
	msg = tdmx_msg_span(h, TDMX_CMD_SPAN_SET, id);
	for (i = 0; msg && i < N_SPAN_U8; i++) {
		if (!(set & span_u8[i].field))
			continue;
		if (nla_put_u8(msg, span_u8[i].attr, *((const uint8_t *)cfg + span_u8[i].off))) {
			nlmsg_free(msg);
			msg = NULL;
		}
	}
	return tdmx_request(h, msg, NULL, NULL);
}
