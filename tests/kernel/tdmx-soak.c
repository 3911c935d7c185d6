// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tdmx-soak: counter patterns through the span rings of several loop
 * pairs at once, both ways, checked octet by octet for a long time.
 *
 *   tdmx-soak [-s SECONDS] [-m MINRATIO] A1 B1 [A2 B2]...
 *   tdmx-soak -M [-n COUNT] [-b BYTES]
 *   tdmx-soak -T
 *
 *   -s SECONDS   how long to stream (default 60, wall clock)
 *   -m MINRATIO  fail when a stream checked fewer frames than this part
 *                of the wall time in line frames (default 0.2: QEMU TCG
 *                may not run every 1 ms tick, the kernel catches up at
 *                most 20 at once)
 *   -M           no streaming: time COUNT (default 1000000) memcpy()s of
 *                BYTES (default 768, what one E1 tick moves: 256 octets
 *                of line in, 256 out, a 256-octet ring block) and print
 *                the ns per copy
 *   -T           no streaming: feed the checker a stream with known damage
 *                (a lost, a repeated, a stale block, a wrong octet, a frame
 *                of another stream) and check what it counts
 *
 * Each pair is the two spans of a loop vcard (A's transmit is B's
 * receive and back). Every span mmaps its ring (/dev/tdmx/span/<n>),
 * writes tx blocks ahead of the kernel (block seq is sent tx_delay ms
 * after rx block seq arrives; tx_seq_done marks what is written) and
 * reads its rx blocks as rx_seq publishes them: 2 x pairs streams.
 *
 * The pattern: in timeslot ts (1-15, 17-31: 30 per span) frame k of the
 * stream sent by span i carries
 *
 *     (k + ofs(i, ts)) mod M(ts),   M(ts) = 256 - (ts - 1) % 16
 *
 * an 8-bit counter per timeslot with its own offset and period (256 ...
 * 242). The periods of timeslots 1, 2 and 4 (256, 255, 253) are coprime,
 * so one received frame tells its absolute frame number k (CRT, period
 * 34 min); the offsets depend on the span non-linearly, so a frame from
 * another span's stream does not decode consistently. The receiver hunts
 * for the first consistent frame (the sync phase: before it the line
 * carries the idle fill) and must lock at k = 0: nothing lost at the
 * start. From then on every octet must continue the sequence:
 *
 *   lost       frames skipped (the next frame decodes to a later k)
 *   duplicated frames received again (it decodes to an earlier k: a stale
 *              ring block, a repeated tick)
 *   corrupted  frames whose timeslots do not agree on one k
 *
 * counted in frames and in rx blocks (1 ms, 8 frames) that had any. Every
 * count must be 0.
 *
 * The test itself may be late under QEMU: a reader that gets to an rx
 * block after the kernel reached its ring slot again (64 ms later) skips
 * it (8 frames, "unread": detected exactly by reading rx_seq after the
 * copy), and a tx block the writer had not written when it was due goes
 * out with the slot's previous contents, 64 blocks old: frames that
 * decode to exactly k - 512 are "stale", and there may be no more of them
 * than 8 x the sender's tx_missed. Neither is the kernel's fault, neither
 * hides a loss (the sequence continues exactly across them); together
 * they may be at most 1% of the blocks. Reported: ticks processed (line
 * time) against wall time, per span.
 *
 * Exit 0 passed, 1 a check failed, 2 setup error.
 */
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/resource.h>

#include "ktest.h"

#define MAX_SPANS	16
#define NTS		30
#define AHEAD		59	/* tx blocks written ahead of rx_seq (< 64 - tx_delay) */
#define START		24	/* first pattern block: rx_seq + START */
#define STALE		(TDMX_RING_BLOCKS * TDMX_RING_FRAMES)	/* frames: a tx slot's old block */
#define MAX_LATE	0.01	/* part of the blocks the test may miss being late */
#define SYNC_MS		15000	/* time to lock (wall clock) */
#define CRT_L		(256ull * 255ull * 253ull)

static unsigned int ts_list[NTS];

