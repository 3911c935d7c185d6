// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tdmx-acdsim scenario: what happens around the ACD, read from YAML with
 * libyaml's document API (no hand-written parser). The format is in
 * Documentation/tdmx-acdsim.md:
 *
 *   seed: 7
 *   duration: 8h            # arrivals in [0, 8h)
 *   warmup: 30min           # figures from here
 *   drain: 2h               # at most this long after 8h to finish calls
 *   queues:                 # traffic per queue of the ACD configuration
 *     - queue: sales
 *       rate: 120/h
 *       handle: {dist: lognormal, mean: 240s, sd: 120s}
 *       patience: {dist: exponential, mean: 2min}
 *       priority: 0
 *       vip: {share: 0.05, priority: 10}
 *   groups:                 # agents who behave alike; first match wins
 *     - name: day
 *       agents: ["10*", "2001"]
 *       shifts: [{start: 0, end: 4h}, {start: 270min, end: 8h}]
 *       answer_delay: 2s    # a duration is a fixed value
 *       no_answer: 0.02
 *       ring_for: 20s
 *       wrapup: {dist: exponential, mean: 20s}
 *
 * The scenario starts from sim_scenario_default() and the file changes
 * what it names. Unknown keys are errors (a typo must not silently leave
 * a default in place); every error names file, line, column and key.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acdsim.h"
#include "yamlcfg.h"

/* ---------------------------------------------------- scalar parsers */

int sim_parse_dur(const char *s, uint64_t *ms)
{
	/* room for sums of times */
	return yamlcfg_parse_ms(s, UINT64_MAX / 4, ms);
}

int sim_parse_rate(const char *s, double *per_h)
{
	static const struct { const char *unit; double per_h; } units[] = {
		{ "/h", 1 }, { "", 1 }, { "/min", 60 }, { "/s", 3600 },
	};
	unsigned int i;
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || !isfinite(v) || v < 0 || s[0] == ' ')
		return -EINVAL;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (!strcmp(end, units[i].unit)) {
			*per_h = v * units[i].per_h;
			return 0;
		}
	return -EINVAL;
}

/* ------------------------------------------------------------ default */

static void group_default(struct sim_group *g, const char *name)
{
	memset(g, 0, sizeof(*g));
	snprintf(g->name, sizeof(g->name), "%s", name);
	g->answer_delay.kind = SIM_DIST_FIXED;
	g->ring_for_ms = 20000;
	g->wrapup.kind = SIM_DIST_OFF;
}

int sim_scenario_default(const struct acd_config *c, struct sim_scenario *s)
{
	unsigned int i;

	memset(s, 0, sizeof(*s));
	s->seed = 1;
	s->duration_ms = 8 * 3600000ull;
	s->warmup_ms = 1800000;
	s->drain_ms = 4 * 3600000ull;
	s->nloads = c->nqueues;
	s->load = calloc(c->nqueues ? c->nqueues : 1, sizeof(*s->load));
	s->ngroups = 1;
	s->group = calloc(1, sizeof(*s->group));
	if (!s->load || !s->group) {
		sim_scenario_free(s);
		return -ENOMEM;
	}
	for (i = 0; i < c->nqueues; i++) {
		s->load[i].queue = i;
		s->load[i].handle = (struct sim_dist){ SIM_DIST_EXP, 180000, 0 };
		s->load[i].patience.kind = SIM_DIST_OFF;
	}
	group_default(&s->group[0], "all");
	return 0;
}

void sim_scenario_free(struct sim_scenario *s)
{
	free(s->load);
	free(s->group);
	s->load = NULL;
	s->group = NULL;
	s->nloads = s->ngroups = 0;
}

struct sim_load *sim_scenario_load_of(struct sim_scenario *s, uint32_t queue)
{
	return queue < s->nloads ? &s->load[queue] : NULL;
}

/* --------------------------------------------------------- YAML walk */

