// SPDX-License-Identifier: GPL-2.0-only
/*
 * T1 receiver: D4/SF and ESF frame alignment (G.704 2.1.3, G.706 2.1) over a
 * raw bitstream fed in chunks of any length, with no knowledge of octet or
 * frame boundaries; ESF CRC-6, FDL yellow alarm, D4 yellow alarm,
 * robbed-bit signalling, payload, and the G.775 LOS/AIS detector run in
 * lock-step just behind the framer so events come out in stream order.
 *
 * Hunt: every bit is a candidate, in order; a failed one moves the search
 * one bit on. D4 takes a candidate whose 24 F bits (two SF) match
 * 100011011100 at some phase. ESF takes one whose 12 FPS bits (two ESF)
 * match 001011 at some phase and confirms it with CRC-6 (G.706 A.1.1,
 * T1.403, framer practice): the FPS bits place an ESF, the one holding
 * the candidate (the next one if that would start before the hunt did:
 * the stream start, the bit after a lost frame's start, or the end of a
 * flush); its FPS bits before the candidate must be right too, and its
 * CRC-6, every F bit taken as 1, must equal C1..C6 of the following ESF.
 * While ESF hunts, the LOS/AIS detector stays up to 23 frames behind the
 * candidate, where such an ESF may start.
 *
 * Event bits (stream bit index from 0):
 *  - frame_sync: D4: the F bit of frame 1 of the first superframe that
 *    starts at or after the accepted candidate (frames between the
 *    candidate and that bit are not delivered). ESF: the F bit of frame 1
 *    of the confirmed ESF (a clean ESF stream from bit 0 aligns at bit 0);
 *    frames are delivered from there on;
 *  - frame_loss, alarm lof on: the frame whose framing bit completed the
 *    loss criterion (that frame is neither counted nor delivered); a
 *    declared yellow alarm ends there too (it is only judged in alignment);
 *  - crc6_error: the start of the ESF whose data failed the check (the ESF
 *    before the one that carried the C bits);
 *  - abcd: the frame carrying the last signalling bit of the new value
 *    (D4 frame 12, ESF frame 24); after every alignment each channel is
 *    reported once, then on changes;
 *  - alarm yellow: the first frame of the window that decided the change.
 */
#include "t1.h"
#include "crc.h"

#define D4_FRAMES 12
#define ESF_FRAMES 24
#define FRAME_BITS TDMX_T1_FRAME_BITS
#define ESF_BITS (ESF_FRAMES * FRAME_BITS)
/* the hunt checks 24 D4 F bits (two SF) or 12 FPS bits (two ESF) */
#define D4_HUNT_FRAMES 24
#define ESF_HUNT_FPS 12
#define FPS_SPACING (4 * FRAME_BITS)
/* bits a hunt candidate needs from its own position on */
#define D4_HUNT_BITS ((D4_HUNT_FRAMES - 1) * FRAME_BITS + 1)
#define ESF_HUNT_BITS ((ESF_HUNT_FPS - 1) * FPS_SPACING + 1)
/* an ESF starts at most 23 frames before an FPS bit of its own */
#define ESF_BACK_BITS ((ESF_FRAMES - 1) * FRAME_BITS)
/* the CRC-6 check of an ESF reads it and the next ESF up to C6 (frame 22) */
#define ESF_CHECK_BITS (ESF_BITS + 21 * FRAME_BITS + 1)
/*
 * The most an ESF hunt reads from the first bit it keeps, max(hunt start,
 * candidate - ESF_BACK_BITS): an ESF passed over because it would start
 * before the hunt did, then the check; it covers the FPS look-ahead too.
 */
#define ESF_HUNT_SPAN (ESF_BITS + ESF_CHECK_BITS)
/* candidate_sync() and hunt() results besides a bit */
#define NO_SYNC (~0ULL)
#define NEED_DATA (~1ULL)
/* G.706 2.1.1, T1.403 OOF: 2 errored framing bits within 4 consecutive */
#define LOSS_WINDOW 0xF
#define LOSS_ERRORS 2
/* T1.403: yellow on the FDL is 00FF in 4 consecutive 16-bit words */
#define YELLOW_WORD_BITS 16
#define YELLOW_WORDS 4
#define YELLOW_FDL_BITS (YELLOW_WORD_BITS * YELLOW_WORDS)
#define YELLOW_FDL_64 0x00FF00FF00FF00FFULL
/* an FDL bit every other frame: the first of 64 is 126 frames back */
#define YELLOW_BACK_BITS ((u64)(2 * (YELLOW_FDL_BITS - 1)) * FRAME_BITS)
/* D4 channel bit 2 (the second bit sent) */
#define D4_YELLOW_BIT 0x40
#define ABCD_NONE 0xFF

