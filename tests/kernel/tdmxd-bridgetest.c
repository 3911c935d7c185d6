// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tdmxd-bridgetest: audio sent into one end of a tdmxd bridge arrives
 * bit-exact at the other end, both ways at once.
 *
 *   tdmxd-bridgetest [-s SECONDS] [-p PROBES] SPAN/TS SPAN/TS
 *
 * The two ports are the far ends of the bridge: channel devices on the far
 * spans of two vcard loops whose near spans tdmxd bridges (far X/ts ->
 * near -> tdmxd -> near -> far Y/ts). First PROBES markers are sent each
 * way and timed (the latency: wall clock, loop + daemon + loop, channel
 * FIFOs included); then each side streams SECONDS x 8000 octets of its own
 * pattern (k + 17 d) mod 251 (d = 1 for X's stream, 2 for Y's) and the
 * other side must lock on pattern index 0 (nothing lost at the start) and
 * receive every octet in order up to the last: one wrong, lost or repeated
 * octet fails.
 */
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>

#include "ktest.h"

#define LOCK_RUN	16
#define MARKER_LEN	8

struct checker {
	bool locked, done;
	unsigned int run;
	uint64_t cand, k, lock_k, errors, err_k;
	uint8_t err_exp, err_got;
};

struct end {
	unsigned int span, ts;
	int fd;
	unsigned int d;		/* pattern of what this end sends */
	uint64_t sent;
	struct checker chk;	/* what this end receives (the other's pattern) */
	unsigned int mpos;
	double marker_at;
};

static struct end ends[2];
static uint64_t total;

static uint8_t pattern(uint64_t k, unsigned int d)
{
	return (uint8_t)((k + 17u * d) % 251u);
}

static void check_octet(struct checker *c, unsigned int d, uint8_t v)
{
	if (c->done)
		return;
	if (c->locked) {
		uint8_t want = pattern(c->k, d);

		if (v != want && !c->errors++) {
			c->err_k = c->k;
			c->err_exp = want;
			c->err_got = v;
		}
		if (++c->k == total)
			c->done = true;
		return;
	}
	if (c->run && v == pattern(c->cand + c->run, d)) {
		if (++c->run == LOCK_RUN) {
			c->locked = true;
			c->lock_k = c->cand;
			c->k = c->cand + LOCK_RUN;
			c->done = c->k >= total;
		}
		return;
	}
	c->run = 0;
	if (v < 251) {
		c->cand = (v + 251u * 17u - 17u * d) % 251u;
		c->run = 1;
	}
}

static void parse_port(const char *s, struct end *e)
{
	char span[16];
	const char *slash = strchr(s, '/');

	if (!slash || slash - s >= (long)sizeof(span)) {
		fprintf(stderr, "tdmxd-bridgetest: '%s' is not SPAN/TS\n", s);
		exit(KT_SETUP);
	}
	memcpy(span, s, (size_t)(slash - s));
	span[slash - s] = 0;
	e->span = (unsigned int)kt_uint(span, "span", 1, 128);
	e->ts = (unsigned int)kt_uint(slash + 1, "timeslot", 1, 31);
}

