// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tdmx-acdsim run: the event loop and the engine's sink.
 *
 * Two clocks of future work exist: the simulator's own events (arrivals,
 * abandons, answers, call ends, shifts) in a heap, and the engine's
 * timers (ring timeouts, wrap-up ends, escalations, max waits), whose
 * next deadline acd_next_deadline() tells. The loop always takes the
 * earlier of the two; at equal times the engine's timers go first, as
 * they would inside the input anyway.
 *
 * The sink must not call the engine (-EDEADLK), so every decision the
 * engine hands back becomes a future event (an offer -> an answer after
 * the agent's answer delay, or a no-answer after the ring time; a connect
 * -> the call's end after its handle time). Those events can go stale (a
 * ring-all offer answered by another agent, an abandon after the caller
 * was connected): each carries the generation of the call slot or of the
 * agent's offer it was made for, and is dropped if that changed.
 *
 * Counting: a call belongs to the queue it arrived at and is measured if
 * it arrived in [warmup, duration); after the duration no new calls come
 * and the run goes on until every measured call is finished (or the
 * drain limit). Agent time counts inside [warmup, duration).
 */
#include <errno.h>
#include <fnmatch.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "acdsim.h"

#define SLOT_NONE	UINT32_MAX
#define REASON_SHIFT	1	/* not-ready reason the simulator uses at a shift end */
#define BACK_AFTER_MS	60000	/* an agent made not-ready for no-answer is back after */

enum call_state { CALL_FREE, CALL_WAITING, CALL_CONNECTED };

struct sim_call {
	uint64_t arrive_ms, connect_ms;
	uint32_t gen;			/* bumped when the slot is freed */
	uint32_t load;			/* the scenario load it came from */
	uint32_t next_free;
	uint8_t state;
	bool measured;
};

struct sim_agent {
	uint32_t group;
	enum acd_agent_state state;
	uint16_t reason;
	uint64_t since_ms;
	uint32_t offer_gen, offer_slot;	/* the offer ringing now */
	uint32_t wrap_gen;
	uint64_t wrap_start_ms;
	uint32_t h_queue;		/* the last call handled: its queue ... */
	bool h_measured;		/* ... and whether it is counted */
	bool leaving;			/* shift over: log out when free */
};

struct sim {
	const struct acd_config *c;
	const struct sim_scenario *s;
	struct acd *acd;
	struct sim_evq q;
	struct sim_rng rng;
	struct sim_call *call;
	uint32_t ncalls, capcalls, free_head;
	struct sim_agent *agent;
	struct sim_result *r;
	uint64_t now;
	uint64_t outstanding;		/* measured calls not finished */
	FILE *log;
	int err;			/* first failure, reported by sim_run */
	char *errbuf;
	size_t errlen;
};

static int fail(struct sim *m, int ret, const char *fmt, ...)
{
	va_list ap;

	if (m->err)
		return m->err;
	m->err = ret;
	va_start(ap, fmt);
	vsnprintf(m->errbuf, m->errlen, fmt, ap);
	va_end(ap);
	return ret;
}

static int push(struct sim *m, uint64_t t, enum sim_ev_kind k, uint32_t a, uint32_t b,
		uint32_t gen)
{
	int ret = sim_evq_push(&m->q, t, k, a, b, gen);

	return ret ? fail(m, ret, "out of memory (event list)") : 0;
}

/* --------------------------------------------------------- call slots */

static uint64_t call_id(const struct sim *m, uint32_t slot)
{
	return ((uint64_t)m->call[slot].gen << 32) | (slot + 1);
}

/* the slot of an engine call id, or SLOT_NONE if it is not ours any more */
static uint32_t slot_of(const struct sim *m, uint64_t id)
{
	uint32_t slot = (uint32_t)(id & 0xffffffffu) - 1;

	if (slot >= m->ncalls || m->call[slot].gen != (uint32_t)(id >> 32) ||
	    m->call[slot].state == CALL_FREE)
		return SLOT_NONE;
	return slot;
}

