// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The frames `encode --hdlc TS:FILE` sends: a LAPD capture (recognised by
 * its magic number, read in pcap_lapd.c) or a text file with one frame per
 * line in hex: "02 01 7f" or "02017f". '#' starts a comment; blank lines
 * are skipped; every whitespace-separated word must have an even number of
 * hex digits. Frames are payload only: the transmitter adds the FCS.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hdlc.h"
#include "line.h"

#define MAX_PAYLOAD (TDMX_HDLC_MAX_FRAME - 2)

/**
 * line_frames_add() - append a copy of one frame
 * @fr: frame list
 * @data: payload
 * @len: its length, 1..TDMX_HDLC_MAX_FRAME - 2
 * @path: file it came from, for messages
 *
 * Return: 0, -EINVAL for a bad length, -ENOMEM.
 */
int line_frames_add(struct line_frames *fr, const u8 *data, unsigned int len,
		    const char *path)
{
	struct line_frame *v;
	u8 *copy;

	if (!len || len > MAX_PAYLOAD)
		return line_err("%s: frame %zu has %u octets (1..%u allowed)", path,
				fr->n + 1, len, MAX_PAYLOAD);
	if (fr->n == fr->cap) {
		v = realloc(fr->v, (fr->cap * 2 + 16) * sizeof(*v));
		if (!v)
			return line_errno(ENOMEM, "%s", path);
		fr->v = v;
		fr->cap = fr->cap * 2 + 16;
	}
	copy = malloc(len);
	if (!copy)
		return line_errno(ENOMEM, "%s", path);
	memcpy(copy, data, len);
	fr->v[fr->n].data = copy;
	fr->v[fr->n].len = len;
	fr->n++;
	return 0;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/* One line of text into @buf; *@len = 0 for a blank or comment line. */
static int parse_line(char *s, u8 *buf, unsigned int *len, const char *path,
		      unsigned long lineno)
{
	unsigned int n = 0, digits;
	char *hash = strchr(s, '#');

	if (hash)
		*hash = 0;
	while (*s) {
		while (is_space(*s))
			s++;
		for (digits = 0; *s && !is_space(*s); s++, digits++) {
			if (hexval(*s) < 0)
				return line_err("%s:%lu: '%c' is not a hex digit", path,
						lineno, *s);
			if (n >= MAX_PAYLOAD)
				return line_err("%s:%lu: frame longer than %u octets", path,
						lineno, MAX_PAYLOAD);
			if (digits & 1)
				buf[n++] |= hexval(*s);
			else
				buf[n] = hexval(*s) << 4;
		}
		if (digits & 1)
			return line_err("%s:%lu: odd number of hex digits (truncated octet)",
					path, lineno);
	}
	*len = n;
	return 0;
}

static int load_text(struct line_frames *fr, FILE *f, const char *path)
{
	u8 *buf = malloc(MAX_PAYLOAD);
	unsigned long lineno = 0;
	unsigned int len = 0;
	char *line = NULL;
	size_t cap = 0;
	int ret = 0;

	if (!buf)
		return line_errno(ENOMEM, "%s", path);
	while (getline(&line, &cap, f) >= 0) {
		lineno++;
		ret = parse_line(line, buf, &len, path, lineno);
		if (ret)
			goto out;
		if (len) {
			ret = line_frames_add(fr, buf, len, path);
			if (ret)
				goto out;
		}
	}
	if (ferror(f))
		ret = line_errno(line_io_errno(), "%s", path);
out:
	free(line);
	free(buf);
	return ret;
}

/**
 * line_frames_load() - append the frames of a capture or hex text file
 * @fr: frame list
 * @path: the file
 *
 * Return: 0 or a negative errno (message printed).
 */
int line_frames_load(struct line_frames *fr, const char *path)
{
	u8 magic[4];
	FILE *f;
	int ret;

	ret = line_fopen_in(path, &f);
	if (ret)
		return ret;
	if (fread(magic, 1, 4, f) == 4 && line_pcap_magic(magic)) {
		fclose(f);
		return line_frames_load_pcap(fr, path);
	}
	rewind(f);
	ret = load_text(fr, f, path);
	fclose(f);
	return ret;
}

/**
 * line_frames_free() - free a frame list
 * @fr: the list, left empty
 */
void line_frames_free(struct line_frames *fr)
{
	size_t i;

	for (i = 0; i < fr->n; i++)
		free(fr->v[i].data);
	free(fr->v);
	memset(fr, 0, sizeof(*fr));
}
