// SPDX-License-Identifier: GPL-2.0-only
/*
 * E1 receiver: frame alignment (G.706 4.1) over a raw bitstream fed in
 * chunks of any length, with no knowledge of octet or frame boundaries.
 *
 * The receiver keeps a window on the stream and one or two alignments:
 * the primary carries traffic; the secondary is the G.706 4.2 re-search
 * for a CRC-4 multiframe that runs beside it (see e1_crc4.c). The two are
 * stepped in stream order, the one further behind first, and the LOS/AIS
 * detector runs in lock-step just behind them, so events come out in
 * stream order.
 *
 * Event bits: frame_sync points at the first frame of the verified
 * FAS/NFAS/FAS triple; frame_loss at the frame whose FAS (or NFAS) error
 * completed the loss criterion; alarm edges at the frame where the alarm
 * state changed.
 */
#include "e1_internal.h"
#include "crc.h"

/* G.706 4.1.1: three consecutive incorrect FAS lose alignment */
#define E1_LOSS_FAS 3
/* O.162 2.1.4: the A bit must hold for three consecutive NFAS */
#define E1_RAI_FRAMES 3
/* a hunt candidate needs FAS, NFAS and FAS: two frames and an octet */
#define E1_HUNT_BITS (2 * TDMX_E1_FRAME_BITS + 8)
/* a whole frame: at a bit offset its last bits are in a 33rd octet */
#define E1_FRAME_NEED TDMX_E1_FRAME_BITS

/**
 * e1_emit() - report an event that has no fields beyond its bit
 * @rx: receiver
 * @type: enum tdmx_fr_ev_type
 * @bit: the frame it belongs to
 */
void e1_emit(struct tdmx_e1_rx *rx, unsigned int type, u64 bit)
{
	struct tdmx_fr_event ev = { .bit = bit, .type = type };

	tdmx_fr_emit(&rx->sink, &ev);
}

/**
 * e1_alarm() - change an alarm state, reporting the edge if it is one
 * @rx: receiver
 * @alarm: enum tdmx_fr_alarm
 * @state: where the receiver keeps that alarm's state
 * @on: the new state
 * @bit: the frame where it changed
 */
void e1_alarm(struct tdmx_e1_rx *rx, unsigned int alarm, bool *state, bool on, u64 bit)
{
	if (*state == on)
		return;
	*state = on;
	tdmx_fr_emit_alarm(&rx->sink, bit, alarm, on);
}

static u64 avail_end(const struct tdmx_e1_rx *rx)
{
	return (rx->win_base + rx->win_len) * 8;
}

static const u8 *win_at(const struct tdmx_e1_rx *rx, u64 bit)
{
	return rx->win + ((bit >> 3) - rx->win_base);
}

static u8 octet_at(const struct tdmx_e1_rx *rx, u64 bit)
{
	const u8 *p = win_at(rx, bit);
	unsigned int sh = bit & 7;

	return (u8)(((p[0] << 8) | p[1]) >> (8 - sh));
}

/* The 32 octets of the frame starting at @bit, whatever its bit offset. */
static void frame_at(const struct tdmx_e1_rx *rx, u64 bit, u8 *f)
{
	const u8 *p = win_at(rx, bit);
	unsigned int sh = bit & 7;
	int i;

	if (!sh) {
		tdmx_fr_memcpy(f, p, TDMX_E1_FRAME_OCTETS);
		return;
	}
	for (i = 0; i < TDMX_E1_FRAME_OCTETS; i += 8)
		tdmx_fr_store_be64(f + i, (tdmx_fr_load_be64(p + i) << sh) |
				   (p[i + 8] >> (8 - sh)));
}

static bool is_fas(u8 ts0)
{
	return (ts0 & E1_FAS_MASK) == E1_FAS;
}

/*
 * Transpose an 8x8 block of octets held as eight big-endian words: row r
 * (frame r) becomes column r (timeslot octet r of each output word).
 */
