// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ACD engine benchmark (issue 5 §4): routing decision latency, events per
 * second and memory at site scale, against a naive distributor that scans
 * every member of every queue on each event (what Asterisk's app_queue
 * amounts to: each waiting caller re-examines its queue's members), run
 * on the same workload in the same run.
 *
 * Site: 1,000 skills, 1,000 queues (queue i requires skill i), 10,000
 * agents with 10 distinct skills each, so each agent is a member of 10
 * queues and each queue has ~100 members. The site is split in two:
 *   side A: agents 0..4999, skills/queues 0..499. All A agents talk and
 *           100,000 calls wait in A queues (the swamped half).
 *   side B: agents 5000..9999, skills/queues 500..999, idle and ready.
 * One round of the measured loop is
 *   A: a call ends; the agent's wrap-up is done -> the engine offers it
 *      the best waiting call of its 10 queues ("ready -> offer", timed);
 *      it answers; a new call arrives in an A queue (it waits), so the
 *      waiting count stays at 100,000;
 *   B: a call arrives in a B queue -> offered to a ready member
 *      ("arrival -> offer", timed); answered; ended; wrap-up done.
 * Two throughputs over the loop's wall time on one core: inputs per
 * second (what the daemon feeds: arrival, answer, end, wrap-up done...)
 * and events per second (everything the engine emits for them: the
 * inputs' own log records, state changes, offers, connects; 2-4 per
 * input). The naive distributor emits no events: its events per second
 * assumes the engine's events per input, so the ratio is the inputs'. Memory: mallinfo2() deltas while the engine is
 * created (per agent) and while the 100,000 calls arrive (per call).
 *
 * Usage: acd [-n rounds]   (default 200,000 engine, 2,000 naive)
 */
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "acd.h"

#define NSKILLS		1000
#define NAGENTS		10000
#define SKILLS_PER	10
#define NWAIT		100000
#define HALF_A		(NAGENTS / 2)
#define HALF_Q		(NSKILLS / 2)
#define WRAPUP_MS	3600000	/* long: wrap-up ends by wrapup_done, never by timer */

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint32_t rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng % n);
}

static uint64_t ns_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

static int cmp_u64(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;

	return a < b ? -1 : a > b;
}

static double pct_us(uint64_t *v, size_t n, double p)
{
	qsort(v, n, sizeof(*v), cmp_u64);
	return v[(size_t)(p * (double)(n - 1))] / 1000.0;
}

/* the agents' skills, the same for both distributors */
static uint32_t skills[NAGENTS][SKILLS_PER];

static void pick_skills(void)
{
	uint32_t a, k, j, s, base;

	for (a = 0; a < NAGENTS; a++) {
		base = a < HALF_A ? 0 : HALF_Q;
		for (k = 0; k < SKILLS_PER; k++) {
			do {
				s = base + rnd(HALF_Q);
				for (j = 0; j < k && skills[a][j] != s; j++)
					;
			} while (j < k);
			skills[a][k] = s;
		}
	}
}

struct figures {
	uint64_t *arr_ns, *ready_ns;	/* per round */
	double inputs_per_s, events_per_s;
	double bytes_per_agent, bytes_per_call;
};

/* ------------------------------------------------------------- engine */

static struct {
	uint64_t call;		/* the last offer */
	uint32_t agent;
	uint64_t offers;
	uint64_t events;	/* every event the engine emitted */
} seen;

static void sink(void *arg, const struct acd_event *ev)
{
	(void)arg;
	seen.events++;
	if (ev->type == ACD_EV_OFFER) {
		seen.call = ev->call;
		seen.agent = ev->agent;
		seen.offers++;
	}
}

static struct acd_config *site(void)
{
	struct acd_config *c = acd_config_new();
	struct acd_queue_cfg q;
	struct acd_agent_cfg a;
	char name[ACD_NAME_MAX];
	uint32_t i, k;

