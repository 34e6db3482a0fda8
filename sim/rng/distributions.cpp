#include "sim/rng/distributions.hpp"

#include <cmath>

namespace sim::rng {

long poisson(Stream& s, double mean) {
  if (!(mean > 0.0)) return 0;
  if (mean < 10.0) {
    // Inversion by sequential search from zero; one uniform per draw.
    const double u = s.uniform();
    double p = std::exp(-mean);
    double cdf = p;
    long k = 0;
    while (u > cdf && k < 1000) {
      ++k;
      p *= mean / static_cast<double>(k);
      cdf += p;
    }
    return k;
  }
  const double slam = std::sqrt(mean);
  const double loglam = std::log(mean);
  const double b = 0.931 + 2.53 * slam;
  const double a = -0.059 + 0.02483 * b;
  const double invalpha = 1.1239 + 1.1328 / (b - 3.4);
  const double vr = 0.9277 - 3.6224 / (b - 2.0);
  for (;;) {
    const double u = s.uniform() - 0.5;
    const double v = s.uniform();
    const double us = 0.5 - std::fabs(u);
    const double k = std::floor((2.0 * a / us + b) * u + mean + 0.43);
    if (us >= 0.07 && v <= vr) return static_cast<long>(k);
    if (k < 0.0 || (us < 0.013 && v > us)) continue;
    if (std::log(v) + std::log(invalpha) - std::log(a / (us * us) + b) <=
        -mean + k * loglam - std::lgamma(k + 1.0))
      return static_cast<long>(k);
  }
}

std::size_t categorical(Stream& s, std::span<const double> weights) {
  double total = 0.0;
  for (double w : weights) total += w;
  const double target = s.uniform() * total;
  double cumulative = 0.0;
  std::size_t last_positive = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    if (weights[i] <= 0.0) continue;
    cumulative += weights[i];
    last_positive = i;
    if (target < cumulative) return i;
  }
  return last_positive;  // rounding left target at the very top
}

}  // namespace sim::rng
