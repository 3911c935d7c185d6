// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tdmxd configuration file (see config.h): libyaml loads the document,
 * this file walks its nodes against a table of keys per mapping.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "log.h"
#include "yamlcfg.h"

/* the document of @x: its messages, nodes and scalars */
#define errf(x, n, ...)	yamlcfg_errf(&(x)->y, n, __VA_ARGS__)
#define node(x, id)	yamlcfg_node(&(x)->y, id)
#define scalar(n)	yamlcfg_str(n)

struct ctx {
	struct yamlcfg y;
	struct cfg *c;
	unsigned int block_ms;	/* top-level default for the spans */
};

struct key {
	const char *name;
	int (*fn)(struct ctx *x, yaml_node_t *n, void *dst, const struct key *k);
	size_t off;		/* of the member in struct cfg (or cfg_span) */
	size_t len;		/* string members: size */
	unsigned long min, max;	/* number members: range */
};

static int need_scalar(struct ctx *x, yaml_node_t *n, const struct key *k)
{
	return yamlcfg_need(&x->y, n, YAML_SCALAR_NODE, k->name);
}

static int get_uint(struct ctx *x, yaml_node_t *n, void *dst, const struct key *k)
{
	uint64_t v;
	int ret = yamlcfg_uint(&x->y, n, k->name, k->min, k->max, &v);

	if (!ret)
		*(unsigned int *)dst = (unsigned int)v;
	return ret;
}

static int get_str(struct ctx *x, yaml_node_t *n, void *dst, const struct key *k)
{
	size_t len;
	int ret;

	ret = need_scalar(x, n, k);
	if (ret)
		return ret;
	len = n->data.scalar.length;
	if (len >= k->len)
		return errf(x, n, "%s: longer than %zu characters", k->name, k->len - 1);
	if (memchr(scalar(n), 0, len))
		return errf(x, n, "%s: contains a NUL character", k->name);
	memcpy(dst, scalar(n), len + 1);
	return 0;
}

/* an absolute path */
static int get_path(struct ctx *x, yaml_node_t *n, void *dst, const struct key *k)
{
	int ret = get_str(x, n, dst, k);

	if (ret)
		return ret;
	if (((char *)dst)[0] != '/')
		return errf(x, n, "%s: expected an absolute path, found '%s'", k->name,
			    (char *)dst);
	return 0;
}

static int get_level(struct ctx *x, yaml_node_t *n, void *dst, const struct key *k)
{
	int ret = need_scalar(x, n, k);

	if (ret)
		return ret;
	ret = log_level_parse(scalar(n));
	if (ret < 0)
		return errf(x, n, "%s: expected error, warning, notice, info or debug, found '%s'",
			    k->name, scalar(n));
	*(int *)dst = ret;
	return 0;
}

static int get_law(struct ctx *x, yaml_node_t *n, void *dst, const struct key *k)
{
	int ret = need_scalar(x, n, k);

	if (ret)
		return ret;
	if (!strcasecmp(scalar(n), "alaw") || !strcasecmp(scalar(n), "a-law"))
		*(unsigned int *)dst = MEDIA_ALAW;
	else if (!strcasecmp(scalar(n), "ulaw") || !strcasecmp(scalar(n), "mulaw") ||
		 !strcasecmp(scalar(n), "u-law"))
		*(unsigned int *)dst = MEDIA_ULAW;
	else if (!strcasecmp(scalar(n), "auto"))
		*(unsigned int *)dst = 0;
	else
		return errf(x, n, "%s: expected alaw, ulaw or auto, found '%s'", k->name,
			    scalar(n));
	return 0;
}

/* a tone plan name: lower-case letters, the tone module knows which exist */
static int get_country(struct ctx *x, yaml_node_t *n, void *dst, const struct key *k)
{
	const char *s;
	int ret = get_str(x, n, dst, k);

	if (ret)
		return ret;
	for (s = dst; *s; s++)
		if (*s < 'a' || *s > 'z')
			break;
	if (*s || s == (const char *)dst)
		return errf(x, n, "%s: expected a tone plan name such as cn, itu, eu or us, found '%s'",
			    k->name, (const char *)dst);
	return 0;
}

