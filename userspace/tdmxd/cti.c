// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * CTI server (see cti.h): per-connection state on top of jsonl,
 * authentication with its failure delay, request dispatch and replies.
 * Request checking is in cti_parse.c, events in cti_event.c.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cti_priv.h"
#include "jreq.h"
#include "log.h"

#define AUTH_DELAY_MAX_SHIFT	5	/* the delay stops doubling at ×32 */

/* --------------------------------------------------------------- names */

static const char *const role_names[] = {
	[CTI_ROLE_AGENT] = "agent",
	[CTI_ROLE_SUPERVISOR] = "supervisor",
	[CTI_ROLE_ADMIN] = "admin",
};

const char *cti_role_name(enum cti_role role)
{
	return role >= CTI_ROLE_AGENT && role <= CTI_ROLE_ADMIN ? role_names[role] : "none";
}

int cti_role_parse(const char *s, enum cti_role *role)
{
	unsigned int i;

	for (i = CTI_ROLE_AGENT; i <= CTI_ROLE_ADMIN; i++) {
		if (!strcmp(role_names[i], s)) {
			*role = (enum cti_role)i;
			return 0;
		}
	}
	return -EINVAL;
}

/**
 * cti_error_code() - the protocol's error code for a negative errno (the
 *	"code" member of error replies; Documentation/cti.md lists them)
 * @err: negative errno
 *
 * Return: a static string.
 */
const char *cti_error_code(int err)
{
	switch (-err) {
	case EINVAL:
		return "bad_request";
	case ENOENT:
		return "not_found";
	case EPERM:
		return "forbidden";
	case EACCES:
		return "not_authenticated";
	case EEXIST:
	case EALREADY:
		return "conflict";
	case EBUSY:
		return "busy";
	case EOPNOTSUPP:
		return "not_supported";
	case ENOSPC:
	case ENOBUFS:
		return "full";
	case EAGAIN:
		return "try_again";
	default:
		return "failed";
	}
}

/* ------------------------------------------------------------- replies */

struct tdmx_json *cti_reply_json(struct cti_reply *r)
{
	return &r->j;
}

/**
 * cti_reply_error() - make the reply an error
 * @r: the reply
 * @err: negative errno (-EINVAL if 0); it gives the error code
 * @fmt: message
 *
 * Return: @err, for "return cti_reply_error(r, -ENOENT, ...)".
 */
int cti_reply_error(struct cti_reply *r, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->msg, sizeof(r->msg), fmt, ap);
	va_end(ap);
	r->err = err ? err : -EINVAL;
	return r->err;
}

/* {"ok":false,"id":..,"code":..,"error":..} as a line, or NULL */
static char *error_text(const struct tdmx_jval *id, const char *code, const char *msg,
			size_t *len)
{
	struct tdmx_json j;
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	if (!f)
		return NULL;
	tdmx_json_init(&j, f, false);
	tdmx_json_obj_open(&j, NULL);
	tdmx_json_bool(&j, "ok", false);
	jreq_echo_id(&j, id);
	tdmx_json_str(&j, "code", code);
	tdmx_json_str(&j, "error", msg);
	tdmx_json_obj_close(&j);
	fputc('\n', f);
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}

static void error_line(struct cti_client *cl, const struct tdmx_jval *id, const char *code,
		       const char *msg)
{
	size_t len;
	char *buf = error_text(id, code, msg, &len);

	if (buf)
		jsonl_send(cl->k, buf, len, false);
	free(buf);
}

static int reply_open(struct cti_reply *r, const struct tdmx_jval *id)
{
	memset(r, 0, sizeof(*r));
	r->f = open_memstream(&r->buf, &r->len);
	if (!r->f)
		return -ENOMEM;
	tdmx_json_init(&r->j, r->f, false);
	tdmx_json_obj_open(&r->j, NULL);
	tdmx_json_bool(&r->j, "ok", true);
	jreq_echo_id(&r->j, id);
	return 0;
}

/* send the reply, or the error it turned into */
static void reply_finish(struct cti_client *cl, struct cti_reply *r, int ret,
			 const struct tdmx_jval *id, const char *cmd)
{
	if (ret >= 0 && !r->err) {
		tdmx_json_obj_close(&r->j);
		fputc('\n', r->f);
		if (!fclose(r->f))
			jsonl_send(cl->k, r->buf, r->len, false);
		free(r->buf);
		return;
	}
	fclose(r->f);
	free(r->buf);
	ret = ret < 0 ? ret : r->err;
	log_info("cti", "conn%llu: %s: %s", (unsigned long long)jsonl_conn_id(cl->k), cmd,
		 r->msg[0] ? r->msg : strerror(-ret));
	error_line(cl, id, cti_error_code(ret), r->msg[0] ? r->msg : strerror(-ret));
}