struct span {
	unsigned int id;
	unsigned int idx;	/* index in the run: selects the offsets */
	struct span *peer;	/* whose stream we receive */
	int fd;
	uint8_t *map;
	struct tdmx_ring_hdr *hdr;
	uint8_t mod[32];
	uint8_t ofs[32];	/* of the stream this span sends */
	/* tx */
	uint64_t s0, next_tx;
	uint8_t tx_val[32];
	uint64_t missed0;
	bool missed_known;
	/* rx */
	uint64_t next_rx, rx_first, rx_seq0;
	bool locked;
	uint64_t next_k, lock_k, lock_seq;
	uint8_t exp[32];
	uint64_t frames_ok, lost, dup, corrupt, lost_ev, dup_ev, bad_blocks, blocks;
	uint64_t unread;	/* rx blocks overwritten before the reader got to them */
	uint64_t stale;		/* frames of tx blocks the writer was late for */
	uint64_t first_bad_seq;
	char first_bad[160];
};

static struct span spans[MAX_SPANS];
static unsigned int nspans;
static uint64_t crt_e[3];	/* CRT basis for moduli 256, 255, 253 */

/* ------------------------------------------------------------- the pattern */

/* 256 ... 242 (stored as uint8_t in span.mod[], where 0 stands for 256) */
static unsigned int modulus(unsigned int ts)
{
	return 256 - (ts - 1) % 16;
}

static unsigned int mod_of(const struct span *s, unsigned int ts)
{
	return s->mod[ts] ? s->mod[ts] : 256;
}

static uint8_t offset(unsigned int idx, unsigned int ts, unsigned int m)
{
	return (uint8_t)((37u * ts + 7u * (idx + 1) * ts * ts + 11u * idx) % m);
}

/* the value of timeslot ts in frame k of the stream with offsets @ofs */
static uint8_t value(const struct span *src, unsigned int ts, uint64_t k)
{
	unsigned int m = mod_of(src, ts);

	return (uint8_t)((k + src->ofs[ts]) % m);
}

/* modular inverse of a mod m (m > 1, gcd 1), by extended Euclid */
static uint64_t inverse(uint64_t a, uint64_t m)
{
	int64_t t = 0, nt = 1, r = (int64_t)m, nr = (int64_t)(a % m), q, tmp;

	while (nr) {
		q = r / nr;
		tmp = t - q * nt;
		t = nt;
		nt = tmp;
		tmp = r - q * nr;
		r = nr;
		nr = tmp;
	}
	return (uint64_t)(t < 0 ? t + (int64_t)m : t);
}

static void crt_init(void)
{
	static const uint64_t m[3] = { 256, 255, 253 };
	unsigned int i;

	for (i = 0; i < 3; i++) {
		uint64_t rest = CRT_L / m[i];

		crt_e[i] = rest * inverse(rest % m[i], m[i]) % CRT_L;
	}
}

/*
 * The frame number @frame carries, as sent by @src: k, or -1 when its
 * timeslots do not agree on one. k is taken near @near (mod CRT_L).
 */
static int64_t decode(const struct span *src, const uint8_t *frame, uint64_t near)
{
	static const unsigned int crt_ts[3] = { 1, 2, 4 };
	uint64_t r, k = 0;
	unsigned int i;

	for (i = 0; i < 3; i++) {
		unsigned int ts = crt_ts[i], m = mod_of(src, ts);

		if (frame[ts] >= m)
			return -1;
		r = (frame[ts] + m - src->ofs[ts]) % m;
		k = (k + r * crt_e[i]) % CRT_L;
	}
	/* the representative closest to @near */
	if (near > k + CRT_L / 2)
		k += (near - k + CRT_L / 2) / CRT_L * CRT_L;
	for (i = 0; i < NTS; i++)
		if (frame[ts_list[i]] != value(src, ts_list[i], k))
			return -1;
	return (int64_t)k;
}

