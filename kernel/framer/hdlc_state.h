/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * State of the HDLC receiver and transmitter. Included from hdlc.h only;
 * callers allocate these structures (they hold a TDMX_HDLC_MAX_FRAME
 * buffer each) and touch them through the tdmx_hdlc_* functions alone.
 */
#ifndef TDMX_FRAMER_HDLC_STATE_H
#define TDMX_FRAMER_HDLC_STATE_H

#ifndef TDMX_FRAMER_HDLC_H
#error "include hdlc.h, not hdlc_state.h"
#endif

/**
 * struct tdmx_hdlc_rx - receiver
 * @cfg: settings with the defaults applied (1 <= min_len, max_len <= MAX - 2)
 * @frame: called with each good frame, may be NULL
 * @ctx: first argument of @frame
 * @cnt: counters
 * @acc: content bits not yet forming an octet, the first received in bit 0
 * @nacc: number of bits in @acc (0..7)
 * @len: octets stored in @buf for the frame in progress
 * @ones: ones received in a row, saturating at 7
 * @zero: a received zero whose role is not known yet: content, or the
 *	first bit of a flag
 * @hunt: waiting for a flag (at start, after an abort or an overlong frame)
 * @buf: content of the frame in progress, payload then FCS
 */
struct tdmx_hdlc_rx {
	struct tdmx_hdlc_config cfg;
	tdmx_hdlc_frame_fn frame;
	void *ctx;
	struct tdmx_hdlc_counters cnt;
	u32 acc;
	u8 nacc;
	u16 len;
	u8 ones;
	bool zero;
	bool hunt;
	u8 buf[TDMX_HDLC_MAX_FRAME];
};

/**
 * struct tdmx_hdlc_tx - transmitter
 * @cfg: settings (only @bits56 and @idle_marks are used)
 * @q: line bits queued but not sent; the next one is bit @qn - 1
 * @qn: number of bits in @q (below 32)
 * @state: enum in hdlc.c: idle, frame queued, frame being sent
 * @ones: content ones sent in a row, for zero-bit insertion
 * @flag_last: the bits queued so far end with a flag
 * @abort: seven or more ones are to be queued next
 * @len: octets in @buf: payload then FCS
 * @pos: next octet of @buf to queue
 * @buf: the frame being sent
 */
struct tdmx_hdlc_tx {
	struct tdmx_hdlc_config cfg;
	u32 q;
	u8 qn;
	u8 state;
	u8 ones;
	bool flag_last;
	bool abort;
	u16 len;
	u16 pos;
	u8 buf[TDMX_HDLC_MAX_FRAME];
};

#endif /* TDMX_FRAMER_HDLC_STATE_H */
