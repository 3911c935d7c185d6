// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * jreq: request member checks shared by the JSON-line sockets (see jreq.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "jreq.h"

/**
 * jreq_field() - the member @key of @o, if it has the type @type
 * @o: the request
 * @key: the member's name
 * @type: the type it must have
 * @required: whether a missing member is an error
 * @err: receives the message of a refusal
 * @errlen: size of @err
 * @ret: set to 0, or -EINVAL when refused
 *
 * Return: the value, or NULL (missing, or refused: see @ret).
 */
const struct tdmx_jval *jreq_field(const struct tdmx_jobj *o, const char *key,
				   enum tdmx_jtype type, bool required, char *err,
				   size_t errlen, int *ret)
{
	static const char *const names[] = {
		[TDMX_J_NULL] = "null", [TDMX_J_BOOL] = "true or false",
		[TDMX_J_INT] = "an integer", [TDMX_J_REAL] = "a number",
		[TDMX_J_STRING] = "a string", [TDMX_J_ARRAY] = "an array",
	};
	const struct tdmx_jval *v = tdmx_jobj_get(o, key);

	*ret = 0;
	if (!v) {
		if (required) {
			snprintf(err, errlen, "missing field '%s'", key);
			*ret = -EINVAL;
		}
		return NULL;
	}
	if (v->type != type) {
		snprintf(err, errlen, "field '%s' must be %s", key, names[type]);
		*ret = -EINVAL;
		return NULL;
	}
	return v;
}

/**
 * jreq_known_keys() - every member of @o is "cmd", "id" or one of @keys
 * @o: the request
 * @keys: the command's member names, space-separated
 * @err: receives "unknown field '...'"
 * @errlen: size of @err
 *
 * Return: 0 or -EINVAL. An empty member name is never known.
 */
int jreq_known_keys(const struct tdmx_jobj *o, const char *keys, char *err, size_t errlen)
{
	const char *k, *p;
	unsigned int i;
	size_t n;

	for (i = 0; i < o->n; i++) {
		k = o->keys[i];
		if (!strcmp(k, "cmd") || !strcmp(k, "id"))
			continue;
		n = strlen(k);
		/* a whole word of @keys, not a part of one */
		for (p = keys; n && (p = strstr(p, k)); p += n)
			if ((p == keys || p[-1] == ' ') && (p[n] == ' ' || !p[n]))
				break;
		if (!n || !p) {
			snprintf(err, errlen, "unknown field '%s'", k);
			return -EINVAL;
		}
	}
	return 0;
}

/* repeat the request's "id" member in a reply: integers and strings only */
void jreq_echo_id(struct tdmx_json *j, const struct tdmx_jval *id)
{
	if (id && id->type == TDMX_J_INT)
		tdmx_json_int(j, "id", id->i);
	else if (id && id->type == TDMX_J_STRING)
		tdmx_json_str(j, "id", id->s);
}
