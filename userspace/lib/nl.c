// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The request socket: connect, resolve the "tdmx" family, send one request
 * and collect its replies, its ack or error, and the extack text.
 *
 * libnl 3.7 has no extack support, so NETLINK_EXT_ACK and NETLINK_CAP_ACK
 * are set with setsockopt() and the TLVs after the nlmsgerr (or after the
 * error code of a dump's NLMSG_DONE) are parsed here. Every request carries
 * NLM_F_ACK; a request is complete at its ack, its error, or the NLMSG_DONE
 * of its dump. Messages of earlier, abandoned requests are skipped by
 * sequence number.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <linux/genetlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/handlers.h>

#include "libtdmx_priv.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

#define TDMX_RECV_TIMEOUT_S	10
#define TDMX_DUMP_TRIES		5

struct tdmx {
	struct nl_sock *sk;
	struct nl_cb *cb;
	int family;
	struct tdmx_ack ack;
};

/* one request in flight */
struct req {
	struct tdmx *h;
	const struct nlmsghdr *sent;
	uint32_t seq;
	tdmx_reply_fn fn;
	void *arg;
	int err;		/* first error of @fn */
	bool done;
	bool intr;		/* NLM_F_DUMP_INTR seen */
	unsigned int seen;	/* messages in the current nl_recvmsgs() */
};

static const struct {
	int nle;
	int err;
} nle_map[] = {
	{ NLE_INTR, EINTR },		{ NLE_BAD_SOCK, EBADF },
	{ NLE_AGAIN, EAGAIN },		{ NLE_NOMEM, ENOMEM },
	{ NLE_EXIST, EEXIST },		{ NLE_INVAL, EINVAL },
	{ NLE_RANGE, ERANGE },		{ NLE_MSGSIZE, EMSGSIZE },
	{ NLE_OPNOTSUPP, EOPNOTSUPP },	{ NLE_AF_NOSUPPORT, EAFNOSUPPORT },
	{ NLE_OBJ_NOTFOUND, ENOENT },	{ NLE_NOATTR, ENOENT },
	{ NLE_MISSING_ATTR, EBADMSG },	{ NLE_SEQ_MISMATCH, EPROTO },
	{ NLE_MSG_OVERFLOW, ENOBUFS },	{ NLE_MSG_TRUNC, EBADMSG },
	{ NLE_MSG_TOOSHORT, EBADMSG },	{ NLE_MSGTYPE_NOSUPPORT, EPROTO },
	{ NLE_BUSY, EBUSY },		{ NLE_PROTO_MISMATCH, EPROTONOSUPPORT },
	{ NLE_NOACCESS, EACCES },	{ NLE_PERM, EPERM },
	{ NLE_NODEV, ENODEV },		{ NLE_DUMP_INTR, EINTR },
	{ NLE_ATTRSIZE, EBADMSG },
};

/**
 * tdmx_nle_errno() - a libnl error code as a negative errno
 * @nle: NLE_* (either sign)
 *
 * Return: -errno (-EIO for codes without an equivalent), 0 for 0.
 */
int tdmx_nle_errno(int nle)
{
	size_t i;

	if (nle < 0)
		nle = -nle;
	if (!nle)
		return 0;
	for (i = 0; i < sizeof(nle_map) / sizeof(nle_map[0]); i++)
		if (nle_map[i].nle == nle)
			return -nle_map[i].err;
	return -EIO;
}

/* the type of the top-level attribute of @sent that covers byte @offs */
static unsigned int sent_attr_at(const struct nlmsghdr *sent, uint32_t offs)
{
	const char *base = (const char *)sent;
	size_t p = NLMSG_HDRLEN + GENL_HDRLEN;

	if (!sent)
		return 0;
	while (p + NLA_HDRLEN <= sent->nlmsg_len) {
		const struct nlattr *a = (const struct nlattr *)(base + p);

		if (a->nla_len < NLA_HDRLEN || p + a->nla_len > sent->nlmsg_len)
			break;
		if (offs >= p && offs < p + NLA_ALIGN(a->nla_len))
			return a->nla_type & NLA_TYPE_MASK;
		p += NLA_ALIGN(a->nla_len);
	}
	return 0;
}

static void ack_msg(struct tdmx_ack *ack, const char *data, size_t len)
{
	size_t n = strnlen(data, len);

	if (n >= sizeof(ack->msg))
		n = sizeof(ack->msg) - 1;
	memcpy(ack->msg, data, n);
	while (n && (ack->msg[n - 1] == '\n' || ack->msg[n - 1] == ' '))
		n--;
	ack->msg[n] = 0;
}

/* the extack TLVs from byte @off of @nlh to its end */
static void ack_tlvs(struct tdmx_ack *ack, const struct nlmsghdr *nlh, size_t off,
		     const struct nlmsghdr *sent)
{
	const char *base = (const char *)nlh;
	uint32_t u32;

	while (off + NLA_HDRLEN <= nlh->nlmsg_len) {
		const struct nlattr *a = (const struct nlattr *)(base + off);
		const char *data = base + off + NLA_HDRLEN;
		size_t len = a->nla_len;

		if (len < NLA_HDRLEN || off + len > nlh->nlmsg_len)
			break;
		len -= NLA_HDRLEN;
		u32 = 0;
		if (len >= sizeof(u32))
			memcpy(&u32, data, sizeof(u32));
		switch (a->nla_type & NLA_TYPE_MASK) {
		case NLMSGERR_ATTR_MSG:
			ack_msg(ack, data, len);
			break;
		case NLMSGERR_ATTR_OFFS:
			ack->attr = sent_attr_at(sent, u32);
			break;
		case NLMSGERR_ATTR_MISS_TYPE:
			ack->missing = u32;
			break;
		default:
			break;
		}
		off += NLA_ALIGN(a->nla_len);
	}
}

/**
 * tdmx_ack_parse() - read the error code and extack of an ack
 * @ack: result
 * @nlh: an NLMSG_ERROR (error or ack) or NLMSG_DONE message
 * @sent: the request it answers (to name the attribute NLMSGERR_ATTR_OFFS
 *	points at), or NULL
 *
 * Handles capped (NETLINK_CAP_ACK) and uncapped acks. A message too short
 * for its nlmsgerr gives -EBADMSG.
 */
void tdmx_ack_parse(struct tdmx_ack *ack, const struct nlmsghdr *nlh,
		    const struct nlmsghdr *sent)
{
	size_t payload;
	int err = 0;

	memset(ack, 0, sizeof(*ack));
	if (nlh->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *e = NLMSG_DATA(nlh);

		if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*e))) {
			ack->error = -EBADMSG;
			return;
		}
		err = e->error;
		payload = sizeof(*e);
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED) && e->msg.nlmsg_len > NLMSG_HDRLEN)
			payload += e->msg.nlmsg_len - NLMSG_HDRLEN;
	} else if (nlh->nlmsg_type == NLMSG_DONE) {
		if (nlh->nlmsg_len >= NLMSG_LENGTH(sizeof(err)))
			memcpy(&err, NLMSG_DATA(nlh), sizeof(err));
		payload = sizeof(err);
	} else {
		return;
	}
	ack->error = err > 0 ? -err : err;
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS)
		ack_tlvs(ack, nlh, NLMSG_HDRLEN + NLMSG_ALIGN(payload), sent);
}

