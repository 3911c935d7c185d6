// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tdmxd control socket (see ctl.h): connections on the control loop,
 * requests parsed with libtdmx's flat JSON line parser, checked against a
 * table of commands, and handed to the backend.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "ctl.h"
#include "log.h"

#define CTL_RECV_CHUNK	(CTL_LINE_MAX + 2)

struct ctl_conn {
	char in[CTL_RECV_CHUNK];	/* first: recv target */
	struct ctl *ctl;
	struct ctl_conn *next;
	int fd;
	uint64_t id;
	size_t inlen;
	bool discard;			/* in a line that was too long */
	char *out;			/* being sent: not touched while in flight */
	size_t outlen, outcap;
	char *pend;			/* queued behind @out */
	size_t pendlen, pendcap;
	bool recv_busy;
	bool send_busy;
	bool closing;
	bool eof;			/* the peer finished sending */
	bool waiting;			/* for a deferred reply */
	uint64_t dropped;		/* events dropped: output queue full */
	uint32_t dtmf[MEDIA_MAX_SPANS + 1];	/* subscribed timeslots per span */
	uint32_t progress[MEDIA_MAX_SPANS + 1];	/* the same for call progress */
} __attribute__((aligned(16)));

struct ctl {
	struct loop *loop;
	struct ctl_backend be;
	int lfd;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	bool accept_busy;
	bool down;
	struct ctl_conn *conns;
	unsigned int nconns;
	uint64_t next_id;
} __attribute__((aligned(16)));

struct ctl_defer {
	struct ctl *ctl;
	uint64_t conn;
	char id[80];		/* the request's "id" member, as JSON, or "" */
	char cmd[24];
	int err;
	char *msg;
	char *members;
};

struct ctl_reply {
	struct ctl *ctl;
	uint64_t conn;
	const struct tdmx_jval *id;
	const char *cmd;
	struct ctl_defer *defer;
	FILE *f;
	char *buf;
	size_t len;
	struct tdmx_json j;
	int err;
	char msg[CTL_ERR_LEN];
};

/* ------------------------------------------------------------- ports */

/**
 * ctl_port_parse() - "SPAN/TS" (span 1..MEDIA_MAX_SPANS, timeslot 1..31)
 * @s: text
 * @p: result
 *
 * Return: 0 or -EINVAL.
 */
int ctl_port_parse(const char *s, media_port *p)
{
	unsigned long span, ts;
	char *end;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	span = strtoul(s, &end, 10);
	if (*end != '/' || end[1] < '0' || end[1] > '9')
		return -EINVAL;
	ts = strtoul(end + 1, &end, 10);
	if (*end || span < 1 || span > MEDIA_MAX_SPANS || ts < 1 || ts >= MEDIA_SPAN_TS)
		return -EINVAL;
	*p = media_port_of((unsigned int)span, (unsigned int)ts);
	return 0;
}

const char *ctl_port_text(char buf[16], media_port p)
{
	snprintf(buf, 16, "%u/%u", media_port_span(p), media_port_ts(p));
	return buf;
}

/* ---------------------------------------------------- request checking */

struct args {
	const struct tdmx_jobj *o;
	struct ctl_req *q;
	char *err;
};