/* walk mapping @n against @keys, members at @base */
static int walk_map(struct ctx *x, yaml_node_t *n, const char *what,
		    const struct key *keys, void *base)
{
	yaml_node_t *kn, *first;
	yaml_node_pair_t *p;
	const struct key *k;
	int ret;

	if (n->type != YAML_MAPPING_NODE)
		return errf(x, n, "%s: expected a mapping (key: value lines), found %s",
			    what, yamlcfg_kind(n));
	YAMLCFG_PAIRS(p, n) {
		kn = node(x, p->key);
		if (!kn || kn->type != YAML_SCALAR_NODE)
			return errf(x, kn, "%s: keys must be plain words", what);
	}
	kn = yamlcfg_dup_key(&x->y, n, &first);
	if (kn)
		return errf(x, kn, "%s: duplicate key '%s' (first at line %zu)", what,
			    scalar(kn), first->start_mark.line + 1);
	YAMLCFG_PAIRS(p, n) {
		kn = node(x, p->key);
		for (k = keys; k->name; k++)
			if (!strcmp(k->name, scalar(kn)))
				break;
		if (!k->name)
			return errf(x, kn, "%s: unknown key '%s'", what, scalar(kn));
		ret = k->fn(x, node(x, p->value), (char *)base + k->off, k);
		if (ret)
			return ret;
	}
	return 0;
}

#define CFG_STR(n, m, f)	{ n, f, offsetof(struct cfg, m), sizeof(((struct cfg *)0)->m), 0, 0 }
#define CFG_UINT(n, m, lo, hi)	{ n, get_uint, offsetof(struct cfg, m), 0, lo, hi }

static const struct key span_keys[] = {
	{ "span", get_uint, offsetof(struct cfg_span, span), 0, 1, MEDIA_MAX_SPANS },
	{ "block_ms", get_uint, offsetof(struct cfg_span, block_ms), 0, 1, MEDIA_MAX_BLOCK_MS },
	{ "law", get_law, offsetof(struct cfg_span, law), 0, 0, 0 },
	{ NULL }
};

static int get_span(struct ctx *x, yaml_node_t *n, struct cfg_span *s)
{
	static const struct key num = { "spans", get_uint, 0, 0, 1, MEDIA_MAX_SPANS };
	unsigned int i;
	int ret;

	memset(s, 0, sizeof(*s));
	if (n->type == YAML_SCALAR_NODE) {
		ret = get_uint(x, n, &s->span, &num);	/* "- 3": span 3, defaults */
	} else {
		ret = walk_map(x, n, "spans", span_keys, s);
		if (!ret && !s->span)
			ret = errf(x, n, "spans: an entry without 'span: N'");
	}
	if (ret)
		return ret;
	for (i = 0; i < x->c->nspans; i++)
		if (x->c->spans[i].span == s->span)
			return errf(x, n, "spans: span %u is listed twice", s->span);
	return 0;
}

static int get_spans(struct ctx *x, yaml_node_t *n, void *dst, const struct key *k)
{
	yaml_node_item_t *it;
	struct cfg *c = x->c;
	int ret;

	(void)dst;
	if (n->type == YAML_SCALAR_NODE && !n->data.scalar.length)
		return 0;	/* "spans:" with nothing */
	if (n->type != YAML_SEQUENCE_NODE)
		return errf(x, n, "%s: expected a list of spans, found %s", k->name, yamlcfg_kind(n));
	c->nspans = 0;
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		if (c->nspans == MEDIA_MAX_SPANS)
			return errf(x, node(x, *it), "%s: more than %u spans", k->name,
				    MEDIA_MAX_SPANS);
		ret = get_span(x, node(x, *it), &c->spans[c->nspans]);
		if (ret)
			return ret;
		c->nspans++;
	}
	return 0;
}

static const struct key rec_keys[] = {
	CFG_STR("dir", rec_dir, get_path),
	CFG_STR("database", rec_db, get_path),
	{ NULL }
};

static const struct key prompt_keys[] = {
	CFG_STR("dir", prompt_dir, get_path),
	{ NULL }
};

static const struct key tone_keys[] = {
	CFG_STR("country", tone_country, get_country),
	{ NULL }
};

static const struct key acd_keys[] = {
	CFG_STR("config", acd_config, get_path),
	CFG_STR("log", acd_log, get_path),
	{ NULL }
};

static const struct key cti_keys[] = {
	CFG_STR("socket", cti_socket, get_path),
	CFG_STR("tcp_address", cti_tcp_address, get_str),
	CFG_UINT("tcp_port", cti_tcp_port, 1, 65535),
	CFG_STR("tokens", cti_tokens, get_path),
	CFG_UINT("history", cti_history, 16, 10000000),
	CFG_STR("customers", cti_customers, get_path),
	CFG_STR("country_code", cti_country, get_str),
	{ NULL }
};

static int get_section(struct ctx *x, yaml_node_t *n, void *dst, const struct key *k)
{
	const struct key *keys = !strcmp(k->name, "recordings") ? rec_keys :
				 !strcmp(k->name, "prompts") ? prompt_keys :
				 !strcmp(k->name, "acd") ? acd_keys :
				 !strcmp(k->name, "cti") ? cti_keys : tone_keys;

	(void)dst;
	return walk_map(x, n, k->name, keys, x->c);
}

