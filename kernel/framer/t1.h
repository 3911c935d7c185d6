/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * T1 (1544 kbit/s) framer: G.704 2.1 framing, D4/SF and ESF (CRC-6, FDL),
 * robbed-bit signalling, yellow alarm, G.775 defects. Receiver and
 * transmitter. Frames are 193 bits: the F bit, then channels 1..24.
 */
#ifndef TDMX_FRAMER_T1_H
#define TDMX_FRAMER_T1_H

#include "event.h"
#include "defect.h"
#include "perf.h"

#define TDMX_T1_FRAME_BITS 193
#define TDMX_T1_CHANNELS 24
#define TDMX_T1_BITS_PER_SECOND 1544000

/* G.704 2.1.3.2: D4 F bits of frames 1..12 (Ft, Fs interleaved), frame 1 in bit 11 */
#define TDMX_T1_D4_FBITS 0x8DC
/* G.704 2.1.3.1.1: ESF FPS bits of frames 4, 8, ..., 24 (001011), frame 4 in bit 5 */
#define TDMX_T1_ESF_FPS 0x0B
/* T1.403: FDL yellow alarm, eight 0s then eight 1s, first sent in bit 15 */
#define TDMX_T1_FDL_YELLOW 0x00FF
/* T1.403: idle FDL sends HDLC flags */
#define TDMX_T1_FDL_FLAG 0x7E

enum tdmx_t1_framing {
	TDMX_T1_D4,	/* superframe of 12 frames */
	TDMX_T1_ESF,	/* extended superframe of 24 frames */
};

/**
 * struct tdmx_t1_config - T1 receiver/transmitter settings
 * @framing: enum tdmx_t1_framing
 * @robbed_bits: channels carry robbed-bit ABCD signalling (receiver reports
 *	changes; transmitter sets the LSB in signalling frames)
 * @abcd_debounce: receiver: superframes a new ABCD value must repeat before
 *	it is reported (0 = at once)
 */
struct tdmx_t1_config {
	u8 framing;
	bool robbed_bits;
	u8 abcd_debounce;
};

struct tdmx_t1_rx;
struct tdmx_t1_tx;

#include "t1_state.h"

void tdmx_t1_rx_init(struct tdmx_t1_rx *rx, const struct tdmx_t1_config *cfg,
		     const struct tdmx_fr_sink *sink);
void tdmx_t1_rx_feed(struct tdmx_t1_rx *rx, const u8 *data, size_t len);
void tdmx_t1_rx_flush(struct tdmx_t1_rx *rx);
bool tdmx_t1_rx_aligned(const struct tdmx_t1_rx *rx);
bool tdmx_t1_rx_yellow(const struct tdmx_t1_rx *rx);
const struct tdmx_fr_counters *tdmx_t1_rx_counters(const struct tdmx_t1_rx *rx);

void tdmx_t1_tx_init(struct tdmx_t1_tx *tx, const struct tdmx_t1_config *cfg);
void tdmx_t1_tx_set_abcd(struct tdmx_t1_tx *tx, unsigned int chan, u8 abcd);
void tdmx_t1_tx_set_yellow(struct tdmx_t1_tx *tx, bool on);
void tdmx_t1_tx_set_ais(struct tdmx_t1_tx *tx, bool on);
size_t tdmx_t1_tx_frames(struct tdmx_t1_tx *tx, const u8 *in, u8 *out,
			 unsigned int nframes);
unsigned int tdmx_t1_tx_bits_pending(const struct tdmx_t1_tx *tx);
size_t tdmx_t1_tx_flush(struct tdmx_t1_tx *tx, u8 *out);

#endif /* TDMX_FRAMER_T1_H */