	if (!c)
		return NULL;
	for (i = 0; i < NSKILLS; i++) {
		snprintf(name, sizeof(name), "s%u", i);
		if (acd_config_add_skill(c, name) < 0)
			goto fail;
	}
	for (i = 0; i < NSKILLS; i++) {
		snprintf(name, sizeof(name), "q%u", i);
		acd_queue_cfg_init(&q, name);
		q.tier[0].nreq = 1;
		q.tier[0].req[0] = (struct acd_skill_req){ .skill = i, .min_level = 1 };
		q.wrapup_ms = WRAPUP_MS;
		q.ring_timeout_ms = 0;
		if (acd_config_add_queue(c, &q) < 0)
			goto fail;
	}
	for (i = 0; i < NAGENTS; i++) {
		snprintf(name, sizeof(name), "%u", 10000 + i);
		acd_agent_cfg_init(&a, name);
		a.nskills = SKILLS_PER;
		for (k = 0; k < SKILLS_PER; k++)
			a.skill[k] = (struct acd_agent_skill){ .skill = skills[i][k], .level = 5 };
		if (acd_config_add_agent(c, &a) < 0)
			goto fail;
	}
	return c;
fail:
	acd_config_free(c);
	return NULL;
}

#define MUST(x) do { int r_ = (x); if (r_) { \
	fprintf(stderr, "acd: %s failed: %s\n", #x, strerror(-r_)); exit(1); } } while (0)

static void run_engine(unsigned int rounds, struct figures *f)
{
	struct acd_config *c = site();
	uint64_t now = 1, next_call = 1, t0, t1, inputs = 0, start, events0;
	uint64_t *talk_call = calloc(NAGENTS, sizeof(*talk_call));
	size_t m0, m1, m2;
	double secs;
	struct acd *a;
	uint32_t i, ag, ai = 0;
	char err[256];

	if (!c || !talk_call || acd_config_check(c, err, sizeof(err))) {
		fprintf(stderr, "acd: configuration: %s\n", c ? err : "out of memory");
		exit(1);
	}
	m0 = mallinfo2().uordblks;
	MUST(acd_new(c, &a));
	acd_set_sink(a, sink, NULL);
	for (i = 0; i < NAGENTS; i++)
		MUST(acd_agent_login(a, now++, i, true));
	m1 = mallinfo2().uordblks;
	/* every A agent gets a call and talks */
	for (i = 0; i < HALF_A; i++) {
		seen.call = 0;
		MUST(acd_call_arrive(a, now++, next_call++, rnd(HALF_Q), 0, NULL, NULL, NULL));
		if (!seen.call)
			break;	/* an agent whose queues drew no call stays ready */
		MUST(acd_offer_answer(a, now++, seen.call, seen.agent));
		talk_call[seen.agent] = seen.call;
	}
	m2 = mallinfo2().uordblks;
	for (i = 0; i < NWAIT; i++)
		MUST(acd_call_arrive(a, now++, next_call++, rnd(HALF_Q), 0, NULL, NULL, NULL));
	f->bytes_per_call = (double)(mallinfo2().uordblks - m2) / NWAIT;
	f->bytes_per_agent = (double)(m1 - m0) / NAGENTS;

	events0 = seen.events;
	start = ns_now();
	for (i = 0; i < rounds; i++) {
		/* A: a talking agent finishes; ready -> offer */
		do
			ag = ai++ % HALF_A;
		while (!talk_call[ag]);
		MUST(acd_call_end(a, now++, talk_call[ag]));
		seen.call = 0;
		t0 = ns_now();
		MUST(acd_agent_wrapup_done(a, now++, ag));
		t1 = ns_now();
		f->ready_ns[i] = t1 - t0;
		talk_call[ag] = 0;
		if (seen.call) {
			MUST(acd_offer_answer(a, now++, seen.call, seen.agent));
			talk_call[seen.agent] = seen.call;
			inputs++;
		}
		MUST(acd_call_arrive(a, now++, next_call++, rnd(HALF_Q), 0, NULL, NULL, NULL));
		/* B: arrival -> offer to a ready member */
		seen.call = 0;
		t0 = ns_now();
		MUST(acd_call_arrive(a, now++, next_call++, HALF_Q + rnd(HALF_Q), 0, NULL, NULL,
				     NULL));
		t1 = ns_now();
		f->arr_ns[i] = t1 - t0;
		if (!seen.call) {
			fprintf(stderr, "acd: a B call was not offered at once\n");
			exit(1);
		}
		ag = seen.agent;
		MUST(acd_offer_answer(a, now++, seen.call, ag));
		MUST(acd_call_end(a, now++, seen.call));
		MUST(acd_agent_wrapup_done(a, now++, ag));
		inputs += 7;
	}
	secs = (double)(ns_now() - start) / 1e9;
	f->inputs_per_s = (double)inputs / secs;
	f->events_per_s = (double)(seen.events - events0) / secs;
	acd_free(a);
	acd_config_free(c);
	free(talk_call);
}

/* -------------------------------------------------------------- naive */

enum { N_READY, N_RINGING, N_TALKING, N_WRAPUP };

struct naive_queue {
	uint32_t *member, nmember;
	uint64_t *wait;			/* call ids, FIFO from head */
	size_t head, tail, cap;
};

static struct naive {
	struct naive_queue q[NSKILLS];
	uint8_t state[NAGENTS];
	uint64_t idle_since[NAGENTS];
} *nv;

static void naive_setup(void)
{
	uint32_t a, k;

	nv = calloc(1, sizeof(*nv));
	if (!nv)
		exit(1);
	for (a = 0; a < NAGENTS; a++)
		for (k = 0; k < SKILLS_PER; k++) {
			struct naive_queue *q = &nv->q[skills[a][k]];

			q->member = realloc(q->member, (q->nmember + 1) * sizeof(*q->member));
			if (!q->member)
				exit(1);
			q->member[q->nmember++] = a;
		}
}

/* on every event: every queue with a caller scans all its members */
static void naive_dispatch(void)
{
	struct naive_queue *q;
	uint32_t i, m, best;

	for (i = 0; i < NSKILLS; i++) {
		q = &nv->q[i];
		while (q->head < q->tail) {
			best = UINT32_MAX;
			for (m = 0; m < q->nmember; m++) {
				uint32_t ag = q->member[m];

				if (nv->state[ag] == N_READY &&
				    (best == UINT32_MAX || nv->idle_since[ag] < nv->idle_since[best]))
					best = ag;
			}
			if (best == UINT32_MAX)
				break;
			nv->state[best] = N_RINGING;
			seen.call = q->wait[q->head++];
			seen.agent = best;
		}
	}
}

static void naive_arrive(uint32_t qi, uint64_t call)
{
	struct naive_queue *q = &nv->q[qi];

	if (q->tail == q->cap) {
		if (q->head) {	/* slide down */
			memmove(q->wait, q->wait + q->head, (q->tail - q->head) * sizeof(*q->wait));
			q->tail -= q->head;
			q->head = 0;
		}
		if (q->tail == q->cap) {
			q->cap = q->cap ? q->cap * 2 : 64;
			q->wait = realloc(q->wait, q->cap * sizeof(*q->wait));
			if (!q->wait)
				exit(1);
		}
	}
	q->wait[q->tail++] = call;
	naive_dispatch();
}

static void naive_ready(uint32_t ag, uint64_t now)
{
	nv->state[ag] = N_READY;
	nv->idle_since[ag] = now;
	naive_dispatch();
}

static void run_naive(unsigned int rounds, struct figures *f)
{
	uint64_t *talk_call = calloc(NAGENTS, sizeof(*talk_call));
	uint64_t now = 1, next_call = 1, t0, t1, inputs = 0, start;
	uint32_t i, ag, ai = 0;

	if (!talk_call)
		exit(1);
	naive_setup();
	for (i = 0; i < NAGENTS; i++)
		naive_ready(i, now++);
	for (i = 0; i < HALF_A; i++) {
		seen.call = 0;
		naive_arrive(rnd(HALF_Q), next_call++);
		if (!seen.call)
			break;
		nv->state[seen.agent] = N_TALKING;
		talk_call[seen.agent] = seen.call;
	}
	for (i = 0; i < NWAIT; i++)
		naive_arrive(rnd(HALF_Q), next_call++);
	start = ns_now();
	for (i = 0; i < rounds; i++) {
		do
			ag = ai++ % HALF_A;
		while (!talk_call[ag]);
		nv->state[ag] = N_WRAPUP;	/* call end */
		now++;
		seen.call = 0;
		t0 = ns_now();
		naive_ready(ag, now++);
		t1 = ns_now();
		f->ready_ns[i] = t1 - t0;
		talk_call[ag] = 0;
		if (seen.call) {
			nv->state[seen.agent] = N_TALKING;
			talk_call[seen.agent] = seen.call;
			inputs++;
		}
		naive_arrive(rnd(HALF_Q), next_call++);
		seen.call = 0;
		t0 = ns_now();
		naive_arrive(HALF_Q + rnd(HALF_Q), next_call++);
		t1 = ns_now();
		f->arr_ns[i] = t1 - t0;
		ag = seen.agent;
		nv->state[ag] = N_TALKING;	/* answer, end, wrap-up done */
		nv->state[ag] = N_WRAPUP;
		naive_ready(ag, now++);
		inputs += 7;
	}
	f->inputs_per_s = (double)inputs / ((double)(ns_now() - start) / 1e9);
	for (i = 0; i < NSKILLS; i++) {
		free(nv->q[i].member);
		free(nv->q[i].wait);
	}
	free(nv);
	free(talk_call);
}

/* ---------------------------------------------------------------- main */

static void line(const char *what, double eng, double naive, const char *unit, bool lower_better)
{
	printf("%-34s %12.2f %-8s naive scan %12.2f %-8s ratio %.0fx\n", what, eng, unit, naive,
	       unit, lower_better ? naive / eng : eng / naive);
}

int main(int argc, char **argv)
{
	unsigned int rounds = 200000, nrounds = 2000;
	struct figures e = { 0 }, n = { 0 };
	int opt;

	while ((opt = getopt(argc, argv, "n:")) != -1) {
		if (opt != 'n' || atoi(optarg) < 100) {
			fprintf(stderr, "usage: acd [-n rounds]\n");
			return 1;
		}
		rounds = (unsigned int)atoi(optarg);
		nrounds = rounds / 100 < 100 ? 100 : rounds / 100;
	}
	pick_skills();
	e.arr_ns = calloc(rounds, sizeof(uint64_t));
	e.ready_ns = calloc(rounds, sizeof(uint64_t));
	n.arr_ns = calloc(nrounds, sizeof(uint64_t));
	n.ready_ns = calloc(nrounds, sizeof(uint64_t));
	if (!e.arr_ns || !e.ready_ns || !n.arr_ns || !n.ready_ns)
		return 1;
	printf("acd: %u agents, %u skills/queues, %u waiting calls, %u queues per agent; "
	       "%u rounds (naive %u)\n", NAGENTS, NSKILLS, NWAIT, SKILLS_PER, rounds, nrounds);
	run_engine(rounds, &e);
	run_naive(nrounds, &n);
	line("arrival -> offer p50", pct_us(e.arr_ns, rounds, 0.5), pct_us(n.arr_ns, nrounds, 0.5),
	     "us", true);
	line("arrival -> offer p99", pct_us(e.arr_ns, rounds, 0.99),
	     pct_us(n.arr_ns, nrounds, 0.99), "us", true);
	line("agent ready -> offer p50", pct_us(e.ready_ns, rounds, 0.5),
	     pct_us(n.ready_ns, nrounds, 0.5), "us", true);
	line("agent ready -> offer p99", pct_us(e.ready_ns, rounds, 0.99),
	     pct_us(n.ready_ns, nrounds, 0.99), "us", true);
	/* the naive scan emits no events: the engine's events per input */
	n.events_per_s = n.inputs_per_s * e.events_per_s / e.inputs_per_s;
	line("inputs per second (one core)", e.inputs_per_s, n.inputs_per_s, "in/s", false);
	line("events per second (one core)", e.events_per_s, n.events_per_s, "ev/s", false);
	printf("%-34s %12.0f bytes\n", "memory per agent", e.bytes_per_agent);
	printf("%-34s %12.0f bytes\n", "memory per waiting call", e.bytes_per_call);
	printf("targets: p99 <= 20 us %s, >= 500,000 events/s %s (inputs/s: %s)\n",
	       pct_us(e.arr_ns, rounds, 0.99) <= 20 && pct_us(e.ready_ns, rounds, 0.99) <= 20 ?
	       "met" : "NOT met", e.events_per_s >= 500000 ? "met" : "NOT met",
	       e.inputs_per_s >= 500000 ? "met" : "NOT met");
	free(e.arr_ns);
	free(e.ready_ns);
	free(n.arr_ns);
	free(n.ready_ns);
	return 0;
}
