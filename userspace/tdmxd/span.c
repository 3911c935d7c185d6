// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tdmxd spans: attach a span device and process its rings (see span.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "libtdmx.h"
#include "log.h"
#include "span.h"

/* rx blocks kept clear of the kernel's writer when catching up */
#define CATCHUP_SLACK	2

struct dspan {
	struct tdmx_span_wake wake;	/* READ target; first for alignment */
	struct tdmx_ring ring;
	unsigned int num;
	unsigned int law;
	unsigned int block_ms;
	unsigned int jitter_ms;
	unsigned int ahead;
	unsigned int tx_delay;
	struct loop *loop;
	const struct dspan_ops *ops;
	void *arg;
	uint64_t next;		/* next rx block to process */
	bool started;		/* next is valid */
	bool poll_armed;
	bool read_busy;
	bool stopping;
	uint64_t alarm_seq;
	unsigned int alarms_known;	/* wake-ups that reported alarms */
	uint64_t tx_missed0;
	uint64_t miss_from;	/* rx_seq from which tx misses are ours */
	struct dspan_stats st;
	void (*done)(struct dspan *s, void *arg);
	void *done_arg;
} __attribute__((aligned(16)));

static void count(uint64_t *c, uint64_t v)
{
	__atomic_store_n(c, v, __ATOMIC_RELAXED);
}

/* the span's block_ms and law: set what the configuration asks for */
static void configure(struct dspan *s, const struct cfg_span *cs, struct tdmx *nl)
{
	struct tdmx_span cur, set = { 0 };
	int ret;

	s->block_ms = cs->block_ms;
	s->law = cs->law ? cs->law : MEDIA_ALAW;
	if (!nl) {
		log_span(LOG_WARNING, s->num, "no netlink: block_ms and law not checked");
		return;
	}
	ret = tdmx_span_get(nl, s->num, &cur);
	if (ret) {
		log_span(LOG_WARNING, s->num, "netlink span get: %s", strerror(-ret));
		return;
	}
	if (!cs->law && (cur.fields & TDMX_SPAN_F_LAW))
		s->law = cur.law == TDMX_LAW_ULAW ? MEDIA_ULAW : MEDIA_ALAW;
	if ((cur.fields & TDMX_SPAN_F_BLOCK_MS) && cur.block_ms != cs->block_ms) {
		set.fields |= TDMX_SPAN_F_BLOCK_MS;
		set.block_ms = (uint8_t)cs->block_ms;
	}
	if (cs->law && (cur.fields & TDMX_SPAN_F_LAW) && cur.law != cs->law) {
		set.fields |= TDMX_SPAN_F_LAW;
		set.law = (uint8_t)cs->law;
	}
	if (!set.fields)
		return;
	ret = tdmx_span_set(nl, s->num, &set);
	if (ret) {
		log_span(LOG_WARNING, s->num, "cannot set block_ms %u / law: %s%s%s", cs->block_ms,
			 strerror(-ret), *tdmx_ext_ack(nl) ? ": " : "", tdmx_ext_ack(nl));
		if (cur.fields & TDMX_SPAN_F_BLOCK_MS)
			s->block_ms = cur.block_ms;
		if (cur.fields & TDMX_SPAN_F_LAW)
			s->law = cur.law == TDMX_LAW_ULAW ? MEDIA_ULAW : MEDIA_ALAW;
	}
}

/**
 * dspan_open() - open and map /dev/tdmx/span/<n>, set its block_ms and law
 * @sp: result
 * @cs: the span's configuration
 * @jitter_ms: wake-up lateness to absorb (sets how far ahead tx is written)
 * @nl: netlink handle to check and set block_ms and law, or NULL
 *
 * Every tx block is filled with the idle octet of the span's law. Call on
 * any thread; dspan_start() then hands it to a worker.
 *
 * Return: 0 or a negative errno.
 */
int dspan_open(struct dspan **sp, const struct cfg_span *cs, unsigned int jitter_ms,
	       struct tdmx *nl)
{
	struct dspan *s;
	int ret, max;

	s = aligned_alloc(16, sizeof(*s));
	if (!s)
		return -ENOMEM;
	memset(s, 0, sizeof(*s));
	s->num = cs->span;
	s->jitter_ms = jitter_ms;
	configure(s, cs, nl);
	ret = tdmx_ring_open(&s->ring, s->num, O_RDWR | O_CLOEXEC);
	if (ret) {
		free(s);
		return ret;
	}
	s->tx_delay = s->ring.hdr->tx_delay;
	if (s->ring.hdr->block_ms >= 1 && s->ring.hdr->block_ms <= MEDIA_MAX_BLOCK_MS)
		s->block_ms = s->ring.hdr->block_ms;
	/* tx block seq + ahead must still be unsent after a wake that found
	 * block_ms + jitter_ms blocks, and must not lap the kernel's reader */
	max = TDMX_RING_BLOCKS - (int)s->tx_delay - (int)s->block_ms;
	s->ahead = s->block_ms + jitter_ms + 1 > s->tx_delay ?
		   s->block_ms + jitter_ms + 1 - s->tx_delay : 1;
	if ((int)s->ahead > max)
		s->ahead = max > 1 ? (unsigned int)max : 1;
	memset(s->ring.tx, dspan_idle(s->law), TDMX_RING_BLOCKS * TDMX_RING_BLOCK_BYTES);
	s->tx_missed0 = __atomic_load_n(&s->ring.hdr->tx_missed, __ATOMIC_RELAXED);
	*sp = s;
	return 0;
}

