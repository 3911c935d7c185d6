// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tdmxd tones: the country tone plans and a player over spandsp's tone_gen.
 */
#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <strings.h>

#define DSP_SPANDSP
#include "dsp.h"
#include "tone.h"

#define ON(f, l, ...)	{ .f1 = (f), .level1 = (l), .cadence_ms = { __VA_ARGS__ } }
#define ON2(f, g, l, m, ...)						\
	{ .f1 = (f), .f2 = (g), .level1 = (l), .level2 = (m),		\
	  .cadence_ms = { __VA_ARGS__ } }

static struct tone_plan plans[] = {
	{
		.name = "cn",
		.alias = "china",
		.description = "China: 450 Hz, the values of the national standard "
			       "(as in Asterisk's indications.conf [cn])",
		.tones = {
			[TONE_DIAL] = ON(450, -10, 1000),
			[TONE_BUSY] = ON(450, -10, 350, 350),
			[TONE_RINGBACK] = ON(450, -10, 1000, 4000),
			[TONE_CONGESTION] = ON(450, -10, 700, 700),
			[TONE_CALL_WAITING] = ON(450, -10, 400, 4000),
		},
	},
	{
		.name = "itu",
		.alias = "eu",
		.description = "ITU-T E.180 / CEPT: 425 Hz, the common European values",
		.tones = {
			[TONE_DIAL] = ON(425, -10, 1000),
			[TONE_BUSY] = ON(425, -10, 500, 500),
			[TONE_RINGBACK] = ON(425, -10, 1000, 4000),
			[TONE_CONGESTION] = ON(425, -10, 250, 250),
			[TONE_CALL_WAITING] = ON(425, -10, 200, 200, 200, 5000),
		},
	},
	{
		.name = "us",
		.alias = "na",
		.description = "North America: the Precise Tone Plan (Telcordia "
			       "GR-506), per-frequency levels",
		.tones = {
			[TONE_DIAL] = ON2(350, 440, -13, -13, 1000),
			[TONE_BUSY] = ON2(480, 620, -24, -24, 500, 500),
			[TONE_RINGBACK] = ON2(440, 480, -19, -19, 2000, 4000),
			[TONE_CONGESTION] = ON2(480, 620, -24, -24, 250, 250),
			[TONE_CALL_WAITING] = ON(440, -13, 300, 9700),
		},
	},
};

#define NPLANS (sizeof(plans) / sizeof(plans[0]))

static const char *const tone_names[TONE_COUNT] = {
	[TONE_DIAL] = "dial",
	[TONE_BUSY] = "busy",
	[TONE_RINGBACK] = "ringback",
	[TONE_CONGESTION] = "congestion",
	[TONE_CALL_WAITING] = "call-waiting",
};

const struct tone_plan *tone_plan_find(const char *name)
{
	unsigned int i;

	if (!name)
		return NULL;
	for (i = 0; i < NPLANS; i++)
		if (!strcasecmp(plans[i].name, name) ||
		    (plans[i].alias && !strcasecmp(plans[i].alias, name)))
			return &plans[i];
	return NULL;
}

unsigned int tone_plan_count(void)
{
	return NPLANS;
}

const struct tone_plan *tone_plan_at(unsigned int i)
{
	return i < NPLANS ? &plans[i] : NULL;
}

int tone_plan_index(const struct tone_plan *plan)
{
	if (plan < plans || plan >= plans + NPLANS)
		return -1;
	return (int)(plan - plans);
}

const char *tone_name(enum tone_id id)
{
	if (id < 0 || id >= TONE_COUNT)
		return NULL;
	return tone_names[id];
}

/* equal ignoring case, '-' and '_': "call-waiting", "callwaiting", "CALL_WAITING" */
static bool same_name(const char *a, const char *b)
{
	for (;;) {
		while (*a == '-' || *a == '_')
			a++;
		while (*b == '-' || *b == '_')
			b++;
		if (!*a || !*b)
			return !*a && !*b;
		if (tolower((unsigned char)*a++) != tolower((unsigned char)*b++))
			return false;
	}
}