static void transpose8(u64 *w)
{
	static const u64 m[3] = {
		0x00FF00FF00FF00FFULL, 0x0000FFFF0000FFFFULL, 0x00000000FFFFFFFFULL,
	};
	int s, i, j;

	for (s = 0; s < 3; s++) {
		int d = 1 << s;

		for (i = 0; i < 8; i += 2 * d) {
			for (j = i; j < i + d; j++) {
				u64 t = (w[j] ^ (w[j + d] >> (8 * d))) & m[s];

				w[j] ^= t;
				w[j + d] ^= t << (8 * d);
			}
		}
	}
}

static void payload_flush(struct tdmx_e1_rx *rx)
{
	unsigned int n = rx->pl.nframes, f, c, i;
	u64 w[8];

	if (!n || !rx->sink.payload) {
		rx->pl.nframes = 0;
		return;
	}
	/* frames were stored whole; de-interleave 8 timeslots at a time */
	for (c = 0; c < TDMX_E1_FRAME_OCTETS; c += 8) {
		for (f = 0; f < 8; f++)
			w[f] = tdmx_fr_load_be64(rx->pl_frames[f] + c);
		transpose8(w);
		for (i = 0; i < 8; i++)
			tdmx_fr_store_be64(rx->pl.ts[c + i], w[i]);
	}
	rx->sink.payload(rx->sink.ctx, &rx->pl);
	rx->pl.nframes = 0;
}

static void payload_put(struct tdmx_e1_rx *rx, const u8 *f, u64 bit)
{
	if (!rx->sink.payload)
		return;
	if (!rx->pl.nframes)
		rx->pl.bit = bit;
	tdmx_fr_memcpy(rx->pl_frames[rx->pl.nframes], f, TDMX_E1_FRAME_OCTETS);
	if (++rx->pl.nframes == TDMX_FR_BLOCK_FRAMES)
		payload_flush(rx);
}

/*
 * Run the LOS/AIS detector and G.826 time up to @bit, in steps of at least
 * E1_DEFECT_STEP bits (unless @force) so the work is batched; the detector
 * trails the frames by less than that, whatever the chunk sizes fed.
 */
#define E1_DEFECT_STEP 512
static void defect_advance(struct tdmx_e1_rx *rx, u64 bit, bool force)
{
	u64 to = bit >> 3;
	u64 from = rx->defect.pos >> 3;
	u32 n;

	if (!force && bit < rx->defect.pos + E1_DEFECT_STEP)
		return;
	while (to > from) {
		n = to - from > 64 ? 64 : (u32)(to - from);
		tdmx_defect_feed(&rx->defect, rx->win + (from - rx->win_base), n,
				 &rx->sink);
		if (rx->defect.los || rx->defect.ais ||
		    (rx->cfg.framing != TDMX_E1_UNFRAMED && rx->pri.state != E1_ALIGNED))
			tdmx_perf_defect(&rx->perf);
		tdmx_perf_advance(&rx->perf, n * 8, &rx->cnt);
		from += n;
	}
}

/**
 * e1_lose_frame() - declare loss of frame alignment and hunt again
 * @rx: receiver
 * @bit: start of the frame that completed the loss criterion
 *
 * The hunt restarts just after that frame's start; everything that hangs
 * on the frame alignment (CRC-4, CAS, remote alarm) goes with it.
 */
void e1_lose_frame(struct tdmx_e1_rx *rx, u64 bit)
{
	payload_flush(rx);
	e1_emit(rx, TDMX_FR_EV_FRAME_LOSS, bit);
	if (rx->cfg.framing == TDMX_E1_CRC4)
		e1_crc4_stop(rx, bit);
	if (rx->cfg.cas)
		e1_cas_stop(rx, bit);
	e1_alarm(rx, TDMX_FR_ALARM_RAI, &rx->rai, false, bit);
	e1_alarm(rx, TDMX_FR_ALARM_LOF, &rx->lof, true, bit);
	rx->rai_run = 0;
	rx->pri.state = E1_HUNT;
	rx->pri.pos = bit + 1;
}

