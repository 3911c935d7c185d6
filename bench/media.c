// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Media engine throughput: how many channels one core can switch, on span
 * rings laid out exactly as the mapping of /dev/tdmx/span/<n>
 * (struct tdmx_ring_hdr, then 64 rx and 64 tx blocks of [32][8] octets),
 * so no kernel is needed.
 *
 * Every case runs the daemon's media step once per block interval for
 * SECONDS of audio: the "kernel" publishes rx_seq (not timed), then the
 * timed part reads rx_seq, points the mixer at each span's ring, processes
 * block_ms blocks and stores tx_seq_done, as tdmxd does on a wake-up. The
 * steps run back to back. A step's processing time is the CPU time of the
 * thread (CLOCK_THREAD_CPUTIME_ID), compared with the real-time interval
 * it covers: CPU % = processing time / audio time, and an interval whose
 * processing took longer than the interval is a deadline miss. The wall
 * clock time of the steps is reported too, with the involuntary context
 * switches: on a shared machine it also counts time the thread spent
 * preempted by other work, which says nothing about the media code.
 *
 * The baseline is memcpy of the same audio (rx to tx of every channel, 8
 * octets per channel per ms) in the same run and tick structure. Figures
 * per channel are normalised by the channels each case uses.
 *
 * Cases are rows of the table in main(): a name, a set-up (the graph,
 * recorders, detectors), a per-interval step and a tear-down.
 *
 *   memcpy   baseline
 *   bridge   (a) two-party bridges across spans
 *   rec      (b) the same bridges, every call recorded in stereo (caller
 *            left, agent right, A-law WAV) through io_uring (rec.h) into a
 *            temporary directory under $TMPDIR or /tmp, removed afterwards.
 *            The steps are not paced: when the disk falls behind, the bench
 *            waits for it between steps (not timed), as rec.h's own bench
 *            does. Timing starts once every recording has sent its first
 *            chunk to the disk (steady state: the buffer pool is warm).
 *            The recorder's io-wq workers run on other threads: their CPU
 *            is reported apart ("process cpu": all threads, from the end
 *            of the warm-up until the last file is closed)
 *   xbridge  the same bridges, every call across two workers (links)
 *   barge    (c) agent + caller + supervisor in barge mode
 *   conf3    the same three parties as general three-talker conferences
 *   confrec  (e) the conferences of conf3, each recorded mono (the whole
 *            sum, A-law WAV) as tdmxd does: the recording sits on the
 *            conference's mixer tap (confrec.h), so it is fed from the sum
 *            the mixer makes anyway; to disk through io_uring, paced,
 *            warmed up and reported like rec
 *   dtmf     (d) DTMF detection (dtmf.h over spandsp) on every channel,
 *            decoded from the rings; no mixing. Runs less audio (see -s):
 *            it needs more than one core for all channels
 *
 * Usage: media [-s seconds] [-n spans]   (defaults 10 s, 400 E1 spans)
 */
#include <errno.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
#include <linux/tdmx.h>

#include "confrec.h"
#include "dsp.h"
#include "dtmf.h"
#include "g711.h"
#include "log.h"
#include "mix.h"
#include "rec.h"
#include "xlink.h"

#define E1_CHANNELS	31	/* timeslots 1..31 carry channels */
#define TARGET_CHANNELS	10000
#define TARGET_CPU	50.0
#define WARMUP_TICKS	50
#define DTMF_SECONDS	2	/* at most, for the dtmf case */
#define REC_SECONDS	3	/* at most, for the rec case (the disk) */
/* every recording sends its first chunk to the disk (buffer pool warm) */
#define REC_WARMUP_MS	(REC_DEF_CHUNK_BYTES / (2 * MEDIA_SAMPLES_PER_MS) + 100)
/* the same for mono A-law files: one octet per sample, twice as long */
#define CONFREC_WARMUP_MS	(REC_DEF_CHUNK_BYTES / MEDIA_SAMPLES_PER_MS + 100)

struct bench {
	unsigned int nspans;	/* spans 1..nspans */
	unsigned int block_ms;
	unsigned int seconds;
	uint8_t **map;		/* per span: TDMX_RING_MMAP_SIZE octets */
	struct mix_ring *ring;	/* per span, for mix_io */
	struct mix_io io;
	struct mix *mix;
	media_port *chan;	/* every channel's port, span by span */
	unsigned int nchan;
	unsigned int used;	/* channels the current case switches */
	/* rec case */
	struct rec_ctx *rec;
	struct rec **recs;
	unsigned int nrecs;
	char rec_dir[256];
	uint64_t rec_bytes;
	/* confrec case: one per conference, on its tap */
	struct confrec **crs;
	unsigned int ncrs;
	/* dtmf case */
	struct dtmf_det **det;
	uint64_t digits;
	/* xbridge case: the spans above nspans / 2 are another worker's */
	struct xlink **links;
	unsigned int nlinks;
	uint8_t **vrx, **vtx;	/* the mixer's stand-in rings of those spans */
};

