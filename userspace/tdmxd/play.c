// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tdmxd playback: a queue of sequences of prompts, tones and silence.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "g711.h"
#include "play.h"

struct play_seq {
	struct play_seq *next;
	uint32_t id;
	unsigned int flags;
	play_done_fn fn;
	void *arg;
	unsigned int n;
	unsigned int cur;	/* item playing; n: at the end of a pass */
	uint32_t pos;		/* samples into it */
	bool started;		/* its tone is started */
	uint64_t played;
	uint64_t pass;		/* samples in this pass of a loop */
	struct play_item items[];
};

struct player {
	struct play_seq *head;
	struct play_seq *tail;
	uint32_t last_id;
	struct tone_player tp;
};

/* where play_generate*() writes: linear, or octets in a law */
struct sink {
	int16_t *lin;
	uint8_t *coded;
	enum media_law law;
};

static void sink_silence(const struct sink *sk, int off, int k)
{
	if (sk->lin)
		memset(sk->lin + off, 0, (size_t)k * sizeof(*sk->lin));
	else
		memset(sk->coded + off, g711_idle(sk->law), (size_t)k);
}

static void sink_pcm(const struct sink *sk, int off, const int16_t *x, int k)
{
	if (sk->lin)
		memcpy(sk->lin + off, x, (size_t)k * sizeof(*x));
	else
		g711_encode_buf(sk->law, x, sk->coded + off, (size_t)k);
}

/* ---- the queue ---- */

static void seq_free(struct play_seq *s)
{
	unsigned int i;

	for (i = 0; i < s->n; i++)
		if (s->items[i].kind == PLAY_PROMPT)
			prompt_put(s->items[i].prompt);
	free(s);
}

static void unlink_seq(struct player *pl, struct play_seq *s)
{
	struct play_seq **ps, *prev = NULL;

	for (ps = &pl->head; *ps; prev = *ps, ps = &(*ps)->next) {
		if (*ps != s)
			continue;
		*ps = s->next;
		if (pl->tail == s)
			pl->tail = prev;
		if (prev == NULL)	/* it was playing */
			tone_stop(&pl->tp);
		s->next = NULL;
		return;
	}
}

/* Report the end of a sequence no longer in the queue, and free it. */
static void report(struct play_seq *s, enum play_end why, int offset)
{
	struct play_done d = {
		.id = s->id,
		.why = why,
		.played = s->played,
		.offset = why == PLAY_DONE ? offset : -1,
	};

	if (s->fn)
		s->fn(s->arg, &d);
	seq_free(s);
}

static void finish(struct player *pl, struct play_seq *s, enum play_end why, int offset)
{
	unlink_seq(pl, s);
	report(s, why, offset);
}

struct player *play_new(void)
{
	struct player *pl = calloc(1, sizeof(*pl));

	if (!pl)
		return NULL;
	if (tone_player_init(&pl->tp)) {
		free(pl);
		return NULL;
	}
	return pl;
}

void play_free(struct player *pl)
{
	if (!pl)
		return;
	play_stop(pl);
	/* callbacks may have queued more: drop those silently */
	while (pl->head) {
		struct play_seq *s = pl->head;

		pl->head = s->next;
		seq_free(s);
	}
	tone_player_release(&pl->tp);
	free(pl);
}

static bool item_ok(const struct play_item *it)
{
	switch (it->kind) {
	case PLAY_PROMPT:
		return it->prompt != NULL;
	case PLAY_TONE:
		return tone_plan_def(it->plan, it->tone) != NULL;
	case PLAY_SILENCE:
		return true;
	default:
		return false;
	}
}

int play_enqueue(struct player *pl, const struct play_item *items, unsigned int n,
		 unsigned int flags, play_done_fn fn, void *arg)
{
	struct play_seq *s;
	unsigned int i;

	if (!n || !items || (flags & ~(PLAY_LOOP | PLAY_BARGE_IN)))
		return -EINVAL;
	for (i = 0; i < n; i++)
		if (!item_ok(&items[i]))
			return -EINVAL;
	s = calloc(1, sizeof(*s) + n * sizeof(s->items[0]));
	if (!s)
		return -ENOMEM;
	memcpy(s->items, items, n * sizeof(s->items[0]));
	for (i = 0; i < n; i++) {
		if (flags & PLAY_BARGE_IN)
			s->items[i].barge_in = true;
		if (s->items[i].kind == PLAY_PROMPT)
			prompt_get(s->items[i].prompt);
	}
	s->n = n;
	s->flags = flags;
	s->fn = fn;
	s->arg = arg;
	if (++pl->last_id > INT32_MAX)
		pl->last_id = 1;
	s->id = pl->last_id;
	if (pl->tail)
		pl->tail->next = s;
	else
		pl->head = s;
	pl->tail = s;
	return (int)s->id;
}

void play_stop(struct player *pl)
{
	struct play_seq *s = pl->head;

	/* what callbacks queue from here on plays */
	pl->head = pl->tail = NULL;
	tone_stop(&pl->tp);
	while (s) {
		struct play_seq *next = s->next;

		s->next = NULL;
		report(s, PLAY_STOPPED, -1);
		s = next;
	}
}