/* ---------------------------------------------------------------- auth */

/* compare every byte whatever the input, so the time taken tells nothing */
static bool token_eq(const char *given, const char secret[CTI_TOKEN_LEN])
{
	size_t n = strnlen(given, CTI_TOKEN_LEN), i;
	unsigned char diff = n >= CTI_TOKEN_LEN;

	for (i = 0; i < CTI_TOKEN_LEN; i++)
		diff |= (unsigned char)(i < n ? given[i] : 0) ^ (unsigned char)secret[i];
	return !diff;
}

static const struct cti_token *find_token(const struct cti *c, const char *given)
{
	const struct cti_token *found = NULL;
	unsigned int i;

	for (i = 0; i < c->cfg.ntokens; i++)
		if (token_eq(given, c->tokens[i].secret) && !found)
			found = &c->tokens[i];
	return found;
}

static void client_free(struct cti_client *cl)
{
	free(cl->pending);
	free(cl);
}

/* the auth delay is over: send the error reply and read on */
static void auth_delay_done(struct loop_timer *t, void *arg)
{
	struct cti_client *cl = arg, **pp;

	(void)t;
	if (!cl->k) {
		/* the connection closed meanwhile: only the memory is left */
		for (pp = &cl->c->zombies; *pp; pp = &(*pp)->next) {
			if (*pp == cl) {
				*pp = cl->next;
				break;
			}
		}
		client_free(cl);
		return;
	}
	if (cl->pending) {
		jsonl_send(cl->k, cl->pending, strlen(cl->pending), false);
		free(cl->pending);
		cl->pending = NULL;
	}
	jsonl_resume(cl->k);
}

static void do_auth(struct cti_client *cl, const struct tdmx_jobj *o, const struct tdmx_jval *id)
{
	const char *given = tdmx_jobj_get(o, "token")->s;
	struct cti *c = cl->c;
	struct cti_reply r;
	unsigned int shift;
	size_t len;

	cl->tok = find_token(c, given);
	if (cl->tok) {
		cl->fails = 0;
		if (reply_open(&r, id))
			return error_line(cl, id, "failed", "out of memory");
		tdmx_json_str(&r.j, "name", cl->tok->name);
		tdmx_json_str(&r.j, "role", cti_role_name(cl->tok->role));
		if (cl->tok->role == CTI_ROLE_AGENT)
			tdmx_json_str(&r.j, "agent", cl->tok->agent);
		tdmx_json_uint(&r.j, "seq", c->seq);
		log_info("cti", "conn%llu (%s): authenticated as %s (%s)",
			 (unsigned long long)jsonl_conn_id(cl->k), jsonl_conn_peer(cl->k),
			 cl->tok->name, cti_role_name(cl->tok->role));
		return reply_finish(cl, &r, 0, id, "auth");
	}
	/* wrong: a failed auth also ends an earlier one; answer after a delay */
	cl->sub.on = false;
	cl->fails++;
	log_warn("cti", "conn%llu (%s): wrong token (%u on this connection)",
		 (unsigned long long)jsonl_conn_id(cl->k), jsonl_conn_peer(cl->k), cl->fails);
	free(cl->pending);
	cl->pending = error_text(id, "auth_failed", "wrong token", &len);
	shift = cl->fails - 1 < AUTH_DELAY_MAX_SHIFT ? cl->fails - 1 : AUTH_DELAY_MAX_SHIFT;
	jsonl_pause(cl->k);
	cl->timer.fn = auth_delay_done;
	cl->timer.arg = cl;
	loop_timer_arm(c->loop, &cl->timer, (uint64_t)c->cfg.auth_delay_ms << shift);
}

/* ------------------------------------------------------------ dispatch */

static void do_resync(struct cti_client *cl, struct cti_req *q, const struct tdmx_jval *id)
{
	struct cti *c = cl->c;
	struct cti_reply r;
	unsigned int count;
	bool gap;
	int ret;

	if (q->since > c->seq)
		return error_line(cl, id, "bad_request",
				  "field 'since' is ahead of the last event");
	if (reply_open(&r, id))
		return error_line(cl, id, "failed", "out of memory");
	tdmx_json_uint(&r.j, "seq", c->seq);
	gap = q->since + c->cfg.history < c->seq;
	tdmx_json_bool(&r.j, "gap", gap);
	tdmx_json_obj_open(&r.j, "snapshot");
	ret = c->be.snapshot(c->be.priv, q, &r.j);
	tdmx_json_obj_close(&r.j);
	reply_finish(cl, &r, ret, id, "resync");
	if (ret >= 0 && !r.err)
		cti_replay(c, cl, q->since, &gap, &count);
}

