/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tdmxd D-channels: the HDLC frames of the attached spans' hdlc channels
 * (/dev/tdmx/chan/<span>/<ts>), the transport the ISDN signalling will sit
 * on. The kernel checks and adds the FCS: a read gives one good frame as
 * payload + 2 FCS octets, a write takes payload + 2 octets of room.
 * Consumers see payload only.
 *
 * The channels run on the control loop, not on a media worker: frames are
 * few per second, their consumers (ctl now, the signalling later) live
 * there, and nothing a D-channel does can then delay a media block. Each
 * open channel (opened O_NONBLOCK; the device is nowait-capable, so
 * io_uring parks a read on its poll queue instead of a worker thread) keeps
 * one io_uring READ outstanding and at most one WRITE, fed from a bounded
 * tx queue: a full queue refuses with -ENOBUFS, nothing ever blocks. A read
 * failing with -ENODEV/-EIO (channel gone) or a span detach closes the
 * channel once its operations have completed or been cancelled.
 */
#ifndef TDMXD_DCHAN_H
#define TDMXD_DCHAN_H

#include <stddef.h>
#include <stdint.h>

#include "libtdmx.h"
#include "loop.h"

#define DCHAN_FRAME_MAX	1024	/* longest payload sent (Q.921 N201 260 + header, with room) */
#define DCHAN_RX_MAX	4096	/* read buffer: the kernel's longest frame incl. FCS */
#define DCHAN_FCS_LEN	2
#define DCHAN_TXQ_LEN	8	/* frames queued per channel before -ENOBUFS */

/* ------------------------------------------------ hex codec (dchan_hex.c) */

int dchan_hex_decode(const char *s, uint8_t *out, size_t max);
void dchan_hex_encode(const uint8_t *p, size_t len, char *out);

/* ------------------------------------------ bounded tx queue (dchan_txq.c) */

/**
 * struct dchan_txq - frames waiting to be written, oldest first; each slot
 *	holds payload + DCHAN_FCS_LEN octets of room, ready for write()
 */
struct dchan_txq {
	unsigned int head, tail;	/* free-running; head - tail frames queued */
	uint16_t len[DCHAN_TXQ_LEN];	/* payload octets */
	uint8_t buf[DCHAN_TXQ_LEN][DCHAN_FRAME_MAX + DCHAN_FCS_LEN];
};

void dchan_txq_init(struct dchan_txq *q);
unsigned int dchan_txq_count(const struct dchan_txq *q);
int dchan_txq_push(struct dchan_txq *q, const uint8_t *p, size_t len);
const uint8_t *dchan_txq_peek(const struct dchan_txq *q, size_t *wlen);
void dchan_txq_pop(struct dchan_txq *q);

/* -------------------------------------------------- channels (dchan.c) */

/**
 * struct dchan_stats - counters of one D-channel since it was opened
 * @rx_frames: frames delivered to the consumer
 * @tx_frames: frames the kernel took
 * @rx_errors: reads the kernel failed (other than the channel going away)
 * @tx_errors: writes the kernel refused (the frame is dropped)
 * @tx_full: dchan_send() refused with -ENOBUFS
 */
struct dchan_stats {
	uint64_t rx_frames;
	uint64_t tx_frames;
	uint64_t rx_errors;
	uint64_t tx_errors;
	uint64_t tx_full;
};

/**
 * struct dchan_ops - the consumer of received frames (on the loop's thread)
 * @rx: one frame, payload only; @ts_ms: CLOCK_REALTIME in milliseconds
 * @gone: the channel closed (detached or device gone); may be NULL
 */
struct dchan_ops {
	void (*rx)(void *arg, unsigned int span, unsigned int ts, const uint8_t *frame,
		   size_t len, uint64_t ts_ms);
	void (*gone)(void *arg, unsigned int span, unsigned int ts);
};

struct dchan_set;

struct dchan_set *dchan_set_create(struct loop *l, enum loop_op op, struct tdmx *nl,
				   const struct dchan_ops *ops, void *arg);
void dchan_set_destroy(struct dchan_set *ds);
int dchan_attach_span(struct dchan_set *ds, unsigned int span);
int dchan_open(struct dchan_set *ds, unsigned int span, unsigned int ts);
int dchan_adopt(struct dchan_set *ds, unsigned int span, unsigned int ts, int fd);
void dchan_detach_span(struct dchan_set *ds, unsigned int span);
int dchan_send(struct dchan_set *ds, unsigned int span, unsigned int ts, const uint8_t *p,
	       size_t len);
int dchan_get_stats(const struct dchan_set *ds, unsigned int span, unsigned int ts,
		    struct dchan_stats *st);
/* calls @fn for each open channel, in span/timeslot order of opening */
void dchan_for_each(const struct dchan_set *ds,
		    void (*fn)(void *arg, unsigned int span, unsigned int ts,
			       const struct dchan_stats *st),
		    void *arg);

#endif /* TDMXD_DCHAN_H */