static int bad(struct args *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int bad(struct args *a, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(a->err, CTL_ERR_LEN, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static const struct tdmx_jval *need(struct args *a, const char *key, enum tdmx_jtype type,
				    bool required, int *ret)
{
	static const char *const names[] = {
		[TDMX_J_NULL] = "null", [TDMX_J_BOOL] = "true or false",
		[TDMX_J_INT] = "an integer", [TDMX_J_REAL] = "a number",
		[TDMX_J_STRING] = "a string", [TDMX_J_ARRAY] = "an array",
	};
	const struct tdmx_jval *v = tdmx_jobj_get(a->o, key);

	*ret = 0;
	if (!v) {
		if (required)
			*ret = bad(a, "missing field '%s'", key);
		return NULL;
	}
	if (v->type != type) {
		*ret = bad(a, "field '%s' must be %s", key, names[type]);
		return NULL;
	}
	return v;
}

static int port(struct args *a, const char *key, bool required, media_port *p)
{
	const struct tdmx_jval *v;
	int ret;

	v = need(a, key, TDMX_J_STRING, required, &ret);
	if (!v)
		return ret;
	if (ctl_port_parse(v->s, p))
		return bad(a, "field '%s': '%s' is not a port \"SPAN/TS\" (span 1-%u, timeslot 1-%u)",
			   key, v->s, MEDIA_MAX_SPANS, MEDIA_SPAN_TS - 1);
	return 0;
}

static int str(struct args *a, const char *key, bool required, const char **s)
{
	const struct tdmx_jval *v;
	int ret;

	v = need(a, key, TDMX_J_STRING, required, &ret);
	if (!v)
		return ret;
	if (!v->s[0])
		return bad(a, "field '%s' must not be empty", key);
	*s = v->s;
	return 0;
}

static int flag(struct args *a, const char *key, bool *b)
{
	const struct tdmx_jval *v;
	int ret;

	v = need(a, key, TDMX_J_BOOL, false, &ret);
	if (v)
		*b = v->b;
	return ret;
}

/* @key: one of @words (NULL-terminated), value 1 + its index */
static int word(struct args *a, const char *key, bool required, const char *const *words,
		unsigned int *out)
{
	const char *s = NULL;
	char list[128] = "";
	unsigned int i;
	int ret;

	ret = str(a, key, required, &s);
	if (ret || !s)
		return ret;
	for (i = 0; words[i]; i++) {
		if (!strcmp(words[i], s)) {
			*out = i + 1;
			return 0;
		}
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
			 i ? (words[i + 1] ? ", " : " or ") : "", words[i]);
	}
	return bad(a, "field '%s' must be %s, not '%s'", key, list, s);
}

static const char *const conf_modes[] = { "talk", "listen", NULL };
static const char *const sup_modes[] = { "none", "listen", "whisper", "barge", NULL };

static int p_none(struct args *a)
{
	(void)a;
	return 0;
}

static int p_port(struct args *a)
{
	return port(a, "port", true, &a->q->a);
}

static int p_bridge(struct args *a)
{
	int ret = port(a, "a", true, &a->q->a);

	if (!ret)
		ret = port(a, "b", true, &a->q->b);
	if (!ret && a->q->a == a->q->b)
		ret = bad(a, "a port cannot be bridged to itself");
	return ret;
}

static int p_unbridge(struct args *a)
{
	if (tdmx_jobj_get(a->o, "a"))
		return port(a, "a", true, &a->q->a);
	return port(a, "port", true, &a->q->a);
}

static int p_conf_join(struct args *a)
{
	int ret = str(a, "conf", true, &a->q->conf);

	if (!ret)
		ret = port(a, "port", true, &a->q->a);
	a->q->mode = CTL_CONF_TALK;
	if (!ret)
		ret = word(a, "mode", false, conf_modes, &a->q->mode);
	return ret;
}

static int p_conf_mode(struct args *a)
{
	int ret = port(a, "port", true, &a->q->a);

	if (!ret)
		ret = word(a, "mode", true, conf_modes, &a->q->mode);
	return ret;
}

static int p_supervise(struct args *a)
{
	int ret = port(a, "supervisor", true, &a->q->a);

	if (!ret)
		ret = port(a, "agent", true, &a->q->b);
	if (!ret)
		ret = word(a, "mode", true, sup_modes, &a->q->mode);
	if (!ret && a->q->a == a->q->b)
		ret = bad(a, "the supervisor cannot supervise itself");
	return ret;
}

static int p_play(struct args *a)
{
	const struct tdmx_jval *v = tdmx_jobj_get(a->o, "prompt");
	struct ctl_req *q = a->q;
	unsigned int i;
	int ret;

	ret = port(a, "port", true, &q->a);
	if (ret)
		return ret;
	if (v && v->type == TDMX_J_ARRAY) {
		if (!v->n || v->n > CTL_MAX_PROMPTS)
			return bad(a, "field 'prompt' must list 1 to %u prompts", CTL_MAX_PROMPTS);
		for (i = 0; i < v->n; i++) {
			if (v->items[i].type != TDMX_J_STRING || !v->items[i].s[0])
				return bad(a, "field 'prompt': item %u is not a prompt name", i + 1);
			q->prompts[q->nprompts++] = v->items[i].s;
		}
	} else if (v) {
		ret = str(a, "prompt", true, &q->prompts[0]);
		if (ret)
			return ret;
		q->nprompts = 1;
	}
	ret = str(a, "tone", false, &q->tone);
	if (ret)
		return ret;
	if (!q->nprompts == !q->tone)
		return bad(a, "play needs either 'prompt' or 'tone'");
	ret = flag(a, "loop", &q->loop);
	if (!ret)
		ret = flag(a, "bargein", &q->bargein);
	return ret;
}

static int p_tone(struct args *a)
{
	int ret = port(a, "port", true, &a->q->a);

	if (!ret)
		ret = str(a, "tone", true, &a->q->tone);
	return ret;
}

/* a recording id: 1-63 characters of [A-Za-z0-9._-] (it names a file) */
static int get_rec_id(struct args *a, bool required)
{
	const char *s = NULL, *p;
	int ret;

	ret = str(a, "rec", required, &s);
	if (ret || !s)
		return ret;
	for (p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' || *p == '-'))
			break;
	if (*p || p - s > 63 || *s == '.')
		return bad(a, "field 'rec': '%s' is not a recording id (1-63 of A-Z a-z 0-9 . _ -)", s);
	a->q->rec = s;
	return 0;
}

static int p_record_start(struct args *a)
{
	static const char *const formats[] = { "stereo", "mono", NULL };
	static const char *const encodings[] = { "law", "pcm16", NULL };
	unsigned int fmt = 1, enc = 1;
	struct ctl_req *q = a->q;
	int ret;

	ret = str(a, "conf", false, &q->conf);
	if (!ret)
		ret = port(a, "a", !q->conf, &q->a);
	if (!ret)
		ret = port(a, "b", false, &q->b);
	if (!ret)
		ret = word(a, "format", false, formats, &fmt);
	if (!ret)
		ret = word(a, "encoding", false, encodings, &enc);
	if (!ret)
		ret = str(a, "call", false, &q->call);
	if (!ret)
		ret = get_rec_id(a, false);
	if (ret)
		return ret;
	if (q->conf && (q->a || q->b))
		return bad(a, "record either a conference ('conf') or ports ('a', 'b'), not both");
	if (q->a && q->a == q->b)
		return bad(a, "'a' and 'b' must be different ports");
	q->stereo = fmt == 1;
	q->pcm16 = enc == 2;
	return 0;
}

static int p_rec(struct args *a)
{
	return get_rec_id(a, true);
}

/**
 * struct cmd - one command of the protocol
 * @name: "cmd" value
 * @cmd: what the backend gets
 * @parse: fills the request from the object's members
 * @keys: the members it may have besides "cmd" and "id"
 */
static const struct cmd {
	const char *name;
	enum ctl_cmd cmd;
	int (*parse)(struct args *a);
	const char *keys;
} cmds[] = {
	{ "bridge", CTL_BRIDGE, p_bridge, "a b" },
	{ "unbridge", CTL_UNBRIDGE, p_unbridge, "a port" },
	{ "conf_join", CTL_CONF_JOIN, p_conf_join, "conf port mode" },
	{ "conf_leave", CTL_CONF_LEAVE, p_port, "port conf" },
	{ "conf_mode", CTL_CONF_MODE, p_conf_mode, "port mode conf" },
	{ "supervise", CTL_SUPERVISE, p_supervise, "supervisor agent mode" },
	{ "play", CTL_PLAY, p_play, "port prompt tone loop bargein" },
	{ "stop", CTL_STOP, p_port, "port" },
	{ "tone", CTL_TONE, p_tone, "port tone" },
	{ "record_start", CTL_RECORD_START, p_record_start, "a b conf format encoding call rec" },
	{ "record_stop", CTL_RECORD_STOP, p_rec, "rec" },
	{ "record_pause", CTL_RECORD_PAUSE, p_rec, "rec" },
	{ "record_resume", CTL_RECORD_RESUME, p_rec, "rec" },
	{ "record_info", CTL_RECORD_INFO, p_rec, "rec" },
	{ "dtmf_subscribe", CTL_DTMF_SUBSCRIBE, p_port, "port" },
	{ "dtmf_unsubscribe", CTL_DTMF_UNSUBSCRIBE, p_port, "port" },
	{ "progress_subscribe", CTL_PROGRESS_SUBSCRIBE, p_port, "port" },
	{ "progress_unsubscribe", CTL_PROGRESS_UNSUBSCRIBE, p_port, "port" },
	{ "status", CTL_STATUS, p_none, "" },
};

#define NCMDS (sizeof(cmds) / sizeof(cmds[0]))

const char *ctl_cmd_name(enum ctl_cmd cmd)
{
	size_t i;

	for (i = 0; i < NCMDS; i++)
		if (cmds[i].cmd == cmd)
			return cmds[i].name;
	return "?";
}

/* every member is "cmd", "id" or one of @keys (space-separated) */
static int known_keys(struct args *a, const char *keys)
{
	unsigned int i;
	size_t n;
	const char *k, *p;

	for (i = 0; i < a->o->n; i++) {
		k = a->o->keys[i];
		if (!strcmp(k, "cmd") || !strcmp(k, "id"))
			continue;
		n = strlen(k);
		for (p = keys; (p = strstr(p, k)); p += n)
			if ((p == keys || p[-1] == ' ') && (p[n] == ' ' || !p[n]))
				break;
		if (!p)
			return bad(a, "unknown field '%s'", k);
	}
	return 0;
}

/* ------------------------------------------------------------- replies */

struct tdmx_json *ctl_reply_json(struct ctl_reply *r)
{
	return &r->j;
}

/**
 * ctl_reply_error() - make the reply an error
 * @r: the reply
 * @err: negative errno to return (-EINVAL if 0 is given)
 * @fmt: message
 *
 * Return: @err, for "return ctl_reply_error(r, -ENOENT, ...)".
 */
int ctl_reply_error(struct ctl_reply *r, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->msg, sizeof(r->msg), fmt, ap);
	va_end(ap);
	r->err = err ? err : -EINVAL;
	return r->err;
}

static void echo_id(struct tdmx_json *j, const struct tdmx_jval *id)
{
	if (!id)
		return;
	if (id->type == TDMX_J_INT)
		tdmx_json_int(j, "id", id->i);
	else if (id->type == TDMX_J_STRING)
		tdmx_json_str(j, "id", id->s);
}

/* ---------------------------------------------------------- connections */

static void conn_send(struct ctl_conn *k);
static void conn_recv(struct ctl_conn *k);
static void conn_close(struct ctl_conn *k);

static int out_append(struct ctl_conn *k, const char *s, size_t n, bool is_event)
{
	size_t cap;
	char *p;

	if (k->closing)
		return -EPIPE;
	if (is_event && k->outlen + k->pendlen + n > CTL_OUT_MAX) {
		if (!k->dropped++)
			log_warn("ctl", "conn%llu: not reading: dropping events",
				 (unsigned long long)k->id);
		return -ENOBUFS;
	}
	if (k->pendlen + n > k->pendcap) {
		cap = k->pendcap ? k->pendcap : 4096;
		while (cap < k->pendlen + n)
			cap *= 2;
		p = realloc(k->pend, cap);
		if (!p)
			return -ENOMEM;
		k->pend = p;
		k->pendcap = cap;
	}
	memcpy(k->pend + k->pendlen, s, n);
	k->pendlen += n;
	conn_send(k);
	return 0;
}

static void error_line(struct ctl_conn *k, const struct tdmx_jval *id, const char *msg)
{
	struct tdmx_json j;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return;
	tdmx_json_init(&j, f, false);
	tdmx_json_obj_open(&j, NULL);
	tdmx_json_bool(&j, "ok", false);
	echo_id(&j, id);
	tdmx_json_str(&j, "error", msg);
	tdmx_json_obj_close(&j);
	fputc('\n', f);
	if (!fclose(f))
		out_append(k, buf, len, false);
	free(buf);
}

static void subscribe(struct ctl_conn *k, const struct ctl_req *q)
{
	unsigned int span = media_port_span(q->a);
	uint32_t bit = 1u << media_port_ts(q->a);

	switch (q->cmd) {
	case CTL_DTMF_SUBSCRIBE:
		k->dtmf[span] |= bit;
		break;
	case CTL_DTMF_UNSUBSCRIBE:
		k->dtmf[span] &= ~bit;
		break;
	case CTL_PROGRESS_SUBSCRIBE:
		k->progress[span] |= bit;
		break;
	case CTL_PROGRESS_UNSUBSCRIBE:
		k->progress[span] &= ~bit;
		break;
	default:
		break;
	}
}

static void dispatch(struct ctl_conn *k, const struct tdmx_jobj *o, const struct tdmx_jval *id)
{
	char err[CTL_ERR_LEN] = "";
	struct ctl_req q = { .conn = k->id };
	struct args a = { .o = o, .q = &q, .err = err };
	struct ctl_reply r = { 0 };
	const struct tdmx_jval *cv;
	const struct cmd *c = NULL;
	size_t i;
	int ret;

	cv = tdmx_jobj_get(o, "cmd");
	if (!cv || cv->type != TDMX_J_STRING) {
		error_line(k, id, cv ? "field 'cmd' must be a string" : "missing field 'cmd'");
		return;
	}
	for (i = 0; i < NCMDS; i++)
		if (!strcmp(cmds[i].name, cv->s))
			c = &cmds[i];
	if (!c) {
		snprintf(err, sizeof(err), "unknown command '%s'", cv->s);
		error_line(k, id, err);
		return;
	}
	q.cmd = c->cmd;
	ret = known_keys(&a, c->keys);
	if (!ret)
		ret = c->parse(&a);
	if (ret) {
		error_line(k, id, err);
		return;
	}
	r.f = open_memstream(&r.buf, &r.len);
	if (!r.f) {
		error_line(k, id, "out of memory");
		return;
	}
	tdmx_json_init(&r.j, r.f, false);
	tdmx_json_obj_open(&r.j, NULL);
	tdmx_json_bool(&r.j, "ok", true);
	echo_id(&r.j, id);
	/* events for this connection from now on (harmless if it fails) */
	if (ctl_cmd_subscribes(c->cmd))
		subscribe(k, &q);
	r.ctl = k->ctl;
	r.conn = k->id;
	r.id = id;
	r.cmd = c->name;
	ret = k->ctl->be.handle(k->ctl->be.priv, &q, &r);
	if (ret == CTL_DEFERRED && r.defer) {
		fclose(r.f);
		free(r.buf);
		k->waiting = true;
		return;
	}
	if (ret < 0 || r.err) {
		fclose(r.f);
		free(r.buf);
		log_info("ctl", "conn%llu: %s: %s", (unsigned long long)k->id, c->name,
			 r.msg[0] ? r.msg : strerror(-(ret < 0 ? ret : r.err)));
		error_line(k, id, r.msg[0] ? r.msg : strerror(-(ret < 0 ? ret : r.err)));
		return;
	}
	tdmx_json_obj_close(&r.j);
	fputc('\n', r.f);
	if (!fclose(r.f))
		out_append(k, r.buf, r.len, false);
	free(r.buf);
}

static void handle_line(struct ctl_conn *k, const char *line)
{
	struct tdmx_jobj *o;
	char err[CTL_ERR_LEN], msg[CTL_ERR_LEN + 32];

	while (*line == ' ' || *line == '\t' || *line == '\r')
		line++;
	if (!*line)
		return;		/* empty lines are allowed (keep-alives) */
	o = malloc(sizeof(*o));
	if (!o) {
		error_line(k, NULL, "out of memory");
		return;
	}
	if (tdmx_jobj_parse(o, line, err, sizeof(err))) {
		snprintf(msg, sizeof(msg), "bad JSON: %s", err);
		error_line(k, NULL, msg);
	} else {
		dispatch(k, o, tdmx_jobj_get(o, "id"));
	}
	free(o);
}

/* split the received bytes into lines */
static void take_lines(struct ctl_conn *k)
{
	char *start = k->in, *nl;
	size_t left = k->inlen;

	while (!k->waiting && (nl = memchr(start, '\n', left))) {
		*nl = 0;
		if (k->discard)
			k->discard = false;
		else if (memchr(start, 0, (size_t)(nl - start)))
			error_line(k, NULL, "bad JSON: NUL byte in the line");
		else
			handle_line(k, start);
		left -= (size_t)(nl + 1 - start);
		start = nl + 1;
	}
	if (!k->waiting && left > CTL_LINE_MAX) {
		if (!k->discard)
			error_line(k, NULL, "line too long");
		k->discard = true;
		left = 0;
	}
	memmove(k->in, start, left);
	k->inlen = left;
}

static void conn_recv(struct ctl_conn *k)
{
	struct io_uring_sqe *sqe;

	if (k->recv_busy || k->closing || k->waiting || k->eof)
		return;
	sqe = loop_sqe(k->ctl->loop);
	io_uring_prep_recv(sqe, k->fd, k->in + k->inlen, sizeof(k->in) - 1 - k->inlen, 0);
	io_uring_sqe_set_data64(sqe, loop_tag(LOOP_OP_RECV, k));
	k->recv_busy = true;
}

static void conn_send(struct ctl_conn *k)
{
	struct io_uring_sqe *sqe;
	size_t cap;
	char *p;

	if (k->send_busy || k->fd < 0)
		return;
	if (!k->outlen && k->pendlen) {
		/* swap: the queued bytes go out, the old buffer queues */
		p = k->out, k->out = k->pend, k->pend = p;
		cap = k->outcap, k->outcap = k->pendcap, k->pendcap = cap;
		k->outlen = k->pendlen;
		k->pendlen = 0;
	}
	if (!k->outlen)
		return;
	sqe = loop_sqe(k->ctl->loop);
	io_uring_prep_send(sqe, k->fd, k->out, k->outlen, MSG_NOSIGNAL);
	io_uring_sqe_set_data64(sqe, loop_tag(LOOP_OP_SEND, k));
	k->send_busy = true;
}

static void conn_free(struct ctl_conn *k)
{
	struct ctl *c = k->ctl;
	struct ctl_conn **pp;

	for (pp = &c->conns; *pp; pp = &(*pp)->next) {
		if (*pp == k) {
			*pp = k->next;
			break;
		}
	}
	c->nconns--;
	if (k->fd >= 0)
		close(k->fd);
	free(k->out);
	free(k->pend);
	free(k);
}

/* stop reading; free once nothing is in flight */
static void conn_close(struct ctl_conn *k)
{
	if (!k->closing) {
		k->closing = true;
		log_debug("ctl", "conn%llu: closed", (unsigned long long)k->id);
		if (k->ctl->be.conn_closed)
			k->ctl->be.conn_closed(k->ctl->be.priv, k->id);
		if (k->recv_busy)
			loop_cancel(k->ctl->loop, LOOP_OP_RECV, k);
		if (k->send_busy)
			loop_cancel(k->ctl->loop, LOOP_OP_SEND, k);
	}
	if (!k->recv_busy && !k->send_busy)
		conn_free(k);
}

static void on_recv(struct loop *l, void *ptr, int res, unsigned int flags)
{
	struct ctl_conn *k = ptr;

	(void)l;
	(void)flags;
	k->recv_busy = false;
	if (!k->closing && !res) {
		/* answer what came before the end, then close */
		k->eof = true;
		if (!k->waiting && !k->send_busy && !k->outlen && !k->pendlen)
			conn_close(k);
		return;
	}
	if (k->closing || res < 0) {
		if (res < 0 && res != -ECANCELED && res != -ECONNRESET)
			log_info("ctl", "conn%llu: recv: %s", (unsigned long long)k->id,
				 strerror(-res));
		conn_close(k);
		return;
	}
	k->inlen += (size_t)res;
	take_lines(k);
	conn_recv(k);
}

static void on_send(struct loop *l, void *ptr, int res, unsigned int flags)
{
	struct ctl_conn *k = ptr;

	(void)l;
	(void)flags;
	k->send_busy = false;
	if (k->closing) {
		conn_close(k);
		return;
	}
	if (res < 0) {
		if (res != -EPIPE && res != -ECONNRESET)
			log_info("ctl", "conn%llu: send: %s", (unsigned long long)k->id,
				 strerror(-res));
		conn_close(k);
		return;
	}
	memmove(k->out, k->out + res, k->outlen - (size_t)res);
	k->outlen -= (size_t)res;
	conn_send(k);
	if (k->eof && !k->waiting && !k->send_busy)
		conn_close(k);
}

/**
 * ctl_adopt() - serve a connected stream socket (accepted, or one end of a
 *	socketpair in the tests)
 * @c: the control socket
 * @fd: the socket; ctl closes it
 *
 * Return: 0, or -EMFILE when CTL_MAX_CONNS are open (@fd is closed).
 */
int ctl_adopt(struct ctl *c, int fd)
{
	struct ctl_conn *k;

	if (c->nconns >= CTL_MAX_CONNS || c->down) {
		close(fd);
		return -EMFILE;
	}
	k = aligned_alloc(16, sizeof(*k));
	if (!k) {
		close(fd);
		return -ENOMEM;
	}
	memset(k, 0, sizeof(*k));
	k->ctl = c;
	k->fd = fd;
	k->id = ++c->next_id;
	k->next = c->conns;
	c->conns = k;
	c->nconns++;
	log_debug("ctl", "conn%llu: new", (unsigned long long)k->id);
	conn_recv(k);
	return 0;
}

/* ------------------------------------------------------------ listening */

static void arm_accept(struct ctl *c)
{
	struct io_uring_sqe *sqe;

	if (c->accept_busy || c->lfd < 0 || c->down)
		return;
	sqe = loop_sqe(c->loop);
	io_uring_prep_accept(sqe, c->lfd, NULL, NULL, SOCK_CLOEXEC);
	io_uring_sqe_set_data64(sqe, loop_tag(LOOP_OP_ACCEPT, c));
	c->accept_busy = true;
}

static void on_accept(struct loop *l, void *ptr, int res, unsigned int flags)
{
	struct ctl *c = ptr;

	(void)l;
	(void)flags;
	c->accept_busy = false;
	if (c->down) {
		if (res >= 0)
			close(res);
		return;
	}
	if (res >= 0) {
		if (ctl_adopt(c, res) == -EMFILE)
			log_warn("ctl", "%u connections open: refused one", CTL_MAX_CONNS);
	} else if (res != -EINTR && res != -ECONNABORTED) {
		log_err("ctl", "accept: %s", strerror(-res));
	}
	arm_accept(c);
}

/* install the completion handlers on the control loop */
void ctl_register(struct loop *l)
{
	loop_on(l, LOOP_OP_ACCEPT, on_accept);
	loop_on(l, LOOP_OP_RECV, on_recv);
	loop_on(l, LOOP_OP_SEND, on_send);
}

/**
 * ctl_create() - a control socket server on loop @l (its thread only)
 * @l: the loop; ctl_register() must have been called on it
 * @be: the backend (copied)
 *
 * Return: the server, or NULL when out of memory.
 */
struct ctl *ctl_create(struct loop *l, const struct ctl_backend *be)
{
	struct ctl *c = aligned_alloc(16, sizeof(struct ctl));

	if (!c)
		return NULL;
	memset(c, 0, sizeof(*c));
	c->loop = l;
	c->be = *be;
	c->lfd = -1;
	return c;
}

/**
 * ctl_listen() - bind @path and start accepting
 * @c: the server
 * @path: socket path; a stale socket there is replaced, anything else is
 *	an error
 * @uid: owner to give the socket (-1: leave)
 * @gid: group to give the socket (-1: leave)
 *
 * The socket is mode 0660; its directory is created (0755, given to @uid
 * and @gid) if missing.
 *
 * Return: 0 or a negative errno.
 */
int ctl_listen(struct ctl *c, const char *path, uid_t uid, gid_t gid)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char dir[sizeof(sa.sun_path)], *slash;
	struct stat st;
	int fd, ret;

	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = 0;
		if (!mkdir(dir, 0755)) {
			/* ours: let the dropped user remove the socket at exit */
			if ((uid != (uid_t)-1 || gid != (gid_t)-1) && chown(dir, uid, gid))
				return -errno;
		} else if (errno != EEXIST) {
			return -errno;
		}
	}
	if (!lstat(path, &st)) {
		if (!S_ISSOCK(st.st_mode))
			return -EEXIST;
		unlink(path);
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		ret = -errno;
		goto err;
	}
	if (chmod(path, 0660) || ((uid != (uid_t)-1 || gid != (gid_t)-1) &&
				  chown(path, uid, gid))) {
		ret = -errno;
		goto err_unlink;
	}
	if (listen(fd, 16)) {
		ret = -errno;
		goto err_unlink;
	}
	c->lfd = fd;
	snprintf(c->path, sizeof(c->path), "%s", path);
	arm_accept(c);
	return 0;

err_unlink:
	unlink(path);
err:
	close(fd);
	return ret;
}

