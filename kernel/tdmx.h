/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * tdmx module internals: cards, spans, channels. Not a userspace API; that
 * is include/uapi/linux/tdmx.h.
 *
 * Object model: a card (struct tdmx_card) has spans; a span has channels
 * (one per timeslot). Cards move raw line bits: every 1 ms the card's
 * clock calls tdmx_span_tx_bits() to get the line to send and
 * tdmx_span_rx_bits() with the line received, then tdmx_span_tick_end().
 * The span runs the framer (kernel/framer/) and feeds channels and the
 * span ring. All protocol time is counted in ticks (1 ms) and frames.
 *
 * Locking: tdmx_lock (mutex) serialises configuration: card and span
 * creation/removal, SET commands. Each span has a spinlock taken by the
 * tick (softirq context) and by anything that touches the span's framer,
 * channel buffers or alarms from process context.
 */
#ifndef TDMX_KERNEL_TDMX_H
#define TDMX_KERNEL_TDMX_H

#include <linux/atomic.h>
#include <linux/types.h>
#include <linux/spinlock.h>
#include <linux/mutex.h>
#include <linux/wait.h>
#include <linux/list.h>
#include <linux/kref.h>
#include <linux/cdev.h>
#include <linux/device.h>
#include <uapi/linux/tdmx.h>

#include "framer/e1.h"
#include "framer/t1.h"
#include "framer/hdlc.h"

#define TDMX_MAX_SPANS		128
#define TDMX_SPAN_TS		32	/* timeslots per span (T1 uses 1-24) */
#define TDMX_TICK_FRAMES	8	/* frames per 1 ms tick */
#define TDMX_E1_TICK_OCTETS	256	/* 8 x 256 bits */
#define TDMX_T1_TICK_OCTETS	193	/* 8 x 193 bits */
#define TDMX_TICK_MAX_OCTETS	320	/* room for a tick plus a slipped frame */
#define TDMX_CHAN_FIFO		1024	/* PCM octets buffered per direction */
#define TDMX_HDLC_QUEUE		16	/* frames queued per direction */
#define TDMX_ELASTIC_FRAMES	32	/* receive elastic store (4 ms) */

/* device minors: channels span * 32 + ts, then span and line devices */
#define TDMX_MINOR_CHAN(span, ts)	((span) * TDMX_SPAN_TS + (ts))
#define TDMX_MINOR_SPAN(id)		(8192 + (id))
#define TDMX_MINOR_LINE(id)		(8192 + 256 + (id))
#define TDMX_MINORS			(8192 + 512)

struct tdmx_card;
struct tdmx_span;

/**
 * struct tdmx_card_ops - what a card driver provides
 * @name: driver name ("vcard")
 * @span_config: the span's line settings changed (framing, line code,
 *	loopback); called with tdmx_lock held. May be NULL.
 * @release: free the card once its spans are gone
 */
struct tdmx_card_ops {
	const char *name;
	int (*span_config)(struct tdmx_span *span);
	void (*release)(struct tdmx_card *card);
};

/**
 * struct tdmx_card - a set of spans sharing a driver and a clock
 * @id: card number, from 1
 * @ops: driver operations
 * @nspans: number of spans
 * @spans: the spans (owned by the span core once registered)
 * @list: in the card list (tdmx_lock)
 * @priv: driver data
 */
struct tdmx_card {
	u32 id;
	const struct tdmx_card_ops *ops;
	unsigned int nspans;
	struct tdmx_span *spans[2];
	struct list_head list;
	void *priv;
};

struct tdmx_hdlc_frame {
	u16 len;
	u8 data[TDMX_HDLC_MAX_FRAME];
};

/**
 * struct tdmx_chan - one timeslot of a span and its device
 * @span: owning span
 * @no: timeslot (E1 1-31) or channel (T1 1-24)
 * @type: enum tdmx_chan_type
 * @open_count: open files
 * @rx, @tx: PCM FIFOs (voice, clear, cas); rx is written by the tick
 * @rx_head, @rx_tail, @tx_head, @tx_tail: FIFO indices (free running)
 * @hrx, @htx: HDLC codec state (hdlc channels)
 * @hrxq, @htxq: frame queues (ring of TDMX_HDLC_QUEUE) and indices
 * @rx_abcd, @tx_abcd: signalling bits
 * @ev: pending channel events (ring of 16) and indices
 * @ev_seq: events so far
 * @wq: readers, writers and event waiters
 * @dev: the device /dev/tdmx/chan/<span>/<no>
 * @overruns, @underruns: counters
 * @tx_started: a writer has written since open (underruns count after)
 * @read_lock, @write_lock: one reader / writer at a time
 * @hdlc_tx_frames: frames handed to the HDLC transmitter
 * @hdlc_base: HDLC receive counters at the last counter reset
 */
