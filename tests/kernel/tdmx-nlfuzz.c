// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tdmx-nlfuzz: throw random and half-valid messages at the "tdmx" generic
 * netlink family and read whatever comes back. The kernel must survive;
 * the scenario (10-fuzz) then checks dmesg, removes the cards the fuzzer
 * made and lets the harness count leaked objects.
 *
 *   tdmx-nlfuzz [-n MESSAGES] [-t SECONDS] [-s SEED] [-c MAXCARDS] [-v]
 *
 *   -n MESSAGES  stop after this many messages (default 20000)
 *   -t SECONDS   or after this long (default 60)
 *   -s SEED      random seed (default: from the clock); printed first, so
 *                a run can be repeated with the same messages
 *   -c MAXCARDS  keep at most this many vcards alive (default 6): every
 *                card ticks every 1 ms, and QEMU TCG is slow
 *   -v           print every message sent (hex), for reproducing
 *
 * Raw netlink, no libnl: the family id and its multicast groups come from
 * CTRL_CMD_GETFAMILY, and the fuzzer joins both groups so notifications
 * are generated (and read) too. Message kinds, each message picks one:
 *
 *   random   any command number 0..255 (mostly 0..20), random version,
 *            reserved field, flags (REQUEST, ACK, DUMP, ECHO, ... in any
 *            combination), 0..10 attributes of random type, length and
 *            content, some nested (up to 3 deep), some with a broken
 *            nla_len, and now and then a broken nlmsg_len;
 *   valid    well-formed SPAN/CHAN/FAULT/VCARD/COUNTERS requests with the
 *            right attribute types but values around and beyond the
 *            policy's limits, on random span, channel and card ids;
 *   batch    2-4 messages in one datagram.
 *
 * Replies are read without blocking after every send (dumps continue as
 * they are read) and counted by errno. Exit: 0 when the family still
 * answers a SPAN_GET dump at the end, 1 when it does not, 2 setup error.
 */
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "ktest.h"

#define BUF_SIZE	16384
#define MAX_TRACK	256

static uint64_t rng_state;
static int sock = -1;
static uint16_t family;
static uint32_t grp_ids[4];
static unsigned int ngrps;
static uint32_t seqno = 1;
static bool verbose;
static unsigned int max_cards = 6;

/* statistics */
static unsigned long sent, send_errors, replies, dump_parts, dones, acks_ok,
	overruns, cards_made, cards_deleted, ntfs;
static unsigned long err_count[160];	/* by -errno, 159 = other */

/* ---------------------------------------------------------------- random */

static uint64_t rnd(void)
{
	uint64_t x = rng_state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rng_state = x;
	return x * 0x2545F4914F6CDD1DULL;
}

/* 0..n-1 */
static uint32_t rn(uint32_t n)
{
	return n ? (uint32_t)((rnd() >> 32) % n) : 0;
}

/* true with probability pct % */
static bool chance(unsigned int pct)
{
	return rn(100) < pct;
}

/* ------------------------------------------------------- message building */

struct msg {
	uint8_t buf[BUF_SIZE];
	size_t len;		/* bytes used in buf */
	size_t start;		/* where the current nlmsghdr starts */
};

static struct nlmsghdr *msg_hdr(struct msg *m)
{
	return (struct nlmsghdr *)(m->buf + m->start);
}

static void msg_begin(struct msg *m, uint16_t type, uint16_t flags, uint8_t cmd,
		      uint8_t version, uint16_t reserved)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;

	m->len = NLMSG_ALIGN(m->len);
	m->start = m->len;
	nlh = msg_hdr(m);
	memset(nlh, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = seqno++;
	g = (struct genlmsghdr *)(m->buf + m->start + NLMSG_HDRLEN);
	g->cmd = cmd;
	g->version = version;
	g->reserved = reserved;
	m->len = m->start + NLMSG_HDRLEN + GENL_HDRLEN;
}

static void msg_end(struct msg *m)
{
	msg_hdr(m)->nlmsg_len = (uint32_t)(m->len - m->start);
}

static size_t room(const struct msg *m)
{
	return sizeof(m->buf) - m->len;
}