int play_cancel(struct player *pl, uint32_t id)
{
	struct play_seq *s;

	for (s = pl->head; s; s = s->next)
		if (s->id == id)
			break;
	if (!s)
		return -ENOENT;
	finish(pl, s, PLAY_STOPPED, -1);
	return 0;
}

bool play_dtmf(struct player *pl)
{
	struct play_seq *s = pl->head;

	if (!s || s->cur >= s->n || !s->items[s->cur].barge_in)
		return false;
	finish(pl, s, PLAY_BARGED, -1);
	return true;
}

bool play_busy(const struct player *pl)
{
	return pl->head != NULL;
}

uint32_t play_current(const struct player *pl)
{
	return pl->head ? pl->head->id : 0;
}

/* ---- generating ---- */

static uint32_t prompt_len(const struct play_item *it)
{
	uint32_t len = it->prompt->samples;

	return it->samples && it->samples < len ? it->samples : len;
}

static int gen_prompt(const struct sink *sk, struct play_seq *s, const struct play_item *it,
		      int off, int avail)
{
	const struct prompt *p = it->prompt;
	uint32_t left = prompt_len(it) - s->pos;
	int k = left < (uint32_t)avail ? (int)left : avail;

	if (!sk->lin && p->coded && p->law == (int)sk->law)
		memcpy(sk->coded + off, p->coded + s->pos, (size_t)k);
	else
		sink_pcm(sk, off, p->pcm + s->pos, k);
	s->pos += (uint32_t)k;
	return k;
}

static int gen_tone(struct player *pl, const struct sink *sk, struct play_seq *s,
		    const struct play_item *it, int off, int avail)
{
	int16_t tmp[MEDIA_MAX_BLOCK];
	int want = avail, k = 0, got, step;

	if (!s->started) {
		tone_start(&pl->tp, it->plan, it->tone);
		s->started = true;
	}
	if (it->samples && it->samples - s->pos < (uint32_t)want)
		want = (int)(it->samples - s->pos);
	while (k < want) {
		if (sk->lin) {
			got = tone_generate(&pl->tp, sk->lin + off + k, want - k);
		} else {
			step = want - k < MEDIA_MAX_BLOCK ? want - k : MEDIA_MAX_BLOCK;
			got = tone_generate(&pl->tp, tmp, step);
			sink_pcm(sk, off + k, tmp, got);
		}
		if (!got)
			break;	/* a cadence that does not repeat ended */
		k += got;
	}
	s->pos += (uint32_t)k;
	return k;
}

/* Play from the current item; returns samples written, 0 when it is over. */
static int gen_item(struct player *pl, const struct sink *sk, struct play_seq *s,
		    int off, int avail)
{
	const struct play_item *it = &s->items[s->cur];
	int k = 0;

	switch (it->kind) {
	case PLAY_PROMPT:
		k = gen_prompt(sk, s, it, off, avail);
		break;
	case PLAY_TONE:
		k = gen_tone(pl, sk, s, it, off, avail);
		break;
	case PLAY_SILENCE:
		k = it->samples - s->pos < (uint32_t)avail ? (int)(it->samples - s->pos) : avail;
		sink_silence(sk, off, k);
		s->pos += (uint32_t)k;
		break;
	}
	return k;
}

static bool item_over(const struct play_seq *s, int k, int avail)
{
	const struct play_item *it = &s->items[s->cur];

	switch (it->kind) {
	case PLAY_PROMPT:
		return s->pos >= prompt_len(it);
	case PLAY_TONE:
		return (it->samples && s->pos >= it->samples) || k < avail;
	default:
		return s->pos >= it->samples;
	}
}

static void next_item(struct player *pl, struct play_seq *s)
{
	if (s->started)
		tone_stop(&pl->tp);
	s->cur++;
	s->pos = 0;
	s->started = false;
}

/* at the end of a pass: loop, or report the end */
static bool pass_over(struct player *pl, struct play_seq *s, int offset)
{
	/* a loop that produced nothing in a pass would spin */
	if ((s->flags & PLAY_LOOP) && s->pass) {
		s->cur = 0;
		s->pass = 0;
		return false;
	}
	finish(pl, s, PLAY_DONE, offset);
	return true;
}

static int generate(struct player *pl, const struct sink *sk, int n)
{
	struct play_seq *s;
	int done = 0, k;

	while (done < n && (s = pl->head)) {
		if (s->cur == s->n) {
			pass_over(pl, s, done);
			continue;
		}
		k = gen_item(pl, sk, s, done, n - done);
		if (item_over(s, k, n - done))
			next_item(pl, s);
		done += k;
		s->played += (uint64_t)k;
		s->pass += (uint64_t)k;
	}
	/* a sequence that ended with the block reports in it, not the next */
	while ((s = pl->head) && s->cur == s->n && pass_over(pl, s, done))
		;
	if (done < n)
		sink_silence(sk, done, n - done);
	return done;
}

int play_generate(struct player *pl, int16_t *out, int n)
{
	struct sink sk = { .lin = out };

	return generate(pl, &sk, n);
}

int play_generate_law(struct player *pl, enum media_law law, uint8_t *out, int n)
{
	struct sink sk = { .coded = out, .law = law };

	if (!g711_law_valid(law))
		return -EINVAL;
	return generate(pl, &sk, n);
}