/* decode() must invert value(), and reject another span's stream */
static bool selftest(void)
{
	static const uint64_t ks[] = { 0, 1, 7, 255, 256, 65279, 65280, 480000, 4000000,
				       CRT_L - 1, CRT_L, CRT_L + 12345 };
	struct span a = { .idx = 0 }, b = { .idx = 5 };
	uint8_t frame[32];
	unsigned int i, t;
	int64_t k;

	for (t = 0; t < 32; t++) {
		unsigned int m = t ? modulus(t) : 256;

		a.mod[t] = b.mod[t] = (uint8_t)(m & 0xFF);
		a.ofs[t] = offset(a.idx, t, m);
		b.ofs[t] = offset(b.idx, t, m);
	}
	for (i = 0; i < sizeof(ks) / sizeof(ks[0]); i++) {
		for (t = 0; t < 32; t++)
			frame[t] = t && t != 16 ? value(&a, t, ks[i]) : 0xD5;
		k = decode(&a, frame, ks[i] > 10 ? ks[i] - 10 : 0);
		if (k != (int64_t)ks[i]) {
			kt_msg("selftest: frame %llu decodes to %lld", (unsigned long long)ks[i],
			       (long long)k);
			return false;
		}
		if (decode(&b, frame, ks[i]) >= 0) {
			kt_msg("selftest: frame %llu of span 0 decodes as span 5's",
			       (unsigned long long)ks[i]);
			return false;
		}
	}
	return true;
}

/* -------------------------------------------------------------- the rings */

static uint64_t rx_seq(const struct span *s)
{
	return __atomic_load_n(&s->hdr->rx_seq, __ATOMIC_ACQUIRE);
}

static int span_open(struct span *s)
{
	struct tdmx_chan_info info;
	unsigned int i;
	int fd;

	/* the channels must carry PCM: open each one briefly (an open channel
	 * would take its timeslot away from the ring) */
	for (i = 0; i < NTS; i++) {
		fd = kt_open_chan(s->id, ts_list[i], O_RDONLY | O_NONBLOCK);
		if (fd < 0) {
			kt_msg("open /dev/tdmx/chan/%u/%u: %s", s->id, ts_list[i], strerror(-fd));
			return KT_SETUP;
		}
		if (kt_chan_info(fd, &info) || !kt_is_pcm(info.type)) {
			kt_msg("%u/%u is not a PCM channel (%s)", s->id, ts_list[i],
			       kt_type_name(info.type));
			close(fd);
			return KT_SETUP;
		}
		close(fd);
	}
	s->fd = kt_open_span(s->id, O_RDWR | O_NONBLOCK);
	if (s->fd < 0) {
		kt_msg("open /dev/tdmx/span/%u: %s", s->id, strerror(-s->fd));
		return KT_SETUP;
	}
	s->map = mmap(NULL, TDMX_RING_MMAP_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, s->fd, 0);
	if (s->map == MAP_FAILED) {
		kt_msg("mmap /dev/tdmx/span/%u: %s", s->id, strerror(errno));
		return KT_FAIL;
	}
	s->hdr = (struct tdmx_ring_hdr *)s->map;
	if (s->hdr->version != TDMX_RING_VERSION || s->hdr->slots != TDMX_RING_SLOTS ||
	    s->hdr->blocks != TDMX_RING_BLOCKS || s->hdr->tx_delay >= TDMX_RING_BLOCKS - AHEAD) {
		kt_msg("span %u ring header: version %u slots %u blocks %u tx_delay %u", s->id,
		       s->hdr->version, s->hdr->slots, s->hdr->blocks, s->hdr->tx_delay);
		return KT_FAIL;
	}
	for (i = 0; i < 32; i++) {
		unsigned int m = i ? modulus(i) : 256;

		s->mod[i] = (uint8_t)(m & 0xFF);
		s->ofs[i] = offset(s->idx, i, m);
		s->tx_val[i] = s->ofs[i];
	}
	return 0;
}

static void span_close(struct span *s)
{
	if (s->map && s->map != MAP_FAILED)
		munmap(s->map, TDMX_RING_MMAP_SIZE);
	if (s->fd > 0)
		close(s->fd);
}

