/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Estimated wait time (EWT) for one queue, and how wrong it was lately.
 *
 * The estimate comes from the caller's position, the staffing and the
 * recent handle times, not from past waits (which lag behind every change
 * of staffing and say nothing about position):
 *
 *   AHT   = mean of the last ACD_EWT_AHT_N handle times (talk + wrap);
 *           the ring starts full of default_aht_ms, so the first calls
 *           move it gradually
 *   k     = position - free        calls that must finish before this one
 *                                  is served (0 or less: an agent is free)
 *   k    += ahead_milli / 1000      calls of other queues that share these
 *                                  agents and come first (acd_share.c);
 *                                  only when no agent is free
 *   EWT   = k * AHT / serving      serving agents each finish a call every
 *           + ANS                  AHT on average, so together one every
 *                                  AHT / serving; then the call still rings
 *   ANS   = mean of the last ACD_EWT_ANS_N answer times (first offer to
 *           answer: ringing, and re-offers after misses), 0 until known
 *
 * In an M/M/c queue k * AHT / serving is exactly the expected wait of a
 * caller who needs k departures (each gap is exponential with mean
 * AHT / serving). The wait the engine reports (and the caller hears) runs
 * until the answer, so the ring time belongs in the estimate: without it
 * every caller who finds a free agent is predicted 0 and waits the ring
 * (in tdmx-acdsim's example that alone was a third of the error).
 *
 * The error tracker keeps the last ACD_EWT_OUTCOME_N (predicted, actual)
 * pairs of answered calls and reports their weighted relative error
 *   sum |predicted - actual| / sum actual   (permille)
 * The estimate is reliable once there are ACD_EWT_MIN_OUTCOMES pairs and
 * that error is below max_error_permille. Only answered calls are fed:
 * the wait of an abandoned call is not the wait it would have had.
 *
 * No I/O, no clock, no allocation after acd_ewt_new(); all arithmetic is
 * in 64 bits and results saturate at UINT32_MAX. Documentation in
 * Documentation/acd-stats.md.
 */
#ifndef TDMXD_ACD_EWT_H
#define TDMXD_ACD_EWT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * 64 handle times: the AHT estimate's relative error is 1/sqrt(64) = 12.5 %
 * for handle times as spread as an exponential's; with 32 it is 17.7 % and
 * costs up to ~38 % more mean error on long queues (M/M/c test); 64 calls
 * are still under 15 minutes of a 20-agent queue with 4-minute calls.
 */
#define ACD_EWT_AHT_N		64	/* handle times in the AHT mean */
#define ACD_EWT_OUTCOME_N	20	/* outcomes in the error */
#define ACD_EWT_MIN_OUTCOMES	10	/* outcomes before it can be reliable */
#define ACD_EWT_ANS_N		32	/* answer times in their mean */

struct acd_ewt;

/* NULL on ENOMEM */
struct acd_ewt *acd_ewt_new(uint32_t default_aht_ms, uint32_t max_error_permille);
void acd_ewt_free(struct acd_ewt *e);

/* one recent handle time (talk + wrap) */
void acd_ewt_handled(struct acd_ewt *e, uint32_t handle_ms);

/* one answer time: from the call's first offer to its answer */
void acd_ewt_answered(struct acd_ewt *e, uint32_t answer_ms);

/*
 * position: 1 = next to be served (0 is taken as 1); serving: agents
 * logged in who can take this queue's calls (busy or not); free: of
 * those, ready and idle now, not ringing (more than serving is taken as
 * serving).
 * Returns ms; UINT32_MAX when a wait is due and nobody serves the queue.
 */
uint32_t acd_ewt_estimate(const struct acd_ewt *e, uint32_t position, uint32_t serving, uint32_t free);

/* the same with ahead_milli / 1000 more calls to finish first (other
 * queues' callers the same agents take before this one) */
uint32_t acd_ewt_estimate_shared(const struct acd_ewt *e, uint32_t position, uint64_t ahead_milli,
				 uint32_t serving, uint32_t free);

/* when a call is answered: what was predicted for it and what it waited */
void acd_ewt_outcome(struct acd_ewt *e, uint32_t predicted_ms, uint32_t actual_ms);

/* recent sum |pred - actual| * 1000 / sum actual; 0 with no outcomes */
uint32_t acd_ewt_error_permille(const struct acd_ewt *e);

/* at least ACD_EWT_MIN_OUTCOMES outcomes and error < max_error_permille */
bool acd_ewt_reliable(const struct acd_ewt *e);

/* the mean answer time the estimate adds, ms (0 until one is known) */
uint32_t acd_ewt_answer_ms(const struct acd_ewt *e);

/* the AHT the estimate uses now, ms */
uint32_t acd_ewt_aht_ms(const struct acd_ewt *e);

/* the memory one acd_ewt object takes, bytes */
size_t acd_ewt_size(void);

#endif /* TDMXD_ACD_EWT_H */