static void do_command(struct cti_client *cl, struct cti_args *a, const struct tdmx_jval *id)
{
	struct cti *c = cl->c;
	struct cti_req *q = a->q;
	struct cti_reply r;
	int ret;

	switch (q->cmd) {
	case CTI_AUTH:
		return do_auth(cl, a->o, id);
	case CTI_SUBSCRIBE:
	case CTI_UNSUBSCRIBE:
		if (q->cmd == CTI_SUBSCRIBE)
			cl->sub = *a->sub;
		else
			cl->sub.on = false;
		if (reply_open(&r, id))
			return error_line(cl, id, "failed", "out of memory");
		tdmx_json_uint(&r.j, "seq", c->seq);
		return reply_finish(cl, &r, 0, id, cti_cmd_name(q->cmd));
	case CTI_RESYNC:
		return do_resync(cl, q, id);
	case CTI_LISTEN:
	case CTI_WHISPER:
	case CTI_BARGE:
		return error_line(cl, id, "not_supported",
				  "reserved: supervisor media commands come with a later issue");
	default:
		break;
	}
	if (reply_open(&r, id))
		return error_line(cl, id, "failed", "out of memory");
	ret = c->be.handle(c->be.priv, q, &r);
	reply_finish(cl, &r, ret, id, cti_cmd_name(q->cmd));
}

static const char *parse_code(int err)
{
	switch (-err) {
	case ENOENT:
		return "unknown_command";
	case EACCES:
		return "not_authenticated";
	case EPERM:
		return "forbidden";
	default:
		return "bad_request";
	}
}

static void dispatch(struct cti_client *cl, const struct tdmx_jobj *o)
{
	const struct tdmx_jval *id = tdmx_jobj_get(o, "id"), *cv;
	struct cti_req q = { .conn = jsonl_conn_id(cl->k) };
	struct cti_sub sub;
	struct cti_args a = { .o = o, .q = &q, .cl = cl, .sub = &sub };
	int ret;

	if (id && id->type != TDMX_J_INT && id->type != TDMX_J_STRING)
		return error_line(cl, NULL, "bad_request", "field 'id' must be an integer or a string");
	cv = tdmx_jobj_get(o, "cmd");
	if (!cv || cv->type != TDMX_J_STRING)
		return error_line(cl, id, "bad_request",
				  cv ? "field 'cmd' must be a string" : "missing field 'cmd'");
	if (cl->tok) {
		q.role = cl->tok->role;
		q.who = cl->tok->name;
		q.own_agent = cl->tok->role == CTI_ROLE_AGENT ? cl->tok->agent : NULL;
	}
	ret = cti_parse(&a, cv->s);
	if (ret)
		return error_line(cl, id, parse_code(ret), a.err);
	do_command(cl, &a, id);
}

/* -------------------------------------------------------- jsonl events */

static void on_line(void *priv, struct jsonl_conn *k, char *line)
{
	struct cti_client *cl = jsonl_conn_data(k);
	char err[CTI_ERR_LEN], msg[CTI_ERR_LEN + 16];
	struct tdmx_jobj *o;

	(void)priv;
	while (*line == ' ' || *line == '\t')
		line++;
	if (!*line)
		return;		/* empty lines are keep-alives */
	o = malloc(sizeof(*o));
	if (!o)
		return error_line(cl, NULL, "failed", "out of memory");
	if (tdmx_jobj_parse(o, line, err, sizeof(err))) {
		snprintf(msg, sizeof(msg), "bad JSON: %s", err);
		error_line(cl, NULL, "bad_json", msg);
	} else {
		dispatch(cl, o);
	}
	free(o);
}

static void on_too_long(void *priv, struct jsonl_conn *k)
{
	char msg[64];

	(void)priv;
	snprintf(msg, sizeof(msg), "line longer than %u bytes: dropped", CTI_LINE_MAX);
	error_line(jsonl_conn_data(k), NULL, "line_too_long", msg);
}

static void on_bad_line(void *priv, struct jsonl_conn *k)
{
	(void)priv;
	error_line(jsonl_conn_data(k), NULL, "bad_json", "bad JSON: NUL byte in the line");
}

static void on_drained(void *priv, struct jsonl_conn *k)
{
	(void)priv;
	cti_send_lost(jsonl_conn_data(k));
}

static void on_opened(void *priv, struct jsonl_conn *k)
{
	struct cti *c = priv;
	struct cti_client *cl = aligned_alloc(16, sizeof(*cl));

	if (!cl) {
		jsonl_close(k);
		return;
	}
	memset(cl, 0, sizeof(*cl));
	cl->c = c;
	cl->k = k;
	jsonl_conn_set_data(k, cl);
}

