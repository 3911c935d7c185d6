/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tdmx-acdsim: a discrete-event simulation of a call centre over the real
 * ACD engine (userspace/tdmxd/acd.h).
 *
 * The simulator plays the daemon's part: it feeds the engine inputs
 * (arrivals, abandons, answers, call ends, logins and logouts by shift)
 * and carries out the decisions the engine hands back (an offer rings an
 * agent, who answers after a delay or not at all; a connected call ends
 * after its handle time). The engine never knows it is simulated.
 *
 * Pieces, one file each:
 *   dist.c      the PRNG (xoshiro256**) and the distributions
 *   scenario.c  the scenario file (YAML, libyaml) and its defaults
 *   evq.c       the future-event list (a binary heap by time, then order)
 *   sim.c       the run: the event loop, the engine's sink, the counters
 *   report.c    the figures as text or JSON
 *   main.c      options and exit codes
 *
 * Everything is deterministic for a given configuration, scenario and
 * seed: one PRNG, events ordered by (time, insertion order).
 */
#ifndef TDMX_ACDSIM_H
#define TDMX_ACDSIM_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "acd.h"

/* ------------------------------------------------------------ random */

struct sim_rng {
	uint64_t s[4];
};

void sim_rng_seed(struct sim_rng *r, uint64_t seed);
uint64_t sim_rng_next(struct sim_rng *r);
double sim_rng_unit(struct sim_rng *r);		/* uniform in (0, 1) */

enum sim_dist_kind {
	SIM_DIST_FIXED,		/* always @mean */
	SIM_DIST_EXP,		/* exponential with mean @mean */
	SIM_DIST_LOGNORMAL,	/* log-normal with mean @mean, standard deviation @sd */
	SIM_DIST_OFF,		/* never (patience: callers never give up) */
	SIM_DIST__N
};

struct sim_dist {
	enum sim_dist_kind kind;
	double mean_ms, sd_ms;
};

/* a sample in ms, rounded to the nearest ms; UINT64_MAX for OFF */
uint64_t sim_dist_sample(const struct sim_dist *d, struct sim_rng *r);
const char *sim_dist_name(enum sim_dist_kind k);

/* ---------------------------------------------------------- scenario */

#define SIM_MAX_SHIFTS	8
#define SIM_MAX_MATCH	16

/* the traffic offered to one queue of the ACD configuration */
struct sim_load {
	uint32_t queue;			/* index in the ACD configuration */
	double rate_per_h;		/* Poisson arrivals; 0 = none */
	struct sim_dist handle;		/* talk time, connect -> call end */
	struct sim_dist patience;	/* arrival -> abandon unless connected */
	uint8_t priority;		/* of ordinary callers */
	double vip_share;		/* this share of callers ... */
	uint8_t vip_priority;		/* ... come with this priority */
};

struct sim_shift {
	uint64_t start_ms, end_ms;	/* logged in (ready) in [start, end) */
};

/* agents who behave alike, and the unit of the agent figures */
struct sim_group {
	char name[ACD_NAME_MAX];
	unsigned int nmatch;		/* agent id patterns (fnmatch); none = every agent */
	char match[SIM_MAX_MATCH][ACD_NAME_MAX];
	unsigned int nshifts;		/* none = the whole run */
	struct sim_shift shift[SIM_MAX_SHIFTS];
	struct sim_dist answer_delay;	/* offer -> answer */
	double no_answer;		/* probability an offer is not answered */
	uint64_t ring_for_ms;		/* an unanswered phone reports no-answer after */
	struct sim_dist wrapup;		/* OFF: the queue's wrap-up time runs out */
};

struct sim_scenario {
	uint64_t seed;
	uint64_t duration_ms;		/* arrivals in [0, duration) */
	uint64_t warmup_ms;		/* figures count from here */
	uint64_t drain_ms;		/* after duration, at most this long to finish calls */
	unsigned int nloads;
	struct sim_load *load;
	unsigned int ngroups;		/* the last one catches unmatched agents */
	struct sim_group *group;
};

/*
 * sim_scenario_default() - no traffic, one group "all" of every agent,
 *	logged in all run, answering at once: what options alone describe.
 * sim_scenario_load() / _parse() - a scenario file over that default
 *	(format in Documentation/tdmx-acdsim.md); -EINVAL with
 *	"FILE:LINE:COL: key: message" in @err, -ENOENT, -ENOMEM.
 * sim_scenario_set_rate() etc. - the options' overrides.
 */
int sim_scenario_default(const struct acd_config *c, struct sim_scenario *s);
int sim_scenario_load(const char *path, const struct acd_config *c, struct sim_scenario *s,
		      char *err, size_t errlen);
int sim_scenario_parse(const char *name, const char *text, size_t len,
		       const struct acd_config *c, struct sim_scenario *s, char *err, size_t errlen);
