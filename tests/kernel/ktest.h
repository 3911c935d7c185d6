/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Helpers shared by the test programs that run inside the QEMU guest
 * (tdmx-pcmtest, tdmx-hdlctest, tdmx-abcdtest). They use only the device
 * half of the uapi contract: /dev/tdmx/chan/<span>/<ts>, /dev/tdmx/span/<n>
 * and their ioctls; spans are configured beforehand by the scenario script
 * with tdmxctl.
 *
 * Exit codes of every program: 0 passed, 1 a check failed, 2 usage or
 * setup error (a device missing, a wrong channel type).
 */
#ifndef TDMX_KTEST_H
#define TDMX_KTEST_H

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>

#include <linux/tdmx.h>

#define KT_PASS 0
#define KT_FAIL 1
#define KT_SETUP 2
#define KT_STALL 3	/* failed, and the test's own FIFOs over/underran: a stall, repeat */

static const char *kt_prog = "ktest";

static inline void kt_msg(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

/* one line on stdout, prefixed with the program name */
static inline void kt_msg(const char *fmt, ...)
{
	va_list ap;

	printf("%s: ", kt_prog);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

/* milliseconds on CLOCK_MONOTONIC */
static inline double kt_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* a decimal number in [min, max], or exit(KT_SETUP) naming @what */
static inline unsigned long kt_uint(const char *s, const char *what,
				    unsigned long min, unsigned long max)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max) {
		fprintf(stderr, "%s: %s must be a number from %lu to %lu, not '%s'\n",
			kt_prog, what, min, max, s);
		exit(KT_SETUP);
	}
	return v;
}

/* open /dev/tdmx/chan/<span>/<ts>: fd, or -errno */
static inline int kt_open_chan(unsigned int span, unsigned int ts, int flags)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/dev/tdmx/chan/%u/%u", span, ts);
	fd = open(path, flags | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

/* open /dev/tdmx/span/<span>: fd, or -errno */
static inline int kt_open_span(unsigned int span, int flags)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/dev/tdmx/span/%u", span);
	fd = open(path, flags | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

/* TDMX_IOC_GET_INFO: 0 or -errno */
static inline int kt_chan_info(int fd, struct tdmx_chan_info *info)
{
	memset(info, 0, sizeof(*info));
	return ioctl(fd, TDMX_IOC_GET_INFO, info) ? -errno : 0;
}

static inline const char *kt_type_name(unsigned int type)
{
	switch (type) {
	case TDMX_CHAN_UNUSED: return "unused";
	case TDMX_CHAN_VOICE: return "voice";
	case TDMX_CHAN_CLEAR: return "clear";
	case TDMX_CHAN_HDLC: return "hdlc";
	case TDMX_CHAN_CAS: return "cas";
	default: return "?";
	}
}

/* voice, clear and cas channels carry PCM octets */
static inline int kt_is_pcm(unsigned int type)
{
	return type == TDMX_CHAN_VOICE || type == TDMX_CHAN_CLEAR || type == TDMX_CHAN_CAS;
}

#endif /* TDMX_KTEST_H */
