// SPDX-License-Identifier: GPL-2.0-only
/*
 * HDLC over a timeslot, as Q.921 uses it on the D channel (ISO/IEC 13239
 * frame structure): flags, zero-bit insertion, FCS-16, abort and idle fill.
 *
 * Two bit orders meet here. The MSB of a timeslot octet is the first bit
 * on the line; HDLC sends each of its own octets LSB first (Q.921 2.8.2).
 * At 56 kbit/s only the first seven bits of each timeslot octet (MSB down
 * to bit 1) carry HDLC; the transmitter sets bit 0 to 1 and the receiver
 * ignores it.
 */
#include "hdlc.h"
#include "crc.h"

/* Q.921 2.2: a flag is one 0, six 1s and one 0 (the octet reads the same either way). */
#define FLAG		0x7E
/* Q.921 2.10: seven or more 1s abort a frame; a whole octet of them is sent. */
#define ABORT_ONES	0xFF

enum {
	TX_IDLE,	/* idle fill, no frame */
	TX_QUEUED,	/* frame copied in, its opening flag not queued yet */
	TX_DATA,	/* frame content being queued */
};

static void rx_apply_config(struct tdmx_hdlc_rx *rx, const struct tdmx_hdlc_config *cfg)
{
	if (cfg)
		rx->cfg = *cfg;
	if (!rx->cfg.min_len)
		rx->cfg.min_len = 1;
	if (!rx->cfg.max_len || rx->cfg.max_len > TDMX_HDLC_MAX_FRAME - 2)
		rx->cfg.max_len = TDMX_HDLC_MAX_FRAME - 2;
}

/**
 * tdmx_hdlc_rx_init() - reset a receiver
 * @rx: receiver
 * @cfg: settings; NULL or zero @min_len / @max_len select the defaults
 *	(1 and TDMX_HDLC_MAX_FRAME - 2); a larger @max_len is clamped to that
 * @frame: called for every good frame, may be NULL (frames are then only
 *	counted); the octets it gets live in @rx and are valid during the
 *	call only; it must not feed or reset @rx itself
 * @ctx: first argument of @frame
 *
 * The receiver starts hunting for a flag with all counters at zero, as if
 * after marks: a flag is taken once a 0 has been seen before it.
 */
void tdmx_hdlc_rx_init(struct tdmx_hdlc_rx *rx, const struct tdmx_hdlc_config *cfg,
		       tdmx_hdlc_frame_fn frame, void *ctx)
{
	tdmx_crc_init();
	tdmx_fr_memset(rx, 0, __builtin_offsetof(struct tdmx_hdlc_rx, buf));
	rx_apply_config(rx, cfg);
	rx->frame = frame;
	rx->ctx = ctx;
	rx->ones = 7;
	rx->hunt = true;
}

/*
 * A flag closed @len octets and @nacc bits of content. Exactly one counter
 * moves for a non-empty frame; back-to-back flags are not a frame at all.
 */
static void rx_close(struct tdmx_hdlc_rx *rx, unsigned int len, unsigned int nacc)
{
	if (!len && !nacc)
		return;
	/* Q.921 2.9 c): not an integral number of octets after zero-bit deletion. */
	if (nacc) {
		rx->cnt.misaligned++;
		return;
	}
	/* Q.921 2.9 b): frames too short for their fields; an FCS alone is one. */
	if (len < 3 || len - 2 < rx->cfg.min_len) {
		rx->cnt.too_short++;
		return;
	}
	/* Q.921 2.7: the register over content and FCS ends at the good residue. */
	if (tdmx_fcs16_update(TDMX_FCS16_INIT, rx->buf, len) != TDMX_FCS16_GOOD) {
		rx->cnt.fcs_errors++;
		return;
	}
	rx->cnt.frames++;
	if (rx->frame)
		rx->frame(rx->ctx, rx->buf, len);
}

/**
 * tdmx_hdlc_rx_octets() - receive timeslot octets
 * @rx: receiver
 * @octets: timeslot octets, the first bit on the line in the MSB
 * @n: number of octets
 *
 * Runs the flag hunt over every bit, deletes inserted zeros and calls the
 * frame callback for each good frame before returning. Any input is safe.
 *
 * A zero's role is only known from the run of ones after it: followed by
 * fewer than six ones and a 0 it is content, followed by exactly six and
 * a 0 it opens a flag. So the receiver holds back one zero (@rx->zero) and
 * the run of ones (@rx->ones), and commits them when the next zero comes.
 * An octet above max_len + 2 counts the frame as too long at once and the
 * receiver goes back to hunting, so each frame moves one counter at most.
 */
