/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tdmxd media: the shared vocabulary of the media modules (mix, play, tone,
 * dtmf, rec) and the event loop.
 *
 * Audio is 8 kHz. The span rings deliver every timeslot in 1 ms blocks of 8
 * octets in the span's law (include/uapi/linux/tdmx.h); the loop processes
 * `n` samples at a time (n = 8 x block_ms, at most MEDIA_MAX_BLOCK). A port
 * is one timeslot of one span, where audio enters and leaves the engine.
 */
#ifndef TDMXD_MEDIA_H
#define TDMXD_MEDIA_H

#include <stdint.h>

#define MEDIA_RATE		8000
#define MEDIA_SAMPLES_PER_MS	8
#define MEDIA_MAX_BLOCK_MS	20
#define MEDIA_MAX_BLOCK		(MEDIA_SAMPLES_PER_MS * MEDIA_MAX_BLOCK_MS)
#define MEDIA_MAX_SPANS		128
#define MEDIA_SPAN_TS		32

/* span * 32 + timeslot; span from 1, so 0 is "no port" */
typedef uint32_t media_port;

static inline media_port media_port_of(unsigned int span, unsigned int ts)
{
	return span * MEDIA_SPAN_TS + ts;
}

static inline unsigned int media_port_span(media_port p)
{
	return p / MEDIA_SPAN_TS;
}

static inline unsigned int media_port_ts(media_port p)
{
	return p % MEDIA_SPAN_TS;
}

/* The companding law of a span: values as enum tdmx_law in the uapi. */
enum media_law {
	MEDIA_ALAW = 1,
	MEDIA_ULAW = 2,
};

#endif /* TDMXD_MEDIA_H */
