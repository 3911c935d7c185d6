// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tdmx-acdsim: simulate a call centre over the real ACD engine.
 *
 *   tdmx-acdsim [-j] [--seed N] [--duration D] [--warmup D] [--rate QUEUE=RATE]...
 *               [--aht D] [--patience D] [--log FILE] ACD.yaml [SCENARIO.yaml]
 *
 * ACD.yaml is the engine's configuration (Documentation/acd.md); the
 * scenario (Documentation/tdmx-acdsim.md) is optional, and the options
 * override it. Exit codes: 0 done, 1 bad input (options, configuration,
 * scenario; nothing simulated), 2 the run failed (an engine input the
 * simulator expected to succeed was refused, out of memory, a write
 * error). See Documentation/tdmx-acdsim.md.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acdsim.h"

enum { EXIT_BAD_INPUT = 1, EXIT_RUN = 2 };

enum { OPT_SEED = 256, OPT_DURATION, OPT_WARMUP, OPT_RATE, OPT_AHT, OPT_PATIENCE, OPT_LOG };

static const struct option longopts[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "help", no_argument, NULL, 'h' },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "duration", required_argument, NULL, OPT_DURATION },
	{ "warmup", required_argument, NULL, OPT_WARMUP },
	{ "rate", required_argument, NULL, OPT_RATE },
	{ "aht", required_argument, NULL, OPT_AHT },
	{ "patience", required_argument, NULL, OPT_PATIENCE },
	{ "log", required_argument, NULL, OPT_LOG },
	{ NULL, 0, NULL, 0 },
};

static void usage(FILE *f)
{
	fputs("usage: tdmx-acdsim [-j] [--seed N] [--duration D] [--warmup D]\n"
	      "                   [--rate QUEUE=RATE]... [--aht D] [--patience D]\n"
	      "                   [--log FILE] ACD.yaml [SCENARIO.yaml]\n"
	      "  D: a duration (500ms, 20s, 5min, 8h); RATE: calls per hour (120/h, 2/min, 0.5/s)\n"
	      "  --aht sets every queue's mean handle time, --patience an exponential\n"
	      "  patience for every queue ('off': callers never abandon)\n", f);
}

/* options applied after the scenario file: kept until then */
struct opts {
	bool json, have_seed, have_duration, have_warmup, have_aht, have_patience;
	uint64_t seed, duration_ms, warmup_ms, aht_ms, patience_ms;
	const char *log;
	unsigned int nrates;
	char **rates;
};

