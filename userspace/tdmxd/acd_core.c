// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ACD engine core (acd.h): creation from a checked configuration (the
 * membership of agents in queues and their first eligible tier are
 * computed here, once), the event sink, the entry check of every input
 * (time never goes backwards, no re-entry from the sink, due timers fire
 * first) and the timer loop. Timers fire at their own deadline, so the
 * decisions do not depend on how often the daemon calls acd_advance().
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "acd_int.h"

void acd_ev_init(struct acd *a, struct acd_event *ev, enum acd_ev_type t, uint64_t call,
		 uint32_t queue, uint32_t agent)
{
	memset(ev, 0, sizeof(*ev));
	ev->time_ms = a->now;
	ev->type = t;
	ev->call = call;
	ev->queue = queue;
	ev->agent = agent;
}

void acd_emit(struct acd *a, struct acd_event *ev)
{
	ev->seq = ++a->seq;
	if (!a->sink)
		return;
	a->in_sink = true;
	a->sink(a->sink_arg, ev);
	a->in_sink = false;
}

/* xorshift64*: the random strategy's draws, seeded by the configuration */
uint64_t acd_prng(struct acd *a)
{
	a->prng ^= a->prng >> 12;
	a->prng ^= a->prng << 25;
	a->prng ^= a->prng >> 27;
	return a->prng * 0x2545f4914f6cdd1dull;
}

int acd_u32_push(uint32_t **v, uint32_t *n, uint32_t *cap, uint32_t x)
{
	uint32_t *nv, ncap;

	if (*n == *cap) {
		ncap = *cap ? *cap * 2 : 4;
		nv = realloc(*v, ncap * sizeof(*nv));
		if (!nv)
			return -ENOMEM;
		*v = nv;
		*cap = ncap;
	}
	(*v)[(*n)++] = x;
	return 0;
}

/*
 * Queues whose agents went away are checked against their leave rule
 * once the input or timer that caused it is complete, never in the
 * middle of it (evicting a call while it is being handled would free it
 * under the caller's feet).
 */
void acd_leave_later(struct acd *a, struct acd_queue *q)
{
	if (q->leave_pending)
		return;
	if (acd_u32_push(&a->pending, &a->npending, &a->cappending, q->idx))
		return;	/* ENOMEM: the next agent change checks again */
	q->leave_pending = true;
}

void acd_flush(struct acd *a)
{
	uint32_t i;

	for (i = 0; i < a->npending; i++) {
		struct acd_queue *q = &a->queue[a->pending[i]];

		q->leave_pending = false;
		acd_queue_check_leave(a, q);
	}
	a->npending = 0;
}

static void fire(struct acd *a, struct acd_timer *t)
{
	a->now = t->when;
	acd_heap_disarm(&a->heap, t);
	if (t->tie < ACD_TIE_CALL)
		acd_agent_timer(a, acd_agent_of_timer(t));
	else
		acd_call_timer(a, acd_call_of_timer(t));
	acd_flush(a);
}

static void run_timers(struct acd *a, uint64_t now_ms)
{
	struct acd_timer *t;

	while ((t = acd_heap_top(&a->heap)) && t->when <= now_ms)
		fire(a, t);
	a->now = now_ms;
}

int acd_enter(struct acd *a, uint64_t now_ms)
{
	if (a->in_sink)
		return -EDEADLK;
	/* the bound keeps keys and deadlines far from overflow */
	if (now_ms < a->now || now_ms > ACD_TIME_MAX)
		return -EINVAL;
	run_timers(a, now_ms);
	return 0;
}

uint64_t acd_next_deadline(const struct acd *a)
{
	const struct acd_timer *t = acd_heap_top(&a->heap);

	return t ? t->when : UINT64_MAX;
}

int acd_advance(struct acd *a, uint64_t now_ms)
{
	return acd_enter(a, now_ms);
}

