// Moments of our own distribution transforms over many draws. Tolerances are
// about five standard errors, so a wrong transform fails and a right one
// passes with overwhelming probability (the draws are fixed, so the test is
// deterministic anyway).
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "sim/rng/distributions.hpp"

namespace {

struct Moments {
  double mean = 0, var = 0;
};

template <class Draw>
Moments moments(int n, Draw draw) {
  sim::rng::Stream s({2024, 0, 0, 0, 0});
  double sum = 0, sum2 = 0;
  for (int i = 0; i < n; ++i) {
    const double x = draw(s);
    sum += x;
    sum2 += x * x;
  }
  const double mean = sum / n;
  return {mean, sum2 / n - mean * mean};
}

constexpr int kN = 400000;

TEST(Distributions, Uniform) {
  const Moments m = moments(kN, [](auto& s) { return sim::rng::uniform(s, 2.0, 5.0); });
  EXPECT_NEAR(m.mean, 3.5, 5 * std::sqrt(0.75 / kN));
  EXPECT_NEAR(m.var, 0.75, 0.01);
}

TEST(Distributions, Normal) {
  const Moments m = moments(kN, [](auto& s) { return sim::rng::normal(s, 10.0, 2.0); });
  EXPECT_NEAR(m.mean, 10.0, 5 * 2.0 / std::sqrt(kN));
  EXPECT_NEAR(m.var, 4.0, 4.0 * 5 * std::sqrt(2.0 / kN));
}

TEST(Distributions, NormalTailsHaveTheRightMass) {
  sim::rng::Stream s({7, 0, 0, 0, 0});
  int beyond = 0;
  for (int i = 0; i < kN; ++i) beyond += std::fabs(sim::rng::normal(s)) > 1.96 ? 1 : 0;
  EXPECT_NEAR(static_cast<double>(beyond) / kN, 0.05, 5 * std::sqrt(0.05 * 0.95 / kN));
}

TEST(Distributions, LognormalMeanAndCv) {
  const Moments m = moments(kN, [](auto& s) { return sim::rng::lognormal_mean_cv(s, 1000.0, 0.5); });
  EXPECT_NEAR(m.mean, 1000.0, 5 * 500.0 / std::sqrt(kN));
  EXPECT_NEAR(std::sqrt(m.var) / m.mean, 0.5, 0.01);
}

TEST(Distributions, Bernoulli) {
  const Moments m = moments(kN, [](auto& s) { return sim::rng::bernoulli(s, 0.3) ? 1.0 : 0.0; });
  EXPECT_NEAR(m.mean, 0.3, 5 * std::sqrt(0.21 / kN));
}

TEST(Distributions, Exponential) {
  const Moments m = moments(kN, [](auto& s) { return sim::rng::exponential(s, 2.0); });
  EXPECT_NEAR(m.mean, 0.5, 5 * 0.5 / std::sqrt(kN));
  EXPECT_NEAR(m.var, 0.25, 0.01);
}

class PoissonMoments : public ::testing::TestWithParam<double> {};

TEST_P(PoissonMoments, MeanEqualsVariance) {
  const double lambda = GetParam();
  const Moments m = moments(kN, [lambda](auto& s) { return static_cast<double>(sim::rng::poisson(s, lambda)); });
  EXPECT_NEAR(m.mean, lambda, 5 * std::sqrt(lambda / kN));
  EXPECT_NEAR(m.var, lambda, lambda * 5 * std::sqrt(2.0 / kN) + 0.01);
}

// Both branches: inversion below 10, transformed rejection above.
INSTANTIATE_TEST_SUITE_P(SmallAndLarge, PoissonMoments, ::testing::Values(0.5, 3.0, 9.5, 10.0, 42.0, 1000.0));

TEST(Distributions, PoissonProbabilityOfZero) {
  sim::rng::Stream s({3, 0, 0, 0, 0});
  int zeros = 0;
  for (int i = 0; i < kN; ++i) zeros += sim::rng::poisson(s, 2.0) == 0 ? 1 : 0;
  EXPECT_NEAR(static_cast<double>(zeros) / kN, std::exp(-2.0), 0.003);
}

TEST(Distributions, CategoricalFrequencies) {
  const std::vector<double> w = {1.0, 0.0, 3.0, 6.0};
  std::vector<int> count(w.size(), 0);
  sim::rng::Stream s({5, 0, 0, 0, 0});
  for (int i = 0; i < kN; ++i) ++count[sim::rng::categorical(s, w)];
  EXPECT_EQ(count[1], 0);
  EXPECT_NEAR(count[0] / static_cast<double>(kN), 0.1, 0.003);
  EXPECT_NEAR(count[2] / static_cast<double>(kN), 0.3, 0.004);
  EXPECT_NEAR(count[3] / static_cast<double>(kN), 0.6, 0.004);
}

TEST(Distributions, NormalQuantileInvertsTheCdf) {
  for (double p : {1e-6, 0.001, 0.02, 0.1, 0.4, 0.5, 0.75, 0.975, 0.999}) {
    const double z = sim::rng::normal_quantile(p);
    EXPECT_NEAR(0.5 * std::erfc(-z / std::sqrt(2.0)), p, 1e-9 + 1e-8 * p) << "p=" << p;
  }
  EXPECT_NEAR(sim::rng::normal_quantile(0.975), 1.959963985, 1e-8);
}

}  // namespace
