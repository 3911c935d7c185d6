/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tdmxd media engine glue: the media modules (mix, play, dtmf, rec) put to
 * work on the attached spans, and the backend of the control socket.
 *
 * One struct eng_group per media worker, used only on that worker's
 * thread: its spans, one mixing graph (mix.h) over them, a player per port
 * that plays prompts or tones (play.h), a DTMF detector per port that
 * someone listens to (dtmf.h), and a recorder (rec.h). When any of its
 * spans wakes, the group lines its spans up and processes the same number
 * of 1 ms blocks of each (the mixer computes output block k of every port
 * from input block k of the ports it hears): the rx blocks go through the
 * mixer into scratch tx blocks, players fill the ports the mixer does not
 * own, detectors and recorders take the rx audio, and each tx block is
 * copied to tx block seq + ahead of its span's ring and published.
 *
 * Lining up: a span whose line is behind (a later wake phase, a timer that
 * runs late) holds the others back by at most a few blocks; one that stops
 * delivering for longer than the slip limit (2 x block_ms + jitter_ms +
 * 8 ms) is left out and re-joins when it delivers again; one whose clock
 * runs fast and gets ahead by more than that slips (drops blocks).
 *
 * Bridges, conferences and supervision join ports of spans on any
 * workers: a bridge is mixed on the worker of its first port, a
 * conference on the worker of its first member, supervision with the
 * agent's bridge; a port whose span is on another worker crosses through
 * a cross-worker link (xlink.h: two lock-free rings, its rx up, what it
 * hears down), and the mixing worker sees it on a stand-in span ring, so
 * mix-minus sums, mode switches and recordings work as on one worker. A
 * crossing adds one wake interval + jitter_ms of delay each way at most;
 * audio stays bit-exact. The link goes once the port left the graph and
 * no recording uses it. Play/tone on a linked port are refused (its home
 * worker sends what the mixer gives it).
 *
 * Control commands arrive on the control thread. The engine checks what it
 * can there (spans attached, where each port is mixed, prompts loaded: file
 * I/O stays off the media path), then hands the command to the worker's
 * loop and answers when the worker has carried it out (ctl deferred
 * replies). Events (DTMF digits, ends of playback and recordings) go back
 * through ctl_event().
 */
#ifndef TDMXD_ENGINE_H
#define TDMXD_ENGINE_H

#include "config.h"
#include "ctl.h"
#include "dchan_ctl.h"
#include "loop.h"
#include "span.h"

struct eng;
struct eng_group;

int eng_create(struct eng **ep, const struct cfg *c);
void eng_destroy(struct eng *e);
void eng_set_ctl(struct eng *e, struct ctl *c);
void eng_set_loop(struct eng *e, struct loop *l);
void eng_set_dchans(struct eng *e, struct dchan_ctl *dc);
void eng_reconfigure(struct eng *e, const struct cfg *c);

/* on the worker's thread */
struct eng_group *eng_group_create(struct eng *e, unsigned int idx, struct loop *l, bool recover);
void eng_group_destroy(struct eng_group *g);
void eng_group_span_add(struct eng_group *g, struct dspan *s);
void eng_group_span_del(struct eng_group *g, struct dspan *s);

/* on the control thread: where a span's commands go */
void eng_span_route(struct eng *e, unsigned int span, struct eng_group *g, unsigned int law,
		    unsigned int block_ms);

int eng_ctl_handle(void *priv, const struct ctl_req *q, struct ctl_reply *r);
void eng_ctl_conn_closed(void *priv, uint64_t conn);

#endif /* TDMXD_ENGINE_H */
