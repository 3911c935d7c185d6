// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tdmxctl apply FILE: a declarative spans file (Documentation/tdmxctl.md).
 *
 *   # comment (from '#' to the end of the line)
 *   span N key value ...      keys as in "span set"
 *   chan N/TS key value ...   keys as in "chan set"
 *
 * The whole file is parsed first; any bad line stops everything with
 * "FILE:LINE: message" (exit 2) before the kernel is asked anything. Then
 * the lines are applied in order, stopping at the first kernel error
 * ("FILE:LINE: <strerror>: <extack>", exit 1).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"

#define APPLY_MAX_WORDS 64

/* split @line in place into words; '#' starts a comment */
static int split(char *line, char **words, int max)
{
	char *p, *save = NULL;
	int n = 0;

	p = strchr(line, '#');
	if (p)
		*p = 0;
	for (p = strtok_r(line, " \t\r\n\v\f", &save); p; p = strtok_r(NULL, " \t\r\n\v\f", &save)) {
		if (n == max)
			return -E2BIG;
		words[n++] = p;
	}
	return n;
}

static int add_item(struct ctl_apply *a, const struct ctl_apply_item *it)
{
	if (a->n == a->cap) {
		size_t cap = a->cap ? 2 * a->cap : 32;
		struct ctl_apply_item *items = realloc(a->items, cap * sizeof(*items));

		if (!items)
			return -ENOMEM;
		a->items = items;
		a->cap = cap;
	}
	a->items[a->n++] = *it;
	return 0;
}

/* one line's words into @it; Return: 0 or -EINVAL with a message */
static int parse_line(int n, char **w, struct ctl_apply_item *it, char *err, size_t errlen)
{
	if (!strcmp(w[0], "span")) {
		if (n < 2)
			return ctl_errf(err, errlen, "span: missing span number");
		if (ctl_parse_span_id(w[1], &it->span, err, errlen))
			return -EINVAL;
		return ctl_parse_span_keys(n - 2, w + 2, &it->span_cfg, err, errlen);
	}
	if (!strcmp(w[0], "chan")) {
		it->is_chan = true;
		if (n < 2)
			return ctl_errf(err, errlen, "chan: missing SPAN/TS");
		if (ctl_parse_chan_addr(w[1], true, &it->span, &it->ts, err, errlen))
			return -EINVAL;
		return ctl_parse_chan_keys(n - 2, w + 2, &it->chan_cfg, err, errlen);
	}
	return ctl_errf(err, errlen, "unknown line type '%s' (span, chan)", w[0]);
}

/**
 * ctl_apply_parse() - read and check a whole spans file
 * @f: the file
 * @name: its name, for messages
 * @a: result (free with ctl_apply_free(), also after a failure)
 * @err: "NAME:LINE: message" on failure
 * @errlen: size of @err
 *
 * Return: 0, -EINVAL for a bad line, or another negative errno (read
 * error, out of memory) with a message.
 */
int ctl_apply_parse(FILE *f, const char *name, struct ctl_apply *a, char *err, size_t errlen)
{
	char *line = NULL, *words[APPLY_MAX_WORDS], msg[CTL_ERR_LEN];
	struct ctl_apply_item it;
	unsigned int lineno = 0;
	size_t cap = 0;
	ssize_t len;
	int n, ret = 0;

	memset(a, 0, sizeof(*a));
	a->name = strdup(name);
	if (!a->name)
		return -ENOMEM;
	errno = 0;
	while ((len = getline(&line, &cap, f)) >= 0) {
		lineno++;
		memset(&it, 0, sizeof(it));
		it.line = lineno;
		if (strlen(line) != (size_t)len) {
			ret = ctl_errf(err, errlen, "%s:%u: NUL byte in the line", name, lineno);
			break;
		}
		n = split(line, words, APPLY_MAX_WORDS);
		if (n < 0) {
			ret = ctl_errf(err, errlen, "%s:%u: more than %d words", name, lineno,
				       APPLY_MAX_WORDS);
			break;
		}
		if (!n)
			continue;
		if (parse_line(n, words, &it, msg, sizeof(msg))) {
			ret = ctl_errf(err, errlen, "%s:%u: %s", name, lineno, msg);
			break;
		}
		ret = add_item(a, &it);
		if (ret) {
			ctl_errf(err, errlen, "%s: out of memory", name);
			break;
		}
		errno = 0;
	}
	if (!ret && ferror(f)) {
		ret = errno ? -errno : -EIO;
		ctl_errf(err, errlen, "%s: read error: %s", name, strerror(-ret));
	}
	free(line);
	return ret;
}

void ctl_apply_free(struct ctl_apply *a)
{
	free(a->items);
	free(a->name);
	memset(a, 0, sizeof(*a));
}

static int apply_items(struct ctl *c, const struct ctl_apply *a)
{
	char where[CTL_ERR_LEN];
	size_t i;
	int ret;

	for (i = 0; i < a->n; i++) {
		const struct ctl_apply_item *it = &a->items[i];

		snprintf(where, sizeof(where), "%s:%u", a->name, it->line);
		if (it->is_chan)
			ret = tdmx_chan_set(c->h, it->span, it->ts, &it->chan_cfg);
		else
			ret = tdmx_span_set(c->h, it->span, &it->span_cfg);
		if (ret)
			return ctl_fail(c, ret, where);
		ctl_warn_ext_ack(c, where);
	}
	return CTL_EXIT_OK;
}

int ctl_run_apply(struct ctl *c, const struct ctl_req *req)
{
	char err[CTL_ERR_LEN];
	struct ctl_apply a;
	bool is_stdin = !strcmp(req->file, "-");
	FILE *f = is_stdin ? stdin : fopen(req->file, "r");
	int ret;

	if (!f) {
		fprintf(stderr, "tdmxctl: apply: cannot open %s: %s\n", req->file, strerror(errno));
		return CTL_EXIT_USAGE;
	}
	ret = ctl_apply_parse(f, is_stdin ? "<stdin>" : req->file, &a, err, sizeof(err));
	if (!is_stdin)
		fclose(f);
	if (ret) {
		fprintf(stderr, "tdmxctl: %s\n", err);
		ret = ret == -EINVAL ? CTL_EXIT_USAGE : CTL_EXIT_FAIL;
		goto out;
	}
	ret = ctl_connect(c);
	if (!ret)
		ret = apply_items(c, &a);
out:
	ctl_apply_free(&a);
	return ret;
}
