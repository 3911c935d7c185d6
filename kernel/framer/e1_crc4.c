// SPDX-License-Identifier: GPL-2.0-only
/*
 * E1 CRC-4 multiframe receiver (G.704 2.3.3, G.706 4.2, 4.3.2, Annex B).
 *
 * - Alignment: two valid MFAS (Si of frames 1,3,5,7,9,11 = 001011) found
 *   2 ms (16 frames) apart, or a multiple, within 8 ms of frame alignment.
 *   crc4_sync points at frame 0 of the multiframe of the second MFAS.
 * - No alignment within 8 ms: the frame alignment is taken as spurious and
 *   a re-search runs beside it (the secondary alignment of e1_rx.c); the
 *   traffic stays on the primary until the re-search finds a multiframe.
 * - Annex B: 400 ms after primary frame alignment without a multiframe,
 *   the far end is taken as non-CRC-4: checking stops, traffic stays.
 * - Each sub-multiframe's remainder is compared with the C bits of the
 *   next one; crc4_error points at the errored SMF. E bits (frames 13 and
 *   15) report the far end's errors. 915 errored of 1000 blocks restart
 *   the frame search (4.3.2).
 * - Beyond G.706: while aligned, the MFAS is still checked; four
 *   consecutive multiframes with a wrong MFAS lose the multiframe (crc4_loss)
 *   and its search starts again on the same frame alignment. A far end
 *   that restarts its multiframe 8 frames off would otherwise go unseen:
 *   the CRC-4 checks still pass (the two SMFs swap) while its MFAS bits are
 *   read as E bits.
 *
 * Per-frame CRC-4 remainders and Si bits are kept for the last 16 frames,
 * so a multiframe found late can still be checked from its first SMF.
 */
#include "e1_internal.h"
#include "crc.h"

/* G.704 2.3.3.4: the MFAS in Si of frames 1,3,5,7,9,11 */
#define MFAS 0x0B
#define MFAS_MASK 0x3F
/* G.706 Annex B: 400 ms */
#define IW_FRAMES 3200
/* G.706 4.3.2: >= 915 errored blocks in 1000 means false alignment */
#define FALSE_ALIGN_ERRORS 915
#define FALSE_ALIGN_BLOCKS 1000
/* errored SMFs waiting for an E bit; about one second's worth */
#define EBIT_PENDING_MAX 1000
/* tdmx: a wrong MFAS in this many consecutive multiframes loses them */
#define MFAS_LOSS_MF 4

/*
 * Looks at the Si bit of an NFAS frame; true when this frame is frame 11
 * of a multiframe whose phase already had a valid MFAS.
 */
static bool mfas_search(struct tdmx_e1_align *a, u8 ts0)
{
	u16 phase = 1u << (a->frame & 15);

	a->mfas_hist = (a->mfas_hist << 1) | (ts0 >> 7);
	if (a->mfas_bits < 6)
		a->mfas_bits++;
	if (a->mfas_bits < 6 || (a->mfas_hist & MFAS_MASK) != MFAS)
		return false;
	if (a->mfas_phases & phase)
		return true;
	a->mfas_phases |= phase;
	return false;
}

/**
 * e1_crc4_start() - frame alignment was gained: look for the multiframe
 * @rx: receiver
 */
void e1_crc4_start(struct tdmx_e1_rx *rx)
{
	rx->crc4_aligned = false;
	rx->interworking = false;
	rx->sec_active = false;
	rx->iw_frames = 0;
	rx->ring_frames = 0;
	rx->prev_smf_valid = false;
	rx->block_count = 0;
	rx->block_errors = 0;
	rx->pri.mfas_deadline = E1_MF_SEARCH_FRAMES;
}

/**
 * e1_crc4_stop() - frame alignment was lost
 * @rx: receiver
 * @bit: the frame where it was lost
 */
void e1_crc4_stop(struct tdmx_e1_rx *rx, u64 bit)
{
	if (rx->crc4_aligned)
		e1_emit(rx, TDMX_FR_EV_CRC4_LOSS, bit);
	rx->crc4_aligned = false;
	rx->sec_active = false;
	rx->ebit_pending[0] = 0;
	rx->ebit_pending[1] = 0;
}

/* Remainder of the SMF whose last frame (frame 7) is primary frame @f. */
static u8 smf_remainder(const struct tdmx_e1_rx *rx, u32 f)
{
	u8 r = 0;
	int k;

	/* G.704 2.3.3.5: one SMF = 8 frames; fold the oldest first */
	for (k = 7; k >= 0; k--)
		r = tdmx_crc4_shift_frame(r) ^ rx->crc_frame[(f - k) & 15];
	return r;
}

