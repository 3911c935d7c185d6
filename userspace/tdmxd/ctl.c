// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tdmxd control socket (see ctl.h): requests parsed with libtdmx's flat
 * JSON line parser, checked against a table of commands, and handed to the
 * backend. The connections themselves (accept, line splitting, output
 * queues, back-pressure) are a jsonl server's (jsonl.h); ctl only keeps,
 * per connection, the ports it subscribed to.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "ctl.h"
#include "dchan.h"
#include "jreq.h"
#include "jsonl.h"
#include "log.h"

/* a connection's subscriptions (its jsonl data; allocated on the first) */
struct ctl_subs {
	uint32_t dtmf[MEDIA_MAX_SPANS + 1];	/* subscribed timeslots per span */
	uint32_t progress[MEDIA_MAX_SPANS + 1];	/* the same for call progress */
	uint32_t hdlc[MEDIA_MAX_SPANS + 1];	/* the same for D-channel frames */
};

struct ctl {
	struct loop *loop;
	struct ctl_backend be;
	struct jsonl *srv;
};

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
	uint8_t *frame;		/* DCHAN_FRAME_MAX octets for hdlc_send */
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
	return jreq_field(a->o, key, type, required, a->err, CTL_ERR_LEN, ret);
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
	unsigned int fmt = 0, enc = 1;
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
	/* a conference: 'a' is the member on the left of a stereo file */
	if (q->conf && q->b)
		return bad(a, "record either a conference ('conf', with 'a' for stereo) or ports ('a', 'b'), not both");
	if (q->conf && fmt == 1 && !q->a)
		return bad(a, "a stereo conference recording needs 'a': the member on the left channel");
	if (q->a && q->a == q->b)
		return bad(a, "'a' and 'b' must be different ports");
	/* default: stereo for ports, mono for a conference ('a' or not) */
	q->stereo = fmt ? fmt == 1 : !q->conf;
	q->pcm16 = enc == 2;
	return 0;
}

static int p_rec(struct args *a)
{
	return get_rec_id(a, true);
}

static int p_hdlc_send(struct args *a)
{
	const struct tdmx_jval *v;
	int ret = port(a, "port", true, &a->q->a);

	if (ret)
		return ret;
	v = need(a, "frame", TDMX_J_STRING, true, &ret);
	if (!v)
		return ret;
	ret = dchan_hex_decode(v->s, a->frame, DCHAN_FRAME_MAX);
	if (ret == -EMSGSIZE)
		return bad(a, "field 'frame': longer than %u octets", DCHAN_FRAME_MAX);
	if (ret < 0)
		return bad(a, "field 'frame': not hex octets (two digits each, at least one octet)");
	a->q->frame = a->frame;
	a->q->frame_len = (size_t)ret;
	return 0;
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
	{ "hdlc_subscribe", CTL_HDLC_SUBSCRIBE, p_port, "port" },
	{ "hdlc_unsubscribe", CTL_HDLC_UNSUBSCRIBE, p_port, "port" },
	{ "hdlc_send", CTL_HDLC_SEND, p_hdlc_send, "port frame" },
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

/* ---------------------------------------------------------- connections */

static void error_line(struct jsonl_conn *k, const struct tdmx_jval *id, const char *msg)
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
	jreq_echo_id(&j, id);
	tdmx_json_str(&j, "error", msg);
	tdmx_json_obj_close(&j);
	fputc('\n', f);
	if (!fclose(f))
		jsonl_send(k, buf, len, false);
	free(buf);
}

/* Return: 0, or -ENOMEM (the connection has no subscription table) */
static int subscribe(struct jsonl_conn *k, const struct ctl_req *q)
{
	unsigned int span = media_port_span(q->a);
	uint32_t bit = 1u << media_port_ts(q->a);
	struct ctl_subs *s = jsonl_conn_data(k);

	if (!s) {
		s = calloc(1, sizeof(*s));
		if (!s)
			return -ENOMEM;
		jsonl_conn_set_data(k, s);
	}
	switch (q->cmd) {
	case CTL_DTMF_SUBSCRIBE:
		s->dtmf[span] |= bit;
		break;
	case CTL_DTMF_UNSUBSCRIBE:
		s->dtmf[span] &= ~bit;
		break;
	case CTL_PROGRESS_SUBSCRIBE:
		s->progress[span] |= bit;
		break;
	case CTL_PROGRESS_UNSUBSCRIBE:
		s->progress[span] &= ~bit;
		break;
	case CTL_HDLC_SUBSCRIBE:
		s->hdlc[span] |= bit;
		break;
	case CTL_HDLC_UNSUBSCRIBE:
		s->hdlc[span] &= ~bit;
		break;
	default:
		break;
	}
	return 0;
}

