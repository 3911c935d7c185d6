// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tdmxd call recording (see rec.h).
 *
 * File layout: the WAV header at offset 0 (wav.h), the data right after it.
 * Audio is buffered in chunks that map to fixed file ranges: chunk k covers
 * [k * C, (k + 1) * C) of the file, minus the header for k = 0 (C =
 * chunk_bytes, a multiple of 4096). So every write but the first and last
 * is C bytes at a C-aligned offset, and since the header length and C are
 * multiples of the frame size, no frame straddles two chunks. Writes carry
 * their offset, so completions may come back in any order; a recording
 * counts its requests in flight and finalises only when none are left:
 *
 *   rec_start  openat_direct(slot) -> write(provisional header)   [linked]
 *   rec_write  ... write(chunk k) ...                    [any order]
 *   rec_stop   write(tail chunk); when idle:
 *              write(final header) => fsync => close(slot)   [hard-linked]
 *
 * A failed write records the lowest offset that failed; the header written
 * on the way out describes the data below it (whole frames), so the file
 * is playable whatever happened. Hard links make the close happen even if
 * the header write or fsync fails.
 *
 * All io_uring work is prepared in rec_poll() (struct rec.on_ready marks
 * recordings with something to submit; opens wait in ctx->open_q, a few in
 * flight at a time), so the audio path never enters the kernel, and every
 * request on a file is forced to io-wq, so the media thread never copies
 * into the page cache either. Index rows go through a queue to a thread
 * that owns the SQLite connection and commits each batch in one
 * transaction.
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <fts.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <liburing.h>

#include "g711.h"
#include "log.h"
#include "rec.h"
#include "recdb.h"
#include "wav.h"

#define REC_MAX_CHUNK		(1024 * 1024)
#define REC_MIN_CHUNK		4096
#define REC_FILE_MODE		0640
#define REC_CQE_BATCH		64
#define REC_MIN_BUFFER_BYTES	(64u << 20)
#define REC_OBJ_LEN		(4 + REC_ID_MAX)
#define NSEC_PER_SEC		1000000000LL

enum op_kind {
	OP_OPEN,
	OP_HDR,
	OP_DATA,
	OP_FSYNC,
	OP_CLOSE,
};

/* what a CQE's user_data points at */
struct rec_op {
	struct rec *rec;
	enum op_kind kind;
};

/* a write buffer for file range [off, off + cap) */
struct chunk {
	struct rec_op op;	/* first: user_data of its write */
	struct chunk *next;
	uint8_t *buf;
	uint32_t len;		/* bytes filled */
	uint32_t cap;		/* room */
	uint32_t done;		/* bytes written so far */
	uint64_t off;
};

enum rec_state {
	R_NEW,		/* open not yet submitted */
	R_OPENING,	/* open + header in flight */
	R_OPEN,		/* writing */
	R_FINAL,	/* final header, fsync, close in flight */
	R_DEAD,		/* file closed (or never opened) */
};

struct rec {
	/* what rec_write() touches, together */
	uint8_t *wp;			/* where the next frame goes in fill */
	unsigned int wfree;		/* frames that still fit in fill */
	int err;
	bool paused;
	bool soft_err;			/* failed, but what is buffered is good */
	enum rec_layout layout;
	enum rec_encoding enc;
	enum media_law law;
	unsigned int ba;		/* bytes per frame */
	unsigned int hdr_len;
	uint64_t frames;		/* frames taken */
	uint64_t data_end;		/* file offset after the last frame taken */
	struct chunk *fill;		/* being filled */
	struct rec_ctx *ctx;

	struct rec *prev, *next;	/* ctx->live */
	struct rec *ready_next;		/* ctx->ready */
	struct rec *open_next;		/* ctx->open_q */
	bool on_ready;
	enum rec_state st;
	bool released;			/* rec_stop() called */
	bool reported;			/* event and index row sent */
	bool created;			/* the open succeeded */
	bool file_open;			/* the slot holds the file */
	unsigned int slot;
	unsigned int inflight;		/* our requests not yet completed */
	struct wav_fmt fmt;
	media_port port_a, port_b;
	void *user;
	uint64_t sub_end;		/* file offset after the last byte submitted */
	uint64_t fail_off;		/* lowest offset a write failed at */
	struct chunk *pend, *pend_tail;	/* full, not yet submitted */
	int64_t pause_t0;
	int64_t paused_ns;
	char errtext[REC_ERR_MAX];
	char id[REC_ID_MAX];
	char call_id[REC_ID_MAX];
	char start_utc[32];
	struct rec_op op_open, op_hdr, op_fsync, op_close;
	uint8_t hdr[WAV_HDR_MAX];
	char path[];
};

struct idx_msg {
	struct idx_msg *next;
	bool insert;
	struct recdb_row row;
	char strs[];
};

struct rec_ctx {
	struct io_uring ring;
	unsigned int flags;
	unsigned int cq_cap;
	unsigned int outstanding;
	unsigned int chunk_bytes;
	unsigned int max_chunks;
	unsigned int max_recordings;
	unsigned int *free_slots;
	unsigned int nfree_slots;
	struct chunk *free_chunks;
	struct rec *live;
	struct rec *ready, *ready_tail;
	struct rec *open_q, *open_q_tail;	/* opens not yet submitted */
	unsigned int opening;		/* opens in flight */
	unsigned int max_opening;
	struct rec *reporting;		/* in its event callback */
	bool in_poll;
	rec_event_fn event;
	void *event_arg;
	struct rec_stats st;

	/* the index: the thread owns db; rec_recover() borrows it under dblock */
	struct recdb *db;
	pthread_t idx_thread;
	bool idx_running;
	pthread_mutex_t dblock;
	pthread_mutex_t qlock;
	pthread_cond_t qcond;		/* work queued / stop */
	pthread_cond_t qdone;		/* a batch committed */
	struct idx_msg *q, *q_tail;
	uint64_t q_posted, q_done, q_errors;
	/* rows posted by this thread, handed over once per rec_poll() */
	struct idx_msg *lq, *lq_tail;
	unsigned int lq_n;
	bool q_stop;
};

/* ------------------------------------------------------------- helpers */

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

static void utc_now(char *buf, size_t len)
{
	struct timespec ts;
	struct tm tm;
	size_t n;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + n, len - n, ".%03ldZ", ts.tv_nsec / 1000000);
}

static const char *obj_name(const struct rec *r, char buf[REC_OBJ_LEN])
{
	snprintf(buf, REC_OBJ_LEN, "rec/%s", r->id);
	return buf;
}

static const char *err_str(int err, char *buf, size_t len)
{
	return strerror_r(-err, buf, len);
}

/* G.711 by the engine's tables (g711.h), so files hold what the line carries */
static inline uint8_t law_enc(enum media_law law, int16_t s)
{
	return law == MEDIA_ALAW ? g711_alaw_encode(s) : g711_ulaw_encode(s);
}

static inline int16_t law_dec(enum media_law law, uint8_t c)
{
	return law == MEDIA_ALAW ? g711_alaw_decode(c) : g711_ulaw_decode(c);
}

static inline uint8_t law_silence(enum media_law law)
{
	return law == MEDIA_ALAW ? G711_ALAW_IDLE : G711_ULAW_IDLE;
}

static inline int16_t sat16(int v)
{
	return v > INT16_MAX ? INT16_MAX : v < INT16_MIN ? INT16_MIN : v;
}

static inline void put_s16(uint8_t *p, int16_t v)
{
	uint16_t le = htole16((uint16_t)v);

	memcpy(p, &le, 2);
}

/* --------------------------------------------------------------- index */

static char *copy_str(char **dst, const char *s)
{
	size_t n;

	if (!s)
		return NULL;
	n = strlen(s) + 1;
	memcpy(*dst, s, n);
	*dst += n;
	return *dst - n;
}

static size_t str_size(const char *s)
{
	return s ? strlen(s) + 1 : 0;
}