static u8 smf_c_bits(const struct tdmx_e1_rx *rx)
{
	u16 h = rx->si_hist;

	/* C1..C4 = Si of the SMF's frames 0, 2, 4, 6; this frame is frame 7 */
	return ((h >> 7) & 1) << 3 | ((h >> 5) & 1) << 2 |
	       ((h >> 3) & 1) << 1 | ((h >> 1) & 1);
}

static void multiframe_found(struct tdmx_e1_rx *rx, u64 bit)
{
	u64 mf_start = bit - 11 * TDMX_E1_FRAME_BITS;

	rx->crc4_aligned = true;
	rx->sec_active = false;
	rx->mf_frame = 11;
	rx->mfas_bad = 0;
	rx->block_count = 0;
	rx->block_errors = 0;
	e1_emit(rx, TDMX_FR_EV_CRC4_SYNC, mf_start);
	/* SMF I of this multiframe is in the rings when they hold 12 frames */
	rx->prev_smf_valid = rx->ring_frames >= 12;
	if (!rx->prev_smf_valid)
		return;
	rx->prev_smf_crc = smf_remainder(rx, rx->pri.frame - 4);
	rx->prev_smf_bit = mf_start;
	rx->prev_smf = 0;
}

/* Returns true when the G.706 4.3.2 false-alignment rule fired. */
static bool check_block(struct tdmx_e1_rx *rx, u8 c_bits)
{
	bool bad = c_bits != rx->prev_smf_crc;
	struct tdmx_fr_event ev = {
		.bit = rx->prev_smf_bit, .type = TDMX_FR_EV_CRC4_ERROR,
		.smf = rx->prev_smf,
	};

	tdmx_perf_block(&rx->perf, bad);
	rx->block_count++;
	if (bad) {
		rx->cnt.crc_errors++;
		rx->block_errors++;
		tdmx_fr_emit(&rx->sink, &ev);
		if (rx->ebit_pending[rx->prev_smf] < EBIT_PENDING_MAX)
			rx->ebit_pending[rx->prev_smf]++;
	}
	if (rx->block_errors >= FALSE_ALIGN_ERRORS)
		return true;
	if (rx->block_count == FALSE_ALIGN_BLOCKS) {
		rx->block_count = 0;
		rx->block_errors = 0;
	}
	return false;
}

static void ebit(struct tdmx_e1_rx *rx, u8 ts0, unsigned int smf, u64 bit)
{
	struct tdmx_fr_event ev = { .bit = bit, .type = TDMX_FR_EV_EBIT, .smf = smf };

	/* G.704 2.3.3.4: an E bit at 0 reports one errored SMF at the far end */
	if (ts0 & E1_SI)
		return;
	rx->cnt.ebit_errors++;
	tdmx_fr_emit(&rx->sink, &ev);
}

/* The multiframe moved under a held frame alignment: search it again. */
static void lose_multiframe(struct tdmx_e1_rx *rx, u64 bit)
{
	struct tdmx_e1_align *a = &rx->pri;

	e1_emit(rx, TDMX_FR_EV_CRC4_LOSS, bit);
	rx->crc4_aligned = false;
	rx->prev_smf_valid = false;
	rx->iw_frames = 0;
	rx->ebit_pending[0] = 0;
	rx->ebit_pending[1] = 0;
	a->mfas_hist = 0;
	a->mfas_bits = 0;
	a->mfas_phases = 0;
	a->mfas_deadline = a->frame + 1 + E1_MF_SEARCH_FRAMES;
}

/* Returns true when the multiframe was given up. */
static bool check_mfas(struct tdmx_e1_rx *rx, u8 ts0, u64 bit)
{
	unsigned int n = rx->mf_frame;

	if (!(n & 1) || n > 11)
		return false;
	rx->mfas_word = (rx->mfas_word << 1) | (ts0 >> 7);
	if (n != 11)
		return false;
	if ((rx->mfas_word & MFAS_MASK) == MFAS) {
		rx->mfas_bad = 0;
		return false;
	}
	if (++rx->mfas_bad < MFAS_LOSS_MF)
		return false;
	lose_multiframe(rx, bit - 11 * TDMX_E1_FRAME_BITS);
	return true;
}

/* Returns true when the frame alignment was given up (4.3.2). */
static bool aligned_frame(struct tdmx_e1_rx *rx, u8 ts0, u64 bit)
{
	rx->mf_frame = (rx->mf_frame + 1) & 15;
	if (check_mfas(rx, ts0, bit))
		return false;
	if (rx->mf_frame == 13)
		ebit(rx, ts0, 0, bit);
	else if (rx->mf_frame == 15)
		ebit(rx, ts0, 1, bit);
	if ((rx->mf_frame & 7) != 7)
		return false;
	if (rx->prev_smf_valid && check_block(rx, smf_c_bits(rx))) {
		e1_lose_frame(rx, bit);
		return true;
	}
	rx->prev_smf_crc = smf_remainder(rx, rx->pri.frame);
	rx->prev_smf_bit = bit - 7 * TDMX_E1_FRAME_BITS;
	rx->prev_smf = rx->mf_frame >> 3;
	rx->prev_smf_valid = rx->ring_frames >= 8;
	return false;
}