/**
 * struct bench_case - one row
 * @name: line prefix
 * @what: what it measures
 * @setup: build the graph etc. on b->mix; 0 or -errno
 * @step: one block interval from rx block seq (timed)
 * @between: after each step, not timed (may be NULL); 0 or -errno
 * @teardown: undo @setup (may be NULL); 0 or -errno
 * @seconds: audio to run at most, 0: as -s
 * @warmup_ms: audio to run untimed first, 0: WARMUP_TICKS intervals
 */
struct bench_case {
	const char *name;
	const char *what;
	int (*setup)(struct bench *b);
	void (*step)(struct bench *b, uint64_t seq);
	int (*between)(struct bench *b);
	int (*teardown)(struct bench *b);
	unsigned int seconds;
	unsigned int warmup_ms;
};

struct result {
	double total_ns, worst_ns;	/* thread CPU time */
	double wall_worst_ns;
	double process_cpu_ns;		/* all threads, over the whole case */
	unsigned long ticks, misses, wall_misses;
	long preempted;			/* involuntary context switches */
	unsigned int channels;
	double seconds;			/* audio */
};

static double clock_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static double rusage_ns(int who)
{
	struct rusage ru;

	if (getrusage(who, &ru))
		return 0;
	return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e9 +
	       (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e3;
}

static long involuntary_switches(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_THREAD, &ru))
		return 0;
	return ru.ru_nivcsw;
}

static struct tdmx_ring_hdr *hdr_of(struct bench *b, unsigned int span)
{
	return (struct tdmx_ring_hdr *)b->map[span];
}

/* ---- rings ---- */

static int rings_new(struct bench *b)
{
	unsigned int s, i, ts;
	uint32_t x = 12345;

	b->map = calloc(b->nspans + 1, sizeof(*b->map));
	b->ring = calloc(b->nspans + 1, sizeof(*b->ring));
	b->chan = calloc((size_t)b->nspans * E1_CHANNELS, sizeof(*b->chan));
	if (!b->map || !b->ring || !b->chan)
		return -ENOMEM;
	for (s = 1; s <= b->nspans; s++) {
		struct tdmx_ring_hdr *h;
		uint8_t *rx;

		if (posix_memalign((void **)&b->map[s], 4096, TDMX_RING_MMAP_SIZE))
			return -ENOMEM;
		memset(b->map[s], 0, TDMX_RING_MMAP_SIZE);
		h = hdr_of(b, s);
		h->version = TDMX_RING_VERSION;
		h->slots = TDMX_RING_SLOTS;
		h->blocks = TDMX_RING_BLOCKS;
		h->tx_delay = 4;
		h->channels = E1_CHANNELS;
		/* speech-like enough for table lookups: random A-law codes */
		rx = b->map[s] + TDMX_RING_RX_OFFSET;
		for (i = 0; i < TDMX_RING_BLOCKS * TDMX_RING_BLOCK_BYTES; i++) {
			x = x * 1103515245u + 12345u;
			rx[i] = (uint8_t)(x >> 16);
		}
		for (ts = 1; ts <= E1_CHANNELS; ts++)
			b->chan[b->nchan++] = media_port_of(s, ts);
	}
	b->io.span = b->ring;
	b->io.nspans = b->nspans + 1;
	return 0;
}

static void rings_free(struct bench *b)
{
	unsigned int s;

	for (s = 1; s <= b->nspans && b->map; s++)
		free(b->map[s]);
	free(b->map);
	free(b->ring);
	free(b->chan);
}

/* a fresh start for a case: no block published or answered yet */
static void rings_reset(struct bench *b)
{
	unsigned int s;

	for (s = 1; s <= b->nspans; s++) {
		struct tdmx_ring_hdr *h = hdr_of(b, s);

		h->block_ms = b->block_ms;
		h->rx_seq = 0;
		h->tx_seq_done = 0;
		h->tx_missed = 0;
	}
}

/* the kernel's side of one interval: block_ms new rx blocks (not timed) */
static void kernel_tick(struct bench *b, uint64_t seq)
{
	unsigned int s;

	for (s = 1; s <= b->nspans; s++) {
		struct tdmx_ring_hdr *h = hdr_of(b, s);

		if (h->tx_seq_done < seq)
			h->tx_missed++;
		__atomic_store_n(&h->rx_seq, seq + b->block_ms, __ATOMIC_RELEASE);
	}
}