static void write_ahead(struct span *s)
{
	uint64_t limit = rx_seq(s) + AHEAD;
	unsigned int i, f;

	if (s->next_tx >= limit)
		return;
	while (s->next_tx < limit) {
		uint8_t *blk = s->map + TDMX_RING_TX_OFFSET +
			       (s->next_tx % TDMX_RING_BLOCKS) * TDMX_RING_BLOCK_BYTES;

		memset(blk, 0xD5, TDMX_RING_BLOCK_BYTES);
		for (i = 0; i < NTS; i++) {
			unsigned int ts = ts_list[i], m = mod_of(s, ts);
			unsigned int v = s->tx_val[ts];

			for (f = 0; f < TDMX_RING_FRAMES; f++) {
				blk[ts * TDMX_RING_FRAMES + f] = (uint8_t)v;
				if (++v == m)
					v = 0;
			}
			s->tx_val[ts] = (uint8_t)v;
		}
		s->next_tx++;
	}
	__atomic_store_n(&s->hdr->tx_seq_done, s->next_tx, __ATOMIC_RELEASE);
	if (!s->missed_known && rx_seq(s) > s->s0 + s->hdr->tx_delay + 1) {
		s->missed0 = s->hdr->tx_missed;
		s->missed_known = true;
	}
}

static void set_expected(struct span *s, uint64_t k)
{
	unsigned int i;

	s->next_k = k;
	for (i = 0; i < NTS; i++)
		s->exp[ts_list[i]] = value(s->peer, ts_list[i], k);
}

