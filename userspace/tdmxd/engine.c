// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tdmxd media engine glue (see engine.h).
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "confrec.h"
#include "cpt.h"
#include "dtmf.h"
#include "engine.h"
#include "g711.h"
#include "log.h"
#include "mix.h"
#include "play.h"
#include "prompt.h"
#include "rec.h"
#include "recdb.h"
#include "tone.h"
#include "xlink.h"

#define NPORTS		((MEDIA_MAX_SPANS + 1) * MEDIA_SPAN_TS)
#define RING_BYTES	(TDMX_RING_BLOCKS * TDMX_RING_BLOCK_BYTES)
#define NAME_LEN	64
#define MEMBERS_LEN	(PATH_MAX + 256)
#define LOOP_OP_REC	LOOP_OP_USER1	/* the recorder's ring fd is readable */

/* --------------------------------------------------------- worker side */

struct gport;

struct gconf;

/* a recording on a group: of ports a [, b], or of a conference */
struct grec {
	char id[REC_ID_MAX];
	struct rec *r;
	media_port a, b;
	struct gconf *conf;	/* a conference recording (a, b: 0) */
	bool failed;
	struct grec *next;
};

/* a conference on a group */
struct gconf {
	char name[NAME_LEN];
	int id;
	unsigned int members;
	media_port first;	/* the member that opened it: the recordings' law */
	struct confrec *cr;	/* its recordings, or NULL */
	struct gconf *next;
};

/* what a group does with one port besides mixing it */
struct gport {
	media_port port;
	struct eng_group *g;
	struct player *pl;
	uint64_t play_conn;	/* where its playback events go */
	struct dtmf_det *dt;
	unsigned int dtmf_subs;	/* subscriptions */
	struct cpt_rx *cp;	/* call progress, while someone listens */
	unsigned int progress_subs;
	unsigned int bargein;	/* barge-in sequences queued */
	uint64_t samples;	/* rx sample clock (DTMF time stamps) */
	struct gport *next;	/* in the group's active list */
	bool active;
};

struct gspan {
	struct dspan *ds;
	uint8_t *scratch;	/* tx blocks before they go to the ring */
	unsigned int law;
	uint8_t idle;
	int64_t avail;
	bool live;
};

struct gstats {
	uint64_t bridges, confs, players, dtmf, cpt, recs, slips, xlinks;
	uint64_t xunderruns, xslips;	/* of the cross-worker jitter buffers read here */
	uint64_t xblocks;	/* blocks mixed for other workers' ports */
	uint64_t xhomed;	/* ports of our spans mixed on another worker */
};

/* a remote span on a mixer worker: the stand-in rings of its linked ports */
struct vspan {
	uint8_t *rx, *tx;
	unsigned int refs;	/* links of its ports */
	uint64_t pos;		/* blocks processed */
	uint8_t idle;
};

struct eng_group {
	struct eng *e;
	unsigned int idx;
	char name[16];
	struct loop *loop;
	struct mix *mix;
	struct rec_ctx *rec;
	bool rec_closing;	/* under e->lock: rec is being closed */
	char rec_err[96];
	unsigned int nspans;
	unsigned int span_nums[MEDIA_MAX_SPANS];
	struct gspan spans[MEDIA_MAX_SPANS + 1];
	struct mix_ring rings[MEDIA_MAX_SPANS + 1];
	struct gport *ports[NPORTS];
	struct gport *active;
	struct gconf *confs;
	struct grec *recs;
	struct xlink *xhome;		/* ports of our spans mixed elsewhere */
	struct xlink *homed[NPORTS];
	struct xlink *xmix;		/* other workers' ports mixed here */
	struct vspan *vspans[MEDIA_MAX_SPANS + 1];
	struct loop_timer tick;		/* mixes remote ports while we have no span */
	uint64_t tick_ms;		/* line time of the last tick */
	struct gstats st;	/* read by the control thread (relaxed) */
};

/* ------------------------------------------------------- control side */

struct route {
	struct eng_group *g;
	unsigned int law;
	unsigned int block_ms;
};

struct named {
	char name[NAME_LEN];
	struct eng_group *g;
	struct named *next;
};

struct sub {
	uint64_t conn;
	media_port port;
	enum ctl_cmd unsub;	/* the command that ends it */
	struct sub *next;
};

struct eng {
	struct ctl *ctl;
	struct dchan_ctl *dchans;	/* control thread: D-channel commands go there */
	unsigned int jitter_ms;
	char prompt_dir[PATH_MAX];
	char rec_dir[PATH_MAX];
	char rec_db[PATH_MAX];
	const struct tone_plan *plan;	/* atomic pointer: reload swaps it */
	struct prompt_cache *prompts;
	/* the control thread's view */
	struct route routes[MEDIA_MAX_SPANS + 1];
	struct named *confs;
	struct named *recs;
	struct sub *subs;
	struct xlink *xl[NPORTS];	/* ports mixed on another worker */
	struct xlink *links;		/* every link not freed yet (lock) */
	struct loop *loop;		/* the control thread's */
	uint64_t rec_seq;
	pthread_mutex_t lock;	/* groups[] */
	struct eng_group *groups[CFG_MAX_WORKERS];
};

static void set_plan(struct eng *e, const char *country)
{
	const struct tone_plan *p = tone_plan_find(country);

	if (!p) {
		log_warn("tones", "no tone plan '%s': using itu", country);
		p = tone_plan_find("itu");
	}
	__atomic_store_n(&e->plan, p, __ATOMIC_RELEASE);
}

/**
 * eng_create() - the engine (spans, groups and the control backend)
 * @ep: result
 * @c: configuration: jitter, prompts, tones, recordings
 *
 * dsp_init() must have run.
 *
 * Return: 0 or -ENOMEM.
 */
int eng_create(struct eng **ep, const struct cfg *c)
{
	struct eng *e = calloc(1, sizeof(*e));

	if (!e)
		return -ENOMEM;
	e->prompts = prompt_cache_new();
	if (!e->prompts) {
		free(e);
		return -ENOMEM;
	}
	pthread_mutex_init(&e->lock, NULL);
	e->jitter_ms = c->jitter_ms;
	snprintf(e->prompt_dir, sizeof(e->prompt_dir), "%s", c->prompt_dir);
	snprintf(e->rec_dir, sizeof(e->rec_dir), "%s", c->rec_dir);
	snprintf(e->rec_db, sizeof(e->rec_db), "%s", c->rec_db);
	set_plan(e, c->tone_country);
	*ep = e;
	return 0;
}

static void free_named(struct named *n)
{
	struct named *next;

	for (; n; n = next) {
		next = n->next;
		free(n);
	}
}

/* after every group is destroyed */
void eng_destroy(struct eng *e)
{
	struct sub *s, *next;

	if (!e)
		return;
	prompt_cache_free(e->prompts);
	free_named(e->confs);
	free_named(e->recs);
	/* e->xl[] and links on their way to a worker that stopped */
	while (e->links) {
		struct xlink *x = e->links;

		e->links = x->enext;
		xlink_free(x);
	}
	for (s = e->subs; s; s = next) {
		next = s->next;
		free(s);
	}
	pthread_mutex_destroy(&e->lock);
	free(e);
}

void eng_set_ctl(struct eng *e, struct ctl *c)
{
	e->ctl = c;
}

/* the control thread's loop: where workers hand released links back */
void eng_set_loop(struct eng *e, struct loop *l)
{
	e->loop = l;
}

void eng_set_dchans(struct eng *e, struct dchan_ctl *dc)
{
	e->dchans = dc;
}

/* apply a reloaded configuration (control thread) */
void eng_reconfigure(struct eng *e, const struct cfg *c)
{
	__atomic_store_n(&e->jitter_ms, c->jitter_ms, __ATOMIC_RELAXED);
	if (strcmp(e->prompt_dir, c->prompt_dir)) {
		snprintf(e->prompt_dir, sizeof(e->prompt_dir), "%s", c->prompt_dir);
		prompt_cache_forget(e->prompts, NULL);
	}
	set_plan(e, c->tone_country);
}

static void link_rehome(struct eng *e, unsigned int span, struct eng_group *g);

void eng_span_route(struct eng *e, unsigned int span, struct eng_group *g, unsigned int law,
		    unsigned int block_ms)
{
	if (g)
		link_rehome(e, span, g);
	e->routes[span].g = g;
	e->routes[span].law = law;
	e->routes[span].block_ms = block_ms;
}

/* ------------------------------------------------------------ events */