static void publish_tx(struct bench *b, uint64_t seq)
{
	unsigned int s;

	for (s = 1; s <= b->nspans; s++)
		__atomic_store_n(&hdr_of(b, s)->tx_seq_done, seq + b->block_ms, __ATOMIC_RELEASE);
}

/* ---- cases ---- */

static void step_memcpy(struct bench *b, uint64_t seq)
{
	unsigned int s, k;

	for (s = 1; s <= b->nspans; s++) {
		uint8_t *m = b->map[s];

		(void)__atomic_load_n(&hdr_of(b, s)->rx_seq, __ATOMIC_ACQUIRE);
		for (k = 0; k < b->block_ms; k++) {
			size_t at = ((seq + k) % TDMX_RING_BLOCKS) * TDMX_RING_BLOCK_BYTES +
				    TDMX_RING_FRAMES;

			memcpy(m + TDMX_RING_TX_OFFSET + at, m + TDMX_RING_RX_OFFSET + at,
			       E1_CHANNELS * TDMX_RING_FRAMES);
		}
	}
	__asm__ volatile("" : : : "memory");
	publish_tx(b, seq);
}

static void step_mix(struct bench *b, uint64_t seq)
{
	unsigned int s;

	for (s = 1; s <= b->nspans; s++) {
		uint64_t rx_seq = __atomic_load_n(&hdr_of(b, s)->rx_seq, __ATOMIC_ACQUIRE);

		b->ring[s] = mix_ring_of_map(b->map[s], rx_seq - b->block_ms, 0);
	}
	if (mix_process(b->mix, &b->io, b->block_ms)) {
		fprintf(stderr, "media: mix_process failed\n");
		exit(1);
	}
	publish_tx(b, seq);
}

static int setup_none(struct bench *b)
{
	b->used = b->nchan;
	return 0;
}

/* (a) two-party calls: channel i with channel i + n/2, across spans */
static int setup_bridges(struct bench *b)
{
	unsigned int half = b->nchan / 2, i;
	int ret;

	for (i = 0; i < half; i++) {
		ret = mix_bridge(b->mix, b->chan[i], b->chan[half + i]);
		if (ret)
			return ret;
	}
	b->used = 2 * half;
	return 0;
}

/* (c) agent i, caller i + n/3, supervisor i + 2n/3: a supervised bridge */
static int setup_barge(struct bench *b)
{
	unsigned int third = b->nchan / 3, i;
	int ret;

	for (i = 0; i < third; i++) {
		media_port agent = b->chan[i], caller = b->chan[third + i];

		ret = mix_bridge(b->mix, agent, caller);
		if (!ret)
			ret = mix_supervise(b->mix, b->chan[2 * third + i], agent, caller,
					    MIX_SUP_BARGE);
		if (ret)
			return ret;
	}
	b->used = 3 * third;
	return 0;
}

/* the same three parties as a general conference of three talkers */
static int setup_conf3(struct bench *b)
{
	unsigned int third = b->nchan / 3, i, k;
	int id, ret;

	for (i = 0; i < third; i++) {
		id = mix_conf_new(b->mix, 3);
		if (id < 0)
			return id;
		for (k = 0; k < 3; k++) {
			ret = mix_conf_join(b->mix, id, b->chan[k * third + i], true, true);
			if (ret)
				return ret;
		}
	}
	b->used = 3 * third;
	return 0;
}

/* octets of port p over the interval from rx block seq, gathered */
static void gather(struct bench *b, media_port p, uint64_t seq, uint8_t *out)
{
	const uint8_t *rx = b->map[media_port_span(p)] + TDMX_RING_RX_OFFSET +
			    media_port_ts(p) * TDMX_RING_FRAMES;
	unsigned int k;

	for (k = 0; k < b->block_ms; k++)
		memcpy(out + k * TDMX_RING_FRAMES,
		       rx + ((seq + k) % TDMX_RING_BLOCKS) * TDMX_RING_BLOCK_BYTES,
		       TDMX_RING_FRAMES);
}

static void rec_path(struct bench *b, unsigned int i, char *buf, size_t len)
{
	snprintf(buf, len, "%s/call-%u.wav", b->rec_dir, i);
}

/*
 * Calls do not all start in the same millisecond: give recording i of n a
 * head start of i/n of a write chunk, so that their chunks fill (and go to
 * the disk) spread over time, not all in the same interval. @channels: 2
 * for stereo, 1 for mono (A-law: one octet per sample and channel).
 */
