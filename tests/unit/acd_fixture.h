/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared pieces of the ACD engine tests (a header of static functions: a
 * .c here would be linked into every test runner). A fixture is a
 * configuration built in code, an engine, and a sink that keeps every
 * event (and the log text) for the checks.
 */
#ifndef TDMX_TESTS_ACD_FIXTURE_H
#define TDMX_TESTS_ACD_FIXTURE_H

#include <check.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acd.h"

#define FX_MAX_EV 4096

struct fx {
	struct acd_config *c;
	struct acd *a;
	struct acd_event ev[FX_MAX_EV];
	unsigned int nev;
	char *log;		/* every event as JSON lines */
	size_t loglen;
	FILE *logf;
};

static inline void fx_sink(void *arg, const struct acd_event *ev)
{
	struct fx *f = arg;

	if (f->nev < FX_MAX_EV) {
		f->ev[f->nev] = *ev;
		/* strings are only valid during the call */
		if (ev->type == ACD_EV_CALL_ARRIVE)
			f->ev[f->nev].d.arrive.caller = f->ev[f->nev].d.arrive.dnis =
				f->ev[f->nev].d.arrive.data = NULL;
		f->nev++;
	}
	ck_assert_int_eq(acd_log_write(f->a, ev, f->logf), 0);
}

static inline struct fx *fx_new(void)
{
	struct fx *f = calloc(1, sizeof(*f));

	ck_assert_ptr_nonnull(f);
	f->c = acd_config_new();
	ck_assert_ptr_nonnull(f->c);
	return f;
}

static inline int fx_skill(struct fx *f, const char *name)
{
	int s = acd_config_skill_find(f->c, name);

	if (s >= 0)
		return s;
	s = acd_config_add_skill(f->c, name);
	ck_assert_int_ge(s, 0);
	return s;
}

/* a queue needing @skill at @level (skill NULL: anyone), default settings;
 * the pointer is valid until the next fx_queue() */
static inline struct acd_queue_cfg *fx_queue(struct fx *f, const char *name, const char *skill,
				      unsigned int level)
{
	struct acd_queue_cfg q;
	int i;

	acd_queue_cfg_init(&q, name);
	q.ring_timeout_ms = 10000;
	q.max_no_answer = 0;
	if (skill) {
		q.tier[0].nreq = 1;
		q.tier[0].req[0].skill = (uint32_t)fx_skill(f, skill);
		q.tier[0].req[0].min_level = (uint8_t)level;
	}
	i = acd_config_add_queue(f->c, &q);
	ck_assert_int_ge(i, 0);
	return &f->c->queue[i];
}

/* add a tier to @q: from @after_ms, needing @skill at @level */
static inline void fx_tier(struct fx *f, struct acd_queue_cfg *q, uint32_t after_ms, const char *skill,
		    unsigned int level)
{
	struct acd_tier_cfg *t = &q->tier[q->ntiers++];

	memset(t, 0, sizeof(*t));
	t->after_ms = after_ms;
	if (skill) {
		t->nreq = 1;
		t->req[0].skill = (uint32_t)fx_skill(f, skill);
		t->req[0].min_level = (uint8_t)level;
	}
}

/* an agent; skills as "name", level pairs ending with NULL */
static inline struct acd_agent_cfg *fx_agent(struct fx *f, const char *id, ...)
{
	struct acd_agent_cfg ac;
	const char *s;
	va_list ap;
	int i;

	acd_agent_cfg_init(&ac, id);
	va_start(ap, id);
	while ((s = va_arg(ap, const char *))) {
		ac.skill[ac.nskills].skill = (uint32_t)fx_skill(f, s);
		ac.skill[ac.nskills].level = (uint8_t)va_arg(ap, int);
		ac.nskills++;
	}
	va_end(ap);
	i = acd_config_add_agent(f->c, &ac);
	ck_assert_int_ge(i, 0);
	return &f->c->agent[i];
}

static inline void fx_start(struct fx *f)
{
	ck_assert_int_eq(acd_new(f->c, &f->a), 0);
	f->logf = open_memstream(&f->log, &f->loglen);
	ck_assert_ptr_nonnull(f->logf);
	acd_set_sink(f->a, fx_sink, f);
}

static inline void fx_free(struct fx *f)
{
	if (f->logf)
		fclose(f->logf);
	free(f->log);
	acd_free(f->a);
	acd_config_free(f->c);
	free(f);
}

static inline uint32_t fx_ag(struct fx *f, const char *id)
{
	int i = acd_agent_find(f->a, id);

	ck_assert_int_ge(i, 0);
	return (uint32_t)i;
}

static inline uint32_t fx_q(struct fx *f, const char *name)
{
	int i = acd_queue_find(f->a, name);

	ck_assert_int_ge(i, 0);
	return (uint32_t)i;
}

static inline void fx_ready(struct fx *f, uint64_t t, const char *id)
{
	ck_assert_int_eq(acd_agent_login(f->a, t, fx_ag(f, id), true), 0);
}

static inline void fx_arrive(struct fx *f, uint64_t t, uint64_t call, const char *queue, uint8_t prio)
{
	ck_assert_int_eq(acd_call_arrive(f->a, t, call, fx_q(f, queue), prio, NULL, NULL, NULL), 0);
}

/* the last event of @type from index @from on, NULL if none */
static inline const struct acd_event *fx_last(struct fx *f, enum acd_ev_type type, unsigned int from)
{
	unsigned int i;

	for (i = f->nev; i-- > from;)
		if (f->ev[i].type == type)
			return &f->ev[i];
	return NULL;
}

static inline unsigned int fx_count(struct fx *f, enum acd_ev_type type, unsigned int from)
{
	unsigned int i, n = 0;

	for (i = from; i < f->nev; i++)
		n += f->ev[i].type == type;
	return n;
}

/* which agent the call is offered to (the last offer), ACD_NONE if none */
static inline uint32_t fx_offered(struct fx *f, uint64_t call)
{
	unsigned int i;

	for (i = f->nev; i-- > 0;)
		if (f->ev[i].type == ACD_EV_OFFER && f->ev[i].call == call)
			return f->ev[i].agent;
	return ACD_NONE;
}

static inline enum acd_agent_state fx_state(struct fx *f, const char *id)
{
	struct acd_agent_status st;

	ck_assert_int_eq(acd_agent_status(f->a, fx_ag(f, id), &st), 0);
	return st.state;
}

/* answer, talk @talk_ms, end */
static inline void fx_handle(struct fx *f, uint64_t t, uint64_t call, uint32_t agent, uint64_t talk_ms)
{
	ck_assert_int_eq(acd_offer_answer(f->a, t, call, agent), 0);
	ck_assert_int_eq(acd_call_end(f->a, t + talk_ms, call), 0);
}

static inline char *fx_snapshot(struct acd *a, uint64_t now)
{
	char *s = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&s, &len);

	ck_assert_ptr_nonnull(m);
	ck_assert_int_eq(acd_snapshot_write(a, now, m), 0);
	fclose(m);
	return s;
}

#endif /* TDMX_TESTS_ACD_FIXTURE_H */
