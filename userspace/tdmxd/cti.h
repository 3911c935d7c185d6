/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tdmxd CTI socket: what agent desktops, wallboards and CRM connectors
 * speak to the ACD (protocol reference: Documentation/cti.md). JSON lines
 * over a Unix socket and, when configured, TCP, through the jsonl
 * connection layer on the control loop.
 *
 * Every connection starts unauthenticated: its first request must be
 * {"cmd":"auth","token":"..."}. The token found decides the role: agent
 * (may act on its own agent id only, and sees only its own agent's
 * events), supervisor (every agent and queue) or admin (also the reserved
 * test command acd_call). A wrong token gets an error reply after a delay
 * that doubles with each failure on that connection (auth_delay_ms, ×2 per
 * failure, at most ×32), so guessing online is slow; the connection stays
 * usable.
 *
 * cti checks each request (fields, types, role) into a struct cti_req and
 * hands it to a backend (the ACD glue in the daemon, a fake in the tests).
 * Events come from cti_publish(): each gets the next sequence number, is
 * kept in a bounded history (for resync) and pushed to the subscribed
 * connections whose filter it passes. A connection that does not read its
 * events loses them (never the loop's time): once its queue drains it gets
 * one "lost" event naming the gap and the "since" to resync from.
 *
 * Everything runs on the loop's thread.
 */
#ifndef TDMXD_CTI_H
#define TDMXD_CTI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "libtdmx.h"
#include "loop.h"

#define CTI_LINE_MAX		4000	/* longest request line */
#define CTI_NAME_LEN		64	/* agent ids, queue names, token names */
#define CTI_TOKEN_LEN		128	/* longest token secret */
#define CTI_SUB_MAX		32	/* names in one subscription list */
#define CTI_IVR_MAX		16	/* key=value items attached to an injected call */
#define CTI_ERR_LEN		256
#define CTI_DEFAULT_HISTORY	10000
#define CTI_DEFAULT_AUTH_DELAY_MS 250
#define CTI_DEFAULT_OUT_MAX	(256u << 10)
#define CTI_DEFAULT_MAX_CONNS	256

enum cti_role {
	CTI_ROLE_AGENT = 1,
	CTI_ROLE_SUPERVISOR,
	CTI_ROLE_ADMIN,
};

enum cti_cmd {
	CTI_AUTH = 1,		/* token (handled by cti itself) */
	CTI_AGENT_LOGIN,	/* agent */
	CTI_AGENT_LOGOUT,	/* agent */
	CTI_AGENT_READY,	/* agent */
	CTI_AGENT_NOT_READY,	/* agent, reason */
	CTI_AGENT_WRAPUP_DONE,	/* agent */
	CTI_AGENT_STATUS,	/* agent (NULL: all agents the role may see) */
	CTI_QUEUE_STATUS,	/* queue (NULL: all queues) */
	CTI_STATS,		/* queue or agent, window */
	CTI_SUBSCRIBE,		/* handled by cti */
	CTI_UNSUBSCRIBE,	/* handled by cti */
	CTI_RESYNC,		/* since (cti asks the backend for a snapshot) */
	CTI_LISTEN,		/* agent: reserved, answered "not supported" */
	CTI_WHISPER,		/* agent: reserved */
	CTI_BARGE,		/* agent: reserved */
	CTI_ACD_CALL,		/* queue, caller, dialled, priority, ivr: test hook */
	CTI_REASONS,		/* the not-ready reasons of the site */
	__CTI_CMD_MAX
};

/* the rolling windows of "stats" */
enum cti_window {
	CTI_WIN_15M = 1,
	CTI_WIN_1H,
	CTI_WIN_DAY,
};

/**
 * struct cti_token - one configured client credential
 * @name: who (logs, and the agent id of an agent token without @agent)
 * @secret: the token the client presents
 * @role: what it may do
 * @agent: role agent: the agent id it may act on ("" = @name)
 */
struct cti_token {
	char name[CTI_NAME_LEN];
	char secret[CTI_TOKEN_LEN];
	enum cti_role role;
	char agent[CTI_NAME_LEN];
};

/**
 * struct cti_config - how the server behaves
 * @tokens: the credentials (copied)
 * @ntokens: entries in @tokens
 * @history: events kept for resync (0: CTI_DEFAULT_HISTORY)
 * @auth_delay_ms: delay of the first wrong-token reply (0: default)
 * @out_max: queued bytes per connection before its events are dropped
 *	(0: default)
 * @max_conns: connections at once (0: default)
 */
struct cti_config {
	const struct cti_token *tokens;
	unsigned int ntokens;
	unsigned int history;
	unsigned int auth_delay_ms;
	size_t out_max;
	unsigned int max_conns;
};

/**
 * struct cti_req - one checked request
 * @cmd: what
 * @conn: connection id
 * @role: the connection's role
 * @who: its token's name
 * @own_agent: role agent: its agent id (else NULL)
 * @agent: the agent acted on or asked about (agent role: always its own)
 * @queue: queue_status, stats, acd_call: the queue (may be NULL)
 * @reason: not_ready: the reason given as a string, a name or a code in
 *	digits (may be NULL)
 * @reason_code: not_ready: the reason given as a JSON number (-1: not)
 * @window: stats: enum cti_window
 * @since: resync: the last sequence number the client has
 * @caller: acd_call: the caller's number
 * @dialled: acd_call: the number dialled (may be NULL)
 * @priority: acd_call: 0 (normal) and up
 * @ivr: acd_call: "key=value" items collected by the IVR
 * @nivr: entries in @ivr
 *
 * Strings point into the parsed line and live until the backend returns.
 */
struct cti_req {
	enum cti_cmd cmd;
	uint64_t conn;
	enum cti_role role;
	const char *who;
	const char *own_agent;
	const char *agent;
	const char *queue;
	const char *reason;
	int64_t reason_code;
	enum cti_window window;
	uint64_t since;
	const char *caller;
	const char *dialled;
	int64_t priority;
	const char *ivr[CTI_IVR_MAX];
	unsigned int nivr;
};

struct cti_reply;

/**
 * struct cti_backend - what carries requests out
 * @handle: do @q (agent_*, *_status, stats, acd_call); add members to the
 *	reply with cti_reply_json() or fail with cti_reply_error(). Return: 0
 *	or a negative errno (the error code is derived from it)
 * @snapshot: resync: write the current state as members of the open
 *	object (agents, queues, calls) as @q's role may see it. Return: 0 or
 *	a negative errno
 * @priv: for both
 */
struct cti_backend {
	int (*handle)(void *priv, const struct cti_req *q, struct cti_reply *r);
	int (*snapshot)(void *priv, const struct cti_req *q, struct tdmx_json *j);
	void *priv;
};

/**
 * struct cti_event - one event to publish
 * @type: one of the names cti_event_known() accepts ("call_offered", ...)
 * @queue: the queue it concerns, or NULL
 * @agent: the agent it concerns, or NULL
 * @object: its own members as one JSON object text ("{...}"), or NULL
 */
struct cti_event {
	const char *type;
	const char *queue;
	const char *agent;
	const char *object;
};

struct cti;

struct cti *cti_create(struct loop *l, enum loop_op op, const struct cti_config *cfg,
		       const struct cti_backend *be, int *err);
int cti_listen_unix(struct cti *c, const char *path, uid_t uid, gid_t gid);
int cti_listen_tcp(struct cti *c, const char *addr, unsigned int port, unsigned int *bound);
int cti_adopt(struct cti *c, int fd);
void cti_shutdown(struct cti *c);
void cti_destroy(struct cti *c);
unsigned int cti_conns(const struct cti *c);

int64_t cti_publish(struct cti *c, const struct cti_event *ev);
uint64_t cti_seq(const struct cti *c);

struct tdmx_json *cti_reply_json(struct cti_reply *r);
int cti_reply_error(struct cti_reply *r, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

bool cti_event_known(const char *type);
const char *cti_cmd_name(enum cti_cmd cmd);
const char *cti_role_name(enum cti_role role);
int cti_role_parse(const char *s, enum cti_role *role);
const char *cti_error_code(int err);

#endif /* TDMXD_CTI_H */
