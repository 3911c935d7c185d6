/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Call centre internals shared by callcentre.c (lifecycle, log, timer,
 * ACD events to CTI events) and callcentre_cti.c (the CTI backend).
 */
#ifndef TDMXD_CALLCENTRE_PRIV_H
#define TDMXD_CALLCENTRE_PRIV_H

#include <stdbool.h>
#include <stdio.h>

#include "acd.h"
#include "callcentre.h"
#include "custdb.h"

#define CC_TIMERS	4	/* armed + cancelled ones still completing */

struct callcentre {
	struct loop_timer timer[CC_TIMERS];	/* first: 16-byte aligned */
	uint64_t timer_at[CC_TIMERS];		/* deadline each was armed for */
	struct loop *loop;
	struct acd_config *acfg;
	struct acd *acd;
	struct cti *cti;
	struct custdb *cust;
	FILE *log;
	int log_err;		/* the last log write error, logged once */
	uint64_t last_ms;	/* the clock never goes back */
	uint64_t next_call;
	bool *dirty;		/* queues whose live figures changed */
};

uint64_t cc_now(struct callcentre *cc);
void cc_after_input(struct callcentre *cc);
int cc_cti_handle(void *priv, const struct cti_req *q, struct cti_reply *r);
int cc_cti_snapshot(void *priv, const struct cti_req *q, struct tdmx_json *j);
/* members "reason" (code) and "reason_name" (when it has one) */
void cc_reason_json(struct callcentre *cc, struct tdmx_json *j, uint16_t code);
void cc_queue_json(struct callcentre *cc, struct tdmx_json *j, uint32_t queue, uint64_t now);

#endif /* TDMXD_CALLCENTRE_PRIV_H */
