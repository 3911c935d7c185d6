/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * HDLC over a timeslot (ISO/IEC 13239 as used by Q.921 LAPD): flags,
 * zero-bit insertion, FCS-16, abort, idle flags or marks, 64 kbit/s
 * (8 bits per timeslot octet) or 56 kbit/s (the first 7 bits; bit 8 is 1).
 */
#ifndef TDMX_FRAMER_HDLC_H
#define TDMX_FRAMER_HDLC_H

#include "types.h"

#define TDMX_HDLC_MAX_FRAME 4096	/* octets including the 2 FCS octets */

/**
 * struct tdmx_hdlc_config - codec settings
 * @min_len: receiver: shortest payload accepted (octets, FCS excluded, >= 1)
 * @max_len: receiver: longest payload accepted (<= TDMX_HDLC_MAX_FRAME - 2)
 * @bits56: 56 kbit/s: only the first 7 bits of each octet carry HDLC
 * @idle_marks: transmitter: send all ones between frames instead of flags
 */
struct tdmx_hdlc_config {
	u16 min_len;
	u16 max_len;
	bool bits56;
	bool idle_marks;
};

/**
 * struct tdmx_hdlc_counters - monotonic receiver counters
 * @frames: good frames delivered
 * @fcs_errors: frames dropped for a bad FCS
 * @aborts: frames ended by seven or more ones
 * @too_short: frames dropped below min_len (not counting empty flag pairs)
 * @too_long: frames dropped above max_len
 * @misaligned: frames dropped whose bit count is not a multiple of 8
 */
struct tdmx_hdlc_counters {
	u64 frames;
	u64 fcs_errors;
	u64 aborts;
	u64 too_short;
	u64 too_long;
	u64 misaligned;
};

/*
 * The receiver calls @frame with payload + the 2 FCS octets as received
 * (already verified); bad frames are counted and never delivered. The
 * pointer is valid during the call only.
 */
typedef void (*tdmx_hdlc_frame_fn)(void *ctx, const u8 *frame, unsigned int len);

struct tdmx_hdlc_rx;
struct tdmx_hdlc_tx;

#include "hdlc_state.h"

/*
 * tdmx_hdlc_tx_start() returns 0, -1 while a frame is still being sent
 * (tdmx_hdlc_tx_busy() is true until its closing flag is queued; up to 4
 * more timeslot octets then finish it), or -2 for a length of 0 or above
 * TDMX_HDLC_MAX_FRAME - 2.
 */
void tdmx_hdlc_rx_init(struct tdmx_hdlc_rx *rx, const struct tdmx_hdlc_config *cfg,
		       tdmx_hdlc_frame_fn frame, void *ctx);
void tdmx_hdlc_rx_octets(struct tdmx_hdlc_rx *rx, const u8 *octets, size_t n);
const struct tdmx_hdlc_counters *tdmx_hdlc_rx_counters(const struct tdmx_hdlc_rx *rx);

void tdmx_hdlc_tx_init(struct tdmx_hdlc_tx *tx, const struct tdmx_hdlc_config *cfg);
bool tdmx_hdlc_tx_busy(const struct tdmx_hdlc_tx *tx);
int tdmx_hdlc_tx_start(struct tdmx_hdlc_tx *tx, const u8 *payload, unsigned int len);
void tdmx_hdlc_tx_abort(struct tdmx_hdlc_tx *tx);
void tdmx_hdlc_tx_octets(struct tdmx_hdlc_tx *tx, u8 *out, size_t n);

#endif /* TDMX_FRAMER_HDLC_H */
