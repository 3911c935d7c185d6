// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ACD configuration (acd.h): builders for code, a whole-config check, and
 * the YAML file. libyaml loads the document; this file walks its nodes:
 * the top-level "skills" list first (queues and agents name skills), then
 * "queues" and "agents"; overflow targets naming a queue are resolved
 * once every queue is known. Every error names file, line, column and
 * key. The format is documented in Documentation/acd.md.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acd_int.h"
#include "yamlcfg.h"

/* -------------------------------------------------------------- builders */

struct acd_config *acd_config_new(void)
{
	return calloc(1, sizeof(struct acd_config));
}

void acd_config_free(struct acd_config *c)
{
	if (!c)
		return;
	free(c->skill);
	free(c->queue);
	free(c->agent);
	free(c->reason);
	free(c);
}

void acd_queue_cfg_init(struct acd_queue_cfg *q, const char *name)
{
	memset(q, 0, sizeof(*q));
	snprintf(q->name, sizeof(q->name), "%s", name);
	q->strategy = ACD_STRAT_LONGEST_IDLE;
	q->ntiers = 1;
	q->ring_timeout_ms = 15000;
	q->max_no_answer = 3;
	q->sl_threshold_ms = 20000;
	q->short_abandon_ms = 5000;
	q->ewt_default_aht_ms = 180000;
	q->ewt_max_error_permille = 300;
}

void acd_agent_cfg_init(struct acd_agent_cfg *a, const char *id)
{
	memset(a, 0, sizeof(*a));
	snprintf(a->id, sizeof(a->id), "%s", id);
}

/* make room for one more of @size bytes in *v (count n, capacity *cap) */
static int grow(void **v, unsigned int n, unsigned int *cap, size_t size)
{
	unsigned int ncap;
	void *nv;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 8;
	nv = realloc(*v, ncap * size);
	if (!nv)
		return -ENOMEM;
	*v = nv;
	*cap = ncap;
	return 0;
}

int acd_config_add_skill(struct acd_config *c, const char *name)
{
	int ret;

	if (!name[0] || strlen(name) >= ACD_NAME_MAX)
		return -EINVAL;
	if (acd_config_skill_find(c, name) >= 0)
		return -EEXIST;
	ret = grow((void **)&c->skill, c->nskills, &c->cap_skills, sizeof(*c->skill));
	if (ret)
		return ret;
	snprintf(c->skill[c->nskills], ACD_NAME_MAX, "%s", name);
	return (int)c->nskills++;
}

int acd_config_skill_find(const struct acd_config *c, const char *name)
{
	unsigned int i;

	for (i = 0; i < c->nskills; i++)
		if (!strcmp(c->skill[i], name))
			return (int)i;
	return -ENOENT;
}

int acd_config_add_queue(struct acd_config *c, const struct acd_queue_cfg *q)
{
	int ret = grow((void **)&c->queue, c->nqueues, &c->cap_queues, sizeof(*c->queue));

	if (ret)
		return ret;
	c->queue[c->nqueues] = *q;
	return (int)c->nqueues++;
}

int acd_config_add_agent(struct acd_config *c, const struct acd_agent_cfg *a)
{
	int ret = grow((void **)&c->agent, c->nagents, &c->cap_agents, sizeof(*c->agent));

	if (ret)
		return ret;
	c->agent[c->nagents] = *a;
	return (int)c->nagents++;
}

/* ------------------------------------------------------------------ check */

#define cerr acd_config_err

int acd_config_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