static int rec_stagger(struct rec *r, unsigned int i, unsigned int n, unsigned int channels)
{
	unsigned int chunk_ms = REC_DEF_CHUNK_BYTES / (channels * MEDIA_SAMPLES_PER_MS);
	unsigned int ms = (unsigned int)((uint64_t)chunk_ms * i / n);
	uint8_t silence[MEDIA_MAX_BLOCK];
	int ret = 0;

	memset(silence, G711_ALAW_IDLE, sizeof(silence));
	for (; ms >= MEDIA_MAX_BLOCK_MS && !ret; ms -= MEDIA_MAX_BLOCK_MS)
		ret = rec_write_law(r, silence, silence, MEDIA_MAX_BLOCK);
	if (ms && !ret)
		ret = rec_write_law(r, silence, silence, ms * MEDIA_SAMPLES_PER_MS);
	return ret < 0 ? ret : 0;
}

/* a temporary directory and a recorder for @n recordings */
static int recorder_new(struct bench *b, unsigned int n)
{
	const char *tmp = getenv("TMPDIR");
	struct rec_config cfg = { .max_recordings = n };

	snprintf(b->rec_dir, sizeof(b->rec_dir), "%s/tdmx-media-bench-XXXXXX", tmp ? tmp : "/tmp");
	if (!mkdtemp(b->rec_dir)) {
		b->rec_dir[0] = 0;
		return -errno;
	}
	b->recs = calloc(n, sizeof(*b->recs));
	if (!b->recs)
		return -ENOMEM;
	return rec_open(&b->rec, &cfg);
}

/* (b) the bridges of (a), each call recorded: caller (a) left, agent right */
static int setup_rec(struct bench *b)
{
	unsigned int half = b->nchan / 2, i;
	int ret = setup_bridges(b);

	if (ret)
		return ret;
	ret = recorder_new(b, half);
	for (i = 0; i < half && !ret; i++) {
		char id[32], path[300];
		struct rec_params rp = {
			.id = id,
			.port_a = b->chan[i],
			.port_b = b->chan[half + i],
			.layout = REC_STEREO,
			.encoding = REC_LAW,
			.law = MEDIA_ALAW,
			.path = path,
		};

		snprintf(id, sizeof(id), "bench-%u", i);
		rec_path(b, i, path, sizeof(path));
		ret = rec_start(b->rec, &rp, &b->recs[i]);
		if (!ret) {
			b->nrecs++;
			ret = rec_stagger(b->recs[i], i, half, 2);
		}
	}
	return ret;
}

static void step_rec(struct bench *b, uint64_t seq)
{
	uint8_t left[MEDIA_MAX_BLOCK], right[MEDIA_MAX_BLOCK];
	unsigned int half = b->nchan / 2, i, n = b->block_ms * MEDIA_SAMPLES_PER_MS;

	step_mix(b, seq);
	for (i = 0; i < b->nrecs; i++) {
		gather(b, b->chan[i], seq, left);
		gather(b, b->chan[half + i], seq, right);
		rec_write_law(b->recs[i], left, right, n);
	}
	rec_poll(b->rec);
}

/* the disk falls behind an unpaced run: wait for it (not timed) */
static int between_rec(struct bench *b)
{
	struct rec_stats st;

	rec_get_stats(b->rec, &st);
	while (st.chunks - st.chunks_free > 2 * b->nrecs) {
		if (rec_wait(b->rec, 10) < 0)
			return -EIO;
		rec_get_stats(b->rec, &st);
	}
	return st.failed ? -EIO : 0;
}

static int teardown_rec(struct bench *b)
{
	struct rec_stats st = { 0 };
	unsigned int i;
	char path[300];

	for (i = 0; i < b->nrecs; i++)
		rec_stop(b->recs[i]);
	if (b->rec) {
		do {
			rec_wait(b->rec, 1000);
			rec_get_stats(b->rec, &st);
		} while (st.live);
		rec_close(b->rec);
	}
	b->rec_bytes = st.bytes;
	for (i = 0; i < b->nrecs; i++) {
		rec_path(b, i, path, sizeof(path));
		unlink(path);
	}
	if (b->rec_dir[0])
		rmdir(b->rec_dir);
	free(b->recs);
	b->recs = NULL;
	b->rec = NULL;
	b->nrecs = 0;
	b->rec_dir[0] = 0;
	return st.failed ? -EIO : 0;
}

/*
 * (e) the 3-talker conferences of conf3, each with a mono recording on its
 * tap, as the daemon's record_start with "conf" makes it. Conference i is
 * the one of channel i (its first member).
 */
