// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tdmxd mixing graph (see mix.h for the rules).
 *
 * The graph is kept in three dense arrays that mix_process() walks once
 * per 1 ms block: plain bridges, supervised bridges (agent, caller,
 * supervisor) and conferences. Every change is O(1) (a conference join may
 * grow its member array), so the media path never rebuilds a plan. Each
 * port records its role and its index in the array that holds it; removals
 * swap the last entry into the hole and fix that entry's ports.
 *
 * A conference keeps its members partitioned, talkers first, so the sum
 * loop visits talkers only. Each talker's decoded block is kept next to it
 * for the mix-minus.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "g711.h"
#include "mix.h"

#define BLK	TDMX_RING_FRAMES	/* samples of one port in a 1 ms block */

enum mix_role {
	ROLE_FREE,
	ROLE_BRIDGE,	/* idx: bridges[], or sups[] when supervised */
	ROLE_SUP,	/* idx: sups[] */
	ROLE_CONF,	/* conf: id - 1, idx: member */
};

struct mix_port {
	uint8_t law;
	uint8_t role;
	uint8_t supervised;
	uint32_t idx;
	uint32_t conf;
};

struct mix_bridge {
	media_port a, b;
	uint8_t law_a, law_b;
	const uint8_t *x_ab, *x_ba;	/* NULL: same law, copy */
};

struct mix_sup {
	media_port agent, caller, sup;
	uint8_t mode;
	uint8_t law_a, law_c, law_s;
	const uint8_t *x_ac, *x_ca;
};

struct mix_member {
	media_port port;
	uint8_t law;
	uint8_t listen;
	int16_t own[BLK];	/* this block's decoded input (talkers) */
};

struct mix_conf {
	bool used;
	unsigned int max;	/* 0: no limit */
	unsigned int n, ntalk, cap;	/* mem[0..ntalk) talk */
	struct mix_member *mem;
	mix_tap_fn tap;		/* the recorder's, or NULL */
	void *tap_arg;
};

struct mix_counts {
	uint64_t copied, transcoded, summed, encoded;
};

struct mix {
	unsigned int max_ports, nspans;
	struct mix_port *port;
	struct mix_bridge *bridges;
	unsigned int nbridges;
	struct mix_sup *sups;
	unsigned int nsups;
	struct mix_conf *confs;
	unsigned int nconfs;	/* slots allocated; id = slot + 1 */
	const uint8_t **rxb;	/* per span: the current rx block, or NULL */
	uint8_t **txb;
	struct mix_stats st;
};

#define IDLE8(c)	{ c, c, c, c, c, c, c, c }
static const uint8_t idle_block[3][BLK] = {
	[MEDIA_ALAW] = IDLE8(G711_ALAW_IDLE),
	[MEDIA_ULAW] = IDLE8(G711_ULAW_IDLE),
};

/* ---- laws ---- */

static const int16_t *dec_of(uint8_t law)
{
	return law == MEDIA_ULAW ? g711_ulaw_dec_tab : g711_alaw_dec_tab;
}

static const uint8_t *enc_of(uint8_t law)
{
	return law == MEDIA_ULAW ? g711_ulaw_enc_tab : g711_alaw_enc_tab;
}

static uint8_t enc_clamped(const uint8_t *enc, int32_t v)
{
	if (v > INT16_MAX)
		v = INT16_MAX;
	else if (v < INT16_MIN)
		v = INT16_MIN;
	return enc[g711_enc_index((int16_t)v)];
}

/* ---- ports ---- */

static bool port_ok(const struct mix *m, media_port p)
{
	return p >= MEDIA_SPAN_TS && p < m->max_ports;
}

static void port_set(struct mix *m, media_port p, uint8_t role, uint32_t idx, bool supervised)
{
	m->port[p].role = role;
	m->port[p].idx = idx;
	m->port[p].supervised = supervised;
}

static void bridge_refresh(struct mix *m, struct mix_bridge *br)
{
	br->law_a = m->port[br->a].law;
	br->law_b = m->port[br->b].law;
	br->x_ab = g711_xcode_table(br->law_a, br->law_b);
	br->x_ba = g711_xcode_table(br->law_b, br->law_a);
}

