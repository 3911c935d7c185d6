/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tdmxd tones: country tone plans as data, played through spandsp's
 * cadenced tone generator.
 *
 * A plan names one signal for each enum tone_id: one or two frequencies,
 * a level per frequency and a cadence of up to four on/off durations that
 * repeats. The plans are tables in tone.c (see Documentation/media.md,
 * "Tones"); tone_plan_find() looks one up by the name used in the
 * configuration ("cn", "itu", "eu", "us", ...).
 *
 * A struct tone_player is one generator, normally one per port (the
 * player in play.c embeds one). tone_player_init() allocates the spandsp
 * state; tone_start() and tone_generate() never allocate and cost ~3 ns a
 * sample. dsp_init() must have run.
 */
#ifndef TDMXD_TONE_H
#define TDMXD_TONE_H

#include <stdbool.h>
#include <stdint.h>

enum tone_id {
	TONE_NONE = -1,
	TONE_DIAL = 0,
	TONE_BUSY,
	TONE_RINGBACK,
	TONE_CONGESTION,	/* also "reorder" */
	TONE_CALL_WAITING,
	TONE_COUNT
};

#define TONE_SEGMENTS	4	/* spandsp's tone_gen: on, off, on, off */

/**
 * struct tone_def - one signal of a plan
 * @f1: frequency in Hz (0: the plan has no such tone)
 * @f2: second frequency in Hz, 0 for a single tone
 * @level1: level of @f1 in dBm0
 * @level2: level of @f2 in dBm0
 * @cadence_ms: on, off, on, off; the list ends at the first 0. A single
 *	entry is a continuous tone. The cadence repeats.
 */
struct tone_def {
	uint16_t f1;
	uint16_t f2;
	int8_t level1;
	int8_t level2;
	uint16_t cadence_ms[TONE_SEGMENTS];
};

/**
 * struct tone_plan - a country's supervisory tones
 * @name: lower case key ("cn")
 * @alias: another key for the same plan, or NULL
 * @description: where the values come from
 * @tones: indexed by enum tone_id
 * @gen: private: spandsp generator descriptors, built by dsp_init()
 */
struct tone_plan {
	const char *name;
	const char *alias;
	const char *description;
	struct tone_def tones[TONE_COUNT];
	void *gen[TONE_COUNT];
};

/* Plan by name or alias, case-insensitive; NULL if unknown. */
const struct tone_plan *tone_plan_find(const char *name);

/* All plans: index 0 .. tone_plan_count() - 1 */
unsigned int tone_plan_count(void);
const struct tone_plan *tone_plan_at(unsigned int i);
int tone_plan_index(const struct tone_plan *plan);

/* "dial", "busy", "ringback", "congestion", "call-waiting"; NULL if bad */
const char *tone_name(enum tone_id id);
/* The reverse, ignoring case, '-' and '_' ("callwaiting"), and "reorder";
 * TONE_NONE if unknown */
enum tone_id tone_parse(const char *name);

/* The definition of @id in @plan, or NULL if the plan lacks it */
const struct tone_def *tone_plan_def(const struct tone_plan *plan, enum tone_id id);

/* One cadence cycle in ms (the sum of the cadence) */
unsigned int tone_period_ms(const struct tone_def *def);

/**
 * struct tone_player - one tone generator
 * @gen: private spandsp state
 * @plan: the plan of the tone playing, NULL when idle
 * @id: the tone playing
 */
struct tone_player {
	void *gen;
	const struct tone_plan *plan;
	enum tone_id id;
};

/* Returns 0, -ENOMEM, or -EPERM before dsp_init(). */
int tone_player_init(struct tone_player *tp);
void tone_player_release(struct tone_player *tp);

/*
 * Start @id of @plan from the beginning of its cadence, replacing whatever
 * was playing. Returns 0, or -EINVAL if the plan has no such tone.
 */
int tone_start(struct tone_player *tp, const struct tone_plan *plan, enum tone_id id);

/* Silence from the next sample */
void tone_stop(struct tone_player *tp);

static inline bool tone_active(const struct tone_player *tp)
{
	return tp->plan != NULL;
}

/*
 * Write @n samples of the tone to @out: the cadence's off times are zeros.
 * An idle player writes zeros. Returns the samples that belong to the tone,
 * @n while one is playing (plan cadences repeat), 0 when idle.
 */
int tone_generate(struct tone_player *tp, int16_t *out, int n);

/* Called by dsp_init() / dsp_exit(): build and free the descriptors. */
int tone_init(void);
void tone_exit(void);

#endif /* TDMXD_TONE_H */
