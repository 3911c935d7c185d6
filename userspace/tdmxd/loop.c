// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tdmxd event loop (see loop.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "log.h"
#include "loop.h"

#define LOOP_ENTRIES	256

struct call {
	void (*fn)(void *arg);
	void *arg;
	struct call *next;
};

struct loop {
	struct io_uring ring;
	loop_cb cbs[__LOOP_OP_MAX];
	char name[24];
	const char *flags_name;
	pthread_t thread;
	int wake_fd;
	uint64_t wake_val;
	bool stop;
	pthread_mutex_t lock;
	struct call *calls;
	struct call **calls_tail;
} __attribute__((aligned(16)));

static const struct {
	unsigned int flags;
	const char *name;
} setups[] = {
	{ IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN,
	  "single-issuer,defer-taskrun" },
	{ IORING_SETUP_COOP_TASKRUN, "coop-taskrun" },
	{ 0, "plain" },
};

static void arm_wake(struct loop *l)
{
	struct io_uring_sqe *sqe = loop_sqe(l);

	io_uring_prep_read(sqe, l->wake_fd, &l->wake_val, sizeof(l->wake_val), 0);
	io_uring_sqe_set_data64(sqe, loop_tag(LOOP_OP_WAKE, l));
}

static void run_calls(struct loop *l)
{
	struct call *c, *next;

	pthread_mutex_lock(&l->lock);
	c = l->calls;
	l->calls = NULL;
	l->calls_tail = &l->calls;
	pthread_mutex_unlock(&l->lock);
	for (; c; c = next) {
		next = c->next;
		c->fn(c->arg);
		free(c);
	}
}

static void on_wake(struct loop *l, void *ptr, int res, unsigned int flags)
{
	(void)ptr;
	(void)flags;
	if (res < 0 && res != -EAGAIN && res != -EINTR)
		log_err(l->name, "eventfd read: %s", strerror(-res));
	run_calls(l);
	if (!l->stop)
		arm_wake(l);
}

static void on_timer(struct loop *l, void *ptr, int res, unsigned int flags)
{
	struct loop_timer *t = ptr;

	(void)l;
	(void)flags;
	t->armed = false;
	if (res == -ETIME && !t->cancelled)
		t->fn(t, t->arg);
}

/**
 * loop_create() - create an event loop owned by the calling thread
 * @name: for log messages ("worker0", "control")
 * @err: receives the negative errno on failure
 *
 * Return: the loop, or NULL.
 */
struct loop *loop_create(const char *name, int *err)
{
	struct loop *l;
	unsigned int i;
	int ret = -EINVAL;

	l = aligned_alloc(16, sizeof(*l));
	if (!l) {
		*err = -ENOMEM;
		return NULL;
	}
	memset(l, 0, sizeof(*l));
	snprintf(l->name, sizeof(l->name), "%s", name);
	for (i = 0; i < sizeof(setups) / sizeof(setups[0]); i++) {
		ret = io_uring_queue_init(LOOP_ENTRIES, &l->ring, setups[i].flags);
		if (!ret) {
			l->flags_name = setups[i].name;
			break;
		}
	}
	if (ret)
		goto err_ring;
	l->wake_fd = eventfd(0, EFD_CLOEXEC);
	if (l->wake_fd < 0) {
		ret = -errno;
		goto err_eventfd;
	}
	pthread_mutex_init(&l->lock, NULL);
	l->calls_tail = &l->calls;
	l->thread = pthread_self();
	l->cbs[LOOP_OP_WAKE] = on_wake;
	l->cbs[LOOP_OP_TIMER] = on_timer;
	arm_wake(l);
	return l;

err_eventfd:
	io_uring_queue_exit(&l->ring);
err_ring:
	free(l);
	*err = ret;
	return NULL;
}

/* free the loop; objects with operations still in flight must be gone */
void loop_destroy(struct loop *l)
{
	struct call *c, *next;

	if (!l)
		return;
	io_uring_queue_exit(&l->ring);
	close(l->wake_fd);
	for (c = l->calls; c; c = next) {
		next = c->next;
		free(c);
	}
	pthread_mutex_destroy(&l->lock);
	free(l);
}

const char *loop_name(const struct loop *l)
{
	return l->name;
}

/* which IORING_SETUP_* flags the ring got */
const char *loop_setup_flags(const struct loop *l)
{
	return l->flags_name;
}

/* handle completions of type @op with @cb */
void loop_on(struct loop *l, enum loop_op op, loop_cb cb)
{
	l->cbs[op] = cb;
}

/* Return: a submission queue entry (submitting queued ones to make room). */
struct io_uring_sqe *loop_sqe(struct loop *l)
{
	struct io_uring_sqe *sqe;

	while (!(sqe = io_uring_get_sqe(&l->ring)))
		io_uring_submit(&l->ring);
	return sqe;
}

static void dispatch(struct loop *l, const struct io_uring_cqe *cqe)
{
	enum loop_op op = loop_tag_op(cqe->user_data);
	loop_cb cb = op < __LOOP_OP_MAX ? l->cbs[op] : NULL;

	if (op == LOOP_OP_IGNORE)
		return;
	if (!cb) {
		log_err(l->name, "completion of operation %u with no handler (res %d)", op, cqe->res);
		return;
	}
	cb(l, loop_tag_ptr(cqe->user_data), cqe->res, cqe->flags);
}