/* one attribute; false when there is no room */
static bool put(struct msg *m, uint16_t type, const void *data, size_t len)
{
	struct nlattr *a;

	if (NLA_ALIGN(NLA_HDRLEN + len) > room(m) || NLA_HDRLEN + len > 0xFFFF)
		return false;
	a = (struct nlattr *)(m->buf + m->len);
	a->nla_type = type;
	a->nla_len = (uint16_t)(NLA_HDRLEN + len);
	if (len)
		memcpy(m->buf + m->len + NLA_HDRLEN, data, len);
	memset(m->buf + m->len + NLA_HDRLEN + len, 0, NLA_ALIGN(len) - len);
	m->len += NLA_ALIGN(NLA_HDRLEN + len);
	return true;
}

static void put_u8(struct msg *m, uint16_t type, uint8_t v)
{
	put(m, type, &v, 1);
}

static void put_u32(struct msg *m, uint16_t type, uint32_t v)
{
	put(m, type, &v, 4);
}

static void put_s32(struct msg *m, uint16_t type, int32_t v)
{
	put(m, type, &v, 4);
}

/* start a nest: returns its offset, or 0 when there is no room */
static size_t nest_start(struct msg *m, uint16_t type)
{
	size_t at = m->len;

	if (!put(m, type, NULL, 0))
		return 0;
	return at;
}

static void nest_end(struct msg *m, size_t at)
{
	struct nlattr *a = (struct nlattr *)(m->buf + at);

	a->nla_len = (uint16_t)(m->len - at);
}

/* ---------------------------------------------------------- netlink I/O */

static void count_err(int err)
{
	int e = err < 0 ? -err : err;

	err_count[e < 159 ? e : 159]++;
}

static void dump_hex(const char *what, const uint8_t *p, size_t len)
{
	size_t i;

	printf("%s %zu:", what, len);
	for (i = 0; i < len; i++)
		printf(" %02x", p[i]);
	putchar('\n');
}

static int send_msg(const struct msg *m)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

	if (verbose)
		dump_hex("send", m->buf, m->len);
	sent++;
	if (sendto(sock, m->buf, m->len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		send_errors++;
		return -errno;
	}
	return 0;
}

/* card ids the fuzzer saw created (VCARD_NEW replies) */
static uint32_t track[MAX_TRACK];
static unsigned int ntrack;

static void track_add(uint32_t id)
{
	unsigned int i;

	for (i = 0; i < ntrack; i++)
		if (track[i] == id)
			return;
	if (ntrack < MAX_TRACK)
		track[ntrack++] = id;
}

static void track_del(uint32_t id)
{
	unsigned int i;

	for (i = 0; i < ntrack; i++) {
		if (track[i] == id) {
			track[i] = track[--ntrack];
			return;
		}
	}
}

/* the attributes of a genetlink message: call fn for each top-level one */
static void each_attr(const struct nlmsghdr *nlh,
		      void (*fn)(const struct nlattr *a, void *arg), void *arg)
{
	const uint8_t *p = (const uint8_t *)nlh + NLMSG_HDRLEN + GENL_HDRLEN;
	const uint8_t *end = (const uint8_t *)nlh + nlh->nlmsg_len;

	while (p + NLA_HDRLEN <= end) {
		const struct nlattr *a = (const struct nlattr *)p;

		if (a->nla_len < NLA_HDRLEN || p + a->nla_len > end)
			break;
		fn(a, arg);
		p += NLA_ALIGN(a->nla_len);
	}
}

static void vcard_id_attr(const struct nlattr *a, void *arg)
{
	if ((a->nla_type & NLA_TYPE_MASK) == TDMX_A_VCARD_ID && a->nla_len >= NLA_HDRLEN + 4)
		memcpy(arg, (const uint8_t *)a + NLA_HDRLEN, 4);
}

/*
 * Read everything queued, without blocking; @want_seq: stop after the
 * reply (ack, error or DONE) to this sequence number arrived, waiting up
 * to 2 s for it (0: just drain). Returns the errno of that reply (0 ok,
 * 1 when it never came).
 */