static int slot_alloc(struct sim *m, uint32_t *slot)
{
	struct sim_call *nv;
	uint32_t ncap;

	if (m->free_head != SLOT_NONE) {
		*slot = m->free_head;
		m->free_head = m->call[*slot].next_free;
		return 0;
	}
	if (m->ncalls == m->capcalls) {
		ncap = m->capcalls ? m->capcalls * 2 : 1024;
		nv = realloc(m->call, ncap * sizeof(*nv));
		if (!nv)
			return fail(m, -ENOMEM, "out of memory (calls)");
		m->call = nv;
		m->capcalls = ncap;
	}
	*slot = m->ncalls++;
	m->call[*slot].gen = 1;
	return 0;
}

/* the call is finished (or left for voicemail/callback): free its slot */
static void slot_free(struct sim *m, uint32_t slot)
{
	struct sim_call *c = &m->call[slot];

	if (c->measured)
		m->outstanding--;
	c->state = CALL_FREE;
	c->gen++;
	if (!c->gen)	/* a call id is never 0 in its high half either */
		c->gen = 1;
	c->next_free = m->free_head;
	m->free_head = slot;
}

static struct sim_queue_fig *qfig(struct sim *m, uint32_t slot)
{
	const struct sim_call *c = &m->call[slot];

	return c->measured ? &m->r->queue[m->s->load[c->load].queue] : NULL;
}

/* ------------------------------------------------------- agent time */

/* the part of [from, to) inside the measured window */
static uint64_t in_window(const struct sim *m, uint64_t from, uint64_t to)
{
	uint64_t lo = from > m->s->warmup_ms ? from : m->s->warmup_ms;
	uint64_t hi = to < m->s->duration_ms ? to : m->s->duration_ms;

	return hi > lo ? hi - lo : 0;
}

static void account(struct sim *m, struct sim_agent *g)
{
	struct sim_group_fig *f = &m->r->group[g->group];
	uint64_t d = in_window(m, g->since_ms, m->now);

	switch (g->state) {
	case ACD_AGENT_RINGING:
	case ACD_AGENT_TALKING:
	case ACD_AGENT_WRAPUP:
		f->busy_ms += d;
		break;
	case ACD_AGENT_READY:
		f->avail_ms += d;
		break;
	case ACD_AGENT_NOT_READY:
		f->not_ready_ms += d;
		break;
	default:
		break;
	}
	g->since_ms = m->now;
}

/* ------------------------------------------------------------- sink */

static void on_state(struct sim *m, const struct acd_event *ev)
{
	struct sim_agent *g = &m->agent[ev->agent];
	const struct sim_group *grp = &m->s->group[g->group];
	uint64_t wrap;

	account(m, g);
	if (ev->d.state.prev == ACD_AGENT_WRAPUP) {
		wrap = m->now - g->wrap_start_ms;
		if (g->h_measured) {
			m->r->queue[g->h_queue].wrap_sum_ms += wrap;
			m->r->group[g->group].wrap_sum_ms += wrap;
		}
	}
	g->state = ev->d.state.state;
	g->reason = ev->d.state.reason;
	if (g->state == ACD_AGENT_WRAPUP) {
		g->wrap_start_ms = m->now;
		g->wrap_gen++;
		if (grp->wrapup.kind != SIM_DIST_OFF)
			push(m, m->now + sim_dist_sample(&grp->wrapup, &m->rng), SIM_EV_WRAPUP_DONE,
			     ev->agent, 0, g->wrap_gen);
	}
	if (g->state != ACD_AGENT_NOT_READY)
		return;
	if (g->leaving)
		push(m, m->now, SIM_EV_LOGOUT, ev->agent, 0, 0);
	else if (g->reason == ACD_REASON_NO_ANSWER)
		/* a real agent made not-ready for missing calls comes back */
		push(m, m->now + BACK_AFTER_MS, SIM_EV_BACK, ev->agent, 0, 0);
}

