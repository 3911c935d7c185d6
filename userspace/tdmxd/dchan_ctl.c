// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tdmxd D-channels on the control socket (see dchan_ctl.h): received
 * frames become hex events, hdlc_* requests become dchan.h calls.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dchan_ctl.h"
#include "log.h"

struct dchan_ctl {
	struct dchan_set *set;
	struct ctl *ctl;
};

static void on_rx(void *arg, unsigned int span, unsigned int ts, const uint8_t *frame,
		  size_t len, uint64_t ts_ms)
{
	struct dchan_ctl *dc = arg;
	size_t n = 2 * len + 96;
	char *line, *hex;
	int at;

	if (!dc->ctl)
		return;
	line = malloc(n);
	if (!line) {
		log_span(LOG_WARNING, span, "D-channel %u: out of memory, frame event lost", ts);
		return;
	}
	at = snprintf(line, n, "{\"event\":\"hdlc\",\"port\":\"%u/%u\",\"frame\":\"", span, ts);
	hex = line + at;
	dchan_hex_encode(frame, len, hex);
	snprintf(hex + 2 * len, n - (size_t)at - 2 * len, "\",\"ts\":%" PRIu64 "}", ts_ms);
	if (ctl_event(dc->ctl, CTL_EV_HDLC, media_port_of(span, ts), 0, line))
		log_span(LOG_WARNING, span, "D-channel %u: out of memory, frame event lost", ts);
	free(line);
}

static const struct dchan_ops ctl_ops = {
	.rx = on_rx,
};

/* Return: the consumer with its (empty) set of D-channels, or NULL */
struct dchan_ctl *dchan_ctl_create(struct loop *l, enum loop_op op, struct tdmx *nl)
{
	struct dchan_ctl *dc = calloc(1, sizeof(*dc));

	if (!dc)
		return NULL;
	dc->set = dchan_set_create(l, op, nl, &ctl_ops, dc);
	if (!dc->set) {
		free(dc);
		return NULL;
	}
	return dc;
}

/* after the loop stopped */
void dchan_ctl_destroy(struct dchan_ctl *dc)
{
	if (!dc)
		return;
	dchan_set_destroy(dc->set);
	free(dc);
}

void dchan_ctl_set_ctl(struct dchan_ctl *dc, struct ctl *c)
{
	dc->ctl = c;
}

struct dchan_set *dchan_ctl_set(struct dchan_ctl *dc)
{
	return dc->set;
}

/**
 * dchan_ctl_handle() - carry out hdlc_subscribe, hdlc_unsubscribe, hdlc_send
 *
 * Return: 0 or a negative errno with the reply's error message set.
 */
int dchan_ctl_handle(struct dchan_ctl *dc, const struct ctl_req *q, struct ctl_reply *r)
{
	unsigned int span = media_port_span(q->a), ts = media_port_ts(q->a);
	struct dchan_stats st;
	int ret;

	/* unsubscribing from a channel that went away is fine */
	if (q->cmd == CTL_HDLC_UNSUBSCRIBE)
		return 0;
	if (dchan_get_stats(dc->set, span, ts, &st))
		return ctl_reply_error(r, -ENOENT, "%u/%u is not an open D-channel (hdlc) of an attached span",
				       span, ts);
	if (q->cmd == CTL_HDLC_SUBSCRIBE)
		return 0;
	ret = dchan_send(dc->set, span, ts, q->frame, q->frame_len);
	if (ret == -ENOBUFS)
		return ctl_reply_error(r, ret, "%u/%u: tx queue full (%u frames), try again",
				       span, ts, DCHAN_TXQ_LEN);
	if (ret)
		return ctl_reply_error(r, ret, "%u/%u: %s", span, ts, strerror(-ret));
	return 0;
}

static void status_one(void *arg, unsigned int span, unsigned int ts,
		       const struct dchan_stats *st)
{
	struct tdmx_json *j = arg;
	char port[16];

	tdmx_json_obj_open(j, NULL);
	tdmx_json_str(j, "port", ctl_port_text(port, media_port_of(span, ts)));
	tdmx_json_uint(j, "rx_frames", st->rx_frames);
	tdmx_json_uint(j, "tx_frames", st->tx_frames);
	tdmx_json_uint(j, "rx_errors", st->rx_errors);
	tdmx_json_uint(j, "tx_errors", st->tx_errors);
	tdmx_json_uint(j, "tx_full", st->tx_full);
	tdmx_json_obj_close(j);
}

/* the "dchans" member of the status reply */
void dchan_ctl_status(struct dchan_ctl *dc, struct tdmx_json *j)
{
	tdmx_json_arr_open(j, "dchans");
	dchan_for_each(dc->set, status_one, j);
	tdmx_json_arr_close(j);
}