static void start_research(struct tdmx_e1_rx *rx, u64 bit)
{
	tdmx_fr_memset(&rx->sec, 0, sizeof(rx->sec));
	rx->sec.state = E1_HUNT;
	rx->sec.pos = bit + 1;
	rx->sec_active = true;
}

/**
 * e1_crc4_rx_frame() - CRC-4 work for one frame on the primary alignment
 * @rx: receiver
 * @f: the frame's 32 octets
 * @bit: its start
 *
 * Return: true when the frame alignment was given up (the caller stops
 * processing this frame).
 */
bool e1_crc4_rx_frame(struct tdmx_e1_rx *rx, const u8 *f, u64 bit)
{
	struct tdmx_e1_align *a = &rx->pri;
	bool fas = !(a->frame & 1);

	rx->crc_frame[a->frame & 15] = tdmx_crc4_frame(f, fas);
	rx->si_hist = (rx->si_hist << 1) | (f[0] >> 7);
	if (rx->ring_frames < 16)
		rx->ring_frames++;
	if (rx->crc4_aligned)
		return aligned_frame(rx, f[0], bit);

	if (!fas && !rx->sec_active && mfas_search(a, f[0])) {
		multiframe_found(rx, bit);
		return false;
	}
	if (!rx->sec_active && a->frame + 1 >= a->mfas_deadline)
		start_research(rx, bit);
	if (++rx->iw_frames >= IW_FRAMES) {
		/* Annex B: far end without CRC-4; E bits go out as 0 */
		rx->interworking = true;
		rx->sec_active = false;
		e1_emit(rx, TDMX_FR_EV_CRC4_INTERWORKING, bit);
	}
	return false;
}

static void switch_to_secondary(struct tdmx_e1_rx *rx)
{
	struct tdmx_e1_align *s = &rx->sec;
	struct tdmx_e1_align *p = &rx->pri;
	u64 fas_start = p->pos - ((p->frame & 1) ? TDMX_E1_FRAME_BITS : 0);
	bool same = ((s->cand - fas_start) & (2 * TDMX_E1_FRAME_BITS - 1)) == 0 &&
		    s->cand <= fas_start + 2 * TDMX_E1_FRAME_BITS;

	if (!same) {
		rx->cnt.realignments++;
		e1_emit(rx, TDMX_FR_EV_FRAME_SYNC, s->cand);
	}
	/* the primary continues after the secondary's current frame */
	*p = *s;
	p->frame++;
	p->pos += TDMX_E1_FRAME_BITS;
	rx->ring_frames = 0;
	multiframe_found(rx, s->pos);
}

/**
 * e1_crc4_sec_frame() - one frame of the G.706 4.2 re-search
 * @rx: receiver
 * @ts0: the frame's TS0 (its FAS was already checked)
 */
void e1_crc4_sec_frame(struct tdmx_e1_rx *rx, u8 ts0)
{
	struct tdmx_e1_align *s = &rx->sec;

	if ((s->frame & 1) && mfas_search(s, ts0)) {
		switch_to_secondary(rx);
		return;
	}
	if (s->frame + 1 >= s->mfas_deadline) {
		/* spurious again: search on from the next bit */
		s->state = E1_HUNT;
		s->pos++;
		return;
	}
	s->frame++;
	s->pos += TDMX_E1_FRAME_BITS;
}

/**
 * tdmx_e1_rx_take_ebits() - E bits for the next transmitted multiframe
 * @rx: receiver of the same span
 *
 * G.704 2.3.3.4: one E bit goes to 0 for each errored SMF received, E1 for
 * SMF I and E2 for SMF II; both are 0 while frame and CRC-4 multiframe
 * alignment are not both held and while interworking with a non-CRC-4 far
 * end (refs: G.706 Annex B).
 *
 * Return: bit 1 = E1, bit 0 = E2.
 */
u8 tdmx_e1_rx_take_ebits(struct tdmx_e1_rx *rx)
{
	u8 e = 0;
	int i;

	if (!tdmx_e1_rx_aligned(rx) || !rx->crc4_aligned || rx->interworking)
		return 0;
	for (i = 0; i < 2; i++) {
		e <<= 1;
		if (rx->ebit_pending[i])
			rx->ebit_pending[i]--;
		else
			e |= 1;
	}
	return e;
}
