/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The ACD engine's deadlines: a binary min-heap of intrusive timers, one
 * per call (its next ring timeout, escalation, max wait or announcement)
 * and one per agent (wrap-up end). Ordered by (when, tie): the tie is a
 * number unique to the owner, so timers due at the same ms fire in the
 * same order on every run. Each timer knows its heap slot, so re-arming
 * and disarming cost O(log n).
 */
#ifndef TDMXD_ACD_TIMER_H
#define TDMXD_ACD_TIMER_H

#include <stdbool.h>
#include <stdint.h>

#define ACD_TIMER_IDLE	UINT32_MAX	/* slot of a timer not in the heap */

struct acd_timer {
	uint64_t when;
	uint64_t tie;
	uint32_t slot;
};

struct acd_heap {
	struct acd_timer **v;
	uint32_t n, cap;
};

void acd_timer_init(struct acd_timer *t, uint64_t tie);
static inline bool acd_timer_armed(const struct acd_timer *t)
{
	return t->slot != ACD_TIMER_IDLE;
}
/* arm (or move) @t to @when; -ENOMEM leaves it as it was */
int acd_heap_arm(struct acd_heap *h, struct acd_timer *t, uint64_t when);
void acd_heap_disarm(struct acd_heap *h, struct acd_timer *t);
struct acd_timer *acd_heap_top(const struct acd_heap *h);	/* NULL if empty */
void acd_heap_free(struct acd_heap *h);

#endif /* TDMXD_ACD_TIMER_H */