struct tdmx_chan {
	struct tdmx_span *span;
	unsigned int no;
	u8 type;
	unsigned int open_count;
	u8 rx[TDMX_CHAN_FIFO];
	u8 tx[TDMX_CHAN_FIFO];
	u32 rx_head, rx_tail, tx_head, tx_tail;
	struct tdmx_hdlc_rx hrx;
	struct tdmx_hdlc_tx htx;
	struct tdmx_hdlc_frame *hrxq;
	struct tdmx_hdlc_frame *htxq;
	u32 hrxq_head, hrxq_tail, htxq_head, htxq_tail;
	u8 rx_abcd, tx_abcd;
	struct tdmx_chan_event ev[16];
	u32 ev_head, ev_tail;
	u64 ev_seq;
	wait_queue_head_t wq;
	struct device *dev;
	u64 overruns, underruns;
	bool tx_started;
	struct mutex read_lock;		/* serialises readers */
	struct mutex write_lock;	/* serialises writers */
	u64 hdlc_tx_frames;
	struct tdmx_hdlc_counters hdlc_base;
};

/**
 * struct tdmx_span_cfg - operator settings of a span
 */
struct tdmx_span_cfg {
	u8 framing;
	u8 linecode;
	u8 signalling;
	u8 dchan;
	u8 law;
	u8 clock_prio;
	u8 loopback;
	u8 block_ms;
};

/**
 * struct tdmx_span - one E1/T1 line
 * @id: span number, from 1
 * @name: "vcard<N>/<i>"
 * @card: owning card
 * @index: index in the card
 * @line: enum tdmx_line
 * @cfg: settings
 * @lock: tick vs process context
 * @e1rx, @e1tx, @t1rx, @t1tx: the framer (by @line)
 * @chans: channels, index = timeslot
 * @nchans: E1 31, T1 24
 * @alarms: enum tdmx_alarm bit mask
 * @alarm_seq: alarm edges so far
 * @cnt_base: totals at the last counter reset
 * @cnt_acc: totals of earlier framer runs (a restart zeroes the framer's)
 * @cnt_now: totals as of the last tick
 * @last_rx: the last tick's received octets per timeslot (payload loop)
 * @aligned_ticks: ticks the receiver has been aligned (slip detection)
 * @tx_rai, @tx_ais, @tx_nocrc4: transmitter overrides (fault injection)
 * @ticks_timed, @tick_ns, @tick_ns_max: cost of this span's ticks
 * @slips: controlled slips
 * @elastic: received frames waiting for the tick, [frame][ts]
 * @el_count: frames in the elastic store
 * @tick: ticks so far
 * @ring: the span device's rings (vmalloc_user, TDMX_RING_MMAP_SIZE)
 * @ring_seq: rx blocks published (the kernel's copy of the header's rx_seq)
 * @ring_wq: span device readers
 * @ring_open: open files on the span device
 * @dev: /dev/tdmx/span/<id>
 * @timing_master: this span clocks its card
 * @clock_ppm: clock offset of this span's transmitter (fault injection)
 */
struct tdmx_span {
	u32 id;
	char name[32];
	struct tdmx_card *card;
	unsigned int index;
	u8 line;
	struct tdmx_span_cfg cfg;
	spinlock_t lock;	/* tick vs process context */
	union {
		struct {
			struct tdmx_e1_rx e1rx;
			struct tdmx_e1_tx e1tx;
		};
		struct {
			struct tdmx_t1_rx t1rx;
			struct tdmx_t1_tx t1tx;
		};
	};
	struct tdmx_chan chans[TDMX_SPAN_TS];
	unsigned int nchans;
	u32 alarms;
	u64 alarm_seq;
	struct tdmx_fr_counters cnt_base;
	struct tdmx_fr_counters cnt_acc;
	struct tdmx_fr_counters cnt_now;
	u64 slips;
	u64 ticks_timed;
	u64 tick_ns;
	u64 tick_ns_max;
	u8 last_rx[TDMX_SPAN_TS][TDMX_TICK_FRAMES];
	unsigned int aligned_ticks;
	bool tx_rai;
	bool tx_ais;
	bool tx_nocrc4;
	u8 elastic[TDMX_ELASTIC_FRAMES][TDMX_SPAN_TS];
	unsigned int el_count;
	u64 tick;
	void *ring;
	u64 ring_seq;
	wait_queue_head_t ring_wq;
	unsigned int ring_open;
	struct device *dev;
	bool timing_master;
	s32 clock_ppm;
};

extern struct mutex tdmx_lock;
/* live allocations (cards, spans, rings, HDLC queues): 0 after all go */
extern atomic_t tdmx_objects;
extern struct class *tdmx_class;
extern dev_t tdmx_devt;
extern const struct attribute_group tdmx_span_attr_group;
extern const struct attribute_group *tdmx_chan_attr_groups[];

