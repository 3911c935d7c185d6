// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tdmxd conference recording (see confrec.h): a dense array of the
 * conference's recordings, walked once per block by the mixer's tap. The
 * clamped whole sum is made once per block for all mono recordings;
 * stereo ones subtract their member's decoded input, which the mixer keeps
 * for its own mix-minus.
 */
#include <errno.h>
#include <stdlib.h>

#include "confrec.h"

#define BLK	TDMX_RING_FRAMES

struct confrec_ent {
	struct rec *r;
	media_port left;
	bool stereo;
	bool failed;
};

struct confrec {
	struct mix *mix;
	int id;
	struct confrec_ent *ent;
	unsigned int n, cap;
};

static int16_t sat16(int32_t v)
{
	return v > INT16_MAX ? INT16_MAX : v < INT16_MIN ? INT16_MIN : (int16_t)v;
}

static void put(struct confrec_ent *e, const int16_t *left, const int16_t *right)
{
	/* rec_write() encodes for G.711 files; a failed recording takes nothing */
	if (rec_write(e->r, left, right, BLK) < 0)
		e->failed = true;
}

static void on_block(void *arg, const int32_t *sum)
{
	struct confrec *cr = arg;
	int16_t all[BLK], right[BLK];
	const int16_t *own;
	bool have_all = false;
	unsigned int i, k;

	for (i = 0; i < cr->n; i++) {
		struct confrec_ent *e = &cr->ent[i];

		if (e->failed)
			continue;
		if (!e->stereo) {
			if (!have_all) {
				for (k = 0; k < BLK; k++)
					all[k] = sat16(sum[k]);
				have_all = true;
			}
			put(e, all, NULL);
			continue;
		}
		/* a member that does not talk (or left) adds nothing to the sum */
		own = mix_conf_talker_block(cr->mix, e->left);
		for (k = 0; k < BLK; k++)
			right[k] = sat16(sum[k] - (own ? own[k] : 0));
		put(e, own, right);
	}
}

int confrec_new(struct confrec **out, struct mix *m, int id)
{
	struct confrec *cr;
	int ret;

	if (!out || !m)
		return -EINVAL;
	cr = calloc(1, sizeof(*cr));
	if (!cr)
		return -ENOMEM;
	cr->mix = m;
	cr->id = id;
	ret = mix_conf_tap(m, id, on_block, cr);
	if (ret) {
		free(cr);
		return ret;
	}
	*out = cr;
	return 0;
}

void confrec_free(struct confrec *cr)
{
	if (!cr)
		return;
	mix_conf_tap(cr->mix, cr->id, NULL, NULL);	/* -ENOENT once the conference is gone */
	free(cr->ent);
	free(cr);
}

static struct confrec_ent *find(struct confrec *cr, const struct rec *r)
{
	unsigned int i;

	for (i = 0; i < cr->n; i++)
		if (cr->ent[i].r == r)
			return &cr->ent[i];
	return NULL;
}

int confrec_add(struct confrec *cr, struct rec *r, enum rec_layout layout, media_port left)
{
	struct confrec_ent *ent;

	if (!cr || !r || (layout == REC_STEREO && !left))
		return -EINVAL;
	if (find(cr, r))
		return -EEXIST;
	if (cr->n == cr->cap) {
		unsigned int cap = cr->cap ? 2 * cr->cap : 4;

		ent = realloc(cr->ent, cap * sizeof(*ent));
		if (!ent)
			return -ENOMEM;
		cr->ent = ent;
		cr->cap = cap;
	}
	cr->ent[cr->n++] = (struct confrec_ent){
		.r = r,
		.left = left,
		.stereo = layout == REC_STEREO,
	};
	return 0;
}

int confrec_remove(struct confrec *cr, struct rec *r)
{
	struct confrec_ent *e = cr ? find(cr, r) : NULL;

	if (!e)
		return -ENOENT;
	*e = cr->ent[--cr->n];
	return 0;
}

unsigned int confrec_count(const struct confrec *cr)
{
	return cr ? cr->n : 0;
}