void tdmx_hdlc_rx_octets(struct tdmx_hdlc_rx *rx, const u8 *octets, size_t n)
{
	const unsigned int width = rx->cfg.bits56 ? 7 : 8;
	const unsigned int cap = rx->cfg.max_len + 2u;
	unsigned int ones = rx->ones, zero = rx->zero, nacc = rx->nacc;
	unsigned int len = rx->len;
	bool hunt = rx->hunt;
	u32 acc = rx->acc;
	unsigned int i, v;

	while (n--) {
		v = *octets++;
		for (i = 0; i < width; i++, v <<= 1) {
			if (v & 0x80) {
				if (ones >= 7 || ++ones < 7)
					continue;
				/* Q.921 2.10: abort; only a frame with content counts. */
				if (!hunt && (len || nacc || zero))
					rx->cnt.aborts++;
				hunt = true;
				continue;
			}
			if (ones == 6) {
				/* Q.921 2.2: flag; the held zero was its first bit. */
				if (!hunt)
					rx_close(rx, len, nacc);
				hunt = false;
				len = 0;
				nacc = 0;
				acc = 0;
				zero = 0;
			} else if (!hunt) {
				/*
				 * The held zero (first) and the ones are content. Q.921
				 * 2.6: a 0 after five ones was inserted, drop it;
				 * any other 0 is held in turn.
				 */
				acc |= ((1u << ones) - 1) << zero << nacc;
				nacc += ones + zero;
				zero = ones < 5;
				if (nacc >= 8) {
					if (len < cap) {
						rx->buf[len++] = (u8)acc;
					} else {
						rx->cnt.too_long++;
						hunt = true;
					}
					acc >>= 8;
					nacc -= 8;
				}
			}
			ones = 0;
		}
	}
	rx->ones = ones;
	rx->zero = zero;
	rx->nacc = nacc;
	rx->len = len;
	rx->hunt = hunt;
	rx->acc = acc;
}

/**
 * tdmx_hdlc_rx_counters() - receiver counters
 * @rx: receiver
 *
 * Return: the counters, valid as long as @rx; they only grow until the next
 * tdmx_hdlc_rx_init().
 */
const struct tdmx_hdlc_counters *tdmx_hdlc_rx_counters(const struct tdmx_hdlc_rx *rx)
{
	return &rx->cnt;
}

/**
 * tdmx_hdlc_tx_init() - reset a transmitter
 * @tx: transmitter
 * @cfg: settings (@bits56, @idle_marks); NULL means 64 kbit/s, idle flags
 *
 * The transmitter starts idle with nothing queued; any frame is dropped.
 */
void tdmx_hdlc_tx_init(struct tdmx_hdlc_tx *tx, const struct tdmx_hdlc_config *cfg)
{
	tdmx_crc_init();
	tdmx_fr_memset(tx, 0, __builtin_offsetof(struct tdmx_hdlc_tx, buf));
	if (cfg)
		tx->cfg = *cfg;
	tx->state = TX_IDLE;
}

/**
 * tdmx_hdlc_tx_busy() - is a frame waiting or being sent
 * @tx: transmitter
 *
 * Return: true from tdmx_hdlc_tx_start() until the frame's last content
 * bits and closing flag are queued (up to 25 bits, i.e. four timeslot
 * octets, before they leave tdmx_hdlc_tx_octets()), or until
 * tdmx_hdlc_tx_abort().
 */
bool tdmx_hdlc_tx_busy(const struct tdmx_hdlc_tx *tx)
{
	return tx->state != TX_IDLE;
}

/**
 * tdmx_hdlc_tx_start() - queue one frame
 * @tx: transmitter
 * @payload: address, control and information octets
 * @len: octets in @payload, 1..TDMX_HDLC_MAX_FRAME - 2
 *
 * Copies @payload and appends its FCS; @payload may be reused on return.
 * The frame follows the flag that ends the previous frame or idle flags,
 * so frames sent back to back share one flag.
 *
 * Return: 0, -1 if a frame is still busy, -2 if @len is out of range
 * (checked first).
 */