/* after compact() the window starts at most 7 bits before the first bit kept */
#if TDMX_T1_WIN * 8 - 7 < ESF_HUNT_SPAN || \
	ESF_BACK_BITS + ESF_HUNT_BITS > ESF_HUNT_SPAN || D4_HUNT_BITS > ESF_HUNT_SPAN
#error "the window must hold a hunt candidate's look-ahead"
#endif

static bool is_esf(const struct tdmx_t1_rx *rx)
{
	return rx->cfg.framing == TDMX_T1_ESF;
}

static u64 avail_end(const struct tdmx_t1_rx *rx)
{
	return (rx->win_base + rx->win_len) * 8;
}

static unsigned int bit_at(const struct tdmx_t1_rx *rx, u64 bit)
{
	return (rx->win[(bit >> 3) - rx->win_base] >> (7 - (bit & 7))) & 1;
}

/*
 * The frame starting at @bit: returns its F bit and puts channels 1..24 in
 * @ch[0..23]. A frame spans exactly 25 octets of the window whatever its
 * offset, and only those are read.
 */
static unsigned int frame_at(const struct tdmx_t1_rx *rx, u64 bit, u8 *ch)
{
	const u8 *p = rx->win + ((bit >> 3) - rx->win_base);
	unsigned int sh = (bit & 7) + 1;	/* channel 1 starts sh bits into p[0] */
	int i;

	if (sh == 8) {
		tdmx_fr_memcpy(ch, p + 1, TDMX_T1_CHANNELS);
	} else {
		for (i = 0; i < TDMX_T1_CHANNELS; i += 8)
			tdmx_fr_store_be64(ch + i, (tdmx_fr_load_be64(p + i) << sh) |
					   (p[i + 8] >> (8 - sh)));
	}
	return (p[0] >> (8 - sh)) & 1;
}

static void emit(struct tdmx_t1_rx *rx, unsigned int type, u64 bit)
{
	struct tdmx_fr_event ev = { .bit = bit, .type = type };

	tdmx_fr_emit(&rx->sink, &ev);
}

static void set_alarm(struct tdmx_t1_rx *rx, unsigned int which, bool *state, bool on,
		      u64 bit)
{
	if (*state == on)
		return;
	*state = on;
	tdmx_fr_emit_alarm(&rx->sink, bit, which, on);
}

static void payload_flush(struct tdmx_t1_rx *rx)
{
	if (rx->pl.nframes && rx->sink.payload)
		rx->sink.payload(rx->sink.ctx, &rx->pl);
	rx->pl.nframes = 0;
}

static void payload_put(struct tdmx_t1_rx *rx, const u8 *ch, u64 bit)
{
	unsigned int n = rx->pl.nframes;
	int c;

	if (!rx->sink.payload)
		return;
	if (!n)
		rx->pl.bit = bit;
	for (c = 0; c < TDMX_T1_CHANNELS; c++)
		rx->pl.ts[c + 1][n] = ch[c];
	if (++rx->pl.nframes == TDMX_FR_BLOCK_FRAMES)
		payload_flush(rx);
}

/* Run the LOS/AIS detector and G.826 time over the octets before @bit. */
static void defect_advance(struct tdmx_t1_rx *rx, u64 bit)
{
	u64 to = bit >> 3;
	u64 from = rx->defect.pos >> 3;
	u32 n;

	while (to > from) {
		n = to - from > 64 ? 64 : (u32)(to - from);
		tdmx_defect_feed(&rx->defect, rx->win + (from - rx->win_base), n,
				 &rx->sink);
		if (rx->defect.los || rx->defect.ais || !rx->aligned)
			tdmx_perf_defect(&rx->perf);
		tdmx_perf_advance(&rx->perf, n * 8, &rx->cnt);
		from += n;
	}
}

static u32 rotl(u32 v, unsigned int k, unsigned int width)
{
	u32 all = (1u << width) - 1;

	k %= width;
	return k ? ((v << k) | (v >> (width - k))) & all : v;
}

