// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tdmxd DSP: start-up of spandsp and the helpers tone, dtmf and cpt share.
 */
#include <errno.h>
#include <math.h>
#include <pthread.h>

#define DSP_SPANDSP
#include "cpt.h"
#include "dsp.h"
#include "tone.h"

static pthread_mutex_t dsp_lock = PTHREAD_MUTEX_INITIALIZER;
static bool dsp_up;

static void ignore_digits(void *arg, const char *digits, int len)
{
	(void)arg;
	(void)digits;
	(void)len;
}

static void ignore_tone(void *arg, int code, int level, int delay)
{
	(void)arg;
	(void)code;
	(void)level;
	(void)delay;
}

/*
 * The first *_init() of each of these fills static tables (Goertzel and
 * tone generator descriptors) behind a plain "inited" flag: two threads
 * doing it at once would race. Do it here, once, and throw the objects
 * away; the tables stay. (spandsp 0.0.6: dtmf.c and bell_r2_mf.c; the
 * echo canceller has statics too but we do not use it.)
 */
static int warm_spandsp(void)
{
	dtmf_rx_state_t *drx = dtmf_rx_init(NULL, ignore_digits, NULL);
	dtmf_tx_state_t *dtx = dtmf_tx_init(NULL);
	r2_mf_rx_state_t *rfx = r2_mf_rx_init(NULL, 1, ignore_tone, NULL);
	r2_mf_rx_state_t *rbx = r2_mf_rx_init(NULL, 0, ignore_tone, NULL);
	r2_mf_tx_state_t *rft = r2_mf_tx_init(NULL, 1);
	r2_mf_tx_state_t *rbt = r2_mf_tx_init(NULL, 0);
	bell_mf_rx_state_t *brx = bell_mf_rx_init(NULL, ignore_digits, NULL);
	bell_mf_tx_state_t *btx = bell_mf_tx_init(NULL);
	int ret = 0;

	if (!drx || !dtx || !rfx || !rbx || !rft || !rbt || !brx || !btx)
		ret = -ENOMEM;
	if (btx)
		bell_mf_tx_free(btx);
	if (brx)
		bell_mf_rx_free(brx);
	if (rbt)
		r2_mf_tx_free(rbt);
	if (rft)
		r2_mf_tx_free(rft);
	if (rbx)
		r2_mf_rx_free(rbx);
	if (rfx)
		r2_mf_rx_free(rfx);
	if (dtx)
		dtmf_tx_free(dtx);
	if (drx)
		dtmf_rx_free(drx);
	return ret;
}

int dsp_init(void)
{
	int ret = 0;

	pthread_mutex_lock(&dsp_lock);
	if (dsp_up)
		goto out;
	ret = warm_spandsp();
	if (ret)
		goto out;
	ret = tone_init();
	if (ret)
		goto out;
	ret = cpt_init();
	if (ret)
		goto err_cpt;
	dsp_up = true;
	goto out;

err_cpt:
	tone_exit();
out:
	pthread_mutex_unlock(&dsp_lock);
	return ret;
}

void dsp_exit(void)
{
	pthread_mutex_lock(&dsp_lock);
	if (dsp_up) {
		cpt_exit();
		tone_exit();
		dsp_up = false;
	}
	pthread_mutex_unlock(&dsp_lock);
}

bool dsp_ready(void)
{
	return dsp_up;
}

double dsp_dbm0_to_peak(double dbm0)
{
	return DSP_DBM0_PEAK * pow(10.0, dbm0 / 20.0);
}

double dsp_peak_to_dbm0(double peak)
{
	if (peak <= 0.0)
		return -INFINITY;
	return 20.0 * log10(peak / DSP_DBM0_PEAK);
}

double dsp_power_dbm0(const int16_t *x, size_t n)
{
	double sum = 0.0;
	size_t i;

	for (i = 0; i < n; i++)
		sum += (double)x[i] * x[i];
	if (!n || sum == 0.0)
		return -INFINITY;
	/* a sine's RMS is its peak / sqrt(2) */
	return dsp_peak_to_dbm0(sqrt(2.0 * sum / (double)n));
}
