// SPDX-License-Identifier: GPL-2.0-only
/*
 * vcard: virtual framer cards that stand in for hardware.
 *
 * - loop: two spans whose lines are joined, A's transmit is B's receive.
 * - tap: one span whose received line is written by userspace into
 *   /dev/tdmx/line/<span> and whose transmitted line is read from it, in
 *   the tdmx-line raw format (first bit in the MSB).
 *
 * Each card is clocked by a soft hrtimer at 1 ms. Faults act on a span's
 * transmitted line: bit errors, bursts, a one-bit slip, LOS (zeros), AIS
 * (ones), a transmitter without CRC-4, RAI, and a clock offset that makes
 * the span send one frame more or less now and then, so the far end's
 * elastic store slips.
 */
#include <linux/fs.h>
#include <linux/hrtimer.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/prandom.h>
#include <linux/slab.h>
#include <linux/uio.h>
#include <linux/vmalloc.h>

#include "tdmx.h"

#define TAP_FIFO	(64 * 1024)
#define PPM_ONE_FRAME	1000000LL
#define MAX_CATCHUP	20

static unsigned int catchup_max = MAX_CATCHUP;
module_param(catchup_max, uint, 0644);
MODULE_PARM_DESC(catchup_max, "Ticks a late vcard timer may run at once to keep line time (default 20)");

struct fifo {
	u8 *buf;
	u32 head, tail;
};

struct vspan {
	struct tdmx_fault fault;
	s64 ppm_acc;		/* frames x 10^6 owed to the clock offset */
	u64 rng;		/* xorshift state for bit errors */
	u64 acc;		/* bits waiting after a slip, low @nacc bits */
	unsigned int nacc;
	bool slipping;		/* output is no longer octet-aligned */
};

struct vcard {
	struct tdmx_card card;
	u8 type;
	u8 line;
	struct hrtimer timer;
	struct vspan vs[2];
	/* tap */
	struct fifo tap_rx;	/* written by userspace, received by the span */
	struct fifo tap_tx;	/* transmitted by the span, read by userspace */
	wait_queue_head_t tap_wq;
	unsigned int tap_open;
	struct device *tap_dev;
	spinlock_t tap_lock;	/* the two tap FIFOs */
	struct mutex tap_rlock;	/* one reader at a time */
	struct mutex tap_wlock;	/* one writer at a time */
};

static LIST_HEAD(cards);
static bool stopping;	/* module unload: no new cards (tdmx_lock) */
static struct cdev tap_cdev;

static struct vcard *to_vcard(struct tdmx_card *card)
{
	return container_of(card, struct vcard, card);
}

static u32 rand32(struct vspan *vs)
{
	u64 x = vs->rng;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	vs->rng = x;
	return (x * 0x2545F4914F6CDD1DULL) >> 32;
}

static unsigned int frames_this_tick(struct vspan *vs)
{
	vs->ppm_acc += (s64)vs->fault.clock_ppm * TDMX_TICK_FRAMES;
	if (vs->ppm_acc >= PPM_ONE_FRAME) {
		vs->ppm_acc -= PPM_ONE_FRAME;
		return TDMX_TICK_FRAMES + 1;
	}
	if (vs->ppm_acc <= -PPM_ONE_FRAME) {
		vs->ppm_acc += PPM_ONE_FRAME;
		return TDMX_TICK_FRAMES - 1;
	}
	return TDMX_TICK_FRAMES;
}

/* Flip bits: random errors at fault.ber per 10^9, then any burst left. */
static void bit_errors(struct vspan *vs, u8 *line, size_t len)
{
	u32 threshold = div_u64((u64)vs->fault.ber << 32, 1000000000);
	size_t i;

	if (vs->fault.ber) {
		for (i = 0; i < len * 8; i++)
			if (rand32(vs) < threshold)
				line[i / 8] ^= 0x80 >> (i % 8);
	}
	for (i = 0; vs->fault.burst && i < len * 8; i++, vs->fault.burst--)
		line[i / 8] ^= 0x80 >> (i % 8);
}

/*
 * Delete one bit (a one-bit slip) on request; afterwards every octet is
 * carried across the bit boundary for as long as the card lives.
 */
static size_t bit_slip(struct vspan *vs, u8 *line, size_t len)
{
	u8 in[TDMX_TICK_MAX_OCTETS];
	size_t i, out = 0;
	unsigned int b;

	if (!vs->fault.slip && !vs->slipping)
		return len;
	/* the output runs up to 7 bits ahead of the input: read from a copy */
	memcpy(in, line, len);
	for (i = 0; i < len * 8; i++) {
		if (vs->fault.slip && i == 5) {
			vs->fault.slip = false;
			vs->slipping = true;
			continue;
		}
		b = (in[i / 8] >> (7 - i % 8)) & 1;
		vs->acc = (vs->acc << 1) | b;
		if (++vs->nacc == 8) {
			line[out++] = (u8)vs->acc;
			vs->nacc = 0;
		}
	}
	return out;
}

