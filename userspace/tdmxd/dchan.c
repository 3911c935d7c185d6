// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tdmxd D-channels: open the hdlc channels of a span and move their frames
 * through io_uring (see dchan.h). Each channel has two 16-byte-aligned
 * operation records, one for its READ and one for its WRITE, whose
 * addresses are the tags' pointers (loop.h), so one loop op serves both.
 *
 * The device is opened O_NONBLOCK, so that no plain read() or write() can
 * ever block the loop; io_uring then completes a READ (WRITE) with
 * -EAGAIN rather than waiting, and the wait is a one-shot POLL_ADD for
 * POLLIN (POLLOUT) on the same record, after which the operation is
 * issued again.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dchan.h"
#include "log.h"

enum { IO_RX, IO_TX };

struct dchan;

struct dchan_io {
	struct dchan *c;
	int kind;
	bool busy;	/* a READ/WRITE or its POLL_ADD is in flight */
	bool polling;	/* that is the POLL_ADD */
} __attribute__((aligned(16)));

struct dchan {
	struct dchan_io rx, tx;
	struct dchan_set *set;
	struct dchan *next;
	unsigned int span, ts;
	int fd;
	bool closing;
	struct dchan_stats st;
	struct dchan_txq txq;
	uint8_t rxbuf[DCHAN_RX_MAX];
};

struct dchan_set {
	struct loop *loop;
	enum loop_op op;
	struct tdmx *nl;
	const struct dchan_ops *ops;
	void *arg;
	struct dchan *list;	/* open and closing channels, newest first */
};

static uint64_t now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	return (uint64_t)t.tv_sec * 1000 + (uint64_t)t.tv_nsec / 1000000;
}

static struct dchan *find(const struct dchan_set *ds, unsigned int span, unsigned int ts)
{
	struct dchan *c;

	for (c = ds->list; c; c = c->next)
		if (c->span == span && c->ts == ts && !c->closing)
			return c;
	return NULL;
}

