#include "sim/core/math.hpp"

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>

namespace sim::math {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

// ln 2 split so that k * kLn2Hi is exact for |k| < 2^21 (fdlibm's constants).
constexpr double kLn2Hi = 6.93147180369123816490e-01;
constexpr double kLn2Lo = 1.90821492927058770002e-10;

// Horner evaluation of sum c[i] x^i.
template <std::size_t N>
constexpr double horner(const double (&c)[N], double x) {
  double p = c[N - 1];
  for (std::size_t i = N - 1; i-- > 0;) p = p * x + c[i];
  return p;
}

// 2^(j/32), j = 0..31, each correctly rounded (computed to 60 digits).
constexpr double kExp2Table[32] = {
    0x1.0000000000000p+0, 0x1.059b0d3158574p+0, 0x1.0b5586cf9890fp+0, 0x1.11301d0125b51p+0,
    0x1.172b83c7d517bp+0, 0x1.1d4873168b9aap+0, 0x1.2387a6e756238p+0, 0x1.29e9df51fdee1p+0,
    0x1.306fe0a31b715p+0, 0x1.371a7373aa9cbp+0, 0x1.3dea64c123422p+0, 0x1.44e086061892dp+0,
    0x1.4bfdad5362a27p+0, 0x1.5342b569d4f82p+0, 0x1.5ab07dd485429p+0, 0x1.6247eb03a5585p+0,
    0x1.6a09e667f3bcdp+0, 0x1.71f75e8ec5f74p+0, 0x1.7a11473eb0187p+0, 0x1.82589994cce13p+0,
    0x1.8ace5422aa0dbp+0, 0x1.93737b0cdc5e5p+0, 0x1.9c49182a3f090p+0, 0x1.a5503b23e255dp+0,
    0x1.ae89f995ad3adp+0, 0x1.b7f76f2fb5e47p+0, 0x1.c199bdd85529cp+0, 0x1.cb720dcef9069p+0,
    0x1.d5818dcfba487p+0, 0x1.dfc97337b9b5fp+0, 0x1.ea4afa2a490dap+0, 0x1.f50765b6e4540p+0,
};

// e^r - 1 for |r| <= ln(2)/64 by its Taylor series to r^6 (truncation below 4e-18).
double expm1_reduced(double r) {
  static constexpr double c[] = {1.0, 1.0 / 2, 1.0 / 6, 1.0 / 24, 1.0 / 120, 1.0 / 720};
  return r * horner(c, r);
}

// sin and cos of |a| <= pi/4 by their Taylor series.
double sin_reduced(double a) {
  static constexpr double c[] = {1.0,
                                 -1.0 / 6,
                                 1.0 / 120,
                                 -1.0 / 5040,
                                 1.0 / 362880,
                                 -1.0 / 39916800,
                                 1.0 / 6227020800,
                                 -1.0 / 1307674368000,
                                 1.0 / 355687428096000,
                                 -1.0 / 121645100408832000};
  return a * horner(c, a * a);
}

double cos_reduced(double a) {
  static constexpr double c[] = {1.0,
                                 -1.0 / 2,
                                 1.0 / 24,
                                 -1.0 / 720,
                                 1.0 / 40320,
                                 -1.0 / 3628800,
                                 1.0 / 479001600,
                                 -1.0 / 87178291200,
                                 1.0 / 20922789888000,
                                 -1.0 / 6402373705728000};
  return horner(c, a * a);
}

}  // namespace

double exp(double x) {
  if (std::isnan(x)) return x;
  if (x > 709.782712893384) return kInf;
  if (x < -745.1332191019412) return 0.0;
  // x = (32 m + j) ln2/32 + r with |r| <= ln2/64: e^x = 2^m 2^(j/32) e^r.
  const double k = std::rint(x * (32.0 * std::numbers::log2e));
  const double r = (x - k * (kLn2Hi / 32)) - k * (kLn2Lo / 32);  // k * kLn2Hi/32 is exact
  const int ki = static_cast<int>(k);
  const int j = ki & 31;
  const int m = (ki - j) / 32;
  const double t = kExp2Table[j];
  const double er = t + t * expm1_reduced(r);
  // Scaling by an exact power of two; ldexp only where 2^m itself is not a
  // normal double (results near overflow or subnormal).
  if (m < -1021 || m > 1022) return m > 0 ? std::ldexp(er * 2.0, m - 1) : std::ldexp(er, m);
  return er * std::bit_cast<double>(static_cast<std::uint64_t>(m + 1023) << 52);
}