/* stop accepting and close every connection (on the loop's thread) */
void ctl_shutdown(struct ctl *c)
{
	struct ctl_conn *k, *next;

	c->down = true;
	if (c->accept_busy)
		loop_cancel(c->loop, LOOP_OP_ACCEPT, c);
	for (k = c->conns; k; k = next) {
		next = k->next;
		conn_close(k);
	}
}

/* free everything; the loop must be gone (no operation in flight) */
void ctl_destroy(struct ctl *c)
{
	struct ctl_conn *k, *next;

	if (!c)
		return;
	for (k = c->conns; k; k = next) {
		next = k->next;
		if (k->fd >= 0)
			close(k->fd);
		free(k->out);
		free(k->pend);
		free(k);
	}
	if (c->lfd >= 0) {
		close(c->lfd);
		unlink(c->path);
	}
	free(c);
}

unsigned int ctl_conns(const struct ctl *c)
{
	return c->nconns;
}

/* ------------------------------------------------------ deferred replies */

/**
 * ctl_reply_defer() - answer later (in a backend's handle(), which then
 *	returns CTL_DEFERRED); the connection reads no further request until
 *	then
 * @r: the reply
 *
 * Return: the handle for ctl_defer_done(), or NULL (out of memory: answer
 * now instead).
 */
