// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tdmxd WAV headers: build, parse, repair (see wav.h for the layouts).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wav.h"

#define RIFF_HDR_LEN	12	/* "RIFF" size "WAVE" */
#define CHUNK_HDR_LEN	8	/* id size */
#define PARSE_READ_LEN	4096	/* how much of a file wav_repair() looks at */

static void put_le16(uint8_t *p, uint16_t v)
{
	p[0] = v & 0xff;
	p[1] = v >> 8;
}

static void put_le32(uint8_t *p, uint32_t v)
{
	put_le16(p, v & 0xffff);
	put_le16(p + 2, v >> 16);
}

static uint16_t get_le16(const uint8_t *p)
{
	return p[0] | p[1] << 8;
}

static uint32_t get_le32(const uint8_t *p)
{
	return get_le16(p) | (uint32_t)get_le16(p + 2) << 16;
}

static unsigned int tag_bits(unsigned int tag)
{
	switch (tag) {
	case WAV_FORMAT_PCM:
		return 16;
	case WAV_FORMAT_ALAW:
	case WAV_FORMAT_MULAW:
		return 8;
	default:
		return 0;
	}
}

/**
 * wav_fmt_check() - is this a format we write
 * @f: the format
 *
 * Return: 0, or -EINVAL (unknown tag, not 1 or 2 channels, zero rate).
 */
int wav_fmt_check(const struct wav_fmt *f)
{
	if (!tag_bits(f->tag) || f->channels < 1 || f->channels > 2 || !f->rate)
		return -EINVAL;
	return 0;
}

/* bytes per frame; 0 for an invalid format */
unsigned int wav_block_align(const struct wav_fmt *f)
{
	if (wav_fmt_check(f))
		return 0;
	return f->channels * tag_bits(f->tag) / 8;
}

/* 44 for PCM, 58 for A-law/mu-law (fmt has cb_size, plus a fact chunk) */
size_t wav_header_len(const struct wav_fmt *f)
{
	if (wav_fmt_check(f))
		return 0;
	return f->tag == WAV_FORMAT_PCM ? WAV_HDR_PCM_LEN : WAV_HDR_LAW_LEN;
}

static uint8_t *put_chunk_hdr(uint8_t *p, const char *id, uint32_t size)
{
	memcpy(p, id, 4);
	put_le32(p + 4, size);
	return p + CHUNK_HDR_LEN;
}

/**
 * wav_header_build() - the header of a file with @data_bytes of audio
 * @f: the format
 * @data_bytes: size of the data chunk (a whole number of frames, at most
 *	WAV_MAX_DATA), or WAV_SIZE_UNKNOWN for a provisional header
 * @buf: where to write it
 * @len: room at @buf
 *
 * Return: the header length (wav_header_len()), -EINVAL for a bad format or
 * size, -ENOSPC if @len is too small.
 */
int wav_header_build(const struct wav_fmt *f, uint32_t data_bytes, void *buf, size_t len)
{
	size_t hlen = wav_header_len(f);
	unsigned int ba = wav_block_align(f);
	bool law = f->tag != WAV_FORMAT_PCM;
	uint32_t riff = WAV_SIZE_UNKNOWN, frames = WAV_SIZE_UNKNOWN;
	uint8_t *p = buf;

	if (!hlen)
		return -EINVAL;
	if (len < hlen)
		return -ENOSPC;
	if (data_bytes != WAV_SIZE_UNKNOWN) {
		if (data_bytes > WAV_MAX_DATA || data_bytes % ba)
			return -EINVAL;
		riff = hlen - CHUNK_HDR_LEN + data_bytes + (data_bytes & 1);
		frames = data_bytes / ba;
	}
	p = put_chunk_hdr(p, "RIFF", riff);
	memcpy(p, "WAVE", 4);
	p = put_chunk_hdr(p + 4, "fmt ", law ? 18 : 16);
	put_le16(p, f->tag);
	put_le16(p + 2, f->channels);
	put_le32(p + 4, f->rate);
	put_le32(p + 8, f->rate * ba);		/* byte rate */
	put_le16(p + 12, ba);			/* block align */
	put_le16(p + 14, tag_bits(f->tag));	/* bits per sample */
	p += 16;
	if (law) {
		put_le16(p, 0);			/* cb_size: no extension */
		p = put_chunk_hdr(p + 2, "fact", 4);
		put_le32(p, frames);
		p += 4;
	}
	put_chunk_hdr(p, "data", data_bytes);
	return hlen;
}

static int parse_fmt(const uint8_t *p, uint32_t size, struct wav_info *wi)
{
	unsigned int bits;

	if (size < 16)
		return -EINVAL;
	wi->fmt.tag = get_le16(p);
	wi->fmt.channels = get_le16(p + 2);
	wi->fmt.rate = get_le32(p + 4);
	wi->block_align = get_le16(p + 12);
	bits = get_le16(p + 14);
	if (!tag_bits(wi->fmt.tag))
		return -EPROTONOSUPPORT;
	if (wav_fmt_check(&wi->fmt) || bits != tag_bits(wi->fmt.tag) ||
	    wi->block_align != wav_block_align(&wi->fmt))
		return -EINVAL;
	wi->bits = bits;
	return 0;
}

