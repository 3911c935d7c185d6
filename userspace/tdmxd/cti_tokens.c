// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * CTI client tokens from their own YAML file (named by "cti: tokens:" in
 * tdmxd.yaml), so that the secrets are not in the main configuration and
 * the file can be readable by root only. Format (Documentation/cti.md):
 *
 *   - name: alice          # who: logs; an agent token's agent id by default
 *     token: 3q2+7w...     # the secret, 1-127 bytes (use >= 128 random bits)
 *     role: agent          # agent, supervisor or admin
 *     agent: "1001"        # role agent: the agent id it acts on
 *
 * Errors name FILE:LINE:COLUMN; unknown keys, duplicate names or secrets,
 * and a world-readable file are refused.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cti_tokens.h"
#include "yamlcfg.h"

struct tctx {
	struct yamlcfg y;
};

/* "FILE:LINE:COL: message" */
#define fail(x, n, ...)	yamlcfg_errf(&(x)->y, n, __VA_ARGS__)

static int text(struct tctx *x, yaml_node_t *n, const char *key, char *dst, size_t len)
{
	int ret = yamlcfg_need(&x->y, n, YAML_SCALAR_NODE, key);

	if (ret)
		return ret;
	if (!n->data.scalar.length || n->data.scalar.length >= len ||
	    memchr(n->data.scalar.value, 0, n->data.scalar.length))
		return fail(x, n, "%s: expected 1 to %zu characters", key, len - 1);
	memcpy(dst, n->data.scalar.value, n->data.scalar.length + 1);
	return 0;
}

static int one_token(struct tctx *x, yaml_node_t *n, struct cti_token *t)
{
	char role[16] = "";
	yaml_node_pair_t *p;
	yaml_node_t *k, *v;
	const char *key;
	int ret;

	memset(t, 0, sizeof(*t));
	if (n->type != YAML_MAPPING_NODE)
		return fail(x, n, "expected a token (name, token, role, agent)");
	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		k = yamlcfg_node(&x->y, p->key);
		v = yamlcfg_node(&x->y, p->value);
		if (k->type != YAML_SCALAR_NODE)
			return fail(x, k, "keys must be plain words");
		key = (const char *)k->data.scalar.value;
		if (!strcmp(key, "name"))
			ret = text(x, v, key, t->name, sizeof(t->name));
		else if (!strcmp(key, "token"))
			ret = text(x, v, key, t->secret, sizeof(t->secret));
		else if (!strcmp(key, "role"))
			ret = text(x, v, key, role, sizeof(role));
		else if (!strcmp(key, "agent"))
			ret = text(x, v, key, t->agent, sizeof(t->agent));
		else
			ret = fail(x, k, "unknown key '%s'", key);
		if (ret)
			return ret;
	}
	if (!t->name[0] || !t->secret[0] || !role[0])
		return fail(x, n, "a token needs name, token and role");
	if (cti_role_parse(role, &t->role))
		return fail(x, n, "role: expected agent, supervisor or admin, found '%s'", role);
	if (t->agent[0] && t->role != CTI_ROLE_AGENT)
		return fail(x, n, "agent: only for role agent");
	return 0;
}

static int walk(struct tctx *x, struct cti_token **out, unsigned int *n)
{
	yaml_node_t *root = yamlcfg_root(&x->y);
	yaml_node_item_t *it;
	struct cti_token *t;
	unsigned int i, cap;
	int ret;

	if (!root || root->type != YAML_SEQUENCE_NODE)
		return fail(x, root, "expected a list of tokens");
	cap = (unsigned int)(root->data.sequence.items.top - root->data.sequence.items.start);
	t = calloc(cap ? cap : 1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	*out = t;
	for (it = root->data.sequence.items.start; it < root->data.sequence.items.top; it++) {
		yaml_node_t *item = yamlcfg_node(&x->y, *it);

		ret = one_token(x, item, &t[*n]);
		if (ret)
			return ret;
		for (i = 0; i < *n; i++)
			if (!strcmp(t[i].name, t[*n].name) || !strcmp(t[i].secret, t[*n].secret))
				return fail(x, item, "token '%s': its name or secret is used twice",
					    t[*n].name);
		(*n)++;
	}
	return 0;
}

/**
 * cti_tokens_load() - read a tokens file
 * @file: its path
 * @out: receives the tokens (free() them)
 * @n: receives how many
 * @err: "FILE:LINE:COL: what" on failure
 * @errlen: size of @err
 *
 * Return: 0, -ENOENT, -EPERM (readable by everyone), -EINVAL or -ENOMEM.
 */
int cti_tokens_load(const char *file, struct cti_token **out, unsigned int *n,
		    char *err, size_t errlen)
{
	struct tctx x;
	struct stat st;
	char *text;
	size_t len;
	FILE *f;
	int ret;

	*out = NULL;
	*n = 0;
	f = fopen(file, "re");
	if (!f) {
		ret = -errno;
		snprintf(err, errlen, "%s: %s", file, strerror(errno));
		return ret;
	}
	if (!fstat(fileno(f), &st) && (st.st_mode & S_IROTH)) {
		snprintf(err, errlen, "%s: readable by everyone: chmod o-r it", file);
		fclose(f);
		return -EPERM;
	}
	ret = yamlcfg_slurp(f, &text, &len);
	fclose(f);
	if (ret) {
		snprintf(err, errlen, "%s: %s", file, strerror(-ret));
		return ret;
	}
	ret = yamlcfg_open(&x.y, file, text, len, err, errlen);
	if (!ret) {
		ret = walk(&x, out, n);
		yamlcfg_close(&x.y);
	}
	free(text);
	if (ret) {
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return ret;
}