static size_t apply_faults(struct vspan *vs, u8 *line, size_t len)
{
	if (vs->fault.los)
		memset(line, 0, len);
	else if (vs->fault.ais)
		memset(line, 0xFF, len);
	bit_errors(vs, line, len);
	return bit_slip(vs, line, len);
}

static size_t fifo_used(const struct fifo *f)
{
	return f->head - f->tail;
}

static void tap_exchange(struct vcard *vc, const u8 *tx, size_t txlen, u8 *rx, size_t *rxlen)
{
	size_t want = vc->line == TDMX_LINE_E1 ? TDMX_E1_TICK_OCTETS : TDMX_T1_TICK_OCTETS;
	size_t i, n;

	spin_lock(&vc->tap_lock);
	for (i = 0; i < txlen; i++) {
		if (fifo_used(&vc->tap_tx) == TAP_FIFO)
			vc->tap_tx.tail++;	/* nobody reads: the oldest goes */
		vc->tap_tx.buf[vc->tap_tx.head++ % TAP_FIFO] = tx[i];
	}
	n = min(fifo_used(&vc->tap_rx), want);
	for (i = 0; i < n; i++)
		rx[i] = vc->tap_rx.buf[vc->tap_rx.tail++ % TAP_FIFO];
	spin_unlock(&vc->tap_lock);
	/* nothing written: the line is dead (zeros) */
	if (!n) {
		memset(rx, 0, want);
		n = want;
	}
	*rxlen = n;
	wake_up_interruptible_poll(&vc->tap_wq, EPOLLIN | EPOLLOUT);
}

static DEFINE_SPINLOCK(tick_lock);

static void one_tick(struct vcard *vc)
{
	static u8 line[2][TDMX_TICK_MAX_OCTETS], rx[2][TDMX_TICK_MAX_OCTETS];
	struct tdmx_span **s = vc->card.spans;
	size_t len[2], rxlen[2];
	unsigned int i, n = vc->card.nspans;
	u64 ns[2], t;

	/* the buffers are shared: one_tick() runs under tick_lock */
	for (i = 0; i < n; i++) {
		t = ktime_get_ns();
		len[i] = tdmx_span_tx_bits(s[i], frames_this_tick(&vc->vs[i]), line[i]);
		ns[i] = ktime_get_ns() - t;
		len[i] = apply_faults(&vc->vs[i], line[i], len[i]);
	}
	if (vc->type == TDMX_VCARD_TAP) {
		tap_exchange(vc, line[0], len[0], rx[0], &rxlen[0]);
	} else {
		for (i = 0; i < 2; i++) {
			/* a remote (line) loop sends the received line back */
			unsigned int from = s[!i]->cfg.loopback == TDMX_LOOP_REMOTE ? i : !i;

			if (s[i]->cfg.loopback == TDMX_LOOP_LOCAL)
				from = i;
			memcpy(rx[i], line[from], len[from]);
			rxlen[i] = len[from];
		}
	}
	if (vc->type == TDMX_VCARD_TAP && s[0]->cfg.loopback == TDMX_LOOP_LOCAL) {
		memcpy(rx[0], line[0], len[0]);
		rxlen[0] = len[0];
	}
	for (i = 0; i < n; i++) {
		t = ktime_get_ns();
		tdmx_span_rx_bits(s[i], rx[i], rxlen[i]);
		tdmx_span_tick_end(s[i]);
		/* the span's own work: framer and channels, not the card's faults */
		tdmx_span_tick_time(s[i], ns[i] + ktime_get_ns() - t);
	}
}

static enum hrtimer_restart vcard_timer(struct hrtimer *t)
{
	struct vcard *vc = container_of(t, struct vcard, timer);
	u64 ticks = hrtimer_forward_now(t, ms_to_ktime(1));

	/* a late timer catches up so line time keeps pace with real time */
	ticks = min_t(u64, ticks, catchup_max);
	spin_lock(&tick_lock);
	while (ticks--)
		one_tick(vc);
	spin_unlock(&tick_lock);
	return HRTIMER_RESTART;
}

