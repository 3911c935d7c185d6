// SPDX-License-Identifier: GPL-2.0-only
/*
 * E1 TS16 channel-associated signalling receiver (G.704 5.1.3.2,
 * G.732 5.2, G.775).
 *
 * - Multiframe: TS16 of frame 0 is 0000XYXX; frames 1..15 carry ABCD of
 *   timeslot k in bits 1-4 and of timeslot k+16 in bits 5-8.
 * - Alignment is taken on a TS16 whose bits 1-4 are 0000 when the TS16
 *   before it is not all zeros (G.732 5.2); cas_sync points at that frame.
 * - Loss: two consecutive bad MFAS, or TS16 all zeros for a whole
 *   multiframe; cas_loss points at the multiframe where it was found.
 * - Y = 1 for two consecutive multiframes sets the remote multiframe
 *   alarm, Y = 0 twice clears it.
 * - TS16 AIS: two or fewer zeros in TS16 in each of two consecutive
 *   16-frame periods; three or more in each of two clear it (G.775).
 */
#include "e1_internal.h"

#define CAS_MFAS_MASK 0xF0
#define CAS_Y 0x04
#define CAS_LOSS_MFAS 2
#define CAS_RMFA_MF 2
#define TS16_AIS_MAX_ZEROS 2
#define ABCD_NONE 0xFF

/**
 * e1_cas_start() - frame alignment gained: hunt the CAS multiframe
 * @rx: receiver
 */
void e1_cas_start(struct tdmx_e1_rx *rx)
{
	rx->cas_aligned = false;
	rx->prev_ts16 = 0;
	rx->ts16_zeros = 0;
	rx->ts16_frames = 0;
	rx->ts16_prev_verdict = -1;
	rx->cas_y_run = 0;
}

/**
 * e1_cas_stop() - frame alignment lost: CAS alignment and its alarms go
 * @rx: receiver
 * @bit: the frame where it was lost
 */
void e1_cas_stop(struct tdmx_e1_rx *rx, u64 bit)
{
	if (rx->cas_aligned)
		e1_emit(rx, TDMX_FR_EV_CAS_LOSS, bit);
	rx->cas_aligned = false;
	e1_alarm(rx, TDMX_FR_ALARM_CAS_RMFA, &rx->cas_rmfa, false, bit);
	e1_alarm(rx, TDMX_FR_ALARM_TS16_AIS, &rx->ts16_ais, false, bit);
}

static void ts16_ais(struct tdmx_e1_rx *rx, u8 ts16, u64 bit)
{
	int verdict;

	if (!rx->ts16_frames)
		rx->ts16_period_bit = bit;
	rx->ts16_zeros += 8 - tdmx_fr_weight8(ts16);
	if (++rx->ts16_frames < 16)
		return;
	verdict = rx->ts16_zeros <= TS16_AIS_MAX_ZEROS;
	if (verdict == rx->ts16_prev_verdict)
		e1_alarm(rx, TDMX_FR_ALARM_TS16_AIS, &rx->ts16_ais, verdict,
			 rx->ts16_period_bit);
	rx->ts16_prev_verdict = verdict;
	rx->ts16_frames = 0;
	rx->ts16_zeros = 0;
}

static void abcd(struct tdmx_e1_rx *rx, unsigned int ts, u8 v, u64 bit)
{
	struct tdmx_fr_event ev = {
		.bit = bit, .type = TDMX_FR_EV_ABCD, .ts = ts, .abcd = v,
	};

	if (v == rx->abcd[ts]) {
		rx->abcd_seen[ts] = 0;
		return;
	}
	if (v != rx->abcd_cand[ts]) {
		rx->abcd_cand[ts] = v;
		rx->abcd_seen[ts] = 0;
	}
	/* a new value must repeat abcd_debounce more multiframes */
	if (rx->abcd_seen[ts]++ < rx->cfg.abcd_debounce)
		return;
	rx->abcd[ts] = v;
	rx->abcd_seen[ts] = 0;
	tdmx_fr_emit(&rx->sink, &ev);
}

static void lose_cas(struct tdmx_e1_rx *rx, u64 bit)
{
	rx->cas_aligned = false;
	e1_emit(rx, TDMX_FR_EV_CAS_LOSS, bit);
	e1_alarm(rx, TDMX_FR_ALARM_CAS_RMFA, &rx->cas_rmfa, false, bit);
}

static void mfas_frame(struct tdmx_e1_rx *rx, u8 ts16, u64 bit)
{
	bool y = ts16 & CAS_Y;

	rx->cas_mf_bit = bit;
	if (ts16 & CAS_MFAS_MASK) {
		if (++rx->cas_bad_mfas >= CAS_LOSS_MFAS)
			lose_cas(rx, bit);
		return;
	}
	rx->cas_bad_mfas = 0;
	if (y == rx->cas_rmfa) {
		rx->cas_y_run = 0;
	} else if (++rx->cas_y_run >= CAS_RMFA_MF) {
		rx->cas_y_run = 0;
		e1_alarm(rx, TDMX_FR_ALARM_CAS_RMFA, &rx->cas_rmfa, y, bit);
	}
}

/**
 * e1_cas_rx_frame() - TS16 of one aligned frame
 * @rx: receiver
 * @ts16: the frame's TS16 octet
 * @bit: the frame's start
 */
void e1_cas_rx_frame(struct tdmx_e1_rx *rx, u8 ts16, u64 bit)
{
	u8 prev = rx->prev_ts16;

	rx->prev_ts16 = ts16;
	ts16_ais(rx, ts16, bit);
	if (!rx->cas_aligned) {
		/* G.732 5.2: MFAS with a TS16 that is not all zeros before it */
		if ((ts16 & CAS_MFAS_MASK) || !prev)
			return;
		rx->cas_aligned = true;
		rx->cas_frame = 0;
		rx->cas_bad_mfas = 0;
		rx->cas_all_zero = !ts16;
		tdmx_fr_memset(rx->abcd, ABCD_NONE, sizeof(rx->abcd));
		tdmx_fr_memset(rx->abcd_cand, ABCD_NONE, sizeof(rx->abcd_cand));
		e1_emit(rx, TDMX_FR_EV_CAS_SYNC, bit);
		mfas_frame(rx, ts16, bit);
		return;
	}
	rx->cas_frame = (rx->cas_frame + 1) & 15;
	if (!rx->cas_frame) {
		rx->cas_all_zero = !ts16;
		mfas_frame(rx, ts16, bit);
		return;
	}
	rx->cas_all_zero &= !ts16;
	if (rx->cas_frame == 15 && rx->cas_all_zero) {
		/* G.732 5.2: TS16 all zeros for a multiframe */
		lose_cas(rx, rx->cas_mf_bit);
		return;
	}
	abcd(rx, rx->cas_frame, ts16 >> 4, bit);
	abcd(rx, rx->cas_frame + 16, ts16 & 0xF, bit);
}
