#include "sim/numeric/least_squares.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "sim/core/error.hpp"
#include "sim/core/math.hpp"

namespace {

using sim::numeric::levenberg_marquardt;
using sim::numeric::LeastSquaresResult;

// Residuals of the line p0 + p1 * x through the points (xs, ys).
sim::numeric::Residuals line_through(std::vector<double> xs, std::vector<double> ys) {
  return [xs, ys](std::span<const double> p) {
    std::vector<double> r(xs.size());
    for (std::size_t i = 0; i < xs.size(); ++i) r[i] = p[0] + p[1] * xs[i] - ys[i];
    return r;
  };
}

std::vector<double> rosenbrock(std::span<const double> x) { return {10 * (x[1] - x[0] * x[0]), 1 - x[0]}; }

TEST(LevenbergMarquardt, RecoversAnExactLinearFit) {
  const std::vector<double> xs = {0, 1, 2, 3, 4, 5};
  std::vector<double> ys;
  for (double x : xs) ys.push_back(2 + 3 * x);
  const LeastSquaresResult res = levenberg_marquardt(line_through(xs, ys), {0, 0});
  ASSERT_TRUE(res.converged) << res.stop;
  ASSERT_EQ(res.x.size(), 2u);
  EXPECT_NEAR(res.x[0], 2.0, 1e-8);
  EXPECT_NEAR(res.x[1], 3.0, 1e-8);
  EXPECT_LT(res.cost, 1e-16);
  ASSERT_EQ(res.residuals.size(), xs.size());
  for (double r : res.residuals) EXPECT_NEAR(r, 0.0, 1e-8);
  EXPECT_GT(res.iterations, 0);
  EXPECT_GT(res.evaluations, res.iterations);
}

TEST(LevenbergMarquardt, RecoversAnExponentialFromExactData) {
  const double a = 1.5, b = -0.7;
  std::vector<double> xs, ys;
  for (int i = 0; i <= 12; ++i) {
    xs.push_back(0.25 * i);
    ys.push_back(a * sim::math::exp(b * xs.back()));
  }
  auto f = [&](std::span<const double> p) {
    std::vector<double> r(xs.size());
    for (std::size_t i = 0; i < xs.size(); ++i) r[i] = p[0] * sim::math::exp(p[1] * xs[i]) - ys[i];
    return r;
  };
  const LeastSquaresResult res = levenberg_marquardt(f, {1, 0});
  ASSERT_TRUE(res.converged) << res.stop;
  EXPECT_NEAR(res.x[0], a, 1e-6);
  EXPECT_NEAR(res.x[1], b, 1e-6);
  EXPECT_LT(res.cost, 1e-12);
}

TEST(LevenbergMarquardt, FollowsTheRosenbrockValleyToItsMinimum) {
  const LeastSquaresResult res = levenberg_marquardt(rosenbrock, {-1.2, 1});
  ASSERT_TRUE(res.converged) << res.stop;
  EXPECT_LE(res.iterations, sim::numeric::LeastSquaresOptions{}.max_iterations);
  EXPECT_NEAR(res.x[0], 1.0, 1e-6);
  EXPECT_NEAR(res.x[1], 1.0, 1e-6);
  EXPECT_LT(res.cost, 1e-12);
}

TEST(LevenbergMarquardt, StopsUnconvergedAtTheIterationLimit) {
  sim::numeric::LeastSquaresOptions options;
  options.max_iterations = 2;
  const LeastSquaresResult res = levenberg_marquardt(rosenbrock, {-1.2, 1}, options);
  EXPECT_FALSE(res.converged);
  EXPECT_EQ(res.iterations, 2);
  EXPECT_NE(res.stop.find("iteration limit"), std::string::npos) << res.stop;
  // The best point found is returned, with its cost and residuals.
  const std::vector<double> r = rosenbrock(res.x);
  EXPECT_EQ(res.residuals, r);
  EXPECT_DOUBLE_EQ(res.cost, 0.5 * (r[0] * r[0] + r[1] * r[1]));
  EXPECT_LT(res.cost, 0.5 * (4.4 * 4.4 + 2.2 * 2.2));  // the cost at (-1.2, 1)
}

// A fit good enough for its use stops early: Rosenbrock with a cost
// tolerance stops as soon as the cost is below it, sooner than without.
TEST(LevenbergMarquardt, StopsConvergedOnceTheCostIsWithinTheCostTolerance) {
  sim::numeric::LeastSquaresOptions loose;
  loose.cost_tolerance = 1e-4;
  const LeastSquaresResult early = levenberg_marquardt(rosenbrock, {-1.2, 1}, loose);
  const LeastSquaresResult full = levenberg_marquardt(rosenbrock, {-1.2, 1});
  ASSERT_TRUE(early.converged) << early.stop;
  EXPECT_LE(early.cost, 1e-4);
  EXPECT_NE(early.stop.find("cost tolerance"), std::string::npos) << early.stop;
  EXPECT_LT(early.iterations, full.iterations);
  EXPECT_LT(full.cost, early.cost);
}

TEST(LevenbergMarquardt, MatchesTheNormalEquationsOnAnInconsistentLine) {
  // Three points not on one line: the least-squares line from the normal
  // equations, slope = (n Sxy - Sx Sy) / (n Sxx - Sx^2) = 0.5 and
  // intercept = (Sy - slope Sx) / n = 7/6, residuals (1/6, -1/3, 1/6).
  const std::vector<double> xs = {0, 1, 2}, ys = {1, 2, 2};
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    sx += xs[i];
    sy += ys[i];
    sxx += xs[i] * xs[i];
    sxy += xs[i] * ys[i];
  }
  const double n = 3;
  const double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
  const double intercept = (sy - slope * sx) / n;
  ASSERT_DOUBLE_EQ(slope, 0.5);
  ASSERT_DOUBLE_EQ(intercept, 7.0 / 6.0);
  const LeastSquaresResult res = levenberg_marquardt(line_through(xs, ys), {5, -3});
  ASSERT_TRUE(res.converged) << res.stop;
  EXPECT_NEAR(res.x[0], intercept, 1e-9);
  EXPECT_NEAR(res.x[1], slope, 1e-9);
  EXPECT_NEAR(res.cost, 1.0 / 12.0, 1e-12);
}