static void on_offer(struct sim *m, const struct acd_event *ev)
{
	struct sim_agent *g = &m->agent[ev->agent];
	const struct sim_group *grp = &m->s->group[g->group];
	uint32_t slot = slot_of(m, ev->call);

	if (slot == SLOT_NONE) {
		fail(m, -EPROTO, "engine offered call %" PRIu64 " the simulator does not know",
		     ev->call);
		return;
	}
	g->offer_gen++;
	g->offer_slot = slot;
	if (grp->no_answer > 0 && sim_rng_unit(&m->rng) < grp->no_answer)
		push(m, m->now + grp->ring_for_ms, SIM_EV_NO_ANSWER, ev->agent, slot, g->offer_gen);
	else
		push(m, m->now + sim_dist_sample(&grp->answer_delay, &m->rng), SIM_EV_ANSWER,
		     ev->agent, slot, g->offer_gen);
}

static void offer_over(struct sim *m, uint32_t agent)
{
	m->agent[agent].offer_gen++;
	m->agent[agent].offer_slot = SLOT_NONE;
}

static void on_connect(struct sim *m, const struct acd_event *ev)
{
	uint32_t slot = slot_of(m, ev->call);
	struct sim_agent *g = &m->agent[ev->agent];
	struct sim_queue_fig *f;
	struct sim_call *c;
	uint64_t wait;
	uint32_t p;

	offer_over(m, ev->agent);
	if (slot == SLOT_NONE) {
		fail(m, -EPROTO, "engine connected call %" PRIu64 " the simulator does not know",
		     ev->call);
		return;
	}
	c = &m->call[slot];
	c->state = CALL_CONNECTED;
	c->connect_ms = m->now;
	g->h_queue = m->s->load[c->load].queue;
	g->h_measured = c->measured;
	f = qfig(m, slot);
	if (f) {
		wait = m->now - c->arrive_ms;
		f->answered++;
		f->answered_in_sl += wait <= f->sl_threshold_ms;
		f->wait_sum_ms += wait;
		if (wait > f->max_wait_ms)
			f->max_wait_ms = wait;
		p = ev->d.connect.predicted_ms;
		if (p != ACD_EWT_UNKNOWN) {
			f->ewt_n++;
			f->ewt_abs_err_ms += p > ev->d.connect.wait_ms ?
				(double)(p - ev->d.connect.wait_ms) : (double)(ev->d.connect.wait_ms - p);
			f->ewt_actual_ms += ev->d.connect.wait_ms;
		}
		m->r->group[g->group].answered++;
	}
	push(m, m->now + sim_dist_sample(&m->s->load[c->load].handle, &m->rng), SIM_EV_END, slot, 0,
	     c->gen);
}

static void on_call_gone(struct sim *m, const struct acd_event *ev)
{
	uint32_t slot = slot_of(m, ev->call);
	struct sim_queue_fig *f;
	struct sim_agent *g;
	uint64_t talk;

	if (slot == SLOT_NONE)
		return;
	f = qfig(m, slot);
	switch (ev->type) {
	case ACD_EV_CALL_ABANDON:
		if (f)
			f->abandoned++;
		break;
	case ACD_EV_CALL_REFUSED:
		if (f)
			f->refused++;
		break;
	case ACD_EV_OVERFLOW:
		/* to another queue: the engine keeps the call, and so do we */
		if (ev->d.leave.target.kind == ACD_TARGET_QUEUE)
			return;
		if (f)
			f->overflowed++;
		break;
	case ACD_EV_CALL_END:
		talk = m->now - m->call[slot].connect_ms;
		g = &m->agent[ev->agent != ACD_NONE ? ev->agent : 0];
		if (f && ev->agent != ACD_NONE) {
			f->talk_sum_ms += talk;
			f->handled++;
			m->r->group[g->group].talk_sum_ms += talk;
			m->r->group[g->group].handled++;
		}
		break;
	default:
		return;
	}
	slot_free(m, slot);
}