double log(double x) {
  if (std::isnan(x) || x < 0.0) return kNaN;
  if (x == 0.0) return -kInf;
  if (std::isinf(x)) return x;
  // x = m 2^e with m in [sqrt(1/2), sqrt(2)); log x = e ln2 + log(1 + f).
  int e = 0;
  double m = 0.0;
  const auto bits = std::bit_cast<std::uint64_t>(x);
  if (x >= std::numeric_limits<double>::min()) {
    // Normal: exponent and mantissa straight from the bits (exact, no call).
    e = static_cast<int>(bits >> 52) - 1022;
    m = std::bit_cast<double>((bits & 0x000FFFFFFFFFFFFFULL) | 0x3FE0000000000000ULL);  // [0.5, 1)
  } else {
    m = std::frexp(x, &e);
  }
  if (m < std::numbers::sqrt2 / 2) {
    m *= 2.0;
    --e;
  }
  const double f = m - 1.0;  // exact
  // log(1 + f) = 2 atanh(s) with s = f / (2 + f), |s| < 0.172; written as
  // f - s (f - R) with R = 2 s^2/3 + 2 s^4/5 + ..., so that the large term f
  // stays exact and rounding touches only the small correction.
  const double s = f / (2.0 + f);
  const double z = s * s;
  static constexpr double c[] = {2.0 / 3, 2.0 / 5, 2.0 / 7, 2.0 / 9, 2.0 / 11, 2.0 / 13,
                                 2.0 / 15, 2.0 / 17, 2.0 / 19, 2.0 / 21, 2.0 / 23};
  const double big_r = z * horner(c, z);
  const double log1pf = f - s * (f - big_r);
  const double de = e;
  return de * kLn2Hi + (de * kLn2Lo + log1pf);
}

double log1p(double x) {
  if (std::isnan(x) || x < -1.0) return kNaN;
  if (x == -1.0) return -kInf;
  // Goldberg's correction: u = 1 + x is rounded, and x / (u - 1) undoes the
  // rounding to first order (D. Goldberg, "What every computer scientist
  // should know about floating-point arithmetic", 1991, theorem 4).
  const double u = 1.0 + x;
  if (u == 1.0) return x;
  if (std::isinf(u)) return u;
  return log(u) * (x / (u - 1.0));
}

double cos_2pi(double u) {
  if (!std::isfinite(u)) return kNaN;
  const double t = u - std::floor(u);  // [0, 1): a fraction of a turn
  // Nearest quarter turn q and the rest f in [-1/2, 1/2] quarter turns; both
  // exact, so the only rounding is in the angle f pi/2 itself.
  const double quarters = 4.0 * t;
  const double q = std::rint(quarters);
  const double a = (quarters - q) * (std::numbers::pi / 2);
  switch (static_cast<int>(q) & 3) {
    case 0: return cos_reduced(a);
    case 1: return -sin_reduced(a);
    case 2: return -cos_reduced(a);
    default: return sin_reduced(a);
  }
}

double log_factorial(double k) {
  if (std::isnan(k) || k < 0.0) return kNaN;
  const double kf = std::floor(k);
  if (kf < 20.0) {
    double f = 1.0;  // exact below 2^53
    for (double i = 2.0; i <= kf; i += 1.0) f *= i;
    return log(f);
  }
  // Stirling's series for log Gamma(n) with n = k + 1 >= 21: the error after
  // the 1/n^7 term is below 1/(1188 n^9), under 1e-15 here.
  const double n = kf + 1.0;
  const double inv = 1.0 / n;
  const double inv2 = inv * inv;
  const double series = inv * (1.0 / 12 - inv2 * (1.0 / 360 - inv2 * (1.0 / 1260 - inv2 * (1.0 / 1680))));
  return (n - 0.5) * log(n) - n + 0.5 * log(2.0 * std::numbers::pi) + series;
}

double normal_cdf(double z) {
  if (std::isnan(z)) return z;
  const double x = std::fabs(z);
  double upper = 0.0;  // 1 - Phi(x)
  if (x < 5.0) {
    // Phi(x) = 1/2 + phi(x) (x + x^3/3 + x^5/(3*5) + ...): G. Marsaglia,
    // "Evaluating the normal distribution", J. Stat. Softw. 11(4), 2004.
    double term = x;
    double sum = x;
    const double x2 = x * x;
    for (double d = 3.0; sum + term != sum; d += 2.0) {
      term *= x2 / d;
      sum += term;
    }
    const double density = exp(-0.5 * x2) / std::sqrt(2.0 * std::numbers::pi);
    upper = 0.5 - density * sum;
  } else if (x < 40.0) {
    // Laplace's continued fraction for the tail, evaluated from its 60th level.
    double cf = x;
    for (int k = 60; k >= 1; --k) cf = x + k / cf;
    upper = exp(-0.5 * x * x) / std::sqrt(2.0 * std::numbers::pi) / cf;
  }
  return z < 0.0 ? upper : 1.0 - upper;
}

double ipow(double x, long n) {
  if (n < 0) return 1.0 / ipow(x, -n);
  double result = 1.0;
  for (double base = x; n > 0; n >>= 1, base *= base)
    if (n & 1) result *= base;
  return result;
}

}  // namespace sim::math
