// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tdmxd WAV headers: byte-exact layouts for each format, parsing back,
 * libsndfile reading what we write, and repairing interrupted files.
 *
 * Expected headers are spelled out byte by byte from the RIFF/WAVE
 * specification rather than produced by the code under test; libsndfile is
 * the independent reader.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sndfile.h>

#include "g711.h"
#include "unit.h"
#include "wav.h"

static char tmpdir[64];

static void setup(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/tdmxd-wav-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd))
		fprintf(stderr, "could not remove %s\n", tmpdir);
}

static const char *tmp_path(const char *name)
{
	static char p[128];

	snprintf(p, sizeof(p), "%s/%s", tmpdir, name);
	return p;
}

static void write_file(const char *path, const void *a, size_t alen, const void *b, size_t blen)
{
	FILE *f = fopen(path, "wb");

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(a, 1, alen, f), alen);
	if (blen)
		ck_assert_uint_eq(fwrite(b, 1, blen, f), blen);
	ck_assert_int_eq(fclose(f), 0);
}

static off_t file_size(const char *path)
{
	struct stat st;

	ck_assert_int_eq(stat(path, &st), 0);
	return st.st_size;
}

static void check_header(const struct wav_fmt *f, uint32_t data, const uint8_t *want,
			 size_t want_len)
{
	uint8_t buf[WAV_HDR_MAX + 8];

	memset(buf, 0xaa, sizeof(buf));
	ck_assert_int_eq(wav_header_build(f, data, buf, sizeof(buf)), (int)want_len);
	ck_assert_mem_eq(buf, want, want_len);
	ck_assert_uint_eq(buf[want_len], 0xaa);	/* nothing written past it */
}

START_TEST(test_wav_pcm16_mono_header_is_byte_exact)
{
	static const uint8_t want[WAV_HDR_PCM_LEN] = {
		'R', 'I', 'F', 'F', 0x0c, 0x04, 0, 0, 'W', 'A', 'V', 'E',	/* 36 + 1000 */
		'f', 'm', 't', ' ', 16, 0, 0, 0,
		1, 0, 1, 0,				/* PCM, mono */
		0x40, 0x1f, 0, 0,			/* 8000 Hz */
		0x80, 0x3e, 0, 0,			/* 16000 B/s */
		2, 0, 16, 0,				/* block 2, 16 bits */
		'd', 'a', 't', 'a', 0xe8, 0x03, 0, 0,	/* 1000 */
	};
	struct wav_fmt f = { WAV_FORMAT_PCM, 1, 8000 };

	check_header(&f, 1000, want, sizeof(want));
}
END_TEST

START_TEST(test_wav_pcm16_stereo_header_is_byte_exact)
{
	static const uint8_t want[WAV_HDR_PCM_LEN] = {
		'R', 'I', 'F', 'F', 0xc4, 0x0f, 0, 0, 'W', 'A', 'V', 'E',	/* 36 + 4000 */
		'f', 'm', 't', ' ', 16, 0, 0, 0,
		1, 0, 2, 0,				/* PCM, stereo */
		0x40, 0x1f, 0, 0,			/* 8000 Hz */
		0x00, 0x7d, 0, 0,			/* 32000 B/s */
		4, 0, 16, 0,				/* block 4, 16 bits */
		'd', 'a', 't', 'a', 0xa0, 0x0f, 0, 0,	/* 4000 */
	};
	struct wav_fmt f = { WAV_FORMAT_PCM, 2, 8000 };

	check_header(&f, 4000, want, sizeof(want));
}
END_TEST

