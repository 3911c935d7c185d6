/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Not-ready time per reason for one agent, on the rolling windows of
 * acd_stats.h (15 min, 1 h, day), for supervisors and occupancy reports.
 *
 * The engine reports each not-ready period once, when it ends (the agent
 * goes ready, logs out or changes reason): its code and its length,
 * ending at the report's time. The length is spread over the buckets it
 * covers, as acd_stats does for agent time, so a window holds exactly
 * the part of the period that falls in it (to one bucket).
 *
 * Memory: nothing until the agent's first not-ready period ends; then a
 * small header and one row per reason code the agent has used (60
 * one-minute and 96 fifteen-minute buckets of ms), so an agent who only
 * ever takes lunch and breaks costs two rows. At most ACD_RSTATS_MAX_CODES
 * codes per agent are kept; time in further codes is counted as
 * "untracked" (only possible without a configured reasons list, or with a
 * very long one).
 *
 * No I/O, no clock reads: the same calls give the same figures.
 */
#ifndef TDMXD_ACD_RSTATS_H
#define TDMXD_ACD_RSTATS_H

#include <stddef.h>
#include <stdint.h>

#include "acd_stats.h"

#define ACD_RSTATS_MAX_CODES	64
#define ACD_RSTATS_UNTRACKED	UINT32_MAX	/* code of the "untracked" total */

struct acd_rstats;

/* one reason's time in a window */
struct acd_reason_time {
	uint32_t code;		/* reason code, or ACD_RSTATS_UNTRACKED */
	uint64_t ms;
};

/*
 * acd_rstats_add() - a not-ready period of @code that lasted @dur_ms and
 *	ended at @now_ms. *@rs is allocated or grown as needed (NULL at
 *	first). Times must not go backwards from one call to the next.
 *	Return: 0 or -ENOMEM (the period is then not counted).
 */
int acd_rstats_add(struct acd_rstats **rs, uint16_t code, uint64_t now_ms, uint64_t dur_ms);
void acd_rstats_free(struct acd_rstats *rs);

/*
 * acd_rstats_get() - the time per code in window @w at @now_ms, in code
 *	order (untracked last), codes with no time in the window left out.
 *	Fills up to @max entries of @out; returns how many codes have time.
 */
size_t acd_rstats_get(const struct acd_rstats *rs, uint64_t now_ms, enum acd_win w,
		      struct acd_reason_time *out, size_t max);

/* where window @w at @now_ms begins (its oldest bucket's start), ms */
uint64_t acd_rstats_window_start(uint64_t now_ms, enum acd_win w);

/* bytes taken by @rs (0 for NULL) */
size_t acd_rstats_size(const struct acd_rstats *rs);

#endif /* TDMXD_ACD_RSTATS_H */
