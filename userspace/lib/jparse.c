// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A strict parser for one flat JSON object per line (RFC 8259 syntax):
 * members whose values are strings, numbers, true, false, null or arrays
 * of those. Nested objects and arrays, duplicate keys, trailing commas,
 * invalid escapes, raw control characters, invalid UTF-8 and anything
 * after the closing brace are errors, reported with their column.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "libtdmx_priv.h"

struct jp {
	const char *s;
	size_t pos;
	struct tdmx_jobj *o;
	char *err;
	size_t errlen;
};

static int fail(struct jp *p, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!p->errlen)
		return -EINVAL;
	n = snprintf(p->err, p->errlen, "column %zu: ", p->pos + 1);
	if (n < 0 || (size_t)n >= p->errlen)
		return -EINVAL;
	va_start(ap, fmt);
	vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* what is at the current position, for messages */
static const char *found(struct jp *p, char buf[16])
{
	unsigned char c = (unsigned char)p->s[p->pos];

	if (!c)
		return "end of line";
	if (c < 0x20 || c >= 0x7f)
		snprintf(buf, 16, "byte 0x%02x", c);
	else
		snprintf(buf, 16, "'%c'", c);
	return buf;
}

static void skip_ws(struct jp *p)
{
	while (p->s[p->pos] && strchr(" \t\r\n", p->s[p->pos]))
		p->pos++;
}

static int put_bytes(struct jp *p, const char *b, size_t n)
{
	struct tdmx_jobj *o = p->o;

	if (o->used + n >= sizeof(o->text))
		return fail(p, "line too long (more than %zu bytes of text)", sizeof(o->text));
	memcpy(o->text + o->used, b, n);
	o->used += n;
	return 0;
}

static int put_cp(struct jp *p, unsigned long cp)
{
	char b[4];
	size_t n;

	if (cp < 0x80) {
		b[0] = (char)cp, n = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xc0 | (cp >> 6)), b[1] = (char)(0x80 | (cp & 0x3f)), n = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xe0 | (cp >> 12)), b[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[2] = (char)(0x80 | (cp & 0x3f)), n = 3;
	} else {
		b[0] = (char)(0xf0 | (cp >> 18)), b[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3f)), b[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	return put_bytes(p, b, n);
}

static int hex4(struct jp *p, unsigned long *v)
{
	char h[5];

	if (strnlen(p->s + p->pos, 4) < 4)
		return fail(p, "\\u needs four hex digits");
	memcpy(h, p->s + p->pos, 4);
	h[4] = 0;
	if (strspn(h, "0123456789abcdefABCDEF") != 4)
		return fail(p, "\\u needs four hex digits");
	*v = strtoul(h, NULL, 16);
	p->pos += 4;
	return 0;
}

/* \uXXXX, with a surrogate pair when XXXX is a high surrogate */
static int unicode_escape(struct jp *p)
{
	unsigned long cp, lo;
	int ret;

	ret = hex4(p, &cp);
	if (ret)
		return ret;
	if (cp >= 0xdc00 && cp <= 0xdfff)
		return fail(p, "lone low surrogate \\u%04lx", cp);
	if (cp >= 0xd800 && cp <= 0xdbff) {
		if (p->s[p->pos] != '\\' || p->s[p->pos + 1] != 'u')
			return fail(p, "high surrogate without its low half");
		p->pos += 2;
		ret = hex4(p, &lo);
		if (ret)
			return ret;
		if (lo < 0xdc00 || lo > 0xdfff)
			return fail(p, "high surrogate without its low half");
		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
	}
	if (!cp)
		return fail(p, "\\u0000 is not supported");
	return put_cp(p, cp);
}

static int escape(struct jp *p)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *e;
	char c = p->s[p->pos];

	if (c == 'u') {
		p->pos++;
		return unicode_escape(p);
	}
	if (!c)
		return fail(p, "unterminated string");
	e = strchr(from, c);
	if (!e)
		return fail(p, "invalid escape '\\%c'", c);
	p->pos++;
	return put_bytes(p, &to[e - from], 1);
}

static int parse_string(struct jp *p, const char **out)
{
	size_t start;
	int ret;

	p->pos++;	/* the opening quote */
	start = p->o->used;
	for (;;) {
		const unsigned char *c = (const unsigned char *)p->s + p->pos;
		size_t n;

		if (!*c)
			return fail(p, "unterminated string");
		if (*c == '"')
			break;
		if (*c < 0x20)
			return fail(p, "control character 0x%02x in a string", *c);
		if (*c == '\\') {
			p->pos++;
			ret = escape(p);
		} else {
			n = tdmx_utf8_len(c);
			if (!n)
				return fail(p, "invalid UTF-8");
			ret = put_bytes(p, (const char *)c, n);
			p->pos += n;
		}
		if (ret)
			return ret;
	}
	p->pos++;
	ret = put_bytes(p, "", 1);
	if (ret)
		return ret;
	*out = p->o->text + start;
	return 0;
}

