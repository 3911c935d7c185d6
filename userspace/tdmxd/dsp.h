/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tdmxd DSP: the thin layer over spandsp that tone, dtmf and cpt share.
 *
 * spandsp (Debian's 0.0.6) is reached only through tone.h, dtmf.h and
 * cpt.h; spandsp 3.x changed its API, so nothing else may include it. The
 * modules that wrap it define DSP_SPANDSP before including this header to
 * get <spandsp.h>; everyone else sees only the functions below.
 *
 * Start-up order: call dsp_init() once, in the main thread, before any
 * worker thread starts and before any tone_, dtmf_, cpt_ or play_ call.
 * Several spandsp receivers and generators (DTMF, R2 MF, Bell MF) build
 * lookup tables on their first use in unprotected statics; dsp_init() makes
 * that first use, and builds the tone plans' generator and call progress
 * descriptors, so that afterwards everything is read-only and any thread
 * may create and run its own detectors and players. The objects themselves
 * (struct tone_player, struct dtmf_rx, struct cpt_rx, struct player) are
 * not locked: one thread uses each.
 *
 * Levels are in dBm0 as spandsp counts them: a sine at 0 dBm0 has a peak of
 * DSP_DBM0_PEAK (3.14 dB below a full scale sine, the A-law reference).
 */
#ifndef TDMXD_DSP_H
#define TDMXD_DSP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "media.h"

#ifdef DSP_SPANDSP
/* spandsp's headers are not ours to clean up: keep our warnings off them. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wshadow"
#pragma GCC diagnostic ignored "-Wstrict-prototypes"
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wsign-compare"
#include <spandsp.h>
#pragma GCC diagnostic pop
#endif

/* Peak of a 0 dBm0 sine: 32767 * 10^(-3.14 / 20) */
#define DSP_DBM0_PEAK		22786.0

/* Samples <-> milliseconds at MEDIA_RATE */
#define DSP_MS(samples)		((samples) / MEDIA_SAMPLES_PER_MS)
#define DSP_SAMPLES(ms)		((ms) * MEDIA_SAMPLES_PER_MS)

/*
 * Initialise spandsp's lazily built tables and the tone plans' descriptors.
 * Idempotent. Returns 0 or -ENOMEM.
 */
int dsp_init(void);

/* Free what dsp_init() built (for leak checkers); no DSP object may be alive. */
void dsp_exit(void);

/* True between dsp_init() and dsp_exit(). */
bool dsp_ready(void);

/* Peak amplitude of a sine at @dbm0 */
double dsp_dbm0_to_peak(double dbm0);

/* Level of a sine with peak amplitude @peak, in dBm0 (-INFINITY for 0) */
double dsp_peak_to_dbm0(double peak);

/*
 * Power of @n samples as the dBm0 of a sine of the same RMS (-INFINITY for
 * silence): a 0 dBm0 tone measures 0, two tones at -10 dBm0 measure -7.
 */
double dsp_power_dbm0(const int16_t *x, size_t n);

#endif /* TDMXD_DSP_H */
