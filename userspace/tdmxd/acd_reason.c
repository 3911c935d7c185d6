// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Named not-ready reasons (acd.h): the site's list in the configuration,
 * the built-in names, and the lookups between codes and names that the
 * engine (is this code allowed? its max?), the CTI (by name) and the
 * reports (the name of a logged code) use.
 *
 * The event log keeps codes only; names come from the configuration, so
 * renaming a reason renames it in every report, and a log written before
 * reasons were configured still replays as long as no list is set.
 *
 * A site has tens of reasons: the list is searched linearly, on agent
 * inputs and reports only, never on the routing path.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "acd_int.h"

/* always known; "login" and "no-answer" are set by the engine only */
const struct acd_reason_cfg acd_reason_builtin[ACD_REASON_BUILTINS] = {
	{ .code = ACD_REASON_NONE, .name = "unspecified" },
	{ .code = ACD_REASON_LOGIN, .name = "login" },
	{ .code = ACD_REASON_NO_ANSWER, .name = "no-answer" },
};

bool acd_reason_name_ok(const char *name)
{
	size_t i, n = strlen(name);

	if (!n || n >= ACD_NAME_MAX)
		return false;
	/* names go into reports and URLs unquoted: lower case, digits, - and _ */
	for (i = 0; i < n; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= '0' && name[i] <= '9') ||
		      name[i] == '-' || name[i] == '_'))
			return false;
	return true;
}

static const struct acd_reason_cfg *builtin_of(uint16_t code)
{
	unsigned int i;

	for (i = 0; i < ACD_REASON_BUILTINS; i++)
		if (acd_reason_builtin[i].code == code)
			return &acd_reason_builtin[i];
	return NULL;
}

const struct acd_reason_cfg *acd_reason_get(const struct acd_config *c, uint16_t code)
{
	unsigned int i;

	for (i = 0; i < c->nreasons; i++)
		if (c->reason[i].code == code)
			return &c->reason[i];
	return NULL;
}

const char *acd_reason_name(const struct acd_config *c, uint16_t code)
{
	const struct acd_reason_cfg *r = acd_reason_get(c, code);

	if (!r)
		r = builtin_of(code);
	return r ? r->name : NULL;
}

int acd_reason_find(const struct acd_config *c, const char *name)
{
	unsigned int i;

	for (i = 0; i < c->nreasons; i++)
		if (!strcmp(c->reason[i].name, name))
			return c->reason[i].code;
	for (i = 0; i < ACD_REASON_BUILTINS; i++)
		if (!strcmp(acd_reason_builtin[i].name, name))
			return acd_reason_builtin[i].code;
	return -ENOENT;
}

bool acd_reason_allowed(const struct acd_config *c, uint16_t code)
{
	if (code > ACD_REASON_SITE_MAX)
		return false;
	/* no list: every code in range, as before reasons had names */
	return !c->nreasons || code == ACD_REASON_NONE || acd_reason_get(c, code);
}

int acd_config_add_reason(struct acd_config *c, const struct acd_reason_cfg *r)
{
	struct acd_reason_cfg *v;
	unsigned int ncap;

	if (r->code < 1 || r->code > ACD_REASON_SITE_MAX || !memchr(r->name, 0, ACD_NAME_MAX) ||
	    !acd_reason_name_ok(r->name))
		return -EINVAL;
	if (acd_reason_name(c, r->code) || acd_reason_find(c, r->name) >= 0)
		return -EEXIST;
	if (c->nreasons >= ACD_MAX_REASONS)
		return -ENOSPC;
	if (c->nreasons == c->cap_reasons) {
		ncap = c->cap_reasons ? c->cap_reasons * 2 : 8;
		v = realloc(c->reason, ncap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		c->reason = v;
		c->cap_reasons = ncap;
	}
	c->reason[c->nreasons++] = *r;
	return 0;
}

/* a list built by hand (not through acd_config_add_reason) is checked too */
int acd_reason_check(const struct acd_config *c, char *err, size_t errlen)
{
	const struct acd_reason_cfg *r;
	unsigned int i, j;

	if (c->nreasons > ACD_MAX_REASONS)
		return acd_config_err(err, errlen, "reasons: at most %d", ACD_MAX_REASONS);
	for (i = 0; i < c->nreasons; i++) {
		r = &c->reason[i];
		if (!memchr(r->name, 0, ACD_NAME_MAX) || !acd_reason_name_ok(r->name))
			return acd_config_err(err, errlen, "reason %u: a name of a-z, 0-9, - and _ is required",
					      r->code);
		if (r->code < 1 || r->code > ACD_REASON_SITE_MAX)
			return acd_config_err(err, errlen, "reason %s: codes are 1 to %u", r->name,
					      ACD_REASON_SITE_MAX);
		for (j = 0; j < ACD_REASON_BUILTINS; j++)
			if (!strcmp(acd_reason_builtin[j].name, r->name))
				return acd_config_err(err, errlen, "reason %s: the name is built in",
						      r->name);
		/* at most ACD_MAX_REASONS: pairs stay cheap */
		for (j = 0; j < i; j++)
			if (c->reason[j].code == r->code || !strcmp(c->reason[j].name, r->name))
				return acd_config_err(err, errlen, "reason %s: %s given twice", r->name,
						      c->reason[j].code == r->code ? "code" : "name");
	}
	return 0;
}