static int req_msg_in(struct nl_msg *msg, void *arg)
{
	struct req *r = arg;
	const struct nlmsghdr *nlh = nlmsg_hdr(msg);

	r->seen++;
	if (nlh->nlmsg_seq == r->seq && (nlh->nlmsg_flags & NLM_F_DUMP_INTR))
		r->intr = true;
	return NL_OK;
}

static int req_seq_check(struct nl_msg *msg, void *arg)
{
	struct req *r = arg;

	return nlmsg_hdr(msg)->nlmsg_seq == r->seq ? NL_OK : NL_SKIP;
}

static int req_valid(struct nl_msg *msg, void *arg)
{
	struct req *r = arg;
	const struct nlmsghdr *nlh = nlmsg_hdr(msg);
	int ret;

	if (nlh->nlmsg_type != r->h->family || !r->fn || r->err)
		return NL_OK;
	ret = r->fn(nlh, r->arg);
	if (ret < 0)
		r->err = ret;
	return NL_OK;
}

static int req_end(struct nl_msg *msg, void *arg)
{
	struct req *r = arg;

	tdmx_ack_parse(&r->h->ack, nlmsg_hdr(msg), r->sent);
	r->done = true;
	return NL_STOP;
}

static int req_err(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct req *r = arg;
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);

	(void)nla;
	tdmx_ack_parse(&r->h->ack, nlh, r->sent);
	r->done = true;
	return NL_STOP;
}