/* queue a row for the index thread (copies the strings; no syscall) */
static void idx_post(struct rec_ctx *ctx, const struct recdb_row *row, bool insert)
{
	struct idx_msg *m;
	char *p;

	if (!ctx->db)
		return;
	m = malloc(sizeof(*m) + str_size(row->id) + str_size(row->call_id) +
		   str_size(row->start_utc) + str_size(row->path) + str_size(row->error) +
		   str_size(row->conference) + str_size(row->ports));
	if (!m) {
		__atomic_add_fetch(&ctx->q_errors, 1, __ATOMIC_RELAXED);
		return;
	}
	m->next = NULL;
	m->insert = insert;
	m->row = *row;
	p = m->strs;
	m->row.id = copy_str(&p, row->id);
	m->row.call_id = copy_str(&p, row->call_id);
	m->row.start_utc = copy_str(&p, row->start_utc);
	m->row.path = copy_str(&p, row->path);
	m->row.error = copy_str(&p, row->error);
	m->row.conference = copy_str(&p, row->conference);
	m->row.ports = copy_str(&p, row->ports);
	if (ctx->lq_tail)
		ctx->lq_tail->next = m;
	else
		ctx->lq = m;
	ctx->lq_tail = m;
	ctx->lq_n++;
}

/* hand the rows posted since the last call to the index thread */
static void idx_flush(struct rec_ctx *ctx)
{
	if (!ctx->lq)
		return;
	pthread_mutex_lock(&ctx->qlock);
	if (ctx->q_tail)
		ctx->q_tail->next = ctx->lq;
	else
		ctx->q = ctx->lq;
	ctx->q_tail = ctx->lq_tail;
	ctx->q_posted += ctx->lq_n;
	pthread_cond_signal(&ctx->qcond);
	pthread_mutex_unlock(&ctx->qlock);
	ctx->lq = ctx->lq_tail = NULL;
	ctx->lq_n = 0;
}

/* apply a batch in one transaction; the number of rows that failed */
static unsigned int idx_apply(struct rec_ctx *ctx, struct idx_msg *m)
{
	unsigned int bad = 0;
	bool txn;
	int ret;

	pthread_mutex_lock(&ctx->dblock);
	txn = !recdb_begin(ctx->db);
	while (m) {
		struct idx_msg *next = m->next;

		ret = m->insert ? recdb_insert(ctx->db, &m->row) : recdb_update(ctx->db, &m->row);
		if (ret) {
			char buf[64];

			bad++;
			log_warn("rec/index", "%s %s: %s (%s)", m->insert ? "insert" : "update",
				 m->row.id, err_str(ret, buf, sizeof(buf)), recdb_errmsg(ctx->db));
		}
		free(m);
		m = next;
	}
	if (txn && recdb_commit(ctx->db)) {
		log_err("rec/index", "commit: %s", recdb_errmsg(ctx->db));
		recdb_rollback(ctx->db);
		bad++;
	}
	pthread_mutex_unlock(&ctx->dblock);
	return bad;
}

static void *idx_main(void *arg)
{
	struct rec_ctx *ctx = arg;
	struct idx_msg *batch;
	uint64_t taken;
	unsigned int bad;

	pthread_mutex_lock(&ctx->qlock);
	for (;;) {
		while (!ctx->q && !ctx->q_stop)
			pthread_cond_wait(&ctx->qcond, &ctx->qlock);
		if (!ctx->q)
			break;
		batch = ctx->q;
		ctx->q = ctx->q_tail = NULL;
		taken = ctx->q_posted - ctx->q_done;	/* all of them are in batch */
		pthread_mutex_unlock(&ctx->qlock);
		bad = idx_apply(ctx, batch);
		pthread_mutex_lock(&ctx->qlock);
		ctx->q_done += taken;
		__atomic_add_fetch(&ctx->q_errors, bad, __ATOMIC_RELAXED);
		pthread_cond_broadcast(&ctx->qdone);
	}
	pthread_mutex_unlock(&ctx->qlock);
	return NULL;
}

static int idx_start(struct rec_ctx *ctx)
{
	sigset_t all, old;
	int ret;

	/* signals stay with the daemon's threads */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	ret = -pthread_create(&ctx->idx_thread, NULL, idx_main, ctx);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (!ret)
		ctx->idx_running = true;
	return ret;
}

static void idx_stop(struct rec_ctx *ctx)
{
	if (!ctx->idx_running)
		return;
	idx_flush(ctx);
	pthread_mutex_lock(&ctx->qlock);
	ctx->q_stop = true;
	pthread_cond_signal(&ctx->qcond);
	pthread_mutex_unlock(&ctx->qlock);
	pthread_join(ctx->idx_thread, NULL);
	ctx->idx_running = false;
}

/**
 * rec_index_sync() - wait until every index row queued so far is committed
 * @ctx: the recorder
 *
 * Blocks (tests, shutdown, before rec_recover()).
 *
 * Return: 0.
 */
int rec_index_sync(struct rec_ctx *ctx)
{
	if (!ctx->idx_running)
		return 0;
	idx_flush(ctx);
	return rec_index_wait(ctx);
}

/**
 * rec_index_wait() - wait until the rows handed to the index thread are committed
 * @ctx: the recorder
 *
 * Unlike rec_index_sync(), safe from any thread: it does not hand over the
 * rows the recorder's own thread still holds. Every finished recording's
 * row is handed over before its REC_EV_DONE / REC_EV_FAILED, so after this
 * returns a reader of the index sees the final row of every recording
 * reported so far. Blocks (the control thread, never the media path).
 *
 * Return: 0.
 */
int rec_index_wait(struct rec_ctx *ctx)
{
	uint64_t target;

	if (!ctx->idx_running)
		return 0;
	pthread_mutex_lock(&ctx->qlock);
	target = ctx->q_posted;
	while (ctx->q_done < target)
		pthread_cond_wait(&ctx->qdone, &ctx->qlock);
	pthread_mutex_unlock(&ctx->qlock);
	return 0;
}

static uint64_t good_data(const struct rec *r);

static void rec_row(const struct rec *r, struct recdb_row *row, enum recdb_state state)
{
	uint64_t data = r->reported || r->st == R_DEAD ? good_data(r) : r->data_end - r->hdr_len;

	memset(row, 0, sizeof(*row));
	row->id = r->id;
	row->call_id = r->call_id[0] ? r->call_id : NULL;
	row->span_a = media_port_span(r->port_a);
	row->ts_a = media_port_ts(r->port_a);
	row->span_b = media_port_span(r->port_b);
	row->ts_b = media_port_ts(r->port_b);
	row->start_utc = r->start_utc;
	row->duration_ms = data / r->ba * 1000 / r->fmt.rate;
	/* nothing is known to be on disk if the header never made it */
	row->size_bytes = r->created && r->fail_off ? r->hdr_len + data + (data & 1) : 0;
	row->path = r->path;
	row->state = state;
	row->error = r->err ? r->errtext : NULL;
	row->paused_ms = r->paused_ns / 1000000;
}

static void rec_post(struct rec *r, enum recdb_state state, bool insert)
{
	struct recdb_row row;

	rec_row(r, &row, state);
	idx_post(r->ctx, &row, insert);
}

/* --------------------------------------------------------- buffer pool */

static struct chunk *chunk_get(struct rec_ctx *ctx)
{
	struct chunk *c = ctx->free_chunks;
	void *buf;

	if (c) {
		ctx->free_chunks = c->next;
		ctx->st.chunks_free--;
		return c;
	}
	if (ctx->st.chunks >= ctx->max_chunks)
		return NULL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	if (posix_memalign(&buf, 4096, ctx->chunk_bytes)) {
		free(c);
		return NULL;
	}
	c->buf = buf;
	c->op.kind = OP_DATA;
	ctx->st.chunks++;
	return c;
}

static void chunk_put(struct rec_ctx *ctx, struct chunk *c)
{
	c->next = ctx->free_chunks;
	ctx->free_chunks = c;
	ctx->st.chunks_free++;
}

static void chunks_free(struct rec_ctx *ctx)
{
	struct chunk *c;

	while ((c = ctx->free_chunks)) {
		ctx->free_chunks = c->next;
		free(c->buf);
		free(c);
	}
}

/* ---------------------------------------------------- recording states */

static void mark_ready(struct rec *r)
{
	struct rec_ctx *ctx = r->ctx;

	if (r->on_ready)
		return;
	r->on_ready = true;
	r->ready_next = NULL;
	if (ctx->ready_tail)
		ctx->ready_tail->ready_next = r;
	else
		ctx->ready = r;
	ctx->ready_tail = r;
}

static void fail(struct rec *r, int err, const char *what, bool soft)
{
	char buf[64];

	if (r->err)
		return;
	r->err = err;
	r->soft_err = soft;
	snprintf(r->errtext, sizeof(r->errtext), "%s: %s", what, err_str(err, buf, sizeof(buf)));
	mark_ready(r);
}

