// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A timeslot's octets in a file: raw (one octet per frame, nothing else),
 * or an 8-bit G.711 WAV, 8000 Hz mono. A WAV written here is the canonical
 * non-PCM layout of the RIFF WAVE spec:
 *
 *   "RIFF" size "WAVE"
 *   "fmt " 18  format(6 A-law | 7 mu-law) channels=1 rate=8000
 *              bytes/s=8000 block_align=1 bits=8 cb_size=0
 *   "fact" 4   sample count            (required for non-PCM formats)
 *   "data" n   samples [pad octet if n is odd]
 *
 * Sizes are written as 0 first and filled in by line_out_close().
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>

#include "line.h"

#define WAV_HEADER 58
#define WAV_RATE 8000

static void put16(u8 *p, unsigned int v)
{
	p[0] = v;
	p[1] = v >> 8;
}

static void put32(u8 *p, u32 v)
{
	put16(p, v & 0xFFFF);
	put16(p + 2, v >> 16);
}

static unsigned int get16(const u8 *p)
{
	return p[0] | p[1] << 8;
}

static u32 get32(const u8 *p)
{
	return get16(p) | (u32)get16(p + 2) << 16;
}

static void wav_header(u8 h[WAV_HEADER], unsigned int format, u32 samples)
{
	u32 pad = samples & 1;

	memcpy(h, "RIFF", 4);
	put32(h + 4, WAV_HEADER - 8 + samples + pad);
	memcpy(h + 8, "WAVE", 4);
	memcpy(h + 12, "fmt ", 4);
	put32(h + 16, 18);
	put16(h + 20, format);
	put16(h + 22, 1);
	put32(h + 24, WAV_RATE);
	put32(h + 28, WAV_RATE);
	put16(h + 32, 1);
	put16(h + 34, 8);
	put16(h + 36, 0);
	memcpy(h + 38, "fact", 4);
	put32(h + 42, 4);
	put32(h + 46, samples);
	memcpy(h + 50, "data", 4);
	put32(h + 54, samples);
}

/**
 * line_out_open() - create a timeslot output file
 * @o: state to fill
 * @path: file name ("-" is refused: stdout carries the events)
 * @wav_format: 0 for raw octets, LINE_WAV_ALAW or LINE_WAV_MULAW
 *
 * Return: 0 or a negative errno (message printed).
 */
int line_out_open(struct line_out *o, const char *path, unsigned int wav_format)
{
	u8 h[WAV_HEADER];
	int ret;

	memset(o, 0, sizeof(*o));
	if (!strcmp(path, "-"))
		return line_err("%s: cannot write a timeslot to stdout (it carries the events)",
				path);
	o->path = path;
	o->wav_format = wav_format;
	o->f = fopen(path, wav_format ? "w+b" : "wb");
	if (!o->f)
		return line_errno(errno, "%s", path);
	if (!wav_format)
		return 0;
	wav_header(h, wav_format, 0);
	if (fwrite(h, 1, sizeof(h), o->f) != sizeof(h)) {
		ret = line_errno(line_io_errno(), "%s", path);
		fclose(o->f);
		o->f = NULL;
		return ret;
	}
	return 0;
}

/**
 * line_out_write() - append timeslot octets
 * @o: open output
 * @p: octets
 * @n: how many
 *
 * Return: 0, -EFBIG when a WAV would pass 4 GiB, -EIO on a write error.
 */
int line_out_write(struct line_out *o, const u8 *p, size_t n)
{
	if (o->wav_format && o->bytes + n > UINT32_MAX - WAV_HEADER)
		return line_errno(EFBIG, "%s", o->path);
	if (fwrite(p, 1, n, o->f) != n)
		return line_errno(line_io_errno(), "%s", o->path);
	o->bytes += n;
	return 0;
}

/**
 * line_out_close() - finish a timeslot output (WAV: pad, sizes)
 * @o: output, closed even on error
 *
 * Return: 0 or -EIO.
 */
int line_out_close(struct line_out *o)
{
	u8 h[WAV_HEADER];
	int ret = 0;

	if (!o->f)
		return 0;
	if (o->wav_format) {
		wav_header(h, o->wav_format, o->bytes);
		if ((o->bytes & 1 && fputc(0, o->f) == EOF) ||
		    fseek(o->f, 0, SEEK_SET) ||
		    fwrite(h, 1, sizeof(h), o->f) != sizeof(h))
			ret = -EIO;
	}
	if (fclose(o->f))
		ret = -EIO;
	o->f = NULL;
	if (ret)
		return line_errno(EIO, "%s", o->path);
	return 0;
}

