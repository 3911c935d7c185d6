// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tdmx-pcmtest: PCM octets sent on span A arrive bit-exact on span B.
 *
 *   tdmx-pcmtest [-t TS]... [-a] [-r] [-s SECONDS] [-p PROBES] SPAN_A SPAN_B
 *
 *   -t TS       a timeslot to test (repeatable; default 1)
 *   -a          every PCM timeslot (voice, clear, cas) of span A
 *   -r          through the span rings (/dev/tdmx/span/<n>, mmap) instead
 *               of the channel devices
 *   -s SECONDS  length of the pattern stream (default 3)
 *   -p PROBES   latency probes before the stream, channel path (default 5)
 *
 * Meant for the two spans of a vcard loop (A's transmit is B's receive).
 *
 * Channel path: first PROBES times an 8-octet marker is written on every
 * tested timeslot of A and timed until it is read on B (the latency, in
 * wall-clock ms); then every timeslot streams SECONDS x 8000 octets of
 * pattern(k, ts) = (k + 17 ts) mod 251, keeping A's FIFO full. B must
 * lock on pattern index 0 (nothing lost at the start) and then receive
 * every octet in order up to the last one: one wrong octet fails.
 *
 * Ring path: the same pattern is written into A's tx blocks ahead of the
 * kernel (block seq is sent tx_delay ms after rx block seq) and read from
 * B's rx blocks; the latency is counted in line time: frames between the
 * tx position of pattern index 0 and its rx position.
 *
 * The period 251 does not divide the ring's 512 frames, so a stale ring
 * block or a repeated FIFO chunk breaks the pattern too.
 */
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/mman.h>

#include "ktest.h"

#define MAX_TS		32
#define LOCK_RUN	16	/* consecutive pattern octets to lock on */
#define MARKER_LEN	8
#define RING_AHEAD	56	/* tx blocks written ahead (< blocks - tx_delay) */
#define RING_START	24	/* first pattern block: a late vcard timer runs up to 20 ticks at once */

struct checker {
	bool locked;
	bool done;
	unsigned int run;	/* matching octets while hunting */
	uint64_t cand;		/* pattern index of the hunt's first octet */
	uint64_t cand_pos;	/* its receive position */
	uint64_t k;		/* next expected pattern index */
	uint64_t lock_k;	/* pattern index the lock started at */
	uint64_t lock_pos;	/* receive position of that octet */
	uint64_t pos;		/* octets received */
	uint64_t errors;
	uint64_t err_k;
	uint8_t err_exp, err_got;
};

struct slot {
	unsigned int ts;
	unsigned int type;
	int afd, bfd;		/* channel path */
	uint64_t sent;		/* pattern octets written */
	struct checker chk;
	unsigned int mpos;	/* marker octets matched */
	double marker_at;
};

static struct slot slots[MAX_TS];
static unsigned int nslots;
static unsigned int span_a, span_b;
static uint64_t total;

static uint8_t pattern(uint64_t k, unsigned int ts)
{
	return (uint8_t)((k + 17u * ts) % 251u);
}

/* Feed one received octet: hunt for the pattern, then compare. */
static void check_octet(struct checker *c, unsigned int ts, uint8_t v)
{
	uint64_t pos = c->pos++;

	if (c->done)
		return;
	if (c->locked) {
		uint8_t want = pattern(c->k, ts);

		if (v != want && !c->errors++) {
			c->err_k = c->k;
			c->err_exp = want;
			c->err_got = v;
		}
		if (++c->k == total)
			c->done = true;
		return;
	}
	if (c->run && v == pattern(c->cand + c->run, ts)) {
		if (++c->run == LOCK_RUN) {
			c->locked = true;
			c->lock_k = c->cand;
			c->lock_pos = c->cand_pos;
			c->k = c->cand + LOCK_RUN;
			if (c->k >= total)
				c->done = true;
		}
		return;
	}
	c->run = 0;
	if (v < 251) {
		c->cand = (v + 251u * 17u - 17u * ts) % 251u;
		c->cand_pos = pos;
		c->run = 1;
	}
}