void acd_set_sink(struct acd *a, acd_sink_fn fn, void *arg)
{
	a->sink = fn;
	a->sink_arg = arg;
}

const struct acd_config *acd_config_of(const struct acd *a)
{
	return a->cfg;
}

uint64_t acd_last_seq(const struct acd *a)
{
	return a->seq;
}

uint64_t acd_now(const struct acd *a)
{
	return a->now;
}

int acd_queue_find(const struct acd *a, const char *name)
{
	return acd_namemap_find(&a->queues_by_name, name);
}

int acd_agent_find(const struct acd *a, const char *id)
{
	return acd_namemap_find(&a->agents_by_id, id);
}

/* the agent's level in @skill, 0 if it lacks it */
static const struct acd_agent_skill *agent_skill(const struct acd_agent_cfg *ac, uint32_t skill)
{
	unsigned int i;

	for (i = 0; i < ac->nskills; i++)
		if (ac->skill[i].skill == skill)
			return &ac->skill[i];
	return NULL;
}

static bool meets(const struct acd_agent_cfg *ac, const struct acd_tier_cfg *t)
{
	const struct acd_agent_skill *s;
	unsigned int i;

	for (i = 0; i < t->nreq; i++) {
		s = agent_skill(ac, t->req[i].skill);
		if (!s || s->level < t->req[i].min_level)
			return false;
	}
	return true;
}

/* lowest tier of @qc that @ac qualifies for, ACD_NONE if none */
static uint32_t first_tier(const struct acd_agent_cfg *ac, const struct acd_queue_cfg *qc)
{
	unsigned int t;

	for (t = 0; t < qc->ntiers; t++)
		if (meets(ac, &qc->tier[t]))
			return t;
	return ACD_NONE;
}

/*
 * Preference: the largest preference_ms of the agent's skills that the
 * queue names in any tier. It is subtracted from the calls' keys when the
 * agent chooses between queues (acd_route_agent).
 */
static uint32_t bonus(const struct acd_agent_cfg *ac, const struct acd_queue_cfg *qc)
{
	const struct acd_agent_skill *s;
	uint32_t best = 0;
	unsigned int t, i;

	for (t = 0; t < qc->ntiers; t++) {
		for (i = 0; i < qc->tier[t].nreq; i++) {
			s = agent_skill(ac, qc->tier[t].req[i].skill);
			if (s && s->preference_ms > best)
				best = s->preference_ms;
		}
	}
	return best;
}

static int build_members(struct acd *a)
{
	const struct acd_config *c = a->cfg;
	uint32_t g, q, n = 0, ft;

	for (g = 0; g < c->nagents; g++)
		for (q = 0; q < c->nqueues; q++)
			n += first_tier(&c->agent[g], &c->queue[q]) != ACD_NONE;
	a->members = calloc(n ? n : 1, sizeof(*a->members));
	if (!a->members)
		return -ENOMEM;
	n = 0;
	for (g = 0; g < c->nagents; g++) {
		struct acd_agent *ag = &a->agent[g];

		ag->mem = &a->members[n];
		for (q = 0; q < c->nqueues; q++) {
			ft = first_tier(&c->agent[g], &c->queue[q]);
			if (ft == ACD_NONE)
				continue;
			a->members[n] = (struct acd_member){
				.agent = ag, .queue = &a->queue[q], .ft = ft,
				.bonus_ms = bonus(&c->agent[g], &c->queue[q]),
			};
			a->queue[q].nmembers++;
			a->queue[q].agents[ACD_AGENT_LOGGED_OUT]++;
			ag->nmem++;
			n++;
		}
	}
	return 0;
}

