// SPDX-License-Identifier: GPL-2.0-only
/*
 * Channel devices /dev/tdmx/chan/<span>/<ts>.
 *
 * voice, clear and cas channels carry PCM octets through two FIFOs filled
 * and drained by the tick; hdlc channels carry whole frames: read gives
 * payload + 2 FCS octets of a good frame, write takes payload + 2 octets
 * of space and the kernel adds the FCS (the convention libpri expects).
 * Files are nowait-capable (FMODE_NOWAIT, read_iter/write_iter honouring
 * IOCB_NOWAIT) so io_uring needs no worker threads. Alarms never show up
 * as read/write errors: they are channel events (TDMX_IOC_GET_EVENT,
 * POLLPRI) and netlink notifications.
 */
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/uio.h>

#include "tdmx.h"

#define CHUNK 256

static struct tdmx_chan *chan_from_minor(unsigned int minor)
{
	struct tdmx_span *span = tdmx_span_get_by_id(minor / TDMX_SPAN_TS);
	unsigned int no = minor % TDMX_SPAN_TS;

	if (!span || !no || no > span->nchans)
		return NULL;
	return &span->chans[no];
}

static u32 fifo_used(u32 head, u32 tail)
{
	return head - tail;
}

/**
 * tdmx_chan_rx_octets() - the tick delivers received octets (span locked)
 * @chan: the channel
 * @o: octets
 * @n: how many
 */
void tdmx_chan_rx_octets(struct tdmx_chan *chan, const u8 *o, unsigned int n)
{
	unsigned int i;

	if (fifo_used(chan->rx_head, chan->rx_tail) + n > TDMX_CHAN_FIFO) {
		/* the reader is behind: drop the oldest, count it */
		chan->rx_tail = chan->rx_head + n - TDMX_CHAN_FIFO;
		chan->overruns++;
		tdmx_chan_event(chan, TDMX_CHAN_EV_OVERRUN, (u32)chan->overruns);
	}
	for (i = 0; i < n; i++)
		chan->rx[chan->rx_head++ % TDMX_CHAN_FIFO] = o[i];
	wake_up_interruptible_poll(&chan->wq, EPOLLIN | EPOLLRDNORM);
}

/**
 * tdmx_chan_tx_octets() - the tick takes octets to send (span locked)
 * @chan: the channel
 * @o: where to put them
 * @n: how many
 *
 * A writer that falls behind leaves gaps filled with the idle pattern.
 */
void tdmx_chan_tx_octets(struct tdmx_chan *chan, u8 *o, unsigned int n)
{
	u8 idle = chan->type == TDMX_CHAN_CLEAR ? 0xFF :
		  chan->span->cfg.law == TDMX_LAW_ALAW ? 0xD5 : 0xFF;
	unsigned int i;
	bool short_write = false;

	for (i = 0; i < n; i++) {
		if (chan->tx_tail == chan->tx_head) {
			o[i] = idle;
			short_write = true;
		} else {
			o[i] = chan->tx[chan->tx_tail++ % TDMX_CHAN_FIFO];
		}
	}
	if (short_write && chan->tx_started) {
		chan->underruns++;
		tdmx_chan_event(chan, TDMX_CHAN_EV_UNDERRUN, (u32)chan->underruns);
	}
	wake_up_interruptible_poll(&chan->wq, EPOLLOUT | EPOLLWRNORM);
}

/**
 * tdmx_chan_event() - queue a channel event (span locked)
 * @chan: the channel
 * @type: enum tdmx_chan_event_type
 * @value: its value
 */
void tdmx_chan_event(struct tdmx_chan *chan, u32 type, u32 value)
{
	struct tdmx_chan_event *ev;

	if (!chan->open_count)
		return;
	if (chan->ev_head - chan->ev_tail == ARRAY_SIZE(chan->ev))
		chan->ev_tail++;	/* full: the oldest goes */
	ev = &chan->ev[chan->ev_head++ % ARRAY_SIZE(chan->ev)];
	ev->type = type;
	ev->value = value;
	ev->seq = ++chan->ev_seq;
	ev->time_ms = chan->span->tick;
	wake_up_interruptible_poll(&chan->wq, EPOLLPRI);
}

