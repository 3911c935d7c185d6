/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What a framer receiver reports: events (alignment, errors, signalling,
 * alarm edges) and de-interleaved timeslot payload, both through a sink.
 */
#ifndef TDMX_FRAMER_EVENT_H
#define TDMX_FRAMER_EVENT_H

#include "types.h"

enum tdmx_fr_ev_type {
	TDMX_FR_EV_FRAME_SYNC,		/* frame alignment gained */
	TDMX_FR_EV_FRAME_LOSS,		/* frame alignment lost */
	TDMX_FR_EV_CRC4_SYNC,		/* CRC-4 multiframe alignment gained */
	TDMX_FR_EV_CRC4_LOSS,		/* CRC-4 multiframe alignment lost */
	TDMX_FR_EV_CRC4_INTERWORKING,	/* G.706 Annex B: far end not CRC-4 */
	TDMX_FR_EV_CRC4_ERROR,		/* a sub-multiframe failed its CRC-4 */
	TDMX_FR_EV_EBIT,		/* far end reported an errored SMF */
	TDMX_FR_EV_CAS_SYNC,		/* TS16 CAS multiframe alignment gained */
	TDMX_FR_EV_CAS_LOSS,		/* TS16 CAS multiframe alignment lost */
	TDMX_FR_EV_ABCD,		/* signalling bits of a timeslot changed */
	TDMX_FR_EV_ALARM,		/* a defect started or ended */
	TDMX_FR_EV_CRC6_ERROR,		/* T1 ESF: an extended superframe failed CRC-6 */
	TDMX_FR_EV_COUNT
};

enum tdmx_fr_alarm {
	TDMX_FR_ALARM_LOS,
	TDMX_FR_ALARM_AIS,
	TDMX_FR_ALARM_LOF,
	TDMX_FR_ALARM_RAI,
	TDMX_FR_ALARM_TS16_AIS,
	TDMX_FR_ALARM_CAS_RMFA,
	TDMX_FR_ALARM_YELLOW,
	TDMX_FR_ALARM_COUNT
};

/**
 * struct tdmx_fr_event - one receiver event
 * @bit: index in the received stream (from 0) of the first bit of the frame,
 *	sub-multiframe or multiframe the event belongs to
 * @type: enum tdmx_fr_ev_type
 * @smf: CRC4_ERROR, EBIT: 0 = sub-multiframe I / E1 bit, 1 = II / E2 bit
 * @ts: ABCD: timeslot as on the wire (E1 1-15, 17-31; T1 channel 1-24)
 * @abcd: ABCD: the signalling bits, A in bit 3
 * @alarm: ALARM: enum tdmx_fr_alarm
 * @on: ALARM: true when the defect starts, false when it ends
 */
struct tdmx_fr_event {
	u64 bit;
	u8 type;
	u8 smf;
	u8 ts;
	u8 abcd;
	u8 alarm;
	bool on;
};

/* Payload is delivered in blocks of up to this many frames (1 ms). */
#define TDMX_FR_BLOCK_FRAMES 8
#define TDMX_FR_MAX_TS 32

/**
 * struct tdmx_fr_payload - de-interleaved timeslot octets of aligned frames
 * @bit: stream index of the first bit of the block's first frame
 * @nframes: number of valid frames (1..TDMX_FR_BLOCK_FRAMES)
 * @ts: octets per timeslot: E1 index = timeslot 0-31, T1 index = channel 1-24
 */
struct tdmx_fr_payload {
	u64 bit;
	unsigned int nframes;
	u8 ts[TDMX_FR_MAX_TS][TDMX_FR_BLOCK_FRAMES];
};

/**
 * struct tdmx_fr_sink - where a receiver reports
 * @event: called for every event, in stream order; may be NULL
 * @payload: called with each block of aligned frames; may be NULL
 * @ctx: passed back to both
 */
struct tdmx_fr_sink {
	void (*event)(void *ctx, const struct tdmx_fr_event *ev);
	void (*payload)(void *ctx, const struct tdmx_fr_payload *pl);
	void *ctx;
};

/**
 * struct tdmx_fr_counters - monotonic receive counters
 * @frames: frames received while in frame alignment
 * @fas_errors: E1 errored FAS words / T1 errored framing bits, while aligned
 * @crc_errors: CRC-4 (E1) or CRC-6 (T1) block errors, while multiframe aligned
 * @ebit_errors: E bits received as 0, while CRC-4 multiframe aligned
 * @realignments: frame alignments gained after a previous alignment
 * @es: G.826 errored seconds
 * @ses: G.826 severely errored seconds
 * @uas: G.826 unavailable seconds
 */
struct tdmx_fr_counters {
	u64 frames;
	u64 fas_errors;
	u64 crc_errors;
	u64 ebit_errors;
	u64 realignments;
	u64 es;
	u64 ses;
	u64 uas;
};

const char *tdmx_fr_ev_name(unsigned int type);
const char *tdmx_fr_alarm_name(unsigned int alarm);

#endif /* TDMX_FRAMER_EVENT_H */