static void fail_at(struct rec *r, uint64_t off, int err, const char *what)
{
	if (off < r->fail_off)
		r->fail_off = off;
	fail(r, err, what, false);
}

/* data bytes the file holds for sure: whole frames below any failure */
static uint64_t good_data(const struct rec *r)
{
	uint64_t end = r->data_end, d;

	if (r->sub_end < end)
		end = r->sub_end;
	if (r->fail_off < end)
		end = r->fail_off;
	if (end <= r->hdr_len)
		return 0;
	d = end - r->hdr_len;
	return d - d % r->ba;
}

static void pend_push(struct rec *r, struct chunk *c, bool head)
{
	c->next = NULL;
	if (head) {
		c->next = r->pend;
		r->pend = c;
		if (!r->pend_tail)
			r->pend_tail = c;
	} else {
		if (r->pend_tail)
			r->pend_tail->next = c;
		else
			r->pend = c;
		r->pend_tail = c;
	}
}

static void queue_chunk(struct rec *r, struct chunk *c, bool head)
{
	pend_push(r, c, head);
	mark_ready(r);
}

/* the fill chunk's length from the write pointer; the fill chunk, detached */
static struct chunk *fill_take(struct rec *r)
{
	struct chunk *c = r->fill;

	if (c)
		c->len = r->wp - c->buf;
	r->fill = NULL;
	r->wp = NULL;
	r->wfree = 0;
	return c;
}

/* let go of unwritten audio; the file ends, at most, where it starts */
static void drop_buffers(struct rec *r)
{
	struct chunk *c;

	c = fill_take(r);
	if (c)
		chunk_put(r->ctx, c);
	while ((c = r->pend)) {
		r->pend = c->next;
		/* a short write's remainder may be waiting here */
		if (c->off + c->done < r->fail_off)
			r->fail_off = c->off + c->done;
		chunk_put(r->ctx, c);
	}
	r->pend_tail = NULL;
}

static void free_rec(struct rec *r)
{
	struct rec_ctx *ctx = r->ctx;

	drop_buffers(r);
	if (r->prev)
		r->prev->next = r->next;
	else
		ctx->live = r->next;
	if (r->next)
		r->next->prev = r->prev;
	ctx->st.live--;
	free(r);
}

/* ------------------------------------------------------------ io_uring */

/* @n SQEs for one chain, or none if the rings are full (retried later) */
static bool get_sqes(struct rec_ctx *ctx, struct io_uring_sqe **sqe, unsigned int n)
{
	unsigned int i;

	if (ctx->outstanding + n > ctx->cq_cap)
		return false;
	if (io_uring_sq_space_left(&ctx->ring) < n)
		io_uring_submit(&ctx->ring);
	if (io_uring_sq_space_left(&ctx->ring) < n)
		return false;
	for (i = 0; i < n; i++)
		sqe[i] = io_uring_get_sqe(&ctx->ring);
	ctx->outstanding += n;
	return true;
}

/*
 * Every request on a recording's file, forced to io-wq (IOSQE_ASYNC): on
 * 6.1/ext4 buffered writes end up there anyway; on kernels that can write
 * into the page cache without blocking, this keeps that copy (and any
 * block allocation) off the media thread, which only submits.
 */
static void sqe_fixed(struct io_uring_sqe *sqe, struct rec_op *op, unsigned int flags)
{
	sqe->flags |= IOSQE_FIXED_FILE | IOSQE_ASYNC | flags;
	io_uring_sqe_set_data(sqe, op);
}

static bool submit_open(struct rec_ctx *ctx, struct rec *r)
{
	struct io_uring_sqe *sqe[2];

	if (!get_sqes(ctx, sqe, 2))
		return false;
	io_uring_prep_openat_direct(sqe[0], AT_FDCWD, r->path, O_WRONLY | O_CREAT | O_TRUNC,
				    REC_FILE_MODE, r->slot);
	sqe[0]->flags |= IOSQE_IO_LINK;
	io_uring_sqe_set_data(sqe[0], &r->op_open);
	io_uring_prep_write(sqe[1], r->slot, r->hdr, r->hdr_len, 0);
	sqe_fixed(sqe[1], &r->op_hdr, 0);
	r->inflight += 2;
	r->st = R_OPENING;
	ctx->opening++;
	return true;
}

/*
 * Opens (file creation: milliseconds each on a busy ext4) wait in their
 * own queue, a few in flight at a time, so that a burst of starts never
 * holds up the writes of recordings already running.
 */
static void submit_opens(struct rec_ctx *ctx)
{
	struct rec *r;

	while ((r = ctx->open_q) && ctx->opening < ctx->max_opening) {
		if (!submit_open(ctx, r))
			return;
		ctx->open_q = r->open_next;
		if (!ctx->open_q)
			ctx->open_q_tail = NULL;
	}
}

static bool submit_data(struct rec_ctx *ctx, struct rec *r)
{
	struct io_uring_sqe *sqe;
	struct chunk *c;

	while ((c = r->pend)) {
		if (!get_sqes(ctx, &sqe, 1))
			return false;
		r->pend = c->next;
		if (!r->pend)
			r->pend_tail = NULL;
		c->op.rec = r;
		io_uring_prep_write(sqe, r->slot, c->buf + c->done, c->len - c->done,
				    c->off + c->done);
		sqe_fixed(sqe, &c->op, 0);
		r->inflight++;
		if (c->off + c->len > r->sub_end)
			r->sub_end = c->off + c->len;
	}
	return true;
}

/* header for what the file holds => fsync => close, each hard-linked */
static bool submit_final(struct rec_ctx *ctx, struct rec *r)
{
	struct io_uring_sqe *sqe[3];

	if (!get_sqes(ctx, sqe, 3))
		return false;
	wav_header_build(&r->fmt, good_data(r), r->hdr, sizeof(r->hdr));
	io_uring_prep_write(sqe[0], r->slot, r->hdr, r->hdr_len, 0);
	sqe_fixed(sqe[0], &r->op_hdr, IOSQE_IO_HARDLINK);
	io_uring_prep_fsync(sqe[1], r->slot, IORING_FSYNC_DATASYNC);
	sqe_fixed(sqe[1], &r->op_fsync, IOSQE_IO_HARDLINK);
	io_uring_prep_close_direct(sqe[2], r->slot);
	io_uring_sqe_set_data(sqe[2], &r->op_close);
	r->inflight += 3;
	r->st = R_FINAL;
	return true;
}

/* the event and the index row, once the file is closed */
static void report(struct rec_ctx *ctx, struct rec *r)
{
	char obj[REC_OBJ_LEN];
	struct recdb_row row;
	struct rec_event ev;

	r->reported = true;
	ctx->free_slots[ctx->nfree_slots++] = r->slot;
	if (r->paused) {
		r->paused_ns += now_ns() - r->pause_t0;
		r->paused = false;
	}
	rec_row(r, &row, r->err ? RECDB_FAILED : RECDB_DONE);
	idx_post(ctx, &row, false);
	/* the final row reaches the index thread before the event goes out */
	idx_flush(ctx);
	if (r->err) {
		ctx->st.failed++;
		log_warn(obj_name(r, obj), "failed: %s (%s, %lld ms kept)", r->errtext, r->path,
			 (long long)row.duration_ms);
	} else {
		ctx->st.done++;
		log_info(obj_name(r, obj), "done: %s, %lld ms, %lld bytes", r->path,
			 (long long)row.duration_ms, (long long)row.size_bytes);
	}
	if (!ctx->event)
		return;
	ev = (struct rec_event){
		.type = r->err ? REC_EV_FAILED : REC_EV_DONE,
		.id = r->id,
		.call_id = r->call_id,
		.path = r->path,
		.user = r->user,
		.error = r->err,
		.error_text = r->err ? r->errtext : "",
		.duration_ms = row.duration_ms,
		.size_bytes = row.size_bytes,
		.paused_ms = row.paused_ms,
	};
	ctx->reporting = r;
	ctx->event(&ev, ctx->event_arg);
	ctx->reporting = NULL;
}

/*
 * Move a recording along: submit what it has (false: out of ring space,
 * try again later), finalise it when idle, report and free it when done.
 */
