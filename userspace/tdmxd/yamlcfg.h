/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * yamlcfg: what every YAML file of tdmx is read with (tdmxd.yaml, the ACD
 * configuration, the CTI tokens, tdmx-acdsim's scenarios). libyaml loads
 * the whole document; the callers walk its nodes with their own key
 * tables and keep their own messages. This module gives them the common
 * part: reading the file, loading exactly one document, the
 * "FILE:LINE:COL: message" form of every error (also libyaml's own), and
 * the checks of node kinds, whole numbers, durations and duplicate keys.
 * Every function that refuses something writes the message and returns
 * -EINVAL.
 */
#ifndef TDMXD_YAMLCFG_H
#define TDMXD_YAMLCFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <yaml.h>

/**
 * struct yamlcfg - one loaded document
 * @name: the file name messages start with
 * @doc: the document (valid between yamlcfg_open() and yamlcfg_close())
 * @err: the message buffer
 * @errlen: its size (0: no messages)
 */
struct yamlcfg {
	const char *name;
	yaml_document_t doc;
	char *err;
	size_t errlen;
};

#define YAMLCFG_PAIRS(p, n) \
	for (p = (n)->data.mapping.pairs.start; p < (n)->data.mapping.pairs.top; p++)
#define YAMLCFG_ITEMS(it, n) \
	for (it = (n)->data.sequence.items.start; it < (n)->data.sequence.items.top; it++)

int yamlcfg_slurp(FILE *f, char **text, size_t *len);
int yamlcfg_read(const char *path, char **text, size_t *len, char *err, size_t errlen);
int yamlcfg_open(struct yamlcfg *y, const char *name, const char *text, size_t len,
		 char *err, size_t errlen);
void yamlcfg_close(struct yamlcfg *y);

int yamlcfg_errf(struct yamlcfg *y, const yaml_node_t *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static inline yaml_node_t *yamlcfg_node(struct yamlcfg *y, int id)
{
	return yaml_document_get_node(&y->doc, id);
}

static inline yaml_node_t *yamlcfg_root(struct yamlcfg *y)
{
	return yaml_document_get_root_node(&y->doc);
}

/* a scalar's text; "" for any other node */
static inline const char *yamlcfg_str(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : "";
}

const char *yamlcfg_kind(const yaml_node_t *n);
int yamlcfg_need(struct yamlcfg *y, const yaml_node_t *n, yaml_node_type_t type,
		 const char *key);
yaml_node_t *yamlcfg_dup_key(struct yamlcfg *y, const yaml_node_t *map, yaml_node_t **first);
int yamlcfg_uint(struct yamlcfg *y, const yaml_node_t *n, const char *key, uint64_t min,
		 uint64_t max, uint64_t *v);
int yamlcfg_parse_ms(const char *s, uint64_t max, uint64_t *ms);

#endif /* TDMXD_YAMLCFG_H */