static void sup_refresh(struct mix *m, struct mix_sup *s)
{
	s->law_a = m->port[s->agent].law;
	s->law_c = m->port[s->caller].law;
	s->law_s = m->port[s->sup].law;
	s->x_ac = g711_xcode_table(s->law_a, s->law_c);
	s->x_ca = g711_xcode_table(s->law_c, s->law_a);
}

struct mix *mix_new(unsigned int max_ports)
{
	struct mix *m;
	unsigned int p;

	if (max_ports < 2 * MEDIA_SPAN_TS || max_ports > MIX_MAX_PORTS)
		return NULL;
	m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	m->max_ports = max_ports;
	m->nspans = (max_ports + MEDIA_SPAN_TS - 1) / MEDIA_SPAN_TS;
	m->port = calloc(max_ports, sizeof(*m->port));
	m->bridges = calloc(max_ports / 2, sizeof(*m->bridges));
	m->sups = calloc(max_ports / 3, sizeof(*m->sups));
	m->rxb = calloc(m->nspans, sizeof(*m->rxb));
	m->txb = calloc(m->nspans, sizeof(*m->txb));
	if (!m->port || !m->bridges || !m->sups || !m->rxb || !m->txb)
		goto err_alloc;
	for (p = 0; p < max_ports; p++)
		m->port[p].law = MEDIA_ALAW;
	return m;

err_alloc:
	mix_free(m);
	return NULL;
}

void mix_free(struct mix *m)
{
	unsigned int i;

	if (!m)
		return;
	for (i = 0; i < m->nconfs; i++)
		free(m->confs[i].mem);
	free(m->confs);
	free(m->txb);
	free(m->rxb);
	free(m->sups);
	free(m->bridges);
	free(m->port);
	free(m);
}

int mix_set_law(struct mix *m, media_port p, enum media_law law)
{
	struct mix_port *pt;

	if (!port_ok(m, p) || !g711_law_valid(law))
		return -EINVAL;
	pt = &m->port[p];
	pt->law = (uint8_t)law;
	switch (pt->role) {
	case ROLE_BRIDGE:
		if (pt->supervised)
			sup_refresh(m, &m->sups[pt->idx]);
		else
			bridge_refresh(m, &m->bridges[pt->idx]);
		break;
	case ROLE_SUP:
		sup_refresh(m, &m->sups[pt->idx]);
		break;
	case ROLE_CONF:
		m->confs[pt->conf].mem[pt->idx].law = (uint8_t)law;
		break;
	}
	return 0;
}

int mix_set_span_law(struct mix *m, unsigned int span, enum media_law law)
{
	unsigned int ts;

	if (span < 1 || span >= m->nspans || !g711_law_valid(law) ||
	    media_port_of(span, MEDIA_SPAN_TS - 1) >= m->max_ports)
		return -EINVAL;
	for (ts = 0; ts < MEDIA_SPAN_TS; ts++)
		mix_set_law(m, media_port_of(span, ts), law);
	return 0;
}

int mix_port_law(const struct mix *m, media_port p)
{
	return port_ok(m, p) ? m->port[p].law : -EINVAL;
}

bool mix_port_owned(const struct mix *m, media_port p)
{
	const struct mix_port *pt;

	if (!port_ok(m, p))
		return false;
	pt = &m->port[p];
	switch (pt->role) {
	case ROLE_BRIDGE:
	case ROLE_SUP:
		return true;
	case ROLE_CONF:
		return m->confs[pt->conf].mem[pt->idx].listen;
	}
	return false;
}

/* ---- bridges and supervisors ---- */

static void bridge_add(struct mix *m, media_port a, media_port b)
{
	unsigned int i = m->nbridges++;

	m->bridges[i].a = a;
	m->bridges[i].b = b;
	bridge_refresh(m, &m->bridges[i]);
	port_set(m, a, ROLE_BRIDGE, i, false);
	port_set(m, b, ROLE_BRIDGE, i, false);
}

static void bridge_remove(struct mix *m, unsigned int i)
{
	unsigned int last = --m->nbridges;

	if (i != last) {
		m->bridges[i] = m->bridges[last];
		m->port[m->bridges[i].a].idx = i;
		m->port[m->bridges[i].b].idx = i;
	}
}

static void sup_remove(struct mix *m, unsigned int i)
{
	unsigned int last = --m->nsups;

	if (i != last) {
		m->sups[i] = m->sups[last];
		m->port[m->sups[i].agent].idx = i;
		m->port[m->sups[i].caller].idx = i;
		m->port[m->sups[i].sup].idx = i;
	}
}