static int parse_number(struct jp *p, struct tdmx_jval *v)
{
	const char *s = p->s + p->pos;
	size_t i = 0, len;
	bool real = false;
	char buf[64];
	char *end;

	if (s[i] == '-')
		i++;
	if (s[i] == '0')
		i++;
	else if (s[i] >= '1' && s[i] <= '9')
		i += strspn(s + i, "0123456789");
	else
		return fail(p, "bad number");
	if (s[i] == '.') {
		real = true;
		i++;
		len = strspn(s + i, "0123456789");
		if (!len)
			return fail(p, "bad number: digits must follow '.'");
		i += len;
	}
	if (s[i] == 'e' || s[i] == 'E') {
		real = true;
		i++;
		if (s[i] == '+' || s[i] == '-')
			i++;
		len = strspn(s + i, "0123456789");
		if (!len)
			return fail(p, "bad number: digits must follow the exponent");
		i += len;
	}
	if (i >= sizeof(buf))
		return fail(p, "number too long");
	memcpy(buf, s, i);
	buf[i] = 0;
	errno = 0;
	if (real) {
		v->type = TDMX_J_REAL;
		v->r = strtod(buf, &end);
		if (!isfinite(v->r))
			return fail(p, "number out of range");
	} else {
		v->type = TDMX_J_INT;
		v->i = strtoll(buf, &end, 10);
		if (errno == ERANGE)
			return fail(p, "integer out of range");
		v->r = (double)v->i;
	}
	p->pos += i;
	return 0;
}

static int parse_word(struct jp *p, const char *word)
{
	size_t n = strlen(word);

	if (strncmp(p->s + p->pos, word, n))
		return -1;
	p->pos += n;
	return 0;
}

static int parse_scalar(struct jp *p, struct tdmx_jval *v)
{
	char c = p->s[p->pos];
	char buf[16];

	memset(v, 0, sizeof(*v));
	if (c == '"') {
		v->type = TDMX_J_STRING;
		return parse_string(p, &v->s);
	}
	if (c == '-' || (c >= '0' && c <= '9'))
		return parse_number(p, v);
	if (!parse_word(p, "true")) {
		v->type = TDMX_J_BOOL;
		v->b = true;
		return 0;
	}
	if (!parse_word(p, "false")) {
		v->type = TDMX_J_BOOL;
		return 0;
	}
	if (!parse_word(p, "null")) {
		v->type = TDMX_J_NULL;
		return 0;
	}
	if (c == '{')
		return fail(p, "nested objects are not supported");
	if (c == '[')
		return fail(p, "nested arrays are not supported");
	return fail(p, "expected a value, found %s", found(p, buf));
}

static int parse_array(struct jp *p, struct tdmx_jval *v)
{
	struct tdmx_jobj *o = p->o;
	char buf[16];
	int ret;

	memset(v, 0, sizeof(*v));
	v->type = TDMX_J_ARRAY;
	v->items = &o->items[o->nitems];
	p->pos++;
	skip_ws(p);
	if (p->s[p->pos] == ']') {
		p->pos++;
		return 0;
	}
	for (;;) {
		if (o->nitems == TDMX_JSON_MAX_ITEMS)
			return fail(p, "too many array items (more than %d)", TDMX_JSON_MAX_ITEMS);
		ret = parse_scalar(p, &o->items[o->nitems]);
		if (ret)
			return ret;
		o->nitems++;
		v->n++;
		skip_ws(p);
		if (p->s[p->pos] == ']') {
			p->pos++;
			return 0;
		}
		if (p->s[p->pos] != ',')
			return fail(p, "expected ',' or ']', found %s", found(p, buf));
		p->pos++;
		skip_ws(p);
	}
}

static int parse_member(struct jp *p)
{
	struct tdmx_jobj *o = p->o;
	const char *key;
	char buf[16];
	int ret;

	if (p->s[p->pos] != '"')
		return fail(p, "expected a key in double quotes, found %s", found(p, buf));
	if (o->n == TDMX_JSON_MAX_MEMBERS)
		return fail(p, "too many members (more than %d)", TDMX_JSON_MAX_MEMBERS);
	ret = parse_string(p, &key);
	if (ret)
		return ret;
	if (tdmx_jobj_get(o, key))
		return fail(p, "duplicate key \"%s\"", key);
	skip_ws(p);
	if (p->s[p->pos] != ':')
		return fail(p, "expected ':' after \"%s\", found %s", key, found(p, buf));
	p->pos++;
	skip_ws(p);
	if (p->s[p->pos] == '[')
		ret = parse_array(p, &o->vals[o->n]);
	else
		ret = parse_scalar(p, &o->vals[o->n]);
	if (ret)
		return ret;
	o->keys[o->n++] = key;
	return 0;
}

/**
 * tdmx_jobj_parse() - parse one line holding one flat JSON object
 * @o: result
 * @line: the text (a trailing newline is whitespace)
 * @err: "column N: what is wrong" on failure
 * @errlen: size of @err
 *
 * Return: 0 or -EINVAL.
 */
int tdmx_jobj_parse(struct tdmx_jobj *o, const char *line, char *err, size_t errlen)
{
	struct jp p = { .s = line, .o = o, .err = err, .errlen = errlen };
	char buf[16];
	int ret;

	o->n = 0;
	o->nitems = 0;
	o->used = 0;
	if (errlen)
		err[0] = 0;
	skip_ws(&p);
	if (line[p.pos] != '{')
		return fail(&p, "expected '{', found %s", found(&p, buf));
	p.pos++;
	skip_ws(&p);
	if (line[p.pos] != '}') {
		for (;;) {
			ret = parse_member(&p);
			if (ret)
				return ret;
			skip_ws(&p);
			if (line[p.pos] == '}')
				break;
			if (line[p.pos] != ',')
				return fail(&p, "expected ',' or '}', found %s", found(&p, buf));
			p.pos++;
			skip_ws(&p);
		}
	}
	p.pos++;
	skip_ws(&p);
	if (line[p.pos])
		return fail(&p, "unexpected %s after the object", found(&p, buf));
	return 0;
}

/* Return: the value of member @key, NULL if there is none. */
const struct tdmx_jval *tdmx_jobj_get(const struct tdmx_jobj *o, const char *key)
{
	unsigned int i;

	for (i = 0; i < o->n; i++)
		if (!strcmp(o->keys[i], key))
			return &o->vals[i];
	return NULL;
}