static void note_bad(struct span *s, uint64_t seq, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void note_bad(struct span *s, uint64_t seq, const char *fmt, ...)
{
	va_list ap;

	if (s->first_bad[0])
		return;
	s->first_bad_seq = seq;
	va_start(ap, fmt);
	vsnprintf(s->first_bad, sizeof(s->first_bad), fmt, ap);
	va_end(ap);
}

/* one received frame (octets by timeslot); false when it was not clean */
static bool check_frame(struct span *s, const uint8_t *frame, uint64_t seq)
{
	const struct span *src = s->peer;
	unsigned int i;
	int64_t k;

	if (!s->locked) {
		k = decode(src, frame, 0);
		if (k < 0)
			return true;	/* still the idle fill: hunting */
		s->locked = true;
		s->lock_k = (uint64_t)k;
		s->lock_seq = seq;
		set_expected(s, (uint64_t)k);
	}
	for (i = 0; i < NTS; i++)
		if (frame[ts_list[i]] != s->exp[ts_list[i]])
			break;
	if (i == NTS) {
		s->frames_ok++;
		for (i = 0; i < NTS; i++) {
			unsigned int ts = ts_list[i];

			if (++s->exp[ts] == mod_of(src, ts))
				s->exp[ts] = 0;
		}
		s->next_k++;
		return true;
	}
	k = decode(src, frame, s->next_k);
	if (k >= 0 && (uint64_t)k + STALE == s->next_k) {
		/* the tx slot's previous block: the writer was late (tx_missed) */
		s->stale++;
		set_expected(s, s->next_k + 1);
		return true;
	}
	if (k < 0) {
		note_bad(s, seq, "frame %llu corrupted: ts %u is 0x%02x, expected 0x%02x",
			 (unsigned long long)s->next_k, ts_list[i], frame[ts_list[i]],
			 s->exp[ts_list[i]]);
		s->corrupt++;
		set_expected(s, s->next_k + 1);
	} else if ((uint64_t)k > s->next_k) {
		note_bad(s, seq, "%llu frames lost before frame %lld",
			 (unsigned long long)((uint64_t)k - s->next_k), (long long)k);
		s->lost += (uint64_t)k - s->next_k;
		s->lost_ev++;
		set_expected(s, (uint64_t)k + 1);
	} else {
		note_bad(s, seq, "frame %lld received again (expected frame %llu)", (long long)k,
			 (unsigned long long)s->next_k);
		s->dup += s->next_k - (uint64_t)k;
		s->dup_ev++;
		set_expected(s, (uint64_t)k + 1);
	}
	return false;
}

/*
 * The rx blocks published since the last call. A block is copied out and
 * then rx_seq is read again: if the kernel has meanwhile reached the
 * block's ring slot again (64 blocks later), the copy may be torn and is
 * not checked; its 8 frames are skipped in the sequence (the test was
 * late, not the kernel) and counted as unread.
 */
static void read_rx(struct span *s)
{
	uint64_t cur = rx_seq(s), seq;
	uint8_t blk[TDMX_RING_BLOCK_BYTES], frame[32];
	unsigned int f, t;

	if (cur > s->next_rx + TDMX_RING_BLOCKS) {
		uint64_t skip = cur - s->next_rx - TDMX_RING_BLOCKS;

		s->unread += skip;
		if (s->locked)
			set_expected(s, s->next_k + skip * TDMX_RING_FRAMES);
		s->next_rx += skip;
	}
	for (seq = s->next_rx; seq < cur; seq++) {
		bool clean = true;

		memcpy(blk, s->map + TDMX_RING_RX_OFFSET +
		       (seq % TDMX_RING_BLOCKS) * TDMX_RING_BLOCK_BYTES, sizeof(blk));
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		if (rx_seq(s) >= seq + TDMX_RING_BLOCKS) {
			s->unread++;
			if (s->locked)
				set_expected(s, s->next_k + TDMX_RING_FRAMES);
			continue;
		}
		for (f = 0; f < TDMX_RING_FRAMES; f++) {
			for (t = 0; t < 32; t++)
				frame[t] = blk[t * TDMX_RING_FRAMES + f];
			if (!check_frame(s, frame, seq))
				clean = false;
		}
		if (s->locked) {
			s->blocks++;
			if (!clean)
				s->bad_blocks++;
		}
	}
	s->next_rx = cur;
}

/* the checker must see what it is there for: a stream with known damage */
static void make_frame(const struct span *src, uint64_t k, uint8_t *frame)
{
	unsigned int t;

	for (t = 0; t < 32; t++)
		frame[t] = t && t != 16 ? value(src, t, k) : 0xD5;
}

static int selftest_checker(void)
{
	struct span a = { .idx = 0 }, b = { .idx = 1 }, c = { .idx = 2 };
	uint8_t frame[32];
	uint64_t k;
	unsigned int t;

	for (t = 0; t < 32; t++) {
		unsigned int m = t ? modulus(t) : 256;

		a.mod[t] = b.mod[t] = c.mod[t] = (uint8_t)(m & 0xFF);
		a.ofs[t] = offset(a.idx, t, m);
		c.ofs[t] = offset(c.idx, t, m);
	}
	b.peer = &a;
	/* idle fill first: hunting */
	memset(frame, 0xD5, sizeof(frame));
	for (k = 0; k < 20; k++)
		check_frame(&b, frame, 0);
	for (k = 0; k < 100; k++) {		/* clean */
		make_frame(&a, k, frame);
		check_frame(&b, frame, k / 8);
	}
	for (k = 108; k < 200; k++) {		/* 100..107 lost */
		make_frame(&a, k, frame);
		check_frame(&b, frame, k / 8);
	}
	for (k = 190; k < 300; k++) {		/* 190..199 again */
		make_frame(&a, k, frame);
		if (k == 250)
			frame[7] ^= 0x10;	/* one octet corrupted */
		check_frame(&b, frame, k / 8);
	}
	for (k = 300; k < 900; k++) {
		make_frame(&a, k, frame);
		check_frame(&b, frame, k / 8);
	}
	for (k = 900; k < 908; k++) {		/* a stale tx block */
		make_frame(&a, k - STALE, frame);
		check_frame(&b, frame, k / 8);
	}
	for (k = 908; k < 1000; k++) {
		make_frame(k == 950 ? &c : &a, k, frame);	/* 950: another stream */
		check_frame(&b, frame, k / 8);
	}
	kt_msg("checker selftest: lock at %llu, %llu ok, lost %llu (%llu times), duplicated %llu (%llu times), corrupted %llu, stale %llu",
	       (unsigned long long)b.lock_k, (unsigned long long)b.frames_ok,
	       (unsigned long long)b.lost, (unsigned long long)b.lost_ev,
	       (unsigned long long)b.dup, (unsigned long long)b.dup_ev,
	       (unsigned long long)b.corrupt, (unsigned long long)b.stale);
	if (!b.locked || b.lock_k || b.lost != 8 || b.lost_ev != 1 || b.dup != 10 ||
	    b.dup_ev != 1 || b.corrupt != 2 || b.stale != 8 || b.frames_ok != 990) {
		kt_msg("FAIL: the checker does not count what it was given (expected lock at 0, 990 ok, lost 8, duplicated 10, corrupted 2, stale 8)");
		return KT_FAIL;
	}
	kt_msg("ok: the checker counts lost, duplicated, corrupted and stale frames");
	return KT_PASS;
}

/* ------------------------------------------------------------------ memcpy */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int run_memcpy(unsigned long count, size_t bytes)
{
	enum { ROUNDS = 5 };
	double ns[ROUNDS];
	unsigned long i, per = count / ROUNDS ? count / ROUNDS : 1;
	uint8_t *src = aligned_alloc(64, (bytes + 63) / 64 * 64);
	uint8_t *dst = aligned_alloc(64, (bytes + 63) / 64 * 64);
	unsigned int r;

	if (!src || !dst)
		return KT_SETUP;
	for (i = 0; i < bytes; i++)
		src[i] = (uint8_t)i;
	memset(dst, 0, bytes);
	/* warm up */
	for (i = 0; i < per / 10 + 1; i++) {
		memcpy(dst, src, bytes);
		__asm__ volatile("" : : "r"(dst), "r"(src) : "memory");
	}
	for (r = 0; r < ROUNDS; r++) {
		double t0 = kt_now_ms();

		for (i = 0; i < per; i++) {
			memcpy(dst, src, bytes);
			__asm__ volatile("" : : "r"(dst), "r"(src) : "memory");
		}
		ns[r] = (kt_now_ms() - t0) * 1e6 / (double)per;
	}
	if (memcmp(dst, src, bytes)) {
		kt_msg("memcpy did not copy");
		return KT_FAIL;
	}
	qsort(ns, ROUNDS, sizeof(ns[0]), cmp_double);
	kt_msg("memcpy of %zu bytes: median %.1f ns, min %.1f ns, max %.1f ns (%d rounds of %lu)",
	       bytes, ns[ROUNDS / 2], ns[0], ns[ROUNDS - 1], ROUNDS, per);
	printf("memcpy_ns %.1f\n", ns[ROUNDS / 2]);
	free(src);
	free(dst);
	return KT_PASS;
}

/* ------------------------------------------------------------------- main */

static void usage(void)
{
	fprintf(stderr, "usage: tdmx-soak [-s SECONDS] [-m MINRATIO] A1 B1 [A2 B2]...\n"
			"       tdmx-soak -M [-n COUNT] [-b BYTES]\n"
			"       tdmx-soak -T\n");
	exit(KT_SETUP);
}

static int report(double wall_s, double min_ratio)
{
	uint64_t tot_lost = 0, tot_dup = 0, tot_corrupt = 0, tot_missed = 0, tot_unread = 0,
		 tot_stale = 0, tot_frames = 0, tot_bad_blocks = 0, tot_blocks = 0;
	unsigned int i;
	int ret = KT_PASS;

	for (i = 0; i < nspans; i++) {
		struct span *s = &spans[i];
		uint64_t missed = s->missed_known ? s->hdr->tx_missed - s->missed0 : 0;
		uint64_t peer_missed = s->peer->missed_known ?
				       s->peer->hdr->tx_missed - s->peer->missed0 : 0;
		double line_s = (double)(rx_seq(s) - s->rx_seq0) / 1000.0;
		bool bad = false;

		kt_msg("span %u: %.1f s of line time (ticks) in %.1f s of wall time (%.0f%%); sent %llu blocks, tx_missed %llu",
		       s->id, line_s, wall_s, 100.0 * line_s / wall_s,
		       (unsigned long long)(s->next_tx - s->s0), (unsigned long long)missed);
		tot_missed += missed;
		if (!s->locked) {
			kt_msg("FAIL: stream %u -> %u: never found the pattern", s->peer->id, s->id);
			ret = KT_FAIL;
			continue;
		}
		kt_msg("stream %u -> %u: locked at frame %llu (rx block %llu), %llu frames checked in %llu blocks: lost %llu (%llu times), duplicated %llu (%llu times), corrupted %llu, bad blocks %llu; not checked (the test late): %llu blocks unread, %llu stale frames",
		       s->peer->id, s->id, (unsigned long long)s->lock_k,
		       (unsigned long long)s->lock_seq, (unsigned long long)s->frames_ok,
		       (unsigned long long)s->blocks, (unsigned long long)s->lost,
		       (unsigned long long)s->lost_ev, (unsigned long long)s->dup,
		       (unsigned long long)s->dup_ev, (unsigned long long)s->corrupt,
		       (unsigned long long)s->bad_blocks, (unsigned long long)s->unread,
		       (unsigned long long)s->stale);
		if (s->lock_k) {
			kt_msg("FAIL: stream %u -> %u: the first %llu frames were lost", s->peer->id,
			       s->id, (unsigned long long)s->lock_k);
			bad = true;
		}
		if (s->lost || s->dup || s->corrupt) {
			kt_msg("FAIL: stream %u -> %u: first problem at rx block %llu: %s",
			       s->peer->id, s->id, (unsigned long long)s->first_bad_seq,
			       s->first_bad);
			bad = true;
		}
		/* stale data is only allowed where the kernel said it sent some */
		if (s->stale > peer_missed * TDMX_RING_FRAMES) {
			kt_msg("FAIL: stream %u -> %u: %llu frames of old tx blocks, but span %u reports only %llu tx blocks missed",
			       s->peer->id, s->id, (unsigned long long)s->stale, s->peer->id,
			       (unsigned long long)peer_missed);
			bad = true;
		}
		if ((double)(s->unread + s->stale / TDMX_RING_FRAMES) > MAX_LATE * (double)s->blocks) {
			kt_msg("FAIL: stream %u -> %u: the test was too late for %llu blocks (more than %.0f%%): the result means little",
			       s->peer->id, s->id,
			       (unsigned long long)(s->unread + s->stale / TDMX_RING_FRAMES),
			       100 * MAX_LATE);
			bad = true;
		}
		if ((double)s->frames_ok < min_ratio * wall_s * 8000) {
			kt_msg("FAIL: stream %u -> %u: only %llu frames in %.1f s (less than %.0f%% of line rate)",
			       s->peer->id, s->id, (unsigned long long)s->frames_ok, wall_s,
			       100 * min_ratio);
			bad = true;
		}
		if (bad)
			ret = KT_FAIL;
		tot_lost += s->lost;
		tot_dup += s->dup;
		tot_corrupt += s->corrupt;
		tot_unread += s->unread;
		tot_stale += s->stale;
		tot_frames += s->frames_ok;
		tot_bad_blocks += s->bad_blocks;
		tot_blocks += s->blocks;
	}
	kt_msg("%s: %u streams x %u timeslots, %llu frames (%llu octets) in %llu blocks checked; lost %llu, duplicated %llu, corrupted %llu frames; bad blocks %llu; the test late: %llu blocks unread, %llu stale frames (tx_missed %llu)",
	       ret ? "FAIL" : "ok", nspans, NTS, (unsigned long long)tot_frames,
	       (unsigned long long)(tot_frames * NTS), (unsigned long long)tot_blocks,
	       (unsigned long long)tot_lost, (unsigned long long)tot_dup,
	       (unsigned long long)tot_corrupt, (unsigned long long)tot_bad_blocks,
	       (unsigned long long)tot_unread, (unsigned long long)tot_stale,
	       (unsigned long long)tot_missed);
	printf("soak_totals frames %llu blocks %llu lost %llu dup %llu corrupt %llu bad_blocks %llu unread_blocks %llu stale_frames %llu tx_missed %llu\n",
	       (unsigned long long)tot_frames, (unsigned long long)tot_blocks,
	       (unsigned long long)tot_lost, (unsigned long long)tot_dup,
	       (unsigned long long)tot_corrupt, (unsigned long long)tot_bad_blocks,
	       (unsigned long long)tot_unread, (unsigned long long)tot_stale,
	       (unsigned long long)tot_missed);
	return ret;
}

int main(int argc, char **argv)
{
	unsigned int seconds = 60, i, n = 0;
	unsigned long count = 1000000;
	size_t bytes = 768;
	double min_ratio = 0.2, t0, end, sync_end;
	bool mem = false, selftest_only = false;
	struct pollfd pfd[MAX_SPANS];
	struct tdmx_span_wake w;
	int opt, ret = KT_PASS;

	kt_prog = "tdmx-soak";
	setvbuf(stdout, NULL, _IOLBF, 0);
	while ((opt = getopt(argc, argv, "s:m:Mn:b:Th")) != -1) {
		switch (opt) {
		case 'T':
			selftest_only = true;
			break;
		case 's':
			seconds = (unsigned int)kt_uint(optarg, "seconds", 1, 86400);
			break;
		case 'm':
			min_ratio = atof(optarg);
			break;
		case 'M':
			mem = true;
			break;
		case 'n':
			count = kt_uint(optarg, "count", 1, 1000000000);
			break;
		case 'b':
			bytes = kt_uint(optarg, "bytes", 1, 1 << 20);
			break;
		default:
			usage();
		}
	}
	if (mem)
		return optind == argc ? run_memcpy(count, bytes) : (usage(), KT_SETUP);
	if (selftest_only) {
		for (i = 1; i <= 31; i++)
			if (i != 16)
				ts_list[n++] = i;
		crt_init();
		return selftest() ? selftest_checker() : KT_FAIL;
	}
	if (argc - optind < 2 || (argc - optind) % 2 || (argc - optind) > MAX_SPANS)
		usage();
	for (i = 1; i <= 31; i++)
		if (i != 16)
			ts_list[n++] = i;
	crt_init();
	if (!selftest())
		return KT_SETUP;
	nspans = (unsigned int)(argc - optind);
	for (i = 0; i < nspans; i++) {
		spans[i].id = (unsigned int)kt_uint(argv[optind + i], "span", 1, 65535);
		spans[i].idx = i;
		spans[i].peer = &spans[i ^ 1];
		spans[i].fd = -1;
	}
	kt_msg("%u spans (%u pairs), %u timeslots each, %u s", nspans, nspans / 2, NTS, seconds);
	/* keep up with the kernel: 64 ms of ring each way */
	if (setpriority(PRIO_PROCESS, 0, -10))
		kt_msg("note: setpriority: %s", strerror(errno));
	for (i = 0; i < nspans; i++) {
		ret = span_open(&spans[i]);
		if (ret)
			goto out;
	}
	/* start every stream: the first pattern block a little ahead */
	for (i = 0; i < nspans; i++) {
		struct span *s = &spans[i];

		s->rx_seq0 = rx_seq(s);
		s->s0 = s->next_tx = s->rx_seq0 + START;
		s->next_rx = s->rx_first = s->rx_seq0;
		write_ahead(s);
	}
	t0 = kt_now_ms();
	end = t0 + seconds * 1000.0;
	sync_end = t0 + SYNC_MS;
	while (kt_now_ms() < end) {
		for (i = 0; i < nspans; i++) {
			write_ahead(&spans[i]);
			read_rx(&spans[i]);
			pfd[i].fd = spans[i].fd;
			pfd[i].events = POLLIN;
		}
		if (sync_end && kt_now_ms() > sync_end) {
			for (i = 0; i < nspans && spans[i].locked; i++)
				;
			if (i < nspans) {
				kt_msg("FAIL: stream %u -> %u: no pattern within %d ms", spans[i].peer->id,
				       spans[i].id, SYNC_MS);
				break;
			}
			sync_end = 0;
		}
		if (poll(pfd, nspans, 3) < 0 && errno != EINTR) {
			kt_msg("poll: %s", strerror(errno));
			ret = KT_FAIL;
			goto out;
		}
		for (i = 0; i < nspans; i++)
			if (pfd[i].revents & POLLIN)
				(void)!read(spans[i].fd, &w, sizeof(w));
	}
	ret = report((kt_now_ms() - t0) / 1000.0, min_ratio);
out:
	for (i = 0; i < nspans; i++)
		span_close(&spans[i]);
	return ret;
}
