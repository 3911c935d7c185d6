// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tdmxd call centre glue (see callcentre.h): start-up and recovery, the
 * engine's clock and deadline timer, the event log, and the translation
 * of ACD events into CTI events with their screen-pop data.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "callcentre_priv.h"
#include "cti_tokens.h"
#include "log.h"

#define CC_DEFAULT_TCP_PORT	4573

/* --------------------------------------------------------------- clock */

/* wall-clock ms, never less than the engine's last input (see callcentre.h) */
uint64_t cc_now(struct callcentre *cc)
{
	struct timespec ts;
	uint64_t now;

	clock_gettime(CLOCK_REALTIME, &ts);
	now = (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
	if (now < cc->last_ms)
		now = cc->last_ms;
	if (now < acd_now(cc->acd))
		now = acd_now(cc->acd);
	cc->last_ms = now;
	return now;
}

/* ------------------------------------------------------ deadline timer */

static void on_deadline(struct loop_timer *t, void *arg)
{
	struct callcentre *cc = arg;

	(void)t;
	acd_advance(cc->acd, cc_now(cc));
	cc_after_input(cc);
}

/* arm a timeout for the engine's earliest deadline unless one as early is armed */
static void rearm(struct callcentre *cc)
{
	uint64_t d = acd_next_deadline(cc->acd), now;
	int cur = -1, free_slot = -1, i;

	for (i = 0; i < CC_TIMERS; i++) {
		if (cc->timer[i].armed && !cc->timer[i].cancelled)
			cur = i;
		else if (!cc->timer[i].armed && free_slot < 0)
			free_slot = i;
	}
	/* an armed timer with no deadline left just fires and finds nothing */
	if (d == UINT64_MAX || (cur >= 0 && cc->timer_at[cur] <= d))
		return;
	if (free_slot < 0) {
		log_warn("acd", "no free deadline timer: the next one fires late");
		return;
	}
	if (cur >= 0)
		loop_timer_cancel(&cc->timer[cur]);
	now = cc_now(cc);
	cc->timer[free_slot].fn = on_deadline;
	cc->timer[free_slot].arg = cc;
	cc->timer_at[free_slot] = d;
	loop_timer_arm(cc->loop, &cc->timer[free_slot], d > now ? d - now : 0);
}

/* --------------------------------------------------- events to clients */

static const char *queue_name(struct callcentre *cc, uint32_t q)
{
	return q < cc->acfg->nqueues ? cc->acfg->queue[q].name : NULL;
}

static const char *agent_id(struct callcentre *cc, uint32_t a)
{
	return a < cc->acfg->nagents ? cc->acfg->agent[a].id : NULL;
}

/* the IVR data of a call: "key=value" lines into an object */
static void ivr_json(struct tdmx_json *j, const char *data)
{
	char item[256], *eq;
	const char *p = data, *nl;
	size_t n;

	tdmx_json_obj_open(j, "ivr");
	while (p && *p) {
		nl = strchr(p, '\n');
		n = nl ? (size_t)(nl - p) : strlen(p);
		if (n < sizeof(item)) {
			memcpy(item, p, n);
			item[n] = 0;
			eq = strchr(item, '=');
			if (eq && eq != item) {
				*eq = 0;
				tdmx_json_str(j, item, eq + 1);
			}
		}
		p = nl ? nl + 1 : NULL;
	}
	tdmx_json_obj_close(j);
}

/* the screen pop: everything the desktop shows when the call rings */
static void screen_pop(struct callcentre *cc, struct tdmx_json *j, const struct acd_event *ev)
{
	const struct custdb_rec *rec;
	struct acd_call_status cs;

	tdmx_json_uint(j, "timeout_ms", ev->d.offer.timeout_ms);
	if (acd_call_status(cc->acd, ev->call, &cs))
		return;
	tdmx_json_str(j, "caller", cs.caller ? cs.caller : "");
	tdmx_json_str(j, "dialled", cs.dnis ? cs.dnis : "");
	tdmx_json_uint(j, "priority", cs.priority);
	tdmx_json_uint(j, "wait_ms", ev->time_ms - cs.queued_ms);
	ivr_json(j, cs.data);
	if (!cc->cust)
		return;
	/* looked up on the first offer of the call, cached until it ends */
	rec = custdb_call_get(cc->cust, ev->call, cs.caller ? cs.caller : "");
	if (rec)
		custdb_json(j, "customer", rec);
}

static const char *const cancel_names[ACD_CANCEL__N] = {
	"answered_elsewhere", "abandoned", "timeout", "agent", "overflow",
};
static const char *const reject_names[ACD_REJECT__N] = { "declined", "no_answer", "failed" };

static const char *word(const char *const *names, unsigned int n, unsigned int v)
{
	return v < n ? names[v] : "?";
}

/* fill @j's members for @ev; return the CTI event type, or NULL to skip it */
static const char *event_members(struct callcentre *cc, struct tdmx_json *j,
				 const struct acd_event *ev)
{
	switch (ev->type) {
	case ACD_EV_AGENT_STATE:
		tdmx_json_str(j, "state", acd_agent_state_name(ev->d.state.state));
		tdmx_json_str(j, "prev", acd_agent_state_name(ev->d.state.prev));
		if (ev->d.state.state == ACD_AGENT_NOT_READY)
			cc_reason_json(cc, j, ev->d.state.reason);
		if (ev->d.state.state == ACD_AGENT_WRAPUP)
			tdmx_json_uint(j, "wrapup_ms", ev->d.state.wrapup_ms);
		return "agent_state";
	case ACD_EV_CALL_ARRIVE:
		return NULL;	/* call_queued (or refused/overflow) follows */
	case ACD_EV_CALL_QUEUED:
		tdmx_json_uint(j, "position", ev->d.pos.position);
		tdmx_json_uint(j, "tier", ev->d.pos.tier);
		if (ev->d.pos.ewt_ms != ACD_EWT_UNKNOWN)
			tdmx_json_uint(j, "ewt_ms", ev->d.pos.ewt_ms);
		return "call_queued";
	case ACD_EV_OFFER:
		screen_pop(cc, j, ev);
		return "call_offered";
	case ACD_EV_OFFER_CANCEL:
		tdmx_json_str(j, "why", word(cancel_names, ACD_CANCEL__N, ev->d.cancel));
		return "call_offer_cancelled";
	case ACD_EV_OFFER_REJECT:
		tdmx_json_str(j, "why", word(reject_names, ACD_REJECT__N, ev->d.reject));
		return "call_no_answer";
	case ACD_EV_CONNECT:
		tdmx_json_uint(j, "wait_ms", ev->d.connect.wait_ms);
		tdmx_json_uint(j, "predicted_ms", ev->d.connect.predicted_ms);
		return "call_answered";
	case ACD_EV_CALL_ABANDON:
		return "call_abandoned";
	case ACD_EV_OVERFLOW:
	case ACD_EV_CALL_REFUSED:
		tdmx_json_uint(j, "wait_ms", ev->d.leave.wait_ms);
		if (ev->d.leave.target.kind == ACD_TARGET_QUEUE)
			tdmx_json_str(j, "target", queue_name(cc, ev->d.leave.target.queue));
		else if (ev->d.leave.target.kind != ACD_TARGET_NONE)
			tdmx_json_str(j, "target", ev->d.leave.target.dest);
		return ev->type == ACD_EV_OVERFLOW ? "call_overflow" : "call_refused";
	case ACD_EV_CALL_END:
		return "call_ended";
	case ACD_EV_REASON_OVERRUN:
		cc_reason_json(cc, j, ev->d.overrun.reason);
		tdmx_json_uint(j, "max_ms", ev->d.overrun.max_ms);
		tdmx_json_uint(j, "since_ms", ev->d.overrun.since_ms);
		return "reason_overrun";
	default:
		return NULL;	/* other inputs show as agent_state; escalations and announcements stay internal */
	}
}

/* the call has left the engine: forget its screen-pop record */
static bool call_gone(const struct acd_event *ev)
{
	return ev->type == ACD_EV_CALL_END || ev->type == ACD_EV_CALL_ABANDON ||
	       ev->type == ACD_EV_CALL_REFUSED ||
	       (ev->type == ACD_EV_OVERFLOW && ev->d.leave.target.kind != ACD_TARGET_QUEUE);
}

static void publish(struct callcentre *cc, const struct acd_event *ev)
{
	struct cti_event ce = { 0 };
	struct tdmx_json j;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return;
	tdmx_json_init(&j, f, false);
	tdmx_json_obj_open(&j, NULL);
	tdmx_json_uint(&j, "time_ms", ev->time_ms);
	if (ev->call)
		tdmx_json_uint(&j, "call", ev->call);
	ce.type = event_members(cc, &j, ev);
	tdmx_json_obj_close(&j);
	if (!fclose(f) && ce.type) {
		ce.queue = queue_name(cc, ev->queue);
		ce.agent = agent_id(cc, ev->agent);
		ce.object = buf;
		if (cti_publish(cc->cti, &ce) < 0)
			log_err("cti", "could not publish %s", ce.type);
	}
	free(buf);
	if (ev->queue < cc->acfg->nqueues && ev->call)
		cc->dirty[ev->queue] = true;
	if (cc->cust && call_gone(ev))
		custdb_call_forget(cc->cust, ev->call);
}

static void sink(void *arg, const struct acd_event *ev)
{
	struct callcentre *cc = arg;
	int ret;

	if (cc->log) {
		ret = acd_log_write(cc->acd, ev, cc->log);
		if (ret < 0 && ret != cc->log_err)
			log_err("acd", "event log: %s", strerror(-ret));
		cc->log_err = ret < 0 ? ret : 0;
	}
	if (cc->cti)
		publish(cc, ev);
}

/* after every input: flush the log, push queue figures, re-arm the timer */
void cc_after_input(struct callcentre *cc)
{
	struct cti_event ce = { .type = "queue_status" };
	struct tdmx_json j;
	uint64_t now = cc_now(cc);
	unsigned int q;
	char *buf;
	size_t len;
	FILE *f;

	if (cc->log && fflush(cc->log) && !cc->log_err) {
		cc->log_err = -errno;
		log_err("acd", "event log: %s", strerror(errno));
	}
	for (q = 0; q < cc->acfg->nqueues; q++) {
		if (!cc->dirty[q])
			continue;
		cc->dirty[q] = false;
		buf = NULL;
		f = open_memstream(&buf, &len);
		if (!f)
			continue;
		tdmx_json_init(&j, f, false);
		tdmx_json_obj_open(&j, NULL);
		tdmx_json_uint(&j, "time_ms", now);
		cc_queue_json(cc, &j, q, now);
		tdmx_json_obj_close(&j);
		if (!fclose(f)) {
			ce.queue = cc->acfg->queue[q].name;
			ce.object = buf;
			cti_publish(cc->cti, &ce);
		}
		free(buf);
	}
	rearm(cc);
}

/* ------------------------------------------------------------- calls */

/**
 * callcentre_call() - a call arrives in @queue (test hook and the CTI
 *	command acd_call until call control offers calls)
 * @cc: the call centre
 * @queue: queue name
 * @caller: the caller's number
 * @dialled: the number dialled (may be NULL)
 * @priority: 0-255, higher first
 * @ivr: "key=value" items the IVR collected
 * @nivr: entries in @ivr
 * @call: receives the call id
 *
 * Return: 0, -ENOENT (no such queue), -EINVAL or the engine's error.
 */
int callcentre_call(struct callcentre *cc, const char *queue, const char *caller,
		    const char *dialled, unsigned int priority, const char *const *ivr,
		    unsigned int nivr, uint64_t *call)
{
	char data[256] = "";
	size_t used = 0;
	unsigned int i;
	int q, ret, n;

	q = acd_queue_find(cc->acd, queue);
	if (q < 0)
		return q;
	if (priority > ACD_MAX_PRIORITY)
		return -EINVAL;
	for (i = 0; i < nivr; i++) {
		if (strchr(ivr[i], '\n'))
			return -EINVAL;
		n = snprintf(data + used, sizeof(data) - used, "%s%s", i ? "\n" : "", ivr[i]);
		if (n < 0 || (size_t)n >= sizeof(data) - used)
			return -EINVAL;
		used += (size_t)n;
	}
	*call = ++cc->next_call;
	ret = acd_call_arrive(cc->acd, cc_now(cc), *call, (uint32_t)q, (uint8_t)priority, caller,
			      dialled, data);
	cc_after_input(cc);
	return ret;
}

/* ------------------------------------------------------------ start-up */

/* replay the log into the fresh engine, cut a torn tail, append from there */
static int recover(struct callcentre *cc, const char *path, char *err, size_t errlen)
{
	uint64_t good = 0;
	FILE *f = fopen(path, "re");
	int ret;

	if (f) {
		ret = acd_log_replay(cc->acd, f, &good, err, errlen);
		fclose(f);
		if (ret)
			return ret;
		if (truncate(path, (off_t)good)) {
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			return -errno;
		}
		log_notice("acd", "recovered from %s: %llu events, %llu bytes", path,
			   (unsigned long long)acd_last_seq(cc->acd), (unsigned long long)good);
	} else if (errno != ENOENT) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -errno;
	}
	cc->log = fopen(path, "ae");
	if (!cc->log) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -errno;
	}
	return 0;
}

