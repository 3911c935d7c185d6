/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
/*
 * tdmx: the contract between the tdmx kernel module and userspace.
 *
 * Three interfaces:
 *
 * 1. The generic netlink family "tdmx" (version 1): configuration, fault
 *    injection, counters, and two multicast groups. Commands:
 *
 *    TDMX_CMD_SPAN_GET  do:   [TDMX_A_SPAN_ID]            -> one span
 *                       dump: all spans, in span order
 *       Reply/notification attributes: SPAN_ID, SPAN_NAME, SPAN_CARD,
 *       SPAN_LINE, SPAN_FRAMING, SPAN_LINECODE, SPAN_SIGNALLING,
 *       SPAN_DCHAN, SPAN_LAW, SPAN_CLOCK_PRIO, SPAN_LOOPBACK,
 *       SPAN_BLOCK_MS, SPAN_CHANNELS, SPAN_ALARMS, SPAN_TIMING_MASTER (flag),
 *       SPAN_CLOCK_PPM, GENERATION.
 *
 *    TDMX_CMD_SPAN_SET  do (CAP_NET_ADMIN): [SPAN_ID] + any of
 *       SPAN_FRAMING, SPAN_LINECODE, SPAN_SIGNALLING, SPAN_DCHAN, SPAN_LAW,
 *       SPAN_CLOCK_PRIO, SPAN_LOOPBACK, SPAN_BLOCK_MS. Attributes not
 *       given keep their value. The framing must suit the line (E1 modes on
 *       E1, T1 modes on T1); CCS needs a D-channel timeslot (E1 default
 *       16, T1 default 24); CAS needs an E1 framing other than unframed or
 *       a T1 framing. Setting signalling re-types the span's channels
 *       (CCS: the D-channel becomes hdlc; CAS: voice channels become cas).
 *       On success a TDMX_CMD_SPAN_NTF goes to the "monitor" group.
 *
 *    TDMX_CMD_CHAN_GET  do:   [SPAN_ID, CHAN_ID]          -> one channel
 *                       dump: every channel, or of one span with SPAN_ID
 *       Attributes: SPAN_ID, CHAN_ID, CHAN_TYPE, CHAN_RX_ABCD,
 *       CHAN_TX_ABCD, CHAN_OPEN (u8 number of open files).
 *
 *    TDMX_CMD_CHAN_SET  do (CAP_NET_ADMIN): [SPAN_ID, CHAN_ID] +
 *       CHAN_TYPE and/or CHAN_TX_ABCD. A channel's type cannot change while
 *       its device is open (-EBUSY). Notifies TDMX_CMD_CHAN_NTF.
 *
 *    TDMX_CMD_VCARD_NEW do (CAP_NET_ADMIN): [VCARD_TYPE, VCARD_LINE]
 *       A "loop" card has two spans whose lines are joined (A's transmit is
 *       B's receive and back); a "tap" card has one span whose line is
 *       /dev/tdmx/line/<span>. Reply: VCARD_ID and one SPAN_ID per span.
 *    TDMX_CMD_VCARD_DEL do (CAP_NET_ADMIN): [VCARD_ID]. Refused with
 *       -EBUSY while any of its devices is open.
 *    TDMX_CMD_VCARD_GET dump: VCARD_ID, VCARD_TYPE, VCARD_LINE, SPAN_ID...
 *
 *    TDMX_CMD_FAULT_SET do (CAP_NET_ADMIN): [SPAN_ID] + any of FAULT_BER
 *       (bit error rate in errors per 10^9 bits, 0 = off), FAULT_BURST
 *       (flip this many consecutive bits once), FAULT_SLIP (flag: delete
 *       one bit once), FAULT_LOS, FAULT_AIS, FAULT_NOCRC4, FAULT_RAI (u8
 *       0/1, steady states), FAULT_CLOCK_PPM (s32, this span's clock offset
 *       from the timing master). Faults act on the span's transmitted line.
 *
 *    TDMX_CMD_COUNTERS_GET   do: [SPAN_ID] / dump: all spans
 *       Reply: SPAN_ID, COUNTERS (nest of TDMX_A_CNT_*).
 *    TDMX_CMD_COUNTERS_RESET do (CAP_NET_ADMIN): [SPAN_ID] (all if absent)
 *
 *    TDMX_CMD_ALARM_NTF (group "alarm"): one message per alarm edge:
 *       SPAN_ID, ALARM (enum tdmx_alarm), ALARM_ON (u8), SPAN_ALARMS (the
 *       whole state after the edge), ALARM_SEQ (u64, per-span edge count).
 *       A slip is an edge with ALARM_ON = 1 only.
 *
 *    Errors come back as a negative errno in the netlink ack with an
 *    extack message naming the offending attribute. Dumps carry
 *    TDMX_A_GENERATION; when it changes between parts of a dump the dump
 *    is flagged NLM_F_DUMP_INTR.
 *
 * 2. Channel devices /dev/tdmx/chan/<span>/<ts>: read/write PCM octets
 *    (voice, clear, cas) or whole frames (hdlc: read gives payload + 2 FCS
 *    octets, already checked; write takes payload + 2 octets of space, the
 *    FCS is computed by the kernel). poll, O_NONBLOCK, and read_iter /
 *    write_iter honouring IOCB_NOWAIT. The ioctls below handle signalling
 *    and channel events; alarms never show up as read/write errors.
 *
 * 3. Span devices /dev/tdmx/span/<n>: the bulk media path. mmap() the
 *    whole ring area (TDMX_RING_MMAP_SIZE) to get struct tdmx_ring_hdr
 *    followed by the rx and tx rings. Each ring has TDMX_RING_BLOCKS
 *    blocks of 1 ms; a block holds TDMX_RING_SLOTS timeslots of 8 octets,
 *    timeslot-major: octet f of timeslot t is at block[t * 8 + f].
 *    The kernel writes rx block `seq` at index seq % TDMX_RING_BLOCKS and
 *    then publishes rx_seq = seq + 1. Userspace writes tx block `seq` at
 *    the same index; the kernel sends it tx_delay ms after rx block `seq`
 *    arrived (so userspace has tx_delay ms to answer). read() blocks (or
 *    polls readable) until at least block_ms blocks arrived since the last
 *    read, and returns struct tdmx_span_wake.
 */
