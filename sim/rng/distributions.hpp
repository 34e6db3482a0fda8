#pragma once
// Distributions as our own transforms of uniform draws. std:: distributions
// are not used because their algorithms differ between standard libraries,
// which would break the promise of identical output for one scenario and seed.
#include <cmath>
#include <cstddef>
#include <span>

#include "sim/core/math.hpp"
#include "sim/rng/stream.hpp"

namespace sim::rng {

inline double uniform(Stream& s, double lo, double hi) { return lo + (hi - lo) * s.uniform(); }

inline bool bernoulli(Stream& s, double p) { return s.uniform32() < p; }

// Standard normal by the Box-Muller transform (one of the pair is used, so a
// draw always consumes exactly two 64-bit words: streams stay aligned).
inline double normal(Stream& s) {
  const double u1 = s.uniform();
  const double u2 = s.uniform();
  return std::sqrt(-2.0 * math::log(u1)) * math::cos_2pi(u2);
}

inline double normal(Stream& s, double mean, double sd) { return mean + sd * normal(s); }

// Lognormal with parameters of the underlying normal (mu, sigma).
inline double lognormal(Stream& s, double mu, double sigma) { return math::exp(mu + sigma * normal(s)); }

// Lognormal with a given mean and coefficient of variation of the variable itself.
inline double lognormal_mean_cv(Stream& s, double mean, double cv) {
  const double sigma2 = math::log1p(cv * cv);
  return lognormal(s, math::log(mean) - 0.5 * sigma2, std::sqrt(sigma2));
}

inline double exponential(Stream& s, double rate) { return -math::log(s.uniform()) / rate; }

// Poisson: inversion for small means; for large means the transformed
// rejection method PTRS of Hormann (1993), "The transformed rejection method
// for generating Poisson random variables", Insurance: Math. and Econ. 12.
long poisson(Stream& s, double mean);

// Inverse of the standard normal CDF (Acklam's rational approximation,
// relative error below 1.2e-9), for stratified and quantile-based draws.
double normal_quantile(double p);

// Index drawn with probability proportional to weights (all >= 0, sum > 0),
// by inversion of the cumulative sum in index order.
std::size_t categorical(Stream& s, std::span<const double> weights);

}  // namespace sim::rng
