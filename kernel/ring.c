// SPDX-License-Identifier: GPL-2.0-only
/*
 * Span devices /dev/tdmx/span/<n>: the bulk media path.
 *
 * The ring area (layout in include/uapi/linux/tdmx.h) is vmalloc'ed per
 * span and mapped by userspace. Every tick the kernel writes the received
 * block and publishes rx_seq; it sends the tx block that userspace wrote
 * for the tick tx_delay ms earlier. read() and poll() wake a reader every
 * block_ms blocks: one wake per span, not per channel.
 */
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/uio.h>
#include <linux/vmalloc.h>

#include "tdmx.h"

#define TX_DELAY_MS 4

struct ring_file {
	struct tdmx_span *span;
	u64 seen;	/* rx_seq at the last read */
};

static struct tdmx_ring_hdr *hdr(struct tdmx_span *span)
{
	return span->ring;
}

static u8 *rx_block(struct tdmx_span *span, u64 seq)
{
	return (u8 *)span->ring + TDMX_RING_RX_OFFSET +
	       (seq % TDMX_RING_BLOCKS) * TDMX_RING_BLOCK_BYTES;
}

static u8 *tx_block(struct tdmx_span *span, u64 seq)
{
	return (u8 *)span->ring + TDMX_RING_TX_OFFSET +
	       (seq % TDMX_RING_BLOCKS) * TDMX_RING_BLOCK_BYTES;
}

/**
 * tdmx_ring_rx_block() - publish this tick's received block (span locked)
 * @span: the span
 * @block: [timeslot][frame] octets
 */
void tdmx_ring_rx_block(struct tdmx_span *span, const u8 block[][TDMX_RING_FRAMES])
{
	struct tdmx_ring_hdr *h = hdr(span);
	u64 seq = span->tick;

	memcpy(rx_block(span, seq), block, TDMX_RING_BLOCK_BYTES);
	h->block_ms = span->cfg.block_ms;
	/* the block is written before the sequence that announces it */
	smp_store_release(&h->rx_seq, seq + 1);
	/* readiness uses our own copy: the mapping is writable by userspace */
	WRITE_ONCE(span->ring_seq, seq + 1);
	if (span->ring_open && (seq + 1) % span->cfg.block_ms == 0)
		wake_up_interruptible_poll(&span->ring_wq, EPOLLIN | EPOLLRDNORM);
}

/**
 * tdmx_ring_tx_block() - the block userspace wrote to send now (locked)
 * @span: the span
 * @block: receives [timeslot][frame] octets
 *
 * The block answering rx block seq is sent at tick seq + tx_delay; a block
 * not marked written by then is sent as it is and counted in tx_missed.
 */
void tdmx_ring_tx_block(struct tdmx_span *span, u8 block[][TDMX_RING_FRAMES])
{
	struct tdmx_ring_hdr *h = hdr(span);
	u64 seq;

	if (span->tick < TX_DELAY_MS) {
		memset(block, 0xFF, TDMX_RING_BLOCK_BYTES);
		return;
	}
	seq = span->tick - TX_DELAY_MS;
	/* pairs with userspace's release store after writing the block */
	if (smp_load_acquire(&h->tx_seq_done) < seq + 1)
		h->tx_missed++;
	memcpy(block, tx_block(span, seq), TDMX_RING_BLOCK_BYTES);
}

static int ring_open(struct inode *inode, struct file *file)
{
	struct tdmx_span *span;
	struct ring_file *rf;

	rf = kzalloc(sizeof(*rf), GFP_KERNEL);
	if (!rf)
		return -ENOMEM;
	mutex_lock(&tdmx_lock);
	span = tdmx_span_get_by_id(iminor(inode) - TDMX_MINOR_SPAN(0));
	if (!span) {
		mutex_unlock(&tdmx_lock);
		kfree(rf);
		return -ENODEV;
	}
	spin_lock_bh(&span->lock);
	span->ring_open++;
	rf->seen = span->ring_seq;
	spin_unlock_bh(&span->lock);
	mutex_unlock(&tdmx_lock);
	rf->span = span;
	file->private_data = rf;
	file->f_mode |= FMODE_NOWAIT;
	return stream_open(inode, file);
}

static int ring_release(struct inode *inode, struct file *file)
{
	struct ring_file *rf = file->private_data;

	mutex_lock(&tdmx_lock);
	spin_lock_bh(&rf->span->lock);
	rf->span->ring_open--;
	spin_unlock_bh(&rf->span->lock);
	mutex_unlock(&tdmx_lock);
	kfree(rf);
	return 0;
}

static bool ring_ready(struct ring_file *rf)
{
	struct tdmx_span *span = rf->span;

	return READ_ONCE(span->ring_seq) >= rf->seen + span->cfg.block_ms;
}