static int setup_confrec(struct bench *b)
{
	unsigned int n = b->nchan / 3, i;
	int ret = setup_conf3(b);

	if (ret)
		return ret;
	ret = recorder_new(b, n);
	if (!ret) {
		b->crs = calloc(n, sizeof(*b->crs));
		if (!b->crs)
			ret = -ENOMEM;
	}
	for (i = 0; i < n && !ret; i++) {
		char id[32], path[300];
		struct rec_params rp = {
			.id = id,
			.port_a = b->chan[i],
			.layout = REC_MONO,
			.encoding = REC_LAW,
			.law = MEDIA_ALAW,
			.path = path,
		};

		snprintf(id, sizeof(id), "bench-%u", i);
		rec_path(b, i, path, sizeof(path));
		ret = rec_start(b->rec, &rp, &b->recs[i]);
		if (ret)
			break;
		b->nrecs++;
		ret = rec_stagger(b->recs[i], i, n, 1);
		if (!ret)
			ret = confrec_new(&b->crs[i], b->mix, mix_conf_of(b->mix, b->chan[i]));
		if (ret)
			break;
		b->ncrs++;
		ret = confrec_add(b->crs[i], b->recs[i], REC_MONO, 0);
	}
	return ret;
}

/* the mixer feeds the recordings through the taps; the disk is polled */
static void step_confrec(struct bench *b, uint64_t seq)
{
	step_mix(b, seq);
	rec_poll(b->rec);
}

static int teardown_confrec(struct bench *b)
{
	unsigned int i;

	/* off the taps before the recordings stop (confrec.h) */
	for (i = 0; i < b->ncrs; i++)
		confrec_free(b->crs[i]);
	free(b->crs);
	b->crs = NULL;
	b->ncrs = 0;
	return teardown_rec(b);
}

static void count_digit(void *arg, const struct dtmf_event *ev)
{
	struct bench *b = arg;

	b->digits += ev->type == DTMF_DIGIT_START;
}

/* (d) a DTMF receiver on every channel */
static int setup_dtmf(struct bench *b)
{
	unsigned int i;
	int ret = dsp_init();

	if (ret)
		return ret;
	b->det = calloc(b->nchan, sizeof(*b->det));
	if (!b->det)
		return -ENOMEM;
	for (i = 0; i < b->nchan; i++) {
		b->det[i] = dtmf_det_new(NULL, count_digit, b);
		if (!b->det[i])
			return -ENOMEM;
	}
	b->used = b->nchan;
	return 0;
}

static void step_dtmf(struct bench *b, uint64_t seq)
{
	uint8_t pcm[MEDIA_MAX_BLOCK];
	int16_t x[MEDIA_MAX_BLOCK];
	unsigned int i, n = b->block_ms * MEDIA_SAMPLES_PER_MS;

	for (i = 0; i < b->nchan; i++) {
		(void)__atomic_load_n(&hdr_of(b, media_port_span(b->chan[i]))->rx_seq,
				      __ATOMIC_ACQUIRE);
		gather(b, b->chan[i], seq, pcm);
		g711_decode_buf(MEDIA_ALAW, pcm, x, n);
		dtmf_det_feed(b->det[i], x, (int)n, seq * MEDIA_SAMPLES_PER_MS);
	}
}

static int teardown_dtmf(struct bench *b)
{
	unsigned int i;

	for (i = 0; i < b->nchan && b->det; i++)
		dtmf_det_free(b->det[i]);
	free(b->det);
	b->det = NULL;
	return 0;
}

/* the last block a bridge case wrote must be its peer's rx */
/*
 * xbridge: the same bridges, but the second party's span belongs to
 * another worker, so every call crosses through a link (xlink.h): its rx
 * goes up a ring and through the mixer's jitter buffer into a stand-in
 * ring, and what it hears goes down a ring and through the home's jitter
 * buffer into its tx. Both workers' halves run in this one thread, one
 * after the other: the figure is the CPU the crossing costs, not the
 * cache traffic between two cores.
 */