struct ctx {
	struct yamlcfg y;
	const struct acd_config *c;
	struct sim_scenario *s;
};

/* the document of @x: its messages, nodes and scalars */
#define errf(x, n, ...)	yamlcfg_errf(&(x)->y, n, __VA_ARGS__)
#define node(x, id)	yamlcfg_node(&(x)->y, id)
#define str(n)		yamlcfg_str(n)
#define FOR_PAIRS	YAMLCFG_PAIRS
#define FOR_ITEMS	YAMLCFG_ITEMS

static int need(struct ctx *x, yaml_node_t *n, yaml_node_type_t t, const char *key)
{
	return yamlcfg_need(&x->y, n, t, key);
}

static int get_dur(struct ctx *x, yaml_node_t *n, const char *key, uint64_t *ms)
{
	int ret = need(x, n, YAML_SCALAR_NODE, key);

	if (!ret && sim_parse_dur(str(n), ms))
		ret = errf(x, n, "%s: expected a duration such as 500ms, 20s, 5min, 8h, found '%s'",
			   key, str(n));
	return ret;
}

static int get_num(struct ctx *x, yaml_node_t *n, const char *key, double min, double max,
		   double *v)
{
	char *end;
	int ret = need(x, n, YAML_SCALAR_NODE, key);

	if (ret)
		return ret;
	errno = 0;
	*v = strtod(str(n), &end);
	if (errno || end == str(n) || *end || !isfinite(*v) || *v < min || *v > max)
		return errf(x, n, "%s: expected a number from %g to %g, found '%s'", key, min, max,
			    str(n));
	return 0;
}

static int get_u8(struct ctx *x, yaml_node_t *n, const char *key, uint8_t *v)
{
	double d;
	int ret = get_num(x, n, key, 0, ACD_MAX_PRIORITY, &d);

	if (!ret && d != floor(d))
		ret = errf(x, n, "%s: expected a whole number, found '%s'", key, str(n));
	if (!ret)
		*v = (uint8_t)d;
	return ret;
}

/* a duration (fixed) or {dist: exponential|lognormal|fixed|off, mean, sd, value} */
static int get_dist(struct ctx *x, yaml_node_t *n, const char *key, struct sim_dist *d)
{
	static const char *const names[] = { "fixed", "exponential", "lognormal", "off" };
	bool have_mean = false, have_sd = false;
	yaml_node_pair_t *p;
	unsigned int i;
	uint64_t ms;
	int ret;

	if (n->type == YAML_SCALAR_NODE) {
		if (!strcmp(str(n), "off")) {
			*d = (struct sim_dist){ SIM_DIST_OFF, 0, 0 };
			return 0;
		}
		ret = get_dur(x, n, key, &ms);
		if (!ret)
			*d = (struct sim_dist){ SIM_DIST_FIXED, (double)ms, 0 };
		return ret;
	}
	ret = need(x, n, YAML_MAPPING_NODE, key);
	if (ret)
		return ret;
	*d = (struct sim_dist){ SIM_DIST__N, 0, 0 };
	FOR_PAIRS(p, n) {
		const char *k = str(node(x, p->key));
		yaml_node_t *v = node(x, p->value);

		if (!strcmp(k, "dist")) {
			for (i = 0; i < SIM_DIST__N; i++)
				if (!strcmp(str(v), names[i]))
					d->kind = i;
			if (d->kind == SIM_DIST__N)
				return errf(x, v, "%s: dist: expected fixed, exponential, lognormal or off, found '%s'",
					    key, str(v));
		} else if (!strcmp(k, "mean") || !strcmp(k, "value")) {
			ret = get_dur(x, v, k, &ms);
			d->mean_ms = (double)ms;
			have_mean = true;
		} else if (!strcmp(k, "sd")) {
			ret = get_dur(x, v, k, &ms);
			d->sd_ms = (double)ms;
			have_sd = true;
		} else {
			ret = errf(x, node(x, p->key), "%s: unknown key '%s' (dist, mean, sd, value)",
				   key, k);
		}
		if (ret)
			return ret;
	}
	if (d->kind == SIM_DIST__N)
		return errf(x, n, "%s: dist: missing", key);
	if (d->kind != SIM_DIST_OFF && !have_mean)
		return errf(x, n, "%s: mean: missing", key);
	if (d->kind == SIM_DIST_LOGNORMAL && !have_sd)
		return errf(x, n, "%s: sd: missing (log-normal needs mean and sd)", key);
	if (d->kind != SIM_DIST_LOGNORMAL && have_sd)
		return errf(x, n, "%s: sd: only for lognormal", key);
	return 0;
}

