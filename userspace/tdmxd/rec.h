/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tdmxd call recording: WAV files written through io_uring, one row per
 * recording in the SQLite index (recdb.h).
 *
 * One struct rec_ctx per media worker thread. It owns an io_uring of its
 * own (not the worker's audio loop ring), a table of registered files (one
 * slot per recording: the file is opened, written, fsync'ed and closed by
 * io_uring, so the worker never makes a file syscall), a pool of write
 * buffers, and a thread that writes the index rows.
 *
 * Threading: every function except rec_bench() is called from the thread
 * that called rec_open(). rec_write(), rec_write_law(), rec_start(),
 * rec_pause(), rec_resume() and rec_stop() make no syscall (only malloc,
 * when the buffer pool grows, and the vDSO clock): they fill buffers and
 * queue work. rec_poll() submits the queued work and reaps completions; it
 * never blocks, and every file request is forced to io-wq (IOSQE_ASYNC), so
 * no page-cache copy runs on the caller's thread either. Events are
 * delivered from rec_poll() (and rec_wait()/rec_close()) only; a callback
 * may call rec_stop() and rec_start(), not rec_poll() or rec_close().
 *
 * Driving it from an event loop:
 *   - call rec_poll() once per processing block (after the blocks' audio
 *     went to rec_write()), at least every 100 ms: with nothing to do it
 *     costs a few loads and no syscall;
 *   - and, where the loop may stop waking up for audio (no spans left,
 *     shutdown), a POLL_ADD (multishot) for rec_fd() in the loop's own
 *     ring, calling rec_poll() when it fires: it is readable when
 *     completions are waiting, e.g. the final writes of stopped recordings.
 *
 * rec_recover() runs once per process at start-up, before any recorder
 * starts a recording (recorders share the index).
 *
 * Life of a recording: rec_start() queues open + provisional header;
 * rec_write() appends audio (buffered into chunk_bytes writes at explicit,
 * chunk-aligned file offsets); rec_stop() queues the tail, and once every
 * write has completed, the final header, fsync and close as one linked
 * chain; then REC_EV_DONE and the index row "done". Every rec_start() that
 * succeeded takes exactly one rec_stop(); the pointer is invalid after it.
 *
 * Errors: a failed open or write (-ENOSPC, -EIO, -EFBIG, ...), a full
 * buffer pool (-ENOBUFS) or the 4 GiB WAV limit (-EFBIG) fail that
 * recording only: it takes no more audio (rec_write() returns the error),
 * its header is rewritten to describe the data that did reach the file,
 * the file is closed, REC_EV_FAILED is delivered and the index row says
 * "failed" with the error text. The caller still calls rec_stop().
 *
 * Functions return 0 (or a count) on success and a negative errno.
 */
#ifndef TDMXD_REC_H
#define TDMXD_REC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "media.h"

#define REC_ID_MAX		64	/* id and call id, with the NUL */
#define REC_ERR_MAX		96	/* error text, with the NUL */

/* defaults for zero fields of struct rec_config */
#define REC_DEF_MAX_RECORDINGS	1024
#define REC_DEF_CHUNK_BYTES	(32 * 1024)
#define REC_DEF_RING_ENTRIES	256
#define REC_DEF_IOWQ_WORKERS	4

enum rec_layout {
	REC_STEREO,	/* left = port a (caller), right = port b (agent) */
	REC_MONO,	/* one channel: a + b mixed (or what rec_write() gets as left) */
};

enum rec_encoding {
	REC_LAW,	/* 8-bit G.711 in the channel's law: WAV format 6 or 7 */
	REC_PCM16,	/* 16-bit linear: WAV format 1 */
};

/* struct rec_config.flags */
#define REC_F_REVERSE_CQES	(1u << 0)	/* tests: handle each completion batch backwards */