static int setup_xbridge(struct bench *b)
{
	unsigned int s, ts, first = b->nspans / 2 + 1;
	int ret = setup_bridges(b);

	if (ret)
		return ret;
	b->vrx = calloc(b->nspans + 1, sizeof(*b->vrx));
	b->vtx = calloc(b->nspans + 1, sizeof(*b->vtx));
	b->links = calloc((size_t)b->nspans * E1_CHANNELS, sizeof(*b->links));
	if (!b->vrx || !b->vtx || !b->links)
		return -ENOMEM;
	for (s = first; s <= b->nspans; s++) {
		b->vrx[s] = malloc(TDMX_RING_BLOCKS * TDMX_RING_BLOCK_BYTES);
		b->vtx[s] = malloc(TDMX_RING_BLOCKS * TDMX_RING_BLOCK_BYTES);
		if (!b->vrx[s] || !b->vtx[s])
			return -ENOMEM;
		memset(b->vrx[s], 0xd5, TDMX_RING_BLOCKS * TDMX_RING_BLOCK_BYTES);
		memset(b->vtx[s], 0xd5, TDMX_RING_BLOCKS * TDMX_RING_BLOCK_BYTES);
		for (ts = 1; ts <= E1_CHANNELS; ts++) {
			ret = xlink_new(&b->links[b->nlinks], media_port_of(s, ts), MEDIA_ALAW,
					b->block_ms, b->block_ms, 4);
			if (ret)
				return ret;
			b->nlinks++;
		}
	}
	return 0;
}

static void step_xbridge(struct bench *b, uint64_t seq)
{
	unsigned int s, i, half = b->nspans / 2;
	uint32_t first = (uint32_t)(seq % TDMX_RING_BLOCKS);

	/* the home worker: rx up, what the mixer sent down into tx */
	for (i = 0; i < b->nlinks; i++) {
		uint8_t *m = b->map[media_port_span(b->links[i]->port)];

		xlink_home_blocks(b->links[i], m + TDMX_RING_RX_OFFSET, m + TDMX_RING_TX_OFFSET,
				  first, b->block_ms, 0xd5);
	}
	/* the mixer: its own spans' rings, and the stand-ins for the others */
	for (s = 1; s <= b->nspans; s++) {
		uint64_t rx_seq = __atomic_load_n(&hdr_of(b, s)->rx_seq, __ATOMIC_ACQUIRE);

		if (s <= half) {
			b->ring[s] = mix_ring_of_map(b->map[s], rx_seq - b->block_ms, 0);
			continue;
		}
		b->ring[s] = (struct mix_ring){ .rx = b->vrx[s], .tx = b->vtx[s],
						.blocks = TDMX_RING_BLOCKS, .first = first };
	}
	for (i = 0; i < b->nlinks; i++)
		xlink_mixer_in(b->links[i], b->vrx[media_port_span(b->links[i]->port)], first,
			       b->block_ms, 0xd5);
	if (mix_process(b->mix, &b->io, b->block_ms)) {
		fprintf(stderr, "media: mix_process failed\n");
		exit(1);
	}
	for (i = 0; i < b->nlinks; i++)
		xlink_mixer_out(b->links[i], b->vtx[media_port_span(b->links[i]->port)], first,
				b->block_ms);
	publish_tx(b, seq);
}

static int teardown_xbridge(struct bench *b)
{
	unsigned int s, i;
	uint64_t under = 0;

	for (i = 0; i < b->nlinks; i++) {
		under += b->links[i]->up_jb.underruns + b->links[i]->down_jb.underruns;
		xlink_free(b->links[i]);
	}
	for (s = 0; s <= b->nspans && b->vrx; s++) {
		free(b->vrx[s]);
		free(b->vtx[s]);
	}
	free(b->links);
	free(b->vrx);
	free(b->vtx);
	b->links = NULL;
	b->vrx = b->vtx = NULL;
	b->nlinks = 0;
	/* one thread, steps in lock-step: a jitter buffer never runs dry */
	return under ? -EIO : 0;
}

static int check_bridges(struct bench *b, uint64_t seq)
{
	unsigned int half = b->nchan / 2;
	media_port a = b->chan[0], p = b->chan[half];
	size_t blk = (seq % TDMX_RING_BLOCKS) * TDMX_RING_BLOCK_BYTES;
	const uint8_t *rx = b->map[media_port_span(a)] + TDMX_RING_RX_OFFSET + blk +
			    media_port_ts(a) * TDMX_RING_FRAMES;
	const uint8_t *tx = b->map[media_port_span(p)] + TDMX_RING_TX_OFFSET + blk +
			    media_port_ts(p) * TDMX_RING_FRAMES;

	return memcmp(rx, tx, TDMX_RING_FRAMES) ? -EIO : 0;
}

/* ---- running and reporting ---- */