static int req_dump_intr(struct nl_msg *msg, void *arg)
{
	struct req *r = arg;

	(void)msg;
	r->intr = true;
	return NL_OK;
}

static void req_callbacks(struct nl_cb *cb, struct req *r)
{
	nl_cb_set(cb, NL_CB_MSG_IN, NL_CB_CUSTOM, req_msg_in, r);
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, req_seq_check, r);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, req_valid, r);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, req_end, r);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, req_end, r);
	nl_cb_set(cb, NL_CB_DUMP_INTR, NL_CB_CUSTOM, req_dump_intr, r);
	nl_cb_err(cb, NL_CB_CUSTOM, req_err, r);
}

/**
 * tdmx_request() - send a request and wait for its end
 * @h: handle
 * @msg: the request (from tdmx_msg(); NULL means it could not be built);
 *	freed here
 * @fn: called for every reply message of the family, or NULL; its first
 *	negative return becomes the result (the rest of the replies is read
 *	and dropped)
 * @arg: passed to @fn
 *
 * Return: 0, the kernel's negative errno (extack in h->ack), @fn's error,
 * -EINTR when a dump was flagged NLM_F_DUMP_INTR, -ETIMEDOUT when the kernel
 * did not answer within 10 s, or another negative errno.
 */
int tdmx_request(struct tdmx *h, struct nl_msg *msg, tdmx_reply_fn fn, void *arg)
{
	struct req r = { .h = h, .fn = fn, .arg = arg };
	int ret;

	memset(&h->ack, 0, sizeof(h->ack));
	if (!msg)
		return -ENOMEM;
	ret = nl_send_auto(h->sk, msg);
	if (ret < 0) {
		ret = tdmx_nle_errno(ret);
		goto out;
	}
	r.sent = nlmsg_hdr(msg);
	r.seq = r.sent->nlmsg_seq;
	req_callbacks(h->cb, &r);
	while (!r.done) {
		r.seen = 0;
		ret = nl_recvmsgs(h->sk, h->cb);
		if (r.done)
			break;
		if (ret < 0) {
			ret = tdmx_nle_errno(ret);
			goto out;
		}
		if (!r.seen) {
			ret = -ETIMEDOUT;
			goto out;
		}
	}
	ret = h->ack.error;
	if (!ret)
		ret = r.err;
	if (!ret && r.intr)
		ret = -EINTR;
out:
	nlmsg_free(msg);
	return ret;
}

/**
 * tdmx_msg() - a new request of the tdmx family
 * @h: handle
 * @cmd: TDMX_CMD_*
 * @flags: extra netlink flags (NLM_F_DUMP)
 *
 * Return: the message, NULL when out of memory.
 */