/*
 * Phase test of a framing pattern of @width bits (first bit in the MSB)
 * against @n bits @spacing apart from @p. Bit t of the mask stands for
 * "the bit at @p is pattern bit width-1-t"; checking bit k keeps the
 * phases whose pattern bit k further on matches, which is the pattern
 * rotated left by k. Returns the pattern index of the bit at @p, or -1.
 */
static int pattern_phase(const struct tdmx_t1_rx *rx, u64 p, u32 pattern,
			 unsigned int width, unsigned int n, unsigned int spacing)
{
	u32 all = (1u << width) - 1;
	u32 mask = all;
	unsigned int k, t;

	for (k = 0; k < n && mask; k++) {
		u32 ones = rotl(pattern, k, width);

		mask &= bit_at(rx, p + (u64)k * spacing) ? ones : ~ones & all;
	}
	if (!mask)
		return -1;
	/* the patterns are primitive: a surviving phase is unique */
	for (t = 0; !((mask >> t) & 1); t++)
		;
	return width - 1 - t;
}

/*
 * G.706 A.1.1, T1.403, framer practice: the ESF that FPS bits place is
 * confirmed when its CRC-6 (G.704 2.1.3.1.3: every F bit taken as 1)
 * equals C1..C6 of the next ESF.
 */
static bool esf_crc6_confirms(const struct tdmx_t1_rx *rx, u64 esf)
{
	u8 ch[TDMX_T1_CHANNELS];
	unsigned int n;
	u8 crc = 0, c = 0;

	for (n = 0; n < ESF_FRAMES; n++) {
		frame_at(rx, esf + (u64)n * FRAME_BITS, ch);
		crc = tdmx_crc6_shift_frame(crc) ^ tdmx_crc6_frame(ch);
	}
	/* C1..C6 in frames 2, 6, ..., 22 */
	for (n = 1; n < ESF_FRAMES; n += 4)
		c = (c << 1) | bit_at(rx, esf + ESF_BITS + (u64)n * FRAME_BITS);
	return c == crc;
}

/*
 * ESF hunt candidate at @p: 12 FPS bits at one phase place an ESF, the
 * one holding @p (the next one if that would start before the hunt did).
 * Its FPS bits before @p must be right too, so that every FPS bit from
 * the alignment on has been checked, and its CRC-6 must confirm it.
 */
static u64 esf_candidate(const struct tdmx_t1_rx *rx, u64 p)
{
	u64 back, esf;
	int idx, k;

	/* G.704 2.1.3.1.1: FPS 001011 in frames 4, 8, ..., 24 */
	idx = pattern_phase(rx, p, TDMX_T1_ESF_FPS, 6, ESF_HUNT_FPS, FPS_SPACING);
	if (idx < 0)
		return NO_SYNC;
	/* the FPS of index idx is in frame 4 * idx + 3 (from 0) */
	back = (u64)(4 * idx + 3) * FRAME_BITS;
	if (p >= rx->hunt_from + back) {
		esf = p - back;
		for (k = 0; k < idx; k++)
			if (bit_at(rx, esf + (u64)(4 * k + 3) * FRAME_BITS) !=
			    ((TDMX_T1_ESF_FPS >> (5 - k)) & 1))
				return NO_SYNC;
	} else {
		esf = p - back + ESF_BITS;
	}
	if (esf + ESF_CHECK_BITS > avail_end(rx))
		return NEED_DATA;
	return esf_crc6_confirms(rx, esf) ? esf : NO_SYNC;
}

/*
 * Tests the hunt candidate at @p. Returns the superframe start to align
 * to, NO_SYNC when the candidate fails, or NEED_DATA.
 */
static u64 candidate_sync(const struct tdmx_t1_rx *rx, u64 p)
{
	int idx;

	if (is_esf(rx))
		return esf_candidate(rx, p);
	/* G.704 2.1.3.2: F bits 100011011100 over frames 1..12 */
	idx = pattern_phase(rx, p, TDMX_T1_D4_FBITS, D4_FRAMES, D4_HUNT_FRAMES, FRAME_BITS);
	if (idx < 0)
		return NO_SYNC;
	/* the first superframe that starts at or after the candidate */
	return p + (u64)((D4_FRAMES - idx) % D4_FRAMES) * FRAME_BITS;
}

