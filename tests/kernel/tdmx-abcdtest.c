// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tdmx-abcdtest: ABCD signalling set on one span's CAS channels arrives on
 * the other span's, with an event per change.
 *
 *   tdmx-abcdtest [-w MS] SPAN_A SPAN_B
 *
 *   -w MS   how long a change may take to arrive (default 2000)
 *
 * Both spans must be set to CAS signalling: E1 timeslots 1-15 and 17-31
 * (30) or T1 channels 1-24 are cas channels. Every cas channel of both
 * spans is opened, then three rounds run: A -> B, B -> A, A -> B again,
 * each with different values. In a round every channel of the sender gets
 * its own ABCD (TDMX_IOC_SET_TX_ABCD; never 0000, which G.704 forbids, and
 * never the 1101 the kernel starts with, so every round is a change), and
 * within MS every channel of the receiver must report that value in
 * TDMX_IOC_GET_RX_ABCD and have queued a TDMX_CHAN_EV_ABCD event carrying
 * it (TDMX_IOC_GET_EVENT). Also checked: TDMX_IOC_SET_TX_ABCD refuses 16
 * with EINVAL, an unknown ioctl gives ENOTTY, event sequence numbers
 * increase.
 */
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>

#include "ktest.h"

#define MAX_CH	32

struct side {
	unsigned int span;
	unsigned int n;
	unsigned int ts[MAX_CH];
	int fd[MAX_CH];
	uint64_t last_seq[MAX_CH];
	bool got_event[MAX_CH];
	unsigned int alarm_events;
};

/* values 1..15 except 0xD (the kernel's initial E1 value) */
static const uint8_t values[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 15 };
#define NVALUES (sizeof(values) / sizeof(values[0]))

static uint8_t value_for(unsigned int round, unsigned int ts)
{
	return values[(ts + 5 * round) % NVALUES];
}

static int open_side(struct side *s, unsigned int span)
{
	struct tdmx_chan_info info;
	unsigned int ts;
	int fd;

	s->span = span;
	s->n = 0;
	for (ts = 1; ts < MAX_CH; ts++) {
		fd = kt_open_chan(span, ts, O_RDWR | O_NONBLOCK);
		if (fd < 0)
			continue;
		if (kt_chan_info(fd, &info) || info.type != TDMX_CHAN_CAS) {
			close(fd);
			continue;
		}
		s->ts[s->n] = ts;
		s->fd[s->n] = fd;
		s->last_seq[s->n] = 0;
		s->n++;
	}
	if (!s->n) {
		kt_msg("span %u has no cas channel (span not set to cas signalling?)", span);
		return KT_SETUP;
	}
	return 0;
}

static void close_side(struct side *s)
{
	unsigned int i;

	for (i = 0; i < s->n; i++)
		close(s->fd[i]);
	s->n = 0;
}

/*
 * Take every pending event; false when a sequence number went backwards.
 * The channels' PCM is read and dropped first: a full receive FIFO would
 * queue an overrun event every tick and push the ABCD events out of the
 * kernel's 16-entry event queue.
 */
static bool take_events(struct side *s, unsigned int round)
{
	struct tdmx_chan_event ev;
	uint8_t pcm[1024];
	unsigned int i;
	bool ok = true;

	for (i = 0; i < s->n; i++) {
		while (read(s->fd[i], pcm, sizeof(pcm)) > 0)
			;
		while (!ioctl(s->fd[i], TDMX_IOC_GET_EVENT, &ev)) {
			if (ev.seq <= s->last_seq[i]) {
				kt_msg("FAIL: %u/%u: event seq %llu after %llu", s->span, s->ts[i],
				       (unsigned long long)ev.seq,
				       (unsigned long long)s->last_seq[i]);
				ok = false;
			}
			s->last_seq[i] = ev.seq;
			if (ev.type == TDMX_CHAN_EV_ABCD && ev.value == value_for(round, s->ts[i]))
				s->got_event[i] = true;
			else if (ev.type == TDMX_CHAN_EV_ALARM)
				s->alarm_events++;
		}
		if (errno != EAGAIN) {
			kt_msg("FAIL: %u/%u: TDMX_IOC_GET_EVENT: %s (expected EAGAIN when empty)",
			       s->span, s->ts[i], strerror(errno));
			ok = false;
		}
	}
	return ok;
}