static int start_cti(struct callcentre *cc, struct loop *l, enum loop_op op,
		     const struct cfg *c, uid_t uid, gid_t gid, char *err, size_t errlen)
{
	struct cti_backend be = { cc_cti_handle, cc_cti_snapshot, cc };
	struct cti_config ccfg = { .history = c->cti_history };
	struct cti_token *tokens = NULL;
	unsigned int ntokens = 0, port = c->cti_tcp_port ? c->cti_tcp_port : CC_DEFAULT_TCP_PORT;
	int ret;

	if (c->cti_tokens[0]) {
		ret = cti_tokens_load(c->cti_tokens, &tokens, &ntokens, err, errlen);
		if (ret)
			return ret;
	} else {
		log_warn("cti", "no tokens file: no client can authenticate");
	}
	ccfg.tokens = tokens;
	ccfg.ntokens = ntokens;
	cc->cti = cti_create(l, op, &ccfg, &be, &ret);
	free(tokens);
	if (!cc->cti) {
		snprintf(err, errlen, "cti: %s", strerror(-ret));
		return ret;
	}
	ret = cti_listen_unix(cc->cti, c->cti_socket, uid, gid);
	if (ret) {
		snprintf(err, errlen, "%s: %s", c->cti_socket, strerror(-ret));
		return ret;
	}
	if (c->cti_tcp_address[0]) {
		ret = cti_listen_tcp(cc->cti, c->cti_tcp_address, port, NULL);
		if (ret) {
			snprintf(err, errlen, "cti: tcp %s port %u: %s", c->cti_tcp_address, port,
				 ret == -EINVAL ? "not a numeric address" : strerror(-ret));
			return ret;
		}
	}
	return 0;
}