#ifndef _UAPI_LINUX_TDMX_H
#define _UAPI_LINUX_TDMX_H

#include <linux/types.h>
#include <linux/ioctl.h>

#define TDMX_GENL_NAME		"tdmx"
#define TDMX_GENL_VERSION	1
#define TDMX_MCGRP_MONITOR	"monitor"
#define TDMX_MCGRP_ALARM	"alarm"

enum tdmx_line {
	TDMX_LINE_E1 = 1,	/* 2048 kbit/s, 32 timeslots */
	TDMX_LINE_T1 = 2,	/* 1544 kbit/s, 24 channels */
};

enum tdmx_framing {
	TDMX_FRAMING_E1_UNFRAMED = 1,	/* clear 2048 kbit/s */
	TDMX_FRAMING_E1 = 2,		/* PCM31 / PCM30 (G.704 2.3) */
	TDMX_FRAMING_E1_CRC4 = 3,	/* PCM31C / PCM30C */
	TDMX_FRAMING_T1_D4 = 4,		/* superframe */
	TDMX_FRAMING_T1_ESF = 5,	/* extended superframe */
};

enum tdmx_linecode {
	TDMX_LINECODE_HDB3 = 1,
	TDMX_LINECODE_AMI = 2,
	TDMX_LINECODE_B8ZS = 3,
};

enum tdmx_signalling {
	TDMX_SIG_NONE = 1,
	TDMX_SIG_CAS = 2,	/* E1 TS16 CAS / T1 robbed bits */
	TDMX_SIG_CCS = 3,	/* a D-channel (hdlc) */
};

enum tdmx_law {
	TDMX_LAW_ALAW = 1,
	TDMX_LAW_ULAW = 2,
};

enum tdmx_loopback {
	TDMX_LOOP_NONE = 1,
	TDMX_LOOP_LOCAL = 2,	/* our transmit line comes back to our receiver */
	TDMX_LOOP_REMOTE = 3,	/* the received line is sent back (line loop) */
	TDMX_LOOP_PAYLOAD = 4,	/* received timeslots are sent back, re-framed */
};