TEST(LevenbergMarquardt, GivesBitwiseIdenticalResultsOnEveryRun) {
  const LeastSquaresResult a = levenberg_marquardt(rosenbrock, {-1.2, 1});
  const LeastSquaresResult b = levenberg_marquardt(rosenbrock, {-1.2, 1});
  ASSERT_EQ(a.x.size(), b.x.size());
  EXPECT_EQ(std::memcmp(a.x.data(), b.x.data(), a.x.size() * sizeof(double)), 0);
  EXPECT_EQ(std::memcmp(&a.cost, &b.cost, sizeof(double)), 0);
  EXPECT_EQ(a.iterations, b.iterations);
  EXPECT_EQ(a.evaluations, b.evaluations);
  EXPECT_EQ(a.stop, b.stop);
}

TEST(LevenbergMarquardt, RejectsATrialStepWithNonFiniteResiduals) {
  // r(x) = 1/x - 0.5, solved by x = 2, defined here only for x >= 1. From
  // x = 4 the Gauss-Newton step goes to about 0: non-finite residuals, which
  // must count as a failed step (more damping), not end the solve.
  int non_finite = 0;
  auto f = [&](std::span<const double> x) {
    if (x[0] < 1) {
      ++non_finite;
      return std::vector<double>{std::numeric_limits<double>::quiet_NaN()};
    }
    return std::vector<double>{1 / x[0] - 0.5};
  };
  const LeastSquaresResult res = levenberg_marquardt(f, {4});
  ASSERT_TRUE(res.converged) << res.stop;
  EXPECT_GT(non_finite, 0);
  EXPECT_NEAR(res.x[0], 2.0, 1e-8);
}

TEST(LevenbergMarquardt, RefusesResidualsThatChangeLength) {
  int calls = 0;
  auto f = [&](std::span<const double> x) {
    ++calls;
    return std::vector<double>(calls == 1 ? 2 : 3, x[0] - 1);
  };
  try {
    levenberg_marquardt(f, {0});
    FAIL() << "no error for residuals changing length";
  } catch (const sim::Error& e) {
    EXPECT_EQ(e.status(), sim::Status::failure);
    EXPECT_NE(std::string(e.what()).find("returned 3 residuals after 2"), std::string::npos) << e.what();
  }
}

TEST(LevenbergMarquardt, RefusesNonFiniteResidualsAtTheStart) {
  auto f = [](std::span<const double> x) {
    return std::vector<double>{x[0] < 0 ? std::numeric_limits<double>::infinity() : x[0] - 1, 0.0};
  };
  try {
    levenberg_marquardt(f, {-1});
    FAIL() << "no error for non-finite residuals at x0";
  } catch (const sim::Error& e) {
    EXPECT_EQ(e.status(), sim::Status::failure);
    EXPECT_NE(std::string(e.what()).find("starting point"), std::string::npos) << e.what();
  }
  // The same function from a finite start is solved.
  EXPECT_NEAR(levenberg_marquardt(f, {3}).x[0], 1.0, 1e-8);
}

TEST(LevenbergMarquardt, RefusesAnEmptyProblem) {
  EXPECT_THROW(levenberg_marquardt(rosenbrock, {}), sim::Error);
  auto none = [](std::span<const double>) { return std::vector<double>{}; };
  EXPECT_THROW(levenberg_marquardt(none, {1}), sim::Error);
}

}  // namespace