static int check_queue(const struct acd_config *c, const struct acd_queue_cfg *q,
		       char *err, size_t errlen)
{
	unsigned int t, i;

	if (!q->name[0] || memchr(q->name, 0, ACD_NAME_MAX) == NULL)
		return cerr(err, errlen, "queue: a name is required");
	if ((unsigned int)q->strategy >= ACD_STRAT__N)
		return cerr(err, errlen, "queue %s: bad strategy", q->name);
	if (q->ntiers < 1 || q->ntiers > ACD_MAX_TIERS)
		return cerr(err, errlen, "queue %s: 1 to %d tiers", q->name, ACD_MAX_TIERS);
	if (q->tier[0].after_ms)
		return cerr(err, errlen, "queue %s: tier 1 applies from arrival (after 0)", q->name);
	for (t = 0; t < q->ntiers; t++) {
		if (t && q->tier[t].after_ms <= q->tier[t - 1].after_ms)
			return cerr(err, errlen, "queue %s: tier %u: 'after' must grow from tier to tier",
				    q->name, t + 1);
		if (q->tier[t].nreq > ACD_MAX_REQ)
			return cerr(err, errlen, "queue %s: tier %u: at most %d skills", q->name,
				    t + 1, ACD_MAX_REQ);
		for (i = 0; i < q->tier[t].nreq; i++) {
			if (q->tier[t].req[i].skill >= c->nskills)
				return cerr(err, errlen, "queue %s: tier %u: unknown skill", q->name, t + 1);
			if (q->tier[t].req[i].min_level < 1 || q->tier[t].req[i].min_level > ACD_MAX_LEVEL)
				return cerr(err, errlen, "queue %s: tier %u: levels are 1 to %d",
					    q->name, t + 1, ACD_MAX_LEVEL);
		}
	}
	if ((unsigned int)q->join_rule >= ACD_EMPTY__N || (unsigned int)q->leave_rule >= ACD_EMPTY__N)
		return cerr(err, errlen, "queue %s: bad join/leave rule", q->name);
	if ((unsigned int)q->overflow.kind >= ACD_TARGET__N ||
	    (q->overflow.kind == ACD_TARGET_QUEUE && q->overflow.queue >= c->nqueues))
		return cerr(err, errlen, "queue %s: bad overflow target", q->name);
	return 0;
}

static int check_agent(const struct acd_config *c, const struct acd_agent_cfg *a,
		       char *err, size_t errlen)
{
	unsigned int i, j;

	if (!a->id[0] || memchr(a->id, 0, ACD_NAME_MAX) == NULL)
		return cerr(err, errlen, "agent: an id is required");
	if (a->nskills > ACD_MAX_AGENT_SKILLS)
		return cerr(err, errlen, "agent %s: at most %d skills", a->id, ACD_MAX_AGENT_SKILLS);
	for (i = 0; i < a->nskills; i++) {
		if (a->skill[i].skill >= c->nskills)
			return cerr(err, errlen, "agent %s: unknown skill", a->id);
		if (a->skill[i].level < 1 || a->skill[i].level > ACD_MAX_LEVEL)
			return cerr(err, errlen, "agent %s: skill %s: levels are 1 to %d", a->id,
				    c->skill[a->skill[i].skill], ACD_MAX_LEVEL);
		for (j = 0; j < i; j++)
			if (a->skill[j].skill == a->skill[i].skill)
				return cerr(err, errlen, "agent %s: skill %s given twice", a->id,
					    c->skill[a->skill[i].skill]);
	}
	return 0;
}

int acd_config_check(const struct acd_config *c, char *err, size_t errlen)
{
	struct acd_namemap ids;
	unsigned int i;
	uint32_t j;
	int ret;

	if (!c)
		return -EINVAL;
	for (i = 0; i < c->nqueues; i++) {
		ret = check_queue(c, &c->queue[i], err, errlen);
		if (ret)
			return ret;
		for (j = 0; j < i; j++)	/* a few queues: pairs are cheap */
			if (!strcmp(c->queue[j].name, c->queue[i].name))
				return cerr(err, errlen, "queue %s: defined twice", c->queue[i].name);
	}
	for (i = 0; i < c->nagents; i++) {
		ret = check_agent(c, &c->agent[i], err, errlen);
		if (ret)
			return ret;
	}
	/* duplicate ids among thousands of agents: a hash map, not n^2 */
	ret = acd_namemap_build(&ids, c->nagents ? c->agent[0].id : "", sizeof(c->agent[0]),
				c->nagents, &j);
	if (ret == -EEXIST)
		return cerr(err, errlen, "agent %s: id given twice", c->agent[j].id);
	acd_namemap_free(&ids);
	return ret ? ret : acd_reason_check(c, err, errlen);
}

/* ------------------------------------------------------------------- YAML */

/* the document of @x: its messages, nodes and scalars */
#define errf(x, n, ...)	yamlcfg_errf(&(x)->y, n, __VA_ARGS__)
#define node(x, id)	yamlcfg_node(&(x)->y, id)
#define str(n)		yamlcfg_str(n)
#define FOR_PAIRS	YAMLCFG_PAIRS
#define FOR_ITEMS	YAMLCFG_ITEMS