static void gain_frame(struct tdmx_e1_rx *rx, u64 bit)
{
	/*
	 * The detector must have judged the signal up to here before G.775's
	 * "AIS is cleared by frame alignment" applies, or it would find the
	 * all-ones periods before the alignment again.
	 */
	defect_advance(rx, bit, true);
	if (rx->ever_aligned)
		rx->cnt.realignments++;
	rx->ever_aligned = true;
	e1_emit(rx, TDMX_FR_EV_FRAME_SYNC, bit);
	e1_alarm(rx, TDMX_FR_ALARM_LOF, &rx->lof, false, bit);
	tdmx_defect_clear_ais(&rx->defect, bit, &rx->sink);
	tdmx_fr_memset(&rx->pri, 0, sizeof(rx->pri));
	rx->pri.state = E1_ALIGNED;
	rx->pri.pos = bit;
	rx->rai_run = 0;
	if (rx->cfg.framing == TDMX_E1_CRC4)
		e1_crc4_start(rx);
	if (rx->cfg.cas)
		e1_cas_start(rx);
}

enum hunt_result {
	HUNT_FOUND,
	HUNT_NEED_DATA,
	HUNT_AT_LIMIT,
};

/*
 * G.706 4.1.2: FAS in frame n, NFAS bit 2 = 1 in frame n+1, FAS in frame
 * n+2. A failed candidate restarts the search one bit after it. Scans up
 * to @limit, leaving a->pos on the verified FAS when found.
 */
static enum hunt_result hunt(struct tdmx_e1_rx *rx, struct tdmx_e1_align *a, u64 limit)
{
	u64 end = avail_end(rx);

	while (a->pos < limit) {
		if (a->pos + E1_HUNT_BITS > end)
			return HUNT_NEED_DATA;
		if (is_fas(octet_at(rx, a->pos)) &&
		    (octet_at(rx, a->pos + TDMX_E1_FRAME_BITS) & E1_NFAS_BIT2) &&
		    is_fas(octet_at(rx, a->pos + 2 * TDMX_E1_FRAME_BITS)))
			return HUNT_FOUND;
		a->pos++;
	}
	return HUNT_AT_LIMIT;
}

static void remote_alarm(struct tdmx_e1_rx *rx, u8 ts0, u64 bit)
{
	bool a = ts0 & E1_NFAS_A;

	if (a == rx->rai) {
		rx->rai_run = 0;
		return;
	}
	if (++rx->rai_run < E1_RAI_FRAMES)
		return;
	rx->rai_run = 0;
	e1_alarm(rx, TDMX_FR_ALARM_RAI, &rx->rai, a, bit);
}

/* Returns true when the frame's TS0 completed a loss criterion. */
static bool check_ts0(struct tdmx_e1_rx *rx, struct tdmx_e1_align *a, u8 ts0)
{
	if (!(a->frame & 1)) {
		if (is_fas(ts0)) {
			a->bad_fas = 0;
			return false;
		}
		if (a == &rx->pri) {
			rx->cnt.fas_errors++;
			if (rx->cfg.framing != TDMX_E1_CRC4 || rx->interworking)
				tdmx_perf_anomaly(&rx->perf);
		}
		return ++a->bad_fas >= E1_LOSS_FAS;
	}
	if (ts0 & E1_NFAS_BIT2) {
		a->bad_nfas = 0;
		return false;
	}
	/* G.706 4.1.1 option: three consecutive NFAS with bit 2 = 0 */
	return rx->cfg.nfas_loss && ++a->bad_nfas >= E1_LOSS_FAS;
}

