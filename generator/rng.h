/* rng -- a small deterministic pseudo-random generator (xoshiro256**
 * seeded through splitmix64), so that `keqing sample --seed S` writes the
 * same bytes on every machine.  Not for anything secret. */
#ifndef KQ_RNG_H
#define KQ_RNG_H

#include <stdint.h>

struct rng {
    uint64_t s[4];
};

void rng_seed(struct rng *r, uint64_t seed);
uint64_t rng_next(struct rng *r);
/* Uniform integer in [0, n) (n > 0), without modulo bias. */
uint32_t rng_below(struct rng *r, uint32_t n);
/* Uniform integer in [lo, hi]. */
int rng_range(struct rng *r, int lo, int hi);
/* Uniform double in [0, 1). */
double rng_unit(struct rng *r);
/* 1 with probability p. */
int rng_chance(struct rng *r, double p);

#endif
