// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The CTI backend of the call centre: CTI requests onto ACD inputs and
 * queries, and the resync snapshot. Agent and queue names are resolved
 * here (unknown ones are "not_found"); engine errors keep their errno, so
 * the client gets the matching error code (-EBUSY: "busy", ...).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "callcentre_priv.h"

static int agent_index(struct callcentre *cc, const char *id, struct cti_reply *r)
{
	int a = acd_agent_find(cc->acd, id);

	if (a < 0)
		return cti_reply_error(r, -ENOENT, "no agent '%s'", id);
	return a;
}

static int queue_index(struct callcentre *cc, const char *name, struct cti_reply *r)
{
	int q = acd_queue_find(cc->acd, name);

	if (q < 0)
		return cti_reply_error(r, -ENOENT, "no queue '%s'", name);
	return q;
}

/*
 * The reason of agent_not_ready: a name of the site's list or a built-in
 * one, or a code (a number, or digits in a string as before reasons had
 * names); none: 0, "unspecified". Whether a code is allowed is the
 * engine's to say (acd_agent_not_ready), this only resolves names.
 */
static int reason_code(struct callcentre *cc, const struct cti_req *q, uint16_t *code,
		       struct cti_reply *r)
{
	const char *s = q->reason;
	unsigned long v;
	char *end;
	int n;

	*code = ACD_REASON_NONE;
	if (q->reason_code >= 0) {
		v = (unsigned long)q->reason_code;
	} else if (!s) {
		return 0;
	} else if (s[0] >= '0' && s[0] <= '9') {
		v = strtoul(s, &end, 10);
		if (*end)
			return cti_reply_error(r, -EINVAL, "field 'reason': '%s' is neither a code nor a name", s);
	} else {
		n = acd_reason_find(cc->acfg, s);
		if (n < 0)
			return cti_reply_error(r, -ENOENT, "no reason '%s' (the reasons command lists them)", s);
		v = (unsigned long)n;
	}
	if (v > ACD_REASON_SITE_MAX)
		return cti_reply_error(r, -EINVAL, "reason %lu is %s", v,
				       v <= 0xffff && acd_reason_name(cc->acfg, (uint16_t)v) ?
				       "set by the engine only" : "out of range (codes 0-65520)");
	*code = (uint16_t)v;
	return 0;
}

void cc_reason_json(struct callcentre *cc, struct tdmx_json *j, uint16_t code)
{
	const char *name = acd_reason_name(cc->acfg, code);

	tdmx_json_uint(j, "reason", code);
	/* a code logged before the list named it has no name: code only */
	if (name)
		tdmx_json_str(j, "reason_name", name);
}

static void agent_json(struct callcentre *cc, struct tdmx_json *j, uint32_t a,
		       const struct acd_agent_status *st)
{
	tdmx_json_obj_open(j, NULL);
	tdmx_json_str(j, "agent", cc->acfg->agent[a].id);
	tdmx_json_str(j, "name", cc->acfg->agent[a].name);
	tdmx_json_str(j, "state", acd_agent_state_name(st->state));
	tdmx_json_uint(j, "since_ms", st->since_ms);
	if (st->state == ACD_AGENT_NOT_READY || st->not_ready_pending)
		cc_reason_json(cc, j, st->reason);
	if (st->call) {
		tdmx_json_uint(j, "call", st->call);
		if (st->queue < cc->acfg->nqueues)
			tdmx_json_str(j, "queue", cc->acfg->queue[st->queue].name);
	}
	tdmx_json_uint(j, "calls", st->calls);
	tdmx_json_obj_close(j);
}

/* members "waiting".. "agents" of queue @q's live figures */
void cc_queue_json(struct callcentre *cc, struct tdmx_json *j, uint32_t q, uint64_t now)
{
	struct acd_queue_status st;
	unsigned int s;

	if (acd_queue_status(cc->acd, q, now, &st))
		return;
	tdmx_json_uint(j, "waiting", st.waiting);
	tdmx_json_uint(j, "ringing", st.ringing);
	tdmx_json_uint(j, "talking", st.talking);
	tdmx_json_uint(j, "longest_wait_ms", st.longest_wait_ms);
	tdmx_json_obj_open(j, "agents");
	for (s = 0; s < ACD_AGENT__N; s++)
		tdmx_json_uint(j, acd_agent_state_name((enum acd_agent_state)s), st.agents[s]);
	tdmx_json_obj_close(j);
}