static bool step_primary(struct tdmx_e1_rx *rx, u64 limit)
{
	struct tdmx_e1_align *a = &rx->pri;
	u8 f[TDMX_E1_FRAME_OCTETS];
	u64 bit = a->pos;

	if (a->state == E1_HUNT) {
		enum hunt_result r = hunt(rx, a, limit);

		if (r == HUNT_FOUND)
			gain_frame(rx, a->pos);
		return r != HUNT_NEED_DATA;
	}
	if (bit + E1_FRAME_NEED > avail_end(rx))
		return false;
	frame_at(rx, bit, f);
	if (check_ts0(rx, a, f[0])) {
		e1_lose_frame(rx, bit);
		return true;
	}
	/* the A bit counts only in a valid NFAS after a correct FAS */
	if ((a->frame & 1) && (f[0] & E1_NFAS_BIT2) && !a->bad_fas)
		remote_alarm(rx, f[0], bit);
	if (rx->cfg.framing == TDMX_E1_CRC4 && !rx->interworking &&
	    e1_crc4_rx_frame(rx, f, bit))
		return true;
	if (rx->cfg.cas)
		e1_cas_rx_frame(rx, f[16], bit);
	payload_put(rx, f, bit);
	rx->cnt.frames++;
	a->frame++;
	a->pos += TDMX_E1_FRAME_BITS;
	return true;
}

/*
 * The G.706 4.2 re-search: an alignment that carries no traffic and is
 * tried for a CRC-4 multiframe for 8 ms; when it finds one it replaces the
 * primary (e1_crc4.c). Only TS0 is looked at.
 */
static bool step_secondary(struct tdmx_e1_rx *rx, u64 limit)
{
	struct tdmx_e1_align *a = &rx->sec;
	u8 ts0;

	if (a->state == E1_HUNT) {
		enum hunt_result r = hunt(rx, a, limit);
		u64 found;

		if (r != HUNT_FOUND)
			return r != HUNT_NEED_DATA;
		found = a->pos;

		tdmx_fr_memset(a, 0, sizeof(*a));
		a->pos = found;
		a->cand = found;
		a->state = E1_ALIGNED;
		a->mfas_deadline = E1_MF_SEARCH_FRAMES;
		return true;
	}
	if (a->pos + 16 > avail_end(rx))
		return false;
	ts0 = octet_at(rx, a->pos);
	if (check_ts0(rx, a, ts0)) {
		a->state = E1_HUNT;
		a->pos++;
		return true;
	}
	e1_crc4_sec_frame(rx, ts0);
	return true;
}

static void step_unframed(struct tdmx_e1_rx *rx)
{
	u8 f[TDMX_E1_FRAME_OCTETS];

	while (rx->pri.pos + E1_FRAME_NEED <= avail_end(rx)) {
		defect_advance(rx, rx->pri.pos, false);
		frame_at(rx, rx->pri.pos, f);
		payload_put(rx, f, rx->pri.pos);
		rx->cnt.frames++;
		rx->pri.pos += TDMX_E1_FRAME_BITS;
	}
}

static void process(struct tdmx_e1_rx *rx)
{
	bool progress = true;

	if (rx->cfg.framing == TDMX_E1_UNFRAMED) {
		step_unframed(rx);
		return;
	}
	while (progress) {
		if (rx->sec_active && rx->sec.pos < rx->pri.pos) {
			defect_advance(rx, rx->sec.pos, false);
			progress = step_secondary(rx, rx->pri.pos + 1);
		} else {
			defect_advance(rx, rx->pri.pos, false);
			progress = step_primary(rx, rx->sec_active ? rx->sec.pos + 1 : ~0ULL);
		}
	}
}

/*
 * Drop window octets that no alignment will look at again; the detector
 * is first run over them (a long hunt can leave it far behind).
 */
