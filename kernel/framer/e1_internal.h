/* SPDX-License-Identifier: GPL-2.0-only */
/* Pieces of the E1 receiver shared between its files; not an API. */
#ifndef TDMX_FRAMER_E1_INTERNAL_H
#define TDMX_FRAMER_E1_INTERNAL_H

#include "e1.h"

/* G.704 2.3.2: FAS = x0011011 in TS0 of even frames */
#define E1_FAS 0x1B
#define E1_FAS_MASK 0x7F
/* G.704 2.3.2: NFAS bit 2 is always 1; bit 3 is the A bit (remote alarm) */
#define E1_NFAS_BIT2 0x40
#define E1_NFAS_A 0x20
#define E1_SI 0x80

/* G.706 4.2: CRC-4 multiframe alignment must be found within 8 ms */
#define E1_MF_SEARCH_FRAMES 64

enum e1_align_state {
	E1_HUNT,
	E1_ALIGNED,
};

void e1_emit(struct tdmx_e1_rx *rx, unsigned int type, u64 bit);
void e1_alarm(struct tdmx_e1_rx *rx, unsigned int alarm, bool *state, bool on, u64 bit);
void e1_lose_frame(struct tdmx_e1_rx *rx, u64 bit);

void e1_crc4_start(struct tdmx_e1_rx *rx);
bool e1_crc4_rx_frame(struct tdmx_e1_rx *rx, const u8 *f, u64 bit);
void e1_crc4_stop(struct tdmx_e1_rx *rx, u64 bit);
void e1_crc4_sec_frame(struct tdmx_e1_rx *rx, u8 ts0);

void e1_cas_start(struct tdmx_e1_rx *rx);
void e1_cas_rx_frame(struct tdmx_e1_rx *rx, u8 ts16, u64 bit);
void e1_cas_stop(struct tdmx_e1_rx *rx, u64 bit);

#endif /* TDMX_FRAMER_E1_INTERNAL_H */