void dspan_set_ops(struct dspan *s, const struct dspan_ops *ops, void *arg)
{
	s->ops = ops;
	s->arg = arg;
}

static void arm_poll(struct dspan *s)
{
	struct io_uring_sqe *sqe = loop_sqe(s->loop);

	io_uring_prep_poll_multishot(sqe, s->ring.fd, POLLIN);
	io_uring_sqe_set_data64(sqe, loop_tag(LOOP_OP_SPAN_POLL, s));
	s->poll_armed = true;
}

static void arm_read(struct dspan *s)
{
	struct io_uring_sqe *sqe = loop_sqe(s->loop);

	io_uring_prep_read(sqe, s->ring.fd, &s->wake, sizeof(s->wake), 0);
	io_uring_sqe_set_data64(sqe, loop_tag(LOOP_OP_SPAN_READ, s));
	s->read_busy = true;
}

/**
 * dspan_start() - start processing @s on loop @l (call on @l's thread)
 * @s: an opened span with its ops set
 * @l: the worker's loop
 */
void dspan_start(struct dspan *s, struct loop *l)
{
	s->loop = l;
	s->started = false;
	arm_poll(s);
	log_span(LOG_INFO, s->num, "attached on %s: block %u ms, tx %u ms ahead + %u ms delay, %s",
		 loop_name(l), s->block_ms, s->ahead, s->tx_delay,
		 s->law == MEDIA_ULAW ? "mu-law" : "A-law");
}

static void maybe_done(struct dspan *s)
{
	if (s->stopping && !s->poll_armed && !s->read_busy && s->done)
		s->done(s, s->done_arg);
}

/**
 * dspan_stop() - stop processing (call on the span's loop thread)
 * @s: the span
 * @done: called (on that thread) once no operation of @s is in flight;
 *	then dspan_close() may free it
 * @arg: for @done
 */
void dspan_stop(struct dspan *s, void (*done)(struct dspan *s, void *arg), void *arg)
{
	s->stopping = true;
	s->done = done;
	s->done_arg = arg;
	if (s->poll_armed)
		loop_cancel(s->loop, LOOP_OP_SPAN_POLL, s);
	if (s->read_busy)
		loop_cancel(s->loop, LOOP_OP_SPAN_READ, s);
	maybe_done(s);
}

/* unmap, close and free (not running on any loop) */
void dspan_close(struct dspan *s)
{
	if (!s)
		return;
	tdmx_ring_close(&s->ring);
	free(s);
}

static void alarms(struct dspan *s)
{
	char text[128];

	if (s->alarms_known && s->wake.alarm_seq == s->alarm_seq)
		return;
	s->alarm_seq = s->wake.alarm_seq;
	__atomic_store_n(&s->st.alarms, s->wake.alarms, __ATOMIC_RELAXED);
	if (!s->wake.alarms) {
		if (!s->alarms_known++)
			return;
		log_span(LOG_NOTICE, s->num, "alarms cleared");
		return;
	}
	s->alarms_known++;
	tdmx_alarms_text(s->wake.alarms, text, sizeof(text));
	log_span(LOG_WARNING, s->num, "alarms: %s", text);
}

/**
 * dspan_avail() - rx blocks published and not consumed yet
 * @s: the span (on its worker)
 *
 * The first call after dspan_start() starts at the newest block (nothing
 * older: the daemon was not there) and returns 0. When the kernel has
 * overwritten blocks not consumed, they are skipped and counted as lost.
 *
 * Return: the count; negative when dspan_skip() went past the newest.
 */
int64_t dspan_avail(struct dspan *s)
{
	uint64_t end = tdmx_ring_rx_seq(&s->ring);
	int64_t n;

	if (!s->started) {
		s->next = end;
		s->started = true;
		s->miss_from = end + s->ahead + s->tx_delay;
		return 0;
	}
	n = (int64_t)(end - s->next);
	if (n > TDMX_RING_BLOCKS - CATCHUP_SLACK) {
		log_span(LOG_WARNING, s->num, "%lld rx blocks lost (woken too late)",
			 (long long)(n - (TDMX_RING_BLOCKS - CATCHUP_SLACK)));
		dspan_skip(s, (uint64_t)n - (TDMX_RING_BLOCKS - CATCHUP_SLACK), true);
		n = TDMX_RING_BLOCKS - CATCHUP_SLACK;
	}
	return n;
}

/* the next rx block to consume */
uint64_t dspan_next(const struct dspan *s)
{
	return s->next;
}

/* the rx ring: TDMX_RING_BLOCKS blocks, block seq at index seq % blocks */
const uint8_t *dspan_rx_ring(const struct dspan *s)
{
	return s->ring.rx;
}

