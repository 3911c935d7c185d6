// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Character devices: channel devices /dev/tdmx/chan/<span>/<ts> (PCM or
 * HDLC frames, ABCD and event ioctls) and span devices /dev/tdmx/span/<n>
 * (mmap'ed rx/tx rings, read() for wake-ups).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "libtdmx.h"

/**
 * tdmx_dev_dir() - where the devices are: $TDMX_DEV_DIR if set (tests,
 *	containers), else "/dev/tdmx"
 *
 * Return: the directory.
 */
const char *tdmx_dev_dir(void)
{
	const char *dir = getenv("TDMX_DEV_DIR");

	return dir && *dir ? dir : "/dev/tdmx";
}

static int dev_open(const char *kind, uint32_t span, unsigned int ts, bool has_ts, int flags)
{
	char path[PATH_MAX];
	int n, fd;

	if (has_ts)
		n = snprintf(path, sizeof(path), "%s/%s/%u/%u", tdmx_dev_dir(), kind, span, ts);
	else
		n = snprintf(path, sizeof(path), "%s/%s/%u", tdmx_dev_dir(), kind, span);
	if (n < 0 || (size_t)n >= sizeof(path))
		return -ENAMETOOLONG;
	fd = open(path, flags | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

/**
 * tdmx_chandev_open() - open a channel device
 * @span: span number
 * @ts: timeslot / channel number
 * @flags: open(2) flags (O_RDWR, O_NONBLOCK...); O_CLOEXEC is added
 *
 * Return: the file descriptor, or a negative errno.
 */
int tdmx_chandev_open(uint32_t span, unsigned int ts, int flags)
{
	return dev_open("chan", span, ts, true, flags);
}

/* Return: 0 or a negative errno. */
int tdmx_chandev_info(int fd, struct tdmx_chan_info *info)
{
	return ioctl(fd, TDMX_IOC_GET_INFO, info) < 0 ? -errno : 0;
}

/* Return: the received ABCD (A in bit 3), or a negative errno. */
int tdmx_chandev_rx_abcd(int fd)
{
	__u32 abcd;

	if (ioctl(fd, TDMX_IOC_GET_RX_ABCD, &abcd) < 0)
		return -errno;
	return (int)(abcd & 0xf);
}

/* Return: 0, -EINVAL for a value above 15, or a negative errno. */
int tdmx_chandev_set_tx_abcd(int fd, unsigned int abcd)
{
	__u32 v = abcd;

	if (abcd > 0xf)
		return -EINVAL;
	return ioctl(fd, TDMX_IOC_SET_TX_ABCD, &v) < 0 ? -errno : 0;
}

/**
 * tdmx_chandev_event() - take the next channel event
 * @fd: channel device
 * @ev: the event
 *
 * Return: 1 with an event in @ev, 0 when none is pending, or a negative
 * errno.
 */
int tdmx_chandev_event(int fd, struct tdmx_chan_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	if (ioctl(fd, TDMX_IOC_GET_EVENT, ev) < 0)
		return errno == EAGAIN ? 0 : -errno;
	return ev->type ? 1 : 0;
}

/**
 * tdmx_ring_open() - open and map a span device
 * @r: result
 * @span: span number
 * @flags: open(2) flags: O_RDWR to transmit, O_RDONLY to only receive
 *	(then @r->tx is NULL); O_NONBLOCK makes tdmx_ring_wait() return
 *	-EAGAIN
 *
 * Return: 0, -EPROTO when the ring header does not match this library
 * (version, slots, blocks), or a negative errno.
 */
int tdmx_ring_open(struct tdmx_ring *r, uint32_t span, int flags)
{
	bool rdonly = (flags & O_ACCMODE) == O_RDONLY;
	int ret;

	memset(r, 0, sizeof(*r));
	r->fd = dev_open("span", span, 0, false, flags);
	if (r->fd < 0)
		return r->fd;
	r->span = span;
	r->map = mmap(NULL, TDMX_RING_MMAP_SIZE, PROT_READ | (rdonly ? 0 : PROT_WRITE),
		      MAP_SHARED, r->fd, 0);
	if (r->map == MAP_FAILED) {
		ret = -errno;
		goto err_mmap;
	}
	r->hdr = r->map;
	if (r->hdr->version != TDMX_RING_VERSION || r->hdr->slots != TDMX_RING_SLOTS ||
	    r->hdr->blocks != TDMX_RING_BLOCKS) {
		ret = -EPROTO;
		goto err_hdr;
	}
	r->rx = (const uint8_t *)r->map + TDMX_RING_RX_OFFSET;
	r->tx = rdonly ? NULL : (uint8_t *)r->map + TDMX_RING_TX_OFFSET;
	return 0;

err_hdr:
	munmap(r->map, TDMX_RING_MMAP_SIZE);
err_mmap:
	close(r->fd);
	memset(r, 0, sizeof(*r));
	r->fd = -1;
	return ret;
}

/* unmap and close a ring opened by tdmx_ring_open() (no-op after a failed open) */
void tdmx_ring_close(struct tdmx_ring *r)
{
	if (!r->map)
		return;
	munmap(r->map, TDMX_RING_MMAP_SIZE);
	close(r->fd);
	memset(r, 0, sizeof(*r));
	r->fd = -1;
}

/**
 * tdmx_ring_wait() - wait until block_ms new rx blocks arrived
 * @r: ring
 * @w: what the kernel reports (rx_seq, alarms, alarm_seq)
 *
 * Return: 0, -EAGAIN (non-blocking, nothing yet), or a negative errno.
 */
int tdmx_ring_wait(struct tdmx_ring *r, struct tdmx_span_wake *w)
{
	ssize_t n;

	do {
		n = read(r->fd, w, sizeof(*w));
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return n == sizeof(*w) ? 0 : -EIO;
}

/* Return: the number of rx blocks the kernel has published (acquire). */
uint64_t tdmx_ring_rx_seq(const struct tdmx_ring *r)
{
	return __atomic_load_n(&r->hdr->rx_seq, __ATOMIC_ACQUIRE);
}

/**
 * tdmx_ring_rx_valid() - whether rx block @seq is published and not yet
 *	being overwritten. Check it again after copying a block out: when it
 *	is false then, the copy may be torn.
 * @r: ring
 * @seq: block number
 *
 * Return: true when the block can be read.
 */
bool tdmx_ring_rx_valid(const struct tdmx_ring *r, uint64_t seq)
{
	uint64_t rx = tdmx_ring_rx_seq(r);

	return seq < rx && rx - seq < TDMX_RING_BLOCKS;
}

/* Return: rx block @seq (octet f of timeslot t at tdmx_block_index(t, f)). */
const uint8_t *tdmx_ring_rx_block(const struct tdmx_ring *r, uint64_t seq)
{
	return r->rx + (seq % TDMX_RING_BLOCKS) * TDMX_RING_BLOCK_BYTES;
}

/* Return: tx block @seq, NULL for a read-only ring. */
uint8_t *tdmx_ring_tx_block(struct tdmx_ring *r, uint64_t seq)
{
	if (!r->tx)
		return NULL;
	return r->tx + (seq % TDMX_RING_BLOCKS) * TDMX_RING_BLOCK_BYTES;
}

/**
 * tdmx_ring_tx_done() - publish tx block @seq (release: its octets are
 *	visible to the kernel before tx_seq_done)
 * @r: a ring opened for writing
 * @seq: the block just written
 */
void tdmx_ring_tx_done(struct tdmx_ring *r, uint64_t seq)
{
	if (r->tx)
		__atomic_store_n(&r->hdr->tx_seq_done, seq + 1, __ATOMIC_RELEASE);
}
