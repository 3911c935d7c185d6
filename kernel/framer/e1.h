/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * E1 (2048 kbit/s) framer: G.704 2.3 framing, G.706 alignment, CRC-4
 * multiframe, TS16 CAS, G.775 defects. Receiver and transmitter.
 */
#ifndef TDMX_FRAMER_E1_H
#define TDMX_FRAMER_E1_H

#include "event.h"
#include "defect.h"
#include "perf.h"

#define TDMX_E1_FRAME_BITS 256
#define TDMX_E1_FRAME_OCTETS 32
#define TDMX_E1_TS 32
#define TDMX_E1_BITS_PER_SECOND 2048000
#define TDMX_E1_WIN 1024	/* receiver window on the stream, octets */

/* Framing of the 2048 kbit/s signal (G.704 2.3, G.706 Annex B). */
enum tdmx_e1_framing {
	TDMX_E1_UNFRAMED,	/* no TS0: 32 octets of clear data per 256 bits */
	TDMX_E1_DOUBLEFRAME,	/* FAS/NFAS only: PCM31, or PCM30 with CAS */
	TDMX_E1_CRC4,		/* plus CRC-4 multiframe: PCM31C / PCM30C */
};

/**
 * struct tdmx_e1_config - what a receiver or transmitter expects/sends
 * @framing: enum tdmx_e1_framing
 * @cas: TS16 carries channel-associated signalling (PCM30 / PCM30C)
 * @nfas_loss: G.706 4.1.1 option: 3 consecutive NFAS with bit 2 = 0 also
 *	lose frame alignment (receiver)
 * @abcd_debounce: receiver: multiframes a new ABCD value must repeat before
 *	it is reported (0 = report at once)
 * @sa: transmitter: Sa4..Sa8 in the low 5 bits (0x1F when unused)
 */
struct tdmx_e1_config {
	u8 framing;
	bool cas;
	bool nfas_loss;
	u8 abcd_debounce;
	u8 sa;
};

/*
 * One alignment under test or in use (the receiver keeps a second one for
 * the G.706 4.2 re-search that runs beside the traffic alignment).
 */
struct tdmx_e1_align {
	u64 pos;		/* next frame start, or next hunt candidate */
	u8 state;		/* E1_HUNT, E1_VERIFY_NFAS, E1_VERIFY_FAS, E1_ALIGNED */
	u64 cand;		/* candidate FAS frame start while verifying */
	u32 frame;		/* frames since alignment (frame parity = frame & 1) */
	u8 bad_fas;		/* consecutive errored FAS words */
	u8 bad_nfas;		/* consecutive NFAS with bit 2 = 0 */
	u8 mfas_hist;		/* Si bits of recent NFAS frames, newest in bit 0 */
	u8 mfas_bits;		/* NFAS frames seen since alignment (saturates) */
	u16 mfas_phases;	/* frame & 15 of the valid MFAS found so far */
	u32 mfas_deadline;	/* frame by which MF alignment must be found */
};

struct tdmx_e1_rx {
	struct tdmx_e1_config cfg;
	struct tdmx_fr_sink sink;
	struct tdmx_defect defect;
	struct tdmx_perf perf;
	struct tdmx_fr_counters cnt;

	/* window on the stream: win[0] is stream octet win_base */
	u8 win[TDMX_E1_WIN + 8];
	u32 win_len;
	u64 win_base;

	struct tdmx_e1_align pri;	/* carries traffic */
	struct tdmx_e1_align sec;	/* G.706 4.2 re-search */
	bool sec_active;
	bool ever_aligned;
	bool lof;

	/* CRC-4 multiframe */
	bool crc4_aligned;
	bool interworking;
	u32 iw_frames;		/* G.706 Annex B: frames since primary alignment */
	u32 mf_frame;		/* frame number within the CRC-4 multiframe */
	u8 crc_frame[16];	/* per-frame CRC-4 remainders, by frame & 15 */
	u16 si_hist;		/* Si bits of the last 16 frames, newest in bit 0 */
	u8 ring_frames;		/* frames in the two rings on this alignment */
	u64 prev_smf_bit;	/* start of the last complete SMF */
	u8 prev_smf_crc;	/* its remainder, to check against the next C bits */
	u8 prev_smf;		/* its index: 0 = SMF I, 1 = SMF II */
	bool prev_smf_valid;
	u32 block_count;	/* G.706 4.3.2 window: blocks checked */
	u32 block_errors;	/* and errored among them */
	u16 ebit_pending[2];	/* errored SMFs not yet reported to the far end */
	u8 mfas_word;		/* Si of frames 1..11 of this multiframe */
	u8 mfas_bad;		/* consecutive multiframes with a wrong MFAS */