static void pick_timing_master(struct vcard *vc)
{
	struct tdmx_span *best = NULL;
	unsigned int i;

	for (i = 0; i < vc->card.nspans; i++) {
		struct tdmx_span *s = vc->card.spans[i];

		s->timing_master = false;
		if (s->cfg.clock_prio && (!best || s->cfg.clock_prio < best->cfg.clock_prio))
			best = s;
	}
	if (best)
		best->timing_master = true;
}

static int vcard_span_config(struct tdmx_span *span)
{
	pick_timing_master(to_vcard(span->card));
	return 0;
}

static void vcard_release(struct tdmx_card *card)
{
	struct vcard *vc = to_vcard(card);

	vfree(vc->tap_rx.buf);
	vfree(vc->tap_tx.buf);
	kfree(vc);
	atomic_dec(&tdmx_objects);
}

static const struct tdmx_card_ops vcard_ops = {
	.name = "vcard",
	.span_config = vcard_span_config,
	.release = vcard_release,
};

/**
 * tdmx_card_get_by_id() - find a card (tdmx_lock held)
 * @id: card number
 *
 * Return: the card or NULL.
 */
struct tdmx_card *tdmx_card_get_by_id(u32 id)
{
	struct vcard *vc;

	list_for_each_entry(vc, &cards, card.list)
		if (vc->card.id == id)
			return &vc->card;
	return NULL;
}

/**
 * tdmx_card_next() - the card with the lowest number above @after
 * @after: 0 to start
 *
 * Return: the card or NULL (tdmx_lock held).
 */
struct tdmx_card *tdmx_card_next(u32 after)
{
	struct tdmx_card *best = NULL;
	struct vcard *vc;

	list_for_each_entry(vc, &cards, card.list)
		if (vc->card.id > after && (!best || vc->card.id < best->id))
			best = &vc->card;
	return best;
}

static u32 free_card_id(void)
{
	u32 id = 1;

	while (tdmx_card_get_by_id(id))
		id++;
	return id;
}

static int tap_device_add(struct vcard *vc)
{
	u32 span = vc->card.spans[0]->id;

	vc->tap_rx.buf = vmalloc(TAP_FIFO);
	vc->tap_tx.buf = vmalloc(TAP_FIFO);
	if (!vc->tap_rx.buf || !vc->tap_tx.buf)
		return -ENOMEM;
	vc->tap_dev = device_create(tdmx_class, NULL,
				    MKDEV(MAJOR(tdmx_devt), TDMX_MINOR_LINE(span)),
				    vc, "tdmxl%u", span);
	if (IS_ERR(vc->tap_dev)) {
		int ret = PTR_ERR(vc->tap_dev);

		vc->tap_dev = NULL;
		return ret;
	}
	return 0;
}

static void unregister_spans(struct vcard *vc)
{
	unsigned int i;

	for (i = vc->card.nspans; i-- > 0;)
		tdmx_span_unregister(vc->card.spans[i]);
	vc->card.nspans = 0;
}

/**
 * tdmx_vcard_new() - create a virtual card and its spans (tdmx_lock held)
 * @type: enum tdmx_vcard_type
 * @line: enum tdmx_line
 * @out: the new card
 *
 * Return: 0 or -errno.
 */
int tdmx_vcard_new(u8 type, u8 line, struct tdmx_card **out)
{
	unsigned int i, nspans = type == TDMX_VCARD_LOOP ? 2 : 1;
	struct vcard *vc;
	int ret;

	if (stopping)
		return -ESHUTDOWN;
	vc = kzalloc(sizeof(*vc), GFP_KERNEL);
	if (!vc)
		return -ENOMEM;
	atomic_inc(&tdmx_objects);
	vc->type = type;
	vc->line = line;
	vc->card.id = free_card_id();
	vc->card.ops = &vcard_ops;
	vc->card.priv = vc;
	init_waitqueue_head(&vc->tap_wq);
	spin_lock_init(&vc->tap_lock);
	mutex_init(&vc->tap_rlock);
	mutex_init(&vc->tap_wlock);
	for (i = 0; i < nspans; i++) {
		vc->vs[i].rng = get_random_u64() | 1;
		ret = tdmx_span_register(&vc->card, i, line, &vc->card.spans[i]);
		if (ret)
			goto err_spans;
		vc->card.nspans++;
	}
	if (type == TDMX_VCARD_TAP) {
		ret = tap_device_add(vc);
		if (ret)
			goto err_tap;
	}
	pick_timing_master(vc);
	list_add_tail(&vc->card.list, &cards);
	hrtimer_init(&vc->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_SOFT);
	vc->timer.function = vcard_timer;
	hrtimer_start(&vc->timer, ms_to_ktime(1), HRTIMER_MODE_REL_SOFT);
	tdmx_generation_bump();
	*out = &vc->card;
	return 0;

err_tap:
	if (vc->tap_dev)
		device_destroy(tdmx_class, vc->tap_dev->devt);
err_spans:
	unregister_spans(vc);
	vcard_release(&vc->card);
	return ret;
}