struct ctx {
	struct yamlcfg y;
	struct acd_config *c;
	yaml_node_t **ovf;	/* per queue: the overflow queue name node */
};

static int need(struct ctx *x, yaml_node_t *n, yaml_node_type_t t, const char *key)
{
	yaml_node_pair_t *p;
	yaml_node_t *dup;
	int ret = yamlcfg_need(&x->y, n, t, key);

	if (ret || t != YAML_MAPPING_NODE)
		return ret;
	FOR_PAIRS(p, n)
		if (node(x, p->key)->type != YAML_SCALAR_NODE)
			return errf(x, node(x, p->key), "%s: keys must be plain words", key);
	/* a key given twice would silently lose one of the values */
	dup = yamlcfg_dup_key(&x->y, n, NULL);
	if (dup)
		return errf(x, dup, "%s: '%s' given twice", key, str(dup));
	return 0;
}

static int get_u32(struct ctx *x, yaml_node_t *n, const char *key, uint32_t min, uint32_t max,
		   uint32_t *dst)
{
	uint64_t v;
	int ret = yamlcfg_uint(&x->y, n, key, min, max, &v);

	if (!ret)
		*dst = (uint32_t)v;
	return ret;
}

/* "250ms", "20s", "5min", "2h"; a bare number is seconds; "off" is 0 */
static int get_dur(struct ctx *x, yaml_node_t *n, const char *key, uint32_t *dst)
{
	uint64_t ms;
	int ret = need(x, n, YAML_SCALAR_NODE, key);

	if (ret)
		return ret;
	if (yamlcfg_parse_ms(str(n), UINT32_MAX, &ms))
		return errf(x, n, "%s: expected a duration such as 500ms, 20s, 5min, 1h or off, found '%s'",
			    key, str(n));
	*dst = (uint32_t)ms;
	return 0;
}

static int get_name(struct ctx *x, yaml_node_t *n, const char *key, char *dst, size_t len)
{
	int ret = need(x, n, YAML_SCALAR_NODE, key);

	if (ret)
		return ret;
	if (!str(n)[0] || n->data.scalar.length >= len)
		return errf(x, n, "%s: expected a name of 1 to %zu characters", key, len - 1);
	memcpy(dst, str(n), n->data.scalar.length + 1);
	return 0;
}

static int get_enum(struct ctx *x, yaml_node_t *n, const char *key, const char *const *names,
		    unsigned int count, unsigned int *dst)
{
	char list[256] = "";
	unsigned int i;
	int ret = need(x, n, YAML_SCALAR_NODE, key);

	if (ret)
		return ret;
	for (i = 0; i < count; i++) {
		if (!strcmp(str(n), names[i])) {
			*dst = i;
			return 0;
		}
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s", i ? ", " : "",
			 names[i]);
	}
	return errf(x, n, "%s: expected one of %s, found '%s'", key, list, str(n));
}

static int skill_of(struct ctx *x, yaml_node_t *kn, const char *key, uint32_t *dst)
{
	int s = acd_config_skill_find(x->c, str(kn));

	if (s < 0)
		return errf(x, kn, "%s: unknown skill '%s' (not in the skills list)", key, str(kn));
	*dst = (uint32_t)s;
	return 0;
}

/* {skill: min_level, ...} */
static int get_require(struct ctx *x, yaml_node_t *n, struct acd_tier_cfg *t)
{
	yaml_node_pair_t *p;
	uint32_t lvl;
	int ret = need(x, n, YAML_MAPPING_NODE, "require");

	if (ret)
		return ret;
	FOR_PAIRS(p, n) {
		if (t->nreq == ACD_MAX_REQ)
			return errf(x, node(x, p->key), "require: at most %d skills", ACD_MAX_REQ);
		ret = skill_of(x, node(x, p->key), "require", &t->req[t->nreq].skill);
		if (!ret)
			ret = get_u32(x, node(x, p->value), "require", 1, ACD_MAX_LEVEL, &lvl);
		if (ret)
			return ret;
		t->req[t->nreq++].min_level = (uint8_t)lvl;
	}
	return 0;
}

