// The machine-independent elementary functions against glibc's, which are
// accurate to within about one unit in the last place (ulp).
#include "sim/core/math.hpp"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <numbers>

#include <gtest/gtest.h>

namespace {

// Distance in representable doubles between two finite values of one sign.
std::int64_t ulps(double a, double b) {
  std::int64_t ia = 0, ib = 0;
  std::memcpy(&ia, &a, sizeof a);
  std::memcpy(&ib, &b, sizeof b);
  return ia > ib ? ia - ib : ib - ia;
}

// Values spread over many binades, from a fixed simple generator.
template <class F>
void for_spread(double lo, double hi, int n, F&& f) {
  std::uint64_t s = 0x9e3779b97f4a7c15ULL;
  for (int i = 0; i < n; ++i) {
    s = s * 6364136223846793005ULL + 1442695040888963407ULL;
    const double u = static_cast<double>(s >> 11) * 0x1.0p-53;
    f(lo + (hi - lo) * u);
  }
}

TEST(Math, ExpWithinTwoUlpsOfLibm) {
  std::int64_t worst = 0;
  for_spread(-700.0, 700.0, 200000, [&](double x) { worst = std::max(worst, ulps(sim::math::exp(x), std::exp(x))); });
  for_spread(-1.0, 1.0, 200000, [&](double x) { worst = std::max(worst, ulps(sim::math::exp(x), std::exp(x))); });
  EXPECT_LE(worst, 2);
}

TEST(Math, ExpEdges) {
  EXPECT_EQ(sim::math::exp(0.0), 1.0);
  EXPECT_EQ(sim::math::exp(1000.0), std::numeric_limits<double>::infinity());
  EXPECT_EQ(sim::math::exp(-1000.0), 0.0);
  EXPECT_TRUE(std::isnan(sim::math::exp(std::nan(""))));
  EXPECT_LE(ulps(sim::math::exp(709.7), std::exp(709.7)), 2);  // near overflow
  EXPECT_LE(ulps(sim::math::exp(-708.0), std::exp(-708.0)), 2);
  EXPECT_NEAR(sim::math::exp(-740.0) / std::exp(-740.0), 1.0, 1e-6);  // subnormal result
}

TEST(Math, LogWithinTwoUlpsOfLibm) {
  std::int64_t worst = 0;
  for_spread(1e-300, 1e-290, 20000, [&](double x) { worst = std::max(worst, ulps(sim::math::log(x), std::log(x))); });
  for_spread(0.5, 2.0, 200000, [&](double x) { worst = std::max(worst, ulps(sim::math::log(x), std::log(x))); });
  for_spread(0.0, 1.0, 200000, [&](double x) {
    if (x > 0) worst = std::max(worst, ulps(sim::math::log(x), std::log(x)));
  });
  for_spread(1.0, 1e6, 200000, [&](double x) { worst = std::max(worst, ulps(sim::math::log(x), std::log(x))); });
  EXPECT_LE(worst, 2);
}

TEST(Math, LogEdges) {
  EXPECT_EQ(sim::math::log(1.0), 0.0);
  EXPECT_EQ(sim::math::log(0.0), -std::numeric_limits<double>::infinity());
  EXPECT_TRUE(std::isnan(sim::math::log(-1.0)));
  EXPECT_EQ(sim::math::log(std::numeric_limits<double>::infinity()), std::numeric_limits<double>::infinity());
  EXPECT_LE(ulps(sim::math::log(std::numeric_limits<double>::denorm_min()),
                 std::log(std::numeric_limits<double>::denorm_min())),
            2);
  EXPECT_LE(ulps(sim::math::log(std::numeric_limits<double>::max()), std::log(std::numeric_limits<double>::max())), 2);
}

TEST(Math, Log1pAccurateForSmallArguments) {
  std::int64_t worst = 0;
  for_spread(-0.9, 10.0, 100000, [&](double x) { worst = std::max(worst, ulps(sim::math::log1p(x), std::log1p(x))); });
  for_spread(-1e-10, 1e-10, 100000, [&](double x) { worst = std::max(worst, ulps(sim::math::log1p(x), std::log1p(x))); });
  EXPECT_LE(worst, 4);
  EXPECT_EQ(sim::math::log1p(1e-300), 1e-300);
  EXPECT_EQ(sim::math::log1p(-1.0), -std::numeric_limits<double>::infinity());
}

TEST(Math, CosOfAFractionOfATurn) {
  double worst = 0;
  for_spread(0.0, 1.0, 200000, [&](double u) {
    worst = std::max(worst, std::fabs(sim::math::cos_2pi(u) - std::cos(2.0 * std::numbers::pi * u)));
  });
  // libm's own argument 2 pi u is rounded, which alone moves cos by up to ~1e-15.
  EXPECT_LT(worst, 2e-15);
  EXPECT_EQ(sim::math::cos_2pi(0.0), 1.0);
  EXPECT_EQ(sim::math::cos_2pi(0.5), -1.0);
  EXPECT_EQ(sim::math::cos_2pi(0.25), 0.0);
  EXPECT_EQ(sim::math::cos_2pi(1.75), 0.0);
}

TEST(Math, LogFactorialMatchesLgamma) {
  for (double k = 0; k < 2000; k += 1) {
    const double want = std::lgamma(k + 1.0);
    EXPECT_NEAR(sim::math::log_factorial(k), want, 1e-13 * std::max(1.0, want)) << "k = " << k;
  }
  EXPECT_EQ(sim::math::log_factorial(0), 0.0);
  EXPECT_EQ(sim::math::log_factorial(1), 0.0);
}

TEST(Math, NormalCdfMatchesErfc) {
  for (double z = -38; z <= 8; z += 0.01) {
    const double want = 0.5 * std::erfc(-z / std::numbers::sqrt2);
    const double got = sim::math::normal_cdf(z);
    EXPECT_NEAR(got, want, 1e-15) << "z = " << z;
    if (z < -5 && z > -37) {  // below -37 the results are subnormal
      EXPECT_NEAR(got / want, 1.0, 1e-12) << "lower tail, z = " << z;
    }
  }
  EXPECT_EQ(sim::math::normal_cdf(0.0), 0.5);
}

TEST(Math, IntegerPowers) {
  EXPECT_EQ(sim::math::ipow(2.0, 10), 1024.0);
  EXPECT_EQ(sim::math::ipow(3.0, 0), 1.0);
  EXPECT_EQ(sim::math::ipow(2.0, -2), 0.25);
  for (long n = 0; n < 30; ++n) EXPECT_NEAR(sim::math::ipow(1.07, n), std::pow(1.07, n), 1e-14 * std::pow(1.07, n));
}

}  // namespace
