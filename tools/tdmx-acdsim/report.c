// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tdmx-acdsim figures: derived from the run's counters (sim_result) and
 * printed as a text table or one JSON object. Definitions (also in
 * Documentation/tdmx-acdsim.md), over the calls that arrived in the
 * measured window:
 *   SL         answered within the queue's sl_threshold / offered
 *   ASA        mean wait (arrival -> connect) of answered calls
 *   AHT        mean talk + wrap-up of the calls handled
 *   occupancy  busy (ringing, talking, wrap-up) / (busy + ready) agent time
 *   EWT error  sum |predicted - actual wait| / sum actual wait over the
 *              connected calls the engine made a prediction for
 * A figure with nothing to average over is 0.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "acdsim.h"
#include "libtdmx.h"

double sim_sl(const struct sim_queue_fig *q)
{
	return q->offered ? (double)q->answered_in_sl / (double)q->offered : 0;
}

double sim_asa_ms(const struct sim_queue_fig *q)
{
	return q->answered ? (double)q->wait_sum_ms / (double)q->answered : 0;
}

double sim_aht_ms(uint64_t talk, uint64_t wrap, uint64_t n)
{
	return n ? (double)(talk + wrap) / (double)n : 0;
}

double sim_occupancy(const struct sim_group_fig *g)
{
	uint64_t t = g->busy_ms + g->avail_ms;

	return t ? (double)g->busy_ms / (double)t : 0;
}

double sim_ewt_error(const struct sim_queue_fig *q)
{
	return q->ewt_actual_ms ? q->ewt_abs_err_ms / (double)q->ewt_actual_ms : 0;
}

static int done(FILE *f)
{
	return fflush(f) || ferror(f) ? -EIO : 0;
}

int sim_report_text(FILE *f, const struct acd_config *c, const struct sim_scenario *s,
		    const struct sim_result *r)
{
	unsigned int i;

	fprintf(f, "seed %" PRIu64 ", arrivals for %.1f min, figures from %.1f min, run ended at %.1f min\n",
		r->seed, r->duration_ms / 60000.0, r->warmup_ms / 60000.0, r->end_ms / 60000.0);
	fprintf(f, "%-16s %8s %8s %8s %8s %8s %8s %7s %6s %9s %9s %9s %7s\n", "queue", "offered",
		"answered", "abandon", "refused", "overflow", "unfinish", "SL", "T", "ASA", "AHT",
		"max_wait", "EWT_err");
	for (i = 0; i < r->nqueues; i++) {
		const struct sim_queue_fig *q = &r->queue[i];

		fprintf(f, "%-16s %8" PRIu64 " %8" PRIu64 " %8" PRIu64 " %8" PRIu64 " %8" PRIu64
			" %8" PRIu64 " %6.2f%% %5.0fs %8.1fs %8.1fs %8.1fs %6.1f%%\n",
			c->queue[i].name, q->offered, q->answered, q->abandoned, q->refused,
			q->overflowed, q->unfinished, 100 * sim_sl(q), q->sl_threshold_ms / 1000.0,
			sim_asa_ms(q) / 1000, sim_aht_ms(q->talk_sum_ms, q->wrap_sum_ms, q->handled) / 1000,
			q->max_wait_ms / 1000.0, 100 * sim_ewt_error(q));
	}
	fprintf(f, "%-16s %8s %8s %8s %9s %9s\n", "group", "agents", "answered", "missed", "AHT",
		"occupancy");
	for (i = 0; i < r->ngroups; i++) {
		const struct sim_group_fig *g = &r->group[i];

		fprintf(f, "%-16s %8" PRIu32 " %8" PRIu64 " %8" PRIu64 " %8.1fs %8.2f%%\n",
			s->group[i].name, g->agents, g->answered, g->missed,
			sim_aht_ms(g->talk_sum_ms, g->wrap_sum_ms, g->handled) / 1000,
			100 * sim_occupancy(g));
	}
	return done(f);
}

static void jstr(FILE *f, const char *key, const char *val)
{
	fprintf(f, "\"%s\":", key);
	tdmx_json_escape(f, val);	/* quotes included */
}

int sim_report_json(FILE *f, const struct acd_config *c, const struct sim_scenario *s,
		    const struct sim_result *r)
{
	unsigned int i;

	fprintf(f, "{\"seed\":%" PRIu64 ",\"duration_ms\":%" PRIu64 ",\"warmup_ms\":%" PRIu64
		",\"end_ms\":%" PRIu64 ",\"engine_inputs\":%" PRIu64 ",\"engine_events\":%" PRIu64
		",\"queues\":[", r->seed, r->duration_ms, r->warmup_ms, r->end_ms, r->engine_inputs,
		r->engine_events);
	for (i = 0; i < r->nqueues; i++) {
		const struct sim_queue_fig *q = &r->queue[i];

		fputs(i ? ",{" : "{", f);
		jstr(f, "name", c->queue[i].name);
		fprintf(f, ",\"offered\":%" PRIu64 ",\"answered\":%" PRIu64 ",\"abandoned\":%" PRIu64
			",\"refused\":%" PRIu64 ",\"overflowed\":%" PRIu64 ",\"unfinished\":%" PRIu64
			",\"sl\":%.6f,\"sl_threshold_ms\":%" PRIu32 ",\"asa_ms\":%.3f,\"aht_ms\":%.3f"
			",\"max_wait_ms\":%" PRIu64 ",\"ewt_error\":%.6f,\"ewt_calls\":%" PRIu64 "}",
			q->offered, q->answered, q->abandoned, q->refused, q->overflowed,
			q->unfinished, sim_sl(q), q->sl_threshold_ms, sim_asa_ms(q),
			sim_aht_ms(q->talk_sum_ms, q->wrap_sum_ms, q->handled), q->max_wait_ms,
			sim_ewt_error(q), q->ewt_n);
	}
	fputs("],\"groups\":[", f);
	for (i = 0; i < r->ngroups; i++) {
		const struct sim_group_fig *g = &r->group[i];

		fputs(i ? ",{" : "{", f);
		jstr(f, "name", s->group[i].name);
		fprintf(f, ",\"agents\":%" PRIu32 ",\"answered\":%" PRIu64 ",\"missed\":%" PRIu64
			",\"aht_ms\":%.3f,\"occupancy\":%.6f,\"busy_ms\":%" PRIu64 ",\"ready_ms\":%"
			PRIu64 ",\"not_ready_ms\":%" PRIu64 "}", g->agents, g->answered, g->missed,
			sim_aht_ms(g->talk_sum_ms, g->wrap_sum_ms, g->handled), sim_occupancy(g),
			g->busy_ms, g->avail_ms, g->not_ready_ms);
	}
	fputs("]}\n", f);
	return done(f);
}
