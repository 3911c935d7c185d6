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
#define tdmx_fr_memset(d, c, n) __builtin_memset((d), (c), (n))

#endif /* TDMX_FRAMER_TYPES_H */