int mix_bridge(struct mix *m, media_port a, media_port b)
{
	if (!port_ok(m, a) || !port_ok(m, b) || a == b)
		return -EINVAL;
	if (m->port[a].role != ROLE_FREE || m->port[b].role != ROLE_FREE)
		return -EBUSY;
	bridge_add(m, a, b);
	return 0;
}

int mix_unbridge(struct mix *m, media_port p)
{
	struct mix_port *pt;
	media_port a, b;

	if (!port_ok(m, p))
		return -EINVAL;
	pt = &m->port[p];
	if (pt->role != ROLE_BRIDGE)
		return -ENOENT;
	if (pt->supervised) {
		struct mix_sup *s = &m->sups[pt->idx];

		a = s->agent;
		b = s->caller;
		port_set(m, s->sup, ROLE_FREE, 0, false);
		sup_remove(m, pt->idx);
	} else {
		a = m->bridges[pt->idx].a;
		b = m->bridges[pt->idx].b;
		bridge_remove(m, pt->idx);
	}
	port_set(m, a, ROLE_FREE, 0, false);
	port_set(m, b, ROLE_FREE, 0, false);
	return 0;
}

int mix_peer(const struct mix *m, media_port p)
{
	const struct mix_port *pt;

	if (!port_ok(m, p) || m->port[p].role != ROLE_BRIDGE)
		return -ENOENT;
	pt = &m->port[p];
	if (pt->supervised) {
		const struct mix_sup *s = &m->sups[pt->idx];

		return (int)(s->agent == p ? s->caller : s->agent);
	}
	return (int)(m->bridges[pt->idx].a == p ? m->bridges[pt->idx].b : m->bridges[pt->idx].a);
}

static bool mode_ok(enum mix_sup_mode mode)
{
	return mode == MIX_SUP_LISTEN || mode == MIX_SUP_WHISPER || mode == MIX_SUP_BARGE;
}

int mix_supervise(struct mix *m, media_port sup, media_port agent, media_port caller,
		  enum mix_sup_mode mode)
{
	struct mix_sup *s;
	unsigned int i;

	if (!port_ok(m, sup) || !port_ok(m, agent) || !port_ok(m, caller) || !mode_ok(mode) ||
	    sup == agent || sup == caller || agent == caller)
		return -EINVAL;
	if (mix_peer(m, agent) != (int)caller)
		return -ENOTCONN;
	if (m->port[sup].role == ROLE_SUP) {
		s = &m->sups[m->port[sup].idx];
		if (m->port[agent].idx != m->port[sup].idx || !m->port[agent].supervised)
			return -EBUSY;	/* supervises another bridge */
		s->agent = agent;	/* roles may swap */
		s->caller = caller;
		s->mode = (uint8_t)mode;
		sup_refresh(m, s);
		return 0;
	}
	if (m->port[sup].role != ROLE_FREE || m->port[agent].supervised)
		return -EBUSY;
	bridge_remove(m, m->port[agent].idx);
	i = m->nsups++;
	s = &m->sups[i];
	s->agent = agent;
	s->caller = caller;
	s->sup = sup;
	s->mode = (uint8_t)mode;
	sup_refresh(m, s);
	port_set(m, agent, ROLE_BRIDGE, i, true);
	port_set(m, caller, ROLE_BRIDGE, i, true);
	port_set(m, sup, ROLE_SUP, i, false);
	return 0;
}

int mix_unsupervise(struct mix *m, media_port sup)
{
	struct mix_sup s;

	if (!port_ok(m, sup))
		return -EINVAL;
	if (m->port[sup].role != ROLE_SUP)
		return -ENOENT;
	s = m->sups[m->port[sup].idx];
	sup_remove(m, m->port[sup].idx);
	port_set(m, sup, ROLE_FREE, 0, false);
	bridge_add(m, s.agent, s.caller);
	return 0;
}

/* ---- conferences ---- */

static struct mix_conf *conf_get(struct mix *m, int id)
{
	if (id < 1 || (unsigned int)id > m->nconfs || !m->confs[id - 1].used)
		return NULL;
	return &m->confs[id - 1];
}

