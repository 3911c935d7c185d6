/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tdmxd D-channels on the control socket: until the ISDN signalling takes
 * the frames over, the consumer of dchan.h is the control socket itself.
 * hdlc_subscribe sends each frame received on a D-channel as an event
 * {"event":"hdlc","port":"1/16","frame":"<hex payload>","ts":<ms>} to the
 * connections subscribed to it; hdlc_send queues a frame; status lists the
 * D-channels with their counters. Runs on the control loop, where ctl and
 * the D-channels live.
 */
#ifndef TDMXD_DCHAN_CTL_H
#define TDMXD_DCHAN_CTL_H

#include "ctl.h"
#include "dchan.h"

struct dchan_ctl;

struct dchan_ctl *dchan_ctl_create(struct loop *l, enum loop_op op, struct tdmx *nl);
void dchan_ctl_destroy(struct dchan_ctl *dc);
void dchan_ctl_set_ctl(struct dchan_ctl *dc, struct ctl *c);
struct dchan_set *dchan_ctl_set(struct dchan_ctl *dc);
int dchan_ctl_handle(struct dchan_ctl *dc, const struct ctl_req *q, struct ctl_reply *r);
void dchan_ctl_status(struct dchan_ctl *dc, struct tdmx_json *j);

#endif /* TDMXD_DCHAN_CTL_H */