int tdmx_hdlc_tx_start(struct tdmx_hdlc_tx *tx, const u8 *payload, unsigned int len)
{
	u16 fcs;

	if (!len || len > TDMX_HDLC_MAX_FRAME - 2)
		return -2;
	if (tx->state != TX_IDLE)
		return -1;
	tdmx_fr_memcpy(tx->buf, payload, len);
	/* Q.921 2.7: the ones' complement of the register, low octet first. */
	fcs = ~tdmx_fcs16_update(TDMX_FCS16_INIT, payload, len);
	tx->buf[len] = fcs & 0xFF;
	tx->buf[len + 1] = fcs >> 8;
	tx->len = len + 2;
	tx->pos = 0;
	tx->state = TX_QUEUED;
	return 0;
}

/**
 * tdmx_hdlc_tx_abort() - abandon the frame being sent
 * @tx: transmitter
 *
 * A frame still waiting for its opening flag is dropped silently; one whose
 * flag or content is on the way is ended by an octet of ones (Q.921 2.10)
 * before idle fill resumes. The transmitter is not busy afterwards. No-op
 * when not busy.
 */
void tdmx_hdlc_tx_abort(struct tdmx_hdlc_tx *tx)
{
	if (tx->state == TX_DATA)
		tx->abort = true;
	tx->state = TX_IDLE;
}

static inline void tx_push(struct tdmx_hdlc_tx *tx, unsigned int bits, unsigned int n)
{
	tx->q = (tx->q << n) | bits;
	tx->qn += n;
}

/* Queue one content octet LSB first; Q.921 2.6: a 0 after any five 1s. */
static inline void tx_push_content(struct tdmx_hdlc_tx *tx, unsigned int v)
{
	unsigned int ones = tx->ones, qn = tx->qn, i;
	u32 q = tx->q;

	for (i = 0; i < 8; i++, v >>= 1) {
		q = (q << 1) | (v & 1);
		qn++;
		if (!(v & 1)) {
			ones = 0;
		} else if (++ones == 5) {
			q <<= 1;
			qn++;
			ones = 0;
		}
	}
	tx->q = q;
	tx->qn = qn;
	tx->ones = ones;
}

/*
 * Queue the next piece of the line: at least 8 and at most 18 bits. It is
 * called with fewer than 8 bits queued, so @tx->q never holds more than 25.
 */
static void tx_refill(struct tdmx_hdlc_tx *tx)
{
	if (tx->abort) {
		tx_push(tx, ABORT_ONES, 8);
		tx->abort = false;
		tx->flag_last = false;
		return;
	}
	if (tx->state == TX_IDLE) {
		/* Interframe time fill: flags, or marks (all ones) with idle_marks. */
		tx->flag_last = !tx->cfg.idle_marks;
		tx_push(tx, tx->flag_last ? FLAG : ABORT_ONES, 8);
		return;
	}
	if (tx->state == TX_QUEUED) {
		/* Q.921 2.2: the flag that ends idle flags or a frame opens this one. */
		if (!tx->flag_last) {
			tx_push(tx, FLAG, 8);
			tx->flag_last = true;
			return;
		}
		tx->state = TX_DATA;
		tx->ones = 0;
	}
	tx_push_content(tx, tx->buf[tx->pos++]);
	tx->flag_last = false;
	if (tx->pos == tx->len) {
		tx_push(tx, FLAG, 8);
		tx->flag_last = true;
		tx->state = TX_IDLE;
	}
}

/**
 * tdmx_hdlc_tx_octets() - produce timeslot octets
 * @tx: transmitter
 * @out: where to write @n octets, the first bit on the line in the MSB
 * @n: number of octets
 *
 * Sends the current frame if any, else idle fill: flags, or all ones with
 * @idle_marks (a frame then still gets an opening and a closing flag).
 */
void tdmx_hdlc_tx_octets(struct tdmx_hdlc_tx *tx, u8 *out, size_t n)
{
	const unsigned int width = tx->cfg.bits56 ? 7 : 8;
	const unsigned int mask = (1u << width) - 1;
	unsigned int v;

	while (n--) {
		if (tx->qn < width)
			tx_refill(tx);
		tx->qn -= width;
		v = (tx->q >> tx->qn) & mask;
		*out++ = width == 7 ? (u8)(v << 1 | 1) : (u8)v;
	}
}