static void hdlc_rx_frame(void *ctx, const u8 *frame, unsigned int len)
{
	struct tdmx_chan *chan = ctx;
	struct tdmx_hdlc_frame *fr;

	if (chan->hrxq_head - chan->hrxq_tail == TDMX_HDLC_QUEUE) {
		chan->overruns++;
		return;
	}
	fr = &chan->hrxq[chan->hrxq_head % TDMX_HDLC_QUEUE];
	memcpy(fr->data, frame, len);
	fr->len = len;
	chan->hrxq_head++;
	wake_up_interruptible_poll(&chan->wq, EPOLLIN | EPOLLRDNORM);
}

/**
 * tdmx_chan_hdlc_counters() - HDLC receive counters since the last reset
 * @chan: an hdlc channel
 * @out: receives the counters (zero for other channel types)
 */
void tdmx_chan_hdlc_counters(struct tdmx_chan *chan, struct tdmx_hdlc_counters *out)
{
	const struct tdmx_hdlc_counters *c, *b = &chan->hdlc_base;

	memset(out, 0, sizeof(*out));
	spin_lock_bh(&chan->span->lock);
	if (chan->type == TDMX_CHAN_HDLC) {
		c = tdmx_hdlc_rx_counters(&chan->hrx);
		out->frames = c->frames - b->frames;
		out->fcs_errors = c->fcs_errors - b->fcs_errors;
		out->aborts = c->aborts - b->aborts;
		out->too_short = c->too_short - b->too_short;
		out->too_long = c->too_long - b->too_long;
		out->misaligned = c->misaligned - b->misaligned;
	}
	spin_unlock_bh(&chan->span->lock);
}

/**
 * tdmx_chan_free_hdlc() - free an hdlc channel's frame queues
 * @chan: the channel, no longer hdlc or being removed
 */
void tdmx_chan_free_hdlc(struct tdmx_chan *chan)
{
	if (chan->hrxq)
		atomic_dec(&tdmx_objects);
	kvfree(chan->hrxq);
	kvfree(chan->htxq);
	chan->hrxq = NULL;
	chan->htxq = NULL;
}

/**
 * tdmx_chan_set_type() - change what a channel carries (tdmx_lock held)
 * @chan: the channel
 * @type: enum tdmx_chan_type
 *
 * Return: 0, -EBUSY while the device is open, -ENOMEM.
 */
int tdmx_chan_set_type(struct tdmx_chan *chan, u8 type)
{
	struct tdmx_span *span = chan->span;
	struct tdmx_hdlc_frame *rxq = NULL, *txq = NULL;
	struct tdmx_hdlc_config hc = {
		.bits56 = false,
	};

	if (type == chan->type)
		return 0;
	if (chan->open_count)
		return -EBUSY;
	if (type == TDMX_CHAN_HDLC) {
		rxq = kvcalloc(TDMX_HDLC_QUEUE, sizeof(*rxq), GFP_KERNEL);
		txq = kvcalloc(TDMX_HDLC_QUEUE, sizeof(*txq), GFP_KERNEL);
		if (!rxq || !txq) {
			kvfree(rxq);
			kvfree(txq);
			return -ENOMEM;
		}
	}
	spin_lock_bh(&span->lock);
	if (chan->type == TDMX_CHAN_HDLC) {
		swap(rxq, chan->hrxq);
		swap(txq, chan->htxq);
		atomic_dec(&tdmx_objects);
	} else if (type == TDMX_CHAN_HDLC) {
		atomic_inc(&tdmx_objects);
		chan->hrxq = rxq;
		chan->htxq = txq;
		rxq = NULL;
		txq = NULL;
		tdmx_hdlc_rx_init(&chan->hrx, &hc, hdlc_rx_frame, chan);
		memset(&chan->hdlc_base, 0, sizeof(chan->hdlc_base));
		tdmx_hdlc_tx_init(&chan->htx, &hc);
		chan->hrxq_head = 0;
		chan->hrxq_tail = 0;
		chan->htxq_head = 0;
		chan->htxq_tail = 0;
	}
	chan->type = type;
	spin_unlock_bh(&span->lock);
	kvfree(rxq);
	kvfree(txq);
	return 0;
}