struct ctl_defer *ctl_reply_defer(struct ctl_reply *r)
{
	struct ctl_defer *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	d->ctl = r->ctl;
	d->conn = r->conn;
	snprintf(d->cmd, sizeof(d->cmd), "%s", r->cmd);
	if (r->id && r->id->type == TDMX_J_INT) {
		snprintf(d->id, sizeof(d->id), "%lld", (long long)r->id->i);
	} else if (r->id && r->id->type == TDMX_J_STRING) {
		FILE *f = fmemopen(d->id, sizeof(d->id), "w");

		if (f) {
			tdmx_json_escape(f, r->id->s);
			if (fclose(f) || !memchr(d->id, 0, sizeof(d->id)))
				d->id[0] = 0;
		}
	}
	r->defer = d;
	return d;
}

static void defer_finish(void *arg)
{
	struct ctl_defer *d = arg;
	struct ctl_conn *k;
	char *line = NULL;
	size_t len = 0;
	FILE *f;

	for (k = d->ctl->conns; k && k->id != d->conn; k = k->next)
		;
	if (!k || k->closing)
		goto out;
	f = open_memstream(&line, &len);
	if (f) {
		fprintf(f, "{\"ok\":%s", d->err ? "false" : "true");
		if (d->id[0])
			fprintf(f, ",\"id\":%s", d->id);
		if (d->err) {
			fputs(",\"error\":", f);
			tdmx_json_escape(f, d->msg && d->msg[0] ? d->msg : strerror(-d->err));
			log_info("ctl", "conn%llu: %s: %s", (unsigned long long)k->id, d->cmd,
				 d->msg && d->msg[0] ? d->msg : strerror(-d->err));
		} else if (d->members && d->members[0]) {
			fprintf(f, ",%s", d->members);
		}
		fputs("}\n", f);
		if (!fclose(f))
			out_append(k, line, len, false);
		free(line);
	}
	k->waiting = false;
	take_lines(k);
	conn_recv(k);
	if (k->eof && !k->waiting && !k->send_busy && !k->outlen && !k->pendlen)
		conn_close(k);
out:
	free(d->msg);
	free(d->members);
	free(d);
}

