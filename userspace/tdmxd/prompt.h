/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tdmxd prompts: audio files decoded once, kept as 8 kHz mono.
 *
 * Anything libsndfile reads (WAV in any of its encodings, AIFF, AU, FLAC,
 * Ogg Vorbis/Opus, MP3, ...) at any rate and channel count: channels are
 * averaged, the rate converted once with libsoxr (high quality, linear
 * phase) and the result kept as int16 and, when a law is asked for, as
 * G.711 octets too, so that playing a prompt to a port that is not mixed
 * is a copy. 8 kHz mono files are taken sample for sample (an A-law file
 * played on an A-law span comes out bit-exact).
 *
 * Errors come back as -errno with a one-line reason in @err: the open(2)
 * errno for a file that cannot be opened, -EINVAL for a format libsndfile
 * does not recognise, -EBADMSG for a malformed or truncated file (data
 * shorter than its header says, or a decoder error), -ENODATA for a file
 * without a sample, -EFBIG for more than PROMPT_MAX_SECONDS, -ENOMEM.
 * Loading reads the whole file and may take milliseconds: do it off the
 * media path (at start-up, or on a loader thread; prompt_load_mem() takes
 * bytes read by io_uring).
 *
 * A struct prompt is immutable once loaded and reference counted
 * (atomically), so players on any thread share it; the cache keeps one
 * per (path, law) and is locked.
 */
#ifndef TDMXD_PROMPT_H
#define TDMXD_PROMPT_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "media.h"

#define PROMPT_LINEAR		0	/* law: keep int16 only */
#define PROMPT_MAX_SECONDS	3600
#define PROMPT_ERR_LEN		256

/**
 * struct prompt - a decoded prompt (read-only)
 * @name: the path (or the name given to prompt_load_mem())
 * @law: PROMPT_LINEAR, MEDIA_ALAW or MEDIA_ULAW
 * @samples: length at 8 kHz
 * @pcm: @samples linear samples
 * @coded: @samples octets in @law, NULL for PROMPT_LINEAR
 * @src_rate: the file's sample rate
 * @src_channels: the file's channels
 * @src_format: the file's libsndfile SF_FORMAT_* value
 * @refs: private
 */
struct prompt {
	char *name;
	int law;
	uint32_t samples;
	int16_t *pcm;
	uint8_t *coded;
	int src_rate;
	int src_channels;
	int src_format;
	atomic_uint refs;
};

/* Decode @path. On success *@out holds one reference. */
int prompt_load(const char *path, int law, struct prompt **out, char *err, size_t errlen);

/* The same from @len bytes at @data, a file's contents (not kept after the
 * call); @name becomes the prompt's name ("(memory)" if NULL). */
int prompt_load_mem(const char *name, const void *data, size_t len, int law,
		    struct prompt **out, char *err, size_t errlen);

/* Take another reference; returns @p */
struct prompt *prompt_get(struct prompt *p);

/* Drop a reference; the last one frees. NULL is ignored. */
void prompt_put(struct prompt *p);

/* Length in ms, rounded down */
static inline uint32_t prompt_ms(const struct prompt *p)
{
	return p->samples / MEDIA_SAMPLES_PER_MS;
}

/*
 * The cache: one prompt per (path, law), loaded on first use. Paths are
 * keys as given: pass them in one canonical form (the daemon joins them
 * to prompt_dir).
 */
struct prompt_cache;

struct prompt_cache *prompt_cache_new(void);

/* Drops the cache's references; prompts still playing live on. */
void prompt_cache_free(struct prompt_cache *c);

/*
 * The prompt for (@path, @law), loaded now if the cache lacks it; the same
 * object every time until it is forgotten. *@out holds a new reference.
 */
int prompt_cache_get(struct prompt_cache *c, const char *path, int law,
		     struct prompt **out, char *err, size_t errlen);

/* Forget @path in every law (NULL: everything), so the next get reloads
 * it (SIGHUP). Returns how many entries were dropped. */
unsigned int prompt_cache_forget(struct prompt_cache *c, const char *path);

/* Entries held */
unsigned int prompt_cache_count(struct prompt_cache *c);

#endif /* TDMXD_PROMPT_H */
