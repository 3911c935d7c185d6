// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * CTI requests: the command table (names, who may use them, which fields
 * they take) and the checking of each field into struct cti_req. Every
 * refusal names the field and what was wrong; -EINVAL for a malformed
 * request, -EPERM for one the role may not make.
 */
#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "cti_priv.h"
#include "jreq.h"

static int bad(struct cti_args *a, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int bad(struct cti_args *a, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(a->err, sizeof(a->err), fmt, ap);
	va_end(ap);
	return err;
}

static const struct tdmx_jval *need(struct cti_args *a, const char *key, enum tdmx_jtype type,
				    bool required, int *ret)
{
	return jreq_field(a->o, key, type, required, a->err, sizeof(a->err), ret);
}

/* a name (agent id, queue, reason): 1..CTI_NAME_LEN-1 bytes, no control characters */
static int name_ok(struct cti_args *a, const char *key, const char *s)
{
	size_t n = strlen(s), i;

	if (!n || n >= CTI_NAME_LEN)
		return bad(a, -EINVAL, "field '%s' must be 1 to %u bytes long", key,
			   CTI_NAME_LEN - 1);
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20)
			return bad(a, -EINVAL, "field '%s' must not hold control characters", key);
	return 0;
}

static int name(struct cti_args *a, const char *key, bool required, const char **out)
{
	const struct tdmx_jval *v;
	int ret;

	v = need(a, key, TDMX_J_STRING, required, &ret);
	if (!v)
		return ret;
	ret = name_ok(a, key, v->s);
	if (!ret)
		*out = v->s;
	return ret;
}

/* the agent a request is about: an agent token only ever its own */
static int agent(struct cti_args *a, bool required)
{
	struct cti_req *q = a->q;
	int ret;

	ret = name(a, "agent", required && !q->own_agent, &q->agent);
	if (ret)
		return ret;
	if (!q->own_agent)
		return 0;
	if (q->agent && strcmp(q->agent, q->own_agent))
		return bad(a, -EPERM, "an agent token may only act on its own agent ('%s')",
			   q->own_agent);
	if (required)
		q->agent = q->own_agent;
	return 0;
}

static int p_none(struct cti_args *a)
{
	(void)a;
	return 0;
}

static int p_auth(struct cti_args *a)
{
	const struct tdmx_jval *v;
	int ret;

	v = need(a, "token", TDMX_J_STRING, true, &ret);
	return v ? 0 : ret;
}

static int p_agent(struct cti_args *a)
{
	return agent(a, true);
}

/* "reason": a name ("lunch") or a code (12 or "12"); which codes and names
 * exist is the backend's to say */
static int p_not_ready(struct cti_args *a)
{
	const struct tdmx_jval *v;
	int ret = agent(a, true);

	a->q->reason_code = -1;
	if (ret)
		return ret;
	v = tdmx_jobj_get(a->o, "reason");
	if (!v || v->type != TDMX_J_INT)
		return name(a, "reason", false, &a->q->reason);
	if (v->i < 0 || v->i > 65535)
		return bad(a, -EINVAL, "field 'reason' must be a name or a code 0 to 65535");
	a->q->reason_code = v->i;
	return 0;
}

static int p_agent_status(struct cti_args *a)
{
	int ret = agent(a, false);

	/* an agent asking about "everyone" gets itself */
	if (!ret && a->q->own_agent)
		a->q->agent = a->q->own_agent;
	return ret;
}

static int p_queue_status(struct cti_args *a)
{
	return name(a, "queue", false, &a->q->queue);
}

static int p_stats(struct cti_args *a)
{
	static const char *const windows[] = { "15m", "1h", "day", NULL };
	const struct tdmx_jval *v;
	unsigned int i;
	int ret;

	ret = name(a, "queue", false, &a->q->queue);
	if (!ret)
		ret = agent(a, false);
	if (ret)
		return ret;
	if (!a->q->queue == !a->q->agent)
		return bad(a, -EINVAL, "stats needs either 'queue' or 'agent'");
	a->q->window = CTI_WIN_15M;
	v = need(a, "window", TDMX_J_STRING, false, &ret);
	if (!v)
		return ret;
	for (i = 0; windows[i]; i++)
		if (!strcmp(windows[i], v->s))
			break;
	if (!windows[i])
		return bad(a, -EINVAL, "field 'window' must be 15m, 1h or day, not '%s'", v->s);
	a->q->window = (enum cti_window)(i + 1);
	return 0;
}