START_TEST(test_wav_alaw_mono_header_has_fact_and_counts_the_pad_byte)
{
	static const uint8_t want[WAV_HDR_LAW_LEN] = {
		'R', 'I', 'F', 'F', 0x1c, 0x04, 0, 0, 'W', 'A', 'V', 'E',	/* 50 + 1001 + 1 */
		'f', 'm', 't', ' ', 18, 0, 0, 0,
		6, 0, 1, 0,				/* A-law, mono */
		0x40, 0x1f, 0, 0,			/* 8000 Hz */
		0x40, 0x1f, 0, 0,			/* 8000 B/s */
		1, 0, 8, 0,				/* block 1, 8 bits */
		0, 0,					/* cb_size */
		'f', 'a', 'c', 't', 4, 0, 0, 0, 0xe9, 0x03, 0, 0,	/* 1001 frames */
		'd', 'a', 't', 'a', 0xe9, 0x03, 0, 0,	/* 1001 */
	};
	struct wav_fmt f = { WAV_FORMAT_ALAW, 1, 8000 };

	check_header(&f, 1001, want, sizeof(want));
}
END_TEST

START_TEST(test_wav_ulaw_stereo_header_has_fact_with_frames)
{
	static const uint8_t want[WAV_HDR_LAW_LEN] = {
		'R', 'I', 'F', 'F', 0x02, 0x08, 0, 0, 'W', 'A', 'V', 'E',	/* 50 + 2000 */
		'f', 'm', 't', ' ', 18, 0, 0, 0,
		7, 0, 2, 0,				/* mu-law, stereo */
		0x40, 0x1f, 0, 0,			/* 8000 Hz */
		0x80, 0x3e, 0, 0,			/* 16000 B/s */
		2, 0, 8, 0,				/* block 2, 8 bits */
		0, 0,
		'f', 'a', 'c', 't', 4, 0, 0, 0, 0xe8, 0x03, 0, 0,	/* 1000 frames */
		'd', 'a', 't', 'a', 0xd0, 0x07, 0, 0,	/* 2000 */
	};
	struct wav_fmt f = { WAV_FORMAT_MULAW, 2, 8000 };

	check_header(&f, 2000, want, sizeof(want));
}
END_TEST

START_TEST(test_wav_provisional_header_has_all_sizes_unknown)
{
	struct wav_fmt f = { WAV_FORMAT_ALAW, 2, 8000 };
	uint8_t buf[WAV_HDR_MAX];
	struct wav_info wi;

	ck_assert_int_eq(wav_header_build(&f, WAV_SIZE_UNKNOWN, buf, sizeof(buf)),
			 WAV_HDR_LAW_LEN);
	ck_assert_mem_eq(buf + 4, "\xff\xff\xff\xff", 4);	/* RIFF */
	ck_assert_mem_eq(buf + 46, "\xff\xff\xff\xff", 4);	/* fact */
	ck_assert_mem_eq(buf + 54, "\xff\xff\xff\xff", 4);	/* data */
	ck_assert_int_eq(wav_header_parse(buf, sizeof(buf), &wi), 0);
	ck_assert(wi.provisional);
	ck_assert_uint_eq(wav_frames(&wi), 0);
}
END_TEST

START_TEST(test_wav_header_parses_back_for_every_format)
{
	static const struct wav_fmt fmts[] = {
		{ WAV_FORMAT_PCM, 1, 8000 }, { WAV_FORMAT_PCM, 2, 8000 },
		{ WAV_FORMAT_ALAW, 1, 8000 }, { WAV_FORMAT_ALAW, 2, 8000 },
		{ WAV_FORMAT_MULAW, 1, 8000 }, { WAV_FORMAT_MULAW, 2, 16000 },
	};
	uint8_t buf[WAV_HDR_MAX];
	struct wav_info wi;
	unsigned int i;

	for (i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
		const struct wav_fmt *f = &fmts[i];
		unsigned int ba = wav_block_align(f);
		uint32_t data = 4000 * ba;
		int len = wav_header_build(f, data, buf, sizeof(buf));

		ck_assert_int_eq(len, f->tag == WAV_FORMAT_PCM ? 44 : 58);
		ck_assert_int_eq(wav_header_parse(buf, len, &wi), 0);
		ck_assert_uint_eq(wi.fmt.tag, f->tag);
		ck_assert_uint_eq(wi.fmt.channels, f->channels);
		ck_assert_uint_eq(wi.fmt.rate, f->rate);
		ck_assert_uint_eq(wi.bits, f->tag == WAV_FORMAT_PCM ? 16 : 8);
		ck_assert_uint_eq(wi.block_align, ba);
		ck_assert_uint_eq(wi.data_offset, len);
		ck_assert_uint_eq(wi.data_bytes, data);
		ck_assert_uint_eq(wi.riff_size, len - 8 + data);
		ck_assert_uint_eq(wi.fact_offset, f->tag == WAV_FORMAT_PCM ? 0 : 46);
		if (wi.fact_offset)
			ck_assert_uint_eq(wi.fact_frames, 4000);
		ck_assert(!wi.provisional);
		ck_assert_uint_eq(wav_frames(&wi), 4000);
	}
}
END_TEST