int mix_conf_new(struct mix *m, unsigned int max_members)
{
	struct mix_conf *confs;
	unsigned int i, n;

	for (i = 0; i < m->nconfs; i++)
		if (!m->confs[i].used)
			goto found;
	if (m->nconfs >= m->max_ports)
		return -ENOSPC;
	n = m->nconfs ? 2 * m->nconfs : 16;
	if (n > m->max_ports)
		n = m->max_ports;
	confs = realloc(m->confs, n * sizeof(*confs));
	if (!confs)
		return -ENOMEM;
	memset(confs + m->nconfs, 0, (n - m->nconfs) * sizeof(*confs));
	m->confs = confs;
	i = m->nconfs;
	m->nconfs = n;
found:
	m->confs[i].used = true;
	m->confs[i].max = max_members;
	return (int)i + 1;
}

static void member_put(struct mix *m, struct mix_conf *cf, unsigned int i,
		       const struct mix_member *mb)
{
	cf->mem[i] = *mb;
	m->port[mb->port].idx = i;
}

/* keeps talkers first: the last talker fills the hole, the last member its place */
static void member_remove(struct mix *m, struct mix_conf *cf, unsigned int i)
{
	if (i < cf->ntalk) {
		unsigned int last_talker = --cf->ntalk;

		if (i != last_talker)
			member_put(m, cf, i, &cf->mem[last_talker]);
		i = last_talker;
	}
	cf->n--;
	if (i != cf->n)
		member_put(m, cf, i, &cf->mem[cf->n]);
}

/* room for one more is there */
static void member_insert(struct mix *m, struct mix_conf *cf, const struct mix_member *mb,
			  bool talk)
{
	unsigned int i = cf->n++;

	if (talk) {
		if (i != cf->ntalk)
			member_put(m, cf, i, &cf->mem[cf->ntalk]);
		i = cf->ntalk++;
	}
	member_put(m, cf, i, mb);
}

int mix_conf_del(struct mix *m, int id)
{
	struct mix_conf *cf = conf_get(m, id);
	unsigned int i;

	if (!cf)
		return -ENOENT;
	for (i = 0; i < cf->n; i++)
		port_set(m, cf->mem[i].port, ROLE_FREE, 0, false);
	free(cf->mem);
	memset(cf, 0, sizeof(*cf));
	return 0;
}

int mix_conf_join(struct mix *m, int id, media_port p, bool talk, bool listen)
{
	struct mix_conf *cf;
	struct mix_member mb = { .port = p, .listen = listen };

	if (!port_ok(m, p))
		return -EINVAL;
	cf = conf_get(m, id);
	if (!cf)
		return -ENOENT;
	if (m->port[p].role != ROLE_FREE)
		return -EBUSY;
	if (cf->max && cf->n >= cf->max)
		return -ENOSPC;
	if (cf->n == cf->cap) {
		unsigned int cap = cf->cap ? 2 * cf->cap : 4;
		struct mix_member *mem = realloc(cf->mem, cap * sizeof(*mem));

		if (!mem)
			return -ENOMEM;
		cf->mem = mem;
		cf->cap = cap;
	}
	mb.law = m->port[p].law;
	port_set(m, p, ROLE_CONF, 0, false);
	m->port[p].conf = (uint32_t)(id - 1);
	member_insert(m, cf, &mb, talk);
	return 0;
}

static struct mix_conf *conf_of_port(struct mix *m, media_port p)
{
	if (!port_ok(m, p) || m->port[p].role != ROLE_CONF)
		return NULL;
	return &m->confs[m->port[p].conf];
}

int mix_conf_set(struct mix *m, media_port p, bool talk, bool listen)
{
	struct mix_conf *cf = conf_of_port(m, p);
	struct mix_member mb;

	if (!port_ok(m, p))
		return -EINVAL;
	if (!cf)
		return -ENOENT;
	mb = cf->mem[m->port[p].idx];
	mb.listen = listen;
	member_remove(m, cf, m->port[p].idx);
	member_insert(m, cf, &mb, talk);
	return 0;
}

int mix_conf_leave(struct mix *m, media_port p)
{
	struct mix_conf *cf = conf_of_port(m, p);

	if (!port_ok(m, p))
		return -EINVAL;
	if (!cf)
		return -ENOENT;
	member_remove(m, cf, m->port[p].idx);
	port_set(m, p, ROLE_FREE, 0, false);
	return 0;
}