static bool step(struct rec_ctx *ctx, struct rec *r)
{
	switch (r->st) {
	case R_NEW:		/* in ctx->open_q */
	case R_OPENING:
		return true;
	case R_OPEN:
		if (r->err && !r->soft_err)
			drop_buffers(r);
		if ((r->released || r->err) && r->fill)
			pend_push(r, fill_take(r), false);
		if (!submit_data(ctx, r))
			return false;
		if (!(r->released || r->err) || r->inflight)
			return true;
		if (r->file_open)
			return submit_final(ctx, r);
		r->st = R_DEAD;
		break;
	case R_FINAL:
		if (r->inflight)
			return true;
		r->st = R_DEAD;
		break;
	case R_DEAD:
		break;
	}
	if (!r->reported)
		report(ctx, r);
	if (r->released && !r->on_ready)
		free_rec(r);
	return true;
}

static void data_done(struct rec_ctx *ctx, struct chunk *c, int res)
{
	struct rec *r = c->op.rec;

	if (res <= 0) {
		fail_at(r, c->off + c->done, res ? res : -EIO, "write");
		chunk_put(ctx, c);
		return;
	}
	c->done += res;
	ctx->st.bytes += res;
	if (c->done < c->len) {
		ctx->st.short_writes++;
		if (r->err) {
			fail_at(r, c->off + c->done, r->err, "write");
			chunk_put(ctx, c);
		} else {
			queue_chunk(r, c, true);
		}
		return;
	}
	ctx->st.writes++;
	chunk_put(ctx, c);
}

static void complete(struct rec_ctx *ctx, struct rec_op *op, int res)
{
	struct rec *r = op->rec;

	ctx->outstanding--;
	r->inflight--;
	switch (op->kind) {
	case OP_OPEN:
		ctx->opening--;
		if (res < 0) {
			fail_at(r, 0, res, "open");
		} else {
			r->created = true;
			r->file_open = true;
		}
		r->st = R_OPEN;
		break;
	case OP_HDR:
		if (res == -ECANCELED || (res >= 0 && (unsigned int)res == r->hdr_len))
			break;
		res = res < 0 ? res : -EIO;
		/* a provisional header: the file's data is lost to readers */
		if (r->st == R_FINAL)
			fail(r, res, "final header", false);
		else
			fail_at(r, 0, res, "header");
		break;
	case OP_DATA:
		data_done(ctx, (struct chunk *)op, res);
		break;
	case OP_FSYNC:
		if (res < 0)
			fail(r, res, "fsync", false);
		break;
	case OP_CLOSE:
		if (res < 0) {
			char obj[REC_OBJ_LEN], buf[64];

			log_warn(obj_name(r, obj), "close: %s", err_str(res, buf, sizeof(buf)));
		}
		r->file_open = false;
		break;
	}
	mark_ready(r);
}

static unsigned int reap(struct rec_ctx *ctx)
{
	struct io_uring_cqe *cqe[REC_CQE_BATCH];
	unsigned int i, n, total = 0;
	bool rev = ctx->flags & REC_F_REVERSE_CQES;

	do {
		n = io_uring_peek_batch_cqe(&ctx->ring, cqe, REC_CQE_BATCH);
		for (i = 0; i < n; i++) {
			struct io_uring_cqe *c = cqe[rev ? n - 1 - i : i];

			complete(ctx, io_uring_cqe_get_data(c), c->res);
		}
		io_uring_cq_advance(&ctx->ring, n);
		total += n;
	} while (n == REC_CQE_BATCH);
	return total;
}

static void drain(struct rec_ctx *ctx)
{
	struct rec *r;

	while ((r = ctx->ready)) {
		ctx->ready = r->ready_next;
		if (!ctx->ready)
			ctx->ready_tail = NULL;
		r->on_ready = false;
		if (!step(ctx, r)) {
			/* out of ring space: keep its place at the head */
			r->on_ready = true;
			r->ready_next = ctx->ready;
			ctx->ready = r;
			if (!ctx->ready_tail)
				ctx->ready_tail = r;
			break;
		}
	}
}

/**
 * rec_poll() - reap completions, submit queued work, deliver events
 * @ctx: the recorder
 *
 * Never blocks. Not to be called from an event callback.
 *
 * Return: completions handled, or a negative errno (-EBUSY if re-entered,
 * io_uring_submit() errors other than running out of resources).
 */
int rec_poll(struct rec_ctx *ctx)
{
	unsigned int n;
	int ret;

	if (ctx->in_poll)
		return -EBUSY;
	ctx->in_poll = true;
	n = reap(ctx);
	drain(ctx);
	submit_opens(ctx);
	idx_flush(ctx);
	ret = io_uring_sq_ready(&ctx->ring) ? io_uring_submit(&ctx->ring) : 0;
	ctx->in_poll = false;
	ctx->st.outstanding = ctx->outstanding;
	if (ret < 0 && ret != -EAGAIN && ret != -EBUSY && ret != -EINTR)
		return ret;
	return n;
}

/**
 * rec_wait() - rec_poll(), waiting up to @timeout_ms for a completion
 * @ctx: the recorder
 * @timeout_ms: how long at most (< 0: no limit)
 *
 * For shutdown, tests, and a loop that has nothing else to wait for.
 *
 * Return: as rec_poll().
 */
int rec_wait(struct rec_ctx *ctx, int timeout_ms)
{
	struct __kernel_timespec ts = {
		.tv_sec = timeout_ms / 1000,
		.tv_nsec = (long long)(timeout_ms % 1000) * 1000000,
	};
	struct io_uring_cqe *cqe;
	int ret;

	ret = rec_poll(ctx);
	if (ret || !ctx->outstanding)
		return ret;
	ret = io_uring_wait_cqe_timeout(&ctx->ring, &cqe, timeout_ms < 0 ? NULL : &ts);
	if (ret < 0 && ret != -ETIME && ret != -EINTR)
		return ret;
	return rec_poll(ctx);
}

/* ---------------------------------------------------------- recordings */

static bool id_live(const struct rec_ctx *ctx, const char *id)
{
	const struct rec *r;

	for (r = ctx->live; r; r = r->next)
		if (!r->released && !strcmp(r->id, id))
			return true;
	return false;
}

static int params_check(const struct rec_params *p)
{
	size_t id = p->id ? strlen(p->id) : 0;

	if (!id || id >= REC_ID_MAX || (p->call_id && strlen(p->call_id) >= REC_ID_MAX))
		return -EINVAL;
	if (!p->path || !p->path[0] || strlen(p->path) >= PATH_MAX)
		return -EINVAL;
	if ((p->layout != REC_STEREO && p->layout != REC_MONO) ||
	    (p->encoding != REC_LAW && p->encoding != REC_PCM16) ||
	    (p->law != MEDIA_ALAW && p->law != MEDIA_ULAW))
		return -EINVAL;
	return 0;
}

static void rec_init_ops(struct rec *r)
{
	r->op_open = (struct rec_op){ r, OP_OPEN };
	r->op_hdr = (struct rec_op){ r, OP_HDR };
	r->op_fsync = (struct rec_op){ r, OP_FSYNC };
	r->op_close = (struct rec_op){ r, OP_CLOSE };
}

static void rec_init_format(struct rec *r)
{
	r->fmt.tag = r->enc == REC_PCM16 ? WAV_FORMAT_PCM :
		     r->law == MEDIA_ALAW ? WAV_FORMAT_ALAW : WAV_FORMAT_MULAW;
	r->fmt.channels = r->layout == REC_STEREO ? 2 : 1;
	r->fmt.rate = MEDIA_RATE;
	r->hdr_len = wav_header_len(&r->fmt);
	r->ba = wav_block_align(&r->fmt);
	wav_header_build(&r->fmt, WAV_SIZE_UNKNOWN, r->hdr, sizeof(r->hdr));
	r->data_end = r->hdr_len;
	r->sub_end = r->hdr_len;
	r->fail_off = UINT64_MAX;
}

/**
 * rec_start() - start a recording
 * @ctx: the recorder
 * @p: what to record and where
 * @out: the recording, for rec_write() ... rec_stop()
 *
 * The file is created and its (provisional) header written at the next
 * rec_poll(); the index row ("recording") is queued now. Errors opening
 * the file come back as REC_EV_FAILED.
 *
 * Return: 0, -EINVAL (bad parameters), -EEXIST (the id is recording),
 * -EMFILE (max_recordings reached), -ENOMEM.
 */
