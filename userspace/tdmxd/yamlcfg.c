// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * yamlcfg: loading YAML files and checking their nodes (see yamlcfg.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "yamlcfg.h"

/**
 * yamlcfg_slurp() - the rest of @f in memory
 * @f: an open file (left open)
 * @text: receives the bytes (free() them)
 * @len: receives how many
 *
 * Return: 0, -EIO or -ENOMEM.
 */
int yamlcfg_slurp(FILE *f, char **text, size_t *len)
{
	char buf[4096];
	int ret = 0;
	size_t n;
	FILE *m;

	*text = NULL;
	*len = 0;
	m = open_memstream(text, len);
	if (!m)
		return -ENOMEM;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		fwrite(buf, 1, n, m);
	if (ferror(f))
		ret = -EIO;
	if (fclose(m) && !ret)
		ret = -ENOMEM;
	if (ret) {
		free(*text);
		*text = NULL;
	}
	return ret;
}

/**
 * yamlcfg_read() - the whole of @path in memory
 * @path: the file
 * @text: receives the bytes (free() them)
 * @len: receives how many
 * @err: receives "PATH: why" on failure
 * @errlen: size of @err
 *
 * Return: 0, or the negative errno of opening or reading it.
 */
int yamlcfg_read(const char *path, char **text, size_t *len, char *err, size_t errlen)
{
	FILE *f = fopen(path, "re");
	int ret;

	*text = NULL;
	*len = 0;
	if (!f)
		ret = -errno;
	else {
		ret = yamlcfg_slurp(f, text, len);
		fclose(f);
	}
	if (ret && errlen)
		snprintf(err, errlen, "%s: %s", path, strerror(-ret));
	return ret;
}

/* libyaml's own complaint, at the place it names */
static int parser_error(struct yamlcfg *y, const yaml_parser_t *p)
{
	const yaml_mark_t *m = p->problem ? &p->problem_mark : &p->mark;
	int n;

	if (!y->errlen)
		return -EINVAL;
	n = snprintf(y->err, y->errlen, "%s:%zu:%zu: %s", y->name, m->line + 1, m->column + 1,
		     p->problem ? p->problem : "not YAML");
	if (p->context && n > 0 && (size_t)n < y->errlen)
		snprintf(y->err + n, y->errlen - (size_t)n, " (%s at line %zu)", p->context,
			 p->context_mark.line + 1);
	return -EINVAL;
}

/**
 * yamlcfg_open() - load the one document of @text
 * @y: receives the document
 * @name: file name for messages (kept, not copied)
 * @text: YAML
 * @len: its length
 * @err: the message buffer, emptied here
 * @errlen: its size
 *
 * An empty text gives a document without a root node. A second document
 * is refused: it is a mistake, not something to ignore.
 *
 * Return: 0 (yamlcfg_close() it), -EINVAL or -ENOMEM.
 */
int yamlcfg_open(struct yamlcfg *y, const char *name, const char *text, size_t len,
		 char *err, size_t errlen)
{
	yaml_document_t next;
	yaml_parser_t p;
	int ret = 0;

	memset(y, 0, sizeof(*y));
	y->name = name;
	y->err = err;
	y->errlen = errlen;
	if (errlen)
		err[0] = 0;
	if (!yaml_parser_initialize(&p))
		return -ENOMEM;
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	if (!yaml_parser_load(&p, &y->doc)) {
		ret = parser_error(y, &p);
		goto out;
	}
	if (!yaml_parser_load(&p, &next)) {
		ret = parser_error(y, &p);
	} else {
		if (yaml_document_get_root_node(&next))
			ret = yamlcfg_errf(y, yaml_document_get_root_node(&next),
					   "a second YAML document; the configuration is one");
		yaml_document_delete(&next);
	}
	if (ret)
		yaml_document_delete(&y->doc);
out:
	yaml_parser_delete(&p);
	return ret;
}

void yamlcfg_close(struct yamlcfg *y)
{
	yaml_document_delete(&y->doc);
}

/**
 * yamlcfg_errf() - "FILE:LINE:COL: message" at node @n (NULL: 1:1)
 * @y: the document
 * @n: where
 * @fmt: the message
 *
 * Return: -EINVAL.
 */