static int get_vip(struct ctx *x, yaml_node_t *n, struct sim_load *l)
{
	yaml_node_pair_t *p;
	int ret = need(x, n, YAML_MAPPING_NODE, "vip");

	FOR_PAIRS(p, n) {
		const char *k = str(node(x, p->key));

		if (ret)
			break;
		if (!strcmp(k, "share"))
			ret = get_num(x, node(x, p->value), "vip: share", 0, 1, &l->vip_share);
		else if (!strcmp(k, "priority"))
			ret = get_u8(x, node(x, p->value), "vip: priority", &l->vip_priority);
		else
			ret = errf(x, node(x, p->key), "vip: unknown key '%s' (share, priority)", k);
	}
	return ret;
}

static int load_key(struct ctx *x, const char *k, yaml_node_t *v, struct sim_load *l)
{
	if (!strcmp(k, "queue"))
		return 0;	/* read first, by get_load */
	if (!strcmp(k, "rate")) {
		int ret = need(x, v, YAML_SCALAR_NODE, k);

		if (!ret && sim_parse_rate(str(v), &l->rate_per_h))
			ret = errf(x, v, "rate: expected calls per hour such as 120/h, 2/min, 0.5/s, found '%s'",
				   str(v));
		return ret;
	}
	if (!strcmp(k, "handle"))
		return get_dist(x, v, k, &l->handle);
	if (!strcmp(k, "patience"))
		return get_dist(x, v, k, &l->patience);
	if (!strcmp(k, "priority"))
		return get_u8(x, v, k, &l->priority);
	if (!strcmp(k, "vip"))
		return get_vip(x, v, l);
	return -ENOENT;
}

static int get_load(struct ctx *x, yaml_node_t *n)
{
	struct sim_load *l = NULL;
	yaml_node_pair_t *p;
	int ret = need(x, n, YAML_MAPPING_NODE, "queues");

	if (ret)
		return ret;
	FOR_PAIRS(p, n) {
		unsigned int i;

		if (strcmp(str(node(x, p->key)), "queue"))
			continue;
		for (i = 0; i < x->c->nqueues; i++)
			if (!strcmp(x->c->queue[i].name, str(node(x, p->value))))
				l = &x->s->load[i];
		if (!l)
			return errf(x, node(x, p->value),
				    "queues: queue: '%s' is not a queue of the ACD configuration",
				    str(node(x, p->value)));
	}
	if (!l)
		return errf(x, n, "queues: queue: missing");
	FOR_PAIRS(p, n) {
		ret = load_key(x, str(node(x, p->key)), node(x, p->value), l);
		if (ret == -ENOENT)
			ret = errf(x, node(x, p->key),
				   "queues: unknown key '%s' (queue, rate, handle, patience, priority, vip)",
				   str(node(x, p->key)));
		if (ret)
			return ret;
	}
	return 0;
}