static int agent_status(struct callcentre *cc, const struct cti_req *q, struct cti_reply *r)
{
	struct tdmx_json *j = cti_reply_json(r);
	struct acd_agent_status st;
	uint32_t a, first = 0, last = cc->acfg->nagents;
	int i;

	if (q->agent) {
		i = agent_index(cc, q->agent, r);
		if (i < 0)
			return i;
		first = (uint32_t)i;
		last = first + 1;
	}
	tdmx_json_arr_open(j, "agents");
	for (a = first; a < last; a++)
		if (!acd_agent_status(cc->acd, a, &st))
			agent_json(cc, j, a, &st);
	tdmx_json_arr_close(j);
	return 0;
}

static int queue_status(struct callcentre *cc, const struct cti_req *q, struct cti_reply *r)
{
	struct tdmx_json *j = cti_reply_json(r);
	uint32_t i, first = 0, last = cc->acfg->nqueues;
	uint64_t now = cc_now(cc);
	int n;

	if (q->queue) {
		n = queue_index(cc, q->queue, r);
		if (n < 0)
			return n;
		first = (uint32_t)n;
		last = first + 1;
	}
	tdmx_json_arr_open(j, "queues");
	for (i = first; i < last; i++) {
		tdmx_json_obj_open(j, NULL);
		tdmx_json_str(j, "queue", cc->acfg->queue[i].name);
		cc_queue_json(cc, j, i, now);
		tdmx_json_obj_close(j);
	}
	tdmx_json_arr_close(j);
	return 0;
}

/* an agent's not-ready time per reason in the window, paid and unpaid sums */
static int reason_times(struct callcentre *cc, uint32_t agent, uint64_t now, enum acd_win w,
			struct tdmx_json *j)
{
	struct acd_reason_time rt[ACD_RSTATS_MAX_CODES + 2];
	const struct acd_reason_cfg *rc;
	uint64_t paid = 0, unpaid = 0;
	size_t n, i;
	int ret;

	ret = acd_agent_reason_times(cc->acd, agent, now, w, rt, ACD_RSTATS_MAX_CODES + 2, &n);
	if (ret)
		return ret;
	tdmx_json_arr_open(j, "reasons");
	for (i = 0; i < n; i++) {
		/* beyond ACD_RSTATS_MAX_CODES codes: one "untracked" total */
		rc = rt[i].code == ACD_RSTATS_UNTRACKED ? NULL :
		     acd_reason_get(cc->acfg, (uint16_t)rt[i].code);
		tdmx_json_obj_open(j, NULL);
		if (rt[i].code == ACD_RSTATS_UNTRACKED)
			tdmx_json_str(j, "reason_name", "untracked");
		else
			cc_reason_json(cc, j, (uint16_t)rt[i].code);
		tdmx_json_bool(j, "paid", rc && rc->paid);
		tdmx_json_uint(j, "ms", rt[i].ms);
		*(rc && rc->paid ? &paid : &unpaid) += rt[i].ms;
		tdmx_json_obj_close(j);
	}
	tdmx_json_arr_close(j);
	tdmx_json_uint(j, "not_ready_paid_ms", paid);
	tdmx_json_uint(j, "not_ready_unpaid_ms", unpaid);
	return 0;
}

