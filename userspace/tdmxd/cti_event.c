// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * CTI events: numbering, the bounded history kept for resync, the
 * per-connection filters, and delivery that never waits for a client.
 *
 * The history is a ring of cfg.history events indexed by sequence number
 * modulo its size; sequence numbers start at 1 and never repeat while the
 * daemon runs. A client that lost events (its output queue was full) gets
 * no further event until one "lost" notice has been queued, so what it
 * misses is always one contiguous range it can resync over.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cti_priv.h"
#include "log.h"

/* the event types of the protocol (Documentation/cti.md, "Events") */
static const char *const event_types[] = {
	"agent_state",		/* an agent's state changed */
	"reason_overrun",	/* an agent is not-ready longer than its reason's max */
	"call_queued",		/* a call joined a queue */
	"call_offered",		/* a call rings an agent: the screen pop */
	"call_offer_cancelled",	/* it stopped ringing that agent */
	"call_answered",	/* the agent took it */
	"call_no_answer",	/* the agent let it ring out */
	"call_abandoned",	/* the caller hung up while waiting */
	"call_overflow",	/* it left the queue for its overflow target */
	"call_refused",		/* it was not let into the queue, no target */
	"call_ended",		/* the call is over */
	"queue_status",		/* live figures of a queue changed */
	NULL,
};

bool cti_event_known(const char *type)
{
	unsigned int i;

	for (i = 0; event_types[i]; i++)
		if (!strcmp(event_types[i], type))
			return true;
	return false;
}

static bool in(const struct cti_names *set, const char *s)
{
	unsigned int i;

	for (i = 0; i < set->n; i++)
		if (!strcmp(set->name[i], s))
			return true;
	return false;
}

/**
 * cti_passes() - may @cl see @h, and does it want it?
 * @cl: the client
 * @h: the event
 * @need_sub: only if subscribed (live delivery); else an unsubscribed
 *	client sees every event its role allows (resync)
 *
 * Return: true to send it.
 */
bool cti_passes(const struct cti_client *cl, const struct cti_hist *h, bool need_sub)
{
	const struct cti_sub *s = &cl->sub;

	if (!cl->tok || (need_sub && !s->on))
		return false;
	/* an agent never sees another agent's events (screen pops hold customer data) */
	if (cl->tok->role == CTI_ROLE_AGENT && h->agent[0] && strcmp(h->agent, cl->tok->agent))
		return false;
	if (!s->on)
		return true;
	if (s->events.n && !in(&s->events, h->type))
		return false;
	if (!s->queues.n && !s->agents.n)
		return true;
	return (h->queue[0] && in(&s->queues, h->queue)) ||
	       (h->agent[0] && in(&s->agents, h->agent));
}

static void send_one(struct cti_client *cl, const struct cti_hist *h)
{
	int ret;

	if (cl->lost_count) {
		cl->lost_last = h->seq;
		cl->lost_count++;
		return;
	}
	ret = jsonl_send(cl->k, h->line, h->len, true);
	if (ret == -ENOBUFS || ret == -ENOMEM) {
		cl->lost_first = cl->lost_last = h->seq;
		cl->lost_count = 1;
	}
}

/* push @h to every subscribed client that wants it */
void cti_deliver(struct cti *c, const struct cti_hist *h)
{
	struct jsonl_conn *k;
	struct cti_client *cl;

	for (k = jsonl_conn_first(c->srv); k; k = jsonl_conn_next(k)) {
		cl = jsonl_conn_data(k);
		if (cl && cti_passes(cl, h, true))
			send_one(cl, h);
	}
}

/* the client's queue drained: tell it what it lost (one line, never dropped) */
void cti_send_lost(struct cti_client *cl)
{
	char line[200];
	int n;

	if (!cl->lost_count || !cl->k)
		return;
	n = snprintf(line, sizeof(line),
		     "{\"event\":\"lost\",\"first\":%llu,\"last\":%llu,\"count\":%llu,"
		     "\"resync_since\":%llu}\n",
		     (unsigned long long)cl->lost_first, (unsigned long long)cl->lost_last,
		     (unsigned long long)cl->lost_count, (unsigned long long)cl->lost_first - 1);
	log_info("cti", "conn%llu: lost events %llu-%llu",
		 (unsigned long long)jsonl_conn_id(cl->k), (unsigned long long)cl->lost_first,
		 (unsigned long long)cl->lost_last);
	if (!jsonl_send(cl->k, line, (size_t)n, false))
		cl->lost_first = cl->lost_last = cl->lost_count = 0;
}