static void event(struct eng *e, enum ctl_ev kind, media_port port, uint64_t conn,
		  const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void event(struct eng *e, enum ctl_ev kind, media_port port, uint64_t conn,
		  const char *fmt, ...)
{
	char line[512];
	va_list ap;

	if (!e->ctl)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	ctl_event(e->ctl, kind, port, conn, line);
}

/* ---------------------------------------------------------- group ports */

static struct gport *gport_get(struct eng_group *g, media_port p)
{
	struct gport *gp = g->ports[p];

	if (gp)
		return gp;
	gp = calloc(1, sizeof(*gp));
	if (!gp)
		return NULL;
	gp->port = p;
	gp->g = g;
	g->ports[p] = gp;
	return gp;
}

/* keep the active list to the ports with a player or a detector */
static void gport_update(struct gport *gp)
{
	struct eng_group *g = gp->g;
	bool want = gp->pl || gp->dt || gp->cp;
	struct gport **pp;

	if (want && !gp->active) {
		gp->next = g->active;
		g->active = gp;
		gp->active = true;
	} else if (!want && gp->active) {
		for (pp = &g->active; *pp; pp = &(*pp)->next) {
			if (*pp == gp) {
				*pp = gp->next;
				break;
			}
		}
		gp->active = false;
	}
	if (!want) {
		g->ports[gp->port] = NULL;
		free(gp);
	}
}

static void on_digit(void *arg, const struct dtmf_event *ev)
{
	struct gport *gp = arg;
	char port[16];

	if (ev->type != DTMF_DIGIT_START)
		return;
	log_port(LOG_INFO, gp->port, "DTMF %c", ev->digit);
	if (gp->pl && gp->bargein)
		play_dtmf(gp->pl);
	if (gp->dtmf_subs)
		event(gp->g->e, CTL_EV_DTMF, gp->port, 0,
		      "{\"event\":\"dtmf\",\"port\":\"%s\",\"digit\":\"%c\",\"time_ms\":%llu,\"level_dbm0\":%d}",
		      ctl_port_text(port, gp->port), ev->digit,
		      (unsigned long long)(ev->start / MEDIA_SAMPLES_PER_MS), ev->level_dbm0);
}

/* a detector while someone listens or a barge-in prompt plays */
static int detector(struct gport *gp)
{
	static const struct dtmf_det_config cfg = DTMF_DET_CONFIG_DEFAULT;
	bool want = gp->dtmf_subs || gp->bargein;

	if (want && !gp->dt) {
		gp->dt = dtmf_det_new(&cfg, on_digit, gp);
		if (!gp->dt)
			return -ENOMEM;
		__atomic_add_fetch(&gp->g->st.dtmf, 1, __ATOMIC_RELAXED);
	} else if (!want && gp->dt) {
		dtmf_det_free(gp->dt);
		gp->dt = NULL;
		__atomic_sub_fetch(&gp->g->st.dtmf, 1, __ATOMIC_RELAXED);
	}
	return 0;
}

static void on_progress(void *arg, enum tone_id tone, uint64_t ts)
{
	struct gport *gp = arg;
	const char *name = tone == TONE_NONE ? "none" : tone_name(tone);
	char port[16];

	log_port(LOG_INFO, gp->port, "call progress: %s", name);
	event(gp->g->e, CTL_EV_PROGRESS, gp->port, 0,
	      "{\"event\":\"progress\",\"port\":\"%s\",\"tone\":\"%s\",\"ts\":%llu}",
	      ctl_port_text(port, gp->port), name,
	      (unsigned long long)(ts / MEDIA_SAMPLES_PER_MS));
}

/* a call progress detector while someone listens (the plan of the
 * subscription that created it) */
static int progress_detector(struct gport *gp, const struct tone_plan *plan)
{
	if (gp->progress_subs && !gp->cp) {
		gp->cp = cpt_rx_new(plan, on_progress, gp);
		if (!gp->cp)
			return -ENOMEM;
		__atomic_add_fetch(&gp->g->st.cpt, 1, __ATOMIC_RELAXED);
	} else if (!gp->progress_subs && gp->cp) {
		cpt_rx_free(gp->cp);
		gp->cp = NULL;
		__atomic_sub_fetch(&gp->g->st.cpt, 1, __ATOMIC_RELAXED);
	}
	return 0;
}

struct play_ctx {
	struct gport *gp;
	bool bargein;
};

static void on_play_done(void *arg, const struct play_done *d)
{
	struct play_ctx *pc = arg;
	struct gport *gp = pc->gp;
	static const char *const why[] = { "done", "stopped", "barged" };
	char port[16];

	event(gp->g->e, CTL_EV_CONN, gp->port, gp->play_conn,
	      "{\"event\":\"play_done\",\"port\":\"%s\",\"play\":%u,\"why\":\"%s\",\"played_ms\":%llu}",
	      ctl_port_text(port, gp->port), d->id, why[d->why],
	      (unsigned long long)(d->played / MEDIA_SAMPLES_PER_MS));
	if (pc->bargein && gp->bargein)
		gp->bargein--;
	free(pc);
	/* the player and detector go when idle, after the generate call */
}

/* drop an idle player and an unneeded detector (outside callbacks) */
static void gport_tidy(struct gport *gp)
{
	if (gp->pl && !play_busy(gp->pl)) {
		play_free(gp->pl);
		gp->pl = NULL;
		__atomic_sub_fetch(&gp->g->st.players, 1, __ATOMIC_RELAXED);
	}
	detector(gp);
	gport_update(gp);
}

/* ------------------------------------------------------------ processing */

static unsigned int slip_limit(const struct eng_group *g, const struct gspan *gs)
{
	return 2 * dspan_block_ms(gs->ds) + __atomic_load_n(&g->e->jitter_ms, __ATOMIC_RELAXED) + 8;
}

/* port work for block b (ring index i) of every span */
static void ports_block(struct eng_group *g, unsigned int b)
{
	struct gport *gp, *next;
	int16_t lin[TDMX_RING_FRAMES];
	unsigned int span, ts, i, f;
	struct gspan *gs;
	struct grec *r;

	for (gp = g->active; gp; gp = next) {
		next = gp->next;
		span = media_port_span(gp->port);
		ts = media_port_ts(gp->port);
		gs = &g->spans[span];
		if (!gs->live)
			continue;
		i = (g->rings[span].first + b) % TDMX_RING_BLOCKS;
		if (gp->pl && play_busy(gp->pl) && !mix_port_owned(g->mix, gp->port))
			play_generate_law(gp->pl, gs->law, gs->scratch + i * TDMX_RING_BLOCK_BYTES +
					  ts * TDMX_RING_FRAMES, TDMX_RING_FRAMES);
		if (gp->dt || gp->cp) {
			const uint8_t *rx = g->rings[span].rx + i * TDMX_RING_BLOCK_BYTES +
					    ts * TDMX_RING_FRAMES;

			for (f = 0; f < TDMX_RING_FRAMES; f++)
				lin[f] = gs->law == MEDIA_ULAW ? g711_ulaw_decode(rx[f]) :
								 g711_alaw_decode(rx[f]);
			if (gp->dt)
				dtmf_det_feed(gp->dt, lin, TDMX_RING_FRAMES, gp->samples);
			if (gp->cp)
				cpt_rx_feed(gp->cp, lin, TDMX_RING_FRAMES, gp->samples);
		}
		gp->samples += TDMX_RING_FRAMES;
		if ((gp->pl && !play_busy(gp->pl)) || (gp->dt && !gp->dtmf_subs && !gp->bargein))
			gport_tidy(gp);
	}
	for (r = g->recs; r; r = r->next) {
		const uint8_t *a = NULL, *bb = NULL;
		unsigned int sa = media_port_span(r->a), sb = media_port_span(r->b);

		/* conference recordings are fed by the mixer (confrec.h) */
		if (r->conf || r->failed || !g->spans[sa].live)
			continue;
		a = g->rings[sa].rx + ((g->rings[sa].first + b) % TDMX_RING_BLOCKS) *
		    TDMX_RING_BLOCK_BYTES + media_port_ts(r->a) * TDMX_RING_FRAMES;
		if (r->b && g->spans[sb].live)
			bb = g->rings[sb].rx + ((g->rings[sb].first + b) % TDMX_RING_BLOCKS) *
			     TDMX_RING_BLOCK_BYTES + media_port_ts(r->b) * TDMX_RING_FRAMES;
		else if (r->b)
			continue;
		if (rec_write_law(r->r, a, bb, TDMX_RING_FRAMES) < 0)
			r->failed = true;
	}
}

/* line the spans up; Return: blocks to process now (0: wait) */
static unsigned int line_up(struct eng_group *g)
{
	int64_t max = 0, nblk = INT64_MAX;
	unsigned int k;
	struct gspan *gs;

	for (k = 0; k < g->nspans; k++) {
		gs = &g->spans[g->span_nums[k]];
		gs->avail = dspan_avail(gs->ds);
		if (gs->avail > max)
			max = gs->avail;
	}
	if (max <= 0)
		return 0;
	for (k = 0; k < g->nspans; k++) {
		gs = &g->spans[g->span_nums[k]];
		/* stopped delivering: leave it out until it comes back */
		gs->live = !(gs->avail <= 0 && max >= slip_limit(g, gs));
		if (gs->live && gs->avail < nblk)
			nblk = gs->avail;
	}
	return nblk > 0 && nblk != INT64_MAX ? (unsigned int)nblk : 0;
}

static void clear_blocks(struct gspan *gs, uint32_t first, unsigned int n)
{
	unsigned int b;

	for (b = 0; b < n; b++)
		memset(gs->scratch + ((first + b) % TDMX_RING_BLOCKS) * TDMX_RING_BLOCK_BYTES,
		       gs->idle, TDMX_RING_BLOCK_BYTES);
}

/*
 * Cross-worker links (xlink.h), mixer side: the remote spans' stand-in
 * rings get the linked ports' rx from the up rings before the mixer runs;
 * after it (and after recordings read the rx), what the mixer wrote for
 * them goes down. Home side: our ports mixed elsewhere send their rx up
 * and take what they hear into the scratch tx blocks, last, so nothing
 * else on this worker writes them.
 */
/* the jitter buffers' underruns and slips, for status (relaxed: counters) */
static void xlinks_count(struct eng_group *g)
{
	uint64_t under = 0, slips = 0;
	struct xlink *x;

	for (x = g->xmix; x; x = x->mnext) {
		under += x->up_jb.underruns;
		slips += x->up_jb.slips;
	}
	for (x = g->xhome; x; x = x->hnext) {
		under += x->down_jb.underruns;
		slips += x->down_jb.slips;
	}
	__atomic_store_n(&g->st.xunderruns, under, __ATOMIC_RELAXED);
	/* counted on the mixer: blocks its remote ports went through */
	__atomic_store_n(&g->st.xslips, slips, __ATOMIC_RELAXED);
}

static void xlinks_in(struct eng_group *g, unsigned int nblk)
{
	struct vspan *vs;
	struct xlink *x;
	unsigned int span, b;
	uint32_t first;

	for (x = g->xmix; x; x = x->mnext) {
		span = media_port_span(x->port);
		vs = g->vspans[span];
		first = (uint32_t)(vs->pos % TDMX_RING_BLOCKS);
		g->rings[span].first = first;
		xlink_mixer_in(x, vs->rx, first, nblk, vs->idle);
	}
	xlinks_count(g);
	for (span = 1; span <= MEDIA_MAX_SPANS; span++) {
		vs = g->vspans[span];
		if (!vs)
			continue;
		first = (uint32_t)(vs->pos % TDMX_RING_BLOCKS);
		for (b = 0; b < nblk; b++)
			memset(vs->tx + ((first + b) % TDMX_RING_BLOCKS) * TDMX_RING_BLOCK_BYTES,
			       vs->idle, TDMX_RING_BLOCK_BYTES);
	}
}

static void xlinks_out(struct eng_group *g, unsigned int nblk)
{
	unsigned int span;
	struct gspan *gs;
	struct xlink *x;

	for (x = g->xmix; x; x = x->mnext) {
		span = media_port_span(x->port);
		xlink_mixer_out(x, g->vspans[span]->tx, g->rings[span].first, nblk);
		__atomic_store_n(&g->st.xblocks, g->st.xblocks + nblk, __ATOMIC_RELAXED);
	}
	for (x = g->xhome; x; x = x->hnext) {
		span = media_port_span(x->port);
		gs = &g->spans[span];
		if (!gs->ds || !gs->live)
			continue;
		xlink_home_blocks(x, g->rings[span].rx, gs->scratch, g->rings[span].first, nblk,
				  gs->idle);
	}
	xlinks_count(g);
	for (span = 1; span <= MEDIA_MAX_SPANS; span++)
		if (g->vspans[span])
			g->vspans[span]->pos += nblk;
}

static void group_blocks(struct eng_group *g, unsigned int nblk)
{
	struct mix_io io = { .span = g->rings, .nspans = MEDIA_MAX_SPANS + 1 };
	unsigned int k, b, num;
	uint64_t next, ahead, surplus;
	struct gspan *gs;
	int ret;

	for (k = 0; k < g->nspans; k++) {
		num = g->span_nums[k];
		gs = &g->spans[num];
		if (!gs->live) {
			g->rings[num].rx = NULL;
			g->rings[num].tx = NULL;
			continue;
		}
		g->rings[num].rx = dspan_rx_ring(gs->ds);
		g->rings[num].tx = gs->scratch;
		g->rings[num].blocks = TDMX_RING_BLOCKS;
		g->rings[num].first = (uint32_t)(dspan_next(gs->ds) % TDMX_RING_BLOCKS);
		clear_blocks(gs, g->rings[num].first, nblk);
	}
	xlinks_in(g, nblk);
	ret = mix_process(g->mix, &io, nblk);
	if (ret)
		log_err(g->name, "mix_process: %s", strerror(-ret));
	for (b = 0; b < nblk; b++)
		ports_block(g, b);
	xlinks_out(g, nblk);
	for (k = 0; k < g->nspans; k++) {
		num = g->span_nums[k];
		gs = &g->spans[num];
		if (!gs->live) {
			dspan_skip(gs->ds, gs->avail > 0 ? (uint64_t)gs->avail : 0, false);
			continue;
		}
		next = dspan_next(gs->ds);
		ahead = dspan_ahead(gs->ds);
		for (b = 0; b < nblk; b++) {
			memcpy(dspan_tx_block(gs->ds, next + b + ahead),
			       gs->scratch + ((next + b) % TDMX_RING_BLOCKS) * TDMX_RING_BLOCK_BYTES,
			       TDMX_RING_BLOCK_BYTES);
			dspan_tx_done(gs->ds, next + b + ahead);
		}
		dspan_consume(gs->ds, nblk);
		/* a span whose clock runs ahead of the others slips */
		surplus = (uint64_t)gs->avail - nblk;
		if (surplus > slip_limit(g, gs)) {
			log_span(LOG_NOTICE, num, "slip: %llu blocks ahead of the other spans dropped",
				 (unsigned long long)(surplus - 1));
			dspan_skip(gs->ds, surplus - 1, false);
			__atomic_add_fetch(&g->st.slips, 1, __ATOMIC_RELAXED);
		}
	}
	if (g->rec)
		rec_poll(g->rec);
}

static void group_process(struct eng_group *g)
{
	unsigned int nblk = line_up(g);

	if (nblk)
		group_blocks(g, nblk);
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* the batch a spanless mixer ticks with: what its links' homes expect */
static unsigned int tick_interval(const struct eng_group *g)
{
	return g->xmix && g->xmix->down_jb.batch ? g->xmix->down_jb.batch : 1;
}

/*
 * A worker that mixes other workers' ports but has no span of its own
 * (they were detached, or moved) is woken by no span: its own timer
 * paces it then, on the monotonic clock, so its links keep flowing. The
 * timer is an io_uring timeout on its loop, like every wait there.
 */
static void on_tick(struct loop_timer *t, void *arg)
{
	struct eng_group *g = arg;
	uint64_t now = now_ms(), n;

	(void)t;
	if (g->nspans || !g->xmix || loop_stopping(g->loop))
		return;
	n = now - g->tick_ms;
	/* a late tick processes what the line delivered meanwhile, up to
	 * what the stand-in rings hold */
	if (n > TDMX_RING_BLOCKS / 2)
		n = TDMX_RING_BLOCKS / 2;
	g->tick_ms = now;
	if (n)
		group_blocks(g, (unsigned int)n);
	loop_timer_arm(g->loop, &g->tick, tick_interval(g));
}

/* start the tick when the group mixes remote ports with no span */
static void tick_update(struct eng_group *g)
{
	if (g->nspans || !g->xmix || g->tick.armed)
		return;
	g->tick.fn = on_tick;
	g->tick.arg = g;
	g->tick_ms = now_ms();
	loop_timer_arm(g->loop, &g->tick, tick_interval(g));
}

static void group_wake(void *arg, struct dspan *s)
{
	(void)s;
	group_process(arg);
}

static const struct dspan_ops group_ops = {
	.wake = group_wake,
};

/* -------------------------------------------------------- group set-up */

/*
 * The recorder's own io_uring completes its file writes; group_process()
 * reaps them once per wake-up, but a worker whose spans are all gone (or
 * stopped delivering) is never woken. So the worker's loop also keeps a
 * multishot POLL_ADD on the recorder's ring fd (readable while completions
 * wait): every wait of the worker stays an io_uring operation on its loop,
 * and a recording stopped there still gets its tail written, its header
 * finalised and its record_done event sent.
 */
static void arm_rec_poll(struct eng_group *g)
{
	struct io_uring_sqe *sqe = loop_sqe(g->loop);

	io_uring_prep_poll_multishot(sqe, rec_fd(g->rec), POLLIN);
	io_uring_sqe_set_data64(sqe, loop_tag(LOOP_OP_REC, g));
}

static void on_rec_ready(struct loop *l, void *ptr, int res, unsigned int flags)
{
	struct eng_group *g = ptr;

	(void)l;
	if (res < 0 && res != -ECANCELED)
		log_err(g->name, "recorder poll: %s", strerror(-res));
	if (res == -ECANCELED || !g->rec)
		return;
	rec_poll(g->rec);
	/* a multishot poll ends on overflow or error: arm it again */
	if (!(flags & IORING_CQE_F_MORE) && !loop_stopping(g->loop))
		arm_rec_poll(g);
}

static void on_rec_event(const struct rec_event *ev, void *arg)
{
	struct eng_group *g = arg;
	uint64_t conn = (uint64_t)(uintptr_t)ev->user;

	if (ev->type == REC_EV_FAILED)
		log_err(g->name, "recording %s failed: %s", ev->id, ev->error_text);
	event(g->e, CTL_EV_CONN, 0, conn,
	      "{\"event\":\"%s\",\"rec\":\"%s\",\"duration_ms\":%llu,\"size\":%llu%s%s%s}",
	      ev->type == REC_EV_DONE ? "record_done" : "record_failed", ev->id,
	      (unsigned long long)ev->duration_ms, (unsigned long long)ev->size_bytes,
	      ev->error_text[0] ? ",\"error\":\"" : "", ev->error_text,
	      ev->error_text[0] ? "\"" : "");
}

/**
 * eng_group_create() - the media of one worker (on that worker's thread)
 * @e: the engine
 * @idx: worker number
 * @l: the worker's loop
 * @recover: repair recordings a crash left behind (one group does it,
 *	before any recording starts)
 *
 * A recorder that cannot be opened (no index directory, say) is logged
 * and leaves the group without recording.
 *
 * Return: the group, or NULL when out of memory.
 */
struct eng_group *eng_group_create(struct eng *e, unsigned int idx, struct loop *l, bool recover)
{
	struct rec_config rc = { 0 };
	struct eng_group *g = calloc(1, sizeof(*g));
	int ret;

	if (!g)
		return NULL;
	g->e = e;
	g->idx = idx;
	g->loop = l;
	snprintf(g->name, sizeof(g->name), "worker%u", idx);
	g->mix = mix_new(NPORTS);
	if (!g->mix) {
		free(g);
		return NULL;
	}
	rc.db_path = e->rec_db;
	rc.event = on_rec_event;
	rc.event_arg = g;
	ret = rec_open(&g->rec, &rc);
	if (ret) {
		if (snprintf(g->rec_err, sizeof(g->rec_err), "recording unavailable: index %s: %s",
			     e->rec_db, strerror(-ret)) >= (int)sizeof(g->rec_err))
			snprintf(g->rec_err, sizeof(g->rec_err), "recording unavailable: %s",
				 strerror(-ret));
		log_err(g->name, "%s", g->rec_err);
		g->rec = NULL;
	} else {
		loop_on(l, LOOP_OP_REC, on_rec_ready);
		arm_rec_poll(g);
	}
	if (g->rec && recover) {
		ret = rec_recover(g->rec, e->rec_dir);
		if (ret > 0)
			log_notice(g->name, "%d interrupted recordings repaired", ret);
		else if (ret < 0)
			log_err(g->name, "recovering recordings: %s", strerror(-ret));
	}
	pthread_mutex_lock(&e->lock);
	e->groups[idx] = g;
	pthread_mutex_unlock(&e->lock);
	return g;
}

/* stop and finalise everything (on the worker's thread, spans gone) */
void eng_group_destroy(struct eng_group *g)
{
	struct grec *r, *rn;
	struct gconf *c, *cn;
	unsigned int i;

	if (!g)
		return;
	for (r = g->recs; r; r = rn) {
		rn = r->next;
		rec_stop(r->r);
		free(r);
	}
	/* record_info() waits on the recorder under e->lock: not once closing */
	pthread_mutex_lock(&g->e->lock);
	g->rec_closing = true;
	pthread_mutex_unlock(&g->e->lock);
	/* waits until every file is finalised and its index row written */
	rec_close(g->rec);
	for (i = 0; i < NPORTS; i++) {
		struct gport *gp = g->ports[i];

		if (!gp)
			continue;
		if (gp->pl)
			play_free(gp->pl);
		if (gp->dt)
			dtmf_det_free(gp->dt);
		if (gp->cp)
			cpt_rx_free(gp->cp);
		free(gp);
	}
	for (c = g->confs; c; c = cn) {
		cn = c->next;
		confrec_free(c->cr);
		free(c);
	}
	loop_timer_cancel(&g->tick);
	/* links are the control thread's to free (eng_destroy()) */
	for (i = 1; i <= MEDIA_MAX_SPANS; i++) {
		if (!g->vspans[i])
			continue;
		free(g->vspans[i]->rx);
		free(g->vspans[i]->tx);
		free(g->vspans[i]);
	}
	mix_free(g->mix);
	pthread_mutex_lock(&g->e->lock);
	g->e->groups[g->idx] = NULL;
	pthread_mutex_unlock(&g->e->lock);
	free(g);
}

/* take @s's blocks (on the worker, before dspan_start()) */
void eng_group_span_add(struct eng_group *g, struct dspan *s)
{
	unsigned int num = dspan_num(s);
	struct gspan *gs = &g->spans[num];

	gs->scratch = malloc(RING_BYTES);
	if (!gs->scratch) {
		log_span(LOG_ERR, num, "out of memory: not processed");
		return;
	}
	gs->ds = s;
	gs->law = dspan_law(s);
	gs->idle = dspan_idle(gs->law);
	gs->live = true;
	mix_set_span_law(g->mix, num, gs->law);
	g->span_nums[g->nspans++] = num;
	dspan_set_ops(s, &group_ops, g);
}

/* forget @s (on the worker, after it stopped); its ports hear silence */
void eng_group_span_del(struct eng_group *g, struct dspan *s)
{
	unsigned int num = dspan_num(s), k;
	struct gspan *gs = &g->spans[num];

	if (gs->ds != s)
		return;
	for (k = 0; k < g->nspans; k++) {
		if (g->span_nums[k] == num) {
			g->span_nums[k] = g->span_nums[--g->nspans];
			break;
		}
	}
	free(gs->scratch);
	memset(gs, 0, sizeof(*gs));
	memset(&g->rings[num], 0, sizeof(g->rings[num]));
	tick_update(g);
}

/* ------------------------------------------------------- commands: jobs */

/**
 * struct job - a command on its way to a worker
 * @g: the group that carries it out
 * @d: the deferred reply (NULL: nobody waits, e.g. a closed connection's
 *	unsubscribe)
 * @q: the request; its strings point into this job
 */
struct job {
	struct eng_group *g;
	struct ctl_defer *d;
	struct ctl_req q;
	char conf[NAME_LEN];
	char call[REC_ID_MAX];
	char rec[REC_ID_MAX];
	char path[PATH_MAX];
	enum tone_id tone;
	const struct tone_plan *plan;
	unsigned int law;
	struct prompt *prompts[CTL_MAX_PROMPTS];
	unsigned int nprompts;
	struct xlink *links[2];	/* new cross-worker links the command needs */
	unsigned int nlinks;
	unsigned int attached;	/* of them, handed to their home worker */
};

static void job_free(struct job *j)
{
	unsigned int i;

	for (i = 0; i < j->nprompts; i++)
		prompt_put(j->prompts[i]);
	free(j);
}

static const char *mix_error(int err)
{
	switch (err) {
	case -EBUSY: return "the port is already in a bridge, conference or supervision";
	case -ENOENT: return "the port is not in the role this needs";
	case -ENOTCONN: return "the agent is not bridged";
	case -ENOSPC: return "no room for another conference member";
	default: return NULL;
	}
}

/* ----------------------------------------------- cross-worker links: workers */

/* every link is on the engine's list from creation to its free: links
 * still on their way to a worker when it stopped are freed at the end */
static void link_track(struct eng *e, struct xlink *x)
{
	pthread_mutex_lock(&e->lock);
	x->enext = e->links;
	e->links = x;
	pthread_mutex_unlock(&e->lock);
}

static void link_free(struct eng *e, struct xlink *x)
{
	struct xlink **pp;

	pthread_mutex_lock(&e->lock);
	for (pp = &e->links; *pp; pp = &(*pp)->enext) {
		if (*pp == x) {
			*pp = x->enext;
			break;
		}
	}
	pthread_mutex_unlock(&e->lock);
	xlink_free(x);
}

/* on the home worker: take the link, unless the port is mixed here */
static void home_attach(struct eng_group *g, struct xlink *x)
{
	if (mix_port_owned(g->mix, x->port) || mix_conf_of(g->mix, x->port) > 0 ||
	    g->homed[x->port]) {
		x->refused = true;
		return;
	}
	x->home_attached = true;
	x->hnext = g->xhome;
	g->xhome = x;
	g->homed[x->port] = x;
	__atomic_add_fetch(&g->st.xhomed, 1, __ATOMIC_RELAXED);
}

/* on the new home worker of a link whose span moved */
static void rehome_attach_call(void *arg)
{
	struct xlink *x = arg;

	x->rehoming = false;
	x->refused = false;
	home_attach(x->home, x);
	if (x->refused)
		log_err(((struct eng_group *)x->home)->name, "a moved span's link found its port busy: silent");
}

/* on the home worker: the mixer let go of the link; free it */
static void home_detach_call(void *arg)
{
	struct xlink *x = arg, **pp;
	struct eng_group *g = x->home;

	if (x->home_attached) {
		for (pp = &g->xhome; *pp; pp = &(*pp)->hnext) {
			if (*pp == x) {
				*pp = x->hnext;
				break;
			}
		}
		g->homed[x->port] = NULL;
		__atomic_sub_fetch(&g->st.xhomed, 1, __ATOMIC_RELAXED);
	}
	link_free(g->e, x);
}

/* on the control thread: forget a released link, then free it at home */
static void release_call(void *arg)
{
	struct xlink *x = arg;
	struct eng_group *home = x->home;
	struct eng *e = x->eng;

	bool home_runs;

	if (e->xl[x->port] == x)
		e->xl[x->port] = NULL;
	/* at shutdown the home worker may be gone (its group freed, its
	 * queued calls dropped): nobody else holds the link then */
	pthread_mutex_lock(&e->lock);
	home_runs = e->groups[x->home_idx] == home;
	pthread_mutex_unlock(&e->lock);
	if (!home_runs) {
		link_free(e, x);
		return;
	}
	if (loop_call(home->loop, home_detach_call, x))
		log_err("engine", "out of memory: a cross-worker link is not freed");
}

/* on the old home worker: let go of a link whose span moved, then hand it
 * to the new home (the link's jitter buffer primes again there) */
static void rehome_call(void *arg)
{
	struct xlink *x = arg, **pp;
	struct eng_group *g = x->home;	/* the old home, for now */
	struct eng *e = x->eng;
	struct eng_group *to;

	if (x->home_attached) {
		for (pp = &g->xhome; *pp; pp = &(*pp)->hnext) {
			if (*pp == x) {
				*pp = x->hnext;
				break;
			}
		}
		if (g->homed[x->port] == x)
			g->homed[x->port] = NULL;
		x->home_attached = false;
		__atomic_sub_fetch(&g->st.xhomed, 1, __ATOMIC_RELAXED);
	}
	pthread_mutex_lock(&e->lock);
	to = e->groups[x->rehome_idx];
	pthread_mutex_unlock(&e->lock);
	if (!to)
		return;		/* freed with the engine */
	x->home = to;
	x->home_idx = x->rehome_idx;
	/* the new home's phase differs: its buffer primes afresh */
	x->down_jb.primed = 0;
	if (loop_call(to->loop, rehome_attach_call, x))
		log_err("engine", "out of memory: a cross-worker link stays silent");
}

/*
 * On the control thread, when @span is attached (again) on worker @g: a
 * link of one of its ports still homed on the worker it left would stay
 * silent until the port left its bridge or conference; move it to @g.
 * A span that moved to the mixing worker itself cannot be both a stand-in
 * and a real span there: that link stays silent (logged) until its port
 * leaves the graph.
 */
static void link_rehome(struct eng *e, unsigned int span, struct eng_group *g)
{
	unsigned int ts;
	char a[LOG_OBJ_LEN];

	for (ts = 0; ts < MEDIA_SPAN_TS; ts++) {
		struct xlink *x = e->xl[media_port_of(span, ts)];

		if (!x || x->home == g || x->rehoming)
			continue;
		if (x->mixer == g) {
			log_warn("engine", "%s: its span moved to %s, which mixes it: silent until it leaves its bridge or conference",
				 log_port_name(a, x->port), g->name);
			continue;
		}
		x->rehoming = true;
		x->rehome_idx = g->idx;
		if (loop_call(((struct eng_group *)x->home)->loop, rehome_call, x)) {
			x->rehoming = false;
			log_err("engine", "out of memory: %s stays silent", log_port_name(a, x->port));
		}
	}
}

/* on the mixer: the port's stand-in span (created with its first link) */
static int vspan_get(struct eng_group *g, unsigned int span, unsigned int law)
{
	struct vspan *vs = g->vspans[span];

	if (!vs) {
		vs = calloc(1, sizeof(*vs));
		if (!vs)
			return -ENOMEM;
		vs->rx = malloc(RING_BYTES);
		vs->tx = malloc(RING_BYTES);
		if (!vs->rx || !vs->tx) {
			free(vs->rx);
			free(vs->tx);
			free(vs);
			return -ENOMEM;
		}
		vs->idle = dspan_idle(law);
		memset(vs->rx, vs->idle, RING_BYTES);
		memset(vs->tx, vs->idle, RING_BYTES);
		g->vspans[span] = vs;
		mix_set_span_law(g->mix, span, (enum media_law)law);
		g->rings[span] = (struct mix_ring){ .rx = vs->rx, .tx = vs->tx,
						    .blocks = TDMX_RING_BLOCKS };
		/* recordings read the rx of live spans */
		g->spans[span].live = true;
		g->spans[span].law = law;
		g->spans[span].idle = vs->idle;
	}
	vs->refs++;
	return 0;
}

static void vspan_put(struct eng_group *g, unsigned int span)
{
	struct vspan *vs = g->vspans[span];

	if (--vs->refs)
		return;
	g->vspans[span] = NULL;
	memset(&g->rings[span], 0, sizeof(g->rings[span]));
	memset(&g->spans[span], 0, sizeof(g->spans[span]));
	free(vs->rx);
	free(vs->tx);
	free(vs);
}

static int mixer_attach(struct eng_group *g, struct xlink *x)
{
	int ret = vspan_get(g, media_port_span(x->port), x->law);

	if (ret)
		return ret;
	x->mnext = g->xmix;
	g->xmix = x;
	__atomic_add_fetch(&g->st.xlinks, 1, __ATOMIC_RELAXED);
	tick_update(g);
	log_port(LOG_INFO, x->port, "mixed on %s (its span is on another worker)", g->name);
	return 0;
}

static bool port_recorded(const struct eng_group *g, media_port p)
{
	const struct grec *r;

	for (r = g->recs; r; r = r->next)
		if (r->a == p || r->b == p)
			return true;
	return false;
}

/*
 * On the mixer, after every command: let go of the links of ports that
 * left the graph and are not recorded. The control thread hears of it
 * before the command's reply (both go through its loop's queue, in
 * order), so the next command already sees the port free.
 */
static void mixer_gc(struct eng_group *g)
{
	struct xlink **pp = &g->xmix, *x;

	while ((x = *pp)) {
		if (mix_port_owned(g->mix, x->port) || mix_conf_of(g->mix, x->port) > 0 ||
		    port_recorded(g, x->port)) {
			pp = &x->mnext;
			continue;
		}
		*pp = x->mnext;
		vspan_put(g, media_port_span(x->port));
		__atomic_sub_fetch(&g->st.xlinks, 1, __ATOMIC_RELAXED);
		log_port(LOG_INFO, x->port, "no longer mixed on %s", g->name);
		if (loop_call(g->e->loop, release_call, x))
			log_err(g->name, "out of memory: a cross-worker link is not released");
	}
}

/* on the mixer, before the command: take the job's new links */
static int mixer_take_links(struct job *j, char *msg)
{
	char a[LOG_OBJ_LEN];
	unsigned int i;
	int ret = 0;

	for (i = 0; i < j->nlinks; i++) {
		struct xlink *x = j->links[i];

		if (x->refused) {
			snprintf(msg, CTL_ERR_LEN, "%s is already in a bridge, conference or supervision",
				 log_port_name(a, x->port));
			/* not attached here: hand it straight back */
			if (loop_call(j->g->e->loop, release_call, x))
				log_err(j->g->name, "out of memory: a cross-worker link is not released");
			ret = -EBUSY;
			continue;
		}
		if (mixer_attach(j->g, x)) {
			ret = -ENOMEM;
			if (loop_call(j->g->e->loop, release_call, x))
				log_err(j->g->name, "out of memory: a cross-worker link is not released");
		}
	}
	return ret;
}

static int do_bridge(struct job *j, char *msg)
{
	struct eng_group *g = j->g;
	char a[LOG_OBJ_LEN], b[LOG_OBJ_LEN];
	int ret;

	switch (j->q.cmd) {
	case CTL_BRIDGE:
		ret = mix_bridge(g->mix, j->q.a, j->q.b);
		if (ret == -EBUSY)
			snprintf(msg, CTL_ERR_LEN, "%s or %s is already in a bridge, conference or supervision",
				 log_port_name(a, j->q.a), log_port_name(b, j->q.b));
		if (!ret) {
			__atomic_add_fetch(&g->st.bridges, 1, __ATOMIC_RELAXED);
			log_port(LOG_INFO, j->q.a, "bridged to %s", log_port_name(b, j->q.b));
		}
		return ret;
	case CTL_UNBRIDGE:
		ret = mix_unbridge(g->mix, j->q.a);
		if (ret == -ENOENT)
			snprintf(msg, CTL_ERR_LEN, "%s is not bridged", log_port_name(a, j->q.a));
		if (!ret) {
			__atomic_sub_fetch(&g->st.bridges, 1, __ATOMIC_RELAXED);
			log_port(LOG_INFO, j->q.a, "unbridged");
		}
		return ret;
	default:
		return -EINVAL;
	}
}

static struct gconf *conf_find(struct eng_group *g, const char *name)
{
	struct gconf *c;

	for (c = g->confs; c; c = c->next)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

static struct gconf *conf_of(struct eng_group *g, media_port p)
{
	int id = mix_conf_of(g->mix, p);
	struct gconf *c;

	for (c = g->confs; c && id > 0; c = c->next)
		if (c->id == id)
			return c;
	return NULL;
}

static void conf_recs_end(struct eng_group *g, struct gconf *c);

static void conf_drop(struct eng_group *g, struct gconf *c)
{
	struct gconf **pp;

	conf_recs_end(g, c);
	mix_conf_del(g->mix, c->id);
	for (pp = &g->confs; *pp; pp = &(*pp)->next) {
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	}
	free(c);
	__atomic_sub_fetch(&g->st.confs, 1, __ATOMIC_RELAXED);
}

static int do_conf(struct job *j, char *msg)
{
	struct eng_group *g = j->g;
	bool talk = j->q.mode != CTL_CONF_LISTEN;
	char a[LOG_OBJ_LEN];
	struct gconf *c;
	int ret;

	switch (j->q.cmd) {
	case CTL_CONF_JOIN:
		c = conf_find(g, j->conf);
		if (!c) {
			c = calloc(1, sizeof(*c));
			if (!c)
				return -ENOMEM;
			ret = mix_conf_new(g->mix, 0);
			if (ret < 0) {
				free(c);
				return ret;
			}
			c->id = ret;
			c->first = j->q.a;
			snprintf(c->name, sizeof(c->name), "%s", j->conf);
			c->next = g->confs;
			g->confs = c;
			__atomic_add_fetch(&g->st.confs, 1, __ATOMIC_RELAXED);
		}
		ret = mix_conf_join(g->mix, c->id, j->q.a, talk, true);
		if (!ret) {
			c->members++;
			log_port(LOG_INFO, j->q.a, "joined conference %s (%s)", c->name,
				 talk ? "talk" : "listen");
		} else if (!c->members) {
			conf_drop(g, c);
		}
		return ret;
	case CTL_CONF_LEAVE:
		c = conf_of(g, j->q.a);
		if (!c) {
			snprintf(msg, CTL_ERR_LEN, "%s is in no conference", log_port_name(a, j->q.a));
			return -ENOENT;
		}
		ret = mix_conf_leave(g->mix, j->q.a);
		if (!ret && !--c->members)
			conf_drop(g, c);
		return ret;
	case CTL_CONF_MODE:
		ret = mix_conf_set(g->mix, j->q.a, talk, true);
		if (ret == -ENOENT)
			snprintf(msg, CTL_ERR_LEN, "%s is in no conference", log_port_name(a, j->q.a));
		return ret;
	default:
		return -EINVAL;
	}
}

static int do_supervise(struct job *j, char *msg)
{
	static const enum mix_sup_mode modes[] = {
		[CTL_SUP_LISTEN] = MIX_SUP_LISTEN,
		[CTL_SUP_WHISPER] = MIX_SUP_WHISPER,
		[CTL_SUP_BARGE] = MIX_SUP_BARGE,
	};
	struct eng_group *g = j->g;
	char a[LOG_OBJ_LEN];
	int caller;

	if (j->q.mode == CTL_SUP_NONE)
		return mix_unsupervise(g->mix, j->q.a);
	caller = mix_peer(g->mix, j->q.b);
	if (caller < 0) {
		snprintf(msg, CTL_ERR_LEN, "%s (the agent) is not bridged", log_port_name(a, j->q.b));
		return caller;
	}
	return mix_supervise(g->mix, j->q.a, j->q.b, (media_port)caller, modes[j->q.mode]);
}

static int do_play(struct job *j, char *msg, char *members)
{
	struct play_item items[CTL_MAX_PROMPTS];
	struct eng_group *g = j->g;
	unsigned int i, n = 0, flags = 0;
	struct play_ctx *pc;
	struct gport *gp;
	char a[LOG_OBJ_LEN];
	int ret;

	if (j->q.cmd == CTL_STOP) {
		gp = g->ports[j->q.a];
		if (!gp || !gp->pl || !play_busy(gp->pl)) {
			snprintf(msg, CTL_ERR_LEN, "%s plays nothing", log_port_name(a, j->q.a));
			return -ENOENT;
		}
		play_stop(gp->pl);
		return 0;
	}
	if (mix_port_owned(g->mix, j->q.a) || g->homed[j->q.a]) {
		snprintf(msg, CTL_ERR_LEN, "%s is mixed (bridge, conference or supervision): it cannot play",
			 log_port_name(a, j->q.a));
		return -EBUSY;
	}
	memset(items, 0, sizeof(items));
	if (j->nprompts) {
		for (i = 0; i < j->nprompts; i++) {
			items[n].kind = PLAY_PROMPT;
			items[n++].prompt = j->prompts[i];
		}
	} else {
		items[n].kind = PLAY_TONE;
		items[n].plan = j->plan;
		items[n++].tone = j->tone;
	}
	if (j->q.loop)
		flags |= PLAY_LOOP;
	if (j->q.bargein)
		flags |= PLAY_BARGE_IN;
	gp = gport_get(g, j->q.a);
	pc = malloc(sizeof(*pc));
	if (!gp || !pc) {
		free(pc);
		return -ENOMEM;
	}
	if (!gp->pl) {
		gp->pl = play_new();
		if (!gp->pl) {
			free(pc);
			gport_tidy(gp);
			return -ENOMEM;
		}
		__atomic_add_fetch(&g->st.players, 1, __ATOMIC_RELAXED);
	}
	pc->gp = gp;
	pc->bargein = j->q.bargein;
	gp->play_conn = j->q.conn;
	ret = play_enqueue(gp->pl, items, n, flags, on_play_done, pc);
	if (ret < 0) {
		free(pc);
		gport_tidy(gp);
		return ret;
	}
	if (j->q.bargein)
		gp->bargein++;
	if (detector(gp)) {
		gport_update(gp);
		return -ENOMEM;
	}
	gport_update(gp);
	snprintf(members, MEMBERS_LEN, "\"play\":%d", ret);
	return 0;
}

static int do_dtmf(struct job *j)
{
	struct gport *gp = j->g->ports[j->q.a];
	int ret;

	if (j->q.cmd == CTL_DTMF_SUBSCRIBE) {
		gp = gport_get(j->g, j->q.a);
		if (!gp)
			return -ENOMEM;
		gp->dtmf_subs++;
	} else if (gp && gp->dtmf_subs) {
		gp->dtmf_subs--;
	} else {
		return 0;
	}
	ret = detector(gp);
	gport_update(gp);
	return ret;
}

static int do_progress(struct job *j)
{
	struct gport *gp = j->g->ports[j->q.a];
	int ret;

	if (j->q.cmd == CTL_PROGRESS_SUBSCRIBE) {
		gp = gport_get(j->g, j->q.a);
		if (!gp)
			return -ENOMEM;
		gp->progress_subs++;
	} else if (gp && gp->progress_subs) {
		gp->progress_subs--;
	} else {
		return 0;
	}
	ret = progress_detector(gp, j->plan);
	if (ret)
		gp->progress_subs--;
	gport_update(gp);
	return ret;
}

static struct grec *rec_find(struct eng_group *g, const char *id, struct grec ***link)
{
	struct grec **pp;

	for (pp = &g->recs; *pp; pp = &(*pp)->next) {
		if (!strcmp((*pp)->id, id)) {
			if (link)
				*link = pp;
			return *pp;
		}
	}
	return NULL;
}

/*
 * Conference recordings: on the conference's mixer, fed by its tap
 * (confrec.h). They end with the conference: when its last member leaves,
 * each is stopped (record_done follows) before the conference goes.
 */
static void rec_unlink(struct eng_group *g, struct grec *r)
{
	struct grec **pp;

	for (pp = &g->recs; *pp; pp = &(*pp)->next) {
		if (*pp == r) {
			*pp = r->next;
			return;
		}
	}
}

/* stop a recording of the group (already unlinked from g->recs) */
static int rec_end(struct eng_group *g, struct grec *r)
{
	int ret;

	if (r->conf)
		confrec_remove(r->conf->cr, r->r);
	ret = rec_stop(r->r);
	free(r);
	__atomic_sub_fetch(&g->st.recs, 1, __ATOMIC_RELAXED);
	return ret;
}

static void conf_recs_end(struct eng_group *g, struct gconf *c)
{
	struct grec *r, *rn;

	for (r = g->recs; r; r = rn) {
		rn = r->next;
		if (r->conf != c)
			continue;
		rec_unlink(g, r);
		log_info(g->name, "recording %s stopped: conference %s ended", r->id, c->name);
		rec_end(g, r);
	}
	confrec_free(c->cr);
	c->cr = NULL;
}

/*
 * The members of conference @c now, for its index row: "span/ts" in port
 * order, comma-separated (a start-time note, so a walk over every possible
 * port is cheap enough). Return: a malloc'ed string, or NULL (no memory).
 */
static char *conf_ports(struct eng_group *g, const struct gconf *c)
{
	/* "128/31," is the longest member (MEDIA_MAX_SPANS); 10 leaves room */
	size_t cap = (size_t)c->members * 10 + 1, len = 0;
	char *s = malloc(cap);
	media_port p;

	if (!s)
		return NULL;
	s[0] = 0;
	for (p = media_port_of(1, 0); p < media_port_of(MEDIA_MAX_SPANS + 1, 0); p++) {
		if (mix_conf_of(g->mix, p) != c->id || len + 10 > cap)
			continue;
		len += snprintf(s + len, cap - len, "%s%u/%u", len ? "," : "",
				media_port_span(p), media_port_ts(p));
	}
	return s;
}

/* fill @p for a recording of conference j->conf; Return: the conference */
static struct gconf *conf_rec_params(struct job *j, struct rec_params *p, char *msg)
{
	struct eng_group *g = j->g;
	struct gconf *c = conf_find(g, j->conf);
	char a[LOG_OBJ_LEN];

	if (!c) {
		snprintf(msg, CTL_ERR_LEN, "no conference '%s'", j->conf);
		return NULL;
	}
	if (j->q.a && conf_of(g, j->q.a) != c) {
		snprintf(msg, CTL_ERR_LEN, "%s is not in conference %s", log_port_name(a, j->q.a),
			 c->name);
		return NULL;
	}
	/* the index row names the designated member (stereo: left) */
	p->port_a = j->q.a;
	p->port_b = 0;
	p->layout = j->q.stereo ? REC_STEREO : REC_MONO;
	/* the designated member's law, else the one of the member that opened it */
	p->law = (enum media_law)mix_port_law(g->mix, j->q.a ? j->q.a : c->first);
	p->conference = c->name;
	/* do_record() frees it; without memory the row just lacks the members */
	p->ports = conf_ports(g, c);
	return c;
}

static int conf_rec_attach(struct eng_group *g, struct gconf *c, struct grec *r,
			   enum rec_layout layout, media_port left)
{
	int ret = 0;

	if (!c->cr)
		ret = confrec_new(&c->cr, g->mix, c->id);
	if (!ret)
		ret = confrec_add(c->cr, r->r, layout, left);
	if (!ret)
		r->conf = c;
	return ret;
}

static int do_record(struct job *j, char *msg, char *members)
{
	struct eng_group *g = j->g;
	struct rec_params p = { 0 };
	struct gconf *conf = NULL;
	struct grec *r, **link;
	int ret;

	if (!g->rec) {
		snprintf(msg, CTL_ERR_LEN, "%s", g->rec_err);
		return -ENODEV;
	}
	if (j->q.cmd != CTL_RECORD_START) {
		r = rec_find(g, j->rec, &link);
		if (!r) {
			snprintf(msg, CTL_ERR_LEN, "no recording '%s' running", j->rec);
			return -ENOENT;
		}
		switch (j->q.cmd) {
		case CTL_RECORD_PAUSE:
			return rec_pause(r->r);
		case CTL_RECORD_RESUME:
			return rec_resume(r->r);
		default:
			*link = r->next;
			ret = rec_end(g, r);
			log_info(g->name, "recording %s stopped", j->rec);
			return ret;
		}
	}
	if (rec_find(g, j->rec, NULL)) {
		snprintf(msg, CTL_ERR_LEN, "recording '%s' is running already", j->rec);
		return -EEXIST;
	}
	if (j->conf[0]) {
		conf = conf_rec_params(j, &p, msg);
		if (!conf)
			return -ENOENT;
	} else {
		p.port_a = j->q.a;
		p.port_b = j->q.b;
		p.layout = j->q.stereo && j->q.b ? REC_STEREO : REC_MONO;
		/* the route's law: the span may have left the worker since */
		p.law = j->law;
	}
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	snprintf(r->id, sizeof(r->id), "%s", j->rec);
	r->a = conf ? 0 : j->q.a;
	r->b = conf ? 0 : j->q.b;
	p.id = j->rec;
	p.call_id = j->call[0] ? j->call : NULL;
	p.encoding = j->q.pcm16 ? REC_PCM16 : REC_LAW;
	p.path = j->path;
	p.user = (void *)(uintptr_t)j->q.conn;
	ret = rec_start(g->rec, &p, &r->r);
	free((char *)p.ports);
	if (ret) {
		free(r);
		snprintf(msg, CTL_ERR_LEN, "recording %s: %s", j->rec, strerror(-ret));
		return ret;
	}
	if (conf) {
		ret = conf_rec_attach(g, conf, r, p.layout, j->q.a);
		if (ret) {
			rec_stop(r->r);
			free(r);
			snprintf(msg, CTL_ERR_LEN, "recording %s: %s", j->rec, strerror(-ret));
			return ret;
		}
	}
	r->next = g->recs;
	g->recs = r;
	__atomic_add_fetch(&g->st.recs, 1, __ATOMIC_RELAXED);
	log_info(g->name, "recording %s to %s", j->rec, j->path);
	if (snprintf(members, MEMBERS_LEN, "\"rec\":\"%s\",\"path\":\"%s\"", j->rec,
		     j->path) >= MEMBERS_LEN)
		members[0] = 0;
	return 0;
}

/* on the worker: carry the command out and answer */
static void job_run(void *arg)
{
	struct job *j = arg;
	char msg[CTL_ERR_LEN] = "", members[MEMBERS_LEN] = "";
	int ret;

	ret = mixer_take_links(j, msg);
	switch (ret ? -1 : (int)j->q.cmd) {
	case -1:
		break;
	case CTL_BRIDGE:
	case CTL_UNBRIDGE:
		ret = do_bridge(j, msg);
		break;
	case CTL_CONF_JOIN:
	case CTL_CONF_LEAVE:
	case CTL_CONF_MODE:
		ret = do_conf(j, msg);
		break;
	case CTL_SUPERVISE:
		ret = do_supervise(j, msg);
		break;
	case CTL_PLAY:
	case CTL_TONE:
	case CTL_STOP:
		ret = do_play(j, msg, members);
		break;
	case CTL_DTMF_SUBSCRIBE:
	case CTL_DTMF_UNSUBSCRIBE:
		ret = do_dtmf(j);
		break;
	case CTL_PROGRESS_SUBSCRIBE:
	case CTL_PROGRESS_UNSUBSCRIBE:
		ret = do_progress(j);
		break;
	case CTL_RECORD_START:
	case CTL_RECORD_STOP:
	case CTL_RECORD_PAUSE:
	case CTL_RECORD_RESUME:
		ret = do_record(j, msg, members);
		break;
	default:
		ret = -EOPNOTSUPP;
		break;
	}
	if (ret < 0 && !msg[0] && mix_error(ret))
		snprintf(msg, sizeof(msg), "%s", mix_error(ret));
	mixer_gc(j->g);
	/* a command queues recorder work (open, tail, header) without a
	 * syscall: submit it now, not at the next span wake-up */
	if (j->g->rec)
		rec_poll(j->g->rec);
	if (j->d)
		ctl_defer_done(j->d, ret < 0 ? ret : 0, msg[0] ? msg : NULL, members);
	job_free(j);
}

/* ------------------------------------------------- commands: control side */

static struct named *named_find(struct named *list, const char *name)
{
	for (; list; list = list->next)
		if (!strcmp(list->name, name))
			return list;
	return NULL;
}

static struct named *named_add(struct named **list, const char *name, struct eng_group *g)
{
	struct named *n = calloc(1, sizeof(*n));

	if (!n)
		return NULL;
	snprintf(n->name, sizeof(n->name), "%s", name);
	n->g = g;
	n->next = *list;
	*list = n;
	return n;
}

/* the group of @p's span, or an error in @r */
static struct eng_group *group_of(struct eng *e, media_port p, struct ctl_reply *r)
{
	struct eng_group *g = e->routes[media_port_span(p)].g;

	if (!g)
		ctl_reply_error(r, -ENODEV, "span %u is not attached", media_port_span(p));
	return g;
}

/* commands on one port that its span's worker carries out (play, tone,
 * DTMF and call progress detection: they use its span's rx and tx) */
static int home_group(struct eng *e, media_port a, struct eng_group **gp, struct ctl_reply *r)
{
	*gp = group_of(e, a, r);
	return *gp ? 0 : -ENODEV;
}

/* ---------------------------------------- cross-worker links: control side */

/* the group that mixes @p: its link's mixer, or its span's worker */
static struct eng_group *mixer_of(struct eng *e, media_port p, struct ctl_reply *r)
{
	if (e->xl[p])
		return e->xl[p]->mixer;
	return group_of(e, p, r);
}

/* the longest wake interval of the spans of @g: its batch of blocks */
static unsigned int group_batch(const struct eng *e, const struct eng_group *g)
{
	unsigned int span, ms = 1;

	for (span = 1; span <= MEDIA_MAX_SPANS; span++)
		if (e->routes[span].g == g && e->routes[span].block_ms > ms)
			ms = e->routes[span].block_ms;
	return ms;
}

/*
 * Make @p mixable on @m: nothing to do if its span is there or it is
 * linked there already; a new link when its span is on another worker;
 * -EBUSY when it is mixed on a third worker.
 */
static int place(struct eng *e, struct job *j, media_port p, struct eng_group *m,
		 struct ctl_reply *r)
{
	struct eng_group *home = group_of(e, p, r);
	unsigned int jitter = __atomic_load_n(&e->jitter_ms, __ATOMIC_RELAXED);
	char a[LOG_OBJ_LEN];
	struct xlink *x;
	int ret;

	if (!home)
		return -ENODEV;
	if (e->xl[p] ? e->xl[p]->mixer == m : home == m)
		return 0;
	if (e->xl[p] || j->nlinks == sizeof(j->links) / sizeof(j->links[0]))
		return ctl_reply_error(r, -EBUSY, "%s is already in a bridge, conference or supervision on %s",
				       log_port_name(a, p),
				       ((struct eng_group *)(e->xl[p] ? e->xl[p]->mixer : home))->name);
	ret = xlink_new(&x, p, e->routes[media_port_span(p)].law,
			e->routes[media_port_span(p)].block_ms, group_batch(e, m), jitter);
	if (ret)
		return ret;
	x->home = home;
	x->home_idx = home->idx;
	x->eng = e;
	x->mixer = m;
	link_track(e, x);
	e->xl[p] = x;
	j->links[j->nlinks++] = x;
	return 0;
}

/* a command that failed before it left the control thread: drop its links */
static void unplace(struct eng *e, struct job *j)
{
	while (j->nlinks) {
		struct xlink *x = j->links[--j->nlinks];

		if (e->xl[x->port] == x)
			e->xl[x->port] = NULL;
		link_free(e, x);
	}
}

/* on a home worker: take the next new link, then go on */
static void job_route(struct job *j);

static void home_attach_call(void *arg)
{
	struct job *j = arg;
	struct xlink *x = j->links[j->attached++];

	home_attach(x->home, x);
	job_route(j);
}

/* a job visits the home workers of its new links, then its mixer */
static void job_route(struct job *j)
{
	struct loop *l = j->attached < j->nlinks ?
			 ((struct eng_group *)j->links[j->attached]->home)->loop : j->g->loop;

	if (loop_call(l, j->attached < j->nlinks ? home_attach_call : job_run, j)) {
		/* out of memory: nothing waits on a queue that cannot grow */
		log_err("engine", "out of memory: %s not carried out", ctl_cmd_name(j->q.cmd));
		if (j->d)
			ctl_defer_done(j->d, -ENOMEM, NULL, NULL);
		job_free(j);
	}
}

/* a recording: both ports mixed on one worker (a bridge across workers is) */
static int same_mixer(struct eng *e, media_port a, media_port b, struct eng_group **gp,
		      struct ctl_reply *r)
{
	struct eng_group *ga = mixer_of(e, a, r), *gb;

	if (!ga)
		return -ENODEV;
	*gp = ga;
	if (!b)
		return 0;
	gb = mixer_of(e, b, r);
	if (!gb)
		return -ENODEV;
	if (ga != gb)
		return ctl_reply_error(r, -EXDEV, "spans %u and %u are on different workers and the ports are not bridged (record each port, or bridge them first)",
				       media_port_span(a), media_port_span(b));
	return 0;
}

/* a conference recording: on the conference's mixer (members checked there) */
static int conf_mixer(struct eng *e, const struct ctl_req *q, struct job *j, struct ctl_reply *r)
{
	struct named *n = named_find(e->confs, q->conf);

	if (!n)
		return ctl_reply_error(r, -ENOENT, "no conference '%s'", q->conf);
	j->g = n->g;
	snprintf(j->conf, sizeof(j->conf), "%s", q->conf);
	return 0;
}

/* "name" or "name.wav" under the prompt directory, in the port's law */
static int load_prompts(struct eng *e, struct job *j, struct ctl_reply *r)
{
	char path[PATH_MAX], err[PROMPT_ERR_LEN];
	unsigned int i, law = e->routes[media_port_span(j->q.a)].law;
	const char *name;
	int ret;

	for (i = 0; i < j->q.nprompts; i++) {
		name = j->q.prompts[i];
		if (strstr(name, "..") || name[0] == '/')
			return ctl_reply_error(r, -EINVAL, "prompt '%s': not a name under the prompt directory",
					       name);
		if (snprintf(path, sizeof(path), "%s/%s%s", e->prompt_dir, name,
			     strchr(name, '.') ? "" : ".wav") >= (int)sizeof(path))
			return ctl_reply_error(r, -ENAMETOOLONG, "prompt '%s': path too long", name);
		ret = prompt_cache_get(e->prompts, path, (int)law, &j->prompts[i], err,
				       sizeof(err));
		if (ret)
			return ctl_reply_error(r, ret, "prompt '%s': %s", name, err);
		j->nprompts++;
	}
	return 0;
}

static int prepare(struct eng *e, const struct ctl_req *q, struct job *j, struct ctl_reply *r)
{
	struct named *n;
	int ret;

	switch (q->cmd) {
	case CTL_BRIDGE:
		/* mixed where the first port is; the second crosses if need be */
		j->g = mixer_of(e, q->a, r);
		if (!j->g)
			return -ENODEV;
		return place(e, j, q->b, j->g, r);
	case CTL_SUPERVISE:
		/* mixed with the agent's bridge */
		j->g = mixer_of(e, q->b, r);
		if (!j->g)
			return -ENODEV;
		return place(e, j, q->a, j->g, r);
	case CTL_CONF_JOIN:
		snprintf(j->conf, sizeof(j->conf), "%s", q->conf);
		n = named_find(e->confs, q->conf);
		j->g = n ? n->g : mixer_of(e, q->a, r);
		if (!j->g)
			return -ENODEV;
		ret = place(e, j, q->a, j->g, r);
		if (ret)
			return ret;
		if (!n && !named_add(&e->confs, q->conf, j->g))
			return -ENOMEM;
		return 0;
	case CTL_PLAY:
	case CTL_TONE:
		ret = home_group(e, q->a, &j->g, r);
		if (ret)
			return ret;
		j->plan = __atomic_load_n(&e->plan, __ATOMIC_ACQUIRE);
		if (q->tone) {
			j->tone = tone_parse(q->tone);
			if (j->tone == TONE_NONE || !tone_plan_def(j->plan, j->tone))
				return ctl_reply_error(r, -EINVAL, "no tone '%s' in tone plan %s",
						       q->tone, j->plan->name);
			return 0;
		}
		return load_prompts(e, j, r);
	case CTL_RECORD_START:
		ret = q->conf ? conf_mixer(e, q, j, r) : same_mixer(e, q->a, q->b, &j->g, r);
		if (ret)
			return ret;
		if (q->rec) {
			snprintf(j->rec, sizeof(j->rec), "%s", q->rec);
		} else {
			snprintf(j->rec, sizeof(j->rec), "r%lld-%llu", (long long)time(NULL),
				 (unsigned long long)++e->rec_seq);
		}
		if (named_find(e->recs, j->rec))
			return ctl_reply_error(r, -EEXIST, "recording id '%s' was used already", j->rec);
		if (!named_add(&e->recs, j->rec, j->g))
			return -ENOMEM;
		snprintf(j->call, sizeof(j->call), "%s", q->call ? q->call : "");
		/* a conference's law is its mixer's to tell */
		j->law = q->conf ? 0 : e->routes[media_port_span(q->a)].law;
		if (snprintf(j->path, sizeof(j->path), "%s/%s.wav", e->rec_dir, j->rec) >=
		    (int)sizeof(j->path))
			return ctl_reply_error(r, -ENAMETOOLONG, "recording path too long");
		return 0;
	case CTL_RECORD_STOP:
	case CTL_RECORD_PAUSE:
	case CTL_RECORD_RESUME:
		n = named_find(e->recs, q->rec);
		if (!n)
			return ctl_reply_error(r, -ENOENT, "no recording '%s'", q->rec);
		j->g = n->g;
		snprintf(j->rec, sizeof(j->rec), "%s", q->rec);
		return 0;
	case CTL_PROGRESS_SUBSCRIBE:
	case CTL_PROGRESS_UNSUBSCRIBE:
		/* the daemon's tone plan at subscription time */
		j->plan = __atomic_load_n(&e->plan, __ATOMIC_ACQUIRE);
		return home_group(e, q->a, &j->g, r);
	case CTL_UNBRIDGE:
	case CTL_CONF_LEAVE:
	case CTL_CONF_MODE:
		j->g = mixer_of(e, q->a, r);
		return j->g ? 0 : -ENODEV;
	case CTL_DTMF_SUBSCRIBE:
	case CTL_DTMF_UNSUBSCRIBE:
	case CTL_STOP:
		return home_group(e, q->a, &j->g, r);
	default:
		return ctl_reply_error(r, -EOPNOTSUPP, "%s: not available", ctl_cmd_name(q->cmd));
	}
}

static void track_sub(struct eng *e, const struct ctl_req *q)
{
	struct sub *s, **pp;

	enum ctl_cmd unsub = q->cmd == CTL_DTMF_SUBSCRIBE || q->cmd == CTL_DTMF_UNSUBSCRIBE ?
			     CTL_DTMF_UNSUBSCRIBE : CTL_PROGRESS_UNSUBSCRIBE;

	if (q->cmd == CTL_DTMF_SUBSCRIBE || q->cmd == CTL_PROGRESS_SUBSCRIBE) {
		s = calloc(1, sizeof(*s));
		if (!s)
			return;
		s->conn = q->conn;
		s->port = q->a;
		s->unsub = unsub;
		s->next = e->subs;
		e->subs = s;
		return;
	}
	for (pp = &e->subs; *pp; pp = &(*pp)->next) {
		if ((*pp)->conn == q->conn && (*pp)->port == q->a && (*pp)->unsub == unsub) {
			s = *pp;
			*pp = s->next;
			free(s);
			return;
		}
	}
}

static void status(struct eng *e, struct ctl_reply *r)
{
	struct tdmx_json *j = ctl_reply_json(r);
	struct dspan_stats st;
	unsigned int i, k;

	tdmx_json_arr_open(j, "spans");
	pthread_mutex_lock(&e->lock);
	for (i = 0; i < CFG_MAX_WORKERS; i++) {
		struct eng_group *g = e->groups[i];

		if (!g)
			continue;
		for (k = 0; k < MEDIA_MAX_SPANS; k++) {
			struct dspan *ds;
			unsigned int num;

			/* the span list belongs to the worker: read it racily but safely */
			num = __atomic_load_n(&g->span_nums[k], __ATOMIC_RELAXED);
			if (k >= __atomic_load_n(&g->nspans, __ATOMIC_RELAXED) || !num)
				break;
			ds = __atomic_load_n(&g->spans[num].ds, __ATOMIC_ACQUIRE);
			if (!ds)
				continue;
			dspan_get_stats(ds, &st);
			tdmx_json_obj_open(j, NULL);
			tdmx_json_uint(j, "span", num);
			tdmx_json_str(j, "law", e->routes[num].law == MEDIA_ULAW ? "ulaw" : "alaw");
			tdmx_json_uint(j, "block_ms", dspan_block_ms(ds));
			tdmx_json_uint(j, "ahead_ms", dspan_ahead(ds));
			tdmx_json_uint(j, "tx_delay_ms", dspan_tx_delay(ds));
			tdmx_json_uint(j, "channels", dspan_channels(ds));
			tdmx_json_str(j, "worker", g->name);
			tdmx_json_uint(j, "wakes", st.wakes);
			tdmx_json_uint(j, "blocks", st.blocks);
			tdmx_json_uint(j, "late_wakes", st.late);
			tdmx_json_uint(j, "max_batch", st.max_batch);
			tdmx_json_uint(j, "rx_lost", st.rx_lost);
			tdmx_json_uint(j, "tx_missed", st.tx_missed);
			tdmx_json_uint(j, "alarms", st.alarms);
			tdmx_json_obj_close(j);
		}
	}
	tdmx_json_arr_close(j);
	tdmx_json_arr_open(j, "workers");
	for (i = 0; i < CFG_MAX_WORKERS; i++) {
		struct eng_group *g = e->groups[i];

		if (!g)
			continue;
		tdmx_json_obj_open(j, NULL);
		tdmx_json_str(j, "worker", g->name);
		tdmx_json_uint(j, "bridges", __atomic_load_n(&g->st.bridges, __ATOMIC_RELAXED));
		tdmx_json_uint(j, "conferences", __atomic_load_n(&g->st.confs, __ATOMIC_RELAXED));
		tdmx_json_uint(j, "players", __atomic_load_n(&g->st.players, __ATOMIC_RELAXED));
		tdmx_json_uint(j, "dtmf_detectors", __atomic_load_n(&g->st.dtmf, __ATOMIC_RELAXED));
		tdmx_json_uint(j, "progress_detectors", __atomic_load_n(&g->st.cpt, __ATOMIC_RELAXED));
		tdmx_json_uint(j, "recordings", __atomic_load_n(&g->st.recs, __ATOMIC_RELAXED));
		tdmx_json_uint(j, "slips", __atomic_load_n(&g->st.slips, __ATOMIC_RELAXED));
		tdmx_json_uint(j, "remote_ports", __atomic_load_n(&g->st.xlinks, __ATOMIC_RELAXED));
		tdmx_json_uint(j, "remote_underruns", __atomic_load_n(&g->st.xunderruns, __ATOMIC_RELAXED));
		tdmx_json_uint(j, "remote_slips", __atomic_load_n(&g->st.xslips, __ATOMIC_RELAXED));
		tdmx_json_uint(j, "remote_blocks", __atomic_load_n(&g->st.xblocks, __ATOMIC_RELAXED));
		tdmx_json_uint(j, "linked_ports", __atomic_load_n(&g->st.xhomed, __ATOMIC_RELAXED));
		tdmx_json_bool(j, "recorder", g->rec != NULL);
		tdmx_json_obj_close(j);
	}
	pthread_mutex_unlock(&e->lock);
	tdmx_json_arr_close(j);
}

struct info_ctx {
	struct tdmx_json *j;
	bool found;
};

static int info_row(const struct recdb_row *row, void *arg)
{
	struct info_ctx *ic = arg;
	struct tdmx_json *j = ic->j;

	ic->found = true;
	tdmx_json_str(j, "rec", row->id);
	if (row->call_id)
		tdmx_json_str(j, "call", row->call_id);
	tdmx_json_str(j, "state", recdb_state_name(row->state));
	tdmx_json_str(j, "path", row->path ? row->path : "");
	tdmx_json_str(j, "start", row->start_utc ? row->start_utc : "");
	tdmx_json_int(j, "duration_ms", row->duration_ms);
	tdmx_json_int(j, "size", row->size_bytes);
	if (row->conference)
		tdmx_json_str(j, "conference", row->conference);
	if (row->ports)
		tdmx_json_str(j, "ports", row->ports);
	if (row->error)
		tdmx_json_str(j, "error", row->error);
	return 1;
}

/* a recording's index row (read on the control thread, never the media path) */
static int record_info(struct eng *e, const struct ctl_req *q, struct ctl_reply *r)
{
	struct info_ctx ic = { .j = ctl_reply_json(r) };
	struct recdb *db;
	unsigned int i;
	int ret;

	/*
	 * Rows are committed by each recorder's index thread: wait for the
	 * ones handed over, so that a recording reported done (record_done)
	 * reads as done here.
	 */
	pthread_mutex_lock(&e->lock);
	for (i = 0; i < CFG_MAX_WORKERS; i++) {
		struct eng_group *g = e->groups[i];

		if (g && g->rec && !g->rec_closing)
			rec_index_wait(g->rec);
	}
	pthread_mutex_unlock(&e->lock);
	ret = recdb_open(e->rec_db, &db);
	if (ret)
		return ctl_reply_error(r, ret, "recordings index %s: %s", e->rec_db, strerror(-ret));
	ret = recdb_get(db, q->rec, info_row, &ic);
	recdb_close(db);
	if (ret < 0 || !ic.found)
		return ctl_reply_error(r, ret < 0 && ret != -ENOENT ? ret : -ENOENT,
				       "no recording '%s' in the index", q->rec);
	return 0;
}

/**
 * eng_ctl_handle() - the control socket backend (struct ctl_backend)
 * @priv: the engine
 * @q: a checked request
 * @r: its reply
 *
 * Return: 0, CTL_DEFERRED (the worker answers), or a negative errno.
 */
int eng_ctl_handle(void *priv, const struct ctl_req *q, struct ctl_reply *r)
{
	struct eng *e = priv;
	struct job *j;
	int ret;

	if (q->cmd == CTL_STATUS) {
		status(e, r);
		if (e->dchans)
			dchan_ctl_status(e->dchans, ctl_reply_json(r));
		return 0;
	}
	if (ctl_cmd_hdlc(q->cmd))
		return e->dchans ? dchan_ctl_handle(e->dchans, q, r) :
		       ctl_reply_error(r, -ENOENT, "no D-channels");
	if (q->cmd == CTL_RECORD_INFO)
		return record_info(e, q, r);
	j = calloc(1, sizeof(*j));
	if (!j)
		return -ENOMEM;
	j->q = *q;
	ret = prepare(e, q, j, r);
	if (ret) {
		unplace(e, j);
		job_free(j);
		return ret;
	}
	j->q.conf = NULL;
	j->q.tone = NULL;
	j->q.call = NULL;
	j->q.rec = NULL;
	memset(j->q.prompts, 0, sizeof(j->q.prompts));
	if (ctl_cmd_subscribes(q->cmd))
		track_sub(e, q);
	j->d = ctl_reply_defer(r);
	if (!j->d) {
		unplace(e, j);
		job_free(j);
		return -ENOMEM;
	}
	job_route(j);
	return CTL_DEFERRED;
}

/* a control connection closed: end its DTMF and call progress subscriptions */
void eng_ctl_conn_closed(void *priv, uint64_t conn)
{
	struct eng *e = priv;
	struct sub *s, **pp = &e->subs;
	struct job *j;

	while ((s = *pp)) {
		if (s->conn != conn) {
			pp = &s->next;
			continue;
		}
		*pp = s->next;
		j = calloc(1, sizeof(*j));
		if (j && e->routes[media_port_span(s->port)].g) {
			j->g = e->routes[media_port_span(s->port)].g;
			j->q.cmd = s->unsub;
			j->q.a = s->port;
			j->plan = __atomic_load_n(&e->plan, __ATOMIC_ACQUIRE);
			if (loop_call(j->g->loop, job_run, j))
				free(j);
		} else {
			free(j);
		}
		free(s);
	}
}