void sim_scenario_free(struct sim_scenario *s);
struct sim_load *sim_scenario_load_of(struct sim_scenario *s, uint32_t queue);

/* "250ms", "20s", "5min", "2h", bare seconds; -EINVAL */
int sim_parse_dur(const char *s, uint64_t *ms);
/* "120/h", "2/min", "0.5/s", bare per hour; -EINVAL */
int sim_parse_rate(const char *s, double *per_h);

/* ------------------------------------------------------ future events */

enum sim_ev_kind {
	SIM_EV_ARRIVAL,		/* a: load index */
	SIM_EV_ABANDON,		/* a: call slot, gen: call generation */
	SIM_EV_ANSWER,		/* a: agent, b: call slot, gen: offer generation */
	SIM_EV_NO_ANSWER,	/* as ANSWER */
	SIM_EV_END,		/* a: call slot, gen: call generation */
	SIM_EV_WRAPUP_DONE,	/* a: agent, gen: wrap-up generation */
	SIM_EV_SHIFT_START,	/* a: agent */
	SIM_EV_SHIFT_END,	/* a: agent */
	SIM_EV_LOGOUT,		/* a: agent (after the call that held it) */
	SIM_EV_BACK,		/* a: agent, ready again after a no-answer not-ready */
};

struct sim_ev {
	uint64_t time_ms;
	uint64_t order;		/* insertion order: ties in time keep it */
	enum sim_ev_kind kind;
	uint32_t a, b;
	uint32_t gen;
};

struct sim_evq {
	struct sim_ev *v;
	size_t n, cap;
	uint64_t next_order;
};

int sim_evq_push(struct sim_evq *q, uint64_t time_ms, enum sim_ev_kind kind, uint32_t a,
		 uint32_t b, uint32_t gen);
bool sim_evq_pop(struct sim_evq *q, struct sim_ev *ev);
uint64_t sim_evq_next(const struct sim_evq *q);	/* UINT64_MAX if empty */
void sim_evq_free(struct sim_evq *q);

/* ------------------------------------------------------------ results */

/* per queue the calls arrived there in [warmup, duration), whatever became of them */
struct sim_queue_fig {
	uint64_t offered;		/* arrived (refused ones included) */
	uint64_t answered, answered_in_sl, abandoned, refused, overflowed, unfinished;
	uint64_t wait_sum_ms;		/* of answered calls: arrival -> connect */
	uint64_t max_wait_ms;
	uint64_t talk_sum_ms, wrap_sum_ms, handled;	/* calls answered from this queue */
	uint64_t ewt_n;			/* connected calls with a prediction */
	double ewt_abs_err_ms;		/* sum |predicted - actual| */
	uint64_t ewt_actual_ms;		/* sum actual of the same calls */
	uint32_t sl_threshold_ms;
};

/* per agent group, agent time inside [warmup, duration) */
struct sim_group_fig {
	uint32_t agents;
	uint64_t answered, missed;
	uint64_t talk_sum_ms, wrap_sum_ms, handled;
	uint64_t busy_ms;		/* ringing, talking, wrap-up */
	uint64_t avail_ms;		/* ready */
	uint64_t not_ready_ms;
};

struct sim_result {
	uint64_t seed, duration_ms, warmup_ms, end_ms;
	uint64_t engine_inputs, engine_events, sim_events;
	unsigned int nqueues, ngroups;
	struct sim_queue_fig *queue;	/* [nqueues], configuration order */
	struct sim_group_fig *group;	/* [ngroups], scenario order */
};

/*
 * sim_run() - simulate @s over a new engine built from @c. @log, if not
 *	NULL, receives the engine's event log (JSON lines). Returns 0, or a
 *	negative errno with a message in @err (an engine input the
 *	simulator expected to succeed failed: a bug on one side or the
 *	other, described precisely).
 */
int sim_run(const struct acd_config *c, const struct sim_scenario *s, FILE *log,
	    struct sim_result *r, char *err, size_t errlen);
void sim_result_free(struct sim_result *r);

/* ------------------------------------------------------------- report */

/* figures derived from the counters; NAN-free: 0 when undefined */
double sim_sl(const struct sim_queue_fig *q);		/* 0..1 */
double sim_asa_ms(const struct sim_queue_fig *q);
double sim_aht_ms(uint64_t talk, uint64_t wrap, uint64_t n);
double sim_occupancy(const struct sim_group_fig *g);	/* 0..1 */
double sim_ewt_error(const struct sim_queue_fig *q);	/* relative, 0.1 = 10 % */

int sim_report_text(FILE *f, const struct acd_config *c, const struct sim_scenario *s,
		    const struct sim_result *r);
int sim_report_json(FILE *f, const struct acd_config *c, const struct sim_scenario *s,
		    const struct sim_result *r);

#endif /* TDMX_ACDSIM_H */