/* a list of names into @set; @check says which of them the role may name */
static int names(struct cti_args *a, const char *key, struct cti_names *set)
{
	const struct tdmx_jval *v;
	unsigned int i;
	int ret;

	set->n = 0;
	v = need(a, key, TDMX_J_ARRAY, false, &ret);
	if (!v)
		return ret;
	if (v->n > CTI_SUB_MAX)
		return bad(a, -EINVAL, "field '%s' may list at most %u names", key, CTI_SUB_MAX);
	for (i = 0; i < v->n; i++) {
		if (v->items[i].type != TDMX_J_STRING)
			return bad(a, -EINVAL, "field '%s': item %u is not a string", key, i + 1);
		ret = name_ok(a, key, v->items[i].s);
		if (ret)
			return ret;
		snprintf(set->name[set->n++], CTI_NAME_LEN, "%s", v->items[i].s);
	}
	return 0;
}

static int p_subscribe(struct cti_args *a)
{
	struct cti_sub *s = a->sub;
	unsigned int i;
	int ret;

	memset(s, 0, sizeof(*s));
	s->on = true;
	ret = names(a, "queues", &s->queues);
	if (!ret)
		ret = names(a, "agents", &s->agents);
	if (!ret)
		ret = names(a, "events", &s->events);
	if (ret)
		return ret;
	for (i = 0; i < s->events.n; i++)
		if (!cti_event_known(s->events.name[i]))
			return bad(a, -EINVAL, "field 'events': unknown event '%s'",
				   s->events.name[i]);
	for (i = 0; a->q->own_agent && i < s->agents.n; i++)
		if (strcmp(s->agents.name[i], a->q->own_agent))
			return bad(a, -EPERM, "an agent token may only follow its own agent ('%s')",
				   a->q->own_agent);
	return 0;
}

static int p_resync(struct cti_args *a)
{
	const struct tdmx_jval *v;
	int ret;

	v = need(a, "since", TDMX_J_INT, true, &ret);
	if (!v)
		return ret;
	if (v->i < 0)
		return bad(a, -EINVAL, "field 'since' must be 0 or more");
	a->q->since = (uint64_t)v->i;
	return 0;
}

static int p_acd_call(struct cti_args *a)
{
	const struct tdmx_jval *v;
	struct cti_req *q = a->q;
	unsigned int i;
	int ret;

	ret = name(a, "queue", true, &q->queue);
	if (!ret)
		ret = name(a, "caller", true, &q->caller);
	if (!ret)
		ret = name(a, "dialled", false, &q->dialled);
	if (ret)
		return ret;
	v = need(a, "priority", TDMX_J_INT, false, &ret);
	if (ret)
		return ret;
	if (v && (v->i < 0 || v->i > 1000))
		return bad(a, -EINVAL, "field 'priority' must be 0 to 1000");
	q->priority = v ? v->i : 0;
	v = need(a, "ivr", TDMX_J_ARRAY, false, &ret);
	if (!v)
		return ret;
	if (v->n > CTI_IVR_MAX)
		return bad(a, -EINVAL, "field 'ivr' may list at most %u items", CTI_IVR_MAX);
	for (i = 0; i < v->n; i++) {
		const char *s = v->items[i].s;

		if (v->items[i].type != TDMX_J_STRING || !strchr(s, '=') || *s == '=')
			return bad(a, -EINVAL, "field 'ivr': item %u is not \"key=value\"", i + 1);
		q->ivr[q->nivr++] = s;
	}
	return 0;
}

#define R_ANY	((1u << CTI_ROLE_AGENT) | (1u << CTI_ROLE_SUPERVISOR) | (1u << CTI_ROLE_ADMIN))
#define R_SUP	((1u << CTI_ROLE_SUPERVISOR) | (1u << CTI_ROLE_ADMIN))
#define R_ADMIN	(1u << CTI_ROLE_ADMIN)

