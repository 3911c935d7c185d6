/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * jreq: checking the members of a request object parsed with libtdmx's
 * flat JSON parser (struct tdmx_jobj), shared by the control socket
 * (ctl.c) and the CTI socket (cti_parse.c). Each refusal is written to the
 * caller's message buffer in the words both protocols use ("missing field
 * 'a'", "field 'a' must be a string", "unknown field 'x'") and returned as
 * -EINVAL; the callers keep their own command tables and value rules.
 * Replies repeat the request's "id" (an integer or a string) as it came.
 */
#ifndef TDMXD_JREQ_H
#define TDMXD_JREQ_H

#include <stdbool.h>
#include <stddef.h>

#include "libtdmx.h"

const struct tdmx_jval *jreq_field(const struct tdmx_jobj *o, const char *key,
				   enum tdmx_jtype type, bool required, char *err,
				   size_t errlen, int *ret);
void jreq_echo_id(struct tdmx_json *j, const struct tdmx_jval *id);
int jreq_known_keys(const struct tdmx_jobj *o, const char *keys, char *err, size_t errlen);

#endif /* TDMXD_JREQ_H */
