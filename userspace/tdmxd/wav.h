/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tdmxd WAV files: the headers the recorder writes, parsing them back, and
 * repairing a file whose writer died before finalising it.
 *
 * Layouts (all little-endian, RIFF/WAVE as in the Microsoft Multimedia
 * Programming Interface and Data Specifications 1.0, "WAVE format"):
 *
 *   16-bit PCM (format 1), 44 bytes:
 *     "RIFF" riff_size "WAVE"
 *     "fmt " 16  tag channels rate byte_rate block_align bits
 *     "data" data_size
 *
 *   A-law (format 6) or mu-law (format 7), 8 bits, 58 bytes:
 *     "RIFF" riff_size "WAVE"
 *     "fmt " 18  tag channels rate byte_rate block_align bits cb_size=0
 *     "fact" 4   sample_count (frames: samples per channel)
 *     "data" data_size
 *
 * riff_size is the file size minus 8. A data chunk of odd size is followed
 * by one pad byte, which riff_size counts and data_size does not.
 *
 * While a recording runs its header is "provisional": data_size, riff_size
 * and the fact count are WAV_SIZE_UNKNOWN (0xffffffff, the streaming
 * convention ffmpeg and sox read as "until end of file"; libsndfile clamps
 * it to the file). Finalisation writes the real sizes; wav_repair() computes
 * them from the file size after a crash.
 *
 * Functions return 0 or a length on success and a negative errno on failure.
 */
#ifndef TDMXD_WAV_H
#define TDMXD_WAV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WAV_FORMAT_PCM		1
#define WAV_FORMAT_ALAW		6
#define WAV_FORMAT_MULAW	7

#define WAV_HDR_PCM_LEN		44
#define WAV_HDR_LAW_LEN		58
#define WAV_HDR_MAX		58

#define WAV_SIZE_UNKNOWN	0xffffffffu
/* the largest data chunk a header can describe (riff_size stays < 4 GiB) */
#define WAV_MAX_DATA		(0xffffffffu - 64u)

/**
 * struct wav_fmt - what a WAV file holds
 * @tag: WAV_FORMAT_PCM (16 bits), WAV_FORMAT_ALAW or WAV_FORMAT_MULAW (8 bits)
 * @channels: 1 or 2 (stereo is interleaved left, right)
 * @rate: samples per second per channel
 */
struct wav_fmt {
	uint16_t tag;
	uint16_t channels;
	uint32_t rate;
};

/**
 * struct wav_info - a parsed header
 * @fmt: the format
 * @bits: bits per sample (16 or 8)
 * @block_align: bytes per frame (all channels)
 * @data_offset: file offset of the first data byte
 * @data_bytes: the data chunk's size field (WAV_SIZE_UNKNOWN if provisional)
 * @riff_size: the RIFF size field
 * @fact_offset: file offset of the fact sample count, 0 if no fact chunk
 * @fact_frames: the fact sample count
 * @provisional: the header was never finalised (data_bytes unknown)
 */
struct wav_info {
	struct wav_fmt fmt;
	unsigned int bits;
	unsigned int block_align;
	uint32_t data_offset;
	uint32_t data_bytes;
	uint32_t riff_size;
	uint32_t fact_offset;
	uint32_t fact_frames;
	bool provisional;
};

int wav_fmt_check(const struct wav_fmt *f);
unsigned int wav_block_align(const struct wav_fmt *f);
size_t wav_header_len(const struct wav_fmt *f);
int wav_header_build(const struct wav_fmt *f, uint32_t data_bytes, void *buf, size_t len);
int wav_header_parse(const void *buf, size_t len, struct wav_info *wi);
uint64_t wav_frames(const struct wav_info *wi);
int wav_repair_fd(int fd, struct wav_info *wi);
int wav_repair(const char *path, struct wav_info *wi);

#endif /* TDMXD_WAV_H */