/*
 * How far the LOS/AIS detector may run while the candidate at @p is
 * tested: up to the first bit an alignment found from @p could start at.
 */
static u64 hunt_detector_limit(const struct tdmx_t1_rx *rx, u64 p)
{
	if (!is_esf(rx))
		return p;
	if (p < rx->hunt_from + ESF_BACK_BITS)
		return rx->hunt_from;
	return p - ESF_BACK_BITS;
}

/*
 * Hunt candidates in bit order; a failed candidate moves the search one
 * bit on. Returns the superframe start to align to, or NEED_DATA.
 */
static u64 hunt(struct tdmx_t1_rx *rx)
{
	u64 need = is_esf(rx) ? ESF_HUNT_BITS : D4_HUNT_BITS;
	u64 end = avail_end(rx);
	u64 sync;

	while (rx->pos + need <= end) {
		defect_advance(rx, hunt_detector_limit(rx, rx->pos));
		sync = candidate_sync(rx, rx->pos);
		if (sync != NO_SYNC)
			return sync;
		rx->pos++;
	}
	return NEED_DATA;
}

/*
 * Hunt from @bit on: no alignment may start before it, nor before bits the
 * LOS/AIS detector has already judged (after a flush).
 */
static void start_hunt(struct tdmx_t1_rx *rx, u64 bit)
{
	if (bit < rx->defect.pos)
		bit = rx->defect.pos;
	rx->aligned = false;
	rx->pos = bit;
	rx->hunt_from = bit;
}

static void gain_frame(struct tdmx_t1_rx *rx, u64 bit)
{
	/*
	 * The detector must have judged the signal up to here before G.775's
	 * "AIS is cleared by frame alignment" applies, or it would find the
	 * all-ones periods before the alignment again; the bits it runs over
	 * here are unaligned time.
	 */
	defect_advance(rx, bit);
	if (rx->ever_aligned)
		rx->cnt.realignments++;
	rx->ever_aligned = true;
	emit(rx, TDMX_FR_EV_FRAME_SYNC, bit);
	set_alarm(rx, TDMX_FR_ALARM_LOF, &rx->lof, false, bit);
	/* G.775: AIS is cleared by finding frame alignment */
	tdmx_defect_clear_ais(&rx->defect, bit, &rx->sink);
	rx->aligned = true;
	rx->pos = bit;
	rx->frame = 0;
	rx->f_hist = 0;
	rx->sf_bit = bit;
	rx->prev_sf_bit = bit;
	rx->crc = 0;
	rx->prev_crc_valid = false;
	rx->rx_c = 0;
	rx->fdl = 0;
	rx->fdl_count = 0;
	rx->fdl_bad_words = 0;
	rx->d4_bit2 = false;
	rx->d4_prev_verdict = -1;
	/* every channel's signalling is reported afresh on each alignment */
	tdmx_fr_memset(rx->abcd, ABCD_NONE, sizeof(rx->abcd));
	tdmx_fr_memset(rx->abcd_cand, ABCD_NONE, sizeof(rx->abcd_cand));
	tdmx_fr_memset(rx->abcd_seen, 0, sizeof(rx->abcd_seen));
}

/* Everything that hangs on the frame alignment (yellow, CRC-6) goes with it. */
static void lose_frame(struct tdmx_t1_rx *rx, u64 bit)
{
	payload_flush(rx);
	emit(rx, TDMX_FR_EV_FRAME_LOSS, bit);
	set_alarm(rx, TDMX_FR_ALARM_YELLOW, &rx->yellow, false, bit);
	set_alarm(rx, TDMX_FR_ALARM_LOF, &rx->lof, true, bit);
	start_hunt(rx, bit + 1);
}

/* Checks frame @n's F bit; returns true when it completed the loss criterion. */
static bool framing_bit(struct tdmx_t1_rx *rx, unsigned int n, unsigned int f)
{
	unsigned int want;
	bool err;

	if (is_esf(rx)) {
		/* only the FPS bits are framing bits; C and FDL bits carry data */
		if (n % 4 != 3)
			return false;
		want = (TDMX_T1_ESF_FPS >> (5 - n / 4)) & 1;
	} else {
		/* G.706 2.1.1: all 12 F bits (Ft and Fs) are checked */
		want = (TDMX_T1_D4_FBITS >> (11 - n)) & 1;
	}
	err = f != want;
	rx->f_hist = ((rx->f_hist << 1) | err) & LOSS_WINDOW;
	if (!err)
		return false;
	rx->cnt.fas_errors++;
	/* T1.231: a D4 framing bit error is the anomaly behind ES (no CRC) */
	if (!is_esf(rx))
		tdmx_perf_anomaly(&rx->perf);
	return tdmx_fr_weight8(rx->f_hist) >= LOSS_ERRORS;
}