static int report(double latency_min, double latency_med, double latency_max,
		  const char *unit)
{
	unsigned int i;
	int ret = KT_PASS;

	for (i = 0; i < nslots; i++) {
		struct checker *c = &slots[i].chk;

		if (!c->locked) {
			kt_msg("ts %u: FAIL: pattern never found on span %u (%llu octets received)",
			       slots[i].ts, span_b, (unsigned long long)c->pos);
			ret = KT_FAIL;
		} else if (c->lock_k) {
			kt_msg("ts %u: FAIL: the first %llu octets of the pattern were lost",
			       slots[i].ts, (unsigned long long)c->lock_k);
			ret = KT_FAIL;
		} else if (c->errors) {
			kt_msg("ts %u: FAIL: %llu wrong octets, the first at pattern index %llu: expected 0x%02x, got 0x%02x",
			       slots[i].ts, (unsigned long long)c->errors,
			       (unsigned long long)c->err_k, c->err_exp, c->err_got);
			ret = KT_FAIL;
		} else if (!c->done) {
			kt_msg("ts %u: FAIL: only %llu of %llu pattern octets arrived",
			       slots[i].ts, (unsigned long long)c->k, (unsigned long long)total);
			ret = KT_FAIL;
		}
	}
	if (latency_max >= 0)
		kt_msg("latency span %u -> %u: min %.1f, median %.1f, max %.1f %s",
		       span_a, span_b, latency_min, latency_med, latency_max, unit);
	kt_msg("%s: %u timeslots x %llu octets %s", ret ? "FAIL" : "ok", nslots,
	       (unsigned long long)total, ret ? "not bit-exact" : "bit-exact");
	return ret;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* ---------------------------------------------------------- channel path */

static void drain(int fd)
{
	uint8_t buf[1024];

	while (read(fd, buf, sizeof(buf)) > 0)
		;
}

static int open_slots(void)
{
	struct tdmx_chan_info info;
	unsigned int i;
	int ret;

	for (i = 0; i < nslots; i++) {
		struct slot *s = &slots[i];

		/* B first: it must hear everything A sends */
		s->bfd = kt_open_chan(span_b, s->ts, O_RDWR | O_NONBLOCK);
		if (s->bfd < 0) {
			kt_msg("open /dev/tdmx/chan/%u/%u: %s", span_b, s->ts, strerror(-s->bfd));
			return KT_SETUP;
		}
		s->afd = kt_open_chan(span_a, s->ts, O_RDWR | O_NONBLOCK);
		if (s->afd < 0) {
			kt_msg("open /dev/tdmx/chan/%u/%u: %s", span_a, s->ts, strerror(-s->afd));
			return KT_SETUP;
		}
		ret = kt_chan_info(s->afd, &info);
		if (ret) {
			kt_msg("TDMX_IOC_GET_INFO on %u/%u: %s", span_a, s->ts, strerror(-ret));
			return KT_FAIL;
		}
		if (info.span != span_a || info.chan != s->ts) {
			kt_msg("TDMX_IOC_GET_INFO on %u/%u says %u/%u", span_a, s->ts,
			       info.span, info.chan);
			return KT_FAIL;
		}
		if (!kt_is_pcm(info.type)) {
			kt_msg("%u/%u is a %s channel, not PCM", span_a, s->ts,
			       kt_type_name(info.type));
			return KT_SETUP;
		}
		s->type = info.type;
	}
	return 0;
}

/* read B until every slot has seen the marker; false on timeout */
static bool wait_markers(const uint8_t *marker, double deadline)
{
	struct pollfd pfd[MAX_TS];
	uint8_t buf[1024];
	unsigned int i, left = nslots;
	ssize_t n, j;

	while (left) {
		double now = kt_now_ms();

		if (now > deadline)
			return false;
		for (i = 0; i < nslots; i++) {
			pfd[i].fd = slots[i].bfd;
			pfd[i].events = POLLIN;
		}
		if (poll(pfd, nslots, (int)(deadline - now) + 1) < 0 && errno != EINTR)
			return false;
		for (i = 0; i < nslots; i++) {
			struct slot *s = &slots[i];

			if (!(pfd[i].revents & POLLIN))
				continue;
			n = read(s->bfd, buf, sizeof(buf));
			for (j = 0; j < n && s->mpos < MARKER_LEN; j++) {
				if (buf[j] == marker[s->mpos])
					s->mpos++;
				else
					s->mpos = buf[j] == marker[0];
				if (s->mpos == MARKER_LEN) {
					s->marker_at = kt_now_ms();
					left--;
				}
			}
		}
	}
	return true;
}

static int probe_latency(unsigned int probes, double *lat)
{
	uint8_t marker[MARKER_LEN];
	unsigned int p, i, f, nlat = 0;
	double t0;

	for (p = 0; p < probes; p++) {
		for (f = 0; f < MARKER_LEN; f++)
			marker[f] = (uint8_t)(0x11 * (f + 1) + 3 * p);
		for (i = 0; i < nslots; i++) {
			drain(slots[i].afd);
			drain(slots[i].bfd);
			slots[i].mpos = 0;
		}
		t0 = kt_now_ms();
		for (i = 0; i < nslots; i++) {
			if (write(slots[i].afd, marker, MARKER_LEN) != MARKER_LEN) {
				kt_msg("probe %u: write on %u/%u: %s", p, span_a, slots[i].ts,
				       strerror(errno));
				return KT_FAIL;
			}
		}
		if (!wait_markers(marker, t0 + 3000)) {
			for (i = 0; i < nslots; i++)
				if (slots[i].mpos < MARKER_LEN)
					kt_msg("probe %u: FAIL: marker sent on %u/%u not read on %u/%u within 3 s",
					       p, span_a, slots[i].ts, span_b, slots[i].ts);
			return KT_FAIL;
		}
		for (i = 0; i < nslots; i++)
			lat[nlat++] = slots[i].marker_at - t0;
	}
	return 0;
}

static void fill_tx(struct slot *s)
{
	uint8_t buf[512];
	size_t n, i;
	ssize_t w;

	while (s->sent < total) {
		n = total - s->sent < sizeof(buf) ? (size_t)(total - s->sent) : sizeof(buf);
		for (i = 0; i < n; i++)
			buf[i] = pattern(s->sent + i, s->ts);
		w = write(s->afd, buf, n);
		if (w <= 0)
			return;
		s->sent += (uint64_t)w;
	}
}

static bool all_done(void)
{
	unsigned int i;

	for (i = 0; i < nslots; i++)
		if (!slots[i].chk.done)
			return false;
	return true;
}

static int stream_chan(double deadline)
{
	struct pollfd pfd[2 * MAX_TS];
	uint8_t buf[1024];
	unsigned int i;
	ssize_t n, j;

	for (i = 0; i < nslots; i++) {
		drain(slots[i].bfd);
		fill_tx(&slots[i]);
	}
	while (!all_done()) {
		double now = kt_now_ms();

		if (now > deadline) {
			kt_msg("stream: timed out");
			break;
		}
		for (i = 0; i < nslots; i++) {
			pfd[2 * i].fd = slots[i].afd;
			pfd[2 * i].events = (slots[i].sent < total ? POLLOUT : 0) | POLLIN;
			pfd[2 * i + 1].fd = slots[i].bfd;
			pfd[2 * i + 1].events = POLLIN;
		}
		if (poll(pfd, 2 * nslots, 100) < 0 && errno != EINTR) {
			kt_msg("poll: %s", strerror(errno));
			return KT_FAIL;
		}
		for (i = 0; i < nslots; i++) {
			struct slot *s = &slots[i];

			if (pfd[2 * i].revents & POLLIN)
				drain(s->afd);	/* A's receive: keep its FIFO from overrunning */
			if (pfd[2 * i].revents & POLLOUT)
				fill_tx(s);
			if (!(pfd[2 * i + 1].revents & POLLIN))
				continue;
			n = read(s->bfd, buf, sizeof(buf));
			for (j = 0; j < n; j++)
				check_octet(&s->chk, s->ts, buf[j]);
		}
	}
	return 0;
}

/* underruns of A's and overruns of B's channel FIFOs since the last call */
static unsigned long chan_events(const char *when)
{
	struct tdmx_chan_event ev;
	unsigned int i;
	unsigned long under = 0, over = 0;

	for (i = 0; i < nslots; i++) {
		while (!ioctl(slots[i].afd, TDMX_IOC_GET_EVENT, &ev))
			if (ev.type == TDMX_CHAN_EV_UNDERRUN)
				under++;
		while (!ioctl(slots[i].bfd, TDMX_IOC_GET_EVENT, &ev))
			if (ev.type == TDMX_CHAN_EV_OVERRUN)
				over++;
	}
	if (under || over)
		kt_msg("note: %s: %lu underrun events on span %u, %lu overrun events on span %u",
		       when, under, span_a, over, span_b);
	return under + over;
}

static int run_chan(unsigned int probes, unsigned int seconds)
{
	double *lat = calloc((size_t)probes * nslots + 1, sizeof(*lat));
	unsigned int i, nlat = probes * nslots;
	unsigned long stalls;
	int ret;

	if (!lat)
		return KT_SETUP;
	ret = open_slots();
	if (ret)
		goto out;
	ret = probe_latency(probes, lat);
	if (ret)
		goto out;
	chan_events("latency probes (they underrun by design)");
	ret = stream_chan(kt_now_ms() + seconds * 1000.0 + 15000);
	if (ret)
		goto out;
	stalls = chan_events("stream");
	qsort(lat, nlat, sizeof(*lat), cmp_double);
	ret = nlat ? report(lat[0], lat[nlat / 2], lat[nlat - 1], "ms (wall clock)") :
		     report(-1, -1, -1, "");
	/*
	 * This program fills A and drains B; when it was descheduled longer
	 * than a FIFO (128 ms) the kernel dropped or idled octets and said so
	 * with these events: a stall of the test, not a fault of the path.
	 */
	if (ret == KT_FAIL && stalls) {
		kt_msg("the failure came with FIFO overruns/underruns: a stall of this program");
		ret = KT_STALL;
	}
out:
	for (i = 0; i < nslots; i++) {
		if (slots[i].afd >= 0)
			close(slots[i].afd);
		if (slots[i].bfd >= 0)
			close(slots[i].bfd);
	}
	free(lat);
	return ret;
}

/* ------------------------------------------------------------- ring path */

struct ring {
	unsigned int span;
	int fd;
	uint8_t *map;
	struct tdmx_ring_hdr *hdr;
};

static int ring_open(struct ring *r, unsigned int span)
{
	r->span = span;
	r->map = MAP_FAILED;
	r->fd = kt_open_span(span, O_RDWR | O_NONBLOCK);
	if (r->fd < 0) {
		kt_msg("open /dev/tdmx/span/%u: %s", span, strerror(-r->fd));
		return KT_SETUP;
	}
	r->map = mmap(NULL, TDMX_RING_MMAP_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, r->fd, 0);
	if (r->map == MAP_FAILED) {
		kt_msg("mmap /dev/tdmx/span/%u: %s", span, strerror(errno));
		return KT_FAIL;
	}
	r->hdr = (struct tdmx_ring_hdr *)r->map;
	if (r->hdr->version != TDMX_RING_VERSION || r->hdr->slots != TDMX_RING_SLOTS ||
	    r->hdr->blocks != TDMX_RING_BLOCKS) {
		kt_msg("span %u ring header: version %u slots %u blocks %u, expected %u %u %u",
		       span, r->hdr->version, r->hdr->slots, r->hdr->blocks,
		       TDMX_RING_VERSION, TDMX_RING_SLOTS, TDMX_RING_BLOCKS);
		return KT_FAIL;
	}
	return 0;
}

static void ring_close(struct ring *r)
{
	if (r->map != MAP_FAILED)
		munmap(r->map, TDMX_RING_MMAP_SIZE);
	if (r->fd >= 0)
		close(r->fd);
}

static uint64_t rx_seq(const struct ring *r)
{
	return __atomic_load_n(&r->hdr->rx_seq, __ATOMIC_ACQUIRE);
}

/* the type of every slot, from its channel device (opened and closed) */
static int ring_types(void)
{
	struct tdmx_chan_info info;
	unsigned int i;
	int fd, ret;

	for (i = 0; i < nslots; i++) {
		fd = kt_open_chan(span_a, slots[i].ts, O_RDONLY | O_NONBLOCK);
		if (fd < 0) {
			kt_msg("open /dev/tdmx/chan/%u/%u: %s", span_a, slots[i].ts, strerror(-fd));
			return KT_SETUP;
		}
		ret = kt_chan_info(fd, &info);
		close(fd);
		if (ret) {
			kt_msg("TDMX_IOC_GET_INFO on %u/%u: %s", span_a, slots[i].ts, strerror(-ret));
			return KT_FAIL;
		}
		if (!kt_is_pcm(info.type)) {
			kt_msg("%u/%u is a %s channel, not PCM", span_a, slots[i].ts,
			       kt_type_name(info.type));
			return KT_SETUP;
		}
		slots[i].type = info.type;
	}
	return 0;
}

static void write_block(struct ring *a, uint64_t seq, uint64_t s0)
{
	uint8_t *blk = a->map + TDMX_RING_TX_OFFSET + (seq % TDMX_RING_BLOCKS) * TDMX_RING_BLOCK_BYTES;
	unsigned int i, f;

	memset(blk, 0xFF, TDMX_RING_BLOCK_BYTES);
	for (i = 0; i < nslots; i++) {
		for (f = 0; f < TDMX_RING_FRAMES; f++) {
			uint64_t k = (seq - s0) * TDMX_RING_FRAMES + f;

			blk[slots[i].ts * TDMX_RING_FRAMES + f] =
				k < total ? pattern(k, slots[i].ts) : 0xD5;
		}
	}
	__atomic_store_n(&a->hdr->tx_seq_done, seq + 1, __ATOMIC_RELEASE);
}

/* read B's new rx blocks into the checkers; false when blocks were lost */
static bool read_blocks(struct ring *b, uint64_t *next)
{
	uint64_t cur = rx_seq(b), seq;
	unsigned int i, f;

	if (cur > *next + TDMX_RING_BLOCKS) {
		kt_msg("FAIL: span %u rx ring: %llu blocks overwritten before they were read",
		       b->span, (unsigned long long)(cur - *next - TDMX_RING_BLOCKS));
		return false;
	}
	for (seq = *next; seq < cur; seq++) {
		const uint8_t *blk = b->map + TDMX_RING_RX_OFFSET +
				     (seq % TDMX_RING_BLOCKS) * TDMX_RING_BLOCK_BYTES;

		for (i = 0; i < nslots; i++) {
			struct checker *c = &slots[i].chk;

			for (f = 0; f < TDMX_RING_FRAMES; f++) {
				c->pos = seq * TDMX_RING_FRAMES + f;
				check_octet(c, slots[i].ts, blk[slots[i].ts * TDMX_RING_FRAMES + f]);
			}
		}
	}
	if (rx_seq(b) > *next + TDMX_RING_BLOCKS) {
		kt_msg("FAIL: span %u rx ring: overwritten while being read", b->span);
		return false;
	}
	*next = cur;
	return true;
}

static int run_ring(unsigned int seconds)
{
	struct ring a = { .fd = -1, .map = MAP_FAILED }, b = { .fd = -1, .map = MAP_FAILED };
	struct tdmx_span_wake w;
	struct pollfd pfd[2];
	uint64_t s0, a_next, b_next, missed0 = 0, tx_delay;
	double deadline, lat[MAX_TS];
	bool missed_known = false;
	unsigned int i;
	int ret;

	ret = ring_types();
	if (ret)
		return ret;
	ret = ring_open(&b, span_b);
	if (!ret)
		ret = ring_open(&a, span_a);
	if (ret)
		goto out;
	tx_delay = a.hdr->tx_delay;
	b_next = rx_seq(&b);
	s0 = a_next = rx_seq(&a) + RING_START;
	deadline = kt_now_ms() + seconds * 1000.0 + 15000;
	while (!all_done()) {
		if (kt_now_ms() > deadline) {
			kt_msg("stream: timed out");
			break;
		}
		while (a_next < rx_seq(&a) + RING_AHEAD)
			write_block(&a, a_next++, s0);
		if (!missed_known && rx_seq(&a) > s0 + tx_delay + 1) {
			missed0 = a.hdr->tx_missed;
			missed_known = true;
		}
		if (!read_blocks(&b, &b_next)) {
			ret = KT_FAIL;
			goto out;
		}
		pfd[0].fd = a.fd;
		pfd[0].events = POLLIN;
		pfd[1].fd = b.fd;
		pfd[1].events = POLLIN;
		if (poll(pfd, 2, 100) < 0 && errno != EINTR) {
			kt_msg("poll: %s", strerror(errno));
			ret = KT_FAIL;
			goto out;
		}
		if (pfd[0].revents & POLLIN && read(a.fd, &w, sizeof(w)) != sizeof(w) && errno != EAGAIN)
			kt_msg("read /dev/tdmx/span/%u: %s", span_a, strerror(errno));
		if (pfd[1].revents & POLLIN && read(b.fd, &w, sizeof(w)) != sizeof(w) && errno != EAGAIN)
			kt_msg("read /dev/tdmx/span/%u: %s", span_b, strerror(errno));
	}
	if (missed_known && a.hdr->tx_missed != missed0)
		kt_msg("note: span %u sent %llu tx blocks before they were written (writer late)",
		       span_a, (unsigned long long)(a.hdr->tx_missed - missed0));
	for (i = 0; i < nslots; i++)
		lat[i] = slots[i].chk.locked ?
			 ((double)slots[i].chk.lock_pos - (double)(s0 * TDMX_RING_FRAMES)) / 8.0 : -1;
	qsort(lat, nslots, sizeof(*lat), cmp_double);
	ret = report(lat[0], lat[nslots / 2], lat[nslots - 1], "ms (line time, tx block to rx block)");
out:
	ring_close(&a);
	ring_close(&b);
	return ret;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: tdmx-pcmtest [-t TS]... [-a] [-r] [-s SECONDS] [-p PROBES] SPAN_A SPAN_B\n");
	exit(KT_SETUP);
}

int main(int argc, char **argv)
{
	unsigned int seconds = 3, probes = 5, i, ts;
	bool all = false, ring = false;
	int opt, ret;

	kt_prog = "tdmx-pcmtest";
	setvbuf(stdout, NULL, _IOLBF, 0);
	while ((opt = getopt(argc, argv, "t:ars:p:h")) != -1) {
		switch (opt) {
		case 't':
			if (nslots == MAX_TS)
				usage();
			slots[nslots++].ts = (unsigned int)kt_uint(optarg, "timeslot", 1, 31);
			break;
		case 'a':
			all = true;
			break;
		case 'r':
			ring = true;
			break;
		case 's':
			seconds = (unsigned int)kt_uint(optarg, "seconds", 1, 600);
			break;
		case 'p':
			probes = (unsigned int)kt_uint(optarg, "probes", 0, 1000);
			break;
		default:
			usage();
		}
	}
	if (argc - optind != 2)
		usage();
	span_a = (unsigned int)kt_uint(argv[optind], "SPAN_A", 1, 65535);
	span_b = (unsigned int)kt_uint(argv[optind + 1], "SPAN_B", 1, 65535);
	total = (uint64_t)seconds * 8000;

	if (all) {
		/* every PCM channel of A that exists */
		struct tdmx_chan_info info;
		int fd;

		nslots = 0;
		for (ts = 1; ts < MAX_TS; ts++) {
			fd = kt_open_chan(span_a, ts, O_RDONLY | O_NONBLOCK);
			if (fd < 0)
				continue;
			if (!kt_chan_info(fd, &info) && kt_is_pcm(info.type))
				slots[nslots++].ts = ts;
			close(fd);
		}
		if (!nslots) {
			kt_msg("span %u has no PCM channel", span_a);
			return KT_SETUP;
		}
	} else if (!nslots) {
		slots[nslots++].ts = 1;
	}
	for (i = 0; i < nslots; i++) {
		slots[i].afd = -1;
		slots[i].bfd = -1;
	}
	kt_msg("span %u -> %u, %u timeslots, %u s, %s path", span_a, span_b, nslots, seconds,
	       ring ? "ring" : "channel");
	ret = ring ? run_ring(seconds) : run_chan(probes, seconds);
	return ret;
}