static int get_block_ms(struct ctx *x, yaml_node_t *n, void *dst, const struct key *k)
{
	(void)dst;
	return get_uint(x, n, &x->block_ms, k);
}

static const struct key top_keys[] = {
	{ "log_level", get_level, offsetof(struct cfg, log_level), 0, 0, 0 },
	CFG_UINT("workers", workers, 1, CFG_MAX_WORKERS),
	CFG_UINT("jitter_ms", jitter_ms, 0, CFG_MAX_JITTER_MS),
	CFG_UINT("rt_priority", rt_priority, 0, 99),
	{ "block_ms", get_block_ms, 0, 0, 1, MEDIA_MAX_BLOCK_MS },
	CFG_STR("control", control, get_path),
	CFG_STR("user", user, get_str),
	CFG_STR("group", group, get_str),
	{ "spans", get_spans, 0, 0, 0, 0 },
	{ "recordings", get_section, 0, 0, 0, 0 },
	{ "prompts", get_section, 0, 0, 0, 0 },
	{ "tones", get_section, 0, 0, 0, 0 },
	{ "acd", get_section, 0, 0, 0, 0 },
	{ "cti", get_section, 0, 0, 0, 0 },
	{ NULL }
};

/* fill in the built-in defaults */
void cfg_defaults(struct cfg *c)
{
	memset(c, 0, sizeof(*c));
	c->log_level = LOG_INFO;
	c->workers = 1;
	c->jitter_ms = CFG_DEFAULT_JITTER_MS;
	snprintf(c->control, sizeof(c->control), "%s", CFG_DEFAULT_CONTROL);
	snprintf(c->rec_dir, sizeof(c->rec_dir), "%s", CFG_DEFAULT_REC_DIR);
	snprintf(c->rec_db, sizeof(c->rec_db), "%s", CFG_DEFAULT_REC_DB);
	snprintf(c->prompt_dir, sizeof(c->prompt_dir), "%s", CFG_DEFAULT_PROMPT_DIR);
	snprintf(c->tone_country, sizeof(c->tone_country), "%s", CFG_DEFAULT_COUNTRY);
	snprintf(c->acd_log, sizeof(c->acd_log), "%s", CFG_DEFAULT_ACD_LOG);
	snprintf(c->cti_socket, sizeof(c->cti_socket), "%s", CFG_DEFAULT_CTI);
}

static int load(struct ctx *x)
{
	yaml_node_t *root = yamlcfg_root(&x->y);
	unsigned int i;
	int ret;

	if (root && !(root->type == YAML_SCALAR_NODE && !root->data.scalar.length)) {
		ret = walk_map(x, root, "configuration", top_keys, x->c);
		if (ret)
			return ret;
	}
	for (i = 0; i < x->c->nspans; i++)
		if (!x->c->spans[i].block_ms)
			x->c->spans[i].block_ms = x->block_ms;
	return 0;
}

/**
 * cfg_parse() - read a configuration from memory
 * @c: result: the defaults, overridden by the text
 * @name: file name for messages
 * @text: YAML
 * @len: its length
 * @err: receives "NAME:LINE:COL: what" on failure
 * @errlen: size of @err
 *
 * Return: 0 or -EINVAL.
 */
int cfg_parse(struct cfg *c, const char *name, const char *text, size_t len,
	      char *err, size_t errlen)
{
	struct ctx x = { .c = c, .block_ms = CFG_DEFAULT_BLOCK_MS };
	int ret;

	cfg_defaults(c);
	snprintf(c->file, sizeof(c->file), "%s", name);
	ret = yamlcfg_open(&x.y, name, text, len, err, errlen);
	if (ret)
		return ret;
	ret = load(&x);
	yamlcfg_close(&x.y);
	return ret;
}

/**
 * cfg_load() - read the configuration file @file
 * @c: result
 * @file: path
 * @err: receives "FILE:LINE:COL: what" (or "FILE: why" when it cannot be
 *	read) on failure
 * @errlen: size of @err
 *
 * Return: 0, -EINVAL for a bad file, or the negative errno of reading it.
 */
int cfg_load(struct cfg *c, const char *file, char *err, size_t errlen)
{
	char *text;
	size_t len;
	int ret;

	ret = yamlcfg_read(file, &text, &len, err, errlen);
	if (ret)
		return ret;
	ret = cfg_parse(c, file, text, len, err, errlen);
	free(text);
	return ret;
}

/* Return: the entry of @span, or NULL when it is not configured. */
const struct cfg_span *cfg_span_find(const struct cfg *c, unsigned int span)
{
	unsigned int i;

	for (i = 0; i < c->nspans; i++)
		if (c->spans[i].span == span)
			return &c->spans[i];
	return NULL;
}
