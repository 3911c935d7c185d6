/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * jsonl: the connection layer of tdmxd's line-oriented sockets (the CTI
 * socket and the control socket). A server accepts on
 * Unix and TCP listeners, or adopts connected sockets (socketpairs in the
 * tests), splits what each connection sends into lines and hands every
 * line to its owner; the owner queues replies and events with
 * jsonl_send(). It knows nothing about JSON beyond "one message a line".
 *
 * Everything runs on one loop's thread and every wait is an io_uring
 * operation (accept, recv, send). All of a server's operations carry ONE
 * loop op tag, chosen by the owner (jsonl_create()): the tagged pointer is
 * a struct jsonl_io whose kind says accept, recv or send. So several
 * servers can share a loop and op, and jsonl leaves the loop's other ops
 * alone.
 *
 * Output: a connection's bytes go out in order from two buffers (one in
 * flight, one filling). Messages sent "droppable" (events) are refused with
 * -ENOBUFS while the queue holds more than out_max bytes, and the owner's
 * drained() is called once the queue has emptied again, so it can tell
 * the client what it lost. Replies are never dropped; instead a connection
 * whose queue is over out_max is not read (back-pressure) until it drains,
 * so a client that sends requests but never reads cannot grow memory.
 *
 * Input: lines longer than line_max are dropped whole, reported once
 * through too_long(); a NUL byte inside a line is reported the same way
 * as bad input (bad_line()). jsonl_pause() stops handing lines (and
 * reading) until jsonl_resume(): deferred replies, auth delays.
 */
#ifndef TDMXD_JSONL_H
#define TDMXD_JSONL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "loop.h"

#define JSONL_MAX_LISTEN	4
#define JSONL_PEER_LEN		64

struct jsonl;
struct jsonl_conn;

/**
 * struct jsonl_ops - what the owner of a server is told
 * @line: a whole line arrived (NUL-terminated, newline and trailing CR
 *	removed; may be modified); not called while the connection is paused
 * @too_long: a line longer than line_max was dropped (once per line)
 * @bad_line: a line holding a NUL byte was dropped
 * @drained: the output queue emptied after a droppable message was refused
 * @opened: a connection was accepted or adopted (may be NULL)
 * @closed: a connection is going away; no more calls for it (may be NULL)
 * @priv: for all of them
 */
struct jsonl_ops {
	void (*line)(void *priv, struct jsonl_conn *k, char *line);
	void (*too_long)(void *priv, struct jsonl_conn *k);
	void (*bad_line)(void *priv, struct jsonl_conn *k);
	void (*drained)(void *priv, struct jsonl_conn *k);
	void (*opened)(void *priv, struct jsonl_conn *k);
	void (*closed)(void *priv, struct jsonl_conn *k);
	void *priv;
};

/**
 * struct jsonl_limits - per-server limits
 * @line_max: longest line accepted, newline excluded
 * @out_max: queued output bytes above which droppable messages are refused
 *	and the connection is no longer read
 * @max_conns: connections at once; more are refused (closed at once)
 */
struct jsonl_limits {
	size_t line_max;
	size_t out_max;
	unsigned int max_conns;
};

struct jsonl *jsonl_create(struct loop *l, enum loop_op op, const char *name,
			   const struct jsonl_ops *ops, const struct jsonl_limits *lim);
int jsonl_listen_unix(struct jsonl *s, const char *path, uid_t uid, gid_t gid);
int jsonl_listen_tcp(struct jsonl *s, const char *addr, unsigned int port,
		     unsigned int *bound_port);
int jsonl_adopt(struct jsonl *s, int fd, const char *peer);
void jsonl_shutdown(struct jsonl *s);
void jsonl_destroy(struct jsonl *s);
unsigned int jsonl_conns(const struct jsonl *s);
const char *jsonl_name(const struct jsonl *s);

int jsonl_send(struct jsonl_conn *k, const char *msg, size_t n, bool droppable);
void jsonl_pause(struct jsonl_conn *k);
void jsonl_resume(struct jsonl_conn *k);
void jsonl_close(struct jsonl_conn *k);
uint64_t jsonl_conn_id(const struct jsonl_conn *k);
const char *jsonl_conn_peer(const struct jsonl_conn *k);
size_t jsonl_conn_queued(const struct jsonl_conn *k);
void jsonl_conn_set_data(struct jsonl_conn *k, void *data);
void *jsonl_conn_data(const struct jsonl_conn *k);
struct jsonl_conn *jsonl_conn_first(struct jsonl *s);
struct jsonl_conn *jsonl_conn_next(struct jsonl_conn *k);

#endif /* TDMXD_JSONL_H */