static bool rx_matches(struct side *s, unsigned int round, bool verbose)
{
	unsigned int i;
	uint32_t v;
	bool ok = true;

	for (i = 0; i < s->n; i++) {
		if (ioctl(s->fd[i], TDMX_IOC_GET_RX_ABCD, &v)) {
			kt_msg("FAIL: %u/%u: TDMX_IOC_GET_RX_ABCD: %s", s->span, s->ts[i],
			       strerror(errno));
			return false;
		}
		if (v != value_for(round, s->ts[i])) {
			if (verbose)
				kt_msg("FAIL: %u/%u: rx ABCD %x, expected %x", s->span, s->ts[i],
				       v, value_for(round, s->ts[i]));
			ok = false;
		} else if (!s->got_event[i]) {
			if (verbose)
				kt_msg("FAIL: %u/%u: rx ABCD %x but no ABCD event with it", s->span,
				       s->ts[i], v);
			ok = false;
		}
	}
	return ok;
}

static int one_round(struct side *tx, struct side *rx, unsigned int round, unsigned int wait_ms)
{
	double start, deadline;
	unsigned int i;
	uint32_t v;

	if (!take_events(rx, round))
		return KT_FAIL;
	for (i = 0; i < rx->n; i++)
		rx->got_event[i] = false;
	start = kt_now_ms();
	for (i = 0; i < tx->n; i++) {
		v = value_for(round, tx->ts[i]);
		if (ioctl(tx->fd[i], TDMX_IOC_SET_TX_ABCD, &v)) {
			kt_msg("FAIL: %u/%u: TDMX_IOC_SET_TX_ABCD %x: %s", tx->span, tx->ts[i], v,
			       strerror(errno));
			return KT_FAIL;
		}
	}
	deadline = start + wait_ms;
	for (;;) {
		if (!take_events(rx, round) || !take_events(tx, round))
			return KT_FAIL;
		if (rx_matches(rx, round, false))
			break;
		if (kt_now_ms() > deadline) {
			kt_msg("round %u (span %u -> %u): not all changes arrived within %u ms:",
			       round, tx->span, rx->span, wait_ms);
			rx_matches(rx, round, true);
			return KT_FAIL;
		}
		usleep(5000);
	}
	kt_msg("round %u: span %u -> %u: %u channels changed in %.0f ms, events seen", round,
	       tx->span, rx->span, rx->n, kt_now_ms() - start);
	return 0;
}

static int check_errors(struct side *s)
{
	uint32_t v = 16;
	int ret = 0;

	if (ioctl(s->fd[0], TDMX_IOC_SET_TX_ABCD, &v) != -1 || errno != EINVAL) {
		kt_msg("FAIL: %u/%u: TDMX_IOC_SET_TX_ABCD 16 was not refused with EINVAL", s->span,
		       s->ts[0]);
		ret = KT_FAIL;
	}
	if (ioctl(s->fd[0], _IO(TDMX_IOC_MAGIC, 99)) != -1 || errno != ENOTTY) {
		kt_msg("FAIL: %u/%u: an unknown ioctl did not fail with ENOTTY", s->span, s->ts[0]);
		ret = KT_FAIL;
	}
	return ret;
}

static void usage(void)
{
	fprintf(stderr, "usage: tdmx-abcdtest [-w MS] SPAN_A SPAN_B\n");
	exit(KT_SETUP);
}

int main(int argc, char **argv)
{
	struct side a = { 0 }, b = { 0 };
	unsigned int wait_ms = 2000;
	int opt, ret;

	kt_prog = "tdmx-abcdtest";
	setvbuf(stdout, NULL, _IOLBF, 0);
	while ((opt = getopt(argc, argv, "w:h")) != -1) {
		switch (opt) {
		case 'w':
			wait_ms = (unsigned int)kt_uint(optarg, "MS", 1, 600000);
			break;
		default:
			usage();
		}
	}
	if (argc - optind != 2)
		usage();

	ret = open_side(&a, (unsigned int)kt_uint(argv[optind], "SPAN_A", 1, 65535));
	if (ret)
		goto out;
	ret = open_side(&b, (unsigned int)kt_uint(argv[optind + 1], "SPAN_B", 1, 65535));
	if (ret)
		goto out;
	if (a.n != b.n) {
		kt_msg("FAIL: span %u has %u cas channels, span %u has %u", a.span, a.n, b.span, b.n);
		ret = KT_FAIL;
		goto out;
	}
	kt_msg("spans %u and %u: %u cas channels each", a.span, b.span, a.n);
	ret = check_errors(&a);
	if (!ret)
		ret = one_round(&a, &b, 0, wait_ms);
	if (!ret)
		ret = one_round(&b, &a, 1, wait_ms);
	if (!ret)
		ret = one_round(&a, &b, 2, wait_ms);
	if (a.alarm_events || b.alarm_events)
		kt_msg("note: alarm events during the test: span %u %u, span %u %u", a.span,
		       a.alarm_events, b.span, b.alarm_events);
	kt_msg("%s", ret ? "FAIL" : "ok");
out:
	close_side(&a);
	close_side(&b);
	return ret;
}
