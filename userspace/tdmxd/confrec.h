/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tdmxd conference recording: the recordings of one conference of a
 * mixing graph (mix.h), fed from the sum the mixer makes anyway.
 *
 * A struct confrec sits on a conference's tap (mix_conf_tap()): once per
 * 1 ms block the mixer hands it the conference's 32-bit sum of all
 * talkers, and each recording takes its share of it, so recording a
 * conference of any size adds no second sum:
 *
 *   mono    the whole sum, clamped to int16: what a member that only
 *           listens hears
 *   stereo  left: one designated member's own input (silence while it
 *           does not talk or is not in the conference); right: the sum
 *           minus that member's input, clamped: what it hears
 *
 * The recordings follow the graph: a member that joins, leaves or changes
 * mode is in (or out of) the sum from the next block mix_process() makes,
 * and so in the recordings. A conference with no talker records silence.
 *
 * Not thread-safe: the mixer's worker thread only. confrec does not start
 * or stop recordings (rec.h): the caller starts one, adds it here, and
 * removes it before it calls rec_stop(). A recording whose write fails is
 * written no more (rec.h reports the failure); it stays until removed.
 *
 * Errors: -EINVAL bad argument, -ENOENT unknown conference, -EEXIST the
 * recording is added already, -ENOMEM.
 */
#ifndef TDMXD_CONFREC_H
#define TDMXD_CONFREC_H

#include <stdbool.h>

#include "media.h"
#include "mix.h"
#include "rec.h"

struct confrec;

/* The recordings of conference @id of @m; it takes the conference's tap. */
int confrec_new(struct confrec **out, struct mix *m, int id);
/* Leaves the tap (if the conference is still there) and forgets the
 * recordings (not stopped: they are the caller's). */
void confrec_free(struct confrec *cr);

/*
 * @r: a started recording whose layout is @layout
 * @left: stereo: the designated member (left channel); ignored for mono
 */
int confrec_add(struct confrec *cr, struct rec *r, enum rec_layout layout, media_port left);
int confrec_remove(struct confrec *cr, struct rec *r);
unsigned int confrec_count(const struct confrec *cr);

#endif /* TDMXD_CONFREC_H */
