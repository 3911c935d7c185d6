// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tdmxd prompts: libsndfile decodes, libsoxr converts to 8 kHz, g711.h
 * codes; a locked (path, law) cache hands out references.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <sndfile.h>
#include <soxr.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "g711.h"
#include "prompt.h"

#define CHUNK		4096		/* frames read at a time */
#define MAX_CHANNELS	64
#define MIN_RATE	1000
#define MAX_RATE	768000
#define MAX_SAMPLES	((size_t)PROMPT_MAX_SECONDS * MEDIA_RATE)
#define CACHE_BUCKETS	64

/* sf_open*() report through a static: keep opens and their errors together */
static pthread_mutex_t sf_open_lock = PTHREAD_MUTEX_INITIALIZER;

static int fail(char *err, size_t errlen, int ret, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static int fail(char *err, size_t errlen, int ret, const char *name, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (err && errlen) {
		n = snprintf(err, errlen, "%s: ", name);
		if (n >= 0 && (size_t)n < errlen) {
			va_start(ap, fmt);
			vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
			va_end(ap);
		}
	}
	return ret;
}

/* ---- output buffer ---- */

struct pcm_buf {
	int16_t *v;
	size_t n;
	size_t cap;
};

static int pcm_reserve(struct pcm_buf *b, size_t more)
{
	size_t cap = b->cap ? b->cap : 8192;
	int16_t *v;

	if (b->n + more > MAX_SAMPLES)
		return -EFBIG;
	if (b->n + more <= b->cap)
		return 0;
	while (cap < b->n + more)
		cap *= 2;
	v = realloc(b->v, cap * sizeof(*v));
	if (!v)
		return -ENOMEM;
	b->v = v;
	b->cap = cap;
	return 0;
}

static int16_t to_s16(float f)
{
	float x = f * 32768.0f;

	if (x >= 32767.0f)
		return 32767;
	if (x <= -32768.0f)
		return -32768;
	return (int16_t)lrintf(x);
}

static int pcm_put_float(struct pcm_buf *b, const float *x, size_t n)
{
	size_t i;
	int ret = pcm_reserve(b, n);

	if (ret)
		return ret;
	for (i = 0; i < n; i++)
		b->v[b->n + i] = to_s16(x[i]);
	b->n += n;
	return 0;
}

/* ---- decoding ---- */

struct decoder {
	SNDFILE *sf;
	SF_INFO info;
	const char *name;
	char *err;
	size_t errlen;
	soxr_t rs;
	struct pcm_buf out;
	sf_count_t frames;	/* read from the file */
};

/* 8 kHz mono in an encoding of 16 bits or fewer: take it sample for sample */
static bool exact(const SF_INFO *info)
{
	switch (info->format & SF_FORMAT_SUBMASK) {
	case SF_FORMAT_PCM_S8:
	case SF_FORMAT_PCM_U8:
	case SF_FORMAT_PCM_16:
	case SF_FORMAT_ALAW:
	case SF_FORMAT_ULAW:
		return info->samplerate == MEDIA_RATE && info->channels == 1;
	default:
		return false;
	}
}

static int read_exact(struct decoder *d)
{
	sf_count_t got;
	int ret;

	for (;;) {
		ret = pcm_reserve(&d->out, CHUNK);
		if (ret)
			return ret;
		got = sf_readf_short(d->sf, d->out.v + d->out.n, CHUNK);
		if (got <= 0)
			return 0;
		d->out.n += (size_t)got;
		d->frames += got;
	}
}

static int resample(struct decoder *d, const float *in, size_t n)
{
	float out[CHUNK];
	size_t idone, odone;
	soxr_error_t e;
	int ret;

	do {
		e = soxr_process(d->rs, in, n, &idone, out, CHUNK, &odone);
		if (e)
			return fail(d->err, d->errlen, -EIO, d->name, "resampler: %s", e);
		ret = pcm_put_float(&d->out, out, odone);
		if (ret)
			return ret;
		if (in && !idone && !odone)
			return fail(d->err, d->errlen, -EIO, d->name, "resampler stalled");
		if (in) {
			in += idone;
			n -= idone;
		}
	} while (in ? n > 0 : odone > 0);
	return 0;
}

static int read_float(struct decoder *d)
{
	int ch = d->info.channels;
	float *buf = malloc((size_t)CHUNK * (size_t)ch * sizeof(*buf));
	float mono[CHUNK];
	sf_count_t got, i;
	int c, ret = -ENOMEM;

	if (!buf)
		return ret;
	for (;;) {
		got = sf_readf_float(d->sf, buf, CHUNK);
		if (got <= 0)
			break;
		d->frames += got;
		ret = -EFBIG;
		if ((size_t)d->frames / (size_t)d->info.samplerate > PROMPT_MAX_SECONDS)
			goto out;
		for (i = 0; i < got; i++) {
			float s = 0.0f;

			for (c = 0; c < ch; c++)
				s += buf[i * ch + c];
			mono[i] = s / (float)ch;
		}
		ret = d->rs ? resample(d, mono, (size_t)got)
			    : pcm_put_float(&d->out, mono, (size_t)got);
		if (ret)
			goto out;
	}
	ret = d->rs ? resample(d, NULL, 0) : 0;
out:
	free(buf);
	return ret;
}

/*
 * libsndfile trims a WAV or AIFF whose data chunk is cut short to what is
 * there, and says so only in its log: "data : 32000 (should be 15978)",
 * " SSND : 14008 (should be 6981)".
 * 0 and 0xFFFFFFFF are the sizes of streams written without a length.
 */
static bool log_says_truncated(SNDFILE *sf)
{
	char log[8192];
	char *line, *save = NULL;
	unsigned long long said, is;

	sf_command(sf, SFC_GET_LOG_INFO, log, sizeof(log));
	for (line = strtok_r(log, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		line += strspn(line, " \t");
		if (strncmp(line, "data", 4) && strncmp(line, "SSND", 4))
			continue;
		if (sscanf(line, "%*4s : %llu (should be %llu)", &said, &is) != 2)
			continue;
		if (is < said && said != 0xFFFFFFFFull)
			return true;
	}
	return false;
}

static int check_info(struct decoder *d)
{
	const SF_INFO *i = &d->info;

	if (i->channels < 1 || i->channels > MAX_CHANNELS)
		return fail(d->err, d->errlen, -EBADMSG, d->name, "%d channels", i->channels);
	if (i->samplerate < MIN_RATE || i->samplerate > MAX_RATE)
		return fail(d->err, d->errlen, -EBADMSG, d->name,
			    "sample rate %d Hz out of range", i->samplerate);
	if (i->frames > 0 && i->frames != SF_COUNT_MAX &&
	    i->frames / i->samplerate > PROMPT_MAX_SECONDS)
		return fail(d->err, d->errlen, -EFBIG, d->name, "longer than %d s",
			    PROMPT_MAX_SECONDS);
	return 0;
}

static int check_whole(struct decoder *d)
{
	int e = sf_error(d->sf);

	if (e)
		return fail(d->err, d->errlen, -EBADMSG, d->name, "decoding failed: %s",
			    sf_strerror(d->sf));
	if (d->info.frames > 0 && d->info.frames != SF_COUNT_MAX && d->frames < d->info.frames)
		return fail(d->err, d->errlen, -EBADMSG, d->name,
			    "truncated: %lld of %lld frames",
			    (long long)d->frames, (long long)d->info.frames);
	if (log_says_truncated(d->sf))
		return fail(d->err, d->errlen, -EBADMSG, d->name,
			    "truncated: the data is shorter than its header says");
	if (!d->out.n)
		return fail(d->err, d->errlen, -ENODATA, d->name, "no audio in the file");
	return 0;
}

static int make_prompt(struct decoder *d, int law, struct prompt **out)
{
	struct prompt *p = calloc(1, sizeof(*p));

	if (!p)
		return -ENOMEM;
	p->name = strdup(d->name);
	if (!p->name)
		goto err;
	if (law != PROMPT_LINEAR) {
		p->coded = malloc(d->out.n);
		if (!p->coded)
			goto err;
		g711_encode_buf((enum media_law)law, d->out.v, p->coded, d->out.n);
	}
	p->law = law;
	p->samples = (uint32_t)d->out.n;
	p->pcm = d->out.v;
	d->out.v = NULL;
	p->src_rate = d->info.samplerate;
	p->src_channels = d->info.channels;
	p->src_format = d->info.format;
	atomic_init(&p->refs, 1);
	*out = p;
	return 0;

err:
	free(p->name);
	free(p);
	return -ENOMEM;
}

static int decode(struct decoder *d, int law, struct prompt **out)
{
	soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I);
	soxr_quality_spec_t q = soxr_quality_spec(SOXR_HQ, 0);
	soxr_error_t e = NULL;
	int ret;

	ret = check_info(d);
	if (ret)
		return ret;
	if (exact(&d->info)) {
		ret = read_exact(d);
	} else {
		if (d->info.samplerate != MEDIA_RATE) {
			d->rs = soxr_create(d->info.samplerate, MEDIA_RATE, 1, &e, &io, &q, NULL);
			if (!d->rs)
				return fail(d->err, d->errlen, -ENOMEM, d->name,
					    "resampler: %s", e ? e : "no memory");
		}
		ret = read_float(d);
	}
	if (ret == -EFBIG)
		return fail(d->err, d->errlen, ret, d->name, "longer than %d s",
			    PROMPT_MAX_SECONDS);
	if (ret == -ENOMEM)
		return fail(d->err, d->errlen, ret, d->name, "out of memory");
	if (ret)
		return ret;
	ret = check_whole(d);
	if (ret)
		return ret;
	ret = make_prompt(d, law, out);
	if (ret)
		return fail(d->err, d->errlen, ret, d->name, "out of memory");
	return 0;
}

static void decoder_done(struct decoder *d)
{
	if (d->rs)
		soxr_delete(d->rs);
	if (d->sf)
		sf_close(d->sf);
	free(d->out.v);
}

static int open_failed(struct decoder *d)
{
	int e = sf_error(NULL);
	const char *why = sf_strerror(NULL);

	switch (e) {
	case SF_ERR_UNRECOGNISED_FORMAT:
		return fail(d->err, d->errlen, -EINVAL, d->name, "format not recognised");
	case SF_ERR_UNSUPPORTED_ENCODING:
		return fail(d->err, d->errlen, -ENOTSUP, d->name, "%s", why);
	case SF_ERR_SYSTEM:
		return fail(d->err, d->errlen, -EIO, d->name, "%s", why);
	default:
		return fail(d->err, d->errlen, -EBADMSG, d->name, "malformed: %s", why);
	}
}

static int law_ok(int law)
{
	return law == PROMPT_LINEAR || g711_law_valid((enum media_law)law);
}

int prompt_load(const char *path, int law, struct prompt **out, char *err, size_t errlen)
{
	struct decoder d = { .name = path, .err = err, .errlen = errlen };
	struct stat st;
	int fd, ret;

	if (!path)
		return fail(err, errlen, -EINVAL, "(null)", "no path");
	if (!law_ok(law))
		return fail(err, errlen, -EINVAL, path, "unknown law %d", law);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail(err, errlen, -errno, path, "%s", strerror(errno));
	if (fstat(fd, &st)) {
		ret = fail(err, errlen, -errno, path, "%s", strerror(errno));
		goto out_fd;
	}
	if (!S_ISREG(st.st_mode)) {
		ret = fail(err, errlen, S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL, path,
			   "not a regular file");
		goto out_fd;
	}
	pthread_mutex_lock(&sf_open_lock);
	d.sf = sf_open_fd(fd, SFM_READ, &d.info, SF_FALSE);
	ret = d.sf ? 0 : open_failed(&d);
	pthread_mutex_unlock(&sf_open_lock);
	if (!ret)
		ret = decode(&d, law, out);
	decoder_done(&d);
out_fd:
	close(fd);
	return ret;
}

/* ---- libsndfile reading from memory ---- */

struct mem {
	const unsigned char *data;
	sf_count_t len;
	sf_count_t pos;
};

static sf_count_t mem_len(void *arg)
{
	return ((struct mem *)arg)->len;
}

static sf_count_t mem_seek(sf_count_t off, int whence, void *arg)
{
	struct mem *m = arg;
	sf_count_t to;

	switch (whence) {
	case SEEK_SET:
		to = off;
		break;
	case SEEK_CUR:
		to = m->pos + off;
		break;
	case SEEK_END:
		to = m->len + off;
		break;
	default:
		return -1;
	}
	if (to < 0 || to > m->len)
		return -1;
	m->pos = to;
	return to;
}

static sf_count_t mem_read(void *buf, sf_count_t n, void *arg)
{
	struct mem *m = arg;

	if (n > m->len - m->pos)
		n = m->len - m->pos;
	if (n <= 0)
		return 0;
	memcpy(buf, m->data + m->pos, (size_t)n);
	m->pos += n;
	return n;
}

static sf_count_t mem_write(const void *buf, sf_count_t n, void *arg)
{
	(void)buf;
	(void)n;
	(void)arg;
	return 0;
}

static sf_count_t mem_tell(void *arg)
{
	return ((struct mem *)arg)->pos;
}

int prompt_load_mem(const char *name, const void *data, size_t len, int law,
		    struct prompt **out, char *err, size_t errlen)
{
	SF_VIRTUAL_IO vio = {
		.get_filelen = mem_len,
		.seek = mem_seek,
		.read = mem_read,
		.write = mem_write,
		.tell = mem_tell,
	};
	struct mem m = { .data = data, .len = (sf_count_t)len };
	struct decoder d = { .name = name, .err = err, .errlen = errlen };
	int ret;

	if (!name)
		name = d.name = "(memory)";
	if (!law_ok(law))
		return fail(err, errlen, -EINVAL, name, "unknown law %d", law);
	if (!data && len)
		return fail(err, errlen, -EINVAL, name, "no data");
	pthread_mutex_lock(&sf_open_lock);
	d.sf = sf_open_virtual(&vio, SFM_READ, &d.info, &m);
	ret = d.sf ? 0 : open_failed(&d);
	pthread_mutex_unlock(&sf_open_lock);
	if (!ret)
		ret = decode(&d, law, out);
	decoder_done(&d);
	return ret;
}

/* ---- references ---- */

struct prompt *prompt_get(struct prompt *p)
{
	atomic_fetch_add_explicit(&p->refs, 1, memory_order_relaxed);
	return p;
}

void prompt_put(struct prompt *p)
{
	if (!p || atomic_fetch_sub_explicit(&p->refs, 1, memory_order_acq_rel) != 1)
		return;
	free(p->coded);
	free(p->pcm);
	free(p->name);
	free(p);
}

/* ---- the cache ---- */

struct entry {
	struct entry *next;
	struct prompt *p;	/* p->name and p->law are the key */
};

struct prompt_cache {
	pthread_mutex_t lock;
	unsigned int count;
	struct entry *bucket[CACHE_BUCKETS];
};

static unsigned int key_hash(const char *path, int law)
{
	uint32_t h = 2166136261u ^ (uint32_t)law;	/* FNV-1a */

	for (; *path; path++)
		h = (h ^ (unsigned char)*path) * 16777619u;
	return h % CACHE_BUCKETS;
}

static struct entry *find(struct prompt_cache *c, const char *path, int law)
{
	struct entry *e;

	for (e = c->bucket[key_hash(path, law)]; e; e = e->next)
		if (e->p->law == law && !strcmp(e->p->name, path))
			return e;
	return NULL;
}

struct prompt_cache *prompt_cache_new(void)
{
	struct prompt_cache *c = calloc(1, sizeof(*c));

	if (c)
		pthread_mutex_init(&c->lock, NULL);
	return c;
}

void prompt_cache_free(struct prompt_cache *c)
{
	if (!c)
		return;
	prompt_cache_forget(c, NULL);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

int prompt_cache_get(struct prompt_cache *c, const char *path, int law,
		     struct prompt **out, char *err, size_t errlen)
{
	struct prompt *p;
	struct entry *e;
	int ret;

	pthread_mutex_lock(&c->lock);
	e = find(c, path, law);
	if (e)
		*out = prompt_get(e->p);
	pthread_mutex_unlock(&c->lock);
	if (e)
		return 0;

	/* load unlocked; whoever inserts first wins */
	ret = prompt_load(path, law, &p, err, errlen);
	if (ret)
		return ret;
	pthread_mutex_lock(&c->lock);
	e = find(c, path, law);
	if (!e) {
		e = malloc(sizeof(*e));
		if (e) {
			unsigned int h = key_hash(path, law);

			e->p = p;
			e->next = c->bucket[h];
			c->bucket[h] = e;
			c->count++;
			p = NULL;
		}
	}
	if (e)
		*out = prompt_get(e->p);
	pthread_mutex_unlock(&c->lock);
	prompt_put(p);
	if (!e)
		return fail(err, errlen, -ENOMEM, path, "out of memory");
	return 0;
}

unsigned int prompt_cache_forget(struct prompt_cache *c, const char *path)
{
	struct entry **pe, *e, *gone = NULL;
	unsigned int i, n = 0;

	pthread_mutex_lock(&c->lock);
	for (i = 0; i < CACHE_BUCKETS; i++) {
		pe = &c->bucket[i];
		while ((e = *pe)) {
			if (path && strcmp(e->p->name, path)) {
				pe = &e->next;
				continue;
			}
			*pe = e->next;
			e->next = gone;
			gone = e;
			c->count--;
			n++;
		}
	}
	pthread_mutex_unlock(&c->lock);
	while ((e = gone)) {
		gone = e->next;
		prompt_put(e->p);
		free(e);
	}
	return n;
}

unsigned int prompt_cache_count(struct prompt_cache *c)
{
	unsigned int n;

	pthread_mutex_lock(&c->lock);
	n = c->count;
	pthread_mutex_unlock(&c->lock);
	return n;
}