/**
 * callcentre_start() - load the ACD, recover it from its log, open the
 *	screen-pop database and the CTI socket (on @l's thread)
 * @l: the control loop
 * @op: the loop op for the CTI socket's operations (jsonl.h)
 * @c: the daemon's configuration (acd: and cti: sections)
 * @uid: owner for the CTI socket ((uid_t)-1: leave)
 * @gid: group for it
 * @out: the call centre
 * @err: what went wrong
 * @errlen: size of @err
 *
 * Return: 0 or a negative errno with @err set.
 */
int callcentre_start(struct loop *l, enum loop_op op, const struct cfg *c, uid_t uid,
		     gid_t gid, struct callcentre **out, char *err, size_t errlen)
{
	struct callcentre *cc = aligned_alloc(16, sizeof(*cc));
	struct custdb_rules rules;
	int ret;

	if (!cc)
		return -ENOMEM;
	memset(cc, 0, sizeof(*cc));
	cc->loop = l;
	ret = acd_config_load(c->acd_config, &cc->acfg, err, errlen);
	if (ret)
		goto err;
	ret = acd_new(cc->acfg, &cc->acd);
	if (ret) {
		snprintf(err, errlen, "%s: %s", c->acd_config, strerror(-ret));
		goto err;
	}
	ret = -ENOMEM;
	cc->dirty = calloc(cc->acfg->nqueues + 1, sizeof(*cc->dirty));
	if (!cc->dirty)
		goto err;
	ret = recover(cc, c->acd_log, err, errlen);
	if (ret)
		goto err;
	acd_set_sink(cc->acd, sink, cc);
	if (c->cti_customers[0]) {
		custdb_rules_default(&rules, c->cti_country);
		ret = custdb_open(c->cti_customers, &rules, &cc->cust, err, errlen);
		if (ret)
			goto err;
	}
	ret = start_cti(cc, l, op, c, uid, gid, err, errlen);
	if (ret)
		goto err;
	/* call ids unique across restarts: the start time in ms, times 1024 */
	cc->next_call = cc_now(cc) << 10;
	rearm(cc);
	*out = cc;
	return 0;

err:
	callcentre_free(cc);
	return ret;
}

/* close the CTI connections and stop accepting (on the loop's thread) */
void callcentre_shutdown(struct callcentre *cc)
{
	int i;

	if (!cc)
		return;
	for (i = 0; i < CC_TIMERS; i++)
		loop_timer_cancel(&cc->timer[i]);
	if (cc->cti)
		cti_shutdown(cc->cti);
}

/* free everything; the loop must be gone */
void callcentre_free(struct callcentre *cc)
{
	if (!cc)
		return;
	cti_destroy(cc->cti);
	custdb_close(cc->cust);
	if (cc->log)
		fclose(cc->log);
	acd_free(cc->acd);
	acd_config_free(cc->acfg);
	free(cc->dirty);
	free(cc);
}

struct cti *callcentre_cti(struct callcentre *cc)
{
	return cc->cti;
}