int rec_start(struct rec_ctx *ctx, const struct rec_params *p, struct rec **out)
{
	char obj[REC_OBJ_LEN];
	struct recdb_row row;
	size_t plen;
	struct rec *r;
	int ret;

	ret = params_check(p);
	if (ret)
		return ret;
	if (id_live(ctx, p->id))
		return -EEXIST;
	if (!ctx->nfree_slots)
		return -EMFILE;
	plen = strlen(p->path) + 1;
	r = calloc(1, sizeof(*r) + plen);
	if (!r)
		return -ENOMEM;
	r->ctx = ctx;
	memcpy(r->path, p->path, plen);
	snprintf(r->id, sizeof(r->id), "%s", p->id);
	snprintf(r->call_id, sizeof(r->call_id), "%s", p->call_id ? p->call_id : "");
	r->layout = p->layout;
	r->enc = p->encoding;
	r->law = p->law;
	r->port_a = p->port_a;
	r->port_b = p->port_b;
	r->user = p->user;
	rec_init_ops(r);
	rec_init_format(r);
	utc_now(r->start_utc, sizeof(r->start_utc));
	r->slot = ctx->free_slots[--ctx->nfree_slots];
	r->next = ctx->live;
	if (r->next)
		r->next->prev = r;
	ctx->live = r;
	ctx->st.live++;
	ctx->st.started++;
	if (ctx->open_q_tail)
		ctx->open_q_tail->open_next = r;
	else
		ctx->open_q = r;
	ctx->open_q_tail = r;
	/* conference and ports are in the inserted row only: never updated */
	rec_row(r, &row, RECDB_RECORDING);
	row.conference = p->conference;
	row.ports = p->ports;
	idx_post(ctx, &row, true);
	log_info(obj_name(r, obj), "start: %s", r->path);
	*out = r;
	return 0;
}

const char *rec_id(const struct rec *r)
{
	return r->id;
}

/* 0: take @n frames; 1: drop them (paused); < 0: failed */
static int admit(struct rec *r, unsigned int n)
{
	if (r->err)
		return r->err;
	if (r->paused)
		return 1;
	if (r->data_end - r->hdr_len + (uint64_t)n * r->ba > WAV_MAX_DATA) {
		fail(r, -EFBIG, "WAV 4 GiB limit", true);
		return -EFBIG;
	}
	return 0;
}

/* where the next frames go and how many fit, or NULL (failed) */
static uint8_t *room(struct rec *r, unsigned int *frames)
{
	struct rec_ctx *ctx = r->ctx;
	struct chunk *c = r->fill;

	if (!c) {
		c = chunk_get(ctx);
		if (!c) {
			fail(r, -ENOBUFS, "write buffers", true);
			return NULL;
		}
		c->off = r->data_end;
		c->cap = ctx->chunk_bytes - c->off % ctx->chunk_bytes;
		c->len = 0;
		c->done = 0;
		r->fill = c;
		r->wp = c->buf;
		r->wfree = c->cap / r->ba;
	}
	*frames = r->wfree;
	return r->wp;
}

static void took(struct rec *r, unsigned int k)
{
	r->wp += k * r->ba;
	r->wfree -= k;
	r->frames += k;
	r->data_end += k * r->ba;
	if (!r->wfree)
		queue_chunk(r, fill_take(r), false);
}

/* the four file layouts, for the conversion loops */
enum rec_kind {
	K_STEREO_LAW,
	K_STEREO_PCM,
	K_MONO_LAW,
	K_MONO_PCM,
};

static enum rec_kind rec_kind(const struct rec *r)
{
	if (r->layout == REC_STEREO)
		return r->enc == REC_LAW ? K_STEREO_LAW : K_STEREO_PCM;
	return r->enc == REC_LAW ? K_MONO_LAW : K_MONO_PCM;
}

#define SIDE(x, i, none)	((x) ? (x)[i] : (none))

static void conv_s16(const struct rec *r, uint8_t *p, const int16_t *L, const int16_t *R,
		     unsigned int k)
{
	enum media_law law = r->law;
	unsigned int i;

	switch (rec_kind(r)) {
	case K_STEREO_PCM:
		for (i = 0; i < k; i++) {
			put_s16(p + 4 * i, SIDE(L, i, 0));
			put_s16(p + 4 * i + 2, SIDE(R, i, 0));
		}
		break;
	case K_STEREO_LAW:
		for (i = 0; i < k; i++) {
			p[2 * i] = law_enc(law, SIDE(L, i, 0));
			p[2 * i + 1] = law_enc(law, SIDE(R, i, 0));
		}
		break;
	case K_MONO_PCM:
		for (i = 0; i < k; i++)
			put_s16(p + 2 * i, sat16(SIDE(L, i, 0) + SIDE(R, i, 0)));
		break;
	case K_MONO_LAW:
		for (i = 0; i < k; i++)
			p[i] = law_enc(law, sat16(SIDE(L, i, 0) + SIDE(R, i, 0)));
		break;
	}
}

static int16_t mix_law(enum media_law law, const uint8_t *L, const uint8_t *R, unsigned int i)
{
	return sat16((L ? law_dec(law, L[i]) : 0) + (R ? law_dec(law, R[i]) : 0));
}

static void conv_law(const struct rec *r, uint8_t *p, const uint8_t *L, const uint8_t *R,
		     unsigned int k)
{
	enum media_law law = r->law;
	uint8_t sil = law_silence(law);
	unsigned int i;

	switch (rec_kind(r)) {
	case K_STEREO_LAW:
		for (i = 0; i < k; i++) {
			p[2 * i] = SIDE(L, i, sil);
			p[2 * i + 1] = SIDE(R, i, sil);
		}
		break;
	case K_STEREO_PCM:
		for (i = 0; i < k; i++) {
			put_s16(p + 4 * i, law_dec(law, SIDE(L, i, sil)));
			put_s16(p + 4 * i + 2, law_dec(law, SIDE(R, i, sil)));
		}
		break;
	case K_MONO_LAW:
		if (!L || !R) {
			/* one side: the octets as they are */
			if (L || R)
				memcpy(p, L ? L : R, k);
			else
				memset(p, sil, k);
			break;
		}
		for (i = 0; i < k; i++)
			p[i] = law_enc(law, mix_law(law, L, R, i));
		break;
	case K_MONO_PCM:
		for (i = 0; i < k; i++)
			put_s16(p + 2 * i, mix_law(law, L, R, i));
		break;
	}
}

/**
 * rec_write() - append linear audio
 * @r: the recording
 * @left: port a's samples (caller), or NULL for silence
 * @right: port b's samples (agent), or NULL for silence
 * @n: samples per side
 *
 * Stereo puts @left in the left channel and @right in the right one; mono
 * writes their sum, clamped (pass the mix as @left and NULL as @right to
 * record a mix made elsewhere). Encodes to the file's law with REC_LAW.
 * Dropped while paused.
 *
 * Return: 0, or the error that failed the recording (the caller carries
 * on; the recording takes no more audio).
 */
int rec_write(struct rec *r, const int16_t *left, const int16_t *right, unsigned int n)
{
	unsigned int done = 0, k;
	uint8_t *p;
	int ret;

	ret = admit(r, n);
	if (ret)
		return ret < 0 ? ret : 0;
	while (done < n) {
		p = room(r, &k);
		if (!p)
			return r->err;
		if (k > n - done)
			k = n - done;
		conv_s16(r, p, left ? left + done : NULL, right ? right + done : NULL, k);
		took(r, k);
		done += k;
	}
	return 0;
}

/**
 * rec_write_law() - append G.711 audio in the recording's law
 * @r: the recording
 * @left: port a's octets (caller), or NULL for silence
 * @right: port b's octets (agent), or NULL for silence
 * @n: octets per side
 *
 * As rec_write(); stereo G.711 recordings copy the octets untouched, and a
 * mono G.711 recording of one side (the other NULL) too.
 *
 * Return: as rec_write().
 */
int rec_write_law(struct rec *r, const uint8_t *left, const uint8_t *right, unsigned int n)
{
	unsigned int done = 0, k;
	uint8_t *p;
	int ret;

	ret = admit(r, n);
	if (ret)
		return ret < 0 ? ret : 0;
	while (done < n) {
		p = room(r, &k);
		if (!p)
			return r->err;
		if (k > n - done)
			k = n - done;
		conv_law(r, p, left ? left + done : NULL, right ? right + done : NULL, k);
		took(r, k);
		done += k;
	}
	return 0;
}