START_TEST(test_wav_parse_skips_unknown_chunks_before_data)
{
	struct wav_fmt f = { WAV_FORMAT_PCM, 1, 8000 };
	uint8_t hdr[WAV_HDR_MAX], buf[128];
	static const uint8_t list[] = { 'L', 'I', 'S', 'T', 5, 0, 0, 0, 'I', 'N', 'F', 'O', 'x', 0 };
	struct wav_info wi;

	wav_header_build(&f, 100, hdr, sizeof(hdr));
	/* RIFF + fmt (36 bytes), then an odd-sized LIST (padded), then data */
	memcpy(buf, hdr, 36);
	memcpy(buf + 36, list, sizeof(list));
	memcpy(buf + 36 + sizeof(list), hdr + 36, 8);
	ck_assert_int_eq(wav_header_parse(buf, 36 + sizeof(list) + 8, &wi), 0);
	ck_assert_uint_eq(wi.data_offset, 36 + sizeof(list) + 8);
	ck_assert_uint_eq(wi.data_bytes, 100);
	/* cut short before the data chunk: ask for more */
	ck_assert_int_eq(wav_header_parse(buf, 40, &wi), -ENODATA);
}
END_TEST

START_TEST(test_wav_parse_rejects_non_wav_and_unknown_formats)
{
	struct wav_fmt f = { WAV_FORMAT_PCM, 2, 8000 };
	uint8_t buf[WAV_HDR_MAX];
	struct wav_info wi;

	wav_header_build(&f, 0, buf, sizeof(buf));
	buf[3] = 'X';					/* RIFX */
	ck_assert_int_eq(wav_header_parse(buf, 44, &wi), -EINVAL);
	wav_header_build(&f, 0, buf, sizeof(buf));
	buf[20] = 3;					/* IEEE float */
	ck_assert_int_eq(wav_header_parse(buf, 44, &wi), -EPROTONOSUPPORT);
	wav_header_build(&f, 0, buf, sizeof(buf));
	buf[32] = 2;					/* block align 2 for stereo 16-bit */
	ck_assert_int_eq(wav_header_parse(buf, 44, &wi), -EINVAL);
	ck_assert_int_eq(wav_header_parse(buf, 8, &wi), -ENODATA);
	ck_assert_int_eq(wav_header_parse("RIFF\0\0\0\0AVI LIST", 16, &wi), -EINVAL);
}
END_TEST

START_TEST(test_wav_build_rejects_bad_formats_sizes_and_short_buffers)
{
	struct wav_fmt f = { WAV_FORMAT_PCM, 2, 8000 };
	uint8_t buf[WAV_HDR_MAX];

	ck_assert_int_eq(wav_header_build(&f, 4, buf, 43), -ENOSPC);
	ck_assert_int_eq(wav_header_build(&f, 6, buf, sizeof(buf)), -EINVAL);	/* 1.5 frames */
	ck_assert_int_eq(wav_header_build(&f, WAV_MAX_DATA + 1, buf, sizeof(buf)), -EINVAL);
	f.channels = 3;
	ck_assert_int_eq(wav_header_build(&f, 0, buf, sizeof(buf)), -EINVAL);
	f.channels = 1;
	f.tag = 3;
	ck_assert_int_eq(wav_header_build(&f, 0, buf, sizeof(buf)), -EINVAL);
	f.tag = WAV_FORMAT_ALAW;
	f.rate = 0;
	ck_assert_int_eq(wav_header_build(&f, 0, buf, sizeof(buf)), -EINVAL);
}
END_TEST