static bool vcard_busy(struct vcard *vc)
{
	unsigned int i;

	if (vc->tap_open)
		return true;
	for (i = 0; i < vc->card.nspans; i++)
		if (tdmx_span_busy(vc->card.spans[i]))
			return true;
	return false;
}

static void vcard_destroy(struct vcard *vc)
{
	hrtimer_cancel(&vc->timer);
	list_del(&vc->card.list);
	if (vc->tap_dev)
		device_destroy(tdmx_class, vc->tap_dev->devt);
	unregister_spans(vc);
	tdmx_generation_bump();
	vcard_release(&vc->card);
}

/**
 * tdmx_vcard_del() - remove a virtual card (tdmx_lock held)
 * @id: card number
 *
 * Return: 0, -ENOENT, or -EBUSY while any of its devices is open.
 */
int tdmx_vcard_del(u32 id)
{
	struct tdmx_card *card = tdmx_card_get_by_id(id);
	struct vcard *vc;

	if (!card)
		return -ENOENT;
	vc = to_vcard(card);
	if (vcard_busy(vc))
		return -EBUSY;
	vcard_destroy(vc);
	return 0;
}

/**
 * tdmx_vcard_stop_all() - stop every card's clock for module unload
 *
 * No card can be created afterwards, so nothing ticks (and nothing sends a
 * netlink notification) once this returns.
 */
void tdmx_vcard_stop_all(void)
{
	struct vcard *vc;

	mutex_lock(&tdmx_lock);
	stopping = true;
	list_for_each_entry(vc, &cards, card.list)
		hrtimer_cancel(&vc->timer);
	mutex_unlock(&tdmx_lock);
}

/**
 * tdmx_vcard_del_all() - remove every card (module unload; nothing open)
 */
void tdmx_vcard_del_all(void)
{
	struct vcard *vc, *tmp;

	mutex_lock(&tdmx_lock);
	list_for_each_entry_safe(vc, tmp, &cards, card.list)
		vcard_destroy(vc);
	mutex_unlock(&tdmx_lock);
}

/**
 * tdmx_vcard_fault_set() - change what is injected on a span's line
 * @span: a span of a virtual card
 * @f: new values
 * @mask: TDMX_FAULT_F_* fields of @f to take
 *
 * Return: 0, or -EOPNOTSUPP for a span of another card type.
 */
int tdmx_vcard_fault_set(struct tdmx_span *span, const struct tdmx_fault *f, u32 mask)
{
	struct vspan *vs;

	if (span->card->ops != &vcard_ops)
		return -EOPNOTSUPP;
	vs = &to_vcard(span->card)->vs[span->index];
	spin_lock_bh(&tick_lock);
	if (mask & TDMX_FAULT_F_BER)
		vs->fault.ber = f->ber;
	if (mask & TDMX_FAULT_F_BURST)
		vs->fault.burst = f->burst;
	if (mask & TDMX_FAULT_F_SLIP)
		vs->fault.slip = true;
	if (mask & TDMX_FAULT_F_LOS)
		vs->fault.los = f->los;
	if (mask & TDMX_FAULT_F_AIS)
		vs->fault.ais = f->ais;
	if (mask & TDMX_FAULT_F_PPM) {
		vs->fault.clock_ppm = f->clock_ppm;
		span->clock_ppm = f->clock_ppm;
	}
	spin_lock(&span->lock);
	if (mask & TDMX_FAULT_F_NOCRC4)
		span->tx_nocrc4 = f->nocrc4;
	if (mask & TDMX_FAULT_F_RAI)
		span->tx_rai = f->rai;
	spin_unlock(&span->lock);
	spin_unlock_bh(&tick_lock);
	return 0;
}

/* ---- /dev/tdmx/line/<span> ---- */

static struct vcard *tap_from_minor(unsigned int minor)
{
	struct tdmx_span *span = tdmx_span_get_by_id(minor - TDMX_MINOR_LINE(0));

	if (!span || span->card->ops != &vcard_ops)
		return NULL;
	if (to_vcard(span->card)->type != TDMX_VCARD_TAP)
		return NULL;
	return to_vcard(span->card);
}

static int tap_open(struct inode *inode, struct file *file)
{
	struct vcard *vc;

	mutex_lock(&tdmx_lock);
	vc = tap_from_minor(iminor(inode));
	if (vc)
		vc->tap_open++;
	mutex_unlock(&tdmx_lock);
	if (!vc)
		return -ENODEV;
	file->private_data = vc;
	file->f_mode |= FMODE_NOWAIT;
	return stream_open(inode, file);
}