static int chan_open(struct inode *inode, struct file *file)
{
	struct tdmx_chan *chan;

	mutex_lock(&tdmx_lock);
	chan = chan_from_minor(iminor(inode));
	if (!chan) {
		mutex_unlock(&tdmx_lock);
		return -ENODEV;
	}
	spin_lock_bh(&chan->span->lock);
	if (!chan->open_count++) {
		chan->rx_tail = chan->rx_head;
		chan->tx_head = chan->tx_tail;
		chan->tx_started = false;
		chan->ev_tail = chan->ev_head;
		if (chan->type == TDMX_CHAN_HDLC)
			chan->hrxq_tail = chan->hrxq_head;
	}
	spin_unlock_bh(&chan->span->lock);
	mutex_unlock(&tdmx_lock);
	file->private_data = chan;
	file->f_mode |= FMODE_NOWAIT;
	return stream_open(inode, file);
}

static int chan_release(struct inode *inode, struct file *file)
{
	struct tdmx_chan *chan = file->private_data;

	mutex_lock(&tdmx_lock);
	spin_lock_bh(&chan->span->lock);
	chan->open_count--;
	spin_unlock_bh(&chan->span->lock);
	mutex_unlock(&tdmx_lock);
	return 0;
}

static bool nonblock(struct kiocb *iocb)
{
	return (iocb->ki_filp->f_flags & O_NONBLOCK) || (iocb->ki_flags & IOCB_NOWAIT);
}

/**
 * tdmx_wait_and_lock() - wait for a device buffer, then own it
 * @wq: where the producer wakes waiters
 * @lock: the readers' (or writers') mutex
 * @nb: do not sleep: -EAGAIN instead
 * @ready: data to read (or room to write) in @arg
 * @arg: passed to @ready
 *
 * Shared by the channel and line tap devices. @ready is checked again under
 * @lock: another reader (writer) may have taken the data (room) while this
 * one waited for the lock.
 *
 * Return: 0 with @lock held and @ready true, -EAGAIN, or -ERESTARTSYS.
 */
int tdmx_wait_and_lock(wait_queue_head_t *wq, struct mutex *lock, bool nb,
		       bool (*ready)(const void *arg), const void *arg)
{
	int ret;

	for (;;) {
		while (!ready(arg)) {
			if (nb)
				return -EAGAIN;
			ret = wait_event_interruptible(*wq, ready(arg));
			if (ret)
				return ret;
		}
		if (!mutex_trylock(lock)) {
			if (nb)
				return -EAGAIN;
			ret = mutex_lock_interruptible(lock);
			if (ret)
				return ret;
		}
		if (ready(arg))
			return 0;
		mutex_unlock(lock);
	}
}

static bool rx_ready(const struct tdmx_chan *chan)
{
	if (chan->type == TDMX_CHAN_HDLC)
		return READ_ONCE(chan->hrxq_head) != READ_ONCE(chan->hrxq_tail);
	return READ_ONCE(chan->rx_head) != READ_ONCE(chan->rx_tail);
}

static bool tx_room(const struct tdmx_chan *chan)
{
	if (chan->type == TDMX_CHAN_HDLC)
		return READ_ONCE(chan->htxq_head) - READ_ONCE(chan->htxq_tail) < TDMX_HDLC_QUEUE;
	return fifo_used(READ_ONCE(chan->tx_head), READ_ONCE(chan->tx_tail)) < TDMX_CHAN_FIFO;
}

static bool chan_readable(const void *chan)
{
	return rx_ready(chan);
}

static bool chan_writable(const void *chan)
{
	return tx_room(chan);
}

static ssize_t read_frame(struct tdmx_chan *chan, struct iov_iter *to)
{
	struct tdmx_hdlc_frame *fr = &chan->hrxq[chan->hrxq_tail % TDMX_HDLC_QUEUE];
	size_t len = fr->len;

	if (iov_iter_count(to) < len)
		return -EMSGSIZE;
	if (copy_to_iter(fr->data, len, to) != len)
		return -EFAULT;
	spin_lock_bh(&chan->span->lock);
	chan->hrxq_tail++;
	spin_unlock_bh(&chan->span->lock);
	return len;
}

