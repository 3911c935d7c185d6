// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A small JSON writer: compact (everything on one line, no spaces) or
 * pretty (a member per line, two spaces per level). Strings are escaped so
 * that the output is always valid JSON: quotes, backslashes and control
 * characters are escaped, invalid UTF-8 becomes U+FFFD.
 */
#include <inttypes.h>

#include "libtdmx_priv.h"

/**
 * tdmx_utf8_len() - the length of the UTF-8 sequence at @s
 * @s: NUL-terminated bytes
 *
 * Return: 1-4 for a valid sequence (no overlong forms, no surrogates, at
 * most U+10FFFF), 0 for an invalid one.
 */
size_t tdmx_utf8_len(const unsigned char *s)
{
	unsigned int cp, need, min, i;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0) {
		need = 1, min = 0x80, cp = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		need = 2, min = 0x800, cp = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		need = 3, min = 0x10000, cp = s[0] & 0x07;
	} else {
		return 0;
	}
	for (i = 1; i <= need; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return need + 1;
}

/**
 * tdmx_json_escape() - print @s as a JSON string, quotes included
 * @f: output
 * @s: NUL-terminated text
 */
void tdmx_json_escape(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	fputc('"', f);
	while (*p) {
		switch (*p) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		case '\b':
			fputs("\\b", f);
			break;
		case '\f':
			fputs("\\f", f);
			break;
		default:
			if (*p < 0x20 || *p == 0x7f) {
				fprintf(f, "\\u%04x", *p);
				break;
			}
			n = tdmx_utf8_len(p);
			if (!n) {
				fputs("\\ufffd", f);
				break;
			}
			fwrite(p, 1, n, f);
			p += n;
			continue;
		}
		p++;
	}
	fputc('"', f);
}

void tdmx_json_init(struct tdmx_json *j, FILE *f, bool pretty)
{
	j->f = f;
	j->pretty = pretty;
	j->depth = 0;
	j->has_items = 0;
}

static void indent(struct tdmx_json *j)
{
	unsigned int i;

	if (!j->pretty)
		return;
	fputc('\n', j->f);
	for (i = 0; i < j->depth; i++)
		fputs("  ", j->f);
}

/* start a member (inside an object: with its key) or an array item */
static void member(struct tdmx_json *j, const char *key)
{
	uint64_t bit = 1ull << j->depth;

	if (j->depth) {
		if (j->has_items & bit)
			fputc(',', j->f);
		j->has_items |= bit;
		indent(j);
	}
	if (key) {
		tdmx_json_escape(j->f, key);
		fputs(j->pretty ? ": " : ":", j->f);
	}
}

static void open_level(struct tdmx_json *j, const char *key, char c)
{
	member(j, key);
	fputc(c, j->f);
	if (j->depth < 63)
		j->depth++;
	j->has_items &= ~(1ull << j->depth);
}

static void close_level(struct tdmx_json *j, char c)
{
	bool had = j->has_items & (1ull << j->depth);

	if (j->depth)
		j->depth--;
	if (had)
		indent(j);
	fputc(c, j->f);
}

/* @key: the member name inside an object, NULL for an array item or the top */
void tdmx_json_obj_open(struct tdmx_json *j, const char *key)
{
	open_level(j, key, '{');
}

void tdmx_json_obj_close(struct tdmx_json *j)
{
	close_level(j, '}');
}

void tdmx_json_arr_open(struct tdmx_json *j, const char *key)
{
	open_level(j, key, '[');
}

void tdmx_json_arr_close(struct tdmx_json *j)
{
	close_level(j, ']');
}

void tdmx_json_str(struct tdmx_json *j, const char *key, const char *val)
{
	member(j, key);
	tdmx_json_escape(j->f, val);
}

void tdmx_json_uint(struct tdmx_json *j, const char *key, uint64_t val)
{
	member(j, key);
	fprintf(j->f, "%" PRIu64, val);
}

void tdmx_json_int(struct tdmx_json *j, const char *key, int64_t val)
{
	member(j, key);
	fprintf(j->f, "%" PRId64, val);
}

void tdmx_json_bool(struct tdmx_json *j, const char *key, bool val)
{
	member(j, key);
	fputs(val ? "true" : "false", j->f);
}