enum tdmx_chan_type {
	TDMX_CHAN_UNUSED = 1,
	TDMX_CHAN_VOICE = 2,	/* PCM in the span's law */
	TDMX_CHAN_CLEAR = 3,	/* 64 kbit/s data */
	TDMX_CHAN_HDLC = 4,	/* frames with FCS checked/added in the kernel */
	TDMX_CHAN_CAS = 5,	/* voice plus ABCD signalling */
};

enum tdmx_vcard_type {
	TDMX_VCARD_LOOP = 1,
	TDMX_VCARD_TAP = 2,
};

/* Alarms: bit numbers in SPAN_ALARMS, values of TDMX_A_ALARM. */
enum tdmx_alarm {
	TDMX_ALARM_LOS = 0,	/* red: loss of signal */
	TDMX_ALARM_AIS = 1,	/* blue: all ones */
	TDMX_ALARM_LOF = 2,	/* red: loss of frame alignment */
	TDMX_ALARM_RAI = 3,	/* yellow: far end reports a defect */
	TDMX_ALARM_CRC4_IW = 4,	/* far end not CRC-4 (G.706 Annex B) */
	TDMX_ALARM_CAS_LOMF = 5,	/* TS16 CAS multiframe not aligned */
	TDMX_ALARM_CAS_RMFA = 6,	/* far end lost our CAS multiframe */
	TDMX_ALARM_TS16_AIS = 7,
	TDMX_ALARM_SLIP = 8,	/* a controlled slip (edge only) */
	__TDMX_ALARM_MAX
};

enum tdmx_cmd {
	TDMX_CMD_UNSPEC,
	TDMX_CMD_SPAN_GET,
	TDMX_CMD_SPAN_SET,
	TDMX_CMD_SPAN_NTF,
	TDMX_CMD_CHAN_GET,
	TDMX_CMD_CHAN_SET,
	TDMX_CMD_CHAN_NTF,
	TDMX_CMD_VCARD_NEW,
	TDMX_CMD_VCARD_DEL,
	TDMX_CMD_VCARD_GET,
	TDMX_CMD_VCARD_NTF,
	TDMX_CMD_FAULT_SET,
	TDMX_CMD_COUNTERS_GET,
	TDMX_CMD_COUNTERS_RESET,
	TDMX_CMD_ALARM_NTF,
	__TDMX_CMD_MAX
};

#define TDMX_CMD_MAX (__TDMX_CMD_MAX - 1)