/**
 * rec_pause() - stop taking audio until rec_resume()
 * @r: the recording
 *
 * The paused audio is not in the file (it is cut, not silenced); the index
 * row says "paused" and counts the paused time in paused_ms.
 *
 * Return: 0, -EALREADY if paused, or the error that failed the recording.
 */
int rec_pause(struct rec *r)
{
	if (r->err)
		return r->err;
	if (r->paused)
		return -EALREADY;
	r->paused = true;
	r->pause_t0 = now_ns();
	rec_post(r, RECDB_PAUSED, false);
	return 0;
}

/* Return: 0, -EALREADY if not paused, or the error that failed it. */
int rec_resume(struct rec *r)
{
	if (!r->paused)
		return r->err ? r->err : -EALREADY;
	r->paused = false;
	r->paused_ns += now_ns() - r->pause_t0;
	if (r->err)
		return r->err;
	rec_post(r, RECDB_RECORDING, false);
	return 0;
}

/**
 * rec_stop() - end a recording and let go of it
 * @r: the recording; invalid afterwards
 *
 * Queues the tail of the audio, then (at rec_poll(), once its writes are
 * done) the final header, fsync and close; then REC_EV_DONE and the row
 * "done". For a recording that already failed this only lets go of it.
 *
 * Return: 0.
 */
int rec_stop(struct rec *r)
{
	struct rec_ctx *ctx = r->ctx;
	uint64_t data = r->data_end - r->hdr_len;

	if (r->released)
		return -EINVAL;
	r->released = true;
	if (r->paused) {
		r->paused_ns += now_ns() - r->pause_t0;
		r->paused = false;
	}
	/* RIFF: an odd-sized chunk is followed by a pad byte */
	if (!r->err && (data & 1) && r->fill && r->wp < r->fill->buf + r->fill->cap)
		*r->wp++ = 0;
	if (r->reported && ctx->reporting != r && !r->on_ready) {
		free_rec(r);
		return 0;
	}
	mark_ready(r);
	return 0;
}

/* ------------------------------------------------------------ recorder */

static int ring_setup(struct rec_ctx *ctx, const struct rec_config *cfg)
{
	unsigned int entries = cfg->ring_entries ? cfg->ring_entries : REC_DEF_RING_ENTRIES;
	unsigned int workers = cfg->iowq_workers ? cfg->iowq_workers : REC_DEF_IOWQ_WORKERS;
	unsigned int limits[2] = { workers, workers };
	struct io_uring_params prm = {
		.flags = IORING_SETUP_CQSIZE | IORING_SETUP_SUBMIT_ALL,
		.cq_entries = 4 * entries,
	};
	int ret;

	ret = io_uring_queue_init_params(entries, &ctx->ring, &prm);
	if (ret == -EINVAL) {
		prm = (struct io_uring_params){ .flags = IORING_SETUP_CQSIZE,
						.cq_entries = 4 * entries };
		ret = io_uring_queue_init_params(entries, &ctx->ring, &prm);
	}
	if (ret)
		return ret;
	ctx->cq_cap = prm.cq_entries;
	ret = io_uring_register_iowq_max_workers(&ctx->ring, limits);
	if (ret)
		goto fail;
	ret = io_uring_register_files_sparse(&ctx->ring, ctx->max_recordings);
	if (ret == -EMFILE) {
		struct rlimit rl;

		/* a file table needs RLIMIT_NOFILE >= its size (io_uring/rsrc.c) */
		if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_max >= ctx->max_recordings) {
			rl.rlim_cur = ctx->max_recordings;
			if (!setrlimit(RLIMIT_NOFILE, &rl))
				ret = io_uring_register_files_sparse(&ctx->ring,
								     ctx->max_recordings);
		}
	}
	if (ret)
		goto fail;
	return 0;

fail:
	io_uring_queue_exit(&ctx->ring);
	return ret;
}

static int config_check(struct rec_ctx *ctx, const struct rec_config *cfg)
{
	size_t max_buf;

	ctx->max_recordings = cfg->max_recordings ? cfg->max_recordings : REC_DEF_MAX_RECORDINGS;
	ctx->chunk_bytes = cfg->chunk_bytes ? cfg->chunk_bytes : REC_DEF_CHUNK_BYTES;
	if (ctx->chunk_bytes < REC_MIN_CHUNK || ctx->chunk_bytes > REC_MAX_CHUNK ||
	    ctx->chunk_bytes % 4096 || ctx->max_recordings > 1u << 20)
		return -EINVAL;
	max_buf = 4 * (size_t)ctx->max_recordings * ctx->chunk_bytes;
	if (max_buf < REC_MIN_BUFFER_BYTES)
		max_buf = REC_MIN_BUFFER_BYTES;
	if (cfg->max_buffer_bytes)
		max_buf = cfg->max_buffer_bytes;
	ctx->max_chunks = max_buf / ctx->chunk_bytes;
	if (!ctx->max_chunks)
		return -EINVAL;
	ctx->flags = cfg->flags;
	ctx->max_opening = 4 * (cfg->iowq_workers ? cfg->iowq_workers : REC_DEF_IOWQ_WORKERS);
	ctx->event = cfg->event;
	ctx->event_arg = cfg->event_arg;
	return 0;
}

static int slots_init(struct rec_ctx *ctx)
{
	unsigned int i;

	ctx->free_slots = calloc(ctx->max_recordings, sizeof(*ctx->free_slots));
	if (!ctx->free_slots)
		return -ENOMEM;
	for (i = 0; i < ctx->max_recordings; i++)
		ctx->free_slots[i] = ctx->max_recordings - 1 - i;
	ctx->nfree_slots = ctx->max_recordings;
	return 0;
}

/**
 * rec_open() - create a recorder
 * @out: the recorder
 * @cfg: its configuration
 *
 * Opens (creates, migrates) the index, sets up the io_uring, and starts
 * the index thread.
 *
 * Return: 0, -EINVAL (bad configuration), recdb_open() and io_uring
 * errors, -ENOMEM.
 */
int rec_open(struct rec_ctx **out, const struct rec_config *cfg)
{
	struct rec_ctx *ctx;
	int ret;

	ctx = calloc(1, sizeof(*ctx));
	if (!ctx)
		return -ENOMEM;
	pthread_mutex_init(&ctx->dblock, NULL);
	pthread_mutex_init(&ctx->qlock, NULL);
	pthread_cond_init(&ctx->qcond, NULL);
	pthread_cond_init(&ctx->qdone, NULL);
	ret = config_check(ctx, cfg);
	if (ret)
		goto err_cfg;
	ret = slots_init(ctx);
	if (ret)
		goto err_cfg;
	if (cfg->db_path) {
		ret = recdb_open(cfg->db_path, &ctx->db);
		if (ret)
			goto err_db;
	}
	ret = ring_setup(ctx, cfg);
	if (ret)
		goto err_ring;
	if (ctx->db) {
		ret = idx_start(ctx);
		if (ret)
			goto err_thread;
	}
	*out = ctx;
	return 0;

err_thread:
	io_uring_queue_exit(&ctx->ring);
err_ring:
	recdb_close(ctx->db);
err_db:
	free(ctx->free_slots);
err_cfg:
	pthread_cond_destroy(&ctx->qdone);
	pthread_cond_destroy(&ctx->qcond);
	pthread_mutex_destroy(&ctx->qlock);
	pthread_mutex_destroy(&ctx->dblock);
	free(ctx);
	return ret;
}

/**
 * rec_close() - stop every recording, finalise them, and free the recorder
 * @ctx: the recorder (may be NULL)
 *
 * Recordings not yet stopped are stopped as by rec_stop() (their pointers
 * become invalid); blocks until every file is closed and every index row
 * committed. Not to be called from an event callback.
 */