static const char *format_name(unsigned int format)
{
	switch (format) {
	case LINE_WAV_ALAW:
		return "A-law";
	case LINE_WAV_MULAW:
		return "mu-law";
	case 1:
		return "linear PCM";
	default:
		return "an unsupported format";
	}
}

static int wav_fmt(struct line_in *in, const u8 *c, u32 len, unsigned int want)
{
	unsigned int format;

	if (len < 16)
		return line_err("%s: broken WAV header (fmt chunk of %u bytes)", in->path, len);
	format = get16(c);
	if (format != want)
		return line_err("%s: WAV is %s (format %u), this line needs %s (format %u)",
				in->path, format_name(format), format, format_name(want), want);
	if (get16(c + 2) != 1 || get32(c + 4) != WAV_RATE || get16(c + 14) != 8)
		return line_err("%s: WAV must be 8000 Hz mono 8-bit (is %u Hz, %u channels, %u bits)",
				in->path, get32(c + 4), get16(c + 2), get16(c + 14));
	return 0;
}

/* Walk the chunks up to "data"; leave the file at the first sample. */
static int wav_open(struct line_in *in, unsigned int want)
{
	u8 h[12], c[8], fmt[40];
	bool have_fmt = false;
	struct stat st;
	long pos;
	u32 len;
	int ret;

	if (fread(h, 1, 12, in->f) != 12 || memcmp(h, "RIFF", 4) || memcmp(h + 8, "WAVE", 4))
		return line_err("%s: not a WAV file (no RIFF/WAVE header)", in->path);
	for (;;) {
		if (fread(c, 1, 8, in->f) != 8)
			return line_err("%s: broken WAV header (no data chunk)", in->path);
		len = get32(c + 4);
		if (!memcmp(c, "data", 4))
			break;
		if (!memcmp(c, "fmt ", 4) && len <= sizeof(fmt)) {
			if (fread(fmt, 1, len, in->f) != len)
				return line_err("%s: broken WAV header (truncated fmt chunk)",
						in->path);
			ret = wav_fmt(in, fmt, len, want);
			if (ret)
				return ret;
			have_fmt = true;
			if (len & 1 && fseek(in->f, 1, SEEK_CUR))
				return line_err("%s: broken WAV header", in->path);
		} else if (fseek(in->f, len + (len & 1), SEEK_CUR)) {
			return line_err("%s: broken WAV header (chunk beyond the end)", in->path);
		}
	}
	if (!have_fmt)
		return line_err("%s: broken WAV header (no fmt chunk before data)", in->path);
	pos = ftell(in->f);
	if (pos >= 0 && !fstat(fileno(in->f), &st) && S_ISREG(st.st_mode) &&
	    (u64)pos + len > (u64)st.st_size)
		return line_err("%s: truncated WAV (data chunk of %u octets, %llu present)",
				in->path, len, (unsigned long long)(st.st_size - pos));
	in->left = len;
	return 0;
}

/**
 * line_in_open() - open a timeslot source
 * @in: state to fill
 * @path: raw file, or a WAV when @wav_format is not 0
 * @wav_format: 0, or the WAV format the line needs (A-law for E1, mu-law
 *	for T1); other WAV formats are refused
 *
 * Return: 0 or a negative errno (message printed).
 */
int line_in_open(struct line_in *in, const char *path, unsigned int wav_format)
{
	int ret;

	memset(in, 0, sizeof(*in));
	in->path = path;
	in->left = UINT64_MAX;
	ret = line_fopen_in(path, &in->f);
	if (ret)
		return ret;
	if (!wav_format)
		return 0;
	ret = wav_open(in, wav_format);
	if (ret)
		line_in_close(in);
	return ret;
}

/**
 * line_in_read() - read the next octets of a timeslot source
 * @in: open source
 * @buf: where to put them
 * @n: at most this many
 *
 * Return: octets read (0 at the end), or a negative errno. A WAV whose data
 * chunk is longer than the file is reported as truncated.
 */
long line_in_read(struct line_in *in, u8 *buf, size_t n)
{
	size_t got;

	if (!in->f)
		return 0;
	if (n > in->left)
		n = in->left;
	got = fread(buf, 1, n, in->f);
	if (ferror(in->f))
		return line_errno(line_io_errno(), "%s", in->path);
	if (got < n && in->left != UINT64_MAX)
		return line_err("%s: WAV data chunk is truncated (%llu octets missing)",
				in->path, (unsigned long long)(in->left - got));
	if (in->left != UINT64_MAX)
		in->left -= got;
	if (got < n)
		line_in_close(in);
	return got;
}

/**
 * line_in_close() - close a timeslot source (idempotent)
 * @in: the source
 */
void line_in_close(struct line_in *in)
{
	if (in->f)
		fclose(in->f);
	in->f = NULL;
}