static ssize_t ring_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	struct ring_file *rf = iocb->ki_filp->private_data;
	struct tdmx_span *span = rf->span;
	struct tdmx_span_wake w = { 0 };
	int ret;

	if (iov_iter_count(to) < sizeof(w))
		return -EINVAL;
	while (!ring_ready(rf)) {
		if ((iocb->ki_filp->f_flags & O_NONBLOCK) || (iocb->ki_flags & IOCB_NOWAIT))
			return -EAGAIN;
		ret = wait_event_interruptible(span->ring_wq, ring_ready(rf));
		if (ret)
			return ret;
	}
	w.rx_seq = READ_ONCE(span->ring_seq);
	w.alarms = READ_ONCE(span->alarms);
	w.alarm_seq = READ_ONCE(span->alarm_seq);
	rf->seen = w.rx_seq;
	if (copy_to_iter(&w, sizeof(w), to) != sizeof(w))
		return -EFAULT;
	return sizeof(w);
}

static __poll_t ring_poll(struct file *file, poll_table *wait)
{
	struct ring_file *rf = file->private_data;

	poll_wait(file, &rf->span->ring_wq, wait);
	return ring_ready(rf) ? EPOLLIN | EPOLLRDNORM : 0;
}

static int ring_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct ring_file *rf = file->private_data;

	if (vma->vm_pgoff || vma->vm_end - vma->vm_start > PAGE_ALIGN(TDMX_RING_MMAP_SIZE))
		return -EINVAL;
	return remap_vmalloc_range(vma, rf->span->ring, 0);
}

static const struct file_operations ring_fops = {
	.owner = THIS_MODULE,
	.open = ring_open,
	.release = ring_release,
	.read_iter = ring_read_iter,
	.poll = ring_poll,
	.mmap = ring_mmap,
	.llseek = no_llseek,
};

static struct cdev ring_cdev;

/**
 * tdmx_ring_add() - allocate the span's rings and create its device
 * @span: the span (tdmx_lock held)
 *
 * Return: 0 or -errno.
 */
int tdmx_ring_add(struct tdmx_span *span)
{
	struct tdmx_ring_hdr *h;
	int ret;

	span->ring = vmalloc_user(PAGE_ALIGN(TDMX_RING_MMAP_SIZE));
	if (!span->ring)
		return -ENOMEM;
	atomic_inc(&tdmx_objects);
	h = span->ring;
	h->version = TDMX_RING_VERSION;
	h->slots = TDMX_RING_SLOTS;
	h->blocks = TDMX_RING_BLOCKS;
	h->block_ms = span->cfg.block_ms;
	h->tx_delay = TX_DELAY_MS;
	h->channels = span->nchans;
	memset((u8 *)span->ring + TDMX_RING_TX_OFFSET, 0xFF,
	       TDMX_RING_BLOCKS * TDMX_RING_BLOCK_BYTES);
	span->dev = device_create(tdmx_class, NULL,
				  MKDEV(MAJOR(tdmx_devt), TDMX_MINOR_SPAN(span->id)),
				  span, "tdmxs%u", span->id);
	if (IS_ERR(span->dev)) {
		ret = PTR_ERR(span->dev);
		goto err_free;
	}
	ret = sysfs_create_group(&span->dev->kobj, &tdmx_span_attr_group);
	if (ret)
		goto err_device;
	return 0;

err_device:
	device_destroy(tdmx_class, span->dev->devt);
err_free:
	span->dev = NULL;
	vfree(span->ring);
	span->ring = NULL;
	atomic_dec(&tdmx_objects);
	return ret;
}

/**
 * tdmx_ring_del() - remove the span device and free the rings
 * @span: the span (tdmx_lock held; device not open)
 */
void tdmx_ring_del(struct tdmx_span *span)
{
	if (span->dev) {
		sysfs_remove_group(&span->dev->kobj, &tdmx_span_attr_group);
		device_destroy(tdmx_class, span->dev->devt);
		span->dev = NULL;
	}
	if (span->ring)
		atomic_dec(&tdmx_objects);
	vfree(span->ring);
	span->ring = NULL;
}

/**
 * tdmx_ring_init() - register the span device numbers
 *
 * Return: 0 or -errno.
 */
int tdmx_ring_init(void)
{
	cdev_init(&ring_cdev, &ring_fops);
	ring_cdev.owner = THIS_MODULE;
	return cdev_add(&ring_cdev, MKDEV(MAJOR(tdmx_devt), TDMX_MINOR_SPAN(0)),
			TDMX_MAX_SPANS + 1);
}

/**
 * tdmx_ring_exit() - unregister the span device numbers
 */
void tdmx_ring_exit(void)
{
	cdev_del(&ring_cdev);
}