/* G.704 2.1.3.1.3: C1..C6 of this ESF are the CRC-6 of the previous one. */
static void crc6_check(struct tdmx_t1_rx *rx)
{
	bool bad;

	if (!rx->prev_crc_valid)
		return;
	bad = rx->rx_c != rx->prev_crc;
	tdmx_perf_block(&rx->perf, bad);
	if (!bad)
		return;
	rx->cnt.crc_errors++;
	emit(rx, TDMX_FR_EV_CRC6_ERROR, rx->prev_sf_bit);
}

/* A 16-bit word that is 00FF at some rotation: eight 1s in one cyclic run. */
static bool is_yellow_word(u32 w)
{
	u32 edges = w ^ rotl(w, 1, 16);

	return tdmx_fr_weight8(w) + tdmx_fr_weight8(w >> 8) == 8 &&
	       tdmx_fr_weight8(edges) + tdmx_fr_weight8(edges >> 8) == 2;
}

/*
 * T1.403 yellow on the FDL: on when the last 64 FDL bits are 00FF four
 * times (at whatever phase the far end sends it); off when four consecutive
 * 16-bit words, counted from alignment, are not 00FF at any rotation.
 */
static void fdl_bit(struct tdmx_t1_rx *rx, unsigned int f, u64 bit)
{
	rx->fdl = (rx->fdl << 1) | f;
	/* saturate but keep the count modulo the word length */
	if (++rx->fdl_count >= YELLOW_FDL_BITS + YELLOW_WORD_BITS)
		rx->fdl_count -= YELLOW_WORD_BITS;
	if (rx->fdl_count < YELLOW_FDL_BITS)
		return;
	if (!rx->yellow) {
		if (rx->fdl == YELLOW_FDL_64) {
			rx->fdl_bad_words = 0;
			set_alarm(rx, TDMX_FR_ALARM_YELLOW, &rx->yellow, true,
				  bit - YELLOW_BACK_BITS);
		}
		return;
	}
	if (rx->fdl_count % YELLOW_WORD_BITS)
		return;
	if (is_yellow_word(rx->fdl & 0xFFFF)) {
		rx->fdl_bad_words = 0;
		return;
	}
	if (++rx->fdl_bad_words >= YELLOW_WORDS)
		set_alarm(rx, TDMX_FR_ALARM_YELLOW, &rx->yellow, false, bit - YELLOW_BACK_BITS);
}

static void esf_frame(struct tdmx_t1_rx *rx, unsigned int n, unsigned int f,
		      const u8 *ch, u64 bit)
{
	/* G.704 2.1.3.1.3: CRC-6 over the ESF with every F bit taken as 1 */
	rx->crc = tdmx_crc6_shift_frame(rx->crc) ^ tdmx_crc6_frame(ch);
	if (!(n & 1)) {
		/* G.704 2.1.3.1.2: the FDL is the F bit of odd frames (1, 3, ...) */
		fdl_bit(rx, f, bit);
	} else if (n % 4 == 1) {
		/* C1..C6 in frames 2, 6, ..., 22 */
		rx->rx_c = (rx->rx_c << 1) | f;
		if (n == 21)
			crc6_check(rx);
	}
	if (n == ESF_FRAMES - 1) {
		rx->prev_crc = rx->crc;
		rx->prev_crc_valid = true;
		rx->crc = 0;
		rx->rx_c = 0;
	}
}

/*
 * D4 yellow (T1.403): bit 2 of every channel is 0. Each superframe gives a
 * verdict; two consecutive equal verdicts that differ from the state change
 * it, dated at the first of the two superframes.
 */
static void d4_frame(struct tdmx_t1_rx *rx, unsigned int n, const u8 *ch)
{
	u8 any = 0;
	int c;
	int verdict;

	for (c = 0; c < TDMX_T1_CHANNELS; c++)
		any |= ch[c];
	if (any & D4_YELLOW_BIT)
		rx->d4_bit2 = true;
	if (n != D4_FRAMES - 1)
		return;
	verdict = !rx->d4_bit2;
	if (verdict == rx->d4_prev_verdict)
		set_alarm(rx, TDMX_FR_ALARM_YELLOW, &rx->yellow, verdict, rx->prev_sf_bit);
	rx->d4_prev_verdict = verdict;
	rx->d4_bit2 = false;
}

