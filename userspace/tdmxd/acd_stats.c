// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ACD statistics on rolling windows (acd_stats.h).
 *
 * Two rings of buckets: 60 one-minute buckets (the 15 min and 1 h windows)
 * and 96 fifteen-minute buckets (the day). Bucket k of a ring covers
 * [k * len, (k + 1) * len) and lives in slot k % n; the slot keeps k + 1
 * (0: never used), so a slot whose number is older than the bucket being
 * written is stale and is cleared first. Nothing is ever swept: a window is
 * summed over the slots whose bucket number is in range, so a queue that
 * was quiet for a week costs nothing and reads zero.
 *
 * Every event updates one bucket in each ring (agent time: the few buckets
 * its duration covers), so an update is O(1) and a read is O(buckets).
 */
#include <stdlib.h>
#include <string.h>

#include "acd_stats.h"

#define MINUTE_MS	60000ULL
#define QUARTER_MS	(15 * MINUTE_MS)
#define MINUTE_N	60
#define QUARTER_N	96

struct acd_bucket {
	uint64_t number;	/* bucket number + 1, 0 when never used */
	uint64_t wait_sum;	/* waits of answered calls */
	uint64_t handle_sum;	/* talk + wrap of handled calls */
	uint64_t busy_ms, avail_ms;
	uint32_t offered, answered, abandoned, short_abandoned, overflowed;
	uint32_t answered_in_sl, handled;
	uint32_t longest_wait;
};

struct acd_ring {
	uint64_t len_ms;
	unsigned int n;
	struct acd_bucket *slot;
};

enum { RING_MINUTE, RING_QUARTER, RING__N };

struct acd_stats {
	uint32_t sl_threshold_ms, short_abandon_ms;
	struct acd_ring ring[RING__N];
	struct acd_bucket minute[MINUTE_N];
	struct acd_bucket quarter[QUARTER_N];
};

/* which ring a window reads and how many buckets of it */
static const struct {
	unsigned int ring, buckets;
} win_def[ACD_WIN__N] = {
	[ACD_WIN_15MIN] = { RING_MINUTE, 15 },
	[ACD_WIN_1H] = { RING_MINUTE, 60 },
	[ACD_WIN_DAY] = { RING_QUARTER, 96 },
};

struct acd_stats *acd_stats_new(uint32_t sl_threshold_ms, uint32_t short_abandon_ms)
{
	struct acd_stats *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->sl_threshold_ms = sl_threshold_ms;
	s->short_abandon_ms = short_abandon_ms;
	s->ring[RING_MINUTE] = (struct acd_ring){ MINUTE_MS, MINUTE_N, s->minute };
	s->ring[RING_QUARTER] = (struct acd_ring){ QUARTER_MS, QUARTER_N, s->quarter };
	return s;
}

void acd_stats_free(struct acd_stats *s)
{
	free(s);
}

size_t acd_stats_size(void)
{
	return sizeof(struct acd_stats);
}

uint64_t acd_stats_window_ms(enum acd_win w)
{
	if ((unsigned int)w >= ACD_WIN__N)
		return 0;
	return win_def[w].buckets * (win_def[w].ring == RING_MINUTE ? MINUTE_MS : QUARTER_MS);
}

static void inc32(uint32_t *c)
{
	if (*c != UINT32_MAX)
		(*c)++;
}

static void add64(uint64_t *sum, uint64_t v)
{
	*sum = *sum > UINT64_MAX - v ? UINT64_MAX : *sum + v;
}