static void on_closed(void *priv, struct jsonl_conn *k)
{
	struct cti *c = priv;
	struct cti_client *cl = jsonl_conn_data(k);

	if (!cl)
		return;
	jsonl_conn_set_data(k, NULL);
	cl->k = NULL;
	if (cl->timer.armed) {
		/* its timer completion still points at it */
		cl->next = c->zombies;
		c->zombies = cl;
		return;
	}
	client_free(cl);
}

/* -------------------------------------------------------------- server */

static int copy_tokens(struct cti *c, const struct cti_config *cfg)
{
	unsigned int i;

	c->tokens = calloc(cfg->ntokens ? cfg->ntokens : 1, sizeof(*c->tokens));
	if (!c->tokens)
		return -ENOMEM;
	for (i = 0; i < cfg->ntokens; i++) {
		const struct cti_token *t = &cfg->tokens[i];

		/* zero-padded: token_eq() compares all CTI_TOKEN_LEN bytes */
		if (!t->secret[0] || !t->name[0] || !memchr(t->secret, 0, CTI_TOKEN_LEN) ||
		    t->role < CTI_ROLE_AGENT || t->role > CTI_ROLE_ADMIN)
			return -EINVAL;
		snprintf(c->tokens[i].name, CTI_NAME_LEN, "%s", t->name);
		memcpy(c->tokens[i].secret, t->secret, strlen(t->secret));
		c->tokens[i].role = t->role;
		snprintf(c->tokens[i].agent, CTI_NAME_LEN, "%s", t->agent[0] ? t->agent : t->name);
	}
	return 0;
}

/**
 * cti_create() - a CTI server on loop @l (its thread only)
 * @l: the loop
 * @op: the loop op its socket operations use (see jsonl.h)
 * @cfg: tokens and limits (copied)
 * @be: the backend (copied)
 * @err: receives the negative errno on failure (-EINVAL: a token without
 *	name or secret, or with a bad role)
 *
 * Return: the server, or NULL.
 */
struct cti *cti_create(struct loop *l, enum loop_op op, const struct cti_config *cfg,
		       const struct cti_backend *be, int *err)
{
	struct jsonl_ops ops = {
		.line = on_line, .too_long = on_too_long, .bad_line = on_bad_line,
		.drained = on_drained, .opened = on_opened, .closed = on_closed,
	};
	struct jsonl_limits lim = { .line_max = CTI_LINE_MAX };
	struct cti *c = calloc(1, sizeof(*c));
	int ret = -ENOMEM;

	if (!c)
		goto err;
	c->loop = l;
	c->be = *be;
	c->cfg = *cfg;
	c->cfg.tokens = NULL;
	if (!c->cfg.history)
		c->cfg.history = CTI_DEFAULT_HISTORY;
	if (!c->cfg.auth_delay_ms)
		c->cfg.auth_delay_ms = CTI_DEFAULT_AUTH_DELAY_MS;
	if (!c->cfg.out_max)
		c->cfg.out_max = CTI_DEFAULT_OUT_MAX;
	if (!c->cfg.max_conns)
		c->cfg.max_conns = CTI_DEFAULT_MAX_CONNS;
	ret = copy_tokens(c, cfg);
	if (ret)
		goto err_free;
	ret = -ENOMEM;
	c->hist = calloc(c->cfg.history, sizeof(*c->hist));
	if (!c->hist)
		goto err_free;
	ops.priv = c;
	lim.out_max = c->cfg.out_max;
	lim.max_conns = c->cfg.max_conns;
	c->srv = jsonl_create(l, op, "cti", &ops, &lim);
	if (!c->srv)
		goto err_free;
	return c;

err_free:
	cti_hist_free(c);
	free(c->tokens);
	free(c);
err:
	*err = ret;
	return NULL;
}

int cti_listen_unix(struct cti *c, const char *path, uid_t uid, gid_t gid)
{
	return jsonl_listen_unix(c->srv, path, uid, gid);
}

int cti_listen_tcp(struct cti *c, const char *addr, unsigned int port, unsigned int *bound)
{
	return jsonl_listen_tcp(c->srv, addr, port, bound);
}

/* serve a connected socket (tests: one end of a socketpair); closes @fd on failure */
int cti_adopt(struct cti *c, int fd)
{
	return jsonl_adopt(c->srv, fd, "adopted");
}

/* stop accepting and close every connection (on the loop's thread) */
void cti_shutdown(struct cti *c)
{
	jsonl_shutdown(c->srv);
}

/* free everything; the loop must be gone (nothing in flight) */
void cti_destroy(struct cti *c)
{
	struct cti_client *cl, *next;

	if (!c)
		return;
	jsonl_destroy(c->srv);
	for (cl = c->zombies; cl; cl = next) {
		next = cl->next;
		client_free(cl);
	}
	cti_hist_free(c);
	free(c->tokens);
	free(c);
}

unsigned int cti_conns(const struct cti *c)
{
	return jsonl_conns(c->srv);
}