/* span.c */
int tdmx_span_register(struct tdmx_card *card, unsigned int index, u8 line,
		       struct tdmx_span **out);
void tdmx_span_unregister(struct tdmx_span *span);
struct tdmx_span *tdmx_span_get_by_id(u32 id);
struct tdmx_span *tdmx_span_next(u32 after);
int tdmx_span_configure(struct tdmx_span *span, const struct tdmx_span_cfg *cfg);
void tdmx_span_counters(struct tdmx_span *span, struct tdmx_fr_counters *out);
void tdmx_span_counters_reset(struct tdmx_span *span);
void tdmx_span_counters_update(struct tdmx_span *span);
bool tdmx_span_busy(struct tdmx_span *span);
u32 tdmx_generation(void);
void tdmx_generation_bump(void);

/* tick.c: called by cards from their clock, in this order, every 1 ms */
size_t tdmx_span_tx_bits(struct tdmx_span *span, unsigned int nframes, u8 *out);
void tdmx_span_rx_bits(struct tdmx_span *span, const u8 *in, size_t len);
void tdmx_span_tick_end(struct tdmx_span *span);
void tdmx_span_tick_time(struct tdmx_span *span, u64 ns);
void tdmx_span_framer_event(void *ctx, const struct tdmx_fr_event *ev);
void tdmx_span_framer_payload(void *ctx, const struct tdmx_fr_payload *pl);

/* chan.c */
int tdmx_chan_devices_add(struct tdmx_span *span);
void tdmx_chan_devices_del(struct tdmx_span *span);
int tdmx_chan_set_type(struct tdmx_chan *chan, u8 type);
void tdmx_chan_event(struct tdmx_chan *chan, u32 type, u32 value);
void tdmx_chan_rx_octets(struct tdmx_chan *chan, const u8 *o, unsigned int n);
void tdmx_chan_tx_octets(struct tdmx_chan *chan, u8 *o, unsigned int n);
void tdmx_chan_free_hdlc(struct tdmx_chan *chan);
void tdmx_chan_hdlc_counters(struct tdmx_chan *chan, struct tdmx_hdlc_counters *out);
int tdmx_wait_and_lock(wait_queue_head_t *wq, struct mutex *lock, bool nb,
		       bool (*ready)(const void *arg), const void *arg);
int tdmx_chan_init(void);
void tdmx_chan_exit(void);

/* ring.c: the span device */
int tdmx_ring_add(struct tdmx_span *span);
void tdmx_ring_del(struct tdmx_span *span);
void tdmx_ring_rx_block(struct tdmx_span *span, const u8 block[][TDMX_RING_FRAMES]);
void tdmx_ring_tx_block(struct tdmx_span *span, u8 block[][TDMX_RING_FRAMES]);
int tdmx_ring_init(void);
void tdmx_ring_exit(void);

/* alarm.c */
void tdmx_alarm_edge(struct tdmx_span *span, unsigned int alarm, bool on);
void tdmx_alarm_from_framer(struct tdmx_span *span, const struct tdmx_fr_event *ev);

/* netlink.c */
int tdmx_netlink_init(void);
void tdmx_netlink_exit(void);
void tdmx_netlink_notify_span(struct tdmx_span *span);
void tdmx_netlink_notify_chan(struct tdmx_chan *chan);
void tdmx_netlink_notify_alarm(struct tdmx_span *span, unsigned int alarm, bool on);

/* vcard.c */
int tdmx_vcard_new(u8 type, u8 line, struct tdmx_card **out);
int tdmx_vcard_del(u32 id);
struct tdmx_card *tdmx_card_get_by_id(u32 id);
struct tdmx_card *tdmx_card_next(u32 after);
void tdmx_vcard_del_all(void);
void tdmx_vcard_stop_all(void);
int tdmx_vcard_init(void);
void tdmx_vcard_exit(void);

/**
 * struct tdmx_fault - what vcard injects on a span's transmitted line
 */
struct tdmx_fault {
	u32 ber;	/* errors per 10^9 bits */
	u32 burst;	/* bits still to flip */
	bool slip;	/* delete one bit on the next tick */
	bool los;
	bool ais;
	bool nocrc4;
	bool rai;
	s32 clock_ppm;
};

int tdmx_vcard_fault_set(struct tdmx_span *span, const struct tdmx_fault *f, u32 mask);
#define TDMX_FAULT_F_BER	BIT(0)
#define TDMX_FAULT_F_BURST	BIT(1)
#define TDMX_FAULT_F_SLIP	BIT(2)
#define TDMX_FAULT_F_LOS	BIT(3)
#define TDMX_FAULT_F_AIS	BIT(4)
#define TDMX_FAULT_F_NOCRC4	BIT(5)
#define TDMX_FAULT_F_RAI	BIT(6)
#define TDMX_FAULT_F_PPM	BIT(7)

#endif /* TDMX_KERNEL_TDMX_H */