/* - {after: 30s, require: {...}} */
static int get_tiers(struct ctx *x, yaml_node_t *n, struct acd_queue_cfg *q)
{
	yaml_node_item_t *it;
	yaml_node_pair_t *p;
	yaml_node_t *tn;
	int ret = need(x, n, YAML_SEQUENCE_NODE, "tiers");

	if (ret)
		return ret;
	q->ntiers = 0;
	FOR_ITEMS(it, n) {
		struct acd_tier_cfg *t = &q->tier[q->ntiers];

		tn = node(x, *it);
		if (q->ntiers == ACD_MAX_TIERS)
			return errf(x, tn, "tiers: at most %d", ACD_MAX_TIERS);
		ret = need(x, tn, YAML_MAPPING_NODE, "tiers");
		if (ret)
			return ret;
		memset(t, 0, sizeof(*t));
		FOR_PAIRS(p, tn) {
			const char *k = str(node(x, p->key));

			if (!strcmp(k, "after"))
				ret = get_dur(x, node(x, p->value), "after", &t->after_ms);
			else if (!strcmp(k, "require"))
				ret = get_require(x, node(x, p->value), t);
			else
				ret = errf(x, node(x, p->key), "tiers: unknown key '%s' (after, require)", k);
			if (ret)
				return ret;
		}
		if (q->ntiers ? t->after_ms <= q->tier[q->ntiers - 1].after_ms : t->after_ms != 0)
			return errf(x, tn, "tiers: 'after' must be 0 for the first tier and grow");
		q->ntiers++;
	}
	if (!q->ntiers)
		return errf(x, n, "tiers: at least one tier");
	return 0;
}

/* {queue: NAME} | {voicemail: BOX} | {callback: FLOW} */
static int get_overflow(struct ctx *x, yaml_node_t *n, struct acd_queue_cfg *q, unsigned int qi)
{
	static const char *const kinds[] = { "none", "queue", "voicemail", "callback" };
	yaml_node_pair_t *p;
	unsigned int kind;
	int ret = need(x, n, YAML_MAPPING_NODE, "overflow");

	if (ret)
		return ret;
	if (n->data.mapping.pairs.top - n->data.mapping.pairs.start != 1)
		return errf(x, n, "overflow: exactly one of queue, voicemail, callback");
	p = n->data.mapping.pairs.start;
	ret = get_enum(x, node(x, p->key), "overflow", kinds, 4, &kind);
	if (!ret && kind == ACD_TARGET_NONE)
		ret = errf(x, node(x, p->key), "overflow: expected queue, voicemail or callback");
	if (!ret)
		ret = get_name(x, node(x, p->value), "overflow", q->overflow.dest, ACD_NAME_MAX);
	if (ret)
		return ret;
	q->overflow.kind = kind;
	if (kind == ACD_TARGET_QUEUE)
		x->ovf[qi] = node(x, p->value);	/* resolved when all queues are known */
	return 0;
}

static const char *const strategies[] = {
	"longest-idle", "round-robin", "fewest-calls", "least-talk-time", "ring-all", "linear",
	"random",
};
static const char *const rules[] = { "always", "logged-in", "available" };

static int queue_key(struct ctx *x, const char *k, yaml_node_t *v, struct acd_queue_cfg *q,
		     unsigned int qi)
{
	unsigned int e;
	int ret;

	if (!strcmp(k, "name"))
		return get_name(x, v, k, q->name, ACD_NAME_MAX);
	if (!strcmp(k, "strategy")) {
		ret = get_enum(x, v, k, strategies, ACD_STRAT__N, &e);
		q->strategy = e;
		return ret;
	}
	if (!strcmp(k, "join") || !strcmp(k, "leave")) {
		ret = get_enum(x, v, k, rules, ACD_EMPTY__N, &e);
		*(k[0] == 'j' ? &q->join_rule : &q->leave_rule) = e;
		return ret;
	}
	if (!strcmp(k, "require")) {
		q->ntiers = 1;
		memset(&q->tier[0], 0, sizeof(q->tier[0]));
		return get_require(x, v, &q->tier[0]);
	}
	if (!strcmp(k, "tiers"))
		return get_tiers(x, v, q);
	if (!strcmp(k, "overflow"))
		return get_overflow(x, v, q, qi);
	if (!strcmp(k, "wrapup"))
		return get_dur(x, v, k, &q->wrapup_ms);
	if (!strcmp(k, "ring_timeout"))
		return get_dur(x, v, k, &q->ring_timeout_ms);
	if (!strcmp(k, "max_wait"))
		return get_dur(x, v, k, &q->max_wait_ms);
	if (!strcmp(k, "sl_threshold"))
		return get_dur(x, v, k, &q->sl_threshold_ms);
	if (!strcmp(k, "short_abandon"))
		return get_dur(x, v, k, &q->short_abandon_ms);
	if (!strcmp(k, "aging"))
		return get_dur(x, v, k, &q->aging_ms);
	if (!strcmp(k, "announce"))
		return get_dur(x, v, k, &q->announce_ms);
	if (!strcmp(k, "ewt_default_aht"))
		return get_dur(x, v, k, &q->ewt_default_aht_ms);
	if (!strcmp(k, "ewt_max_error"))
		return get_u32(x, v, k, 1, 1000, &q->ewt_max_error_permille);
	if (!strcmp(k, "max_no_answer"))
		return get_u32(x, v, k, 0, 1000, &q->max_no_answer);
	if (!strcmp(k, "max_len"))
		return get_u32(x, v, k, 0, 10000000, &q->max_len);
	return -ENOENT;
}