/**
 * wav_header_parse() - read a header from the start of a file
 * @buf: the first bytes of the file
 * @len: how many
 * @wi: filled in
 *
 * Walks the chunks up to "data", skipping any it does not know (LIST etc.).
 *
 * Return: 0; -EINVAL if this is not a RIFF/WAVE file or its fmt chunk is
 * inconsistent, -EPROTONOSUPPORT for a format other than PCM16/A-law/mu-law,
 * -ENODATA if @buf ends before the data chunk starts.
 */
int wav_header_parse(const void *buf, size_t len, struct wav_info *wi)
{
	const uint8_t *b = buf;
	bool have_fmt = false;
	size_t off = RIFF_HDR_LEN;
	int ret;

	memset(wi, 0, sizeof(*wi));
	if (len < RIFF_HDR_LEN)
		return -ENODATA;
	if (memcmp(b, "RIFF", 4) || memcmp(b + 8, "WAVE", 4))
		return -EINVAL;
	wi->riff_size = get_le32(b + 4);
	while (off + CHUNK_HDR_LEN <= len) {
		const uint8_t *c = b + off;
		uint32_t size = get_le32(c + 4);

		if (!memcmp(c, "data", 4)) {
			if (!have_fmt)
				return -EINVAL;
			wi->data_offset = off + CHUNK_HDR_LEN;
			wi->data_bytes = size;
			wi->provisional = size == WAV_SIZE_UNKNOWN;
			return 0;
		}
		if (off + CHUNK_HDR_LEN + size > len)
			return -ENODATA;
		if (!memcmp(c, "fmt ", 4)) {
			ret = parse_fmt(c + CHUNK_HDR_LEN, size, wi);
			if (ret)
				return ret;
			have_fmt = true;
		} else if (!memcmp(c, "fact", 4) && size >= 4) {
			wi->fact_offset = off + CHUNK_HDR_LEN;
			wi->fact_frames = get_le32(c + CHUNK_HDR_LEN);
		}
		off += CHUNK_HDR_LEN + size + (size & 1);
	}
	return -ENODATA;
}

/* frames in the data chunk (0 while the header is provisional) */
uint64_t wav_frames(const struct wav_info *wi)
{
	if (wi->provisional || !wi->block_align)
		return 0;
	return wi->data_bytes / wi->block_align;
}

static bool consistent(const struct wav_info *wi, uint64_t file_size)
{
	uint64_t end = (uint64_t)wi->data_offset + wi->data_bytes + (wi->data_bytes & 1);

	return !wi->provisional && end == file_size && wi->riff_size == file_size - 8 &&
	       !(wi->data_bytes % wi->block_align) &&
	       (!wi->fact_offset || wi->fact_frames == wi->data_bytes / wi->block_align);
}

static int pwrite_le32(int fd, uint32_t v, off_t off)
{
	uint8_t b[4];
	ssize_t n;

	put_le32(b, v);
	n = pwrite(fd, b, sizeof(b), off);
	if (n < 0)
		return -errno;
	return n == sizeof(b) ? 0 : -EIO;
}

static int rewrite_sizes(int fd, const struct wav_info *wi)
{
	int ret;

	ret = pwrite_le32(fd, wi->riff_size, 4);
	if (!ret)
		ret = pwrite_le32(fd, wi->data_bytes, wi->data_offset - 4);
	if (!ret && wi->fact_offset)
		ret = pwrite_le32(fd, wi->fact_frames, wi->fact_offset);
	if (!ret && fsync(fd))
		ret = -errno;
	return ret;
}

/**
 * wav_repair_fd() - make the header of an interrupted file match its data
 * @fd: the file, open read-write
 * @wi: filled in with the header as it is afterwards
 *
 * The data size is what the file holds after the header, cut down to whole
 * frames (a partial last frame is truncated away) and to WAV_MAX_DATA; an
 * odd size gets its pad byte. RIFF size, data size and the fact count are
 * rewritten in place and the file is fsync'ed. A finalised file whose
 * sizes already match is left alone.
 *
 * Return: 1 if the file was changed, 0 if it was already consistent, or a
 * negative errno (see wav_header_parse(); I/O errors).
 */
int wav_repair_fd(int fd, struct wav_info *wi)
{
	uint8_t buf[PARSE_READ_LEN];
	uint64_t avail, end;
	struct stat st;
	ssize_t n;
	int ret;

	n = pread(fd, buf, sizeof(buf), 0);
	if (n < 0)
		return -errno;
	ret = wav_header_parse(buf, n, wi);
	if (ret)
		return ret;
	if (fstat(fd, &st))
		return -errno;
	if (consistent(wi, st.st_size))
		return 0;
	avail = (uint64_t)st.st_size > wi->data_offset ? st.st_size - wi->data_offset : 0;
	if (avail > WAV_MAX_DATA)
		avail = WAV_MAX_DATA;
	avail -= avail % wi->block_align;
	end = wi->data_offset + avail + (avail & 1);
	if (end != (uint64_t)st.st_size && ftruncate(fd, end))
		return -errno;
	wi->data_bytes = avail;
	wi->riff_size = end - 8;
	wi->fact_frames = avail / wi->block_align;
	wi->provisional = false;
	ret = rewrite_sizes(fd, wi);
	return ret ? ret : 1;
}

/* wav_repair_fd() on a path */
int wav_repair(const char *path, struct wav_info *wi)
{
	int fd, ret;

	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = wav_repair_fd(fd, wi);
	close(fd);
	return ret;
}
