// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Estimated wait time and its recent error (acd_ewt.h).
 *
 * Three rings with running sums, so every call is O(1): the last
 * ACD_EWT_AHT_N handle times (their sum gives the AHT), the last
 * ACD_EWT_ANS_N answer times (mean over those seen so far), and the last
 * ACD_EWT_OUTCOME_N outcomes (sums of |error| and of actual waits give
 * the error). Evicting a ring entry subtracts exactly what was added, so
 * the sums never drift.
 */
#include <stdlib.h>

#include "acd_ewt.h"

struct acd_ewt {
	uint32_t max_error_permille;
	uint32_t aht_ring[ACD_EWT_AHT_N];
	unsigned int aht_next;
	uint64_t aht_sum;
	uint32_t ans_ring[ACD_EWT_ANS_N];
	unsigned int ans_next, answers;
	uint64_t ans_sum;
	uint32_t err_ring[ACD_EWT_OUTCOME_N];	/* |predicted - actual| */
	uint32_t act_ring[ACD_EWT_OUTCOME_N];	/* actual */
	unsigned int out_next, outcomes;
	uint64_t err_sum, act_sum;
};

struct acd_ewt *acd_ewt_new(uint32_t default_aht_ms, uint32_t max_error_permille)
{
	struct acd_ewt *e = calloc(1, sizeof(*e));

	if (!e)
		return NULL;
	e->max_error_permille = max_error_permille;
	/* the default stands for the handle times not seen yet */
	for (unsigned int i = 0; i < ACD_EWT_AHT_N; i++)
		e->aht_ring[i] = default_aht_ms;
	e->aht_sum = (uint64_t)default_aht_ms * ACD_EWT_AHT_N;
	return e;
}

void acd_ewt_free(struct acd_ewt *e)
{
	free(e);
}

size_t acd_ewt_size(void)
{
	return sizeof(struct acd_ewt);
}

void acd_ewt_handled(struct acd_ewt *e, uint32_t handle_ms)
{
	e->aht_sum -= e->aht_ring[e->aht_next];
	e->aht_sum += handle_ms;
	e->aht_ring[e->aht_next] = handle_ms;
	e->aht_next = (e->aht_next + 1) % ACD_EWT_AHT_N;
}

void acd_ewt_answered(struct acd_ewt *e, uint32_t answer_ms)
{
	if (e->answers == ACD_EWT_ANS_N)
		e->ans_sum -= e->ans_ring[e->ans_next];
	else
		e->answers++;
	e->ans_sum += answer_ms;
	e->ans_ring[e->ans_next] = answer_ms;
	e->ans_next = (e->ans_next + 1) % ACD_EWT_ANS_N;
}

/* a / b rounded to the nearest (halves up), b > 0, without overflow */
static uint64_t div_round(uint64_t a, uint64_t b)
{
	return a / b + (a % b >= b - a % b);
}

uint32_t acd_ewt_aht_ms(const struct acd_ewt *e)
{
	return (uint32_t)div_round(e->aht_sum, ACD_EWT_AHT_N);
}

#define K_MAX_MILLI	((uint64_t)UINT32_MAX * 1000)

uint32_t acd_ewt_answer_ms(const struct acd_ewt *e)
{
	return e->answers ? (uint32_t)div_round(e->ans_sum, e->answers) : 0;
}

uint32_t acd_ewt_estimate(const struct acd_ewt *e, uint32_t position, uint32_t serving, uint32_t free)
{
	return acd_ewt_estimate_shared(e, position, 0, serving, free);
}

uint32_t acd_ewt_estimate_shared(const struct acd_ewt *e, uint32_t position, uint64_t ahead_milli,
				 uint32_t serving, uint32_t free)
{
	uint64_t k, wait, aht;

	if (position == 0)
		position = 1;
	if (free > serving)
		free = serving;
	/* the callers ahead take the free agents first: position <= free
	 * only rings (other queues' callers would already have taken a free
	 * agent they could have) */
	if (position <= free)
		return acd_ewt_answer_ms(e);
	if (serving == 0)
		return UINT32_MAX;
	/* k in thousandths of a call, at most 2^32 - 1 calls; split into
	 * whole calls and thousandths so that each product with an AHT below
	 * 2^32 fits in 64 bits */
	k = (uint64_t)(position - free) * 1000 + ahead_milli;
	if (k > K_MAX_MILLI)
		k = K_MAX_MILLI;
	aht = acd_ewt_aht_ms(e);
	wait = div_round(k / 1000 * aht, serving) + div_round(k % 1000 * aht, (uint64_t)serving * 1000) +
	       acd_ewt_answer_ms(e);
	return wait > UINT32_MAX ? UINT32_MAX : (uint32_t)wait;
}

void acd_ewt_outcome(struct acd_ewt *e, uint32_t predicted_ms, uint32_t actual_ms)
{
	unsigned int i = e->out_next;
	uint32_t err = predicted_ms > actual_ms ? predicted_ms - actual_ms : actual_ms - predicted_ms;

	if (e->outcomes == ACD_EWT_OUTCOME_N) {
		e->err_sum -= e->err_ring[i];
		e->act_sum -= e->act_ring[i];
	} else {
		e->outcomes++;
	}
	e->err_ring[i] = err;
	e->act_ring[i] = actual_ms;
	e->err_sum += err;
	e->act_sum += actual_ms;
	e->out_next = (i + 1) % ACD_EWT_OUTCOME_N;
}

uint32_t acd_ewt_error_permille(const struct acd_ewt *e)
{
	uint64_t v;

	if (!e->err_sum)
		return 0;
	/* errors but no wait at all: as wrong as it gets */
	if (!e->act_sum)
		return UINT32_MAX;
	/* err_sum < 20 * 2^32, so err_sum * 1000 fits in 64 bits */
	v = e->err_sum * 1000 / e->act_sum;
	return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

bool acd_ewt_reliable(const struct acd_ewt *e)
{
	return e->outcomes >= ACD_EWT_MIN_OUTCOMES &&
	       acd_ewt_error_permille(e) < e->max_error_permille;
}