static int run_case(struct bench *b, const struct bench_case *c, struct result *res)
{
	unsigned int seconds = c->seconds && c->seconds < b->seconds ? c->seconds : b->seconds;
	unsigned long ticks = (unsigned long)seconds * 1000 / b->block_ms, t;
	unsigned long warmup = c->warmup_ms ? c->warmup_ms / b->block_ms : WARMUP_TICKS;
	double limit = b->block_ms * 1e6, p0 = rusage_ns(RUSAGE_SELF);
	uint64_t seq = 0;
	int ret, ret2;

	b->mix = mix_new((b->nspans + 1) * MEDIA_SPAN_TS);
	if (!b->mix)
		return -ENOMEM;
	memset(res, 0, sizeof(*res));
	rings_reset(b);
	ret = c->setup(b);
	if (ret)
		goto out;
	res->channels = b->used;
	res->seconds = (double)ticks * b->block_ms / 1000.0;
	for (t = 0; t < warmup + ticks && !ret; t++, seq += b->block_ms) {
		double w0, c0, dt, wall;

		if (t == warmup) {
			res->preempted = involuntary_switches();
			p0 = rusage_ns(RUSAGE_SELF);
		}
		kernel_tick(b, seq);
		w0 = clock_ns(CLOCK_MONOTONIC);
		c0 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
		c->step(b, seq);
		dt = clock_ns(CLOCK_THREAD_CPUTIME_ID) - c0;
		wall = clock_ns(CLOCK_MONOTONIC) - w0;
		if (c->between)
			ret = c->between(b);
		if (t < warmup)
			continue;
		res->ticks++;
		res->total_ns += dt;
		if (dt > res->worst_ns)
			res->worst_ns = dt;
		res->misses += dt > limit;
		if (wall > res->wall_worst_ns)
			res->wall_worst_ns = wall;
		res->wall_misses += wall > limit;
	}
	res->preempted = involuntary_switches() - res->preempted;
	if (!ret && c->setup == setup_bridges)
		ret = check_bridges(b, seq - 1);
out:
	ret2 = c->teardown ? c->teardown(b) : 0;
	res->process_cpu_ns = rusage_ns(RUSAGE_SELF) - p0;
	mix_free(b->mix);
	b->mix = NULL;
	return ret ? ret : ret2;
}

static double cpu_pct(const struct result *r)
{
	return 100.0 * r->total_ns / (r->seconds * 1e9);
}

/* ns of CPU per channel per second of audio */
static double ns_per_chan_second(const struct result *r)
{
	return r->total_ns / r->seconds / r->channels;
}

/* the same-worker bridges of the current interval, for xbridge's ratio */
static struct result same_worker;

static void report(const struct bench *b, const struct bench_case *c, const struct result *r,
		   const struct result *base)
{
	double cpu = cpu_pct(r), per = ns_per_chan_second(r);
	char tag[64];

	snprintf(tag, sizeof(tag), "%s %ums:", c->name, b->block_ms);
	printf("%-14s channels: %u (%s), %.0f s of audio\n", tag, r->channels, c->what,
	       r->seconds);
	printf("%-14s cpu: %.2f %% of one core\n", tag, cpu);
	printf("%-14s cpu time per block interval: %.1f us mean, %.1f us worst\n", tag,
	       r->total_ns / r->ticks / 1e3, r->worst_ns / 1e3);
	printf("%-14s deadline misses: %lu of %lu intervals\n", tag, r->misses, r->ticks);
	printf("%-14s wall clock: %.1f us worst, %lu intervals over, %ld preemptions\n", tag,
	       r->wall_worst_ns / 1e3, r->wall_misses, r->preempted);
	printf("%-14s channels per core at %.0f %% cpu: %.0f channels\n", tag, TARGET_CPU,
	       r->channels * TARGET_CPU / cpu);
	printf("%-14s cpu per channel: %.1f ns per channel per second of audio\n", tag, per);
	if (base)
		printf("%-14s ratio to memcpy of the same audio: %.2f x\n", tag,
		       per / ns_per_chan_second(base));
	if (c->setup == setup_xbridge && same_worker.seconds > 0)
		printf("%-14s ratio to bridges on one worker: %.2f x\n", tag,
		       per / ns_per_chan_second(&same_worker));
	if (c->setup == setup_rec || c->setup == setup_confrec)
		printf("%-14s process cpu incl. io-wq workers: %.2f %% of one core, %.1f MB written\n",
		       tag, 100.0 * r->process_cpu_ns / (r->seconds * 1e9), b->rec_bytes / 1e6);
	if (c->setup == setup_dtmf)
		printf("%-14s digits detected in the (random) audio: %llu\n", tag,
		       (unsigned long long)b->digits);
}

/* the target: >= 10,000 channels on one core, <= 50 % of it, 10 ms, no miss */
static void print_target(const char *what, const struct result *r)
{
	bool met = r->channels >= TARGET_CHANNELS && cpu_pct(r) <= TARGET_CPU && !r->misses;

	printf("target, %s: >= %u channels on one core at <= %.0f %% cpu, 10 ms blocks, "
	       "0 misses: %s (%u channels, %.2f %% cpu, %lu misses)\n", what, TARGET_CHANNELS,
	       TARGET_CPU, met ? "met" : "NOT met", r->channels, cpu_pct(r), r->misses);
}