/* every reason an agent may give (the site's list), then the built-in ones */
static int reasons(struct callcentre *cc, struct cti_reply *r)
{
	struct tdmx_json *j = cti_reply_json(r);
	const struct acd_reason_cfg *rc;
	unsigned int i;

	tdmx_json_arr_open(j, "reasons");
	for (i = 0; i < cc->acfg->nreasons + ACD_REASON_BUILTINS; i++) {
		bool builtin = i >= cc->acfg->nreasons;

		rc = builtin ? &acd_reason_builtin[i - cc->acfg->nreasons] : &cc->acfg->reason[i];
		tdmx_json_obj_open(j, NULL);
		tdmx_json_uint(j, "code", rc->code);
		tdmx_json_str(j, "name", rc->name);
		if (rc->max_ms)
			tdmx_json_uint(j, "max_ms", rc->max_ms);
		tdmx_json_bool(j, "paid", rc->paid);
		tdmx_json_bool(j, "builtin", builtin);
		tdmx_json_obj_close(j);
	}
	tdmx_json_arr_close(j);
	/* without a list any code 0-65520 is accepted (by number) */
	tdmx_json_bool(j, "any_code", cc->acfg->nreasons == 0);
	return 0;
}

static int stats(struct callcentre *cc, const struct cti_req *q, struct cti_reply *r)
{
	static const enum acd_win wins[] = {
		[CTI_WIN_15M] = ACD_WIN_15MIN, [CTI_WIN_1H] = ACD_WIN_1H, [CTI_WIN_DAY] = ACD_WIN_DAY,
	};
	static const char *const win_names[] = {
		[CTI_WIN_15M] = "15m", [CTI_WIN_1H] = "1h", [CTI_WIN_DAY] = "day",
	};
	struct tdmx_json *j = cti_reply_json(r);
	uint64_t now = cc_now(cc);
	struct acd_figures f;
	int i, ret;

	if (q->queue) {
		i = queue_index(cc, q->queue, r);
		ret = i < 0 ? i : acd_queue_stats(cc->acd, (uint32_t)i, now, wins[q->window], &f);
	} else {
		i = agent_index(cc, q->agent, r);
		ret = i < 0 ? i : acd_agent_stats(cc->acd, (uint32_t)i, now, wins[q->window], &f);
	}
	if (ret)
		return ret;
	tdmx_json_str(j, "window", win_names[q->window]);
	tdmx_json_uint(j, "offered", f.offered);
	tdmx_json_uint(j, "answered", f.answered);
	tdmx_json_uint(j, "abandoned", f.abandoned);
	tdmx_json_uint(j, "short_abandoned", f.short_abandoned);
	tdmx_json_uint(j, "overflowed", f.overflowed);
	tdmx_json_uint(j, "answered_in_sl", f.answered_in_sl);
	tdmx_json_uint(j, "sl_permille", f.sl_permille);
	tdmx_json_uint(j, "asa_ms", f.asa_ms);
	tdmx_json_uint(j, "aht_ms", f.aht_ms);
	tdmx_json_uint(j, "longest_wait_ms", f.longest_wait_ms);
	tdmx_json_uint(j, "occupancy_permille", f.occupancy_permille);
	return q->queue ? 0 : reason_times(cc, (uint32_t)i, now, wins[q->window], j);
}

/* agent inputs; the events they cause reach the clients before the reply */
static int agent_input(struct callcentre *cc, const struct cti_req *q, struct cti_reply *r)
{
	uint64_t now = cc_now(cc);
	uint16_t reason;
	uint32_t a;
	int i, ret;

	i = agent_index(cc, q->agent, r);
	if (i < 0)
		return i;
	a = (uint32_t)i;
	switch (q->cmd) {
	case CTI_AGENT_LOGIN:
		ret = acd_agent_login(cc->acd, now, a, false);
		break;
	case CTI_AGENT_LOGOUT:
		ret = acd_agent_logout(cc->acd, now, a);
		break;
	case CTI_AGENT_READY:
		ret = acd_agent_ready(cc->acd, now, a);
		break;
	case CTI_AGENT_NOT_READY:
		ret = reason_code(cc, q, &reason, r);
		if (ret)
			return ret;
		ret = acd_agent_not_ready(cc->acd, now, a, reason);
		if (ret == -ENOENT)
			ret = cti_reply_error(r, ret, "reason %u is not on this site's reasons list",
					      reason);
		break;
	default:
		ret = acd_agent_wrapup_done(cc->acd, now, a);
		break;
	}
	cc_after_input(cc);
	if (ret == -EBUSY)
		return cti_reply_error(r, ret, "agent '%s' cannot do that in its present state",
				       q->agent);
	return ret;
}