static void dispatch(struct ctl *ctl, struct jsonl_conn *k, const struct tdmx_jobj *o,
		     const struct tdmx_jval *id)
{
	char err[CTL_ERR_LEN] = "";
	uint8_t frame[DCHAN_FRAME_MAX];
	struct ctl_req q = { .conn = jsonl_conn_id(k) };
	struct args a = { .o = o, .q = &q, .err = err, .frame = frame };
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
	ret = jreq_known_keys(o, c->keys, err, sizeof(err));
	if (!ret)
		ret = c->parse(&a);
	if (ret) {
		error_line(k, id, err);
		return;
	}
	/* events for this connection from now on */
	if ((ctl_cmd_subscribes(c->cmd) || (ctl_cmd_hdlc(c->cmd) && c->cmd != CTL_HDLC_SEND)) &&
	    subscribe(k, &q)) {
		error_line(k, id, "out of memory");
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
	jreq_echo_id(&r.j, id);
	r.ctl = ctl;
	r.conn = q.conn;
	r.id = id;
	r.cmd = c->name;
	ret = ctl->be.handle(ctl->be.priv, &q, &r);
	if (ret == CTL_DEFERRED && r.defer) {
		fclose(r.f);
		free(r.buf);
		/* the next request waits for the reply (defer_finish) */
		jsonl_pause(k);
		return;
	}
	if (ret < 0 || r.err) {
		fclose(r.f);
		free(r.buf);
		log_info("ctl", "conn%llu: %s: %s", (unsigned long long)q.conn, c->name,
			 r.msg[0] ? r.msg : strerror(-(ret < 0 ? ret : r.err)));
		error_line(k, id, r.msg[0] ? r.msg : strerror(-(ret < 0 ? ret : r.err)));
		return;
	}
	tdmx_json_obj_close(&r.j);
	fputc('\n', r.f);
	if (!fclose(r.f))
		jsonl_send(k, r.buf, r.len, false);
	free(r.buf);
}

static void on_line(void *priv, struct jsonl_conn *k, char *line)
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
		dispatch(priv, k, o, tdmx_jobj_get(o, "id"));
	}
	free(o);
}

static void on_too_long(void *priv, struct jsonl_conn *k)
{
	(void)priv;
	error_line(k, NULL, "line too long");
}

static void on_bad_line(void *priv, struct jsonl_conn *k)
{
	(void)priv;
	error_line(k, NULL, "bad JSON: NUL byte in the line");
}

/* events were refused while the client did not read; jsonl warned then */
static void on_drained(void *priv, struct jsonl_conn *k)
{
	(void)priv;
	log_info("ctl", "conn%llu: reading again; some events were lost",
		 (unsigned long long)jsonl_conn_id(k));
}

static void on_closed(void *priv, struct jsonl_conn *k)
{
	struct ctl *c = priv;

	if (c->be.conn_closed)
		c->be.conn_closed(c->be.priv, jsonl_conn_id(k));
	free(jsonl_conn_data(k));
	jsonl_conn_set_data(k, NULL);
}

/**
 * ctl_adopt() - serve a connected stream socket (accepted, or one end of a
 *	socketpair in the tests)
 * @c: the control socket
 * @fd: the socket; ctl closes it
 *
 * Return: 0, -EMFILE when CTL_MAX_CONNS are open (@fd is closed), or
 * -ENOMEM.
 */
int ctl_adopt(struct ctl *c, int fd)
{
	return jsonl_adopt(c->srv, fd, "unix");
}

/* ------------------------------------------------------------ listening */

/**
 * ctl_create() - a control socket server on loop @l (its thread only)
 * @l: the loop; the server's operations are tagged LOOP_OP_CTL
 * @be: the backend (copied)
 *
 * Return: the server, or NULL when out of memory.
 */
