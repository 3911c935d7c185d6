/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tdmxd event loop: one io_uring per thread. Every wait is an io_uring
 * operation (span device polls and reads, timers, sockets, signalfd,
 * eventfd). A completion is dispatched on the tag packed into its
 * user_data: the operation type in the low 4 bits, a pointer to the object
 * it is for (16-byte aligned, as malloc() gives) in the rest.
 *
 * The ring is created with IORING_SETUP_SINGLE_ISSUER|DEFER_TASKRUN (6.1),
 * falling back to COOP_TASKRUN and then to no flag on older kernels; so a
 * loop is created, submitted to and run on one thread only. Other threads
 * talk to it with loop_call(), which queues a function and wakes the loop
 * through an eventfd it keeps a read armed on.
 */
#ifndef TDMXD_LOOP_H
#define TDMXD_LOOP_H

#include <liburing.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

/* operation types, the low 4 bits of user_data */
enum loop_op {
	LOOP_OP_IGNORE = 0,	/* cancellations and the like: nothing to do */
	LOOP_OP_WAKE,		/* the loop's eventfd: run queued calls */
	LOOP_OP_TIMER,		/* struct loop_timer */
	LOOP_OP_SIGNAL,		/* a signalfd read */
	LOOP_OP_SPAN_POLL,	/* span device readable */
	LOOP_OP_SPAN_READ,	/* struct tdmx_span_wake read */
	LOOP_OP_CTL,		/* the control socket's jsonl server */
	LOOP_OP_USER1,		/* free for the media modules */
	LOOP_OP_USER2,
	LOOP_OP_USER3,
	__LOOP_OP_MAX
};

#define LOOP_TAG_BITS	4
#define LOOP_TAG_MASK	((1u << LOOP_TAG_BITS) - 1)

struct loop;

/**
 * loop_cb - a completion handler
 * @l: the loop
 * @ptr: the object of the tag
 * @res: cqe->res (a count, or a negative errno)
 * @flags: cqe->flags (IORING_CQE_F_MORE for multishot operations)
 */
typedef void (*loop_cb)(struct loop *l, void *ptr, int res, unsigned int flags);

static inline uint64_t loop_tag(enum loop_op op, const void *ptr)
{
	return (uint64_t)(uintptr_t)ptr | (uint64_t)op;
}

static inline enum loop_op loop_tag_op(uint64_t tag)
{
	return (enum loop_op)(tag & LOOP_TAG_MASK);
}

static inline void *loop_tag_ptr(uint64_t tag)
{
	return (void *)(uintptr_t)(tag & ~(uint64_t)LOOP_TAG_MASK);
}

/**
 * struct loop_timer - a one-shot timer (re-arm it in its callback for a
 *	periodic one)
 * @fn: called on expiry (not when cancelled)
 * @arg: for @fn
 */
struct loop_timer {
	struct __kernel_timespec ts;
	void (*fn)(struct loop_timer *t, void *arg);
	void *arg;
	struct loop *loop;
	bool armed;
	bool cancelled;
} __attribute__((aligned(16)));

struct loop *loop_create(const char *name, int *err);
void loop_destroy(struct loop *l);
const char *loop_name(const struct loop *l);
const char *loop_setup_flags(const struct loop *l);
void loop_on(struct loop *l, enum loop_op op, loop_cb cb);
struct io_uring_sqe *loop_sqe(struct loop *l);
int loop_run(struct loop *l);
int loop_run_once(struct loop *l, unsigned int timeout_ms);
void loop_stop(struct loop *l);
bool loop_stopping(const struct loop *l);
bool loop_is_current(const struct loop *l);

int loop_call(struct loop *l, void (*fn)(void *arg), void *arg);
void loop_drain_calls(struct loop *l);

void loop_timer_arm(struct loop *l, struct loop_timer *t, uint64_t ms);
void loop_timer_cancel(struct loop_timer *t);

void loop_cancel(struct loop *l, enum loop_op op, const void *ptr);

#endif /* TDMXD_LOOP_H */