static void abcd_event(struct tdmx_t1_rx *rx, unsigned int c, u8 v, u64 bit)
{
	struct tdmx_fr_event ev = {
		.bit = bit, .type = TDMX_FR_EV_ABCD, .ts = c, .abcd = v,
	};

	tdmx_fr_emit(&rx->sink, &ev);
}

/* End of a superframe: the signalling of every channel is complete. */
static void robbed_report(struct tdmx_t1_rx *rx, u64 bit)
{
	unsigned int c;
	u8 v;

	for (c = 1; c <= TDMX_T1_CHANNELS; c++) {
		unsigned int a = (rx->rb[0] >> (c - 1)) & 1;
		unsigned int b = (rx->rb[1] >> (c - 1)) & 1;

		if (is_esf(rx))
			v = a << 3 | b << 2 | ((rx->rb[2] >> (c - 1)) & 1) << 1 |
			    ((rx->rb[3] >> (c - 1)) & 1);
		else	/* D4 has A and B only: C = A, D = B as DAHDI reports them */
			v = a << 3 | b << 2 | a << 1 | b;
		if (rx->abcd[c] == ABCD_NONE) {
			rx->abcd[c] = v;
			abcd_event(rx, c, v, bit);
			continue;
		}
		if (v == rx->abcd[c]) {
			rx->abcd_seen[c] = 0;
			continue;
		}
		if (v != rx->abcd_cand[c]) {
			rx->abcd_cand[c] = v;
			rx->abcd_seen[c] = 0;
		}
		/* a new value must repeat abcd_debounce more superframes */
		if (rx->abcd_seen[c]++ < rx->cfg.abcd_debounce)
			continue;
		rx->abcd_seen[c] = 0;
		rx->abcd[c] = v;
		abcd_event(rx, c, v, bit);
	}
}

/* G.704 2.1.3: the LSB of every channel in frames 6, 12 (D4) and 18, 24 (ESF). */
static void robbed_frame(struct tdmx_t1_rx *rx, unsigned int n, const u8 *ch, u64 bit)
{
	u32 m = 0;
	int c;

	for (c = 0; c < TDMX_T1_CHANNELS; c++)
		m |= (u32)(ch[c] & 1) << c;
	rx->rb[n / 6] = m;
	if (n == (is_esf(rx) ? ESF_FRAMES : D4_FRAMES) - 1)
		robbed_report(rx, bit);
}

static void rx_frame(struct tdmx_t1_rx *rx)
{
	u8 ch[TDMX_T1_CHANNELS];
	u64 bit = rx->pos;
	unsigned int n = rx->frame;
	unsigned int f = frame_at(rx, bit, ch);

	if (framing_bit(rx, n, f)) {
		lose_frame(rx, bit);
		return;
	}
	if (!n) {
		rx->prev_sf_bit = rx->sf_bit;
		rx->sf_bit = bit;
	}
	rx->cnt.frames++;
	payload_put(rx, ch, bit);
	if (is_esf(rx))
		esf_frame(rx, n, f, ch, bit);
	else
		d4_frame(rx, n, ch);
	if (rx->cfg.robbed_bits && n % 6 == 5)
		robbed_frame(rx, n, ch, bit);
	rx->pos += FRAME_BITS;
	if (++rx->frame == (is_esf(rx) ? ESF_FRAMES : D4_FRAMES))
		rx->frame = 0;
}

static void process(struct tdmx_t1_rx *rx)
{
	u64 sync;

	for (;;) {
		if (!rx->aligned) {
			sync = hunt(rx);
			if (sync == NEED_DATA)
				return;
			gain_frame(rx, sync);
		}
		while (rx->aligned && rx->pos + FRAME_BITS <= avail_end(rx)) {
			defect_advance(rx, rx->pos);
			rx_frame(rx);
		}
		if (rx->aligned)
			return;
	}
}

