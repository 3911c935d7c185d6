/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * CTI internals shared by cti.c (connections, auth, dispatch),
 * cti_parse.c (the command table and request checking) and cti_event.c
 * (history, subscriptions, delivery, resync).
 */
#ifndef TDMXD_CTI_PRIV_H
#define TDMXD_CTI_PRIV_H

#include <stdio.h>

#include "cti.h"
#include "jsonl.h"

/* a set of names; empty = every name */
struct cti_names {
	unsigned int n;
	char name[CTI_SUB_MAX][CTI_NAME_LEN];
};

/**
 * struct cti_sub - a connection's event filter
 * @on: subscribed at all
 * @queues: queues whose events pass (empty: all)
 * @agents: agents whose events pass (empty: all)
 * @events: event types that pass (empty: all)
 */
struct cti_sub {
	bool on;
	struct cti_names queues, agents, events;
};

/**
 * struct cti_client - per-connection state (the jsonl connection's data)
 * @timer: the auth-failure delay; first member, so the client stays
 *	16-byte aligned for it
 * @c: the server
 * @k: the connection, NULL once it closed
 * @tok: the token it authenticated with, or NULL
 * @fails: wrong tokens on this connection
 * @pending: the delayed auth error reply (a whole line), or NULL
 * @sub: its event filter
 * @lost_first: first sequence number dropped since the last "lost" notice
 *	(0: none)
 * @lost_last: the last one
 * @lost_count: how many
 * @next: in the server's list of clients whose connection closed while
 *	their timer was armed (freed when it fires)
 */
struct cti_client {
	struct loop_timer timer;
	struct cti *c;
	struct jsonl_conn *k;
	const struct cti_token *tok;
	unsigned int fails;
	char *pending;
	struct cti_sub sub;
	uint64_t lost_first, lost_last, lost_count;
	struct cti_client *next;
};

/* one event kept for resync */
struct cti_hist {
	uint64_t seq;
	char type[24];
	char queue[CTI_NAME_LEN];
	char agent[CTI_NAME_LEN];
	char *line;		/* with newline */
	size_t len;
};

struct cti {
	struct loop *loop;
	struct jsonl *srv;
	struct cti_backend be;
	struct cti_config cfg;
	struct cti_token *tokens;
	struct cti_hist *hist;	/* ring of cfg.history entries */
	uint64_t seq;		/* the last one given */
	struct cti_client *zombies;
};

struct cti_reply {
	FILE *f;
	char *buf;
	size_t len;
	struct tdmx_json j;
	int err;
	char msg[CTI_ERR_LEN];
};

/**
 * struct cti_args - one request being checked
 * @o: the parsed line
 * @q: what it becomes
 * @cl: who sent it
 * @sub: subscribe: the new filter
 * @err: the error message
 */
struct cti_args {
	const struct tdmx_jobj *o;
	struct cti_req *q;
	struct cti_client *cl;
	struct cti_sub *sub;
	char err[CTI_ERR_LEN];
};

/* cti_parse.c */
int cti_parse(struct cti_args *a, const char *cmd);
bool cti_may(enum cti_role role, enum cti_cmd cmd);

/* cti_event.c */
void cti_deliver(struct cti *c, const struct cti_hist *h);
int cti_replay(struct cti *c, struct cti_client *cl, uint64_t since, bool *gap,
	       unsigned int *count);
void cti_send_lost(struct cti_client *cl);
bool cti_passes(const struct cti_client *cl, const struct cti_hist *h, bool need_sub);
void cti_hist_free(struct cti *c);

#endif /* TDMXD_CTI_PRIV_H */
