// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tdmxd D-channels: frames as hex text on the control socket (dchan.h).
 * Either case is accepted; output is lower case. An empty string is not a
 * frame (HDLC frames carry at least one octet).
 */
#include <errno.h>

#include "dchan.h"

static int nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/**
 * dchan_hex_decode() - hex text to octets
 * @s: text, two digits per octet
 * @out: result
 * @max: room in @out
 *
 * Return: octets decoded, -EINVAL (empty, odd length, not a hex digit) or
 * -EMSGSIZE (more than @max octets).
 */
int dchan_hex_decode(const char *s, uint8_t *out, size_t max)
{
	size_t n = 0;
	int hi, lo;

	if (!*s)
		return -EINVAL;
	for (; *s; s += 2) {
		hi = nibble(s[0]);
		lo = s[1] ? nibble(s[1]) : -1;
		if (hi < 0 || lo < 0)
			return -EINVAL;
		if (n == max)
			return -EMSGSIZE;
		out[n++] = (uint8_t)(hi << 4 | lo);
	}
	return (int)n;
}

/* @out has room for 2 * @len + 1 characters */
void dchan_hex_encode(const uint8_t *p, size_t len, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < len; i++) {
		*out++ = digits[p[i] >> 4];
		*out++ = digits[p[i] & 15];
	}
	*out = 0;
}
