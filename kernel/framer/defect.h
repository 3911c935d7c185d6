/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Line defects seen on the raw bits before any alignment (G.775):
 * LOS (no transitions) and AIS (all ones).
 */
#ifndef TDMX_FRAMER_DEFECT_H
#define TDMX_FRAMER_DEFECT_H

#include "event.h"

/* G.775: LOS after N zeros, 10 <= N <= 255. E1 uses 255, T1 192 (T1.231). */
#define TDMX_E1_LOS_ZEROS 255
#define TDMX_T1_LOS_ZEROS 192
/* G.775: AIS is judged over 512-bit (E1) and 3088-bit (T1) periods. */
#define TDMX_E1_AIS_PERIOD 512
#define TDMX_T1_AIS_PERIOD 3088

/**
 * struct tdmx_defect - LOS and AIS detector over a bitstream
 * @pos: bits consumed so far (a multiple of 8)
 * @los_zeros: N of the LOS rule
 * @ais_period: bits per AIS period (a multiple of 8)
 * @zero_run: zeros since the last one
 * @los: LOS is declared
 * @clear_start: LOS clearing window start (stream bit), valid while @clearing
 * @clearing: a one was seen during LOS; a clearing window runs
 * @period_start: stream bit where the current AIS period began
 * @period_zeros: zeros in the current AIS period
 * @prev_verdict: previous period: 1 = looked like AIS, 0 = not, -1 = none
 * @ais: AIS is declared
 */
struct tdmx_defect {
	u64 pos;
	u32 los_zeros;
	u32 ais_period;
	u32 zero_run;
	bool los;
	u64 clear_start;
	bool clearing;
	u64 period_start;
	u32 period_zeros;
	int prev_verdict;
	bool ais;
};

void tdmx_defect_init(struct tdmx_defect *d, u32 los_zeros, u32 ais_period);
void tdmx_defect_feed(struct tdmx_defect *d, const u8 *data, size_t len,
		      const struct tdmx_fr_sink *sink);
void tdmx_defect_clear_ais(struct tdmx_defect *d, u64 bit,
			   const struct tdmx_fr_sink *sink);
void tdmx_fr_emit_alarm(const struct tdmx_fr_sink *sink, u64 bit,
			unsigned int alarm, bool on);
void tdmx_fr_emit(const struct tdmx_fr_sink *sink, const struct tdmx_fr_event *ev);

#endif /* TDMX_FRAMER_DEFECT_H */
