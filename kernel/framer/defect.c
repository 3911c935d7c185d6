// SPDX-License-Identifier: GPL-2.0-only
/*
 * G.775 LOS and AIS detection on the raw received bits.
 *
 * Every event's bit is where the defect state changed: LOS at the N-th zero
 * of the run that set it, its end at the last bit of the window that cleared
 * it, AIS (on and off) at the start of the second of the two periods that
 * decided it.
 */
#include "defect.h"

/* G.775: AIS when a period has at most 2 zeros, cleared by 3 or more. */
#define AIS_MAX_ZEROS 2

/**
 * tdmx_fr_emit() - hand an event to a sink
 * @sink: where to report (may be NULL, or have no event callback)
 * @ev: the event
 */
void tdmx_fr_emit(const struct tdmx_fr_sink *sink, const struct tdmx_fr_event *ev)
{
	if (sink && sink->event)
		sink->event(sink->ctx, ev);
}

/**
 * tdmx_fr_emit_alarm() - report one alarm edge
 * @sink: where to report
 * @bit: stream bit the edge belongs to
 * @alarm: enum tdmx_fr_alarm
 * @on: true when the defect starts
 */
void tdmx_fr_emit_alarm(const struct tdmx_fr_sink *sink, u64 bit,
			unsigned int alarm, bool on)
{
	struct tdmx_fr_event ev = {
		.bit = bit, .type = TDMX_FR_EV_ALARM, .alarm = alarm, .on = on,
	};

	tdmx_fr_emit(sink, &ev);
}

/**
 * tdmx_defect_init() - start a detector at stream bit 0
 * @d: detector
 * @los_zeros: zeros that declare LOS (10..255)
 * @ais_period: AIS period in bits, a multiple of 8
 */
void tdmx_defect_init(struct tdmx_defect *d, u32 los_zeros, u32 ais_period)
{
	tdmx_fr_memset(d, 0, sizeof(*d));
	d->los_zeros = los_zeros;
	d->ais_period = ais_period;
	d->prev_verdict = -1;
}

/*
 * G.775: LOS is cleared when the signal has transitions again: a one, then
 * N bit periods without N consecutive zeros. (A ones-density rule such as
 * T1.231's 12.5 % would keep LOS on a framed line with an all-zero payload,
 * which this raw-bit model has no line code to prevent.)
 */
static void los_bit(struct tdmx_defect *d, u64 bit, unsigned int v,
		    const struct tdmx_fr_sink *sink)
{
	if (!d->los) {
		if (v) {
			d->zero_run = 0;
			return;
		}
		if (++d->zero_run == d->los_zeros) {
			d->los = true;
			d->clearing = false;
			tdmx_fr_emit_alarm(sink, bit, TDMX_FR_ALARM_LOS, true);
		}
		return;
	}
	if (!d->clearing) {
		if (!v)
			return;
		d->clearing = true;
		d->clear_start = bit;
		d->zero_run = 0;
	}
	if (v) {
		d->zero_run = 0;
	} else if (++d->zero_run == d->los_zeros) {
		d->clearing = false;
		return;
	}
	if (bit + 1 - d->clear_start == d->los_zeros) {
		d->los = false;
		tdmx_fr_emit_alarm(sink, bit, TDMX_FR_ALARM_LOS, false);
	}
}

static void ais_period_end(struct tdmx_defect *d, const struct tdmx_fr_sink *sink)
{
	int verdict = d->period_zeros <= AIS_MAX_ZEROS;

	/* G.775: two consecutive periods decide either way */
	if (verdict == d->prev_verdict && verdict != d->ais) {
		d->ais = verdict;
		tdmx_fr_emit_alarm(sink, d->period_start, TDMX_FR_ALARM_AIS, d->ais);
	}
	d->prev_verdict = verdict;
	d->period_start += d->ais_period;
	d->period_zeros = 0;
}

/*
 * Only whether a period has more than AIS_MAX_ZEROS zeros matters, so
 * counting stops there: a payload period costs a few operations.
 */
static void count_zeros(struct tdmx_defect *d, u64 inverted)
{
	while (inverted && d->period_zeros <= AIS_MAX_ZEROS) {
		d->period_zeros++;
		inverted &= inverted - 1;
	}
}

/* @v holds @nbits (8 or 64) bits, first bit in the MSB of the u64. */
static void los_bits(struct tdmx_defect *d, u64 v, unsigned int nbits,
		     const struct tdmx_fr_sink *sink)
{
	unsigned int i;

	if (!d->los) {
		/* fast path while no run of N zeros can end inside @v */
		if (!v && d->zero_run + nbits < d->los_zeros) {
			d->zero_run += nbits;
			return;
		}
		if (v && d->zero_run + (unsigned int)__builtin_clzll(v) < d->los_zeros) {
			d->zero_run = __builtin_ctzll(v) - (64 - nbits);
			return;
		}
	} else if (!v && !d->clearing) {
		return;
	}
	for (i = 0; i < nbits; i++)
		los_bit(d, d->pos + i, (v >> (63 - i)) & 1, sink);
}

static void feed_chunk(struct tdmx_defect *d, u64 v, unsigned int nbits,
		       const struct tdmx_fr_sink *sink)
{
	u64 mask = nbits == 64 ? ~0ULL : ~0ULL << (64 - nbits);

	if (d->period_zeros <= AIS_MAX_ZEROS)
		count_zeros(d, ~v & mask);
	los_bits(d, v, nbits, sink);
	d->pos += nbits;
	if (d->pos - d->period_start == d->ais_period)
		ais_period_end(d, sink);
}

/**
 * tdmx_defect_feed() - consume the next octets of the stream
 * @d: detector
 * @data: octets, first bit in the MSB
 * @len: number of octets
 * @sink: receives LOS and AIS edges
 */
void tdmx_defect_feed(struct tdmx_defect *d, const u8 *data, size_t len,
		      const struct tdmx_fr_sink *sink)
{
	while (len) {
		u64 left = (d->ais_period - (d->pos - d->period_start)) / 8;

		/* whole words where they fit in the data and in the AIS period */
		if (len >= 8 && left >= 8 && d->los_zeros >= 64) {
			feed_chunk(d, tdmx_fr_load_be64(data), 64, sink);
			data += 8;
			len -= 8;
		} else {
			feed_chunk(d, (u64)*data << 56, 8, sink);
			data++;
			len--;
		}
	}
}

/**
 * tdmx_defect_clear_ais() - end AIS because frame alignment was found
 * @d: detector
 * @bit: the frame alignment's bit, reported as the edge's bit
 * @sink: receives the AIS edge
 *
 * G.775: AIS is also cleared by finding frame alignment.
 */
void tdmx_defect_clear_ais(struct tdmx_defect *d, u64 bit,
			   const struct tdmx_fr_sink *sink)
{
	if (!d->ais)
		return;
	d->ais = false;
	d->prev_verdict = 0;
	tdmx_fr_emit_alarm(sink, bit, TDMX_FR_ALARM_AIS, false);
}
