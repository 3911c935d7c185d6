// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Notifications: a non-blocking socket in the "monitor" and/or "alarm"
 * groups, and the parsing of SPAN_NTF, CHAN_NTF, VCARD_NTF and ALARM_NTF
 * with the same parse functions as the GET replies.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/genetlink.h>
#include <netlink/genl/ctrl.h>

#include "libtdmx_priv.h"

#define MON_BUF_BYTES	(64 * 1024)
#define MON_RCVBUF	(1024 * 1024)

struct tdmx_mon {
	struct nl_sock *sk;
	int family;
	int fd;
	void *buf;
};

/**
 * tdmx_alarm_parse() - an ALARM_NTF
 * @nlh: the message
 * @a: result (@a->alarms and @a->seq 0 when absent)
 *
 * Return: 0, or -EBADMSG (bad attribute, no SPAN_ID, ALARM or ALARM_ON).
 */
int tdmx_alarm_parse(const struct nlmsghdr *nlh, struct tdmx_alarm_edge *a)
{
	struct nlattr *tb[TDMX_A_MAX + 1];
	int ret;

	memset(a, 0, sizeof(*a));
	ret = tdmx_attrs(nlh, tb);
	if (ret)
		return ret;
	if (!tb[TDMX_A_SPAN_ID] || !tb[TDMX_A_ALARM] || !tb[TDMX_A_ALARM_ON])
		return -EBADMSG;
	a->span = nla_get_u32(tb[TDMX_A_SPAN_ID]);
	a->alarm = nla_get_u8(tb[TDMX_A_ALARM]);
	a->on = nla_get_u8(tb[TDMX_A_ALARM_ON]) != 0;
	if (tb[TDMX_A_SPAN_ALARMS])
		a->alarms = nla_get_u32(tb[TDMX_A_SPAN_ALARMS]);
	if (tb[TDMX_A_ALARM_SEQ])
		a->seq = nla_get_u64(tb[TDMX_A_ALARM_SEQ]);
	return 0;
}

/**
 * tdmx_event_parse() - one notification, by its command
 * @nlh: a message of the tdmx family
 * @ev: result
 *
 * SPAN_NTF/SPAN_SET, CHAN_NTF/CHAN_SET, VCARD_NTF/VCARD_NEW/VCARD_DEL and
 * ALARM_NTF are understood. A VCARD_NTF without VCARD_TYPE, or a
 * VCARD_DEL, is a deletion (@ev->deleted).
 *
 * Return: 0, -EBADMSG for a malformed message, -ENOMSG for another command.
 */
int tdmx_event_parse(const struct nlmsghdr *nlh, struct tdmx_event *ev)
{
	const struct genlmsghdr *g = NLMSG_DATA(nlh);
	int ret;

	memset(ev, 0, sizeof(*ev));
	if (nlh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN)
		return -EBADMSG;
	switch (g->cmd) {
	case TDMX_CMD_SPAN_NTF:
	case TDMX_CMD_SPAN_SET:
		ev->type = TDMX_EV_SPAN;
		return tdmx_span_parse(nlh, &ev->span);
	case TDMX_CMD_CHAN_NTF:
	case TDMX_CMD_CHAN_SET:
		ev->type = TDMX_EV_CHAN;
		return tdmx_chan_parse(nlh, &ev->chan);
	case TDMX_CMD_VCARD_NTF:
	case TDMX_CMD_VCARD_NEW:
	case TDMX_CMD_VCARD_DEL:
		ev->type = TDMX_EV_VCARD;
		ret = tdmx_vcard_parse(nlh, &ev->vcard);
		ev->deleted = g->cmd == TDMX_CMD_VCARD_DEL || !ev->vcard.type;
		return ret;
	case TDMX_CMD_ALARM_NTF:
		ev->type = TDMX_EV_ALARM;
		return tdmx_alarm_parse(nlh, &ev->alarm);
	default:
		return -ENOMSG;
	}
}

/**
 * tdmx_mon_dispatch() - parse a buffer of netlink messages and call @cb for
 *	each notification
 * @family: the tdmx family id (messages of other types are skipped), or
 *	-1 to take every message
 * @buf: the messages (4-byte aligned)
 * @len: bytes in @buf
 * @cb: called for each notification; a non-zero return stops and is
 *	returned
 * @arg: passed to @cb
 *
 * Malformed notifications and unknown commands are skipped.
 *
 * Return: 0 or @cb's non-zero return.
 */