/**
 * ctl_defer_done() - send a deferred reply (from any thread, once)
 * @d: from ctl_reply_defer()
 * @err: 0, or a negative errno for an error reply
 * @msg: the error message (NULL: strerror(@err))
 * @members: success: JSON members to add after "ok":true (no braces, e.g.
 *	"\"rec\":\"r1\""), or NULL
 */
void ctl_defer_done(struct ctl_defer *d, int err, const char *msg, const char *members)
{
	d->err = err;
	d->msg = msg ? strdup(msg) : NULL;
	d->members = members ? strdup(members) : NULL;
	if (loop_call(d->ctl->loop, defer_finish, d)) {
		free(d->msg);
		free(d->members);
		free(d);
	}
}

/* ---------------------------------------------------------------- events */

struct event {
	struct ctl *ctl;
	enum ctl_ev kind;
	media_port port;
	uint64_t conn;
	size_t len;
	char line[];
};

static void deliver(void *arg)
{
	struct event *ev = arg;
	struct ctl_conn *k;

	for (k = ev->ctl->conns; k; k = k->next) {
		if (k->closing)
			continue;
		if (ev->kind == CTL_EV_CONN && k->id != ev->conn)
			continue;
		if (ev->kind == CTL_EV_DTMF &&
		    !(k->dtmf[media_port_span(ev->port)] & (1u << media_port_ts(ev->port))))
			continue;
		if (ev->kind == CTL_EV_PROGRESS &&
		    !(k->progress[media_port_span(ev->port)] & (1u << media_port_ts(ev->port))))
			continue;
		out_append(k, ev->line, ev->len, true);
	}
	free(ev);
}

/**
 * ctl_event() - push an event line to the connections that want it (from
 *	any thread)
 * @c: the server
 * @kind: CTL_EV_DTMF, CTL_EV_PROGRESS: connections subscribed to @port's
 *	digits or call progress; CTL_EV_CONN:
 *	connection @conn only
 * @port: for CTL_EV_DTMF and CTL_EV_PROGRESS
 * @conn: for CTL_EV_CONN
 * @json: one JSON object, without newline
 *
 * Return: 0 or -ENOMEM.
 */
int ctl_event(struct ctl *c, enum ctl_ev kind, media_port port, uint64_t conn,
	      const char *json)
{
	size_t n = strlen(json);
	struct event *ev = malloc(sizeof(*ev) + n + 2);

	if (!ev)
		return -ENOMEM;
	ev->ctl = c;
	ev->kind = kind;
	ev->port = port;
	ev->conn = conn;
	memcpy(ev->line, json, n);
	ev->line[n] = '\n';
	ev->line[n + 1] = 0;
	ev->len = n + 1;
	if (loop_call(c->loop, deliver, ev)) {
		free(ev);
		return -ENOMEM;
	}
	return 0;
}