static int tap_release(struct inode *inode, struct file *file)
{
	struct vcard *vc = file->private_data;

	mutex_lock(&tdmx_lock);
	vc->tap_open--;
	mutex_unlock(&tdmx_lock);
	return 0;
}

static bool tap_readable(const void *arg)
{
	const struct vcard *vc = arg;

	return READ_ONCE(vc->tap_tx.head) != READ_ONCE(vc->tap_tx.tail);
}

static bool tap_writable(const void *arg)
{
	const struct vcard *vc = arg;

	return READ_ONCE(vc->tap_rx.head) - READ_ONCE(vc->tap_rx.tail) < TAP_FIFO;
}

static ssize_t tap_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	struct vcard *vc = iocb->ki_filp->private_data;
	bool nb = (iocb->ki_filp->f_flags & O_NONBLOCK) || (iocb->ki_flags & IOCB_NOWAIT);
	ssize_t done = 0;
	u8 buf[256];
	int ret;

	ret = tdmx_wait_and_lock(&vc->tap_wq, &vc->tap_rlock, nb, tap_readable, vc);
	if (ret)
		return ret;
	while (iov_iter_count(to)) {
		size_t n = min_t(size_t, iov_iter_count(to), sizeof(buf)), i;

		spin_lock_bh(&vc->tap_lock);
		n = min(n, fifo_used(&vc->tap_tx));
		for (i = 0; i < n; i++)
			buf[i] = vc->tap_tx.buf[vc->tap_tx.tail++ % TAP_FIFO];
		spin_unlock_bh(&vc->tap_lock);
		if (!n)
			break;
		if (copy_to_iter(buf, n, to) != n) {
			if (!done)
				done = -EFAULT;
			break;
		}
		done += n;
	}
	mutex_unlock(&vc->tap_rlock);
	return done;
}

static ssize_t tap_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	struct vcard *vc = iocb->ki_filp->private_data;
	bool nb = (iocb->ki_filp->f_flags & O_NONBLOCK) || (iocb->ki_flags & IOCB_NOWAIT);
	ssize_t done = 0;
	u8 buf[256];
	int ret;

	ret = tdmx_wait_and_lock(&vc->tap_wq, &vc->tap_wlock, nb, tap_writable, vc);
	if (ret)
		return ret;
	while (iov_iter_count(from)) {
		size_t n, i;

		spin_lock_bh(&vc->tap_lock);
		n = TAP_FIFO - fifo_used(&vc->tap_rx);
		spin_unlock_bh(&vc->tap_lock);
		n = min3(n, iov_iter_count(from), sizeof(buf));
		if (!n)
			break;
		if (copy_from_iter(buf, n, from) != n) {
			if (!done)
				done = -EFAULT;
			break;
		}
		spin_lock_bh(&vc->tap_lock);
		for (i = 0; i < n; i++)
			vc->tap_rx.buf[vc->tap_rx.head++ % TAP_FIFO] = buf[i];
		spin_unlock_bh(&vc->tap_lock);
		done += n;
	}
	mutex_unlock(&vc->tap_wlock);
	return done;
}

static __poll_t tap_poll(struct file *file, poll_table *wait)
{
	struct vcard *vc = file->private_data;
	__poll_t mask = 0;

	poll_wait(file, &vc->tap_wq, wait);
	if (tap_readable(vc))
		mask |= EPOLLIN | EPOLLRDNORM;
	if (tap_writable(vc))
		mask |= EPOLLOUT | EPOLLWRNORM;
	return mask;
}

static const struct file_operations tap_fops = {
	.owner = THIS_MODULE,
	.open = tap_open,
	.release = tap_release,
	.read_iter = tap_read_iter,
	.write_iter = tap_write_iter,
	.poll = tap_poll,
	.llseek = no_llseek,
};

/**
 * tdmx_vcard_init() - register the line tap device numbers
 *
 * Return: 0 or -errno.
 */
int tdmx_vcard_init(void)
{
	cdev_init(&tap_cdev, &tap_fops);
	tap_cdev.owner = THIS_MODULE;
	return cdev_add(&tap_cdev, MKDEV(MAJOR(tdmx_devt), TDMX_MINOR_LINE(0)),
			TDMX_MAX_SPANS + 1);
}

/**
 * tdmx_vcard_exit() - remove all cards and the tap device numbers
 */
void tdmx_vcard_exit(void)
{
	tdmx_vcard_del_all();
	cdev_del(&tap_cdev);
}