static void pin_to_this_cpu(void)
{
	cpu_set_t set;
	int cpu = sched_getcpu();

	if (cpu < 0)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	(void)sched_setaffinity(0, sizeof(set), &set);
}

int main(int argc, char **argv)
{
	static const struct bench_case cases[] = {
		{ .name = "memcpy", .what = "baseline: rx to tx of every channel",
		  .setup = setup_none, .step = step_memcpy },
		{ .name = "bridge", .what = "(a) two-party bridges across spans, bit-exact",
		  .setup = setup_bridges, .step = step_mix },
		{ .name = "rec", .what = "(b) bridges, every call recorded in stereo A-law WAV",
		  .setup = setup_rec, .step = step_rec, .between = between_rec,
		  .teardown = teardown_rec, .seconds = REC_SECONDS, .warmup_ms = REC_WARMUP_MS },
		{ .name = "xbridge", .what = "the bridges with every call across two workers' links",
		  .setup = setup_xbridge, .step = step_xbridge, .teardown = teardown_xbridge },
		{ .name = "barge", .what = "(c) agent + caller + supervisor in barge mode",
		  .setup = setup_barge, .step = step_mix },
		{ .name = "conf3", .what = "the same parties as 3-talker conferences",
		  .setup = setup_conf3, .step = step_mix },
		{ .name = "confrec", .what = "(e) the conferences, each recorded mono A-law WAV",
		  .setup = setup_confrec, .step = step_confrec, .between = between_rec,
		  .teardown = teardown_confrec, .seconds = REC_SECONDS,
		  .warmup_ms = CONFREC_WARMUP_MS },
		{ .name = "dtmf", .what = "(d) DTMF detection on every channel",
		  .setup = setup_dtmf, .step = step_dtmf, .teardown = teardown_dtmf,
		  .seconds = DTMF_SECONDS },
	};

	static const unsigned int intervals[] = { 1, 10 };
	const unsigned int ncases = sizeof(cases) / sizeof(cases[0]);
	struct bench b = { .nspans = 400, .seconds = 10 };
	struct result base, res, target[2] = { { .seconds = 1 }, { .seconds = 1 } };
	unsigned int i, k;
	int opt, ret;

	while ((opt = getopt(argc, argv, "s:n:")) != -1) {
		switch (opt) {
		case 's':
			b.seconds = (unsigned int)atoi(optarg);
			break;
		case 'n':
			b.nspans = (unsigned int)atoi(optarg);
			break;
		default:
			fprintf(stderr, "usage: media [-s seconds] [-n spans]\n");
			return 2;
		}
	}
	if (!b.seconds || !b.nspans || (b.nspans + 1) * MEDIA_SPAN_TS > MIX_MAX_PORTS) {
		fprintf(stderr, "media: bad -s or -n\n");
		return 2;
	}
	ret = rings_new(&b);
	if (ret) {
		fprintf(stderr, "media: %s\n", strerror(-ret));
		return 1;
	}
	pin_to_this_cpu();
	log_set_level(LOG_WARNING);	/* rec.c logs every start and stop */
	printf("media: %u E1 spans x %u channels = %u channels, span rings as mapped from "
	       "/dev/tdmx/span/<n> (%u blocks of %u octets each way), %u s of audio per case, "
	       "one thread\n", b.nspans, E1_CHANNELS, b.nchan, TDMX_RING_BLOCKS,
	       TDMX_RING_BLOCK_BYTES, b.seconds);
	for (k = 0; k < sizeof(intervals) / sizeof(intervals[0]); k++) {
		b.block_ms = intervals[k];
		for (i = 0; i < ncases; i++) {
			ret = run_case(&b, &cases[i], i ? &res : &base);
			if (ret) {
				fprintf(stderr, "media: %s: %s\n", cases[i].name, strerror(-ret));
				rings_free(&b);
				return 1;
			}
			report(&b, &cases[i], i ? &res : &base, i ? &base : NULL);
			if (cases[i].setup == setup_bridges)
				same_worker = res;
			if (b.block_ms == 10 && cases[i].setup == setup_bridges)
				target[0] = res;
			if (b.block_ms == 10 && cases[i].setup == setup_rec)
				target[1] = res;
		}
	}
	print_target("two-party bridges", &target[0]);
	print_target("recorded two-party calls", &target[1]);
	rings_free(&b);
	return 0;
}
