/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Fixed-width types for the portable framer. The framer is built into the
 * kernel module and, unchanged, into native tests, benchmarks and tdmx-line,
 * so it may use nothing beyond these types and compiler built-ins.
 */
#ifndef TDMX_FRAMER_TYPES_H
#define TDMX_FRAMER_TYPES_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int32_t s32;
#endif

/* Ones in an octet; no __builtin_popcount, which may need libgcc. */
static inline unsigned int tdmx_fr_weight8(u8 v)
{
	v = v - ((v >> 1) & 0x55);
	v = (v & 0x33) + ((v >> 2) & 0x33);
	return (v + (v >> 4)) & 0x0F;
}

#define tdmx_fr_memcpy(d, s, n) __builtin_memcpy((d), (s), (n))

/* Eight octets as a big-endian word (first octet in the top bits), and back. */
static inline u64 tdmx_fr_load_be64(const u8 *p)
{
	u64 v;

	__builtin_memcpy(&v, p, sizeof(v));
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

static inline void tdmx_fr_store_be64(u8 *p, u64 v)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	__builtin_memcpy(p, &v, sizeof(v));
}

#define tdmx_fr_memset(d, c, n) __builtin_memset((d), (c), (n))

#endif /* TDMX_FRAMER_TYPES_H */