static int build_queues(struct acd *a)
{
	const struct acd_config *c = a->cfg;
	uint32_t q;

	a->queue = calloc(c->nqueues ? c->nqueues : 1, sizeof(*a->queue));
	if (!a->queue)
		return -ENOMEM;
	for (q = 0; q < c->nqueues; q++) {
		const struct acd_queue_cfg *qc = &c->queue[q];

		a->queue[q].idx = q;
		a->queue[q].cfg = qc;
		a->queue[q].rr_last = UINT32_MAX;
		a->queue[q].stats = acd_stats_new(qc->sl_threshold_ms, qc->short_abandon_ms);
		a->queue[q].ewt = acd_ewt_new(qc->ewt_default_aht_ms, qc->ewt_max_error_permille);
		if (!a->queue[q].stats || !a->queue[q].ewt)
			return -ENOMEM;
	}
	return 0;
}

static int build_agents(struct acd *a)
{
	const struct acd_config *c = a->cfg;
	uint32_t g;

	a->agent = calloc(c->nagents ? c->nagents : 1, sizeof(*a->agent));
	if (!a->agent)
		return -ENOMEM;
	for (g = 0; g < c->nagents; g++) {
		a->agent[g].idx = g;
		a->agent[g].state = ACD_AGENT_LOGGED_OUT;
		acd_timer_init(&a->agent[g].timer, g);
		/* agent figures: no queue's thresholds apply, use the first's */
		a->agent[g].stats = acd_stats_new(c->nqueues ? c->queue[0].sl_threshold_ms : 20000,
						  c->nqueues ? c->queue[0].short_abandon_ms : 5000);
		if (!a->agent[g].stats)
			return -ENOMEM;
	}
	return 0;
}

int acd_new(const struct acd_config *c, struct acd **out)
{
	struct acd *a;
	int ret;

	ret = acd_config_check(c, NULL, 0);
	if (ret)
		return ret;
	a = calloc(1, sizeof(*a));
	if (!a)
		return -ENOMEM;
	a->cfg = c;
	/* xorshift must not start at 0 */
	a->prng = c->seed ? c->seed : 0x9e3779b97f4a7c15ull;
	ret = build_queues(a);
	if (!ret)
		ret = build_agents(a);
	if (!ret)
		ret = build_members(a);
	if (!ret)
		ret = acd_share_build(a);
	if (!ret)
		ret = acd_namemap_build(&a->agents_by_id, c->nagents ? c->agent[0].id : "",
					sizeof(c->agent[0]), c->nagents, NULL);
	if (!ret)
		ret = acd_namemap_build(&a->queues_by_name, c->nqueues ? c->queue[0].name : "",
					sizeof(c->queue[0]), c->nqueues, NULL);
	if (ret) {
		acd_free(a);
		return ret;
	}
	*out = a;
	return 0;
}

void acd_call_destroy(struct acd *a, struct acd_call *c)
{
	acd_heap_disarm(&a->heap, &c->timer);
	acd_idmap_del(&a->calls, c->id);
	free(c->skip);
	free(c->ring);
	free(c->caller);
	free(c);
}

void acd_free(struct acd *a)
{
	uint32_t i;

	if (!a)
		return;
	for (i = 0; a->calls.mask && i <= a->calls.mask; i++) {
		struct acd_call *c = a->calls.keys[i] ? a->calls.vals[i] : NULL;

		if (c) {
			free(c->skip);
			free(c->ring);
			free(c->caller);
			free(c);
		}
	}
	for (i = 0; a->queue && i < a->cfg->nqueues; i++) {
		acd_stats_free(a->queue[i].stats);
		acd_ewt_free(a->queue[i].ewt);
	}
	for (i = 0; a->agent && i < a->cfg->nagents; i++) {
		acd_stats_free(a->agent[i].stats);
		acd_rstats_free(a->agent[i].rstats);
	}
	acd_idmap_free(&a->calls);
	acd_heap_free(&a->heap);
	acd_namemap_free(&a->agents_by_id);
	acd_namemap_free(&a->queues_by_name);
	free(a->members);
	free(a->agent);
	free(a->queue);
	free(a->scratch);
	free(a->pending);
	free(a);
}