static ssize_t read_pcm(struct tdmx_chan *chan, struct iov_iter *to)
{
	u8 buf[CHUNK];
	ssize_t done = 0;

	while (iov_iter_count(to)) {
		size_t n = min_t(size_t, iov_iter_count(to), CHUNK), i;

		spin_lock_bh(&chan->span->lock);
		n = min_t(size_t, n, fifo_used(chan->rx_head, chan->rx_tail));
		for (i = 0; i < n; i++)
			buf[i] = chan->rx[chan->rx_tail++ % TDMX_CHAN_FIFO];
		spin_unlock_bh(&chan->span->lock);
		if (!n)
			break;
		if (copy_to_iter(buf, n, to) != n)
			return done ? done : -EFAULT;
		done += n;
	}
	return done;
}

static ssize_t chan_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	struct tdmx_chan *chan = iocb->ki_filp->private_data;
	ssize_t ret;

	if (!iov_iter_count(to))
		return 0;
	if (chan->type == TDMX_CHAN_UNUSED)
		return -ENODATA;
	/* the type cannot change while the device is open */
	ret = tdmx_wait_and_lock(&chan->wq, &chan->read_lock, nonblock(iocb),
				 chan_readable, chan);
	if (ret)
		return ret;
	ret = chan->type == TDMX_CHAN_HDLC ? read_frame(chan, to) : read_pcm(chan, to);
	mutex_unlock(&chan->read_lock);
	return ret;
}

static ssize_t write_frame(struct tdmx_chan *chan, struct iov_iter *from)
{
	size_t len = iov_iter_count(from);
	struct tdmx_hdlc_frame *fr;

	/* payload + 2 octets where the FCS goes (computed here) */
	if (len < 3 || len > TDMX_HDLC_MAX_FRAME)
		return -EINVAL;
	fr = &chan->htxq[chan->htxq_head % TDMX_HDLC_QUEUE];
	if (copy_from_iter(fr->data, len, from) != len)
		return -EFAULT;
	fr->len = len - 2;
	spin_lock_bh(&chan->span->lock);
	chan->htxq_head++;
	spin_unlock_bh(&chan->span->lock);
	return len;
}

static ssize_t write_pcm(struct tdmx_chan *chan, struct iov_iter *from)
{
	u8 buf[CHUNK];
	ssize_t done = 0;

	while (iov_iter_count(from)) {
		size_t room, n, i;

		spin_lock_bh(&chan->span->lock);
		room = TDMX_CHAN_FIFO - fifo_used(chan->tx_head, chan->tx_tail);
		spin_unlock_bh(&chan->span->lock);
		n = min3(iov_iter_count(from), room, (size_t)CHUNK);
		if (!n)
			break;
		if (copy_from_iter(buf, n, from) != n)
			return done ? done : -EFAULT;
		spin_lock_bh(&chan->span->lock);
		for (i = 0; i < n; i++)
			chan->tx[chan->tx_head++ % TDMX_CHAN_FIFO] = buf[i];
		chan->tx_started = true;
		spin_unlock_bh(&chan->span->lock);
		done += n;
	}
	return done;
}

static ssize_t chan_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	struct tdmx_chan *chan = iocb->ki_filp->private_data;
	ssize_t ret;

	if (!iov_iter_count(from))
		return 0;
	if (chan->type == TDMX_CHAN_UNUSED)
		return -ENODATA;
	ret = tdmx_wait_and_lock(&chan->wq, &chan->write_lock, nonblock(iocb),
				 chan_writable, chan);
	if (ret)
		return ret;
	ret = chan->type == TDMX_CHAN_HDLC ? write_frame(chan, from) : write_pcm(chan, from);
	mutex_unlock(&chan->write_lock);
	return ret;
}

static __poll_t chan_poll(struct file *file, poll_table *wait)
{
	struct tdmx_chan *chan = file->private_data;
	__poll_t mask = 0;

	poll_wait(file, &chan->wq, wait);
	if (rx_ready(chan))
		mask |= EPOLLIN | EPOLLRDNORM;
	if (tx_room(chan))
		mask |= EPOLLOUT | EPOLLWRNORM;
	if (READ_ONCE(chan->ev_head) != READ_ONCE(chan->ev_tail))
		mask |= EPOLLPRI;
	return mask;
}