enum rec_event_type {
	REC_EV_DONE,	/* stopped and finalised; the file is complete */
	REC_EV_FAILED,	/* an error stopped it; the file holds what was written */
};

/**
 * struct rec_event - what rec_poll() reports about a recording
 * @type: what happened
 * @id: recording id
 * @call_id: call id ("" if none)
 * @path: the file
 * @user: rec_params.user
 * @error: 0, or the negative errno that failed it
 * @error_text: "" or e.g. "write: No space left on device"
 * @duration_ms: audio in the file
 * @size_bytes: file size
 * @paused_ms: time spent paused
 *
 * The strings are valid during the callback only.
 */
struct rec_event {
	enum rec_event_type type;
	const char *id;
	const char *call_id;
	const char *path;
	void *user;
	int error;
	const char *error_text;
	uint64_t duration_ms;
	uint64_t size_bytes;
	uint64_t paused_ms;
};

typedef void (*rec_event_fn)(const struct rec_event *ev, void *arg);

/**
 * struct rec_config - a recorder (zero fields take the defaults)
 * @db_path: the SQLite index, or NULL for none (benchmarks)
 * @max_recordings: concurrent recordings, including ones finalising; this
 *	many io_uring file slots are registered, which needs RLIMIT_NOFILE
 *	at least as high: rec_open() raises the soft limit if the hard one
 *	allows
 * @chunk_bytes: write size, a multiple of 4096 from 4 KiB to 1 MiB
 *	(default 32 KiB: 1 s of stereo PCM, 2 s of stereo G.711)
 * @max_buffer_bytes: all write buffers together (default 4 x
 *	max_recordings x chunk_bytes, at least 64 MiB): a recording whose
 *	next buffer would pass it fails with -ENOBUFS (the disk is not
 *	keeping up); allocated as needed and kept
 * @ring_entries: submission queue size (completion queue: 4x)
 * @iowq_workers: cap on io_uring's io-wq workers of this thread, bounded
 *	and unbounded (buffered file writes run there on ext4/6.1)
 * @flags: REC_F_*
 * @event: called from rec_poll() for every REC_EV_*, or NULL
 * @event_arg: for @event
 */
struct rec_config {
	const char *db_path;
	unsigned int max_recordings;
	unsigned int chunk_bytes;
	size_t max_buffer_bytes;
	unsigned int ring_entries;
	unsigned int iowq_workers;
	unsigned int flags;
	rec_event_fn event;
	void *event_arg;
};

/**
 * struct rec_params - one recording
 * @id: recording id, unique across the index (1..63 characters)
 * @call_id: call id or NULL (up to 63 characters)
 * @port_a: the caller: left channel (media_port_of(span, ts))
 * @port_b: the agent: right channel; 0 if there is no second port
 * @layout: stereo or mono
 * @encoding: G.711 or 16-bit PCM
 * @law: the channels' law: the file's law with REC_LAW, and the law of
 *	what rec_write_law() is given
 * @path: the file to create (truncated if it exists); its directory must
 *	exist
 * @user: handed back in events
 * @conference: a conference recording: the conference's name, or NULL
 * @ports: a conference recording: its members now ("1/5,1/6,2/7"), or NULL
 *	(both only go to the index row, copied)
 */
struct rec_params {
	const char *id;
	const char *call_id;
	media_port port_a;
	media_port port_b;
	enum rec_layout layout;
	enum rec_encoding encoding;
	enum media_law law;
	const char *path;
	void *user;
	const char *conference;
	const char *ports;
};

/**
 * struct rec_stats - counters of a recorder
 * @live: recordings started and not yet finalised and released
 * @started: rec_start() calls that succeeded
 * @done: recordings finalised with REC_EV_DONE
 * @failed: recordings that got REC_EV_FAILED
 * @writes: data writes completed
 * @bytes: data bytes written
 * @short_writes: writes resubmitted after a short count
 * @outstanding: io_uring requests in flight
 * @chunks: write buffers allocated (each chunk_bytes)
 * @chunks_free: of those, idle
 * @index_errors: index rows that could not be written
 */