/* Drop window octets that neither the framer nor the detector needs again. */
static void compact(struct tdmx_t1_rx *rx)
{
	u64 keep = rx->pos < rx->defect.pos ? rx->pos : rx->defect.pos;
	u64 drop = (keep >> 3) - rx->win_base;

	if (!drop)
		return;
	rx->win_len -= drop;
	__builtin_memmove(rx->win, rx->win + drop, rx->win_len);
	rx->win_base += drop;
}

/**
 * tdmx_t1_rx_init() - set up a receiver at stream bit 0
 * @rx: receiver
 * @cfg: framing and options; a framing other than TDMX_T1_ESF means D4
 * @sink: where events and payload go (copied); may be NULL
 *
 * The receiver starts hunting; LOF is not declared until an alignment has
 * been lost.
 */
void tdmx_t1_rx_init(struct tdmx_t1_rx *rx, const struct tdmx_t1_config *cfg,
		     const struct tdmx_fr_sink *sink)
{
	tdmx_crc_init();
	tdmx_fr_memset(rx, 0, sizeof(*rx));
	rx->cfg = *cfg;
	if (rx->cfg.framing != TDMX_T1_ESF)
		rx->cfg.framing = TDMX_T1_D4;
	if (sink)
		rx->sink = *sink;
	tdmx_defect_init(&rx->defect, TDMX_T1_LOS_ZEROS, TDMX_T1_AIS_PERIOD);
	tdmx_perf_init(&rx->perf, TDMX_T1_BITS_PER_SECOND);
	tdmx_fr_memset(rx->abcd, ABCD_NONE, sizeof(rx->abcd));
	rx->d4_prev_verdict = -1;
}

/**
 * tdmx_t1_rx_feed() - receive the next octets of the line
 * @rx: receiver
 * @data: raw line bits, first bit in the MSB of the first octet
 * @len: octets; any length, including 0
 *
 * Events and payload are reported through the sink before this returns,
 * up to the last frame that is complete in the data so far; the LOS/AIS
 * detector runs up to the octet before the framer's position (while ESF
 * hunts, before the earliest bit an ESF found from the candidate could
 * start: up to 23 frames behind it).
 */
void tdmx_t1_rx_feed(struct tdmx_t1_rx *rx, const u8 *data, size_t len)
{
	while (len) {
		u32 room = TDMX_T1_WIN - rx->win_len;
		u32 n = len < room ? (u32)len : room;

		/* cannot happen: the framer always stops within a hunt's look-ahead */
		if (!n)
			break;
		tdmx_fr_memcpy(rx->win + rx->win_len, data, n);
		rx->win_len += n;
		data += n;
		len -= n;
		process(rx);
		compact(rx);
	}
}

/**
 * tdmx_t1_rx_flush() - the stream has ended (for now)
 * @rx: receiver
 *
 * Runs the LOS/AIS detector over the octets received so far and delivers
 * the partial payload block. Frame state is kept: the receiver may be fed
 * again afterwards and continues as if the stream had not been interrupted,
 * except that a hunt goes on from the end of the flushed octets (the
 * detector has judged them unaligned), so no alignment starts before it.
 */
void tdmx_t1_rx_flush(struct tdmx_t1_rx *rx)
{
	defect_advance(rx, avail_end(rx));
	payload_flush(rx);
	/* the detector has judged every bit so far as unaligned */
	if (!rx->aligned)
		start_hunt(rx, rx->pos);
}

/**
 * tdmx_t1_rx_aligned() - is the receiver in frame alignment?
 * @rx: receiver
 *
 * Return: true while frames are being received and delivered.
 */
bool tdmx_t1_rx_aligned(const struct tdmx_t1_rx *rx)
{
	return rx->aligned;
}

/**
 * tdmx_t1_rx_yellow() - is the yellow alarm (remote alarm) declared?
 * @rx: receiver
 *
 * Return: the state last reported by a TDMX_FR_ALARM_YELLOW event.
 */
bool tdmx_t1_rx_yellow(const struct tdmx_t1_rx *rx)
{
	return rx->yellow;
}

/**
 * tdmx_t1_rx_counters() - the receiver's counters
 * @rx: receiver
 *
 * Return: monotonic counters: frames, fas_errors (errored D4 F bits or ESF
 * FPS bits), crc_errors (CRC-6), realignments, G.826 seconds.
 */
const struct tdmx_fr_counters *tdmx_t1_rx_counters(const struct tdmx_t1_rx *rx)
{
	return &rx->cnt;
}