static long chan_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct tdmx_chan *chan = file->private_data;
	struct tdmx_span *span = chan->span;
	void __user *uarg = (void __user *)arg;
	struct tdmx_chan_info info;
	struct tdmx_chan_event ev;
	u32 v;

	switch (cmd) {
	case TDMX_IOC_GET_INFO:
		memset(&info, 0, sizeof(info));
		info.span = span->id;
		info.chan = chan->no;
		info.type = chan->type;
		info.law = span->cfg.law;
		return copy_to_user(uarg, &info, sizeof(info)) ? -EFAULT : 0;
	case TDMX_IOC_GET_RX_ABCD:
		v = READ_ONCE(chan->rx_abcd);
		return put_user(v, (u32 __user *)uarg);
	case TDMX_IOC_SET_TX_ABCD:
		if (get_user(v, (u32 __user *)uarg))
			return -EFAULT;
		if (v > 0xF)
			return -EINVAL;
		WRITE_ONCE(chan->tx_abcd, v);
		return 0;
	case TDMX_IOC_GET_EVENT:
		spin_lock_bh(&span->lock);
		if (chan->ev_head == chan->ev_tail) {
			spin_unlock_bh(&span->lock);
			return -EAGAIN;
		}
		ev = chan->ev[chan->ev_tail % ARRAY_SIZE(chan->ev)];
		spin_unlock_bh(&span->lock);
		if (copy_to_user(uarg, &ev, sizeof(ev)))
			return -EFAULT;	/* the event stays queued */
		spin_lock_bh(&span->lock);
		/* consume it unless it was pushed out meanwhile */
		if (chan->ev_head != chan->ev_tail &&
		    chan->ev[chan->ev_tail % ARRAY_SIZE(chan->ev)].seq == ev.seq)
			chan->ev_tail++;
		spin_unlock_bh(&span->lock);
		return 0;
	default:
		return -ENOTTY;
	}
}

static const struct file_operations chan_fops = {
	.owner = THIS_MODULE,
	.open = chan_open,
	.release = chan_release,
	.read_iter = chan_read_iter,
	.write_iter = chan_write_iter,
	.poll = chan_poll,
	.unlocked_ioctl = chan_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = no_llseek,
};

static struct cdev chan_cdev;

/**
 * tdmx_chan_devices_add() - create the span's channel devices
 * @span: the span (tdmx_lock held)
 *
 * Return: 0 or -errno.
 */
int tdmx_chan_devices_add(struct tdmx_span *span)
{
	unsigned int i;
	int ret;

	for (i = 1; i <= span->nchans; i++) {
		struct tdmx_chan *chan = &span->chans[i];

		mutex_init(&chan->read_lock);
		mutex_init(&chan->write_lock);
		chan->dev = device_create_with_groups(tdmx_class, NULL,
						      MKDEV(MAJOR(tdmx_devt),
							    TDMX_MINOR_CHAN(span->id, i)),
						      chan, tdmx_chan_attr_groups,
						      "tdmxc%u.%u", span->id, i);
		if (IS_ERR(chan->dev)) {
			ret = PTR_ERR(chan->dev);
			chan->dev = NULL;
			goto err_devices;
		}
	}
	return 0;

err_devices:
	tdmx_chan_devices_del(span);
	return ret;
}

/**
 * tdmx_chan_devices_del() - remove the span's channel devices
 * @span: the span (tdmx_lock held; no channel open)
 */
void tdmx_chan_devices_del(struct tdmx_span *span)
{
	unsigned int i;

	for (i = 1; i <= span->nchans; i++) {
		if (!span->chans[i].dev)
			continue;
		device_destroy(tdmx_class, span->chans[i].dev->devt);
		span->chans[i].dev = NULL;
	}
}

/**
 * tdmx_chan_init() - register the channel device numbers
 *
 * Return: 0 or -errno.
 */
int tdmx_chan_init(void)
{
	cdev_init(&chan_cdev, &chan_fops);
	chan_cdev.owner = THIS_MODULE;
	return cdev_add(&chan_cdev, MKDEV(MAJOR(tdmx_devt), TDMX_MINOR_CHAN(0, 0)),
			TDMX_MINOR_CHAN(TDMX_MAX_SPANS + 1, 0));
}

/**
 * tdmx_chan_exit() - unregister the channel device numbers
 */
void tdmx_chan_exit(void)
{
	cdev_del(&chan_cdev);
}