static int drain(uint32_t want_seq, void (*on_msg)(const struct nlmsghdr *, void *), void *arg)
{
	static uint8_t buf[65536];
	double deadline = kt_now_ms() + 2000;
	int result = 1;

	for (;;) {
		ssize_t n = recv(sock, buf, sizeof(buf), MSG_DONTWAIT);
		const struct nlmsghdr *nlh;
		size_t left;

		if (n < 0) {
			if (errno == ENOBUFS) {
				overruns++;
				continue;
			}
			if (errno == EINTR)
				continue;
			if (!want_seq || result != 1 || kt_now_ms() > deadline)
				return result;
			{
				struct pollfd p = { .fd = sock, .events = POLLIN };

				poll(&p, 1, 50);
			}
			continue;
		}
		left = (size_t)n;
		for (nlh = (const struct nlmsghdr *)buf; NLMSG_OK(nlh, left);
		     nlh = NLMSG_NEXT(nlh, left)) {
			bool mine = want_seq && nlh->nlmsg_seq == want_seq;

			if (nlh->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(nlh);
				int err = nlh->nlmsg_len >= NLMSG_LENGTH(sizeof(int)) ? e->error : -EIO;

				if (err)
					count_err(err);
				else
					acks_ok++;
				if (mine)
					result = -err;
				continue;
			}
			if (nlh->nlmsg_type == NLMSG_DONE) {
				dones++;
				if (mine)
					result = 0;
				continue;
			}
			if (nlh->nlmsg_type != family || nlh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN)
				continue;
			if (!nlh->nlmsg_seq) {
				ntfs++;
				continue;
			}
			replies++;
			if (nlh->nlmsg_flags & NLM_F_MULTI)
				dump_parts++;
			{
				const struct genlmsghdr *g = NLMSG_DATA(nlh);
				uint32_t id = 0;

				if (g->cmd == TDMX_CMD_VCARD_NEW) {
					each_attr(nlh, vcard_id_attr, &id);
					if (id) {
						track_add(id);
						cards_made++;
					}
				}
			}
			if (on_msg)
				on_msg(nlh, arg);
			if (mine && !(nlh->nlmsg_flags & NLM_F_MULTI))
				result = 0;
		}
		if (want_seq && result != 1)
			want_seq = 0;	/* got it: drain the rest and stop */
	}
}

/* ------------------------------------------------- controller: family id */

struct fam_info {
	uint16_t id;
	bool found;
};