static uint32_t sat32(uint64_t v)
{
	return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

/*
 * The bucket holding time t, cleared if its slot held an older bucket;
 * NULL when the slot already holds a newer one (t is older than the whole
 * ring: the event is outside every window this ring serves).
 */
static struct acd_bucket *bucket_at(struct acd_ring *r, uint64_t t)
{
	uint64_t number = t / r->len_ms + 1;
	struct acd_bucket *b = &r->slot[(number - 1) % r->n];

	if (b->number == number)
		return b;
	if (b->number > number)
		return NULL;
	memset(b, 0, sizeof(*b));
	b->number = number;
	return b;
}

/* the event's bucket in each ring, NULL where it is too old */
static void buckets_at(struct acd_stats *s, uint64_t t, struct acd_bucket *b[RING__N])
{
	for (unsigned int r = 0; r < RING__N; r++)
		b[r] = bucket_at(&s->ring[r], t);
}

static void note_wait(struct acd_bucket *b, uint32_t wait_ms)
{
	if (wait_ms > b->longest_wait)
		b->longest_wait = wait_ms;
}

void acd_stats_offered(struct acd_stats *s, uint64_t now_ms)
{
	struct acd_bucket *b[RING__N];

	buckets_at(s, now_ms, b);
	for (unsigned int r = 0; r < RING__N; r++)
		if (b[r])
			inc32(&b[r]->offered);
}

void acd_stats_answered(struct acd_stats *s, uint64_t now_ms, uint32_t wait_ms)
{
	struct acd_bucket *b[RING__N];

	buckets_at(s, now_ms, b);
	for (unsigned int r = 0; r < RING__N; r++) {
		if (!b[r])
			continue;
		inc32(&b[r]->answered);
		/* service level: answered within the threshold, inclusive */
		if (wait_ms <= s->sl_threshold_ms)
			inc32(&b[r]->answered_in_sl);
		add64(&b[r]->wait_sum, wait_ms);
		note_wait(b[r], wait_ms);
	}
}

void acd_stats_abandoned(struct acd_stats *s, uint64_t now_ms, uint32_t wait_ms)
{
	struct acd_bucket *b[RING__N];

	buckets_at(s, now_ms, b);
	for (unsigned int r = 0; r < RING__N; r++) {
		if (!b[r])
			continue;
		/* a short abandon is also an abandon: it is a subset */
		inc32(&b[r]->abandoned);
		if (wait_ms < s->short_abandon_ms)
			inc32(&b[r]->short_abandoned);
		note_wait(b[r], wait_ms);
	}
}

void acd_stats_overflowed(struct acd_stats *s, uint64_t now_ms, uint32_t wait_ms)
{
	struct acd_bucket *b[RING__N];

	buckets_at(s, now_ms, b);
	for (unsigned int r = 0; r < RING__N; r++) {
		if (!b[r])
			continue;
		inc32(&b[r]->overflowed);
		note_wait(b[r], wait_ms);
	}
}

void acd_stats_handled(struct acd_stats *s, uint64_t now_ms, uint32_t talk_ms, uint32_t wrap_ms)
{
	struct acd_bucket *b[RING__N];

	buckets_at(s, now_ms, b);
	for (unsigned int r = 0; r < RING__N; r++) {
		if (!b[r])
			continue;
		inc32(&b[r]->handled);
		add64(&b[r]->handle_sum, (uint64_t)talk_ms + wrap_ms);
	}
}

/*
 * Spread busy and avail over the total ms that end at now, bucket by
 * bucket backwards: the part of the duration within d ms of now gets
 * busy * d / total of the busy time, so the shares add up exactly. Stops
 * at time 0 and at the oldest bucket the ring holds.
 */
static void spread_time(struct acd_ring *r, uint64_t now, uint32_t busy, uint32_t avail)
{
	uint64_t total = (uint64_t)busy + avail;
	uint64_t d0 = 0;

	for (unsigned int i = 0; i < r->n && d0 < total && now > d0; i++) {
		uint64_t last = now - d0 - 1;		/* the latest ms not yet spread */
		uint64_t begin = last - last % r->len_ms;
		uint64_t d1 = now - begin < total ? now - begin : total;
		struct acd_bucket *b = bucket_at(r, last);

		if (!b)
			return;
		add64(&b->busy_ms, busy * d1 / total - busy * d0 / total);
		add64(&b->avail_ms, avail * d1 / total - avail * d0 / total);
		d0 = d1;
	}
}

void acd_stats_agent_time(struct acd_stats *s, uint64_t now_ms, uint32_t busy_ms, uint32_t avail_ms)
{
	for (unsigned int r = 0; r < RING__N; r++)
		spread_time(&s->ring[r], now_ms, busy_ms, avail_ms);
}

/* window sums, wider than the figures so that nothing wraps */
struct sums {
	uint64_t offered, answered, abandoned, short_abandoned, overflowed;
	uint64_t answered_in_sl, handled, wait, handle, busy, avail;
	uint32_t longest;
};

static void add_bucket(struct sums *t, const struct acd_bucket *b)
{
	t->offered += b->offered;
	t->answered += b->answered;
	t->abandoned += b->abandoned;
	t->short_abandoned += b->short_abandoned;
	t->overflowed += b->overflowed;
	t->answered_in_sl += b->answered_in_sl;
	t->handled += b->handled;
	add64(&t->wait, b->wait_sum);
	add64(&t->handle, b->handle_sum);
	add64(&t->busy, b->busy_ms);
	add64(&t->avail, b->avail_ms);
	if (b->longest_wait > t->longest)
		t->longest = b->longest_wait;
}

/* sum / n rounded to the nearest ms (halves up), 0 when n is 0 */
static uint32_t mean(uint64_t sum, uint64_t n)
{
	if (!n)
		return 0;
	return sat32(sum / n + (sum % n >= n - sum % n));
}

/* num * 1000 / den rounded down, num <= den; scaled down first if needed */
static uint32_t permille(uint64_t num, uint64_t den)
{
	while (num > UINT64_MAX / 1000) {
		num >>= 1;
		den >>= 1;
	}
	return (uint32_t)(num * 1000 / den);
}

void acd_stats_get(const struct acd_stats *s, uint64_t now_ms, enum acd_win w, struct acd_figures *f)
{
	struct sums t = { 0 };
	const struct acd_ring *r;
	uint64_t newest;

	memset(f, 0, sizeof(*f));
	if ((unsigned int)w >= ACD_WIN__N)
		return;
	r = &s->ring[win_def[w].ring];
	newest = now_ms / r->len_ms + 1;
	for (unsigned int i = 0; i < r->n; i++) {
		const struct acd_bucket *b = &r->slot[i];

		/* buckets newest - buckets + 1 .. newest; 0 is never used */
		if (b->number && b->number <= newest && newest - b->number < win_def[w].buckets)
			add_bucket(&t, b);
	}
	f->offered = sat32(t.offered);
	f->answered = sat32(t.answered);
	f->abandoned = sat32(t.abandoned);
	f->short_abandoned = sat32(t.short_abandoned);
	f->overflowed = sat32(t.overflowed);
	f->answered_in_sl = sat32(t.answered_in_sl);
	f->handled = sat32(t.handled);
	/*
	 * Events count by their own time, so a call offered before the window
	 * and answered in it can make the answers outnumber the offers: the
	 * level is capped at 1000, and is 1000 when nothing was offered.
	 */
	if (t.offered <= t.short_abandoned)
		f->sl_permille = 1000;
	else if (t.answered_in_sl >= t.offered - t.short_abandoned)
		f->sl_permille = 1000;
	else
		f->sl_permille = permille(t.answered_in_sl, t.offered - t.short_abandoned);
	f->asa_ms = mean(t.wait, t.answered);
	f->aht_ms = mean(t.handle, t.handled);
	f->longest_wait_ms = t.longest;
	/* no agent time reported: 0 (nobody was there to be occupied) */
	if (t.busy || t.avail) {
		uint64_t den = t.busy > UINT64_MAX - t.avail ? UINT64_MAX : t.busy + t.avail;

		f->occupancy_permille = permille(t.busy, den);
	}
}