static int get_queue(struct ctx *x, yaml_node_t *n, unsigned int qi)
{
	struct acd_queue_cfg q;
	yaml_node_pair_t *p;
	int ret = need(x, n, YAML_MAPPING_NODE, "queues");

	if (ret)
		return ret;
	acd_queue_cfg_init(&q, "");
	FOR_PAIRS(p, n) {
		ret = queue_key(x, str(node(x, p->key)), node(x, p->value), &q, qi);
		if (ret == -ENOENT)
			ret = errf(x, node(x, p->key), "queues: unknown key '%s'",
				   str(node(x, p->key)));
		if (ret)
			return ret;
	}
	if (!q.name[0])
		return errf(x, n, "queues: name: missing");
	ret = acd_config_add_queue(x->c, &q);
	return ret < 0 ? ret : 0;
}

/* skills: {sales: 7, french: {level: 5, preference: 30s}} */
static int get_agent_skills(struct ctx *x, yaml_node_t *n, struct acd_agent_cfg *a)
{
	yaml_node_pair_t *p, *pp;
	uint32_t lvl = 0;
	yaml_node_t *v;
	int ret = need(x, n, YAML_MAPPING_NODE, "skills");

	if (ret)
		return ret;
	FOR_PAIRS(p, n) {
		struct acd_agent_skill *s = &a->skill[a->nskills];

		if (a->nskills == ACD_MAX_AGENT_SKILLS)
			return errf(x, node(x, p->key), "skills: at most %d", ACD_MAX_AGENT_SKILLS);
		memset(s, 0, sizeof(*s));
		ret = skill_of(x, node(x, p->key), "skills", &s->skill);
		if (ret)
			return ret;
		v = node(x, p->value);
		if (v->type == YAML_MAPPING_NODE) {
			ret = need(x, v, YAML_MAPPING_NODE, "skills");
			if (ret)
				return ret;
			FOR_PAIRS(pp, v) {
				const char *k = str(node(x, pp->key));

				if (!strcmp(k, "level"))
					ret = get_u32(x, node(x, pp->value), k, 1, ACD_MAX_LEVEL, &lvl);
				else if (!strcmp(k, "preference"))
					ret = get_dur(x, node(x, pp->value), k, &s->preference_ms);
				else
					ret = errf(x, node(x, pp->key),
						   "skills: unknown key '%s' (level, preference)", k);
				if (ret)
					return ret;
			}
			if (!lvl)
				return errf(x, v, "skills: level: missing");
		} else {
			ret = get_u32(x, v, "skills", 1, ACD_MAX_LEVEL, &lvl);
			if (ret)
				return ret;
		}
		s->level = (uint8_t)lvl;
		a->nskills++;
	}
	return 0;
}

