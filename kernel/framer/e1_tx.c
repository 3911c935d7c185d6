// SPDX-License-Identifier: GPL-2.0-only
/*
 * E1 transmitter (G.704 2.3, 5.1.3.2): TS0 FAS/NFAS with the A and Sa bits,
 * the CRC-4 multiframe (MFAS, C bits of the previous SMF, E bits from our
 * receiver), the TS16 CAS multiframe, and AIS / TS16 AIS on request.
 * The CRC-4 and CAS multiframes are sent in phase: frame 0 of both starts
 * at bit 0 of the first frame sent.
 */
#include "e1_internal.h"
#include "crc.h"

/* G.704 2.3.3.4: Si of frames 1,3,...,11 = 0 0 1 0 1 1 */
static const u8 mfas_bits[6] = { 0, 0, 1, 0, 1, 1 };
/* G.704 5.1.3.2: CAS MFAS 0000, spare X bits 1, Y = remote MF alarm */
#define CAS_MF_WORD 0x0B
#define CAS_Y 0x04
/* G.704 5.1.3.2: b c d = 1 0 1 when not used; 0000 must never be sent */
#define ABCD_IDLE 0xD

/**
 * tdmx_e1_tx_init() - set up a transmitter at frame 0 of a multiframe
 * @tx: transmitter
 * @cfg: framing, CAS, Sa bits (cfg->sa low 5 bits)
 */
void tdmx_e1_tx_init(struct tdmx_e1_tx *tx, const struct tdmx_e1_config *cfg)
{
	tdmx_crc_init();
	tdmx_fr_memset(tx, 0, sizeof(*tx));
	tx->cfg = *cfg;
	tx->ebits = 3;
	tdmx_fr_memset(tx->abcd, ABCD_IDLE, sizeof(tx->abcd));
}

/**
 * tdmx_e1_tx_link_rx() - take E bits and the A bit from a receiver
 * @tx: transmitter
 * @rx: the receiver of the same span, or NULL to unlink
 *
 * Unlinked, E bits are sent as 1 (no errors) and A only on request.
 */
void tdmx_e1_tx_link_rx(struct tdmx_e1_tx *tx, struct tdmx_e1_rx *rx)
{
	tx->rx = rx;
}

/**
 * tdmx_e1_tx_set_abcd() - signalling bits to send for a timeslot
 * @tx: transmitter
 * @ts: timeslot 1-15 or 17-31
 * @abcd: A in bit 3; 0000 is replaced by the idle 1101 (G.704 5.1.3.2)
 */
void tdmx_e1_tx_set_abcd(struct tdmx_e1_tx *tx, unsigned int ts, u8 abcd)
{
	if (!ts || ts == 16 || ts >= TDMX_E1_TS)
		return;
	abcd &= 0xF;
	tx->abcd[ts] = abcd ? abcd : ABCD_IDLE;
}

static u8 si_bit(struct tdmx_e1_tx *tx, unsigned int n)
{
	if (tx->cfg.framing != TDMX_E1_CRC4)
		return 1;	/* G.704 2.3.2: Si = 1 when not used */
	if (!(n & 1))
		return (tx->c_bits >> (3 - ((n & 7) >> 1))) & 1;
	if (n < 12)
		return mfas_bits[n >> 1];
	return n == 13 ? (tx->ebits >> 1) & 1 : tx->ebits & 1;
}

static u8 ts0_octet(struct tdmx_e1_tx *tx, unsigned int n)
{
	u8 si = si_bit(tx, n) << 7;
	bool a;

	if (!(n & 1))
		return si | E1_FAS;
	a = tx->rai || (tx->rx && tdmx_e1_rx_remote_alarm_wanted(tx->rx));
	return si | E1_NFAS_BIT2 | (a ? E1_NFAS_A : 0) | (tx->cfg.sa & 0x1F);
}

static u8 ts16_octet(struct tdmx_e1_tx *tx, unsigned int n)
{
	if (tx->ts16_ais)
		return 0xFF;
	if (!n)
		return CAS_MF_WORD | (tx->cas_rmfa ? CAS_Y : 0);
	return tx->abcd[n] << 4 | tx->abcd[n + 16];
}

static void frame_out(struct tdmx_e1_tx *tx, const u8 *in, u8 *out)
{
	unsigned int n = tx->frame;
	u8 f[TDMX_E1_FRAME_OCTETS];

	tdmx_fr_memcpy(f, in, TDMX_E1_FRAME_OCTETS);
	if (!n && tx->cfg.framing == TDMX_E1_CRC4)
		tx->ebits = tx->rx ? tdmx_e1_rx_take_ebits(tx->rx) : 3;
	f[0] = ts0_octet(tx, n);
	if (tx->cfg.cas)
		f[16] = ts16_octet(tx, n);
	else if (tx->ts16_ais)
		f[16] = 0xFF;
	if (tx->cfg.framing == TDMX_E1_CRC4) {
		/* G.704 2.3.3.5.2: C-bit positions count as 0 in the remainder */
		tx->smf_crc = tdmx_crc4_shift_frame(tx->smf_crc) ^
			      tdmx_crc4_frame(f, !(n & 1));
		if ((n & 7) == 7) {
			tx->c_bits = tx->smf_crc;
			tx->smf_crc = 0;
		}
	}
	tdmx_fr_memcpy(out, f, TDMX_E1_FRAME_OCTETS);
	tx->frame = (n + 1) & 15;
}

/**
 * tdmx_e1_tx_frames() - build frames for the line
 * @tx: transmitter
 * @in: nframes * 32 octets, timeslot 0 first; TS0 (and TS16 with CAS) are
 *	replaced by the framer
 * @out: nframes * 32 octets of line bits (may be @in)
 * @nframes: frames to build
 */
void tdmx_e1_tx_frames(struct tdmx_e1_tx *tx, const u8 *in, u8 *out,
		       unsigned int nframes)
{
	unsigned int i;

	for (i = 0; i < nframes; i++) {
		const u8 *src = in + i * TDMX_E1_FRAME_OCTETS;
		u8 *dst = out + i * TDMX_E1_FRAME_OCTETS;

		if (tx->cfg.framing == TDMX_E1_UNFRAMED) {
			if (dst != src)
				tdmx_fr_memcpy(dst, src, TDMX_E1_FRAME_OCTETS);
		} else {
			frame_out(tx, src, dst);
		}
		/* G.704 / G.775: AIS is an unframed all-ones signal */
		if (tx->ais)
			tdmx_fr_memset(dst, 0xFF, TDMX_E1_FRAME_OCTETS);
	}
}
