/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * T1 receiver and transmitter state. Included from t1.h; the fields are not
 * an API: use the tdmx_t1_* functions.
 */
#ifndef TDMX_FRAMER_T1_STATE_H
#define TDMX_FRAMER_T1_STATE_H

/*
 * Receive window in octets. The longest span is the ESF hunt's: the ESF
 * its FPS bits place starts up to 23 frames before the candidate (or one
 * ESF later, if that is before the hunt's start), and its CRC-6 check
 * reads that ESF and the next one up to C6: at most 13,318 bits (under
 * three ESF) from the first bit kept, which may be the last bit of an
 * octet: 1,666 octets at least (t1_rx.c checks it).
 */
#define TDMX_T1_WIN 2048

/**
 * struct tdmx_t1_rx - T1 receiver state
 * @cfg: framing and options (framing normalised to D4 or ESF)
 * @sink: where events and payload go
 * @defect: LOS/AIS detector, run just behind the framer
 * @perf: G.826 second accumulator
 * @cnt: counters
 * @win: window on the stream: @win[0] is stream octet @win_base
 * @win_len: valid octets in @win
 * @win_base: stream octet index of @win[0]
 * @pos: hunting: next candidate bit; aligned: start of the next frame
 * @hunt_from: hunting: no alignment starts before this bit (stream start,
 *	the bit after a lost frame's start, or the end of a flush)
 * @aligned: in frame alignment
 * @ever_aligned: alignment was gained at least once (realignments)
 * @lof: LOF alarm declared
 * @frame: aligned: frame number in the SF (0..11) or ESF (0..23)
 * @f_hist: aligned: errored framing bits, newest in bit 0 (last four)
 * @sf_bit: start of the current superframe
 * @prev_sf_bit: start of the previous superframe
 * @crc: ESF: CRC-6 remainder of the current ESF so far
 * @prev_crc: ESF: remainder of the previous ESF
 * @prev_crc_valid: @prev_crc covers a whole ESF received in alignment
 * @rx_c: ESF: C bits received in the current ESF, C1 first
 * @fdl: ESF: last 64 FDL bits, newest in bit 0
 * @fdl_count: ESF: FDL bits received since alignment
 * @fdl_bad_words: ESF: consecutive FDL words that are not the yellow pattern
 * @d4_bit2: D4: a channel had bit 2 = 1 in the current superframe
 * @d4_prev_verdict: D4: previous superframe looked yellow (1), not (0), none (-1)
 * @yellow: yellow alarm declared
 * @rb: robbed bits of the current superframe, A..D, channel 1 in bit 0
 * @abcd: reported ABCD per channel (index 1..24), 0xFF = none since alignment
 * @abcd_cand: candidate new value per channel while debouncing
 * @abcd_seen: superframes the candidate has been seen in a row
 * @pl: payload block being filled
 */
struct tdmx_t1_rx {
	struct tdmx_t1_config cfg;
	struct tdmx_fr_sink sink;
	struct tdmx_defect defect;
	struct tdmx_perf perf;
	struct tdmx_fr_counters cnt;

	u8 win[TDMX_T1_WIN];
	u32 win_len;
	u64 win_base;

	u64 pos;
	u64 hunt_from;
	bool aligned;
	bool ever_aligned;
	bool lof;
	u32 frame;
	u8 f_hist;
	u64 sf_bit;
	u64 prev_sf_bit;

	u8 crc;
	u8 prev_crc;
	bool prev_crc_valid;
	u8 rx_c;

	u64 fdl;
	u32 fdl_count;
	u8 fdl_bad_words;
	bool d4_bit2;
	s32 d4_prev_verdict;
	bool yellow;

	u32 rb[4];
	u8 abcd[TDMX_T1_CHANNELS + 1];
	u8 abcd_cand[TDMX_T1_CHANNELS + 1];
	u8 abcd_seen[TDMX_T1_CHANNELS + 1];

	struct tdmx_fr_payload pl;
};

/**
 * struct tdmx_t1_tx - T1 transmitter state
 * @cfg: framing and options (framing normalised to D4 or ESF)
 * @frame: frame number in the SF (0..11) or ESF (0..23) of the next frame
 * @crc: ESF: CRC-6 remainder of the ESF being sent
 * @c_bits: ESF: C1..C6 sent in this ESF (remainder of the previous one)
 * @fdl_bit: ESF: FDL bits sent in the current FDL pattern
 * @abcd: robbed-bit ABCD per channel (index 1..24), A in bit 3
 * @yellow: send the yellow alarm
 * @ais: send all ones
 * @carry: bits of a partial octet not yet returned, in the low bits
 * @carry_bits: number of bits in @carry (0..7)
 */
struct tdmx_t1_tx {
	struct tdmx_t1_config cfg;
	u32 frame;
	u8 crc;
	u8 c_bits;
	u32 fdl_bit;
	u8 abcd[TDMX_T1_CHANNELS + 1];
	bool yellow;
	bool ais;
	u8 carry;
	u8 carry_bits;
};

#endif /* TDMX_FRAMER_T1_STATE_H */