static void sink(void *arg, const struct acd_event *ev)
{
	struct sim *m = arg;
	int ret;

	m->r->engine_events++;
	if (m->log) {
		ret = acd_log_write(m->acd, ev, m->log);
		if (ret < 0)
			fail(m, ret, "writing the event log: %s", strerror(-ret));
	}
	switch (ev->type) {
	case ACD_EV_AGENT_STATE:
		on_state(m, ev);
		break;
	case ACD_EV_OFFER:
		on_offer(m, ev);
		break;
	case ACD_EV_OFFER_CANCEL:
		if (ev->d.cancel == ACD_CANCEL_TIMEOUT && ev->time_ms >= m->s->warmup_ms &&
		    ev->time_ms < m->s->duration_ms)
			m->r->group[m->agent[ev->agent].group].missed++;
		offer_over(m, ev->agent);
		break;
	case ACD_EV_CONNECT:
		on_connect(m, ev);
		break;
	case ACD_EV_CALL_ABANDON:
	case ACD_EV_CALL_REFUSED:
	case ACD_EV_OVERFLOW:
	case ACD_EV_CALL_END:
		on_call_gone(m, ev);
		break;
	default:
		break;
	}
}

/* ----------------------------------------------------------- inputs */

static const char *errname(int ret)
{
	return strerror(-ret);
}

/* an input the simulator made in a state where it must be accepted */
static int check(struct sim *m, int ret, const char *what, uint64_t call, uint32_t agent)
{
	m->r->engine_inputs++;
	if (!ret)
		return 0;
	return fail(m, ret, "engine refused %s at t=%" PRIu64 " ms (call %" PRIu64
		    ", agent %s): %s", what, m->now, call,
		    agent < m->c->nagents ? m->c->agent[agent].id : "-", errname(ret));
}

static int arrival(struct sim *m, uint32_t li)
{
	const struct sim_load *l = &m->s->load[li];
	struct sim_call *c;
	uint64_t gap, patience, id;
	uint32_t slot = 0, gen;
	uint8_t prio = l->priority;
	int ret;

	ret = slot_alloc(m, &slot);
	if (ret)
		return ret;
	c = &m->call[slot];
	c->arrive_ms = m->now;
	c->load = li;
	c->state = CALL_WAITING;
	c->measured = m->now >= m->s->warmup_ms;
	if (c->measured) {
		m->r->queue[l->queue].offered++;
		m->outstanding++;
	}
	if (l->vip_share > 0 && sim_rng_unit(&m->rng) < l->vip_share)
		prio = l->vip_priority;
	patience = sim_dist_sample(&l->patience, &m->rng);
	gen = c->gen;
	id = call_id(m, slot);
	/* the sink may free the slot at once (refused, overflowed) */
	ret = check(m, acd_call_arrive(m->acd, m->now, id, l->queue, prio, NULL, NULL, NULL),
		    "call-arrive", id, ACD_NONE);
	if (ret)
		return ret;
	if (patience != UINT64_MAX && m->call[slot].gen == gen)
		ret = push(m, m->now + patience, SIM_EV_ABANDON, slot, 0, gen);
	gap = sim_dist_sample(&(struct sim_dist){ SIM_DIST_EXP, 3600000.0 / l->rate_per_h, 0 },
			      &m->rng);
	if (!ret && m->now + gap < m->s->duration_ms)
		ret = push(m, m->now + gap, SIM_EV_ARRIVAL, li, 0, 0);
	return ret;
}

static int shift_start(struct sim *m, uint32_t ai)
{
	struct sim_agent *g = &m->agent[ai];
	bool was_leaving = g->leaving;

	g->leaving = false;
	if (g->state == ACD_AGENT_LOGGED_OUT)
		return check(m, acd_agent_login(m->acd, m->now, ai, true), "agent-login", 0, ai);
	if (g->state == ACD_AGENT_NOT_READY)
		return check(m, acd_agent_ready(m->acd, m->now, ai), "agent-ready", 0, ai);
	if (was_leaving && (g->state == ACD_AGENT_TALKING || g->state == ACD_AGENT_WRAPUP))
		/* back before the last call of the shift ended: cancel the pending not-ready */
		return check(m, acd_agent_ready(m->acd, m->now, ai), "agent-ready", 0, ai);
	return 0;
}

static int shift_end(struct sim *m, uint32_t ai)
{
	struct sim_agent *g = &m->agent[ai];

	switch (g->state) {
	case ACD_AGENT_LOGGED_OUT:
		return 0;
	case ACD_AGENT_TALKING:
	case ACD_AGENT_WRAPUP:
		/* finish the call first: not-ready now, logout when it applies */
		g->leaving = true;
		return check(m, acd_agent_not_ready(m->acd, m->now, ai, REASON_SHIFT),
			     "agent-not-ready", 0, ai);
	default:
		return check(m, acd_agent_logout(m->acd, m->now, ai), "agent-logout", 0, ai);
	}
}

