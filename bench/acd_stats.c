// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Cost of the ACD statistics and EWT calls (userspace/tdmxd/acd_stats.c,
 * acd_ewt.c), in ns per call.
 *
 * Every case is a function op(i) called N times through a function pointer
 * the compiler cannot see through; the baseline is an empty op of the same
 * shape, measured in the same run, so "x empty" is the cost of the call
 * relative to a bare indirect function call. Each figure is the median of
 * RUNS runs. The clock advances 37 ms per event, so the buckets roll over
 * as in a busy queue (a minute bucket every ~1,600 events).
 *
 * Usage: acd_stats [-n calls]   (default 5,000,000 per run)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "acd_ewt.h"
#include "acd_stats.h"

#define RUNS	7
#define STEP_MS	37

static struct acd_stats *stats;
static struct acd_ewt *ewt;
static volatile uint32_t sink;

static uint64_t t_of(uint64_t i)
{
	return 3600000000ULL + i * STEP_MS;
}

static __attribute__((noinline)) void op_empty(uint64_t i)
{
	__asm__ volatile("" : : "r"(i));
}

static void op_offered(uint64_t i)
{
	acd_stats_offered(stats, t_of(i));
}

static void op_answered(uint64_t i)
{
	acd_stats_answered(stats, t_of(i), (uint32_t)(i * 7919 % 60000));
}

static void op_abandoned(uint64_t i)
{
	acd_stats_abandoned(stats, t_of(i), (uint32_t)(i * 7919 % 60000));
}

static void op_handled(uint64_t i)
{
	acd_stats_handled(stats, t_of(i), (uint32_t)(i % 300000), 20000);
}

/* a state change every event: the time since the previous one */
static void op_agent_time(uint64_t i)
{
	acd_stats_agent_time(stats, t_of(i), i & 1 ? STEP_MS : 0, i & 1 ? 0 : STEP_MS);
}

/* a read of the largest window (96 buckets) */
static void op_get_day(uint64_t i)
{
	struct acd_figures f;

	acd_stats_get(stats, t_of(i), ACD_WIN_DAY, &f);
	sink = f.sl_permille;
}

static void op_ewt_handled(uint64_t i)
{
	acd_ewt_handled(ewt, (uint32_t)(i * 7919 % 600000));
}

static void op_ewt_estimate(uint64_t i)
{
	sink = acd_ewt_estimate(ewt, (uint32_t)(i % 100) + 1, 50, (uint32_t)(i % 3));
}

static void op_ewt_outcome(uint64_t i)
{
	acd_ewt_outcome(ewt, (uint32_t)(i % 90000), (uint32_t)(i * 7919 % 90000));
	sink = acd_ewt_reliable(ewt);
}

static const struct {
	const char *name;
	void (*op)(uint64_t i);
	unsigned int fewer;	/* run n / fewer calls: the slow ones */
} cases[] = {
	{ "acd_stats_offered", op_offered, 1 },
	{ "acd_stats_answered", op_answered, 1 },
	{ "acd_stats_abandoned", op_abandoned, 1 },
	{ "acd_stats_handled", op_handled, 1 },
	{ "acd_stats_agent_time", op_agent_time, 1 },
	{ "acd_stats_get (day window)", op_get_day, 10 },
	{ "acd_ewt_handled", op_ewt_handled, 1 },
	{ "acd_ewt_estimate", op_ewt_estimate, 1 },
	{ "acd_ewt_outcome + reliable", op_ewt_outcome, 1 },
};

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* ns per call of op, one run of n calls */
static double run(void (*volatile op)(uint64_t), uint64_t n)
{
	double t0 = now_ns();

	for (uint64_t i = 0; i < n; i++)
		op(i);
	return (now_ns() - t0) / n;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median_ns(void (*op)(uint64_t), uint64_t n)
{
	double r[RUNS];

	for (int i = 0; i < RUNS; i++)
		r[i] = run(op, n);
	qsort(r, RUNS, sizeof(r[0]), cmp_double);
	return r[RUNS / 2];
}

int main(int argc, char **argv)
{
	uint64_t n = 5000000;
	double base;
	int opt;

	while ((opt = getopt(argc, argv, "n:")) != -1) {
		if (opt != 'n' || (n = strtoull(optarg, NULL, 10)) == 0) {
			fprintf(stderr, "usage: %s [-n calls]\n", argv[0]);
			return 2;
		}
	}
	stats = acd_stats_new(20000, 5000);
	ewt = acd_ewt_new(180000, 250);
	if (!stats || !ewt) {
		fprintf(stderr, "acd_stats: out of memory\n");
		return 1;
	}
	base = median_ns(op_empty, n);
	printf("%-30s %8.2f ns per call (baseline)\n", "empty function call", base);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		double ns = median_ns(cases[i].op, n / cases[i].fewer + 1);

		printf("%-30s %8.2f ns per call, %6.1fx empty call\n", cases[i].name, ns, ns / base);
	}
	printf("%-30s %8zu bytes per queue or agent\n", "acd_stats memory", acd_stats_size());
	printf("%-30s %8zu bytes per queue\n", "acd_ewt memory", acd_ewt_size());
	acd_stats_free(stats);
	acd_ewt_free(ewt);
	return 0;
}