/**
 * loop_run() - submit, wait and dispatch until loop_stop()
 * @l: the loop (on its own thread)
 *
 * Return: 0 after loop_stop(), or the negative errno of io_uring_enter.
 */
int loop_run(struct loop *l)
{
	struct io_uring_cqe *cqe;
	unsigned int head, n;
	int ret;

	while (!__atomic_load_n(&l->stop, __ATOMIC_ACQUIRE)) {
		ret = io_uring_submit_and_wait(&l->ring, 1);
		if (ret < 0 && ret != -EINTR && ret != -ETIME && ret != -EAGAIN && ret != -EBUSY) {
			log_err(l->name, "io_uring_enter: %s", strerror(-ret));
			return ret;
		}
		n = 0;
		io_uring_for_each_cqe(&l->ring, head, cqe) {
			dispatch(l, cqe);
			n++;
		}
		io_uring_cq_advance(&l->ring, n);
	}
	return 0;
}

/* run the queued loop_call()s now (after loop_run() returned, at shutdown) */
void loop_drain_calls(struct loop *l)
{
	run_calls(l);
}

/**
 * loop_run_once() - submit, wait up to @timeout_ms for a completion, and
 *	dispatch what came (tests drive a loop with it)
 * @l: the loop (on its own thread)
 * @timeout_ms: how long to wait
 *
 * Return: completions dispatched, or a negative errno.
 */
int loop_run_once(struct loop *l, unsigned int timeout_ms)
{
	struct __kernel_timespec ts = {
		.tv_sec = timeout_ms / 1000,
		.tv_nsec = (long long)(timeout_ms % 1000) * 1000000,
	};
	struct io_uring_cqe *cqe;
	unsigned int head, n = 0;
	int ret;

	ret = io_uring_submit_and_wait_timeout(&l->ring, &cqe, 1, &ts, NULL);
	if (ret < 0 && ret != -ETIME && ret != -EINTR)
		return ret;
	io_uring_for_each_cqe(&l->ring, head, cqe) {
		dispatch(l, cqe);
		n++;
	}
	io_uring_cq_advance(&l->ring, n);
	return (int)n;
}

static void stop_call(void *arg)
{
	struct loop *l = arg;

	__atomic_store_n(&l->stop, true, __ATOMIC_RELEASE);
}

/* make loop_run() return (from any thread) */
void loop_stop(struct loop *l)
{
	if (loop_is_current(l))
		stop_call(l);
	else if (loop_call(l, stop_call, l))
		__atomic_store_n(&l->stop, true, __ATOMIC_RELEASE);
}

bool loop_stopping(const struct loop *l)
{
	return __atomic_load_n(&l->stop, __ATOMIC_ACQUIRE);
}

bool loop_is_current(const struct loop *l)
{
	return pthread_equal(l->thread, pthread_self());
}

/**
 * loop_call() - run @fn(@arg) on @l's thread, soon (from any thread)
 * @l: the loop
 * @fn: the function
 * @arg: its argument
 *
 * Calls run in the order they were queued.
 *
 * Return: 0 or -ENOMEM.
 */
int loop_call(struct loop *l, void (*fn)(void *arg), void *arg)
{
	struct call *c = malloc(sizeof(*c));
	uint64_t one = 1;

	if (!c)
		return -ENOMEM;
	c->fn = fn;
	c->arg = arg;
	c->next = NULL;
	pthread_mutex_lock(&l->lock);
	*l->calls_tail = c;
	l->calls_tail = &c->next;
	pthread_mutex_unlock(&l->lock);
	if (write(l->wake_fd, &one, sizeof(one)) < 0)
		log_err(l->name, "eventfd write: %s", strerror(errno));
	return 0;
}

/**
 * loop_timer_arm() - fire @t once, @ms milliseconds from now (relative to
 *	CLOCK_MONOTONIC); re-arming an armed timer is not allowed
 * @l: the loop
 * @t: the timer, with @t->fn set
 * @ms: delay
 */
void loop_timer_arm(struct loop *l, struct loop_timer *t, uint64_t ms)
{
	struct io_uring_sqe *sqe = loop_sqe(l);

	t->loop = l;
	t->ts.tv_sec = (long long)(ms / 1000);
	t->ts.tv_nsec = (long long)(ms % 1000) * 1000000;
	t->armed = true;
	t->cancelled = false;
	io_uring_prep_timeout(sqe, &t->ts, 0, 0);
	io_uring_sqe_set_data64(sqe, loop_tag(LOOP_OP_TIMER, t));
}

/* stop an armed timer; its memory must stay until the loop ends */
void loop_timer_cancel(struct loop_timer *t)
{
	struct io_uring_sqe *sqe;

	if (!t->armed || t->cancelled)
		return;
	t->cancelled = true;
	sqe = loop_sqe(t->loop);
	io_uring_prep_timeout_remove(sqe, loop_tag(LOOP_OP_TIMER, t), 0);
	io_uring_sqe_set_data64(sqe, loop_tag(LOOP_OP_IGNORE, NULL));
}

/* cancel the operation(s) tagged (@op, @ptr); they complete -ECANCELED */
void loop_cancel(struct loop *l, enum loop_op op, const void *ptr)
{
	struct io_uring_sqe *sqe = loop_sqe(l);

	io_uring_prep_cancel64(sqe, loop_tag(op, ptr), IORING_ASYNC_CANCEL_ALL);
	io_uring_sqe_set_data64(sqe, loop_tag(LOOP_OP_IGNORE, NULL));
}
