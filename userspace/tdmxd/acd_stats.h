/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ACD statistics on rolling windows, for one queue or one agent.
 *
 * The engine calls one acd_stats_*() function per event, with the event's
 * time (ms on a monotonic clock); acd_stats_get() sums the window asked for.
 * No I/O, no clock reads, no allocation after acd_stats_new(): the same
 * calls give the same figures.
 *
 * Windows slide in buckets:
 *
 *   ACD_WIN_15MIN  the last 15 one-minute buckets
 *   ACD_WIN_1H     the last 60 one-minute buckets
 *   ACD_WIN_DAY    the last 96 fifteen-minute buckets
 *
 * A bucket is [k * len, (k + 1) * len) on the caller's clock. An event
 * counts in the bucket of its own time (an answer counts when it is
 * answered, whenever the call arrived). The window at now_ms is the bucket
 * holding now_ms and the buckets before it, so it starts between
 * (n - 1) * len and n * len before now_ms: a figure is exact to one bucket.
 * Events later than now_ms are not counted by acd_stats_get(now_ms).
 *
 * Agent time (occupancy) is a duration that ends at the event's time; it is
 * spread over the buckets it covers, in proportion, so a two-hour idle
 * period reported at the end puts only its last hour in the 1 h window.
 *
 * Counters saturate at UINT32_MAX and sums at UINT64_MAX instead of
 * wrapping. The exact definitions of every figure are in
 * Documentation/acd-stats.md.
 */
#ifndef TDMXD_ACD_STATS_H
#define TDMXD_ACD_STATS_H

#include <stddef.h>
#include <stdint.h>

enum acd_win { ACD_WIN_15MIN, ACD_WIN_1H, ACD_WIN_DAY, ACD_WIN__N };

struct acd_stats;			/* opaque, one per queue or per agent */

/* sl_threshold_ms: answered within it (<=) counts for the service level;
 * short_abandon_ms: abandoned before it (<) is a short abandon (0: none).
 * NULL on ENOMEM. */
struct acd_stats *acd_stats_new(uint32_t sl_threshold_ms, uint32_t short_abandon_ms);
void acd_stats_free(struct acd_stats *s);

/* a call entered the queue */
void acd_stats_offered(struct acd_stats *s, uint64_t now_ms);
/* an agent answered it after wait_ms in the queue */
void acd_stats_answered(struct acd_stats *s, uint64_t now_ms, uint32_t wait_ms);
/* the caller hung up while waiting */
void acd_stats_abandoned(struct acd_stats *s, uint64_t now_ms, uint32_t wait_ms);
/* the call left the queue for its overflow target */
void acd_stats_overflowed(struct acd_stats *s, uint64_t now_ms, uint32_t wait_ms);
/* an answered call is done: its talk time and its wrap-up time */
void acd_stats_handled(struct acd_stats *s, uint64_t now_ms, uint32_t talk_ms, uint32_t wrap_ms);
/* agent time for occupancy, ending at now_ms: ms busy (talking, wrap-up,
 * ringing) and ms available (ready and idle); logged-out and not-ready
 * time is not reported */
void acd_stats_agent_time(struct acd_stats *s, uint64_t now_ms, uint32_t busy_ms, uint32_t avail_ms);

struct acd_figures {
	uint32_t offered, answered, abandoned, short_abandoned, overflowed, answered_in_sl, handled;
	uint32_t sl_permille;		/* answered_in_sl * 1000 / (offered - short_abandoned), 1000 if none */
	uint32_t asa_ms;		/* mean wait of answered calls */
	uint32_t aht_ms;		/* mean talk + wrap of handled calls */
	uint32_t longest_wait_ms;	/* longest wait of any call answered/abandoned/overflowed in the window */
	uint32_t occupancy_permille;	/* busy / (busy + avail) */
};

/* the figures of window w at now_ms; all zero for an unknown window */
void acd_stats_get(const struct acd_stats *s, uint64_t now_ms, enum acd_win w, struct acd_figures *f);

/* the memory one acd_stats object takes, bytes */
size_t acd_stats_size(void);

/* the span of window w in ms (15 min, 1 h, 24 h); 0 for an unknown window */
uint64_t acd_stats_window_ms(enum acd_win w);

#endif /* TDMXD_ACD_STATS_H */