void rec_close(struct rec_ctx *ctx)
{
	struct rec *r, *next;

	if (!ctx)
		return;
	for (r = ctx->live; r; r = next) {
		next = r->next;
		if (!r->released)
			rec_stop(r);
	}
	while (ctx->live) {
		if (rec_wait(ctx, 1000) < 0 ||
		    (!ctx->outstanding && !ctx->ready && !ctx->open_q))
			break;
	}
	idx_stop(ctx);
	recdb_close(ctx->db);
	io_uring_queue_exit(&ctx->ring);
	while (ctx->live)
		free_rec(ctx->live);
	chunks_free(ctx);
	free(ctx->free_slots);
	pthread_cond_destroy(&ctx->qdone);
	pthread_cond_destroy(&ctx->qcond);
	pthread_mutex_destroy(&ctx->qlock);
	pthread_mutex_destroy(&ctx->dblock);
	free(ctx);
}

/* the io_uring fd: POLLIN when completions are waiting for rec_poll() */
int rec_fd(const struct rec_ctx *ctx)
{
	return ctx->ring.ring_fd;
}

void rec_get_stats(const struct rec_ctx *ctx, struct rec_stats *st)
{
	*st = ctx->st;
	st->outstanding = ctx->outstanding;
	st->index_errors = __atomic_load_n(&ctx->q_errors, __ATOMIC_RELAXED);
}

/* ------------------------------------------------------------ recovery */

struct recover_item {
	char *id;
	char *path;
	int64_t paused_ms;
};

struct recover_list {
	struct recover_item *v;
	size_t n, cap;
	int err;
};

static int collect_row(const struct recdb_row *row, void *arg)
{
	struct recover_list *l = arg;
	struct recover_item *it;

	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 64;

		it = realloc(l->v, cap * sizeof(*it));
		if (!it) {
			l->err = -ENOMEM;
			return 1;
		}
		l->v = it;
		l->cap = cap;
	}
	it = &l->v[l->n];
	it->id = strdup(row->id);
	it->path = strdup(row->path ? row->path : "");
	it->paused_ms = row->paused_ms;
	if (!it->id || !it->path) {
		free(it->id);
		free(it->path);
		l->err = -ENOMEM;
		return 1;
	}
	l->n++;
	return 0;
}

static void recover_list_free(struct recover_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].id);
		free(l->v[i].path);
	}
	free(l->v);
}

static bool path_under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	while (n > 1 && dir[n - 1] == '/')
		n--;
	return !strncmp(path, dir, n) && (path[n] == '/' || (n == 1 && dir[0] == '/'));
}

/* repair @path; fill the row's duration, size and error */
static int repair_file(const char *path, struct recdb_row *row, char *err, size_t errlen)
{
	struct wav_info wi;
	struct stat st;
	char buf[64];
	int ret;

	ret = wav_repair(path, &wi);
	if (ret >= 0) {
		row->duration_ms = wav_frames(&wi) * 1000 / wi.fmt.rate;
		row->size_bytes = wi.riff_size + 8ull;
		return ret;
	}
	if (ret == -ENOENT) {
		snprintf(err, errlen, "file missing");
	} else {
		snprintf(err, errlen, "repair: %s", err_str(ret, buf, sizeof(buf)));
		if (!stat(path, &st))
			row->size_bytes = st.st_size;
	}
	row->error = err;
	return ret;
}

static void recover_row(struct rec_ctx *ctx, const struct recover_item *it)
{
	struct recdb_row row = {
		.id = it->id,
		.state = RECDB_INTERRUPTED,
		.paused_ms = it->paused_ms,
	};
	char err[REC_ERR_MAX], obj[REC_OBJ_LEN];
	int ret;

	repair_file(it->path, &row, err, sizeof(err));
	ret = recdb_update(ctx->db, &row);
	snprintf(obj, sizeof(obj), "rec/%s", it->id);
	if (ret)
		log_err(obj, "index: %s", recdb_errmsg(ctx->db));
	log_notice(obj, "interrupted: %s, %lld ms%s%s", it->path, (long long)row.duration_ms,
		   row.error ? ", " : "", row.error ? row.error : "");
}

static bool wav_is_provisional(const char *path)
{
	uint8_t buf[512];
	struct wav_info wi;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = pread(fd, buf, sizeof(buf), 0);
	close(fd);
	return n > 0 && !wav_header_parse(buf, n, &wi) && wi.provisional;
}

/* a file left provisional with no row (the crash beat the index thread) */
static int recover_orphan(struct rec_ctx *ctx, const FTSENT *e)
{
	struct recdb_row row = { .state = RECDB_INTERRUPTED };
	char id[REC_ID_MAX], err[REC_ERR_MAX], obj[REC_OBJ_LEN];
	size_t n = strlen(e->fts_name) - 4;
	int ret;

	if (recdb_find_by_path(ctx->db, e->fts_path, NULL, NULL) > 0 ||
	    !wav_is_provisional(e->fts_path))
		return 0;
	snprintf(id, sizeof(id), "%.*s", (int)(n < REC_ID_MAX ? n : REC_ID_MAX - 1), e->fts_name);
	row.id = id;
	row.path = e->fts_path;
	if (repair_file(e->fts_path, &row, err, sizeof(err)) >= 0)
		row.error = "no index row: recovered from the file";
	ret = recdb_insert(ctx->db, &row);
	snprintf(obj, sizeof(obj), "rec/%s", id);
	if (ret)
		log_err(obj, "index: %s: %s", e->fts_path, recdb_errmsg(ctx->db));
	else
		log_notice(obj, "interrupted, no index row: %s, %lld ms", e->fts_path,
			   (long long)row.duration_ms);
	return ret ? 0 : 1;
}

static int scan_orphans(struct rec_ctx *ctx, const char *dir)
{
	char *const paths[] = { (char *)dir, NULL };
	FTSENT *e;
	FTS *fts;
	int n = 0;

	fts = fts_open(paths, FTS_PHYSICAL | FTS_NOCHDIR, NULL);
	if (!fts)
		return -errno;
	while ((e = fts_read(fts))) {
		size_t len = strlen(e->fts_name);

		if (e->fts_info == FTS_F && len > 4 && !strcmp(e->fts_name + len - 4, ".wav"))
			n += recover_orphan(ctx, e);
	}
	fts_close(fts);
	return n;
}

/**
 * rec_recover() - repair what a killed daemon left behind
 * @ctx: the recorder, with no recording started yet
 * @dir: the recordings directory, or NULL
 *
 * Every row still "recording" or "paused" (under @dir, if given) gets its
 * file's header repaired (wav_repair(): sizes from the file size, partial
 * frame cut) and becomes "interrupted" with the duration and size found;
 * a missing or unreadable file is noted in the row's error. Then WAV files
 * under @dir (recursively) that still have a provisional header and no row
 * are repaired and get an "interrupted" row named after the file.
 * Synchronous: call it at start-up, before the loop runs.
 *
 * Return: how many recordings were repaired, -EBUSY if recordings are
 * live, -EINVAL without an index, or an error reading the index.
 */
int rec_recover(struct rec_ctx *ctx, const char *dir)
{
	struct recover_list l = { 0 };
	int ret, n = 0;
	size_t i;

	if (!ctx->db)
		return -EINVAL;
	if (ctx->live)
		return -EBUSY;
	rec_index_sync(ctx);
	pthread_mutex_lock(&ctx->dblock);
	ret = recdb_list_by_state(ctx->db, RECDB_RECORDING, collect_row, &l);
	if (ret >= 0 && !l.err)
		ret = recdb_list_by_state(ctx->db, RECDB_PAUSED, collect_row, &l);
	if (ret < 0 || l.err) {
		ret = ret < 0 ? ret : l.err;
		goto out;
	}
	for (i = 0; i < l.n; i++) {
		if (dir && !path_under(l.v[i].path, dir))
			continue;
		recover_row(ctx, &l.v[i]);
		n++;
	}
	if (dir) {
		ret = scan_orphans(ctx, dir);
		if (ret > 0)
			n += ret;
	}
	ret = n;
out:
	pthread_mutex_unlock(&ctx->dblock);
	recover_list_free(&l);
	return ret;
}

/* ----------------------------------------------------------- benchmark */

static double cpu_s(int who)
{
	struct rusage ru;

	getrusage(who, &ru);
	return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
	       (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static void bench_audio(int16_t *l, int16_t *r, uint8_t *la, uint8_t *ra, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		l[i] = (int16_t)((i * 1103u) & 0x3fff) - 0x2000;
		r[i] = (int16_t)((i * 2621u) & 0x3fff) - 0x2000;
		la[i] = g711_alaw_encode(l[i]);
		ra[i] = g711_alaw_encode(r[i]);
	}
}

static void bench_tick(struct timespec *next, const struct rec_bench_params *p)
{
	if (!p->realtime)
		return;
	next->tv_nsec += p->block_ms * 1000000L;
	if (next->tv_nsec >= NSEC_PER_SEC) {
		next->tv_nsec -= NSEC_PER_SEC;
		next->tv_sec++;
	}
	clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, next, NULL);
}