struct ctl *ctl_create(struct loop *l, const struct ctl_backend *be)
{
	static const struct jsonl_limits lim = {
		.line_max = CTL_LINE_MAX, .out_max = CTL_OUT_MAX, .max_conns = CTL_MAX_CONNS,
	};
	struct jsonl_ops ops = {
		.line = on_line, .too_long = on_too_long, .bad_line = on_bad_line,
		.drained = on_drained, .closed = on_closed,
	};
	struct ctl *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->loop = l;
	c->be = *be;
	ops.priv = c;
	c->srv = jsonl_create(l, LOOP_OP_CTL, "ctl", &ops, &lim);
	if (!c->srv) {
		free(c);
		return NULL;
	}
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
	char dir[sizeof(((struct sockaddr_un *)0)->sun_path)], *slash;

	if (strlen(path) >= sizeof(dir))
		return -ENAMETOOLONG;
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
	return jsonl_listen_unix(c->srv, path, uid, gid);
}

/* stop accepting and close every connection (on the loop's thread) */
void ctl_shutdown(struct ctl *c)
{
	jsonl_shutdown(c->srv);
}

/* free everything; the loop must be gone (no operation in flight) */
void ctl_destroy(struct ctl *c)
{
	if (!c)
		return;
	jsonl_destroy(c->srv);
	free(c);
}

unsigned int ctl_conns(const struct ctl *c)
{
	return jsonl_conns(c->srv);
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

static struct jsonl_conn *find_conn(struct ctl *c, uint64_t id)
{
	struct jsonl_conn *k;

	for (k = jsonl_conn_first(c->srv); k && jsonl_conn_id(k) != id; k = jsonl_conn_next(k))
		;
	return k;
}

static void defer_finish(void *arg)
{
	struct ctl_defer *d = arg;
	struct jsonl_conn *k = find_conn(d->ctl, d->conn);
	char *line = NULL;
	size_t len = 0;
	FILE *f;

	if (!k)
		goto out;	/* closed meanwhile */
	f = open_memstream(&line, &len);
	if (f) {
		fprintf(f, "{\"ok\":%s", d->err ? "false" : "true");
		if (d->id[0])
			fprintf(f, ",\"id\":%s", d->id);
		if (d->err) {
			fputs(",\"error\":", f);
			tdmx_json_escape(f, d->msg && d->msg[0] ? d->msg : strerror(-d->err));
			log_info("ctl", "conn%llu: %s: %s", (unsigned long long)d->conn, d->cmd,
				 d->msg && d->msg[0] ? d->msg : strerror(-d->err));
		} else if (d->members && d->members[0]) {
			fprintf(f, ",%s", d->members);
		}
		fputs("}\n", f);
		if (!fclose(f))
			jsonl_send(k, line, len, false);
		free(line);
	}
	jsonl_resume(k);
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

/* does @k want @ev? */
static bool wants(struct jsonl_conn *k, const struct event *ev)
{
	const struct ctl_subs *s = jsonl_conn_data(k);
	uint32_t bit = 1u << media_port_ts(ev->port);

	switch (ev->kind) {
	case CTL_EV_CONN:
		return jsonl_conn_id(k) == ev->conn;
	case CTL_EV_DTMF:
		return s && (s->dtmf[media_port_span(ev->port)] & bit);
	case CTL_EV_PROGRESS:
		return s && (s->progress[media_port_span(ev->port)] & bit);
	case CTL_EV_HDLC:
		return s && (s->hdlc[media_port_span(ev->port)] & bit);
	}
	return false;
}

static void deliver(void *arg)
{
	struct event *ev = arg;
	struct jsonl_conn *k;

	/* a refused (droppable) event is reported once by jsonl */
	for (k = jsonl_conn_first(ev->ctl->srv); k; k = jsonl_conn_next(k))
		if (wants(k, ev))
			jsonl_send(k, ev->line, ev->len, true);
	free(ev);
}

/**
 * ctl_event() - push an event line to the connections that want it (from
 *	any thread)
 * @c: the server
 * @kind: CTL_EV_DTMF, CTL_EV_PROGRESS, CTL_EV_HDLC: connections subscribed
 *	to @port's digits, call progress or D-channel frames; CTL_EV_CONN:
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