static int get_shifts(struct ctx *x, yaml_node_t *n, struct sim_group *g)
{
	yaml_node_item_t *it;
	yaml_node_pair_t *p;
	int ret = need(x, n, YAML_SEQUENCE_NODE, "shifts");

	if (ret)
		return ret;
	FOR_ITEMS(it, n) {
		yaml_node_t *sn = node(x, *it);
		struct sim_shift *sh = &g->shift[g->nshifts];
		bool have_end = false;

		if (g->nshifts == SIM_MAX_SHIFTS)
			return errf(x, sn, "shifts: at most %d", SIM_MAX_SHIFTS);
		ret = need(x, sn, YAML_MAPPING_NODE, "shifts");
		if (ret)
			return ret;
		sh->start_ms = 0;
		FOR_PAIRS(p, sn) {
			const char *k = str(node(x, p->key));

			if (!strcmp(k, "start")) {
				ret = get_dur(x, node(x, p->value), "shifts: start", &sh->start_ms);
			} else if (!strcmp(k, "end")) {
				ret = get_dur(x, node(x, p->value), "shifts: end", &sh->end_ms);
				have_end = true;
			} else {
				ret = errf(x, node(x, p->key), "shifts: unknown key '%s' (start, end)", k);
			}
			if (ret)
				return ret;
		}
		if (!have_end || sh->end_ms <= sh->start_ms)
			return errf(x, sn, "shifts: end: missing or not after start");
		/* in order and apart, so a login never meets the previous shift's logout */
		if (g->nshifts && sh->start_ms <= g->shift[g->nshifts - 1].end_ms)
			return errf(x, sn, "shifts: must be in order, each starting after the last ends");
		g->nshifts++;
	}
	return 0;
}

static int get_match(struct ctx *x, yaml_node_t *n, struct sim_group *g)
{
	yaml_node_item_t *it;
	int ret = need(x, n, YAML_SEQUENCE_NODE, "agents");

	if (ret)
		return ret;
	FOR_ITEMS(it, n) {
		yaml_node_t *v = node(x, *it);

		ret = need(x, v, YAML_SCALAR_NODE, "agents");
		if (ret)
			return ret;
		if (g->nmatch == SIM_MAX_MATCH)
			return errf(x, v, "agents: at most %d patterns", SIM_MAX_MATCH);
		if (!str(v)[0] || v->data.scalar.length >= ACD_NAME_MAX)
			return errf(x, v, "agents: expected a pattern of 1 to %d characters",
				    ACD_NAME_MAX - 1);
		memcpy(g->match[g->nmatch++], str(v), v->data.scalar.length + 1);
	}
	if (!g->nmatch)
		return errf(x, n, "agents: empty list (leave the key out for every agent)");
	return 0;
}

static int group_key(struct ctx *x, const char *k, yaml_node_t *v, struct sim_group *g)
{
	if (!strcmp(k, "name")) {
		int ret = need(x, v, YAML_SCALAR_NODE, k);

		if (!ret && (!str(v)[0] || v->data.scalar.length >= ACD_NAME_MAX))
			ret = errf(x, v, "name: expected 1 to %d characters", ACD_NAME_MAX - 1);
		if (!ret)
			memcpy(g->name, str(v), v->data.scalar.length + 1);
		return ret;
	}
	if (!strcmp(k, "agents"))
		return get_match(x, v, g);
	if (!strcmp(k, "shifts"))
		return get_shifts(x, v, g);
	if (!strcmp(k, "answer_delay"))
		return get_dist(x, v, k, &g->answer_delay);
	if (!strcmp(k, "no_answer"))
		return get_num(x, v, k, 0, 1, &g->no_answer);
	if (!strcmp(k, "ring_for"))
		return get_dur(x, v, k, &g->ring_for_ms);
	if (!strcmp(k, "wrapup"))
		return get_dist(x, v, k, &g->wrapup);
	return -ENOENT;
}