	/* A bit / RAI */
	u8 rai_run;
	bool rai;

	/* TS16 CAS */
	bool cas_aligned;
	u8 cas_frame;		/* frame number in the CAS multiframe */
	u64 cas_mf_bit;		/* start of the current CAS multiframe */
	u8 prev_ts16;
	u8 cas_bad_mfas;	/* consecutive bad CAS MFAS */
	bool cas_all_zero;	/* TS16 all zeros so far in this multiframe */
	u8 cas_y_run;		/* consecutive multiframes with Y != reported */
	bool cas_rmfa;
	u8 ts16_zeros;		/* zeros in TS16 over the current 16 frames */
	u8 ts16_frames;
	u64 ts16_period_bit;
	int ts16_prev_verdict;
	bool ts16_ais;
	u8 abcd[TDMX_E1_TS];	/* reported value per timeslot, 0xFF = none yet */
	u8 abcd_cand[TDMX_E1_TS];
	u8 abcd_seen[TDMX_E1_TS];

	/* payload block being filled: frames as received, then de-interleaved */
	u8 pl_frames[TDMX_FR_BLOCK_FRAMES][TDMX_E1_FRAME_OCTETS];
	struct tdmx_fr_payload pl;
};

void tdmx_e1_rx_init(struct tdmx_e1_rx *rx, const struct tdmx_e1_config *cfg,
		     const struct tdmx_fr_sink *sink);
void tdmx_e1_rx_feed(struct tdmx_e1_rx *rx, const u8 *data, size_t len);
void tdmx_e1_rx_flush(struct tdmx_e1_rx *rx);
bool tdmx_e1_rx_aligned(const struct tdmx_e1_rx *rx);
bool tdmx_e1_rx_crc4_aligned(const struct tdmx_e1_rx *rx);
bool tdmx_e1_rx_remote_alarm_wanted(const struct tdmx_e1_rx *rx);
u8 tdmx_e1_rx_take_ebits(struct tdmx_e1_rx *rx);
const struct tdmx_fr_counters *tdmx_e1_rx_counters(const struct tdmx_e1_rx *rx);

/**
 * struct tdmx_e1_tx - E1 transmitter state
 * @cfg: framing, CAS, Sa bits
 * @rx: receiver of the same span: source of E bits and of the A bit
 * @frame: frame number within the 16-frame CRC-4 (and CAS) multiframe
 * @smf_crc: remainder of the SMF being sent
 * @c_bits: C bits to send in the current SMF (remainder of the previous)
 * @ebits: E1/E2 to send in this multiframe (bit 1 = E1)
 * @abcd: ABCD per timeslot (A in bit 3)
 * @rai: send A = 1
 * @ais: send all ones (unframed)
 * @ts16_ais: send TS16 all ones
 * @cas_rmfa: send Y = 1 (remote CAS multiframe alarm)
 */
struct tdmx_e1_tx {
	struct tdmx_e1_config cfg;
	struct tdmx_e1_rx *rx;
	u32 frame;
	u8 smf_crc;
	u8 c_bits;
	u8 ebits;
	u8 abcd[TDMX_E1_TS];
	bool rai;
	bool ais;
	bool ts16_ais;
	bool cas_rmfa;
};

void tdmx_e1_tx_init(struct tdmx_e1_tx *tx, const struct tdmx_e1_config *cfg);
void tdmx_e1_tx_link_rx(struct tdmx_e1_tx *tx, struct tdmx_e1_rx *rx);
void tdmx_e1_tx_set_abcd(struct tdmx_e1_tx *tx, unsigned int ts, u8 abcd);
void tdmx_e1_tx_frames(struct tdmx_e1_tx *tx, const u8 *in, u8 *out,
		       unsigned int nframes);

#endif /* TDMX_FRAMER_E1_H */