/* sample i of channel ch of a test signal */
static int16_t sig(unsigned int i, unsigned int ch)
{
	return (int16_t)((i * (ch ? 4099u : 1031u) + ch * 12345u) & 0xffff);
}

/* write a finalised file of @frames frames; returns the samples as 16-bit */
static void write_wav(const char *path, const struct wav_fmt *f, unsigned int frames,
		      int16_t *expect)
{
	unsigned int ba = wav_block_align(f), n = frames * f->channels, i;
	uint8_t hdr[WAV_HDR_MAX], *data = malloc(frames * ba + 1);
	int len = wav_header_build(f, frames * ba, hdr, sizeof(hdr));

	ck_assert_int_gt(len, 0);
	for (i = 0; i < n; i++) {
		int16_t s = sig(i / f->channels, i % f->channels);

		if (f->tag == WAV_FORMAT_PCM) {
			data[2 * i] = s & 0xff;
			data[2 * i + 1] = (uint16_t)s >> 8;
			expect[i] = s;
		} else if (f->tag == WAV_FORMAT_ALAW) {
			data[i] = g711_alaw_encode(s);
			expect[i] = g711_alaw_decode(data[i]);
		} else {
			data[i] = g711_ulaw_encode(s);
			expect[i] = g711_ulaw_decode(data[i]);
		}
	}
	data[frames * ba] = 0;	/* pad byte, used if odd */
	write_file(path, hdr, len, data, frames * ba + ((frames * ba) & 1));
	free(data);
}

static void check_sndfile(const char *path, int sf_sub, unsigned int channels,
			  unsigned int frames, const int16_t *expect)
{
	short *got = calloc(frames * channels + 16, sizeof(*got));
	SF_INFO si = { 0 };
	SNDFILE *sf;

	sf = sf_open(path, SFM_READ, &si);
	ck_assert_msg(sf, "%s: %s", path, sf_strerror(NULL));
	ck_assert_int_eq(si.format, SF_FORMAT_WAV | sf_sub);
	ck_assert_int_eq(si.channels, channels);
	ck_assert_int_eq(si.samplerate, 8000);
	ck_assert_int_eq(si.frames, frames);
	ck_assert_int_eq(sf_readf_short(sf, got, frames + 4), frames);
	ck_assert_mem_eq(got, expect, frames * channels * sizeof(*got));
	sf_close(sf);
	free(got);
}

START_TEST(test_wav_libsndfile_reads_every_format_sample_exact)
{
	static const struct {
		struct wav_fmt f;
		int sf_sub;
	} cases[] = {
		{ { WAV_FORMAT_PCM, 1, 8000 }, SF_FORMAT_PCM_16 },
		{ { WAV_FORMAT_PCM, 2, 8000 }, SF_FORMAT_PCM_16 },
		{ { WAV_FORMAT_ALAW, 1, 8000 }, SF_FORMAT_ALAW },
		{ { WAV_FORMAT_ALAW, 2, 8000 }, SF_FORMAT_ALAW },
		{ { WAV_FORMAT_MULAW, 1, 8000 }, SF_FORMAT_ULAW },
		{ { WAV_FORMAT_MULAW, 2, 8000 }, SF_FORMAT_ULAW },
	};
	static int16_t expect[2 * 4001];
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *p = tmp_path("fmt.wav");

		/* 4001 frames: odd data (with pad) for mono G.711 */
		write_wav(p, &cases[i].f, 4001, expect);
		check_sndfile(p, cases[i].sf_sub, cases[i].f.channels, 4001, expect);
	}
}
END_TEST