static int handle(struct sim *m, const struct sim_ev *e)
{
	struct sim_agent *g;
	struct sim_call *c;
	int ret = 0;

	m->r->sim_events++;
	switch (e->kind) {
	case SIM_EV_ARRIVAL:
		return arrival(m, e->a);
	case SIM_EV_ABANDON:
	case SIM_EV_END:
		c = &m->call[e->a];
		if (c->gen != e->gen)
			return 0;	/* stale: the call is gone */
		if (e->kind == SIM_EV_ABANDON && c->state == CALL_WAITING)
			return check(m, acd_call_abandon(m->acd, m->now, call_id(m, e->a)),
				     "call-abandon", call_id(m, e->a), ACD_NONE);
		if (e->kind == SIM_EV_END && c->state == CALL_CONNECTED)
			return check(m, acd_call_end(m->acd, m->now, call_id(m, e->a)), "call-end",
				     call_id(m, e->a), ACD_NONE);
		return 0;
	case SIM_EV_ANSWER:
	case SIM_EV_NO_ANSWER:
		g = &m->agent[e->a];
		if (g->offer_gen != e->gen || g->offer_slot != e->b)
			return 0;	/* stale: the offer was cancelled */
		if (e->kind == SIM_EV_ANSWER)
			return check(m, acd_offer_answer(m->acd, m->now, call_id(m, e->b), e->a),
				     "offer-answer", call_id(m, e->b), e->a);
		if (m->now >= m->s->warmup_ms && m->now < m->s->duration_ms)
			m->r->group[g->group].missed++;
		return check(m, acd_offer_reject(m->acd, m->now, call_id(m, e->b), e->a,
						 ACD_REJECT_NO_ANSWER),
			     "offer-reject", call_id(m, e->b), e->a);
	case SIM_EV_WRAPUP_DONE:
		g = &m->agent[e->a];
		if (g->wrap_gen == e->gen && g->state == ACD_AGENT_WRAPUP)
			ret = check(m, acd_agent_wrapup_done(m->acd, m->now, e->a),
				    "agent-wrapup-done", 0, e->a);
		return ret;
	case SIM_EV_SHIFT_START:
		return shift_start(m, e->a);
	case SIM_EV_BACK:
		g = &m->agent[e->a];
		if (!g->leaving && g->state == ACD_AGENT_NOT_READY &&
		    g->reason == ACD_REASON_NO_ANSWER)
			ret = check(m, acd_agent_ready(m->acd, m->now, e->a), "agent-ready", 0, e->a);
		return ret;
	case SIM_EV_SHIFT_END:
		return shift_end(m, e->a);
	case SIM_EV_LOGOUT:
		g = &m->agent[e->a];
		if (g->leaving && g->state == ACD_AGENT_NOT_READY) {
			g->leaving = false;
			ret = check(m, acd_agent_logout(m->acd, m->now, e->a), "agent-logout", 0,
				    e->a);
		}
		return ret;
	}
	return 0;
}

/* ------------------------------------------------------------ setup */

static bool group_matches(const struct sim_group *grp, const char *id)
{
	unsigned int i;

	if (!grp->nmatch)
		return true;
	for (i = 0; i < grp->nmatch; i++)
		if (!fnmatch(grp->match[i], id, 0))
			return true;
	return false;
}

