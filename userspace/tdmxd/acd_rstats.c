// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Not-ready time per reason (acd_rstats.h).
 *
 * Rows are kept sorted by code (a binary search finds one; an agent uses
 * a handful). Every row has the same two rings of buckets, and the rings'
 * positions are shared by all rows: @newest[r] is the number (+ 1, 0:
 * none) of the latest bucket written in ring r. Moving it forward clears
 * the slots of the buckets skipped over, in every row, so a slot always
 * holds a bucket within the last n of @newest and no per-slot number is
 * needed: 4 bytes per bucket and row.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "acd_rstats.h"

#define MINUTE_MS	60000ULL
#define QUARTER_MS	(15 * MINUTE_MS)
#define MINUTE_N	60
#define QUARTER_N	96

enum { RING_MINUTE, RING_QUARTER, RING__N };

static const struct {
	uint64_t len_ms;
	unsigned int n, off;	/* buckets, first slot in struct row's ms[] */
} rings[RING__N] = {
	[RING_MINUTE] = { MINUTE_MS, MINUTE_N, 0 },
	[RING_QUARTER] = { QUARTER_MS, QUARTER_N, MINUTE_N },
};

/* which ring a window reads and how many of its buckets */
static const struct {
	unsigned int ring, buckets;
} win_def[ACD_WIN__N] = {
	[ACD_WIN_15MIN] = { RING_MINUTE, 15 },
	[ACD_WIN_1H] = { RING_MINUTE, 60 },
	[ACD_WIN_DAY] = { RING_QUARTER, 96 },
};

struct row {
	uint32_t code;
	uint32_t ms[MINUTE_N + QUARTER_N];	/* a bucket holds at most 900,000 ms */
};

struct acd_rstats {
	uint64_t newest[RING__N];
	uint32_t n, cap;
	struct row row[];
};

void acd_rstats_free(struct acd_rstats *rs)
{
	free(rs);
}

size_t acd_rstats_size(const struct acd_rstats *rs)
{
	return rs ? sizeof(*rs) + rs->cap * sizeof(struct row) : 0;
}

/* the row of @code, created in order; NULL on ENOMEM */
static struct row *row_of(struct acd_rstats **prs, uint32_t code)
{
	struct acd_rstats *rs = *prs;
	uint32_t lo = 0, hi = rs ? rs->n : 0, mid, ncap;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (rs->row[mid].code < code)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (rs && lo < rs->n && rs->row[lo].code == code)
		return &rs->row[lo];
	/* past the limit, the time goes to one "untracked" row, kept last */
	if (rs && rs->n >= ACD_RSTATS_MAX_CODES && code != ACD_RSTATS_UNTRACKED)
		return row_of(prs, ACD_RSTATS_UNTRACKED);
	if (!rs || rs->n == rs->cap) {
		/* grow by one row at a time: rows are big, agents use few */
		ncap = rs ? rs->cap + 1 : 1;
		rs = realloc(rs, sizeof(*rs) + ncap * sizeof(struct row));
		if (!rs)
			return NULL;
		if (!*prs)
			memset(rs, 0, sizeof(*rs));
		rs->cap = ncap;
		*prs = rs;
	}
	memmove(&rs->row[lo + 1], &rs->row[lo], (rs->n - lo) * sizeof(struct row));
	memset(&rs->row[lo], 0, sizeof(struct row));
	rs->row[lo].code = code;
	rs->n++;
	return &rs->row[lo];
}

/* make bucket number @num (+ 1) of ring @r writable: clear what is skipped */
static void advance(struct acd_rstats *rs, unsigned int r, uint64_t num)
{
	uint64_t b;
	uint32_t i;

	if (num <= rs->newest[r])
		return;
	/* at most a whole ring to clear, however long the gap */
	b = num - rs->newest[r] > rings[r].n ? num - rings[r].n : rs->newest[r];
	for (b = b + 1; b <= num; b++)
		for (i = 0; i < rs->n; i++)
			rs->row[i].ms[rings[r].off + (b - 1) % rings[r].n] = 0;
	rs->newest[r] = num;
}

/*
 * Spread @dur ms ending at @now over ring @r's buckets, backwards, until
 * the duration is used up, time 0 is reached or the ring holds no older
 * bucket.
 */
static void spread(struct acd_rstats *rs, struct row *w, unsigned int r, uint64_t now,
		   uint64_t dur)
{
	uint64_t d0 = 0, len = rings[r].len_ms;
	unsigned int i;

	advance(rs, r, (now ? now - 1 : 0) / len + 1);
	for (i = 0; i < rings[r].n && d0 < dur && now > d0; i++) {
		uint64_t last = now - d0 - 1;		/* the latest ms not yet spread */
		uint64_t begin = last - last % len;
		uint64_t d1 = now - begin < dur ? now - begin : dur;
		uint64_t num = last / len + 1;

		if (num + rings[r].n <= rs->newest[r])
			return;		/* older than the ring */
		w->ms[rings[r].off + (num - 1) % rings[r].n] += (uint32_t)(d1 - d0);
		d0 = d1;
	}
}

int acd_rstats_add(struct acd_rstats **rs, uint16_t code, uint64_t now_ms, uint64_t dur_ms)
{
	struct row *w;
	unsigned int r;

	if (!dur_ms)
		return 0;
	w = row_of(rs, code);
	if (!w)
		return -ENOMEM;
	for (r = 0; r < RING__N; r++)
		spread(*rs, w, r, now_ms, dur_ms);
	return 0;
}

uint64_t acd_rstats_window_start(uint64_t now_ms, enum acd_win w)
{
	uint64_t len, nb;

	if ((unsigned int)w >= ACD_WIN__N)
		return now_ms;
	len = rings[win_def[w].ring].len_ms;
	nb = now_ms / len;
	return nb + 1 < win_def[w].buckets ? 0 : (nb + 1 - win_def[w].buckets) * len;
}

/* @row's time in the window's buckets [first, last] (numbers + 1) */
static uint64_t row_sum(const struct acd_rstats *rs, const struct row *w, unsigned int r,
			uint64_t first, uint64_t last)
{
	uint64_t b, sum = 0;

	/* slots hold buckets newest - n + 1 .. newest; later ones are empty */
	if (last > rs->newest[r])
		last = rs->newest[r];
	if (rs->newest[r] >= rings[r].n && first < rs->newest[r] - rings[r].n + 1)
		first = rs->newest[r] - rings[r].n + 1;
	for (b = first; b <= last; b++)
		sum += w->ms[rings[r].off + (b - 1) % rings[r].n];
	return sum;
}

size_t acd_rstats_get(const struct acd_rstats *rs, uint64_t now_ms, enum acd_win w,
		      struct acd_reason_time *out, size_t max)
{
	uint64_t last, first, ms;
	unsigned int r;
	size_t n = 0;
	uint32_t i;

	if (!rs || (unsigned int)w >= ACD_WIN__N)
		return 0;
	r = win_def[w].ring;
	last = now_ms / rings[r].len_ms + 1;
	first = last > win_def[w].buckets ? last - win_def[w].buckets + 1 : 1;
	for (i = 0; i < rs->n; i++) {
		ms = row_sum(rs, &rs->row[i], r, first, last);
		if (!ms)
			continue;
		if (n < max)
			out[n] = (struct acd_reason_time){ rs->row[i].code, ms };
		n++;
	}
	return n;
}