/* a provisional header followed by @data bytes of signal */
static void write_interrupted(const char *path, const struct wav_fmt *f, size_t data,
			      int16_t *expect)
{
	uint8_t hdr[WAV_HDR_MAX], *buf = malloc(data);
	int len = wav_header_build(f, WAV_SIZE_UNKNOWN, hdr, sizeof(hdr));
	size_t i;

	for (i = 0; i < data / 2; i++) {
		int16_t s = sig(i / f->channels, i % f->channels);

		buf[2 * i] = s & 0xff;
		buf[2 * i + 1] = (uint16_t)s >> 8;
		if (expect)
			expect[i] = s;
	}
	if (data & 1)
		buf[data - 1] = 0x55;
	write_file(path, hdr, len, buf, data);
	free(buf);
}

START_TEST(test_wav_repair_takes_sizes_from_the_file_and_cuts_a_partial_frame)
{
	struct wav_fmt f = { WAV_FORMAT_PCM, 2, 8000 };
	static int16_t expect[2 * 1000];
	const char *p = tmp_path("cut.wav");
	struct wav_info wi;

	/* 250 frames of 4 bytes, then 3 bytes of a torn frame */
	write_interrupted(p, &f, 1003, expect);
	ck_assert_int_eq(wav_repair(p, &wi), 1);
	ck_assert(!wi.provisional);
	ck_assert_uint_eq(wi.data_bytes, 1000);
	ck_assert_uint_eq(wi.riff_size, 36 + 1000);
	ck_assert_uint_eq(wav_frames(&wi), 250);
	ck_assert_int_eq(file_size(p), 44 + 1000);
	check_sndfile(p, SF_FORMAT_PCM_16, 2, 250, expect);
	/* parsing the file again agrees */
	ck_assert_int_eq(wav_repair(p, &wi), 0);
}
END_TEST

START_TEST(test_wav_repair_of_odd_mono_law_data_adds_the_pad_byte)
{
	struct wav_fmt f = { WAV_FORMAT_ALAW, 1, 8000 };
	const char *p = tmp_path("odd.wav");
	uint8_t buf[WAV_HDR_LAW_LEN];
	struct wav_info wi;
	FILE *fp;

	write_interrupted(p, &f, 1001, NULL);
	ck_assert_int_eq(wav_repair(p, &wi), 1);
	ck_assert_uint_eq(wi.data_bytes, 1001);
	ck_assert_uint_eq(wi.fact_frames, 1001);
	ck_assert_uint_eq(wi.riff_size, 50 + 1002);
	ck_assert_int_eq(file_size(p), 58 + 1002);
	/* byte-exact: the same header as a finalised file of 1001 frames */
	fp = fopen(p, "rb");
	ck_assert_uint_eq(fread(buf, 1, sizeof(buf), fp), sizeof(buf));
	fclose(fp);
	{
		uint8_t want[WAV_HDR_LAW_LEN];

		wav_header_build(&f, 1001, want, sizeof(want));
		ck_assert_mem_eq(buf, want, sizeof(want));
	}
	ck_assert_int_eq(wav_repair(p, &wi), 0);
	ck_assert_uint_eq(wi.data_bytes, 1001);	/* the pad is not a sample */
}
END_TEST

START_TEST(test_wav_repair_of_a_header_only_file_gives_zero_frames)
{
	struct wav_fmt f = { WAV_FORMAT_MULAW, 2, 8000 };
	const char *p = tmp_path("empty.wav");
	struct wav_info wi;
	SF_INFO si = { 0 };
	SNDFILE *sf;

	write_interrupted(p, &f, 1, NULL);	/* half a frame after the header */
	ck_assert_int_eq(wav_repair(p, &wi), 1);
	ck_assert_uint_eq(wi.data_bytes, 0);
	ck_assert_int_eq(file_size(p), 58);
	sf = sf_open(p, SFM_READ, &si);
	ck_assert_ptr_nonnull(sf);
	ck_assert_int_eq(si.frames, 0);
	sf_close(sf);
}
END_TEST