int cc_cti_handle(void *priv, const struct cti_req *q, struct cti_reply *r)
{
	struct callcentre *cc = priv;
	uint64_t call;
	int ret;

	switch (q->cmd) {
	case CTI_AGENT_STATUS:
		return agent_status(cc, q, r);
	case CTI_QUEUE_STATUS:
		return queue_status(cc, q, r);
	case CTI_STATS:
		return stats(cc, q, r);
	case CTI_REASONS:
		return reasons(cc, r);
	case CTI_ACD_CALL:
		ret = callcentre_call(cc, q->queue, q->caller, q->dialled, (unsigned int)q->priority,
				      q->ivr, q->nivr, &call);
		if (ret == -ENOENT)
			return cti_reply_error(r, ret, "no queue '%s'", q->queue);
		if (!ret)
			tdmx_json_uint(cti_reply_json(r), "call", call);
		return ret;
	default:
		return agent_input(cc, q, r);
	}
}

struct snap {
	struct callcentre *cc;
	const struct cti_req *q;
	struct tdmx_json *j;
	int kind;		/* the array open, -1 none */
};

static int snap_item(void *arg, const struct acd_snap_item *it)
{
	static const char *const arrays[] = { "agents", "queues", "calls" };
	struct snap *s = arg;
	struct callcentre *cc = s->cc;
	const char *own = s->q->own_agent;
	const struct acd_call_status *c = &it->u.call;

	if ((int)it->kind != s->kind) {
		if (s->kind >= 0)
			tdmx_json_arr_close(s->j);
		s->kind = (int)it->kind;
		tdmx_json_arr_open(s->j, arrays[it->kind]);
	}
	switch (it->kind) {
	case ACD_SNAP_AGENT:
		/* an agent token sees its own agent only */
		if (!own || !strcmp(cc->acfg->agent[it->index].id, own))
			agent_json(cc, s->j, it->index, &it->u.agent);
		break;
	case ACD_SNAP_QUEUE:
		tdmx_json_obj_open(s->j, NULL);
		tdmx_json_str(s->j, "queue", cc->acfg->queue[it->index].name);
		cc_queue_json(cc, s->j, it->index, acd_now(cc->acd));
		tdmx_json_obj_close(s->j);
		break;
	case ACD_SNAP_CALL:
		/* callers' numbers are for supervisors, and the agent on the call */
		if (own && (c->agent >= cc->acfg->nagents || strcmp(cc->acfg->agent[c->agent].id, own)))
			break;
		tdmx_json_obj_open(s->j, NULL);
		tdmx_json_uint(s->j, "call", c->call);
		tdmx_json_str(s->j, "queue", cc->acfg->queue[c->queue].name);
		tdmx_json_str(s->j, "state", c->connected ? "connected" :
				  c->ringing ? "ringing" : "waiting");
		if (c->position)
			tdmx_json_uint(s->j, "position", c->position);
		if (c->agent < cc->acfg->nagents)
			tdmx_json_str(s->j, "agent", cc->acfg->agent[c->agent].id);
		tdmx_json_uint(s->j, "priority", c->priority);
		tdmx_json_uint(s->j, "queued_ms", c->queued_ms);
		tdmx_json_str(s->j, "caller", c->caller ? c->caller : "");
		tdmx_json_str(s->j, "dialled", c->dnis ? c->dnis : "");
		tdmx_json_obj_close(s->j);
		break;
	}
	return 0;
}

int cc_cti_snapshot(void *priv, const struct cti_req *q, struct tdmx_json *j)
{
	struct callcentre *cc = priv;
	struct snap s = { cc, q, j, -1 };
	int ret;

	ret = acd_snapshot(cc->acd, cc_now(cc), snap_item, &s);
	if (s.kind >= 0)
		tdmx_json_arr_close(j);
	return ret;
}