/* tx block @seq (the one that answers rx block seq - ahead) */
uint8_t *dspan_tx_block(struct dspan *s, uint64_t seq)
{
	return tdmx_ring_tx_block(&s->ring, seq);
}

/* publish tx block @seq (release store of tx_seq_done) */
void dspan_tx_done(struct dspan *s, uint64_t seq)
{
	tdmx_ring_tx_done(&s->ring, seq);
}

/**
 * dspan_consume() - @n rx blocks were processed (their tx blocks written)
 * @s: the span
 * @n: blocks
 */
void dspan_consume(struct dspan *s, unsigned int n)
{
	uint64_t missed;

	s->next += n;
	count(&s->st.blocks, s->st.blocks + n);
	if (n > s->block_ms + s->jitter_ms)
		count(&s->st.late, s->st.late + 1);
	if (n > s->st.max_batch)
		count(&s->st.max_batch, n);
	missed = __atomic_load_n(&s->ring.hdr->tx_missed, __ATOMIC_RELAXED);
	/* until our first tx block went out, the kernel sent what was there */
	if (tdmx_ring_rx_seq(&s->ring) < s->miss_from)
		s->tx_missed0 = missed;
	count(&s->st.tx_missed, missed - s->tx_missed0);
}

/**
 * dspan_skip() - drop @n rx blocks without processing them
 * @s: the span
 * @n: blocks
 * @lost: count them as lost (else: a slip to line spans up, not counted)
 */
void dspan_skip(struct dspan *s, uint64_t n, bool lost)
{
	s->next += n;
	if (lost)
		count(&s->st.rx_lost, s->st.rx_lost + n);
}

/* no hook: consume and send idle */
static void idle_wake(struct dspan *s)
{
	int64_t n = dspan_avail(s), i;

	for (i = 0; i < n; i++) {
		memset(dspan_tx_block(s, s->next + (uint64_t)i + s->ahead), dspan_idle(s->law),
		       TDMX_RING_BLOCK_BYTES);
		dspan_tx_done(s, s->next + (uint64_t)i + s->ahead);
	}
	if (n > 0)
		dspan_consume(s, (unsigned int)n);
}

static void on_poll(struct loop *l, void *ptr, int res, unsigned int flags)
{
	struct dspan *s = ptr;

	(void)l;
	if (!(flags & IORING_CQE_F_MORE))
		s->poll_armed = false;
	if (s->stopping) {
		maybe_done(s);
		return;
	}
	if (res < 0) {
		log_span(LOG_ERR, s->num, "poll: %s", strerror(-res));
	} else if ((res & POLLIN) && !s->read_busy) {
		arm_read(s);
	}
	if (!s->poll_armed)
		arm_poll(s);	/* the kernel ended the multishot poll */
}

static void on_read(struct loop *l, void *ptr, int res, unsigned int flags)
{
	struct dspan *s = ptr;

	(void)l;
	(void)flags;
	s->read_busy = false;
	if (s->stopping) {
		maybe_done(s);
		return;
	}
	if (res == (int)sizeof(s->wake)) {
		count(&s->st.wakes, s->st.wakes + 1);
		alarms(s);
		if (s->ops && s->ops->wake)
			s->ops->wake(s->arg, s);
		else
			idle_wake(s);
	} else if (res < 0 && res != -EAGAIN && res != -EINTR) {
		log_span(LOG_ERR, s->num, "read: %s", strerror(-res));
	}
}

/* install the span completion handlers on a worker loop */
void dspan_register(struct loop *l)
{
	loop_on(l, LOOP_OP_SPAN_POLL, on_poll);
	loop_on(l, LOOP_OP_SPAN_READ, on_read);
}

unsigned int dspan_num(const struct dspan *s)
{
	return s->num;
}

unsigned int dspan_law(const struct dspan *s)
{
	return s->law;
}

unsigned int dspan_block_ms(const struct dspan *s)
{
	return s->block_ms;
}

unsigned int dspan_ahead(const struct dspan *s)
{
	return s->ahead;
}

unsigned int dspan_tx_delay(const struct dspan *s)
{
	return s->tx_delay;
}

unsigned int dspan_channels(const struct dspan *s)
{
	return s->ring.hdr->channels;
}

struct loop *dspan_loop(const struct dspan *s)
{
	return s->loop;
}

/* a snapshot of the counters (from any thread) */
void dspan_get_stats(const struct dspan *s, struct dspan_stats *st)
{
	st->wakes = __atomic_load_n(&s->st.wakes, __ATOMIC_RELAXED);
	st->blocks = __atomic_load_n(&s->st.blocks, __ATOMIC_RELAXED);
	st->late = __atomic_load_n(&s->st.late, __ATOMIC_RELAXED);
	st->max_batch = __atomic_load_n(&s->st.max_batch, __ATOMIC_RELAXED);
	st->rx_lost = __atomic_load_n(&s->st.rx_lost, __ATOMIC_RELAXED);
	st->tx_missed = __atomic_load_n(&s->st.tx_missed, __ATOMIC_RELAXED);
	st->alarms = __atomic_load_n(&s->st.alarms, __ATOMIC_RELAXED);
}
