/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Inside the ACD engine (not for other modules): the objects and the
 * calls between the engine's files.
 *
 *   acd_core.c    create/free, event emission, input entry, timers
 *   acd_agent.c   the agent state machine (a table of allowed inputs)
 *   acd_queue.c   waiting calls: keys, tiers, positions, EWT, join/leave
 *   acd_route.c   matching: best agent for a call, best call for an agent,
 *                 offers, answers, misses
 *   acd_call.c    call inputs and call timers (escalation, max wait,
 *                 announcements, ring timeout), overflow
 *   acd_query.c   status, statistics and snapshot
 *   acd_log.c     JSON lines and recovery
 *   acd_config.c  the configuration (YAML and builders)
 *   acd_reason.c  named not-ready reasons: lookups, checks, overruns
 *   acd_rstats.c  not-ready time per reason per agent (windows)
 *   acd_share.c   queues that share agents, for the estimated wait
 *
 * Data layout. An agent has one acd_member per queue it can serve, with
 * ft = the lowest tier whose requirements it meets. While the agent is
 * ready, each member node sits in its queue's ready[ft] tree, keyed by the
 * queue's strategy. A waiting call sits in its queue's wait[tier] tree,
 * keyed by (order key, arrival sequence). A call of tier t may go to
 * agents of ready[0..t]; an agent of tier ft may take calls of
 * wait[ft..]. So every decision looks at a few tree heads only.
 */
#ifndef TDMXD_ACD_INT_H
#define TDMXD_ACD_INT_H

#include "acd.h"
#include "acd_ewt.h"
#include "acd_map.h"
#include "acd_stats.h"
#include "acd_timer.h"
#include "acd_tree.h"

#define ACD_TEXT_MAX	255	/* caller, dnis, data, each */
#define ACD_MAX_HOPS	8	/* queue-to-queue overflows of one call */
#define ACD_SHARE_MAX	8	/* neighbour queues counted in a queue's EWT */
#define ACD_SHARE_MIN_PERMILLE	100	/* ... sharing at least 10 % of their members */

struct acd_queue;
struct acd_call;

struct acd_member {
	struct acd_tnode node;		/* in queue->ready[ft] while the agent is ready */
	struct acd_agent *agent;
	struct acd_queue *queue;
	uint32_t ft;			/* first tier the agent qualifies for */
	uint32_t bonus_ms;		/* skill preference for this queue's calls */
	uint32_t calls;			/* answered from this queue since login */
	uint64_t talk_ms;		/* talk time on this queue since login */
	bool in_set;
};

struct acd_agent {
	uint32_t idx;
	enum acd_agent_state state;
	uint64_t since_ms;
	uint64_t idle_since_ms;		/* longest-idle key: end of the last call or ready */
	uint64_t acct_ms;		/* occupancy accounted up to here */
	uint16_t reason;
	uint16_t pending_reason;
	bool pending_nr;
	uint32_t missed, calls;
	struct acd_call *call;		/* ringing or talking */
	uint64_t call_id;		/* ringing, talking, wrap-up */
	struct acd_queue *wrap_queue;	/* talking, wrap-up: the call's queue */
	uint64_t talk_start_ms, talk_ms, wrap_until_ms;
	uint32_t wrap_ms;
	struct acd_timer timer;		/* wrap-up end; not-ready: the reason's max */
	struct acd_rstats *rstats;	/* not-ready time per reason, NULL until used */
	uint32_t nmem;
	struct acd_member *mem;
	struct acd_stats *stats;
};

enum acd_call_state { ACD_CALL_WAITING, ACD_CALL_RINGING, ACD_CALL_CONNECTED };

struct acd_call {
	uint64_t id;
	uint64_t seq;			/* arrival order in the engine: tie-breaker */
	struct acd_queue *q;
	enum acd_call_state st;
	uint32_t tier;
	uint8_t prio;
	uint8_t hops;			/* queue overflows so far */
	int64_t key;			/* arrival - priority * aging */
	uint64_t arrival_ms, queued_ms;
	uint64_t offered_ms;		/* first offer in this queue, 0 = none yet */
	uint64_t escalate_at, maxwait_at, announce_at, ring_until;	/* 0 = none */
	uint32_t predicted_ms;
	struct acd_tnode node;		/* in q->wait[tier] while waiting */
	struct acd_call *prev, *next;	/* q's list in joining order (waiting, ringing) */
	struct acd_timer timer;
	uint32_t *skip, nskip, capskip;	/* agents skipped for this call */
	uint32_t *ring, nring, capring;	/* agents ringing now */
	struct acd_agent *agent;	/* connected */
	char *caller, *dnis, *data;	/* one allocation */
};

struct acd_queue {
	uint32_t idx;
	const struct acd_queue_cfg *cfg;
	struct acd_tree wait[ACD_MAX_TIERS];
	struct acd_tree ready[ACD_MAX_TIERS];
	struct acd_call *head, *tail;	/* joining order */
	uint32_t nwaiting, nringing, ntalking;
	uint32_t nmembers;
	uint32_t agents[ACD_AGENT__N];	/* members by state */
	uint32_t logged_in[ACD_MAX_TIERS];	/* members logged in, by first tier */
	uint32_t rr_last;		/* round robin: agent offered last */
	bool leave_pending;
	struct acd_stats *stats;
	struct acd_ewt *ewt;
	uint32_t serving[ACD_MAX_TIERS];	/* members logged in, not not-ready, by first tier */
	uint32_t nshare;
	struct {
		uint32_t q, w_permille;	/* queue sharing agents; its share (acd_share.c) */
	} share[ACD_SHARE_MAX];
};