static int bad(const char *fmt, const char *arg)
{
	fprintf(stderr, "tdmx-acdsim: ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	return -EINVAL;
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
	char *end;
	int c;

	while ((c = getopt_long(argc, argv, "jh", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			o->json = true;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case OPT_SEED:
			errno = 0;
			o->seed = strtoull(optarg, &end, 0);
			if (errno || end == optarg || *end || optarg[0] == '-')
				return bad("--seed: expected a number, found '%s'", optarg);
			o->have_seed = true;
			break;
		case OPT_DURATION:
			if (sim_parse_dur(optarg, &o->duration_ms) || !o->duration_ms)
				return bad("--duration: expected a duration such as 8h, found '%s'", optarg);
			o->have_duration = true;
			break;
		case OPT_WARMUP:
			if (sim_parse_dur(optarg, &o->warmup_ms))
				return bad("--warmup: expected a duration such as 30min, found '%s'", optarg);
			o->have_warmup = true;
			break;
		case OPT_AHT:
			if (sim_parse_dur(optarg, &o->aht_ms) || !o->aht_ms)
				return bad("--aht: expected a duration such as 180s, found '%s'", optarg);
			o->have_aht = true;
			break;
		case OPT_PATIENCE:
			if (sim_parse_dur(optarg, &o->patience_ms))
				return bad("--patience: expected a duration or off, found '%s'", optarg);
			o->have_patience = true;
			break;
		case OPT_RATE:
			o->rates[o->nrates++] = optarg;
			break;
		case OPT_LOG:
			o->log = optarg;
			break;
		default:
			usage(stderr);
			return -EINVAL;
		}
	}
	if (argc - optind < 1 || argc - optind > 2) {
		usage(stderr);
		return -EINVAL;
	}
	return 0;
}

/* --rate QUEUE=RATE */
static int apply_rate(const struct acd_config *c, struct sim_scenario *s, char *arg)
{
	char *eq = strchr(arg, '=');
	struct sim_load *l = NULL;
	unsigned int i;

	if (!eq)
		return bad("--rate: expected QUEUE=RATE, found '%s'", arg);
	*eq = 0;
	for (i = 0; i < c->nqueues; i++)
		if (!strcmp(c->queue[i].name, arg))
			l = sim_scenario_load_of(s, i);
	if (!l)
		return bad("--rate: '%s' is not a queue of the ACD configuration", arg);
	if (sim_parse_rate(eq + 1, &l->rate_per_h))
		return bad("--rate: expected calls per hour such as 120/h or 2/min, found '%s'", eq + 1);
	return 0;
}

static int apply_opts(const struct acd_config *c, struct sim_scenario *s, struct opts *o)
{
	unsigned int i;
	int ret;

	if (o->have_seed)
		s->seed = o->seed;
	if (o->have_duration)
		s->duration_ms = o->duration_ms;
	if (o->have_warmup)
		s->warmup_ms = o->warmup_ms;
	if (o->have_duration && !o->have_warmup && s->warmup_ms >= s->duration_ms)
		s->warmup_ms = 0;
	if (s->warmup_ms >= s->duration_ms)
		return bad("--warmup: must be shorter than the duration%s", "");
	for (i = 0; i < s->nloads; i++) {
		if (o->have_aht)
			s->load[i].handle.mean_ms = (double)o->aht_ms;
		if (o->have_patience)
			s->load[i].patience = o->patience_ms ?
				(struct sim_dist){ SIM_DIST_EXP, (double)o->patience_ms, 0 } :
				(struct sim_dist){ SIM_DIST_OFF, 0, 0 };
	}
	for (i = 0; i < o->nrates; i++) {
		ret = apply_rate(c, s, o->rates[i]);
		if (ret)
			return ret;
	}
	return 0;
}

static int simulate(struct acd_config *c, struct sim_scenario *s, const struct opts *o)
{
	struct sim_result r;
	char err[512] = "";
	FILE *log = NULL;
	int ret;

	if (o->log) {
		log = fopen(o->log, "w");
		if (!log) {
			fprintf(stderr, "tdmx-acdsim: %s: %s\n", o->log, strerror(errno));
			return EXIT_RUN;
		}
	}
	ret = sim_run(c, s, log, &r, err, sizeof(err));
	if (log && fclose(log) && !ret) {
		snprintf(err, sizeof(err), "%s: write error", o->log);
		ret = -EIO;
	}
	if (ret) {
		fprintf(stderr, "tdmx-acdsim: %s\n", err[0] ? err : strerror(-ret));
		if (!ret)
			sim_result_free(&r);
		return EXIT_RUN;
	}
	ret = o->json ? sim_report_json(stdout, c, s, &r) : sim_report_text(stdout, c, s, &r);
	sim_result_free(&r);
	if (ret) {
		fprintf(stderr, "tdmx-acdsim: writing the figures: %s\n", strerror(-ret));
		return EXIT_RUN;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct opts o = { 0 };
	struct sim_scenario s = { 0 };
	struct acd_config *c = NULL;
	char err[512] = "";
	int ret, rc = EXIT_BAD_INPUT;

	o.rates = calloc((size_t)argc, sizeof(*o.rates));
	if (!o.rates)
		return EXIT_RUN;
	if (parse_opts(argc, argv, &o))
		goto out;
	ret = acd_config_load(argv[optind], &c, err, sizeof(err));
	if (!ret)
		ret = acd_config_check(c, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "tdmx-acdsim: %s\n", err[0] ? err : strerror(-ret));
		goto out;
	}
	ret = sim_scenario_default(c, &s);
	if (!ret && optind + 1 < argc)
		ret = sim_scenario_load(argv[optind + 1], c, &s, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "tdmx-acdsim: %s\n", err[0] ? err : strerror(-ret));
		rc = ret == -ENOMEM ? EXIT_RUN : EXIT_BAD_INPUT;
		goto out;
	}
	if (apply_opts(c, &s, &o))
		goto out;
	rc = simulate(c, &s, &o);
out:
	sim_scenario_free(&s);
	acd_config_free(c);
	free(o.rates);
	return rc;
}