static int get_agent(struct ctx *x, yaml_node_t *n)
{
	struct acd_agent_cfg a;
	yaml_node_pair_t *p;
	unsigned int i;
	int ret = need(x, n, YAML_MAPPING_NODE, "agents");

	if (ret)
		return ret;
	acd_agent_cfg_init(&a, "");
	FOR_PAIRS(p, n) {
		const char *k = str(node(x, p->key));
		yaml_node_t *v = node(x, p->value);

		if (!strcmp(k, "id"))
			ret = get_name(x, v, k, a.id, sizeof(a.id));
		else if (!strcmp(k, "name"))
			ret = get_name(x, v, k, a.name, sizeof(a.name));
		else if (!strcmp(k, "skills"))
			ret = get_agent_skills(x, v, &a);
		else
			ret = errf(x, node(x, p->key), "agents: unknown key '%s' (id, name, skills)", k);
		if (ret)
			return ret;
	}
	if (!a.id[0])
		return errf(x, n, "agents: id: missing");
	for (i = 0; i < x->c->nagents; i++)
		if (!strcmp(x->c->agent[i].id, a.id))
			return errf(x, n, "agents: id '%s' given twice", a.id);
	ret = acd_config_add_agent(x->c, &a);
	return ret < 0 ? ret : 0;
}

/* - {code: 12, name: lunch, max: 45min, paid: false} */
static int get_reason(struct ctx *x, yaml_node_t *n)
{
	struct acd_reason_cfg r = { 0 };
	yaml_node_t *code = NULL, *name = NULL;
	yaml_node_pair_t *p;
	uint32_t v = 0;
	int ret = need(x, n, YAML_MAPPING_NODE, "reasons");

	if (ret)
		return ret;
	FOR_PAIRS(p, n) {
		const char *k = str(node(x, p->key));
		yaml_node_t *val = node(x, p->value);

		if (!strcmp(k, "code")) {
			ret = get_u32(x, val, k, 1, ACD_REASON_SITE_MAX, &v);
			code = val;
		} else if (!strcmp(k, "name")) {
			ret = get_name(x, val, k, r.name, sizeof(r.name));
			if (!ret && !acd_reason_name_ok(r.name))
				ret = errf(x, val, "name: '%s': use a-z, 0-9, - and _ only", r.name);
			name = val;
		} else if (!strcmp(k, "max")) {
			ret = get_dur(x, val, k, &r.max_ms);
		} else if (!strcmp(k, "paid")) {
			ret = need(x, val, YAML_SCALAR_NODE, k);
			if (!ret && strcmp(str(val), "true") && strcmp(str(val), "false"))
				ret = errf(x, val, "paid: expected true or false, found '%s'", str(val));
			r.paid = !strcmp(str(val), "true");
		} else {
			ret = errf(x, node(x, p->key), "reasons: unknown key '%s' (code, name, max, paid)", k);
		}
		if (ret)
			return ret;
	}
	if (!code || !name)
		return errf(x, n, "reasons: %s: missing", !code ? "code" : "name");
	r.code = (uint16_t)v;
	ret = acd_config_add_reason(x->c, &r);
	if (ret == -EEXIST && acd_reason_name(x->c, r.code))
		return errf(x, code, "code: %u is %s", v,
			    acd_reason_get(x->c, r.code) ? "given twice" : "built in");
	if (ret == -EEXIST)
		return errf(x, name, "name: '%s' is %s", r.name,
			    acd_reason_find(x->c, r.name) > ACD_REASON_SITE_MAX ||
			    acd_reason_find(x->c, r.name) == ACD_REASON_NONE ? "built in" : "given twice");
	if (ret == -ENOSPC)
		return errf(x, n, "reasons: at most %d", ACD_MAX_REASONS);
	return ret;
}

static yaml_node_t *top_get(struct ctx *x, yaml_node_t *root, const char *key)
{
	yaml_node_pair_t *p;

	FOR_PAIRS(p, root)
		if (!strcmp(str(node(x, p->key)), key))
			return node(x, p->value);
	return NULL;
}