struct nl_msg *tdmx_msg(struct tdmx *h, uint8_t cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, h->family, 0, flags, cmd,
			 TDMX_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

/**
 * tdmx_msg_span() - a new do-request, with TDMX_A_SPAN_ID unless @span is 0
 * @h: handle
 * @cmd: TDMX_CMD_*
 * @span: span number or 0
 *
 * Return: the message, NULL when out of memory.
 */
struct nl_msg *tdmx_msg_span(struct tdmx *h, uint8_t cmd, uint32_t span)
{
	struct nl_msg *msg = tdmx_msg(h, cmd, 0);

	if (msg && span && nla_put_u32(msg, TDMX_A_SPAN_ID, span) < 0) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

/* a message of the library's own, for requests refused before sending */
void tdmx_set_ext_ack(struct tdmx *h, const char *msg)
{
	memset(&h->ack, 0, sizeof(h->ack));
	ack_msg(&h->ack, msg, strlen(msg));
}

struct dump_ctx {
	struct tdmx_vec *vec;
	tdmx_parse_fn parse;
};

static int vec_reply(const struct nlmsghdr *nlh, void *arg)
{
	struct dump_ctx *d = arg;
	struct tdmx_vec *v = d->vec;
	char *elem;
	int ret;

	if (v->n == v->cap) {
		size_t cap = v->cap ? 2 * v->cap : 16;
		void *data = realloc(v->data, cap * v->size);

		if (!data)
			return -ENOMEM;
		v->data = data;
		v->cap = cap;
	}
	elem = (char *)v->data + v->n * v->size;
	memset(elem, 0, v->size);
	ret = d->parse(nlh, elem);
	if (ret < 0)
		return ret;
	v->n++;
	return 0;
}

/**
 * tdmx_dump() - a whole, consistent dump
 * @h: handle
 * @cmd: the GET command
 * @span: TDMX_A_SPAN_ID to send (a filter), 0 for none
 * @parse: turns one reply into one element of @out
 * @out: the elements (@out->size set by the caller); emptied first
 *
 * Repeats the dump while the kernel flags it NLM_F_DUMP_INTR (a
 * configuration change in the middle), up to 5 times.
 *
 * Return: 0, -EAGAIN when the dump was interrupted every time, or an error
 * of tdmx_request().
 */
int tdmx_dump(struct tdmx *h, uint8_t cmd, uint32_t span, tdmx_parse_fn parse,
	      struct tdmx_vec *out)
{
	struct dump_ctx d = { .vec = out, .parse = parse };
	struct nl_msg *msg;
	int ret = 0, try;

	for (try = 0; try < TDMX_DUMP_TRIES; try++) {
		out->n = 0;
		msg = tdmx_msg(h, cmd, NLM_F_DUMP);
		if (msg && span && nla_put_u32(msg, TDMX_A_SPAN_ID, span) < 0) {
			nlmsg_free(msg);
			msg = NULL;
		}
		ret = tdmx_request(h, msg, vec_reply, &d);
		if (ret != -EINTR)
			return ret;
	}
	out->n = 0;
	tdmx_set_ext_ack(h, "the configuration kept changing during the dump");
	return -EAGAIN;
}

void tdmx_vec_free(struct tdmx_vec *v)
{
	free(v->data);
	v->data = NULL;
	v->n = v->cap = 0;
}

/**
 * tdmx_attrs() - the attributes of a tdmx message, checked against the
 *	uapi types (lengths; strings NUL-terminated)
 * @nlh: the message
 * @tb: TDMX_A_MAX + 1 entries, NULL where absent (for repeated attributes,
 *	the last one)
 *
 * Return: 0 or -EBADMSG.
 */
int tdmx_attrs(const struct nlmsghdr *nlh, struct nlattr **tb)
{
	static struct nla_policy policy[TDMX_A_MAX + 1] = {
		[TDMX_A_GENERATION] = { .type = NLA_U32 },
		[TDMX_A_SPAN_ID] = { .type = NLA_U32 },
		[TDMX_A_SPAN_NAME] = { .type = NLA_STRING },
		[TDMX_A_SPAN_CARD] = { .type = NLA_U32 },
		[TDMX_A_SPAN_LINE] = { .type = NLA_U8 },
		[TDMX_A_SPAN_FRAMING] = { .type = NLA_U8 },
		[TDMX_A_SPAN_LINECODE] = { .type = NLA_U8 },
		[TDMX_A_SPAN_SIGNALLING] = { .type = NLA_U8 },
		[TDMX_A_SPAN_DCHAN] = { .type = NLA_U8 },
		[TDMX_A_SPAN_LAW] = { .type = NLA_U8 },
		[TDMX_A_SPAN_CLOCK_PRIO] = { .type = NLA_U8 },
		[TDMX_A_SPAN_LOOPBACK] = { .type = NLA_U8 },
		[TDMX_A_SPAN_BLOCK_MS] = { .type = NLA_U8 },
		[TDMX_A_SPAN_CHANNELS] = { .type = NLA_U8 },
		[TDMX_A_SPAN_ALARMS] = { .type = NLA_U32 },
		[TDMX_A_SPAN_TIMING_MASTER] = { .type = NLA_FLAG },
		[TDMX_A_SPAN_CLOCK_PPM] = { .type = NLA_U32 },
		[TDMX_A_CHAN_ID] = { .type = NLA_U8 },
		[TDMX_A_CHAN_TYPE] = { .type = NLA_U8 },
		[TDMX_A_CHAN_RX_ABCD] = { .type = NLA_U8 },
		[TDMX_A_CHAN_TX_ABCD] = { .type = NLA_U8 },
		[TDMX_A_CHAN_OPEN] = { .type = NLA_U8 },
		[TDMX_A_VCARD_ID] = { .type = NLA_U32 },
		[TDMX_A_VCARD_TYPE] = { .type = NLA_U8 },
		[TDMX_A_VCARD_LINE] = { .type = NLA_U8 },
		[TDMX_A_COUNTERS] = { .type = NLA_NESTED },
		[TDMX_A_ALARM] = { .type = NLA_U8 },
		[TDMX_A_ALARM_ON] = { .type = NLA_U8 },
		[TDMX_A_ALARM_SEQ] = { .type = NLA_U64 },
	};

	if (nlh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN)
		return -EBADMSG;
	if (genlmsg_parse((struct nlmsghdr *)nlh, 0, tb, TDMX_A_MAX, policy) < 0)
		return -EBADMSG;
	return 0;
}

/**
 * tdmx_open() - connect to the tdmx generic netlink family
 * @hp: the new handle, NULL on failure
 *
 * Return: 0, -ENOENT when the family is not registered (module not
 * loaded), or another negative errno.
 */
int tdmx_open(struct tdmx **hp)
{
	return tdmx_open_family(hp, TDMX_GENL_NAME);
}

/**
 * tdmx_open_family() - tdmx_open() for any generic netlink family (the
 *	unit tests drive the request machinery with "nlctrl")
 * @hp: the new handle, NULL on failure
 * @name: the family
 *
 * Return: as tdmx_open().
 */
int tdmx_open_family(struct tdmx **hp, const char *name)
{
	struct timeval tv = { .tv_sec = TDMX_RECV_TIMEOUT_S };
	struct tdmx *h;
	int ret, one = 1, fd;

	*hp = NULL;
	h = calloc(1, sizeof(*h));
	if (!h)
		return -ENOMEM;
	h->sk = nl_socket_alloc();
	if (!h->sk) {
		ret = -ENOMEM;
		goto err_sock;
	}
	ret = genl_connect(h->sk);
	if (ret < 0) {
		ret = tdmx_nle_errno(ret);
		goto err_connect;
	}
	ret = genl_ctrl_resolve(h->sk, name);
	if (ret < 0) {
		ret = ret == -NLE_OBJ_NOTFOUND ? -ENOENT : tdmx_nle_errno(ret);
		goto err_connect;
	}
	h->family = ret;
	h->cb = nl_cb_alloc(NL_CB_CUSTOM);
	if (!h->cb) {
		ret = -ENOMEM;
		goto err_connect;
	}
	fd = nl_socket_get_fd(h->sk);
	/* best effort: without them (kernel < 4.12) errors lose their text */
	(void)setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	(void)setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	*hp = h;
	return 0;

err_connect:
	nl_socket_free(h->sk);
err_sock:
	free(h);
	return ret;
}

void tdmx_close(struct tdmx *h)
{
	if (!h)
		return;
	nl_cb_put(h->cb);
	nl_socket_free(h->sk);
	free(h);
}

/**
 * tdmx_ext_ack() - the message the kernel attached to the last request's
 *	ack or error (a warning when the request succeeded), or one of the
 *	library's own when it refused a request before sending it
 * @h: handle
 *
 * Return: the text, NULL if there was none.
 */
const char *tdmx_ext_ack(const struct tdmx *h)
{
	return h->ack.msg[0] ? h->ack.msg : NULL;
}

/* Return: the attribute of the last request the kernel's error pointed at, or 0 */
unsigned int tdmx_ext_ack_attr(const struct tdmx *h)
{
	return h->ack.attr;
}

/* Return: the attribute the kernel said was missing from the last request, or 0 */
unsigned int tdmx_ext_ack_missing(const struct tdmx *h)
{
	return h->ack.missing;
}