static void compact(struct tdmx_e1_rx *rx)
{
	u64 keep = rx->pri.pos;
	u64 drop;

	if (rx->sec_active && rx->sec.pos < keep)
		keep = rx->sec.pos;
	defect_advance(rx, keep, false);
	if (rx->defect.pos < keep)
		keep = rx->defect.pos;
	if ((keep >> 3) <= rx->win_base)
		return;
	drop = (keep >> 3) - rx->win_base;
	rx->win_len -= drop;
	__builtin_memmove(rx->win, rx->win + drop, rx->win_len);
	rx->win_base += drop;
}

/**
 * tdmx_e1_rx_init() - set up a receiver at stream bit 0
 * @rx: receiver
 * @cfg: framing and options
 * @sink: where events and payload go (copied)
 */
void tdmx_e1_rx_init(struct tdmx_e1_rx *rx, const struct tdmx_e1_config *cfg,
		     const struct tdmx_fr_sink *sink)
{
	tdmx_crc_init();
	tdmx_fr_memset(rx, 0, sizeof(*rx));
	rx->cfg = *cfg;
	if (sink)
		rx->sink = *sink;
	tdmx_defect_init(&rx->defect, TDMX_E1_LOS_ZEROS, TDMX_E1_AIS_PERIOD);
	tdmx_perf_init(&rx->perf, TDMX_E1_BITS_PER_SECOND);
	rx->pri.state = E1_HUNT;
}

/**
 * tdmx_e1_rx_feed() - receive the next octets of the line
 * @rx: receiver
 * @data: raw line bits, first bit in the MSB of the first octet
 * @len: octets; any length, including 0
 *
 * Events and payload are reported through the sink before this returns,
 * up to the last frame that is complete in the data so far.
 */
void tdmx_e1_rx_feed(struct tdmx_e1_rx *rx, const u8 *data, size_t len)
{
	while (len) {
		u32 room = TDMX_E1_WIN - rx->win_len;
		u32 n = len < room ? (u32)len : room;

		/* cannot happen: every alignment stops within 100 octets of the end */
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
 * tdmx_e1_rx_flush() - the stream has ended
 * @rx: receiver
 *
 * Runs the defect detector over the remaining octets and delivers the
 * partial payload block. The receiver may be fed again afterwards.
 */
void tdmx_e1_rx_flush(struct tdmx_e1_rx *rx)
{
	defect_advance(rx, avail_end(rx), true);
	payload_flush(rx);
}

/**
 * tdmx_e1_rx_aligned() - is the receiver in frame alignment?
 * @rx: receiver
 *
 * Return: true while frames are being received (never for unframed).
 */
bool tdmx_e1_rx_aligned(const struct tdmx_e1_rx *rx)
{
	return rx->cfg.framing != TDMX_E1_UNFRAMED && rx->pri.state == E1_ALIGNED;
}

/**
 * tdmx_e1_rx_crc4_aligned() - is CRC-4 multiframe alignment held?
 * @rx: receiver
 *
 * Return: true while CRC-4 blocks are being checked.
 */
bool tdmx_e1_rx_crc4_aligned(const struct tdmx_e1_rx *rx)
{
	return rx->crc4_aligned;
}

/**
 * tdmx_e1_rx_remote_alarm_wanted() - should our transmitter send A = 1?
 * @rx: receiver
 *
 * G.732 4.2.3: the A bit reports loss of signal, AIS or loss of frame
 * alignment at the receiving end.
 *
 * Return: true while any of those defects is present.
 */
bool tdmx_e1_rx_remote_alarm_wanted(const struct tdmx_e1_rx *rx)
{
	return rx->defect.los || rx->defect.ais || !tdmx_e1_rx_aligned(rx);
}

/**
 * tdmx_e1_rx_counters() - the receiver's counters
 * @rx: receiver
 *
 * Return: monotonic counters (frames, errors, G.826 seconds).
 */
const struct tdmx_fr_counters *tdmx_e1_rx_counters(const struct tdmx_e1_rx *rx)
{
	return &rx->cnt;
}