static int setup(struct sim *m)
{
	const struct sim_scenario *s = m->s;
	unsigned int i, k;
	uint32_t gi;
	int ret = 0;

	for (i = 0; i < m->c->nqueues; i++)
		m->r->queue[i].sl_threshold_ms = m->c->queue[i].sl_threshold_ms;
	for (i = 0; i < m->c->nagents; i++) {
		for (gi = 0; gi + 1 < s->ngroups; gi++)
			if (group_matches(&s->group[gi], m->c->agent[i].id))
				break;
		m->agent[i] = (struct sim_agent){ .group = gi, .state = ACD_AGENT_LOGGED_OUT,
						  .offer_slot = SLOT_NONE };
		m->r->group[gi].agents++;
		if (!s->group[gi].nshifts)
			ret = push(m, 0, SIM_EV_SHIFT_START, i, 0, 0);
		for (k = 0; !ret && k < s->group[gi].nshifts; k++) {
			ret = push(m, s->group[gi].shift[k].start_ms, SIM_EV_SHIFT_START, i, 0, 0);
			if (!ret)
				ret = push(m, s->group[gi].shift[k].end_ms, SIM_EV_SHIFT_END, i, 0, 0);
		}
		if (ret)
			return ret;
	}
	for (i = 0; i < s->nloads; i++) {
		if (s->load[i].rate_per_h <= 0)
			continue;
		ret = push(m, sim_dist_sample(&(struct sim_dist){ SIM_DIST_EXP,
						  3600000.0 / s->load[i].rate_per_h, 0 }, &m->rng),
			   SIM_EV_ARRIVAL, i, 0, 0);
		if (ret)
			return ret;
	}
	return 0;
}

/* the main loop: the earlier of the next event and the engine's next timer */
static int loop(struct sim *m)
{
	uint64_t limit = m->s->duration_ms + m->s->drain_ms;
	uint64_t tq, td;
	struct sim_ev e;
	int ret = 0;

	while (!ret && !m->err) {
		if (m->now >= m->s->duration_ms && !m->outstanding)
			break;
		tq = sim_evq_next(&m->q);
		td = acd_next_deadline(m->acd);
		if (tq == UINT64_MAX && td == UINT64_MAX)
			break;
		if ((td <= tq ? td : tq) > limit)
			break;
		if (td <= tq) {
			m->now = td;
			ret = check(m, acd_advance(m->acd, td), "advance", 0, ACD_NONE);
			continue;
		}
		sim_evq_pop(&m->q, &e);
		m->now = e.time_ms;
		ret = handle(m, &e);
	}
	return m->err ? m->err : ret;
}

int sim_run(const struct acd_config *c, const struct sim_scenario *s, FILE *log,
	    struct sim_result *r, char *err, size_t errlen)
{
	struct sim m = { .c = c, .s = s, .r = r, .log = log, .errbuf = err, .errlen = errlen,
			 .free_head = SLOT_NONE };
	unsigned int i;
	int ret;

	memset(r, 0, sizeof(*r));
	r->seed = s->seed;
	r->duration_ms = s->duration_ms;
	r->warmup_ms = s->warmup_ms;
	r->nqueues = c->nqueues;
	r->ngroups = s->ngroups;
	r->queue = calloc(c->nqueues ? c->nqueues : 1, sizeof(*r->queue));
	r->group = calloc(s->ngroups ? s->ngroups : 1, sizeof(*r->group));
	m.agent = calloc(c->nagents ? c->nagents : 1, sizeof(*m.agent));
	if (!r->queue || !r->group || !m.agent) {
		ret = fail(&m, -ENOMEM, "out of memory");
		goto out;
	}
	sim_rng_seed(&m.rng, s->seed);
	ret = acd_new(c, &m.acd);
	if (ret) {
		fail(&m, ret, "engine: %s", errname(ret));
		goto out;
	}
	acd_set_sink(m.acd, sink, &m);
	ret = setup(&m);
	if (!ret)
		ret = loop(&m);
	if (!ret) {
		r->end_ms = m.now;
		for (i = 0; i < c->nagents; i++)
			account(&m, &m.agent[i]);
		for (i = 0; i < m.ncalls; i++)
			if (m.call[i].state != CALL_FREE && m.call[i].measured)
				r->queue[s->load[m.call[i].load].queue].unfinished++;
	}
	acd_free(m.acd);
out:
	free(m.agent);
	free(m.call);
	sim_evq_free(&m.q);
	if (ret)
		sim_result_free(r);
	return ret;
}

void sim_result_free(struct sim_result *r)
{
	free(r->queue);
	free(r->group);
	r->queue = NULL;
	r->group = NULL;
}