static void free_chan(struct dchan *c)
{
	struct dchan **pp;

	for (pp = &c->set->list; *pp; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	close(c->fd);
	free(c);
}

/* a closing channel goes once nothing of it is in flight */
static void maybe_free(struct dchan *c)
{
	if (c->closing && !c->rx.busy && !c->tx.busy)
		free_chan(c);
}

static void start_close(struct dchan *c, const char *why)
{
	struct dchan_set *ds = c->set;

	if (c->closing)
		return;
	c->closing = true;
	log_span(LOG_INFO, c->span, "D-channel %u closed: %s", c->ts, why);
	if (c->rx.busy)
		loop_cancel(ds->loop, ds->op, &c->rx);
	if (c->tx.busy)
		loop_cancel(ds->loop, ds->op, &c->tx);
	if (ds->ops && ds->ops->gone)
		ds->ops->gone(ds->arg, c->span, c->ts);
}

/* wait until the device is readable (writable) for @io */
static void arm_poll(struct dchan_io *io)
{
	struct dchan *c = io->c;
	struct io_uring_sqe *sqe = loop_sqe(c->set->loop);

	io_uring_prep_poll_add(sqe, c->fd, io->kind == IO_RX ? POLLIN : POLLOUT);
	io_uring_sqe_set_data64(sqe, loop_tag(c->set->op, io));
	io->busy = true;
	io->polling = true;
}

static void arm_read(struct dchan *c)
{
	struct io_uring_sqe *sqe = loop_sqe(c->set->loop);

	io_uring_prep_read(sqe, c->fd, c->rxbuf, sizeof(c->rxbuf), 0);
	io_uring_sqe_set_data64(sqe, loop_tag(c->set->op, &c->rx));
	c->rx.busy = true;
}

static void kick_write(struct dchan *c)
{
	struct io_uring_sqe *sqe;
	const uint8_t *p;
	size_t len;

	if (c->tx.busy || c->closing)
		return;
	p = dchan_txq_peek(&c->txq, &len);
	if (!p)
		return;
	sqe = loop_sqe(c->set->loop);
	io_uring_prep_write(sqe, c->fd, p, (unsigned int)len, 0);
	io_uring_sqe_set_data64(sqe, loop_tag(c->set->op, &c->tx));
	c->tx.busy = true;
}

/* the channel is no more: retyped, span removed, module unloaded */
static bool gone(int res)
{
	return res == 0 || res == -ENODEV || res == -EIO || res == -EBADF || res == -ENODATA;
}

static void rx_done(struct dchan *c, int res)
{
	struct dchan_set *ds = c->set;

	if (c->closing)
		return;
	if (res > DCHAN_FCS_LEN) {
		c->st.rx_frames++;
		if (ds->ops && ds->ops->rx)
			ds->ops->rx(ds->arg, c->span, c->ts, c->rxbuf,
				    (size_t)res - DCHAN_FCS_LEN, now_ms());
	} else if (gone(res)) {
		start_close(c, res ? strerror(-res) : "end of file");
		return;
	} else if (res == -EAGAIN) {
		arm_poll(&c->rx);
		return;
	} else if (res != -EINTR) {
		/* a short frame or a kernel error: count it, keep reading */
		c->st.rx_errors++;
		log_span(LOG_DEBUG, c->span, "D-channel %u read: %s", c->ts,
			 res < 0 ? strerror(-res) : "frame without payload");
	}
	if (!c->closing)
		arm_read(c);
}

static void tx_done(struct dchan *c, int res)
{
	size_t len;

	if (c->closing)
		return;
	if (res == -EAGAIN) {
		arm_poll(&c->tx);	/* the kernel's queue is full: wait for room */
		return;
	}
	if (res == -EINTR) {
		kick_write(c);		/* the same frame again */
		return;
	}
	if (gone(res) && res != 0) {
		start_close(c, strerror(-res));
		return;
	}
	if (dchan_txq_peek(&c->txq, &len) && res == (int)len) {
		c->st.tx_frames++;
	} else {
		c->st.tx_errors++;
		log_span(LOG_WARNING, c->span, "D-channel %u write: %s", c->ts,
			 res < 0 ? strerror(-res) : "short write");
	}
	dchan_txq_pop(&c->txq);
	kick_write(c);
}

static void on_io(struct loop *l, void *ptr, int res, unsigned int flags)
{
	struct dchan_io *io = ptr;
	struct dchan *c = io->c;

	(void)l;
	(void)flags;
	io->busy = false;
	if (io->polling) {
		io->polling = false;
		/* ready (or a poll error: the operation itself will tell) */
		if (!c->closing && res != -ECANCELED) {
			if (io->kind == IO_RX)
				arm_read(c);
			else
				kick_write(c);
		}
		maybe_free(c);
		return;
	}
	if (io->kind == IO_RX)
		rx_done(c, res);
	else
		tx_done(c, res);
	maybe_free(c);
}

/**
 * dchan_set_create() - the D-channels of one loop
 * @l: the loop (its thread is the only one to call the other functions)
 * @op: a loop op free on @l, for the channels' completions
 * @nl: netlink, to list a span's channels (NULL: dchan_open() only)
 * @ops: the consumer; @arg for it
 *
 * Return: the set, or NULL without memory.
 */
struct dchan_set *dchan_set_create(struct loop *l, enum loop_op op, struct tdmx *nl,
				   const struct dchan_ops *ops, void *arg)
{
	struct dchan_set *ds = calloc(1, sizeof(*ds));

	if (!ds)
		return NULL;
	ds->loop = l;
	ds->op = op;
	ds->nl = nl;
	ds->ops = ops;
	ds->arg = arg;
	loop_on(l, op, on_io);
	return ds;
}

/* after the loop stopped (nothing completes any more): close everything */
void dchan_set_destroy(struct dchan_set *ds)
{
	if (!ds)
		return;
	while (ds->list)
		free_chan(ds->list);
	free(ds);
}

/**
 * dchan_open() - open /dev/tdmx/chan/<span>/<ts> and start reading frames
 * @ds: the set
 * @span: span number
 * @ts: timeslot of an hdlc channel
 *
 * Return: 0, -EEXIST (already open), -ENOTTY (not an hdlc channel), or
 * the errno of open().
 */
int dchan_open(struct dchan_set *ds, unsigned int span, unsigned int ts)
{
	struct tdmx_chan_info info;
	int fd, ret;

	if (find(ds, span, ts))
		return -EEXIST;
	fd = tdmx_chandev_open(span, ts, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return fd;
	ret = tdmx_chandev_info(fd, &info);
	if (ret)
		goto err_close;
	if (info.type != TDMX_CHAN_HDLC) {
		ret = -ENOTTY;
		goto err_close;
	}
	ret = dchan_adopt(ds, span, ts, fd);
	if (ret)
		goto err_close;
	return 0;

err_close:
	close(fd);
	return ret;
}

/**
 * dchan_adopt() - run an open frame descriptor as D-channel @span/@ts
 * @fd: one frame per read (payload + FCS_LEN), one per write; the set owns
 *	it from now on (the unit tests pass a SOCK_SEQPACKET socket)
 *
 * Return: 0, -EEXIST or -ENOMEM (@fd is then the caller's still).
 */
int dchan_adopt(struct dchan_set *ds, unsigned int span, unsigned int ts, int fd)
{
	struct dchan *c;

	if (find(ds, span, ts))
		return -EEXIST;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->rx.c = c;
	c->rx.kind = IO_RX;
	c->tx.c = c;
	c->tx.kind = IO_TX;
	c->set = ds;
	c->span = span;
	c->ts = ts;
	c->fd = fd;
	dchan_txq_init(&c->txq);
	c->next = ds->list;
	ds->list = c;
	arm_read(c);
	log_span(LOG_INFO, span, "D-channel %u open", ts);
	return 0;
}

struct hdlc_list {
	uint8_t ts[32];
	unsigned int n;
};

static int collect(const struct tdmx_chan *ch, void *arg)
{
	struct hdlc_list *hl = arg;

	if ((ch->fields & TDMX_CHAN_F_TYPE) && ch->type == TDMX_CHAN_HDLC &&
	    hl->n < sizeof(hl->ts))
		hl->ts[hl->n++] = ch->id;
	return 0;
}

/**
 * dchan_attach_span() - open every hdlc channel of @span
 *
 * Return: channels opened, or a negative errno (no netlink, dump failed).
 * A channel that cannot be opened is logged and skipped.
 */
int dchan_attach_span(struct dchan_set *ds, unsigned int span)
{
	struct hdlc_list hl = { .n = 0 };
	unsigned int i;
	int ret, n = 0;

	if (!ds->nl)
		return -ENOTCONN;
	ret = tdmx_chan_dump(ds->nl, span, collect, &hl);
	if (ret)
		return ret;
	for (i = 0; i < hl.n; i++) {
		ret = dchan_open(ds, span, hl.ts[i]);
		if (!ret)
			n++;
		else if (ret != -EEXIST)
			log_span(LOG_ERR, span, "D-channel %u: %s", hl.ts[i], strerror(-ret));
	}
	return n;
}

/* close the D-channels of @span (their operations are cancelled) */
void dchan_detach_span(struct dchan_set *ds, unsigned int span)
{
	struct dchan *c, *next;

	for (c = ds->list; c; c = next) {
		next = c->next;	/* maybe_free may free c */
		if (c->span == span) {
			start_close(c, "span detached");
			maybe_free(c);
		}
	}
}

/**
 * dchan_send() - queue one frame (payload only) for sending
 *
 * Return: 0, -ENOENT (no open D-channel there), -EMSGSIZE (empty or longer
 * than DCHAN_FRAME_MAX), -ENOBUFS (its tx queue is full; counted).
 */
int dchan_send(struct dchan_set *ds, unsigned int span, unsigned int ts, const uint8_t *p,
	       size_t len)
{
	struct dchan *c = find(ds, span, ts);
	int ret;

	if (!c)
		return -ENOENT;
	ret = dchan_txq_push(&c->txq, p, len);
	if (ret == -ENOBUFS)
		c->st.tx_full++;
	if (!ret)
		kick_write(c);
	return ret;
}

/* Return: 0 or -ENOENT */
int dchan_get_stats(const struct dchan_set *ds, unsigned int span, unsigned int ts,
		    struct dchan_stats *st)
{
	const struct dchan *c = find(ds, span, ts);

	if (!c)
		return -ENOENT;
	*st = c->st;
	return 0;
}

void dchan_for_each(const struct dchan_set *ds,
		    void (*fn)(void *arg, unsigned int span, unsigned int ts,
			       const struct dchan_stats *st),
		    void *arg)
{
	const struct dchan *c;

	for (c = ds->list; c; c = c->next)
		if (!c->closing)
			fn(arg, c->span, c->ts, &c->st);
}