static void drain(int fd)
{
	uint8_t buf[1024];

	while (read(fd, buf, sizeof(buf)) > 0)
		;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* one marker from @from to @to: the time it took, or -1 */
static double probe(struct end *from, struct end *to, unsigned int n)
{
	uint8_t marker[MARKER_LEN], buf[1024];
	struct pollfd p = { .fd = to->fd, .events = POLLIN };
	double t0, end;
	unsigned int f;
	ssize_t r, j;

	for (f = 0; f < MARKER_LEN; f++)
		marker[f] = (uint8_t)(0x11 * (f + 1) + 3 * n + 0x40 * from->d);
	drain(from->fd);
	drain(to->fd);
	to->mpos = 0;
	t0 = kt_now_ms();
	end = t0 + 3000;
	if (write(from->fd, marker, MARKER_LEN) != MARKER_LEN)
		return -1;
	while (kt_now_ms() < end) {
		if (poll(&p, 1, 100) <= 0)
			continue;
		r = read(to->fd, buf, sizeof(buf));
		for (j = 0; j < r; j++) {
			if (buf[j] == marker[to->mpos])
				to->mpos++;
			else
				to->mpos = buf[j] == marker[0];
			if (to->mpos == MARKER_LEN)
				return kt_now_ms() - t0;
		}
	}
	return -1;
}

static void fill_tx(struct end *e)
{
	uint8_t buf[512];
	size_t n, i;
	ssize_t w;

	while (e->sent < total) {
		n = total - e->sent < sizeof(buf) ? (size_t)(total - e->sent) : sizeof(buf);
		for (i = 0; i < n; i++)
			buf[i] = pattern(e->sent + i, e->d);
		w = write(e->fd, buf, n);
		if (w <= 0)
			return;
		e->sent += (uint64_t)w;
	}
}

static int stream(double deadline)
{
	struct pollfd pfd[2];
	uint8_t buf[1024];
	unsigned int i;
	ssize_t n, j;

	for (i = 0; i < 2; i++)
		drain(ends[i].fd);
	while (!(ends[0].chk.done && ends[1].chk.done)) {
		if (kt_now_ms() > deadline) {
			kt_msg("stream: timed out");
			break;
		}
		for (i = 0; i < 2; i++) {
			pfd[i].fd = ends[i].fd;
			pfd[i].events = POLLIN | (ends[i].sent < total ? POLLOUT : 0);
		}
		if (poll(pfd, 2, 100) < 0 && errno != EINTR) {
			kt_msg("poll: %s", strerror(errno));
			return KT_FAIL;
		}
		for (i = 0; i < 2; i++) {
			struct end *e = &ends[i];

			if (pfd[i].revents & POLLOUT)
				fill_tx(e);
			if (!(pfd[i].revents & POLLIN))
				continue;
			n = read(e->fd, buf, sizeof(buf));
			for (j = 0; j < n; j++)
				check_octet(&e->chk, ends[!i].d, buf[j]);
		}
	}
	return 0;
}

static int verdict(const struct end *to, const struct end *from)
{
	const struct checker *c = &to->chk;

	if (!c->locked)
		kt_msg("%u/%u -> %u/%u: FAIL: pattern never found", from->span, from->ts,
		       to->span, to->ts);
	else if (c->lock_k)
		kt_msg("%u/%u -> %u/%u: FAIL: the first %llu octets were lost", from->span,
		       from->ts, to->span, to->ts, (unsigned long long)c->lock_k);
	else if (c->errors)
		kt_msg("%u/%u -> %u/%u: FAIL: %llu wrong octets, the first at index %llu: expected 0x%02x, got 0x%02x",
		       from->span, from->ts, to->span, to->ts, (unsigned long long)c->errors,
		       (unsigned long long)c->err_k, c->err_exp, c->err_got);
	else if (!c->done)
		kt_msg("%u/%u -> %u/%u: FAIL: only %llu of %llu octets arrived", from->span,
		       from->ts, to->span, to->ts, (unsigned long long)c->k,
		       (unsigned long long)total);
	else {
		kt_msg("%u/%u -> %u/%u: %llu octets bit-exact", from->span, from->ts, to->span,
		       to->ts, (unsigned long long)total);
		return KT_PASS;
	}
	return KT_FAIL;
}

int main(int argc, char **argv)
{
	unsigned int seconds = 3, probes = 5, i, nlat = 0;
	double lat[2 * 64];
	int c, ret;

	kt_prog = "tdmxd-bridgetest";
	while ((c = getopt(argc, argv, "s:p:")) != -1) {
		switch (c) {
		case 's':
			seconds = (unsigned int)kt_uint(optarg, "-s", 1, 600);
			break;
		case 'p':
			probes = (unsigned int)kt_uint(optarg, "-p", 0, 64);
			break;
		default:
			goto usage;
		}
	}
	if (argc - optind != 2)
		goto usage;
	parse_port(argv[optind], &ends[0]);
	parse_port(argv[optind + 1], &ends[1]);
	total = (uint64_t)seconds * 8000;
	for (i = 0; i < 2; i++) {
		ends[i].d = i + 1;
		ends[i].fd = kt_open_chan(ends[i].span, ends[i].ts, O_RDWR | O_NONBLOCK);
		if (ends[i].fd < 0) {
			kt_msg("open /dev/tdmx/chan/%u/%u: %s", ends[i].span, ends[i].ts,
			       strerror(-ends[i].fd));
			return KT_SETUP;
		}
	}
	for (i = 0; i < probes; i++) {
		double a = probe(&ends[0], &ends[1], i), b = probe(&ends[1], &ends[0], i);

		if (a < 0 || b < 0) {
			kt_msg("probe %u: FAIL: marker %s not heard within 3 s", i,
			       a < 0 ? "X->Y" : "Y->X");
			return KT_FAIL;
		}
		lat[nlat++] = a;
		lat[nlat++] = b;
	}
	ret = stream(kt_now_ms() + seconds * 1000.0 + 15000);
	if (ret)
		return ret;
	ret = verdict(&ends[1], &ends[0]) | verdict(&ends[0], &ends[1]);
	if (nlat) {
		qsort(lat, nlat, sizeof(lat[0]), cmp_double);
		kt_msg("latency through the bridge: min %.1f, median %.1f, max %.1f ms (wall clock, far end to far end)",
		       lat[0], lat[nlat / 2], lat[nlat - 1]);
	}
	kt_msg("%s", ret ? "FAIL" : "ok: bit-exact both ways");
	return ret;

usage:
	fprintf(stderr, "usage: tdmxd-bridgetest [-s SECONDS] [-p PROBES] SPAN/TS SPAN/TS\n");
	return KT_SETUP;
}