START_TEST(test_wav_repair_leaves_a_consistent_file_untouched)
{
	struct wav_fmt f = { WAV_FORMAT_ALAW, 1, 8000 };
	const char *p = tmp_path("ok.wav");
	static int16_t expect[1001];
	struct wav_info wi;
	struct stat a, b;

	write_wav(p, &f, 1001, expect);
	ck_assert_int_eq(stat(p, &a), 0);
	ck_assert_int_eq(wav_repair(p, &wi), 0);
	ck_assert_int_eq(stat(p, &b), 0);
	ck_assert_int_eq(a.st_size, b.st_size);
	ck_assert_int_eq(a.st_mtim.tv_nsec, b.st_mtim.tv_nsec);
	ck_assert_uint_eq(wi.data_bytes, 1001);
}
END_TEST

START_TEST(test_wav_repair_fixes_a_finalised_file_truncated_later)
{
	struct wav_fmt f = { WAV_FORMAT_PCM, 1, 8000 };
	const char *p = tmp_path("trunc.wav");
	static int16_t expect[3000];
	struct wav_info wi;

	write_wav(p, &f, 3000, expect);
	ck_assert_int_eq(truncate(p, 44 + 2001), 0);
	ck_assert_int_eq(wav_repair(p, &wi), 1);
	ck_assert_uint_eq(wi.data_bytes, 2000);
	check_sndfile(p, SF_FORMAT_PCM_16, 1, 1000, expect);
}
END_TEST

START_TEST(test_wav_repair_refuses_what_is_not_a_wav)
{
	const char *p = tmp_path("junk.wav");
	struct wav_info wi;

	write_file(p, "RIFF", 4, NULL, 0);
	ck_assert_int_eq(wav_repair(p, &wi), -ENODATA);
	write_file(p, "hello, this is not a wav file at all", 36, NULL, 0);
	ck_assert_int_eq(wav_repair(p, &wi), -EINVAL);
	ck_assert_int_eq(wav_repair(tmp_path("missing.wav"), &wi), -ENOENT);
}
END_TEST

static Suite *wav_suite(void)
{
	Suite *s = suite_create("tdmxd_wav");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_wav_pcm16_mono_header_is_byte_exact);
	tcase_add_test(tc, test_wav_pcm16_stereo_header_is_byte_exact);
	tcase_add_test(tc, test_wav_alaw_mono_header_has_fact_and_counts_the_pad_byte);
	tcase_add_test(tc, test_wav_ulaw_stereo_header_has_fact_with_frames);
	tcase_add_test(tc, test_wav_provisional_header_has_all_sizes_unknown);
	tcase_add_test(tc, test_wav_header_parses_back_for_every_format);
	tcase_add_test(tc, test_wav_parse_skips_unknown_chunks_before_data);
	tcase_add_test(tc, test_wav_parse_rejects_non_wav_and_unknown_formats);
	tcase_add_test(tc, test_wav_build_rejects_bad_formats_sizes_and_short_buffers);
	tcase_add_test(tc, test_wav_libsndfile_reads_every_format_sample_exact);
	tcase_add_test(tc, test_wav_repair_takes_sizes_from_the_file_and_cuts_a_partial_frame);
	tcase_add_test(tc, test_wav_repair_of_odd_mono_law_data_adds_the_pad_byte);
	tcase_add_test(tc, test_wav_repair_of_a_header_only_file_gives_zero_frames);
	tcase_add_test(tc, test_wav_repair_leaves_a_consistent_file_untouched);
	tcase_add_test(tc, test_wav_repair_fixes_a_finalised_file_truncated_later);
	tcase_add_test(tc, test_wav_repair_refuses_what_is_not_a_wav);
	suite_add_tcase(s, tc);
	return s;
}

TDMX_CHECK_MAIN(wav_suite)