/* blocks before the steady state: buffer pool growth (page faults) */
static unsigned int bench_warmup(const struct rec_bench_params *p)
{
	unsigned int blocks = p->seconds * 1000 / p->block_ms;

	return blocks / 5 < 2000 / p->block_ms ? blocks / 5 : 2000 / p->block_ms;
}

/*
 * The media loop's part: one block per recording, one rec_poll() per
 * block. CPU is counted after the warm-up.
 */
static int bench_run(struct rec_ctx *ctx, struct rec **recs, const struct rec_bench_params *p,
		     double *cpu)
{
	int16_t l[MEDIA_MAX_BLOCK], r[MEDIA_MAX_BLOCK];
	uint8_t la[MEDIA_MAX_BLOCK], ra[MEDIA_MAX_BLOCK];
	unsigned int n = p->block_ms * MEDIA_SAMPLES_PER_MS, b, i;
	unsigned int blocks = p->seconds * 1000 / p->block_ms;
	struct timespec next;

	bench_audio(l, r, la, ra, n);
	clock_gettime(CLOCK_MONOTONIC, &next);
	for (b = 0; b < blocks; b++) {
		if (b == bench_warmup(p))
			*cpu = cpu_s(RUSAGE_THREAD);
		for (i = 0; i < p->recordings; i++) {
			if (p->encoding == REC_LAW)
				rec_write_law(recs[i], la, ra, n);
			else
				rec_write(recs[i], l, r, n);
		}
		if (rec_poll(ctx) < 0)
			return -EIO;
		/* faster than real time: let the disk catch up (back-pressure) */
		while (!p->realtime && 2 * (ctx->st.chunks - ctx->st.chunks_free) > ctx->max_chunks)
			rec_wait(ctx, 10);
		bench_tick(&next, p);
	}
	*cpu = cpu_s(RUSAGE_THREAD) - *cpu;
	return 0;
}

/* the baseline: the same bytes memcpy'd into one buffer per recording */
static int bench_memcpy(const struct rec_bench_params *p, unsigned int ba, double *cpu)
{
	unsigned int n = p->block_ms * MEDIA_SAMPLES_PER_MS, b, i, len = n * ba;
	unsigned int blocks = p->seconds * 1000 / p->block_ms;
	uint8_t src[4 * MEDIA_MAX_BLOCK], **buf;
	unsigned int *off;
	struct timespec next;

	buf = calloc(p->recordings, sizeof(*buf));
	off = calloc(p->recordings, sizeof(*off));
	for (i = 0; buf && off && i < p->recordings; i++) {
		buf[i] = aligned_alloc(4096, REC_DEF_CHUNK_BYTES);
		if (!buf[i])
			break;
		memset(buf[i], 0, REC_DEF_CHUNK_BYTES);
	}
	if (!buf || !off || i < p->recordings)
		goto fail;
	memset(src, 0x55, sizeof(src));
	clock_gettime(CLOCK_MONOTONIC, &next);
	for (b = 0; b < blocks; b++) {
		if (b == bench_warmup(p))
			*cpu = cpu_s(RUSAGE_THREAD);
		for (i = 0; i < p->recordings; i++) {
			if (off[i] + len > REC_DEF_CHUNK_BYTES)
				off[i] = 0;
			memcpy(buf[i] + off[i], src, len);
			off[i] += len;
		}
		__asm__ volatile("" : : "r"(buf) : "memory");
		bench_tick(&next, p);
	}
	*cpu = cpu_s(RUSAGE_THREAD) - *cpu;
	for (i = 0; i < p->recordings; i++)
		free(buf[i]);
	free(buf);
	free(off);
	return 0;

fail:
	for (i = 0; buf && i < p->recordings; i++)
		free(buf[i]);
	free(buf);
	free(off);
	return -ENOMEM;
}

static void bench_path(const struct rec_bench_params *p, unsigned int i, char *buf, size_t len)
{
	snprintf(buf, len, "%s/bench-%u.wav", p->dir, i);
}

static int bench_start(struct rec_ctx *ctx, struct rec **recs, const struct rec_bench_params *p)
{
	char path[PATH_MAX], id[32];
	unsigned int i;
	int ret = 0;

	for (i = 0; i < p->recordings && !ret; i++) {
		struct rec_params rp = {
			.id = id,
			.port_a = media_port_of(1 + i / 15, 1 + i % 15),
			.port_b = media_port_of(1 + i / 15, 16 + i % 15),
			.layout = p->layout,
			.encoding = p->encoding,
			.law = MEDIA_ALAW,
			.path = path,
		};

		snprintf(id, sizeof(id), "bench-%u", i);
		bench_path(p, i, path, sizeof(path));
		ret = rec_start(ctx, &rp, &recs[i]);
	}
	return ret;
}

static void bench_results(const struct rec_bench_params *p, struct rec_bench_result *res)
{
	unsigned int blocks = p->seconds * 1000 / p->block_ms;
	double steady = (double)p->recordings * (blocks - bench_warmup(p)) * p->block_ms / 1000;

	res->rec_seconds = (double)p->recordings * p->seconds;
	res->loop_us_per_rec_s = res->loop_cpu_s * 1e6 / steady;
	res->total_us_per_rec_s = res->total_cpu_s * 1e6 / res->rec_seconds;
	res->memcpy_us_per_rec_s = res->memcpy_cpu_s * 1e6 / steady;
}

/**
 * rec_bench() - CPU cost of N concurrent recordings
 * @p: what to run
 * @res: what it cost
 *
 * Starts @p->recordings recordings in @p->dir, feeds each @p->seconds of
 * two-sided audio in @p->block_ms blocks from one thread (rec_write or
 * rec_write_law, then one rec_poll() per block, as a media worker would),
 * stops them and waits until all are finalised. Then, if @p->baseline,
 * the same loop with a memcpy of the same bytes instead of rec_write().
 * Uses its own recorder, so it may run on any thread.
 *
 * Return: 0, -EINVAL, -EIO if a recording failed, or the first error of
 * rec_open()/rec_start().
 */
int rec_bench(const struct rec_bench_params *p, struct rec_bench_result *res)
{
	struct rec_config cfg = { .db_path = p->db_path, .max_recordings = p->recordings };
	char path[PATH_MAX];
	struct rec_stats st;
	struct rec_ctx *ctx;
	struct rec **recs;
	double c_proc, t0;
	unsigned int i;
	int ret;

	memset(res, 0, sizeof(*res));
	if (!p->dir || !p->recordings || !p->seconds || !p->block_ms ||
	    p->block_ms > MEDIA_MAX_BLOCK_MS)
		return -EINVAL;
	recs = calloc(p->recordings, sizeof(*recs));
	if (!recs)
		return -ENOMEM;
	ret = rec_open(&ctx, &cfg);
	if (ret)
		goto out;
	c_proc = cpu_s(RUSAGE_SELF);
	t0 = now_ns() / 1e9;
	ret = bench_start(ctx, recs, p);
	if (!ret)
		ret = bench_run(ctx, recs, p, &res->loop_cpu_s);
	for (i = 0; i < p->recordings && recs[i]; i++)
		rec_stop(recs[i]);
	do {
		rec_wait(ctx, 1000);
		rec_get_stats(ctx, &st);
	} while (st.live);
	rec_index_sync(ctx);
	res->wall_s = now_ns() / 1e9 - t0;
	res->total_cpu_s = cpu_s(RUSAGE_SELF) - c_proc;
	res->bytes = st.bytes;
	if (!ret && st.failed)
		ret = -EIO;
	if (!ret && p->baseline)
		ret = bench_memcpy(p, (p->layout == REC_STEREO ? 2 : 1) *
				   (p->encoding == REC_PCM16 ? 2 : 1), &res->memcpy_cpu_s);
	bench_results(p, res);
	rec_close(ctx);
	for (i = 0; i < p->recordings && !p->keep; i++) {
		bench_path(p, i, path, sizeof(path));
		unlink(path);
	}
out:
	free(recs);
	return ret;
}