enum tone_id tone_parse(const char *name)
{
	int i;

	if (!name)
		return TONE_NONE;
	if (same_name(name, "reorder"))
		return TONE_CONGESTION;
	for (i = 0; i < TONE_COUNT; i++)
		if (same_name(name, tone_names[i]))
			return (enum tone_id)i;
	return TONE_NONE;
}

const struct tone_def *tone_plan_def(const struct tone_plan *plan, enum tone_id id)
{
	if (!plan || id < 0 || id >= TONE_COUNT || !plan->tones[id].f1)
		return NULL;
	return &plan->tones[id];
}

unsigned int tone_period_ms(const struct tone_def *def)
{
	unsigned int i, ms = 0;

	for (i = 0; i < TONE_SEGMENTS && def->cadence_ms[i]; i++)
		ms += def->cadence_ms[i];
	return ms;
}

/* spandsp wants all four durations: a continuous tone is one long "on". */
static tone_gen_descriptor_t *make_gen(const struct tone_def *d)
{
	int dur[TONE_SEGMENTS] = { 0 };
	int i;

	for (i = 0; i < TONE_SEGMENTS && d->cadence_ms[i]; i++)
		dur[i] = d->cadence_ms[i];
	return tone_gen_descriptor_init(NULL, d->f1, d->level1, d->f2,
					d->f2 ? d->level2 : 0,
					dur[0], dur[1], dur[2], dur[3], 1);
}

void tone_exit(void)
{
	unsigned int p;
	int t;

	for (p = 0; p < NPLANS; p++)
		for (t = 0; t < TONE_COUNT; t++) {
			if (plans[p].gen[t])
				tone_gen_descriptor_free(plans[p].gen[t]);
			plans[p].gen[t] = NULL;
		}
}

int tone_init(void)
{
	unsigned int p;
	int t;

	for (p = 0; p < NPLANS; p++)
		for (t = 0; t < TONE_COUNT; t++) {
			if (!plans[p].tones[t].f1 || plans[p].gen[t])
				continue;
			plans[p].gen[t] = make_gen(&plans[p].tones[t]);
			if (!plans[p].gen[t]) {
				tone_exit();
				return -ENOMEM;
			}
		}
	return 0;
}

int tone_player_init(struct tone_player *tp)
{
	memset(tp, 0, sizeof(*tp));
	tp->id = TONE_NONE;
	if (!dsp_ready())
		return -EPERM;
	/* any descriptor will do: tone_start() re-initialises in place */
	tp->gen = tone_gen_init(NULL, plans[0].gen[TONE_DIAL]);
	return tp->gen ? 0 : -ENOMEM;
}

void tone_player_release(struct tone_player *tp)
{
	if (tp->gen)
		tone_gen_free(tp->gen);
	tp->gen = NULL;
	tp->plan = NULL;
	tp->id = TONE_NONE;
}

int tone_start(struct tone_player *tp, const struct tone_plan *plan, enum tone_id id)
{
	if (!tp->gen || !tone_plan_def(plan, id) || !plan->gen[id])
		return -EINVAL;
	tone_gen_init(tp->gen, plan->gen[id]);
	tp->plan = plan;
	tp->id = id;
	return 0;
}

void tone_stop(struct tone_player *tp)
{
	tp->plan = NULL;
	tp->id = TONE_NONE;
}

int tone_generate(struct tone_player *tp, int16_t *out, int n)
{
	int done = 0;

	if (tp->plan)
		done = tone_gen(tp->gen, out, n);
	if (done < n)
		memset(out + done, 0, (size_t)(n - done) * sizeof(*out));
	if (tp->plan && done < n)
		tone_stop(tp);	/* a cadence that does not repeat ended */
	return done;
}
