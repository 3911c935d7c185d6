// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The reverse of tdmx_json_event(): a parsed tdmxmon -j line back into a
 * struct tdmx_event (for tdmxmon --replay). Strict about what tdmx_json_event()
 * always writes (time, type, the identifying numbers), every value's type
 * and range, and enum names; members it does not know are ignored.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

#include "libtdmx_priv.h"

struct jx {
	const struct tdmx_jobj *o;
	char *err;
	size_t errlen;
};

static int jfail(struct jx *x, const char *fmt, ...)
{
	va_list ap;

	if (x->errlen) {
		va_start(ap, fmt);
		vsnprintf(x->err, x->errlen, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

/* Each getter returns 1 when the member is there, 0 when it is optional and
 * absent, and -EINVAL (message in x->err) otherwise. */
static int j_get(struct jx *x, const char *key, bool required, enum tdmx_jtype type,
		 const struct tdmx_jval **v)
{
	static const char *const what[] = {
		[TDMX_J_BOOL] = "true or false", [TDMX_J_INT] = "an integer",
		[TDMX_J_STRING] = "a string", [TDMX_J_ARRAY] = "an array",
	};

	*v = tdmx_jobj_get(x->o, key);
	if (!*v)
		return required ? jfail(x, "missing \"%s\"", key) : 0;
	if ((*v)->type != type)
		return jfail(x, "\"%s\" must be %s", key, what[type]);
	return 1;
}

static int j_uint(struct jx *x, const char *key, bool required, uint64_t min, uint64_t max,
		  uint64_t *out)
{
	const struct tdmx_jval *v;
	int r = j_get(x, key, required, TDMX_J_INT, &v);

	if (r <= 0)
		return r;
	if (v->i < 0 || (uint64_t)v->i < min || (uint64_t)v->i > max)
		return jfail(x, "\"%s\" must be from %" PRIu64 " to %" PRIu64, key, min, max);
	*out = (uint64_t)v->i;
	return 1;
}

static int j_bool(struct jx *x, const char *key, bool required, bool *out)
{
	const struct tdmx_jval *v;
	int r = j_get(x, key, required, TDMX_J_BOOL, &v);

	if (r > 0)
		*out = v->b;
	return r;
}

/* a name of @kind, or the decimal number the printers use for unknown values */
static int name_value(enum tdmx_kind kind, const char *s)
{
	int v = tdmx_value(kind, s);
	size_t n = strlen(s);

	if (v >= 0 || !n || n > 3 || strspn(s, "0123456789") != n)
		return v;
	v = (int)strtoul(s, NULL, 10);
	return v <= UINT8_MAX ? v : -EINVAL;
}

static int j_enum(struct jx *x, const char *key, bool required, enum tdmx_kind kind,
		  uint8_t *out)
{
	const struct tdmx_jval *v;
	int r = j_get(x, key, required, TDMX_J_STRING, &v), val;

	if (r <= 0)
		return r;
	val = name_value(kind, v->s);
	if (val < 0)
		return jfail(x, "bad %s \"%s\"", tdmx_kind_name(kind), v->s);
	*out = (uint8_t)val;
	return 1;
}

static int j_alarms(struct jx *x, const char *key, bool required, uint32_t *out)
{
	const struct tdmx_jval *v;
	unsigned int i, bit;
	int r = j_get(x, key, required, TDMX_J_ARRAY, &v), a;

	if (r <= 0)
		return r;
	*out = 0;
	for (i = 0; i < v->n; i++) {
		const struct tdmx_jval *it = &v->items[i];

		if (it->type != TDMX_J_STRING)
			return jfail(x, "\"%s\" must hold alarm names", key);
		a = tdmx_value(TDMX_K_ALARM, it->s);
		if (a < 0 && sscanf(it->s, "bit%u", &bit) == 1 && bit < 32)
			a = (int)bit;
		if (a < 0)
			return jfail(x, "bad alarm \"%s\" in \"%s\"", it->s, key);
		*out |= 1u << a;
	}
	return 1;
}

static int j_abcd(struct jx *x, const char *key, uint8_t *out)
{
	const struct tdmx_jval *v;
	int r = j_get(x, key, false, TDMX_J_STRING, &v), i;

	if (r <= 0)
		return r;
	if (strlen(v->s) != 4 || strspn(v->s, "01") != 4)
		return jfail(x, "\"%s\" must be four bits like \"1101\"", key);
	*out = 0;
	for (i = 0; i < 4; i++)
		*out = (uint8_t)(*out << 1 | (v->s[i] - '0'));
	return 1;
}

/* "2026-11-22T22:51:03.123456Z" */
static int j_time(struct jx *x, char time[TDMX_TIME_LEN])
{
	static const char pattern[] = "dddd-dd-ddTdd:dd:dd.ddddddZ";
	const struct tdmx_jval *v;
	int r = j_get(x, "time", true, TDMX_J_STRING, &v);
	size_t i;

	if (r < 0)
		return r;
	if (strlen(v->s) != sizeof(pattern) - 1)
		goto bad;
	for (i = 0; pattern[i]; i++)
		if (pattern[i] == 'd' ? (v->s[i] < '0' || v->s[i] > '9') : v->s[i] != pattern[i])
			goto bad;
	memcpy(time, v->s, sizeof(pattern));
	return 0;
bad:
	return jfail(x, "\"time\" must look like \"2026-11-22T22:51:03.123456Z\"");
}

static int span_from_json(struct jx *x, struct tdmx_span *s)
{
	const struct tdmx_span_key *k;
	const struct tdmx_jval *v;
	uint64_t u;
	int r;

	r = j_uint(x, "span", true, 1, UINT32_MAX, &u);
	if (r < 0)
		return r;
	s->id = (uint32_t)u;
	r = j_get(x, "name", false, TDMX_J_STRING, &v);
	if (r > 0 && strlen(v->s) >= sizeof(s->name))
		return jfail(x, "\"name\" too long");
	if (r > 0) {
		strcpy(s->name, v->s);
		s->fields |= TDMX_SPAN_F_NAME;
	}
	if (r >= 0)
		r = j_uint(x, "card", false, 0, UINT32_MAX, &u);
	if (r > 0) {
		s->card = (uint32_t)u;
		s->fields |= TDMX_SPAN_F_CARD;
	}
	for (k = tdmx_span_keys; r >= 0 && k->key; k++) {
		uint8_t *dst = (uint8_t *)s + k->off;

		if (k->kind < 0) {
			r = j_uint(x, k->key, false, 0, UINT8_MAX, &u);
			if (r > 0)
				*dst = (uint8_t)u;
		} else {
			r = j_enum(x, k->key, false, (enum tdmx_kind)k->kind, dst);
		}
		if (r > 0)
			s->fields |= k->field;
	}
	if (r >= 0)
		r = j_alarms(x, "alarms", false, &s->alarms);
	if (r > 0)
		s->fields |= TDMX_SPAN_F_ALARMS;
	if (r >= 0)
		r = j_bool(x, "master", false, &s->timing_master);
	if (r >= 0)
		r = j_get(x, "clock_ppm", false, TDMX_J_INT, &v);
	if (r > 0 && (v->i < INT32_MIN || v->i > INT32_MAX))
		return jfail(x, "\"clock_ppm\" out of range");
	if (r > 0) {
		s->clock_ppm = (int32_t)v->i;
		s->fields |= TDMX_SPAN_F_CLOCK_PPM;
	}
	return r < 0 ? r : 0;
}

static int chan_from_json(struct jx *x, struct tdmx_chan *c)
{
	uint64_t u;
	int r;

	r = j_uint(x, "span", true, 1, UINT32_MAX, &u);
	if (r < 0)
		return r;
	c->span = (uint32_t)u;
	r = j_uint(x, "chan", true, 1, UINT8_MAX, &u);
	if (r < 0)
		return r;
	c->id = (uint8_t)u;
	r = j_enum(x, "chan_type", false, TDMX_K_CHAN_TYPE, &c->type);
	if (r > 0)
		c->fields |= TDMX_CHAN_F_TYPE;
	if (r >= 0)
		r = j_abcd(x, "rxabcd", &c->rx_abcd);
	if (r > 0)
		c->fields |= TDMX_CHAN_F_RX_ABCD;
	if (r >= 0)
		r = j_abcd(x, "txabcd", &c->tx_abcd);
	if (r > 0)
		c->fields |= TDMX_CHAN_F_TX_ABCD;
	if (r >= 0)
		r = j_uint(x, "open", false, 0, UINT8_MAX, &u);
	if (r > 0) {
		c->open = (uint8_t)u;
		c->fields |= TDMX_CHAN_F_OPEN;
	}
	return r < 0 ? r : 0;
}

static int vcard_from_json(struct jx *x, struct tdmx_event *ev)
{
	struct tdmx_vcard *vc = &ev->vcard;
	const struct tdmx_jval *v;
	unsigned int i;
	uint64_t u;
	int r;

	r = j_uint(x, "vcard", true, 1, UINT32_MAX, &u);
	if (r < 0)
		return r;
	vc->id = (uint32_t)u;
	r = j_bool(x, "deleted", false, &ev->deleted);
	if (r >= 0)
		r = j_enum(x, "vcard_type", false, TDMX_K_VCARD_TYPE, &vc->type);
	if (r >= 0)
		r = j_enum(x, "line", false, TDMX_K_LINE, &vc->line);
	if (r >= 0)
		r = j_get(x, "spans", false, TDMX_J_ARRAY, &v);
	if (r < 0)
		return r;
	if (!ev->deleted && !vc->type)
		return jfail(x, "missing \"vcard_type\" (or \"deleted\": true)");
	for (i = 0; r > 0 && i < v->n; i++) {
		const struct tdmx_jval *it = &v->items[i];

		if (it->type != TDMX_J_INT || it->i < 1 || it->i > UINT32_MAX)
			return jfail(x, "\"spans\" must hold span numbers");
		if (vc->nspans == TDMX_VCARD_MAX_SPANS)
			return jfail(x, "\"spans\" has more than %d spans", TDMX_VCARD_MAX_SPANS);
		vc->spans[vc->nspans++] = (uint32_t)it->i;
	}
	return 0;
}

static int alarm_from_json(struct jx *x, struct tdmx_alarm_edge *a)
{
	uint64_t u;
	int r;

	r = j_uint(x, "span", true, 1, UINT32_MAX, &u);
	if (r < 0)
		return r;
	a->span = (uint32_t)u;
	r = j_enum(x, "alarm", true, TDMX_K_ALARM, &a->alarm);
	if (r >= 0)
		r = j_bool(x, "on", true, &a->on);
	if (r >= 0)
		r = j_alarms(x, "alarms", true, &a->alarms);
	if (r >= 0)
		r = j_uint(x, "seq", true, 0, INT64_MAX, &a->seq);
	return r < 0 ? r : 0;
}

/**
 * tdmx_event_from_json() - a notification from a line tdmx_json_event()
 *	wrote (as parsed by tdmx_jobj_parse())
 * @o: the parsed line
 * @ev: result
 * @time: its "time" member
 * @err: what is wrong, on failure
 * @errlen: size of @err
 *
 * Return: 0 or -EINVAL.
 */
int tdmx_event_from_json(const struct tdmx_jobj *o, struct tdmx_event *ev,
			 char time[TDMX_TIME_LEN], char *err, size_t errlen)
{
	struct jx x = { .o = o, .err = err, .errlen = errlen };
	const struct tdmx_jval *type;
	int r, t;

	memset(ev, 0, sizeof(*ev));
	if (errlen)
		err[0] = 0;
	r = j_time(&x, time);
	if (r < 0)
		return r;
	r = j_get(&x, "type", true, TDMX_J_STRING, &type);
	if (r < 0)
		return r;
	for (t = TDMX_EV_SPAN; t <= TDMX_EV_ALARM; t++)
		if (!strcmp(type->s, tdmx_event_types[t]))
			break;
	ev->type = (enum tdmx_event_type)t;
	switch (t) {
	case TDMX_EV_SPAN:
		return span_from_json(&x, &ev->span);
	case TDMX_EV_CHAN:
		return chan_from_json(&x, &ev->chan);
	case TDMX_EV_VCARD:
		return vcard_from_json(&x, ev);
	case TDMX_EV_ALARM:
		return alarm_from_json(&x, &ev->alarm);
	default:
		return jfail(&x, "unknown \"type\" \"%s\" (span, chan, vcard, alarm)", type->s);
	}
}