int mix_conf_tap(struct mix *m, int id, mix_tap_fn fn, void *arg)
{
	struct mix_conf *cf = conf_get(m, id);

	if (!cf)
		return -ENOENT;
	cf->tap = fn;
	cf->tap_arg = fn ? arg : NULL;
	return 0;
}

const int16_t *mix_conf_talker_block(const struct mix *m, media_port p)
{
	const struct mix_port *pt;

	if (!port_ok(m, p) || m->port[p].role != ROLE_CONF)
		return NULL;
	pt = &m->port[p];
	/* talkers are mem[0..ntalk): their own[] holds this block's input */
	return pt->idx < m->confs[pt->conf].ntalk ? m->confs[pt->conf].mem[pt->idx].own : NULL;
}

int mix_conf_of(const struct mix *m, media_port p)
{
	if (!port_ok(m, p) || m->port[p].role != ROLE_CONF)
		return -ENOENT;
	return (int)m->port[p].conf + 1;
}

/* ---- processing: one 1 ms block ---- */

static const uint8_t *rx_of(const struct mix *m, media_port p, uint8_t law)
{
	const uint8_t *blk = m->rxb[p / MEDIA_SPAN_TS];

	return blk ? blk + (p % MEDIA_SPAN_TS) * BLK : idle_block[law];
}

static uint8_t *tx_of(const struct mix *m, media_port p)
{
	uint8_t *blk = m->txb[p / MEDIA_SPAN_TS];

	return blk ? blk + (p % MEDIA_SPAN_TS) * BLK : NULL;
}

/* one direction of a bridge: bit-exact copy or one table lookup */
static void path(uint8_t *dst, const uint8_t *src, const uint8_t *x, struct mix_counts *c)
{
	unsigned int i;

	if (!dst)
		return;
	if (!x) {
		memcpy(dst, src, BLK);
		c->copied += BLK;
		return;
	}
	for (i = 0; i < BLK; i++)
		dst[i] = x[src[i]];
	c->transcoded += BLK;
}

static void decode(int32_t *v, const uint8_t *src, uint8_t law)
{
	const int16_t *dec = dec_of(law);
	unsigned int i;

	for (i = 0; i < BLK; i++)
		v[i] = dec[src[i]];
}

static void encode_sum(uint8_t *dst, const int32_t *x, const int32_t *y, uint8_t law,
		       struct mix_counts *c)
{
	const uint8_t *enc = enc_of(law);
	unsigned int i;

	if (!dst)
		return;
	for (i = 0; i < BLK; i++)
		dst[i] = enc_clamped(enc, x[i] + y[i]);
	c->encoded += BLK;
}

static void run_bridges(const struct mix *m, struct mix_counts *c)
{
	unsigned int i;

	for (i = 0; i < m->nbridges; i++) {
		const struct mix_bridge *br = &m->bridges[i];

		path(tx_of(m, br->b), rx_of(m, br->a, br->law_a), br->x_ab, c);
		path(tx_of(m, br->a), rx_of(m, br->b, br->law_b), br->x_ba, c);
	}
}

static void run_sup(const struct mix *m, const struct mix_sup *s, struct mix_counts *c)
{
	const uint8_t *ra = rx_of(m, s->agent, s->law_a), *rc = rx_of(m, s->caller, s->law_c);
	const uint8_t *rs = rx_of(m, s->sup, s->law_s);
	uint8_t *ta = tx_of(m, s->agent), *tc = tx_of(m, s->caller), *ts = tx_of(m, s->sup);
	int32_t a[BLK], cl[BLK], sv[BLK];

	decode(a, ra, s->law_a);
	decode(cl, rc, s->law_c);
	c->summed += 2 * BLK;
	encode_sum(ts, a, cl, s->law_s, c);	/* every mode: agent + caller */
	switch (s->mode) {
	case MIX_SUP_LISTEN:
		path(ta, rc, s->x_ca, c);
		path(tc, ra, s->x_ac, c);
		break;
	case MIX_SUP_WHISPER:
		decode(sv, rs, s->law_s);
		c->summed += BLK;
		encode_sum(ta, cl, sv, s->law_a, c);
		path(tc, ra, s->x_ac, c);
		break;
	case MIX_SUP_BARGE:
		decode(sv, rs, s->law_s);
		c->summed += BLK;
		encode_sum(ta, cl, sv, s->law_a, c);
		encode_sum(tc, a, sv, s->law_c, c);
		break;
	}
}

