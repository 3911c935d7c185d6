// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Estimated wait time and its recent error (acd_ewt.h).
 *
 * Two rings with running sums, so every call is O(1): the last
 * ACD_EWT_AHT_N handle times (their sum gives the AHT), and the last
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

/* a / b rounded to the nearest (halves up), b > 0, without overflow */
static uint64_t div_round(uint64_t a, uint64_t b)
{
	return a / b + (a % b >= b - a % b);
}

uint32_t acd_ewt_aht_ms(const struct acd_ewt *e)
{
	return (uint32_t)div_round(e->aht_sum, ACD_EWT_AHT_N);
}

uint32_t acd_ewt_estimate(const struct acd_ewt *e, uint32_t position, uint32_t serving, uint32_t free)
{
	uint64_t k, wait;

	if (position == 0)
		position = 1;
	if (free > serving)
		free = serving;
	/* the callers ahead take the free agents first: position <= free waits 0 */
	if (position <= free)
		return 0;
	if (serving == 0)
		return UINT32_MAX;
	k = position - free;
	/* k and AHT are both below 2^32, so the product fits in 64 bits */
	wait = div_round(k * acd_ewt_aht_ms(e), serving);
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