/* the file's groups go before the catch-all, which becomes "other" */
static int get_groups(struct ctx *x, yaml_node_t *n)
{
	struct sim_scenario *s = x->s;
	struct sim_group *ng, *g;
	yaml_node_item_t *it;
	yaml_node_pair_t *p;
	size_t count;
	int ret = need(x, n, YAML_SEQUENCE_NODE, "groups");

	if (ret)
		return ret;
	count = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	ng = realloc(s->group, (count + 1) * sizeof(*ng));
	if (!ng)
		return -ENOMEM;
	s->group = ng;
	s->ngroups = 0;
	FOR_ITEMS(it, n) {
		yaml_node_t *gn = node(x, *it);

		g = &s->group[s->ngroups];
		group_default(g, "");
		ret = need(x, gn, YAML_MAPPING_NODE, "groups");
		FOR_PAIRS(p, gn) {
			if (ret)
				break;
			ret = group_key(x, str(node(x, p->key)), node(x, p->value), g);
			if (ret == -ENOENT)
				ret = errf(x, node(x, p->key),
					   "groups: unknown key '%s' (name, agents, shifts, answer_delay, no_answer, ring_for, wrapup)",
					   str(node(x, p->key)));
		}
		if (!ret && !g->name[0])
			ret = errf(x, gn, "groups: name: missing");
		if (ret)
			return ret;
		s->ngroups++;
	}
	group_default(&s->group[s->ngroups++], "other");
	return 0;
}

static int top_key(struct ctx *x, const char *k, yaml_node_t *v)
{
	yaml_node_item_t *it;
	double seed;
	int ret;

	if (!strcmp(k, "seed")) {
		ret = get_num(x, v, k, 0, 9007199254740992.0, &seed);
		if (!ret && seed != floor(seed))
			ret = errf(x, v, "seed: expected a whole number, found '%s'", str(v));
		if (!ret)
			x->s->seed = (uint64_t)seed;
		return ret;
	}
	if (!strcmp(k, "duration"))
		return get_dur(x, v, k, &x->s->duration_ms);
	if (!strcmp(k, "warmup"))
		return get_dur(x, v, k, &x->s->warmup_ms);
	if (!strcmp(k, "drain"))
		return get_dur(x, v, k, &x->s->drain_ms);
	if (!strcmp(k, "groups"))
		return get_groups(x, v);
	if (!strcmp(k, "queues")) {
		ret = need(x, v, YAML_SEQUENCE_NODE, k);
		FOR_ITEMS(it, v) {
			if (ret)
				break;
			ret = get_load(x, node(x, *it));
		}
		return ret;
	}
	return -ENOENT;
}

static int walk(struct ctx *x, yaml_node_t *root)
{
	yaml_node_pair_t *p;
	int ret;

	if (!root)
		return 0;	/* an empty file: the defaults */
	ret = need(x, root, YAML_MAPPING_NODE, "scenario");
	FOR_PAIRS(p, root) {
		if (ret)
			break;
		ret = top_key(x, str(node(x, p->key)), node(x, p->value));
		if (ret == -ENOENT)
			ret = errf(x, node(x, p->key),
				   "unknown key '%s' (seed, duration, warmup, drain, queues, groups)",
				   str(node(x, p->key)));
	}
	if (!ret && x->s->warmup_ms >= x->s->duration_ms)
		ret = errf(x, root, "warmup: must be shorter than duration");
	return ret;
}

int sim_scenario_parse(const char *name, const char *text, size_t len,
		       const struct acd_config *c, struct sim_scenario *s, char *err, size_t errlen)
{
	struct ctx x = { .c = c, .s = s };
	int ret;

	ret = yamlcfg_open(&x.y, name, text, len, err, errlen);
	if (ret)
		return ret;
	ret = walk(&x, yamlcfg_root(&x.y));
	yamlcfg_close(&x.y);
	return ret;
}

int sim_scenario_load(const char *path, const struct acd_config *c, struct sim_scenario *s,
		      char *err, size_t errlen)
{
	char *text;
	size_t len;
	int ret = yamlcfg_read(path, &text, &len, err, errlen);

	if (ret)
		return ret;
	ret = sim_scenario_parse(path, text, len, c, s, err, errlen);
	free(text);
	return ret;
}