/**
 * struct cmd - one command of the protocol
 * @name: "cmd" value
 * @cmd: what the backend gets
 * @roles: bit per enum cti_role that may use it
 * @parse: fills the request from the members
 * @keys: the members it may have besides "cmd" and "id"
 */
static const struct cmd {
	const char *name;
	enum cti_cmd cmd;
	unsigned int roles;
	int (*parse)(struct cti_args *a);
	const char *keys;
} cmds[] = {
	{ "auth", CTI_AUTH, R_ANY, p_auth, "token" },
	{ "agent_login", CTI_AGENT_LOGIN, R_ANY, p_agent, "agent" },
	{ "agent_logout", CTI_AGENT_LOGOUT, R_ANY, p_agent, "agent" },
	{ "agent_ready", CTI_AGENT_READY, R_ANY, p_agent, "agent" },
	{ "agent_not_ready", CTI_AGENT_NOT_READY, R_ANY, p_not_ready, "agent reason" },
	{ "agent_wrapup_done", CTI_AGENT_WRAPUP_DONE, R_ANY, p_agent, "agent" },
	{ "agent_status", CTI_AGENT_STATUS, R_ANY, p_agent_status, "agent" },
	{ "queue_status", CTI_QUEUE_STATUS, R_ANY, p_queue_status, "queue" },
	{ "stats", CTI_STATS, R_ANY, p_stats, "queue agent window" },
	{ "subscribe", CTI_SUBSCRIBE, R_ANY, p_subscribe, "queues agents events" },
	{ "unsubscribe", CTI_UNSUBSCRIBE, R_ANY, p_none, "" },
	{ "resync", CTI_RESYNC, R_ANY, p_resync, "since" },
	/* reserved: they touch media, a later issue wires them (reply: not_supported) */
	{ "listen", CTI_LISTEN, R_SUP, p_agent, "agent" },
	{ "whisper", CTI_WHISPER, R_SUP, p_agent, "agent" },
	{ "barge", CTI_BARGE, R_SUP, p_agent, "agent" },
	/* test hook until call control offers calls (see Documentation/cti.md) */
	{ "acd_call", CTI_ACD_CALL, R_ADMIN, p_acd_call, "queue caller dialled priority ivr" },
	{ "reasons", CTI_REASONS, R_ANY, p_none, "" },
};

#define NCMDS (sizeof(cmds) / sizeof(cmds[0]))

static const struct cmd *find(const char *name_s)
{
	size_t i;

	for (i = 0; i < NCMDS; i++)
		if (!strcmp(cmds[i].name, name_s))
			return &cmds[i];
	return NULL;
}

const char *cti_cmd_name(enum cti_cmd cmd)
{
	size_t i;

	for (i = 0; i < NCMDS; i++)
		if (cmds[i].cmd == cmd)
			return cmds[i].name;
	return "?";
}

bool cti_may(enum cti_role role, enum cti_cmd cmd)
{
	size_t i;

	for (i = 0; i < NCMDS; i++)
		if (cmds[i].cmd == cmd)
			return cmds[i].roles & (1u << role);
	return false;
}

/**
 * cti_parse() - check the request @cmd of @a into @a->q
 * @a: the request; @a->q has conn, role, who and own_agent set (role 0:
 *	not authenticated)
 * @cmd: the "cmd" member
 *
 * Return: 0, -ENOENT (unknown command), -EACCES (not authenticated),
 * -EPERM (not for this role) or -EINVAL, with the message in @a->err.
 */
int cti_parse(struct cti_args *a, const char *cmd)
{
	const struct cmd *c = find(cmd);
	int ret;

	if (!c)
		return bad(a, -ENOENT, "unknown command '%s'", cmd);
	a->q->cmd = c->cmd;
	if (!a->q->role && c->cmd != CTI_AUTH)
		return bad(a, -EACCES, "authenticate first: {\"cmd\":\"auth\",\"token\":\"...\"}");
	if (a->q->role && !(c->roles & (1u << a->q->role)))
		return bad(a, -EPERM, "'%s' is not allowed for role %s", c->name,
			   cti_role_name(a->q->role));
	ret = jreq_known_keys(a->o, c->keys, a->err, sizeof(a->err));
	if (!ret)
		ret = c->parse(a);
	return ret;
}
