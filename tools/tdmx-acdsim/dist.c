// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tdmx-acdsim randomness: xoshiro256** seeded through splitmix64 (the
 * seeding its authors recommend, so nearby seeds give unrelated streams),
 * and the distributions of handle times, patience and answer delays.
 * Inverse transform for the exponential, Box-Muller for the log-normal.
 */
#include <math.h>
#include <stdint.h>

#include "acdsim.h"

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

void sim_rng_seed(struct sim_rng *r, uint64_t seed)
{
	unsigned int i;

	for (i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t sim_rng_next(struct sim_rng *r)
{
	uint64_t *s = r->s;
	uint64_t res = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return res;
}

/* 53 random bits, shifted by half a step so neither 0 nor 1 comes out */
double sim_rng_unit(struct sim_rng *r)
{
	return ((double)(sim_rng_next(r) >> 11) + 0.5) * (1.0 / 9007199254740992.0);
}

static uint64_t to_ms(double v)
{
	if (v <= 0)
		return 0;
	if (v >= 1.8e19)
		return UINT64_MAX - 1;
	return (uint64_t)llround(v);
}

/* standard normal by Box-Muller (one of the pair; simplicity over speed) */
static double normal(struct sim_rng *r)
{
	double u1 = sim_rng_unit(r), u2 = sim_rng_unit(r);

	return sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
}

uint64_t sim_dist_sample(const struct sim_dist *d, struct sim_rng *r)
{
	double sigma2, mu;

	switch (d->kind) {
	case SIM_DIST_FIXED:
		return to_ms(d->mean_ms);
	case SIM_DIST_EXP:
		return to_ms(-d->mean_ms * log(sim_rng_unit(r)));
	case SIM_DIST_LOGNORMAL:
		/* the underlying normal's parameters from the wanted mean and sd */
		if (d->mean_ms <= 0)
			return 0;
		sigma2 = log(1.0 + (d->sd_ms * d->sd_ms) / (d->mean_ms * d->mean_ms));
		mu = log(d->mean_ms) - sigma2 / 2;
		return to_ms(exp(mu + sqrt(sigma2) * normal(r)));
	case SIM_DIST_OFF:
	case SIM_DIST__N:
		break;
	}
	return UINT64_MAX;
}

const char *sim_dist_name(enum sim_dist_kind k)
{
	static const char *const names[] = {
		[SIM_DIST_FIXED] = "fixed", [SIM_DIST_EXP] = "exponential",
		[SIM_DIST_LOGNORMAL] = "lognormal", [SIM_DIST_OFF] = "off",
	};

	return k < SIM_DIST__N ? names[k] : "?";
}