static int walk_top(struct ctx *x, yaml_node_t *root)
{
	yaml_node_t *skills, *queues, *agents, *seed, *reasons;
	yaml_node_item_t *it;
	yaml_node_pair_t *p;
	unsigned int i, nq;
	uint32_t s;
	int ret;

	if (!root || root->type != YAML_MAPPING_NODE)
		return errf(x, root, "expected a mapping with skills, queues and agents");
	ret = need(x, root, YAML_MAPPING_NODE, "top level");
	if (ret)
		return ret;
	FOR_PAIRS(p, root) {
		const char *k = str(node(x, p->key));

		if (strcmp(k, "seed") && strcmp(k, "skills") && strcmp(k, "queues") &&
		    strcmp(k, "agents") && strcmp(k, "reasons"))
			return errf(x, node(x, p->key),
				    "unknown key '%s' (seed, skills, queues, agents, reasons)", k);
	}
	reasons = top_get(x, root, "reasons");
	if (reasons) {
		ret = need(x, reasons, YAML_SEQUENCE_NODE, "reasons");
		if (ret)
			return ret;
		FOR_ITEMS(it, reasons) {
			ret = get_reason(x, node(x, *it));
			if (ret)
				return ret;
		}
	}
	seed = top_get(x, root, "seed");
	if (seed) {
		ret = get_u32(x, seed, "seed", 0, UINT32_MAX, &s);
		if (ret)
			return ret;
		x->c->seed = s;
	}
	skills = top_get(x, root, "skills");
	queues = top_get(x, root, "queues");
	agents = top_get(x, root, "agents");
	if (!skills || !queues || !agents)
		return errf(x, root, "%s: missing", !skills ? "skills" : !queues ? "queues" : "agents");
	ret = need(x, skills, YAML_SEQUENCE_NODE, "skills");
	if (!ret)
		ret = need(x, queues, YAML_SEQUENCE_NODE, "queues");
	if (!ret)
		ret = need(x, agents, YAML_SEQUENCE_NODE, "agents");
	if (ret)
		return ret;
	FOR_ITEMS(it, skills) {
		ret = need(x, node(x, *it), YAML_SCALAR_NODE, "skills");
		if (!ret) {
			ret = acd_config_add_skill(x->c, str(node(x, *it)));
			if (ret == -EEXIST || ret == -EINVAL)
				return errf(x, node(x, *it), "skills: '%s' %s", str(node(x, *it)),
					    ret == -EEXIST ? "given twice" : "is not a valid name");
		}
		if (ret < 0)
			return ret;
	}
	nq = (unsigned int)(queues->data.sequence.items.top - queues->data.sequence.items.start);
	x->ovf = calloc(nq ? nq : 1, sizeof(*x->ovf));
	if (!x->ovf)
		return -ENOMEM;
	i = 0;
	FOR_ITEMS(it, queues) {
		ret = get_queue(x, node(x, *it), i);
		if (ret)
			return ret;
		i++;
	}
	for (i = 0; i < nq; i++) {
		int qi;

		for (qi = 0; qi < (int)i; qi++)
			if (!strcmp(x->c->queue[qi].name, x->c->queue[i].name))
				return errf(x, node(x, queues->data.sequence.items.start[i]),
					    "queues: '%s' defined twice", x->c->queue[i].name);
		if (!x->ovf[i])
			continue;
		for (qi = 0; qi < (int)nq; qi++)
			if (!strcmp(x->c->queue[qi].name, x->c->queue[i].overflow.dest))
				break;
		if (qi == (int)nq || qi == (int)i)
			return errf(x, x->ovf[i], "overflow: queue '%s' %s",
				    x->c->queue[i].overflow.dest, qi == (int)i ? "is this queue" : "is not defined");
		x->c->queue[i].overflow.queue = (uint32_t)qi;
	}
	FOR_ITEMS(it, agents) {
		ret = get_agent(x, node(x, *it));
		if (ret)
			return ret;
	}
	return 0;
}

int acd_config_parse(const char *name, const char *text, size_t len,
		     struct acd_config **out, char *err, size_t errlen)
{
	struct ctx x = { 0 };
	int ret;

	x.c = acd_config_new();
	if (!x.c)
		return -ENOMEM;
	ret = yamlcfg_open(&x.y, name, text, len, err, errlen);
	if (ret) {
		acd_config_free(x.c);
		return ret;
	}
	ret = walk_top(&x, yamlcfg_root(&x.y));
	if (!ret)
		ret = acd_config_check(x.c, err, errlen);
	free(x.ovf);
	yamlcfg_close(&x.y);
	if (ret) {
		acd_config_free(x.c);
		return ret;
	}
	*out = x.c;
	return 0;
}

int acd_config_load(const char *path, struct acd_config **out, char *err, size_t errlen)
{
	char *text;
	size_t len;
	int ret = yamlcfg_read(path, &text, &len, err, errlen);

	if (ret)
		return ret;
	ret = acd_config_parse(path, text, len, out, err, errlen);
	free(text);
	return ret;
}