/* the object's members without its braces ("" for "{}" or NULL) */
static int members(const char *object, const char **m, size_t *n)
{
	size_t len;

	*m = "";
	*n = 0;
	if (!object)
		return 0;
	while (*object == ' ')
		object++;
	len = strlen(object);
	while (len && object[len - 1] == ' ')
		len--;
	if (len < 2 || object[0] != '{' || object[len - 1] != '}' || memchr(object, '\n', len))
		return -EINVAL;
	*m = object + 1;
	*n = len - 2;
	return 0;
}

static void copy_name(char *dst, const char *s)
{
	snprintf(dst, CTI_NAME_LEN, "%s", s ? s : "");
}

/**
 * cti_publish() - number @ev, keep it, and push it to whoever wants it
 * @c: the server
 * @ev: the event; @ev->object must not repeat the members cti writes
 *	(event, seq, queue, agent)
 *
 * Return: its sequence number, or -EINVAL (unknown type, object not one
 * JSON object on one line), -ENOMEM.
 */
int64_t cti_publish(struct cti *c, const struct cti_event *ev)
{
	struct cti_hist *h;
	const char *m;
	size_t mlen;
	char *line = NULL;
	size_t len = 0;
	FILE *f;

	if (!cti_event_known(ev->type) || members(ev->object, &m, &mlen))
		return -EINVAL;
	f = open_memstream(&line, &len);
	if (!f)
		return -ENOMEM;
	fprintf(f, "{\"event\":\"%s\",\"seq\":%llu", ev->type, (unsigned long long)c->seq + 1);
	if (ev->queue) {
		fputs(",\"queue\":", f);
		tdmx_json_escape(f, ev->queue);
	}
	if (ev->agent) {
		fputs(",\"agent\":", f);
		tdmx_json_escape(f, ev->agent);
	}
	if (mlen) {
		fputc(',', f);
		fwrite(m, 1, mlen, f);
	}
	fputs("}\n", f);
	if (fclose(f)) {
		free(line);
		return -ENOMEM;
	}
	c->seq++;
	h = &c->hist[c->seq % c->cfg.history];
	free(h->line);
	h->seq = c->seq;
	snprintf(h->type, sizeof(h->type), "%s", ev->type);
	copy_name(h->queue, ev->queue);
	copy_name(h->agent, ev->agent);
	h->line = line;
	h->len = len;
	cti_deliver(c, h);
	return (int64_t)c->seq;
}

uint64_t cti_seq(const struct cti *c)
{
	return c->seq;
}

/**
 * cti_replay() - queue the kept events after @since that @cl may see
 * @c: the server
 * @cl: the client
 * @since: the last sequence number it has
 * @gap: set when events after @since are no longer kept (nothing sent)
 * @count: receives the number of events queued
 *
 * Return: 0, or -EINVAL when @since is ahead of the last event.
 */
int cti_replay(struct cti *c, struct cti_client *cl, uint64_t since, bool *gap,
	       unsigned int *count)
{
	uint64_t oldest, s;
	const struct cti_hist *h;

	*gap = false;
	*count = 0;
	if (since > c->seq)
		return -EINVAL;
	oldest = c->seq >= c->cfg.history ? c->seq - c->cfg.history + 1 : 1;
	/* a pending loss is covered by this resync */
	cl->lost_first = cl->lost_last = cl->lost_count = 0;
	if (since + 1 < oldest) {
		*gap = true;
		return 0;
	}
	for (s = since + 1; s <= c->seq; s++) {
		h = &c->hist[s % c->cfg.history];
		if (!cti_passes(cl, h, false))
			continue;
		if (jsonl_send(cl->k, h->line, h->len, false))
			break;
		(*count)++;
	}
	return 0;
}

void cti_hist_free(struct cti *c)
{
	unsigned int i;

	for (i = 0; c->hist && i < c->cfg.history; i++)
		free(c->hist[i].line);
	free(c->hist);
}