static void run_conf(const struct mix *m, struct mix_conf *cf, struct mix_counts *c)
{
	int32_t sum[BLK] = { 0 };
	uint8_t shared[3][BLK];
	bool have[3] = { false, false, false };
	unsigned int i, k;

	for (i = 0; i < cf->ntalk; i++) {
		struct mix_member *mb = &cf->mem[i];
		const uint8_t *src = rx_of(m, mb->port, mb->law);
		const int16_t *dec = dec_of(mb->law);

		for (k = 0; k < BLK; k++) {
			mb->own[k] = dec[src[k]];
			sum[k] += mb->own[k];
		}
	}
	c->summed += (uint64_t)cf->ntalk * BLK;
	if (cf->tap)
		cf->tap(cf->tap_arg, sum);
	/* talkers that listen: everyone but themselves */
	for (i = 0; i < cf->ntalk; i++) {
		const struct mix_member *mb = &cf->mem[i];
		uint8_t *dst = mb->listen ? tx_of(m, mb->port) : NULL;
		const uint8_t *enc = enc_of(mb->law);

		if (!dst)
			continue;
		for (k = 0; k < BLK; k++)
			dst[k] = enc_clamped(enc, sum[k] - mb->own[k]);
		c->encoded += BLK;
	}
	/* listeners that do not talk: the whole sum, encoded once per law */
	for (; i < cf->n; i++) {
		const struct mix_member *mb = &cf->mem[i];
		uint8_t *dst = mb->listen ? tx_of(m, mb->port) : NULL;

		if (!dst)
			continue;
		if (!have[mb->law]) {
			const uint8_t *enc = enc_of(mb->law);

			for (k = 0; k < BLK; k++)
				shared[mb->law][k] = enc_clamped(enc, sum[k]);
			have[mb->law] = true;
			c->encoded += BLK;
		}
		memcpy(dst, shared[mb->law], BLK);
	}
}

static void run_block(struct mix *m, struct mix_counts *c)
{
	unsigned int i;

	run_bridges(m, c);
	for (i = 0; i < m->nsups; i++)
		run_sup(m, &m->sups[i], c);
	for (i = 0; i < m->nconfs; i++)
		if (m->confs[i].n)
			run_conf(m, &m->confs[i], c);
}

static bool ring_present(const struct mix_ring *r)
{
	return r->rx || r->tx;
}

/* octet offset of block index i (< 3 x blocks) */
static size_t ring_at(const struct mix_ring *r, size_t i)
{
	while (i >= r->blocks)
		i -= r->blocks;
	return i * TDMX_RING_BLOCK_BYTES;
}

int mix_process(struct mix *m, const struct mix_io *io, unsigned int nblk)
{
	struct mix_counts c = { 0 };
	unsigned int s, b, nspans;

	if (!io || (io->nspans && !io->span))
		return -EINVAL;
	nspans = io->nspans < m->nspans ? io->nspans : m->nspans;
	for (s = 1; s < nspans; s++) {
		const struct mix_ring *r = &io->span[s];

		if (ring_present(r) && (r->first >= r->blocks || r->ahead >= r->blocks ||
					nblk > r->blocks))
			return -EINVAL;
	}
	memset(m->rxb, 0, m->nspans * sizeof(*m->rxb));
	memset(m->txb, 0, m->nspans * sizeof(*m->txb));
	for (b = 0; b < nblk; b++) {
		for (s = 1; s < nspans; s++) {
			const struct mix_ring *r = &io->span[s];

			if (!ring_present(r))
				continue;
			if (r->rx)
				m->rxb[s] = r->rx + ring_at(r, r->first + b);
			if (r->tx)
				m->txb[s] = r->tx + ring_at(r, r->first + b + r->ahead);
		}
		run_block(m, &c);
	}
	m->st.blocks += nblk;
	m->st.copied += c.copied;
	m->st.transcoded += c.transcoded;
	m->st.summed += c.summed;
	m->st.encoded += c.encoded;
	return 0;
}

void mix_get_stats(const struct mix *m, struct mix_stats *st)
{
	*st = m->st;
}
