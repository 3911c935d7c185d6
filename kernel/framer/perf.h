/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * G.826 performance events: errored, severely errored and unavailable
 * seconds, counted in line time (bits received), not wall time.
 */
#ifndef TDMX_FRAMER_PERF_H
#define TDMX_FRAMER_PERF_H

#include "event.h"

/**
 * struct tdmx_perf - one-second accumulator and availability state
 * @bits_per_second: 2048000 (E1) or 1544000 (T1)
 * @bits: bits of the current second seen so far
 * @blocks: blocks checked in the current second
 * @errored: errored blocks (or anomalies without a block check) this second
 * @defect: a defect (LOS, AIS, LOF) was present this second
 * @unavailable: in unavailable time
 * @run: consecutive SES (while available) or non-SES (while unavailable)
 * @run_es: ES among the non-SES run while unavailable
 */
struct tdmx_perf {
	u32 bits_per_second;
	u32 bits;
	u32 blocks;
	u32 errored;
	bool defect;
	bool unavailable;
	u32 run;
	u32 run_es;
};

void tdmx_perf_init(struct tdmx_perf *p, u32 bits_per_second);
void tdmx_perf_block(struct tdmx_perf *p, bool errored);
void tdmx_perf_anomaly(struct tdmx_perf *p);
void tdmx_perf_defect(struct tdmx_perf *p);
void tdmx_perf_advance(struct tdmx_perf *p, u32 bits, struct tdmx_fr_counters *c);

#endif /* TDMX_FRAMER_PERF_H */
