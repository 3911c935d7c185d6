// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tdmxd-hdlcpeer: the far end of a D-channel that tdmxd carries.
 *
 *   tdmxd-hdlcpeer send SPAN TS N     write frames of 1..N octets
 *   tdmxd-hdlcpeer recv SPAN TS N     read N frames, expect 1..N octets
 *   tdmxd-hdlcpeer hex LEN            print frame LEN as hex
 *   tdmxd-hdlcpeer check N            read tdmxd event lines on stdin and
 *                                     expect frames of 1..N octets, hex
 *
 * Frame LEN has LEN payload octets derived from LEN and the position, so
 * a frame delivered short, long, damaged or out of order is told apart.
 * Writes are payload + 2 octets of FCS room, reads payload + 2 FCS octets
 * (include/uapi/linux/tdmx.h). recv gives up after 10 s without a frame.
 * Exit codes as ktest.h.
 */
#include <poll.h>
#include <stdint.h>

#include "ktest.h"

#define LEN_MAX	1024

static void make(unsigned int len, uint8_t *p)
{
	unsigned int i;

	for (i = 0; i < len; i++)
		p[i] = (uint8_t)(len * 13 + i * 7 + 0x7e);
}

static int do_send(int fd, unsigned int n)
{
	uint8_t f[LEN_MAX + 2] = { 0 };
	unsigned int len;

	for (len = 1; len <= n; len++) {
		make(len, f);
		if (write(fd, f, len + 2) != (ssize_t)(len + 2)) {
			kt_msg("write of frame %u: %s", len, strerror(errno));
			return KT_FAIL;
		}
	}
	kt_msg("sent %u frames", n);
	return KT_PASS;
}

static int do_recv(int fd, unsigned int n)
{
	uint8_t f[LEN_MAX + 8], want[LEN_MAX];
	struct pollfd p = { .fd = fd, .events = POLLIN };
	unsigned int len;
	ssize_t r;

	for (len = 1; len <= n; len++) {
		if (poll(&p, 1, 10000) != 1) {
			kt_msg("frame %u of %u did not arrive", len, n);
			return KT_FAIL;
		}
		r = read(fd, f, sizeof(f));
		make(len, want);
		if (r != (ssize_t)(len + 2) || memcmp(f, want, len)) {
			kt_msg("frame %u: read %zd octets, not payload %u + FCS 2 as sent", len, r,
			       len);
			return KT_FAIL;
		}
	}
	kt_msg("received %u frames bit-exact", n);
	return KT_PASS;
}

static int nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static int do_check(unsigned int n)
{
	static char line[4 * LEN_MAX];
	uint8_t want[LEN_MAX];
	unsigned int len = 0, i;
	const char *h;

	while (fgets(line, sizeof(line), stdin)) {
		if (!strstr(line, "\"event\":\"hdlc\""))
			continue;
		h = strstr(line, "\"frame\":\"");
		if (!h || !strstr(line, "\"ts\":")) {
			kt_msg("event without frame or ts: %s", line);
			return KT_FAIL;
		}
		h += 9;
		len++;
		make(len, want);
		for (i = 0; i < len; i++, h += 2)
			if (nibble(h[0]) < 0 || nibble(h[1]) < 0 ||
			    (nibble(h[0]) << 4 | nibble(h[1])) != want[i])
				break;
		if (i != len || *h != '"') {
			kt_msg("event %u is not frame %u bit-exact: %s", len, len, line);
			return KT_FAIL;
		}
	}
	if (len != n) {
		kt_msg("%u frame events, %u sent", len, n);
		return KT_FAIL;
	}
	kt_msg("%u frame events bit-exact", n);
	return KT_PASS;
}

static int usage(void)
{
	fprintf(stderr, "usage: tdmxd-hdlcpeer send|recv SPAN TS N | hex LEN | check N\n");
	return KT_SETUP;
}

int main(int argc, char **argv)
{
	uint8_t f[LEN_MAX];
	unsigned int span, ts, n, i;
	int fd, ret;

	kt_prog = "tdmxd-hdlcpeer";
	if (argc == 3 && !strcmp(argv[1], "hex")) {
		n = (unsigned int)kt_uint(argv[2], "LEN", 1, LEN_MAX);
		make(n, f);
		for (i = 0; i < n; i++)
			printf("%02x", f[i]);
		putchar('\n');
		return KT_PASS;
	}
	if (argc == 3 && !strcmp(argv[1], "check"))
		return do_check((unsigned int)kt_uint(argv[2], "N", 1, LEN_MAX));
	if (argc != 5 || (strcmp(argv[1], "send") && strcmp(argv[1], "recv")))
		return usage();
	span = (unsigned int)kt_uint(argv[2], "SPAN", 1, 1024);
	ts = (unsigned int)kt_uint(argv[3], "TS", 1, 31);
	n = (unsigned int)kt_uint(argv[4], "N", 1, LEN_MAX);
	fd = kt_open_chan(span, ts, O_RDWR);
	if (fd < 0) {
		kt_msg("/dev/tdmx/chan/%u/%u: %s", span, ts, strerror(-fd));
		return KT_SETUP;
	}
	ret = argv[1][0] == 's' ? do_send(fd, n) : do_recv(fd, n);
	close(fd);
	return ret;
}
