// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tdmx-hdlctest: HDLC frames written on one span's D-channel arrive whole
 * and in order on the other's.
 *
 *   tdmx-hdlctest [-d TS] [-m MAXLEN] [-n ROUNDS] [-b] [-e] SPAN_A SPAN_B
 *
 *   -d TS      the D-channel timeslot on both spans (default 16)
 *   -m MAXLEN  longest payload (default 300): frame s has a payload of
 *              (s mod MAXLEN) + 1 octets, so one round covers 1..MAXLEN
 *   -n ROUNDS  rounds (default 1)
 *   -b         both directions at once (A -> B and B -> A)
 *   -e         expect errors (a bit error rate is injected): frames may be
 *              missing, but every frame delivered must be one that was
 *              sent, intact, and later than the previous one
 *
 * Writes are payload + 2 placeholder octets (the kernel computes the FCS);
 * reads are payload + 2 FCS octets. Payload: the frame number (2 octets,
 * big endian; 1 octet for 1-octet frames) then octets derived from the
 * frame number and position, so every frame is recognisable.
 *
 * Prints one line per direction:
 *   hdlc A->B: sent N intact N missing N corrupted N
 * Without -e: passes when every frame arrived intact and in order. With
 * -e: passes when no corrupted or out-of-order frame was delivered and at
 * least one frame arrived intact.
 */
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>

#include "ktest.h"

#define FRAME_MAX	4096
#define SETTLE_MS	3000	/* after the last write: time for the rest */
#define SEARCH		512	/* frames looked ahead for a match (-e) */

struct dir {
	const char *name;
	unsigned int from, to;
	int wfd, rfd;
	uint32_t nframes;
	uint32_t next_send;
	uint32_t next_expect;
	uint32_t intact, missing, corrupted;
	bool reported;
};

static unsigned int maxlen = 300;
static bool expect_errors;

static unsigned int frame_len(uint32_t s)
{
	return s % maxlen + 1;
}

/* payload of frame s into buf; returns its length */
static unsigned int frame_make(uint32_t s, uint8_t *buf)
{
	unsigned int len = frame_len(s), i;

	if (len == 1) {
		buf[0] = (uint8_t)s;
		return 1;
	}
	buf[0] = (uint8_t)(s >> 8);
	buf[1] = (uint8_t)s;
	for (i = 2; i < len; i++)
		buf[i] = (uint8_t)(s * 131u + i * 29u + (i >> 8));
	return len;
}

static bool frame_is(uint32_t s, const uint8_t *payload, unsigned int len)
{
	uint8_t want[FRAME_MAX];

	return len == frame_len(s) && frame_make(s, want) == len && !memcmp(want, payload, len);
}

static int open_dchan(unsigned int span, unsigned int ts)
{
	struct tdmx_chan_info info;
	int fd, ret;

	fd = kt_open_chan(span, ts, O_RDWR | O_NONBLOCK);
	if (fd < 0) {
		kt_msg("open /dev/tdmx/chan/%u/%u: %s", span, ts, strerror(-fd));
		return -1;
	}
	ret = kt_chan_info(fd, &info);
	if (ret) {
		kt_msg("TDMX_IOC_GET_INFO on %u/%u: %s", span, ts, strerror(-ret));
		goto err;
	}
	if (info.type != TDMX_CHAN_HDLC) {
		kt_msg("%u/%u is a %s channel, not hdlc (span not set to ccs?)", span, ts,
		       kt_type_name(info.type));
		goto err;
	}
	return fd;
err:
	close(fd);
	return -1;
}

/* write frames while the channel takes them; false on a write error */
static bool send_some(struct dir *d)
{
	uint8_t buf[FRAME_MAX];
	unsigned int len;
	ssize_t w;

	while (d->next_send < d->nframes) {
		len = frame_make(d->next_send, buf);
		buf[len] = buf[len + 1] = 0;	/* FCS placeholder */
		w = write(d->wfd, buf, len + 2);
		if (w < 0 && errno == EAGAIN)
			return true;
		if (w != (ssize_t)len + 2) {
			kt_msg("%s: write of frame %u (%u + 2 octets): %s", d->name,
			       d->next_send, len, w < 0 ? strerror(errno) : "short write");
			return false;
		}
		d->next_send++;
	}
	return true;
}

static void received(struct dir *d, const uint8_t *buf, ssize_t n)
{
	unsigned int len = n >= 2 ? (unsigned int)n - 2 : 0;
	uint32_t s;

	if (n < 3) {
		kt_msg("%s: FAIL: a frame of %zd octets (payload + FCS must be >= 3)", d->name, n);
		d->corrupted++;
		return;
	}
	if (!expect_errors) {
		if (d->next_expect < d->nframes && frame_is(d->next_expect, buf, len)) {
			d->next_expect++;
			d->intact++;
			return;
		}
		if (!d->corrupted++)
			kt_msg("%s: FAIL: expected frame %u (%u octets), got %u octets starting %02x %02x",
			       d->name, d->next_expect, frame_len(d->next_expect), len, buf[0],
			       len > 1 ? buf[1] : 0);
		return;
	}
	for (s = d->next_expect; s < d->nframes && s < d->next_expect + SEARCH; s++) {
		if (frame_is(s, buf, len)) {
			d->missing += s - d->next_expect;
			d->next_expect = s + 1;
			d->intact++;
			return;
		}
	}
	if (!d->corrupted++)
		kt_msg("%s: FAIL: a delivered frame (%u octets, starting %02x %02x) is none of frames %u..%u: corrupted or out of order",
		       d->name, len, buf[0], len > 1 ? buf[1] : 0, d->next_expect, s - 1);
}

