/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The three checksums of the line: CRC-4 (G.704 2.3.3.5, E1), CRC-6
 * (G.704 2.1.3.1.3, T1 ESF) and the HDLC FCS-16 (ISO/IEC 13239, Q.921).
 */
#ifndef TDMX_FRAMER_CRC_H
#define TDMX_FRAMER_CRC_H

#include "types.h"

void tdmx_crc_init(void);

/*
 * CRC-4 values are the remainder of M(x) * x^4 divided by x^4 + x + 1, with
 * the first transmitted bit as the highest power of M(x) (C1 = bit 3).
 */
u8 tdmx_crc4_update(u8 crc, const u8 *data, size_t len);
u8 tdmx_crc4_frame(const u8 *frame, bool clear_si);
u8 tdmx_crc4_shift_frame(u8 crc);

/* CRC-6: remainder of M(x) * x^6 divided by x^6 + x + 1, MSB first. */
u8 tdmx_crc6_bit(u8 crc, unsigned int bit);
u8 tdmx_crc6_update(u8 crc, const u8 *data, size_t len);
u8 tdmx_crc6_frame(const u8 *ch);
u8 tdmx_crc6_shift_frame(u8 crc);

/*
 * FCS-16 as HDLC sends it: x^16 + x^12 + x^5 + 1, octets LSB first,
 * start 0xFFFF, complemented on transmission. Running the receiver over a
 * frame and its FCS leaves TDMX_FCS16_GOOD.
 */
#define TDMX_FCS16_INIT 0xFFFF
#define TDMX_FCS16_GOOD 0xF0B8
u16 tdmx_fcs16_update(u16 fcs, const u8 *data, size_t len);

#endif /* TDMX_FRAMER_CRC_H */
