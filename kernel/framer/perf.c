// SPDX-License-Identifier: GPL-2.0-only
/*
 * G.826 seconds. A second is an errored second (ES) with at least one
 * errored block or a defect, a severely errored second (SES) with >= 30 %
 * errored blocks or a defect (G.826 B.1). Ten consecutive SES start
 * unavailable time, counted from the first of them; ten consecutive
 * non-SES end it, from the first of those (G.826 Annex A). Seconds inside
 * unavailable time count only as UAS, so the ten deciding seconds are moved
 * between the counters when the state changes.
 */
#include "perf.h"

#define UAS_RUN 10
#define SES_PERCENT 30

/**
 * tdmx_perf_init() - start counting
 * @p: accumulator
 * @bits_per_second: line rate
 */
void tdmx_perf_init(struct tdmx_perf *p, u32 bits_per_second)
{
	tdmx_fr_memset(p, 0, sizeof(*p));
	p->bits_per_second = bits_per_second;
}

/**
 * tdmx_perf_block() - count one checked block (CRC-4 SMF or CRC-6 ESF)
 * @p: accumulator
 * @errored: the block failed its check
 */
void tdmx_perf_block(struct tdmx_perf *p, bool errored)
{
	p->blocks++;
	if (errored)
		p->errored++;
}

/**
 * tdmx_perf_anomaly() - count an anomaly on a line without block checks
 * @p: accumulator
 */
void tdmx_perf_anomaly(struct tdmx_perf *p)
{
	p->errored++;
}

/**
 * tdmx_perf_defect() - mark the current second as having a defect
 * @p: accumulator
 */
void tdmx_perf_defect(struct tdmx_perf *p)
{
	p->defect = true;
}

static void second_available(struct tdmx_perf *p, bool es, bool ses,
			     struct tdmx_fr_counters *c)
{
	if (es)
		c->es++;
	if (!ses) {
		p->run = 0;
		return;
	}
	c->ses++;
	if (++p->run < UAS_RUN)
		return;
	/* the ten SES were unavailable time all along */
	c->es -= UAS_RUN;
	c->ses -= UAS_RUN;
	c->uas += UAS_RUN;
	p->unavailable = true;
	p->run = 0;
	p->run_es = 0;
}

static void second_unavailable(struct tdmx_perf *p, bool es, bool ses,
			       struct tdmx_fr_counters *c)
{
	c->uas++;
	if (ses) {
		p->run = 0;
		p->run_es = 0;
		return;
	}
	p->run_es += es;
	if (++p->run < UAS_RUN)
		return;
	/* the ten non-SES were available time all along */
	c->uas -= UAS_RUN;
	c->es += p->run_es;
	p->unavailable = false;
	p->run = 0;
}

static void second_end(struct tdmx_perf *p, struct tdmx_fr_counters *c)
{
	bool ses = p->defect ||
		   (p->blocks && p->errored * 100 >= p->blocks * SES_PERCENT);
	bool es = ses || p->errored;

	if (p->unavailable)
		second_unavailable(p, es, ses, c);
	else
		second_available(p, es, ses, c);
	p->blocks = 0;
	p->errored = 0;
	p->defect = false;
}

/**
 * tdmx_perf_advance() - let line time pass
 * @p: accumulator
 * @bits: bits received since the last call (less than a second)
 * @c: counters that receive ES, SES and UAS
 */
void tdmx_perf_advance(struct tdmx_perf *p, u32 bits, struct tdmx_fr_counters *c)
{
	p->bits += bits;
	if (p->bits < p->bits_per_second)
		return;
	p->bits -= p->bits_per_second;
	second_end(p, c);
}