struct rec_stats {
	unsigned int live;
	uint64_t started;
	uint64_t done;
	uint64_t failed;
	uint64_t writes;
	uint64_t bytes;
	uint64_t short_writes;
	unsigned int outstanding;
	unsigned int chunks;
	unsigned int chunks_free;
	uint64_t index_errors;
};

struct rec_ctx;
struct rec;

int rec_open(struct rec_ctx **out, const struct rec_config *cfg);
void rec_close(struct rec_ctx *ctx);
int rec_fd(const struct rec_ctx *ctx);
int rec_poll(struct rec_ctx *ctx);
int rec_wait(struct rec_ctx *ctx, int timeout_ms);
int rec_index_sync(struct rec_ctx *ctx);
int rec_index_wait(struct rec_ctx *ctx);
void rec_get_stats(const struct rec_ctx *ctx, struct rec_stats *st);
int rec_recover(struct rec_ctx *ctx, const char *dir);

int rec_start(struct rec_ctx *ctx, const struct rec_params *p, struct rec **out);
int rec_write(struct rec *r, const int16_t *left, const int16_t *right, unsigned int n);
int rec_write_law(struct rec *r, const uint8_t *left, const uint8_t *right, unsigned int n);
int rec_pause(struct rec *r);
int rec_resume(struct rec *r);
int rec_stop(struct rec *r);
const char *rec_id(const struct rec *r);

/**
 * struct rec_bench_params - rec_bench(): N recordings fed like a media loop
 * @dir: where the files go (removed afterwards unless @keep)
 * @db_path: index to write, or NULL
 * @recordings: how many at once
 * @seconds: audio per recording
 * @block_ms: audio per rec_write() call (1..20)
 * @layout: stereo or mono
 * @encoding: G.711 (fed with rec_write_law()) or PCM16 (rec_write())
 * @realtime: pace the blocks at real time (else as fast as the disk goes)
 * @keep: keep the files
 * @baseline: also time the same loop doing a memcpy of the same bytes
 */
struct rec_bench_params {
	const char *dir;
	const char *db_path;
	unsigned int recordings;
	unsigned int seconds;
	unsigned int block_ms;
	enum rec_layout layout;
	enum rec_encoding encoding;
	bool realtime;
	bool keep;
	bool baseline;
};

/**
 * struct rec_bench_result - what it cost
 * @rec_seconds: recording-seconds written (recordings x seconds)
 * @wall_s: start of the first recording to the last one finalised
 * @loop_cpu_s: CPU of the calling thread in the block loop (rec_write*()
 *	and rec_poll(): the media worker's share) in the steady state: after
 *	the first fifth of the run (at most 2 s), while the buffer pool grows
 * @total_cpu_s: CPU of the whole process from the first start to the last
 *	finalised (adds starting and finalising, io-wq workers, i.e. the
 *	kernel's page-cache copies and file creation, and the index thread)
 * @memcpy_cpu_s: @loop_cpu_s of the baseline loop (0 without @baseline)
 * @bytes: audio bytes written
 * @loop_us_per_rec_s: @loop_cpu_s per recording-second (of the steady
 *	state), microseconds
 * @total_us_per_rec_s: @total_cpu_s per recording-second, microseconds
 * @memcpy_us_per_rec_s: @memcpy_cpu_s per recording-second, microseconds
 */
struct rec_bench_result {
	double rec_seconds;
	double wall_s;
	double loop_cpu_s;
	double total_cpu_s;
	double memcpy_cpu_s;
	uint64_t bytes;
	double loop_us_per_rec_s;
	double total_us_per_rec_s;
	double memcpy_us_per_rec_s;
};

int rec_bench(const struct rec_bench_params *p, struct rec_bench_result *res);

#endif /* TDMXD_REC_H */