static void receive_some(struct dir *d)
{
	uint8_t buf[FRAME_MAX];
	ssize_t n;

	while ((n = read(d->rfd, buf, sizeof(buf))) > 0)
		received(d, buf, n);
	if (n < 0 && errno != EAGAIN)
		kt_msg("%s: read: %s", d->name, strerror(errno));
}

static bool finished(const struct dir *d)
{
	return d->next_expect == d->nframes;
}

static int run(struct dir *dirs, unsigned int ndirs)
{
	struct pollfd pfd[4];
	double last_progress = kt_now_ms();
	uint32_t progress = 0, p;
	unsigned int i, done;
	int ret = KT_PASS;

	for (;;) {
		done = 0;
		p = 0;
		for (i = 0; i < ndirs; i++) {
			if (!send_some(&dirs[i]))
				return KT_FAIL;
			receive_some(&dirs[i]);
			done += finished(&dirs[i]);
			p += dirs[i].next_send + dirs[i].next_expect + dirs[i].missing;
		}
		if (done == ndirs)
			break;
		if (p != progress) {
			progress = p;
			last_progress = kt_now_ms();
		} else if (kt_now_ms() - last_progress > SETTLE_MS) {
			break;	/* nothing moves any more */
		}
		for (i = 0; i < ndirs; i++) {
			pfd[2 * i].fd = dirs[i].wfd;
			pfd[2 * i].events = dirs[i].next_send < dirs[i].nframes ? POLLOUT : 0;
			pfd[2 * i + 1].fd = dirs[i].rfd;
			pfd[2 * i + 1].events = POLLIN;
		}
		if (poll(pfd, 2 * ndirs, 100) < 0 && errno != EINTR) {
			kt_msg("poll: %s", strerror(errno));
			return KT_FAIL;
		}
	}
	for (i = 0; i < ndirs; i++) {
		struct dir *d = &dirs[i];

		/* frames never seen after the last one that arrived */
		d->missing += d->nframes - d->next_expect;
		kt_msg("hdlc %s: sent %u intact %u missing %u corrupted %u", d->name,
		       d->next_send, d->intact, d->missing, d->corrupted);
		if (d->corrupted)
			ret = KT_FAIL;
		if (d->next_send != d->nframes) {
			kt_msg("%s: FAIL: only %u of %u frames could be written", d->name,
			       d->next_send, d->nframes);
			ret = KT_FAIL;
		}
		if (!expect_errors && d->missing) {
			kt_msg("%s: FAIL: %u frames missing, the first is frame %u (%u octets)",
			       d->name, d->missing, d->next_expect, frame_len(d->next_expect));
			ret = KT_FAIL;
		}
		if (expect_errors && !d->intact) {
			kt_msg("%s: FAIL: no frame arrived intact", d->name);
			ret = KT_FAIL;
		}
	}
	kt_msg("%s", ret ? "FAIL" : "ok");
	return ret;
}

static void usage(void)
{
	fprintf(stderr, "usage: tdmx-hdlctest [-d TS] [-m MAXLEN] [-n ROUNDS] [-b] [-e] SPAN_A SPAN_B\n");
	exit(KT_SETUP);
}

int main(int argc, char **argv)
{
	unsigned int ts = 16, rounds = 1, span_a, span_b, ndirs = 1;
	struct dir dirs[2];
	bool both = false;
	int opt, fa = -1, fb = -1, ret = KT_SETUP;

	kt_prog = "tdmx-hdlctest";
	setvbuf(stdout, NULL, _IOLBF, 0);
	while ((opt = getopt(argc, argv, "d:m:n:beh")) != -1) {
		switch (opt) {
		case 'd':
			ts = (unsigned int)kt_uint(optarg, "timeslot", 1, 31);
			break;
		case 'm':
			maxlen = (unsigned int)kt_uint(optarg, "MAXLEN", 2, FRAME_MAX - 2);
			break;
		case 'n':
			rounds = (unsigned int)kt_uint(optarg, "ROUNDS", 1, 200);
			break;
		case 'b':
			both = true;
			break;
		case 'e':
			expect_errors = true;
			break;
		default:
			usage();
		}
	}
	if (argc - optind != 2)
		usage();
	span_a = (unsigned int)kt_uint(argv[optind], "SPAN_A", 1, 65535);
	span_b = (unsigned int)kt_uint(argv[optind + 1], "SPAN_B", 1, 65535);
	if ((uint64_t)maxlen * rounds > 65535) {
		kt_msg("MAXLEN x ROUNDS must stay below 65536 (frame numbers are 16 bits)");
		return KT_SETUP;
	}

	fb = open_dchan(span_b, ts);
	if (fb < 0)
		goto out;
	fa = open_dchan(span_a, ts);
	if (fa < 0)
		goto out;
	memset(dirs, 0, sizeof(dirs));
	dirs[0] = (struct dir){ .name = "A->B", .from = span_a, .to = span_b,
				.wfd = fa, .rfd = fb, .nframes = maxlen * rounds };
	if (both) {
		dirs[1] = (struct dir){ .name = "B->A", .from = span_b, .to = span_a,
					.wfd = fb, .rfd = fa, .nframes = maxlen * rounds };
		ndirs = 2;
	}
	kt_msg("span %u ts %u %s span %u ts %u: %u frames of 1..%u octets%s", span_a, ts,
	       both ? "<->" : "->", span_b, ts, maxlen * rounds, maxlen,
	       expect_errors ? ", errors expected" : "");
	ret = run(dirs, ndirs);
out:
	if (fa >= 0)
		close(fa);
	if (fb >= 0)
		close(fb);
	return ret;
}