static void grp_attr(const struct nlattr *a, void *arg)
{
	const uint8_t *p = (const uint8_t *)a + NLA_HDRLEN;
	const uint8_t *end = (const uint8_t *)a + a->nla_len;

	(void)arg;
	/* an array of nests, each with NAME and ID */
	while (p + NLA_HDRLEN <= end) {
		const struct nlattr *g = (const struct nlattr *)p;
		const uint8_t *q = p + NLA_HDRLEN, *gend = p + g->nla_len;

		if (g->nla_len < NLA_HDRLEN || gend > end)
			break;
		while (q + NLA_HDRLEN <= gend) {
			const struct nlattr *x = (const struct nlattr *)q;

			if (x->nla_len < NLA_HDRLEN || q + x->nla_len > gend)
				break;
			if ((x->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_MCAST_GRP_ID &&
			    x->nla_len >= NLA_HDRLEN + 4 && ngrps < 4)
				memcpy(&grp_ids[ngrps++], q + NLA_HDRLEN, 4);
			q += NLA_ALIGN(x->nla_len);
		}
		p += NLA_ALIGN(g->nla_len);
	}
}

static void family_attr(const struct nlattr *a, void *arg)
{
	struct fam_info *fi = arg;

	switch (a->nla_type & NLA_TYPE_MASK) {
	case CTRL_ATTR_FAMILY_ID:
		if (a->nla_len >= NLA_HDRLEN + 2) {
			memcpy(&fi->id, (const uint8_t *)a + NLA_HDRLEN, 2);
			fi->found = true;
		}
		break;
	case CTRL_ATTR_MCAST_GROUPS:
		grp_attr(a, NULL);
		break;
	default:
		break;
	}
}

static void family_msg(const struct nlmsghdr *nlh, void *arg)
{
	each_attr(nlh, family_attr, arg);
}

static int resolve_family(void)
{
	static struct msg m;
	struct fam_info fi = { 0 };
	uint16_t saved = family;
	uint32_t seq;

	m.len = 0;
	msg_begin(&m, GENL_ID_CTRL, NLM_F_REQUEST | NLM_F_ACK, CTRL_CMD_GETFAMILY, 1, 0);
	put(&m, CTRL_ATTR_FAMILY_NAME, TDMX_GENL_NAME, sizeof(TDMX_GENL_NAME));
	msg_end(&m);
	seq = msg_hdr(&m)->nlmsg_seq;
	/* the controller's reply has type GENL_ID_CTRL: parse it as "family" */
	family = GENL_ID_CTRL;
	if (send_msg(&m)) {
		family = saved;
		return -1;
	}
	drain(seq, family_msg, &fi);
	family = fi.found ? fi.id : saved;
	return fi.found ? 0 : -1;
}

/* ------------------------------------------------------ synchronous calls */

static uint32_t dump_ids[MAX_TRACK];
static unsigned int ndump_ids;

static void collect_vcard(const struct nlmsghdr *nlh, void *arg)
{
	const struct genlmsghdr *g = NLMSG_DATA(nlh);
	uint32_t id = 0;

	(void)arg;
	if (g->cmd != TDMX_CMD_VCARD_GET)
		return;
	each_attr(nlh, vcard_id_attr, &id);
	if (id && ndump_ids < MAX_TRACK)
		dump_ids[ndump_ids++] = id;
}

static int vcard_del(uint32_t id)
{
	static struct msg m;
	uint32_t seq;
	int ret;

	m.len = 0;
	msg_begin(&m, family, NLM_F_REQUEST | NLM_F_ACK, TDMX_CMD_VCARD_DEL, 1, 0);
	put_u32(&m, TDMX_A_VCARD_ID, id);
	msg_end(&m);
	seq = msg_hdr(&m)->nlmsg_seq;
	if (send_msg(&m))
		return -1;
	ret = drain(seq, NULL, NULL);
	if (!ret) {
		cards_deleted++;
		track_del(id);
	}
	return ret;
}

/* every card's id, by a VCARD_GET dump; -1 when the dump failed */
static int vcard_list(void)
{
	static struct msg m;
	uint32_t seq;

	ndump_ids = 0;
	m.len = 0;
	msg_begin(&m, family, NLM_F_REQUEST | NLM_F_DUMP, TDMX_CMD_VCARD_GET, 1, 0);
	msg_end(&m);
	seq = msg_hdr(&m)->nlmsg_seq;
	if (send_msg(&m))
		return -1;
	return drain(seq, collect_vcard, NULL) ? -1 : (int)ndump_ids;
}

/* more than max_cards cards: delete the newest until half are left */
static void limit_cards(void)
{
	int n = vcard_list();

	while (n > (int)max_cards) {
		uint32_t best = 0;
		unsigned int i;

		for (i = 0; i < ndump_ids; i++)
			if (dump_ids[i] > best)
				best = dump_ids[i];
		if (!best || vcard_del(best))
			break;	/* busy or gone: try again later */
		for (i = 0; i < ndump_ids; i++)
			if (dump_ids[i] == best)
				dump_ids[i] = 0;
		if (--n <= (int)max_cards / 2)
			break;
	}
}

/* ------------------------------------------------------- the generators */

static const uint16_t flag_bits[] = {
	NLM_F_REQUEST, NLM_F_ACK, NLM_F_ECHO, NLM_F_DUMP_INTR, NLM_F_DUMP_FILTERED,
	NLM_F_ROOT, NLM_F_MATCH, NLM_F_ATOMIC, NLM_F_REPLACE, NLM_F_EXCL,
	NLM_F_CREATE, NLM_F_APPEND, NLM_F_NONREC, NLM_F_CAPPED, NLM_F_ACK_TLVS,
};

static uint16_t random_flags(void)
{
	uint16_t f = 0;
	unsigned int i;

	switch (rn(6)) {
	case 0:
		return (uint16_t)rnd();
	case 1:
		f = NLM_F_REQUEST;
		break;
	case 2:
		f = NLM_F_REQUEST | NLM_F_ACK;
		break;
	case 3:
		f = NLM_F_REQUEST | NLM_F_DUMP;
		break;
	case 4:
		f = NLM_F_REQUEST | NLM_F_DUMP | NLM_F_ACK;
		break;
	default:
		for (i = 0; i < sizeof(flag_bits) / sizeof(flag_bits[0]); i++)
			if (chance(25))
				f |= flag_bits[i];
		break;
	}
	return f;
}

static uint8_t random_cmd(void)
{
	switch (rn(10)) {
	case 0:
		return (uint8_t)rnd();
	case 1:
	case 2:
		return (uint8_t)rn(__TDMX_CMD_MAX + 6);	/* around the end */
	default:
		return (uint8_t)(1 + rn(TDMX_CMD_MAX));
	}
}

/* an id: mostly small (existing spans and cards), sometimes extreme */
static uint32_t random_id(void)
{
	switch (rn(8)) {
	case 0:
		return 0;
	case 1:
		return (uint32_t)rnd();
	case 2:
		return 0xFFFFFFFFu - rn(3);
	case 3:
		return 126 + rn(5);	/* around TDMX_MAX_SPANS */
	default:
		return 1 + rn(10);
	}
}

static void random_payload(uint8_t *p, size_t len)
{
	size_t i;
	uint8_t fill = (uint8_t)rnd();

	switch (rn(4)) {
	case 0:
		memset(p, 0, len);
		break;
	case 1:
		memset(p, 0xFF, len);
		break;
	case 2:
		memset(p, fill, len);
		break;
	default:
		for (i = 0; i < len; i++)
			p[i] = (uint8_t)rnd();
		break;
	}
	/* a plausible small number in the first octets now and then */
	if (len >= 4 && chance(40)) {
		uint32_t v = rn(3) ? random_id() : rn(40);

		memcpy(p, &v, 4);
	} else if (len && chance(40)) {
		p[0] = (uint8_t)rn(40);
	}
}

static void random_attrs(struct msg *m, unsigned int depth);

static void random_attr(struct msg *m, unsigned int depth)
{
	static const size_t lens[] = { 0, 1, 2, 3, 4, 5, 7, 8, 9, 12, 16, 31, 32, 33, 64, 255 };
	uint8_t data[512];
	uint16_t type;
	size_t len, at;

	if (chance(80))
		type = (uint16_t)rn(__TDMX_A_MAX + 3);
	else if (chance(50))
		type = (uint16_t)rn(__TDMX_A_CNT_MAX + 2);
	else
		type = (uint16_t)rnd();
	if (chance(10))
		type |= NLA_F_NESTED;
	if (chance(3))
		type |= NLA_F_NET_BYTEORDER;
	if (depth < 3 && chance(12)) {
		at = nest_start(m, (uint16_t)(type | (chance(70) ? NLA_F_NESTED : 0)));
		if (!at)
			return;
		random_attrs(m, depth + 1);
		nest_end(m, at);
		return;
	}
	len = chance(85) ? lens[rn(sizeof(lens) / sizeof(lens[0]))] : rn(sizeof(data));
	random_payload(data, len);
	if (chance(15)) {
		/* a string, terminated or not */
		len = 1 + rn(40);
		memset(data, 'a' + (int)rn(26), len);
		if (chance(60))
			data[len - 1] = 0;
	}
	put(m, type, data, len);
}

static void random_attrs(struct msg *m, unsigned int depth)
{
	unsigned int i, n = rn(depth ? 5 : 11);

	for (i = 0; i < n; i++)
		random_attr(m, depth);
}

static void gen_random(struct msg *m)
{
	uint8_t version = chance(85) ? TDMX_GENL_VERSION : (uint8_t)rn(4);
	uint16_t reserved = chance(95) ? 0 : (uint16_t)rnd();
	struct nlattr *last = NULL;

	msg_begin(m, family, random_flags(), random_cmd(), version, reserved);
	random_attrs(m, 0);
	/* now and then a broken attribute header at the end */
	if (chance(5) && room(m) >= 8) {
		last = (struct nlattr *)(m->buf + m->len);
		last->nla_type = (uint16_t)rn(__TDMX_A_MAX + 1);
		last->nla_len = (uint16_t)(chance(50) ? rn(NLA_HDRLEN) : 8 + rn(200));
		memset(m->buf + m->len + NLA_HDRLEN, 0xA5, 4);
		m->len += 8;
	}
	msg_end(m);
	/* and a message length that lies */
	if (chance(3)) {
		struct nlmsghdr *nlh = msg_hdr(m);

		switch (rn(3)) {
		case 0:
			nlh->nlmsg_len = (uint32_t)rn(NLMSG_HDRLEN + GENL_HDRLEN + 1);
			break;
		case 1:
			nlh->nlmsg_len += 4 + rn(64);
			break;
		default:
			nlh->nlmsg_len = (uint32_t)rnd();
			break;
		}
	}
}

/* values for a u8 setting: in range, at and beyond the policy's ends */
static uint8_t around(uint8_t lo, uint8_t hi)
{
	switch (rn(6)) {
	case 0:
		return (uint8_t)(lo - 1);
	case 1:
		return (uint8_t)(hi + 1);
	case 2:
		return (uint8_t)rnd();
	default:
		return (uint8_t)(lo + rn((uint32_t)(hi - lo + 1)));
	}
}

static void gen_valid(struct msg *m)
{
	uint16_t flags = NLM_F_REQUEST | (chance(70) ? NLM_F_ACK : 0);
	uint8_t cmd;

	switch (rn(14)) {
	case 0:
		cmd = TDMX_CMD_SPAN_GET;
		if (chance(50))
			flags |= NLM_F_DUMP;
		msg_begin(m, family, flags, cmd, 1, 0);
		if (!(flags & NLM_F_DUMP) || chance(20))
			put_u32(m, TDMX_A_SPAN_ID, random_id());
		break;
	case 1:
	case 2:
		cmd = TDMX_CMD_SPAN_SET;
		msg_begin(m, family, flags, cmd, 1, 0);
		if (chance(95))
			put_u32(m, TDMX_A_SPAN_ID, random_id());
		if (chance(40))
			put_u8(m, TDMX_A_SPAN_FRAMING, around(TDMX_FRAMING_E1_UNFRAMED, TDMX_FRAMING_T1_ESF));
		if (chance(20))
			put_u8(m, TDMX_A_SPAN_LINECODE, around(TDMX_LINECODE_HDB3, TDMX_LINECODE_B8ZS));
		if (chance(40))
			put_u8(m, TDMX_A_SPAN_SIGNALLING, around(TDMX_SIG_NONE, TDMX_SIG_CCS));
		if (chance(30))
			put_u8(m, TDMX_A_SPAN_DCHAN, around(1, 31));
		if (chance(20))
			put_u8(m, TDMX_A_SPAN_LAW, around(TDMX_LAW_ALAW, TDMX_LAW_ULAW));
		if (chance(20))
			put_u8(m, TDMX_A_SPAN_CLOCK_PRIO, (uint8_t)rnd());
		if (chance(20))
			put_u8(m, TDMX_A_SPAN_LOOPBACK, around(TDMX_LOOP_NONE, TDMX_LOOP_PAYLOAD));
		if (chance(20))
			put_u8(m, TDMX_A_SPAN_BLOCK_MS, around(1, 20));
		if (chance(5))	/* not in the policy */
			put_u8(m, TDMX_A_SPAN_CHANNELS, 5);
		break;
	case 3:
		cmd = TDMX_CMD_CHAN_GET;
		if (chance(50))
			flags |= NLM_F_DUMP;
		msg_begin(m, family, flags, cmd, 1, 0);
		if (chance(80))
			put_u32(m, TDMX_A_SPAN_ID, random_id());
		if (chance(60))
			put_u8(m, TDMX_A_CHAN_ID, around(1, 31));
		break;
	case 4:
	case 5:
		cmd = TDMX_CMD_CHAN_SET;
		msg_begin(m, family, flags, cmd, 1, 0);
		if (chance(95))
			put_u32(m, TDMX_A_SPAN_ID, random_id());
		if (chance(95))
			put_u8(m, TDMX_A_CHAN_ID, around(1, 31));
		if (chance(70))
			put_u8(m, TDMX_A_CHAN_TYPE, around(TDMX_CHAN_UNUSED, TDMX_CHAN_CAS));
		if (chance(50))
			put_u8(m, TDMX_A_CHAN_TX_ABCD, around(0, 15));
		break;
	case 6:
	case 7: {
		static const uint32_t bers[] = { 0, 1, 100, 100000, 1000000, 999999999,
						 1000000000, 1000000001, 0xFFFFFFFFu };

		cmd = TDMX_CMD_FAULT_SET;
		msg_begin(m, family, flags, cmd, 1, 0);
		if (chance(95))
			put_u32(m, TDMX_A_SPAN_ID, random_id());
		if (chance(30))
			put_u32(m, TDMX_A_FAULT_BER, bers[rn(sizeof(bers) / sizeof(bers[0]))]);
		if (chance(20))
			put_u32(m, TDMX_A_FAULT_BURST, chance(50) ? rn(70000) : (uint32_t)rnd());
		if (chance(20))
			put(m, TDMX_A_FAULT_SLIP, NULL, 0);
		if (chance(20))
			put_u8(m, TDMX_A_FAULT_LOS, (uint8_t)rn(3));
		if (chance(20))
			put_u8(m, TDMX_A_FAULT_AIS, (uint8_t)rn(3));
		if (chance(20))
			put_u8(m, TDMX_A_FAULT_NOCRC4, (uint8_t)rn(3));
		if (chance(20))
			put_u8(m, TDMX_A_FAULT_RAI, (uint8_t)rn(3));
		if (chance(25))
			put_s32(m, TDMX_A_FAULT_CLOCK_PPM, (int32_t)rn(2401) - 1200);
		break;
	}
	case 8:
		cmd = TDMX_CMD_VCARD_NEW;
		msg_begin(m, family, flags, cmd, 1, 0);
		if (chance(90))
			put_u8(m, TDMX_A_VCARD_TYPE, around(TDMX_VCARD_LOOP, TDMX_VCARD_TAP));
		if (chance(90))
			put_u8(m, TDMX_A_VCARD_LINE, around(TDMX_LINE_E1, TDMX_LINE_T1));
		break;
	case 9:
		cmd = TDMX_CMD_VCARD_DEL;
		msg_begin(m, family, flags, cmd, 1, 0);
		if (chance(95))
			put_u32(m, TDMX_A_VCARD_ID, ntrack && chance(50) ? track[rn(ntrack)] : random_id());
		break;
	case 10:
		cmd = TDMX_CMD_VCARD_GET;
		msg_begin(m, family, flags | (chance(80) ? NLM_F_DUMP : 0), cmd, 1, 0);
		if (chance(10))
			put_u32(m, TDMX_A_VCARD_ID, random_id());	/* no policy: refused */
		break;
	case 11:
		cmd = TDMX_CMD_COUNTERS_GET;
		if (chance(50))
			flags |= NLM_F_DUMP;
		msg_begin(m, family, flags, cmd, 1, 0);
		if (chance(70))
			put_u32(m, TDMX_A_SPAN_ID, random_id());
		break;
	case 12:
		cmd = TDMX_CMD_COUNTERS_RESET;
		msg_begin(m, family, flags, cmd, 1, 0);
		if (chance(70))
			put_u32(m, TDMX_A_SPAN_ID, random_id());
		break;
	default:
		/* a valid-looking request of a notification-only command */
		cmd = (uint8_t)(chance(50) ? TDMX_CMD_ALARM_NTF :
				chance(50) ? TDMX_CMD_SPAN_NTF : TDMX_CMD_UNSPEC);
		msg_begin(m, family, flags, cmd, 1, 0);
		put_u32(m, TDMX_A_SPAN_ID, random_id());
		break;
	}
	/* a wrong type for one attribute now and then */
	if (chance(8)) {
		uint64_t v = rnd();

		put(m, (uint16_t)(TDMX_A_SPAN_ID + rn(TDMX_A_MAX - 2)), &v, 1 + rn(8));
	}
	msg_end(m);
}

/* ------------------------------------------------------------------ main */

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void usage(void)
{
	fprintf(stderr, "usage: tdmx-nlfuzz [-n MESSAGES] [-t SECONDS] [-s SEED] [-c MAXCARDS] [-v]\n");
	exit(KT_SETUP);
}

int main(int argc, char **argv)
{
	static struct msg m;
	unsigned long max_msgs = 20000, kinds[3] = { 0 };
	unsigned int seconds = 60, i;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	uint64_t seed;
	double t0, deadline;
	int opt, bufsize = 1 << 20, one = 1, n;

	kt_prog = "tdmx-nlfuzz";
	setvbuf(stdout, NULL, _IOLBF, 0);
	{
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		seed = (uint64_t)ts.tv_sec * 1000003u ^ (uint64_t)ts.tv_nsec ^ (uint64_t)getpid() << 32;
	}
	while ((opt = getopt(argc, argv, "n:t:s:c:vh")) != -1) {
		switch (opt) {
		case 'n':
			max_msgs = kt_uint(optarg, "messages", 1, 100000000);
			break;
		case 't':
			seconds = (unsigned int)kt_uint(optarg, "seconds", 1, 3600);
			break;
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'c':
			max_cards = (unsigned int)kt_uint(optarg, "max cards", 1, 60);
			break;
		case 'v':
			verbose = true;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	kt_msg("seed %llu (repeat with -s %llu)", (unsigned long long)seed,
	       (unsigned long long)seed);
	rng_state = seed ? seed : 1;
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);

	sock = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (sock < 0 || bind(sock, (struct sockaddr *)&sa, sizeof(sa))) {
		kt_msg("netlink socket: %s", strerror(errno));
		return KT_SETUP;
	}
	setsockopt(sock, SOL_SOCKET, SO_RCVBUF, &bufsize, sizeof(bufsize));
	setsockopt(sock, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	if (resolve_family()) {
		kt_msg("generic netlink family '%s' not found (module not loaded?)", TDMX_GENL_NAME);
		return KT_SETUP;
	}
	for (i = 0; i < ngrps; i++)
		if (setsockopt(sock, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &grp_ids[i],
			       sizeof(grp_ids[i])))
			kt_msg("joining multicast group %u: %s", grp_ids[i], strerror(errno));
	kt_msg("family id %u, %u multicast groups joined; up to %lu messages or %u s",
	       family, ngrps, max_msgs, seconds);

	t0 = kt_now_ms();
	deadline = t0 + seconds * 1000.0;
	while (!stop && sent < max_msgs && kt_now_ms() < deadline) {
		unsigned int kind = rn(100), parts = 1, p;

		m.len = 0;
		if (kind < 10)
			parts = 2 + rn(3);
		for (p = 0; p < parts; p++) {
			if (kind < 45 && chance(50)) {
				gen_random(&m);
				kinds[0]++;
			} else {
				gen_valid(&m);
				kinds[1]++;
			}
			if (parts > 1)
				kinds[2]++;
		}
		send_msg(&m);
		drain(0, NULL, NULL);
		if (sent % 200 == 0)
			limit_cards();
		if (sent % 2000 == 0)
			kt_msg("%lu messages, %.1f s", sent, (kt_now_ms() - t0) / 1000);
	}
	drain(0, NULL, NULL);
	limit_cards();

	kt_msg("sent %lu datagrams (%lu random, %lu valid-looking messages, %lu in batches) in %.1f s; %lu send errors",
	       sent, kinds[0], kinds[1], kinds[2], (kt_now_ms() - t0) / 1000, send_errors);
	kt_msg("received %lu replies (%lu dump parts, %lu done), %lu notifications, %lu acks ok, %lu overruns",
	       replies, dump_parts, dones, ntfs, acks_ok, overruns);
	kt_msg("cards created %lu, deleted by the fuzzer's limit %lu", cards_made, cards_deleted);
	for (i = 0; i < 160; i++)
		if (err_count[i])
			kt_msg("errno %u (%s): %lu", i, i < 159 ? strerror((int)i) : "other",
			       err_count[i]);

	/* the family must still answer */
	n = vcard_list();
	if (n < 0 || resolve_family()) {
		kt_msg("FAIL: the family does not answer after the fuzz");
		return KT_FAIL;
	}
	kt_msg("ok: the family still answers; %d cards exist", n);
	close(sock);
	return KT_PASS;
}