int tdmx_mon_dispatch(int family, const void *buf, size_t len, tdmx_event_cb cb, void *arg)
{
	const char *p = buf;
	struct tdmx_event ev;
	int ret;

	while (len >= NLMSG_HDRLEN) {
		const struct nlmsghdr *nlh = (const struct nlmsghdr *)p;
		size_t step;

		if (nlh->nlmsg_len < NLMSG_HDRLEN || nlh->nlmsg_len > len)
			break;
		step = NLMSG_ALIGN(nlh->nlmsg_len);
		if (nlh->nlmsg_type >= NLMSG_MIN_TYPE &&
		    (family < 0 || nlh->nlmsg_type == family) &&
		    !tdmx_event_parse(nlh, &ev)) {
			ret = cb(&ev, arg);
			if (ret)
				return ret;
		}
		if (step >= len)
			break;
		p += step;
		len -= step;
	}
	return 0;
}

static int mon_join(struct tdmx_mon *m, const char *group)
{
	int grp = genl_ctrl_resolve_grp(m->sk, TDMX_GENL_NAME, group);

	if (grp < 0)
		return grp == -NLE_OBJ_NOTFOUND ? -EPROTO : tdmx_nle_errno(grp);
	return tdmx_nle_errno(nl_socket_add_membership(m->sk, grp));
}

/**
 * tdmx_mon_open() - subscribe to notifications
 * @mp: the new monitor, NULL on failure
 * @groups: TDMX_MON_MONITOR and/or TDMX_MON_ALARM
 *
 * The socket is non-blocking (tdmx_mon_fd() for poll()) and has a 1 MiB
 * receive buffer.
 *
 * Return: 0, -ENOENT when the family is not registered (module not loaded),
 * -EPROTO when it lacks one of the groups, -EINVAL for no group, or
 * another negative errno.
 */
int tdmx_mon_open(struct tdmx_mon **mp, unsigned int groups)
{
	struct tdmx_mon *m;
	int ret;

	*mp = NULL;
	if (!(groups & (TDMX_MON_MONITOR | TDMX_MON_ALARM)))
		return -EINVAL;
	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	m->buf = malloc(MON_BUF_BYTES);
	m->sk = nl_socket_alloc();
	if (!m->buf || !m->sk) {
		ret = -ENOMEM;
		goto err;
	}
	ret = tdmx_nle_errno(genl_connect(m->sk));
	if (ret)
		goto err;
	ret = genl_ctrl_resolve(m->sk, TDMX_GENL_NAME);
	if (ret < 0) {
		ret = ret == -NLE_OBJ_NOTFOUND ? -ENOENT : tdmx_nle_errno(ret);
		goto err;
	}
	m->family = ret;
	ret = (groups & TDMX_MON_MONITOR) ? mon_join(m, TDMX_MCGRP_MONITOR) : 0;
	if (!ret && (groups & TDMX_MON_ALARM))
		ret = mon_join(m, TDMX_MCGRP_ALARM);
	if (!ret)
		ret = tdmx_nle_errno(nl_socket_set_nonblocking(m->sk));
	if (ret)
		goto err;
	(void)nl_socket_set_buffer_size(m->sk, MON_RCVBUF, 0);
	m->fd = nl_socket_get_fd(m->sk);
	*mp = m;
	return 0;

err:
	tdmx_mon_close(m);
	return ret;
}

int tdmx_mon_fd(const struct tdmx_mon *m)
{
	return m->fd;
}

/**
 * tdmx_mon_recv() - read every pending notification
 * @m: monitor
 * @cb: called for each notification; a non-zero return stops and is
 *	returned (notifications after it in the same datagram are lost)
 * @arg: passed to @cb
 *
 * Only messages from the kernel are taken.
 *
 * Return: 0 when nothing is pending any more, @cb's non-zero return,
 * -ENOBUFS when the kernel dropped notifications because the socket buffer
 * was full (the monitor stays usable: call again), or another negative
 * errno.
 */
int tdmx_mon_recv(struct tdmx_mon *m, tdmx_event_cb cb, void *arg)
{
	struct sockaddr_nl from;
	socklen_t fromlen;
	ssize_t n;
	int ret;

	for (;;) {
		fromlen = sizeof(from);
		n = recvfrom(m->fd, m->buf, MON_BUF_BYTES, MSG_DONTWAIT,
			     (struct sockaddr *)&from, &fromlen);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			return -errno;
		}
		if (fromlen != sizeof(from) || from.nl_pid != 0)
			continue;
		ret = tdmx_mon_dispatch(m->family, m->buf, (size_t)n, cb, arg);
		if (ret)
			return ret;
	}
}

void tdmx_mon_close(struct tdmx_mon *m)
{
	if (!m)
		return;
	nl_socket_free(m->sk);
	free(m->buf);
	free(m);
}