enum tdmx_attr {
	TDMX_A_UNSPEC,
	TDMX_A_PAD,
	TDMX_A_GENERATION,	/* u32: configuration generation (dumps) */
	TDMX_A_SPAN_ID,		/* u32: span number, from 1 */
	TDMX_A_SPAN_NAME,	/* string: "vcard<N>/<i>" */
	TDMX_A_SPAN_CARD,	/* u32: card id */
	TDMX_A_SPAN_LINE,	/* u8: enum tdmx_line */
	TDMX_A_SPAN_FRAMING,	/* u8: enum tdmx_framing */
	TDMX_A_SPAN_LINECODE,	/* u8: enum tdmx_linecode */
	TDMX_A_SPAN_SIGNALLING,	/* u8: enum tdmx_signalling */
	TDMX_A_SPAN_DCHAN,	/* u8: D-channel timeslot for CCS */
	TDMX_A_SPAN_LAW,	/* u8: enum tdmx_law */
	TDMX_A_SPAN_CLOCK_PRIO,	/* u8: 0 = never timing source, 1 best..255 */
	TDMX_A_SPAN_LOOPBACK,	/* u8: enum tdmx_loopback */
	TDMX_A_SPAN_BLOCK_MS,	/* u8: span device wake interval, 1-20 ms */
	TDMX_A_SPAN_CHANNELS,	/* u8: number of channels */
	TDMX_A_SPAN_ALARMS,	/* u32: bit mask of enum tdmx_alarm */
	TDMX_A_SPAN_TIMING_MASTER,	/* flag: this span times the card */
	TDMX_A_SPAN_CLOCK_PPM,	/* s32: clock offset from the master */
	TDMX_A_CHAN_ID,		/* u8: timeslot (E1 1-31) or channel (T1 1-24) */
	TDMX_A_CHAN_TYPE,	/* u8: enum tdmx_chan_type */
	TDMX_A_CHAN_RX_ABCD,	/* u8: received ABCD, A in bit 3 */
	TDMX_A_CHAN_TX_ABCD,	/* u8: ABCD to send */
	TDMX_A_CHAN_OPEN,	/* u8: open files on the channel device */
	TDMX_A_VCARD_ID,	/* u32 */
	TDMX_A_VCARD_TYPE,	/* u8: enum tdmx_vcard_type */
	TDMX_A_VCARD_LINE,	/* u8: enum tdmx_line */
	TDMX_A_FAULT_BER,	/* u32: bit errors per 10^9 bits, 0 = off */
	TDMX_A_FAULT_BURST,	/* u32: flip this many bits once (1..65536) */
	TDMX_A_FAULT_SLIP,	/* flag: delete one bit once */
	TDMX_A_FAULT_LOS,	/* u8: 0/1 send all zeros */
	TDMX_A_FAULT_AIS,	/* u8: 0/1 send all ones */
	TDMX_A_FAULT_NOCRC4,	/* u8: 0/1 send doubleframe instead of CRC-4 */
	TDMX_A_FAULT_RAI,	/* u8: 0/1 send the remote alarm */
	TDMX_A_FAULT_CLOCK_PPM,	/* s32: -1000..1000 */
	TDMX_A_COUNTERS,	/* nest: TDMX_A_CNT_* */
	TDMX_A_ALARM,		/* u8: enum tdmx_alarm */
	TDMX_A_ALARM_ON,	/* u8: 1 = raised, 0 = cleared */
	TDMX_A_ALARM_SEQ,	/* u64: per-span alarm edge number */
	__TDMX_A_MAX
};

#define TDMX_A_MAX (__TDMX_A_MAX - 1)

/* Counters, all u64, monotonic until TDMX_CMD_COUNTERS_RESET. */
enum tdmx_cnt_attr {
	TDMX_A_CNT_UNSPEC,
	TDMX_A_CNT_PAD,
	TDMX_A_CNT_FRAMES,	/* frames received in alignment */
	TDMX_A_CNT_FAS_ERRORS,
	TDMX_A_CNT_CRC_ERRORS,	/* CRC-4 / CRC-6 block errors */
	TDMX_A_CNT_EBIT_ERRORS,	/* far-end block errors (E bits) */
	TDMX_A_CNT_REALIGNMENTS,
	TDMX_A_CNT_SLIPS,
	TDMX_A_CNT_ES,		/* G.826 errored seconds */
	TDMX_A_CNT_SES,
	TDMX_A_CNT_UAS,
	TDMX_A_CNT_HDLC_RX_FRAMES,
	TDMX_A_CNT_HDLC_TX_FRAMES,
	TDMX_A_CNT_HDLC_BAD_FCS,
	TDMX_A_CNT_HDLC_ABORTS,
	TDMX_A_CNT_HDLC_LENGTH,	/* too short, too long or not whole octets */
	TDMX_A_CNT_RX_OVERRUNS,	/* channel rx data dropped: reader too slow */
	TDMX_A_CNT_TX_UNDERRUNS,	/* channel tx idle-filled: writer too slow */
	TDMX_A_CNT_TICKS,	/* 1 ms ticks processed */
	TDMX_A_CNT_TICK_NS,	/* ns spent in them (framer, channels, ring) */
	TDMX_A_CNT_TICK_NS_MAX,	/* the longest one, ns */
	__TDMX_A_CNT_MAX
};

#define TDMX_A_CNT_MAX (__TDMX_A_CNT_MAX - 1)

/* ---- channel device ioctls ---- */

/**
 * struct tdmx_chan_info - what a channel device is
 * @span: span number
 * @chan: timeslot / channel number
 * @type: enum tdmx_chan_type
 * @law: enum tdmx_law
 */