struct acd {
	const struct acd_config *cfg;
	acd_sink_fn sink;
	void *sink_arg;
	bool in_sink;
	uint64_t seq;			/* last event */
	uint64_t now;			/* last input or timer */
	uint64_t call_seq;
	uint64_t prng;
	struct acd_agent *agent;
	struct acd_queue *queue;
	struct acd_member *members;
	struct acd_namemap agents_by_id, queues_by_name;
	struct acd_idmap calls;
	struct acd_heap heap;
	uint32_t *scratch;		/* ring-all candidates */
	uint32_t nscratch, capscratch;
	uint32_t *pending;		/* queues to check against their leave rule */
	uint32_t npending, cappending;
};

/* acd_config.c, acd_reason.c: the whole-config check's parts */
int acd_config_err(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int acd_reason_check(const struct acd_config *c, char *err, size_t errlen);

/* acd_core.c */
void acd_emit(struct acd *a, struct acd_event *ev);
void acd_ev_init(struct acd *a, struct acd_event *ev, enum acd_ev_type t, uint64_t call,
		 uint32_t queue, uint32_t agent);
int acd_enter(struct acd *a, uint64_t now_ms);
uint64_t acd_prng(struct acd *a);
void acd_leave_later(struct acd *a, struct acd_queue *q);
void acd_flush(struct acd *a);
int acd_u32_push(uint32_t **v, uint32_t *n, uint32_t *cap, uint32_t x);

/* acd_agent.c */
void acd_agent_set(struct acd *a, struct acd_agent *g, enum acd_agent_state st, uint16_t reason);
void acd_agent_became_free(struct acd *a, struct acd_agent *g);
void acd_agent_wrap_end(struct acd *a, struct acd_agent *g);
void acd_agent_timer(struct acd *a, struct acd_agent *g);
void acd_agent_call_done(struct acd *a, struct acd_agent *g);
bool acd_agent_available(enum acd_agent_state s);

/* acd_queue.c */
void acd_queue_insert(struct acd *a, struct acd_call *c);
void acd_queue_remove(struct acd *a, struct acd_call *c);
void acd_queue_unlink(struct acd_queue *q, struct acd_call *c);
void acd_queue_link(struct acd_queue *q, struct acd_call *c);
uint32_t acd_queue_position(const struct acd_queue *q, const struct acd_call *c);
uint32_t acd_queue_serving(const struct acd_queue *q);
uint32_t acd_queue_estimate(const struct acd_queue *q, uint32_t position, bool *reliable);
uint32_t acd_queue_estimate_call(const struct acd *a, const struct acd_call *c, uint32_t position,
				 bool *reliable);
bool acd_queue_staffed(const struct acd_queue *q, enum acd_empty_rule rule);
void acd_queue_check_leave(struct acd *a, struct acd_queue *q);
int64_t acd_call_key(const struct acd_queue_cfg *qc, uint64_t arrival_ms, uint8_t prio);

/* acd_share.c */
int acd_share_build(struct acd *a);
uint64_t acd_share_ahead(const struct acd *a, const struct acd_queue *q, uint64_t k1, uint64_t k2);

/* acd_route.c */
void acd_member_insert(struct acd *a, struct acd_member *m);
void acd_member_remove(struct acd_member *m);
bool acd_route_call(struct acd *a, struct acd_call *c);
bool acd_route_agent(struct acd *a, struct acd_agent *g);
void acd_route_answer(struct acd *a, struct acd_call *c, struct acd_agent *g);
void acd_route_miss(struct acd *a, struct acd_call *c, struct acd_agent *g, bool count,
		    bool ready_again);
bool acd_call_skips(const struct acd_call *c, uint32_t agent);
void acd_ring_drop(struct acd_call *c, uint32_t agent);

/* acd_call.c */
void acd_call_rearm(struct acd *a, struct acd_call *c);
void acd_call_timer(struct acd *a, struct acd_call *c);
void acd_call_destroy(struct acd *a, struct acd_call *c);
void acd_call_leave(struct acd *a, struct acd_call *c, enum acd_leave why);
void acd_call_requeue(struct acd *a, struct acd_call *c);

static inline struct acd_agent *acd_agent_of_timer(struct acd_timer *t)
{
	return (struct acd_agent *)((char *)t - offsetof(struct acd_agent, timer));
}

static inline struct acd_call *acd_call_of_timer(struct acd_timer *t)
{
	return (struct acd_call *)((char *)t - offsetof(struct acd_call, timer));
}

static inline struct acd_call *acd_call_of_node(struct acd_tnode *n)
{
	return (struct acd_call *)((char *)n - offsetof(struct acd_call, node));
}

static inline struct acd_member *acd_member_of_node(struct acd_tnode *n)
{
	return (struct acd_member *)((char *)n - offsetof(struct acd_member, node));
}

#define ACD_TIE_CALL	(1ull << 40)	/* call timers fire after agent timers of the same ms */

#endif /* TDMXD_ACD_INT_H */