int yamlcfg_errf(struct yamlcfg *y, const yaml_node_t *n, const char *fmt, ...)
{
	va_list ap;
	int len;

	if (!y->errlen)
		return -EINVAL;
	len = snprintf(y->err, y->errlen, "%s:%zu:%zu: ", y->name,
		       n ? n->start_mark.line + 1 : 1, n ? n->start_mark.column + 1 : 1);
	if (len < 0 || (size_t)len >= y->errlen)
		return -EINVAL;
	va_start(ap, fmt);
	vsnprintf(y->err + len, y->errlen - (size_t)len, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* what a node is, for messages */
const char *yamlcfg_kind(const yaml_node_t *n)
{
	switch (n ? n->type : YAML_NO_NODE) {
	case YAML_SCALAR_NODE: return "a scalar";
	case YAML_SEQUENCE_NODE: return "a list";
	case YAML_MAPPING_NODE: return "a mapping";
	default: return "nothing";
	}
}

/* @n is of @type, or "KEY: expected a value, found a list" */
int yamlcfg_need(struct yamlcfg *y, const yaml_node_t *n, yaml_node_type_t type,
		 const char *key)
{
	static const char *const want[] = {
		[YAML_SCALAR_NODE] = "a value", [YAML_SEQUENCE_NODE] = "a list",
		[YAML_MAPPING_NODE] = "a mapping",
	};

	if (n && n->type == type)
		return 0;
	return yamlcfg_errf(y, n, "%s: expected %s, found %s", key,
			    type <= YAML_MAPPING_NODE ? want[type] : "?", yamlcfg_kind(n));
}

/**
 * yamlcfg_dup_key() - a key given twice in mapping @map (a value for one
 *	of them would be lost silently)
 * @y: the document
 * @map: a mapping node
 * @first: receives the first of the two (may be NULL)
 *
 * Return: the second key node, or NULL when every key is different.
 */
yaml_node_t *yamlcfg_dup_key(struct yamlcfg *y, const yaml_node_t *map, yaml_node_t **first)
{
	yaml_node_pair_t *p, *q;
	yaml_node_t *kp, *kq;

	YAMLCFG_PAIRS(p, map) {
		kp = yamlcfg_node(y, p->key);
		for (q = map->data.mapping.pairs.start; q < p; q++) {
			kq = yamlcfg_node(y, q->key);
			if (kp->type == YAML_SCALAR_NODE && kq->type == YAML_SCALAR_NODE &&
			    !strcmp(yamlcfg_str(kp), yamlcfg_str(kq))) {
				if (first)
					*first = kq;
				return kp;
			}
		}
	}
	return NULL;
}

/**
 * yamlcfg_uint() - a whole number from @min to @max
 * @y: the document
 * @n: the node
 * @key: its key, for messages
 * @min: smallest allowed
 * @max: largest allowed
 * @v: receives it
 *
 * Return: 0 or -EINVAL.
 */
int yamlcfg_uint(struct yamlcfg *y, const yaml_node_t *n, const char *key, uint64_t min,
		 uint64_t max, uint64_t *v)
{
	const char *s = yamlcfg_str(n);
	unsigned long long u;
	char *end;
	int ret = yamlcfg_need(y, n, YAML_SCALAR_NODE, key);

	if (ret)
		return ret;
	errno = 0;
	u = strtoull(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-' || u < min || u > max)
		return yamlcfg_errf(y, n, "%s: expected a number from %llu to %llu, found '%s'",
				    key, (unsigned long long)min, (unsigned long long)max, s);
	*v = u;
	return 0;
}

/**
 * yamlcfg_parse_ms() - a duration: "250ms", "20s", "5min" or "5m", "2h",
 *	"1d"; a bare number is seconds; "off" is 0
 * @s: the text
 * @max: the largest allowed, in milliseconds
 * @ms: receives it
 *
 * Return: 0 or -EINVAL.
 */
int yamlcfg_parse_ms(const char *s, uint64_t max, uint64_t *ms)
{
	static const struct { const char *unit; uint64_t ms; } units[] = {
		{ "ms", 1 }, { "s", 1000 }, { "", 1000 }, { "min", 60000 }, { "m", 60000 },
		{ "h", 3600000 }, { "d", 86400000 },
	};
	unsigned long long v;
	unsigned int i;
	char *end;

	if (!strcmp(s, "off")) {
		*ms = 0;
		return 0;
	}
	/* strtoull() would take a sign or leading blanks */
	if (s[0] < '0' || s[0] > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -EINVAL;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(end, units[i].unit))
			continue;
		if (v > max / units[i].ms)
			return -EINVAL;
		*ms = v * units[i].ms;
		return 0;
	}
	return -EINVAL;
}