struct tdmx_chan_info {
	__u32 span;
	__u32 chan;
	__u32 type;
	__u32 law;
};

enum tdmx_chan_event_type {
	TDMX_CHAN_EV_ABCD = 1,		/* @value: new rx ABCD */
	TDMX_CHAN_EV_ALARM = 2,		/* @value: span alarm mask after an edge */
	TDMX_CHAN_EV_OVERRUN = 3,	/* @value: total overruns */
	TDMX_CHAN_EV_UNDERRUN = 4,	/* @value: total underruns */
};

/**
 * struct tdmx_chan_event - one channel event (TDMX_IOC_GET_EVENT)
 * @type: enum tdmx_chan_event_type, 0 when there is no event
 * @value: see the type
 * @seq: event number on this channel, from 1
 * @time_ms: span tick counter when it happened
 */
struct tdmx_chan_event {
	__u32 type;
	__u32 value;
	__u64 seq;
	__u64 time_ms;
};

#define TDMX_IOC_MAGIC 0xD7
#define TDMX_IOC_GET_INFO	_IOR(TDMX_IOC_MAGIC, 1, struct tdmx_chan_info)
#define TDMX_IOC_GET_RX_ABCD	_IOR(TDMX_IOC_MAGIC, 2, __u32)
#define TDMX_IOC_SET_TX_ABCD	_IOW(TDMX_IOC_MAGIC, 3, __u32)
/* returns -EAGAIN when no event is pending; POLLPRI signals one */
#define TDMX_IOC_GET_EVENT	_IOR(TDMX_IOC_MAGIC, 4, struct tdmx_chan_event)

/* ---- span device: mmap'ed rings ---- */

#define TDMX_RING_VERSION	1
#define TDMX_RING_SLOTS		32	/* timeslots per block (T1: 1-24 used) */
#define TDMX_RING_FRAMES	8	/* frames (octets per timeslot) per block */
#define TDMX_RING_BLOCK_BYTES	(TDMX_RING_SLOTS * TDMX_RING_FRAMES)
#define TDMX_RING_BLOCKS	64	/* 64 ms of history each way */
#define TDMX_RING_HDR_BYTES	4096
#define TDMX_RING_RX_OFFSET	TDMX_RING_HDR_BYTES
#define TDMX_RING_TX_OFFSET	(TDMX_RING_RX_OFFSET + TDMX_RING_BLOCKS * TDMX_RING_BLOCK_BYTES)
#define TDMX_RING_MMAP_SIZE	(TDMX_RING_TX_OFFSET + TDMX_RING_BLOCKS * TDMX_RING_BLOCK_BYTES)

/**
 * struct tdmx_ring_hdr - first page of the span device mapping
 * @version: TDMX_RING_VERSION
 * @slots: TDMX_RING_SLOTS
 * @blocks: TDMX_RING_BLOCKS
 * @block_ms: wake interval (TDMX_A_SPAN_BLOCK_MS)
 * @tx_delay: ms between rx block seq and the transmission of tx block seq
 * @channels: channels on this span (E1 31 + TS0, T1 24)
 * @rx_seq: number of rx blocks written so far; block rx_seq - 1 is newest
 *	(written by the kernel after the block's data; read it with acquire)
 * @tx_missed: tx blocks the kernel sent before userspace wrote them
 *	(detected when tx_seq_done had not reached them)
 * @tx_seq_done: userspace stores seq + 1 here after writing tx block seq
 */
struct tdmx_ring_hdr {
	__u32 version;
	__u32 slots;
	__u32 blocks;
	__u32 block_ms;
	__u32 tx_delay;
	__u32 channels;
	__u64 rx_seq;
	__u64 tx_missed;
	__u64 tx_seq_done;
};

/**
 * struct tdmx_span_wake - what read() on a span device returns
 * @rx_seq: rx_seq at the time of the wake
 * @alarms: the span's alarm mask
 * @alarm_seq: the span's alarm edge count (changes mean: ask netlink)
 */
struct tdmx_span_wake {
	__u64 rx_seq;
	__u32 alarms;
	__u32 pad;
	__u64 alarm_seq;
};

#endif /* _UAPI_LINUX_TDMX_H */
