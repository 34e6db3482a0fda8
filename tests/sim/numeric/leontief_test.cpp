#include "sim/numeric/leontief.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <vector>

#include "sim/core/error.hpp"

namespace {

using sim::numeric::leontief_inverse;
using sim::numeric::multiplied;

// A = [[0.2, 0.1, 0  ],      I - A = [[ 0.8, -0.1,  0  ],
//      [0.1, 0.3, 0.2],               [-0.1,  0.7, -0.2],
//      [0,   0.1, 0.1]]               [ 0,   -0.1,  0.9]]
// (column sums 0.3, 0.5, 0.3).
// det(I - A) = 0.8 (0.7*0.9 - 0.2*0.1) - (-0.1) ((-0.1)*0.9 - 0) = 0.8*0.61 - 0.009 = 0.479.
// Cofactors C_ij of I - A:
//   C11 = 0.63 - 0.02 = 0.61   C12 = -(-0.09 - 0) = 0.09   C13 = 0.01 - 0 = 0.01
//   C21 = -(-0.09 - 0) = 0.09  C22 = 0.72 - 0 = 0.72       C23 = -(-0.08 - 0) = 0.08
//   C31 = 0.02 - 0 = 0.02      C32 = -(-0.16 - 0) = 0.16   C33 = 0.56 - 0.01 = 0.55
// (I - A)^-1 = adj / det = C^T / 0.479 = [[610, 90, 20], [90, 720, 160], [10, 80, 550]] / 479.
// Check: row 1 of I - A times column 1: 0.8*610 - 0.1*90 = 479; row 3 times column 3: -0.1*160 + 0.9*550 = 479.
const std::vector<double> kA = {0.2, 0.1, 0.0, 0.1, 0.3, 0.2, 0.0, 0.1, 0.1};
const std::vector<double> kInverseTimes479 = {610, 90, 20, 90, 720, 160, 10, 80, 550};

TEST(LeontiefInverse, MatchesTheHandComputedThreeByThreeInverse) {
  const std::vector<double> inv = leontief_inverse(kA, 3);
  ASSERT_EQ(inv.size(), 9u);
  for (std::size_t k = 0; k < 9; ++k) EXPECT_NEAR(inv[k], kInverseTimes479[k] / 479.0, 1e-12) << "entry " << k;
  // Output multipliers (column sums) exceed 1: every unit injected adds indirect output.
  for (std::size_t j = 0; j < 3; ++j) EXPECT_GT(inv[j] + inv[3 + j] + inv[6 + j], 1.0);
}

TEST(LeontiefInverse, MultipliesAnInjectionAsTheHandProduct) {
  const std::vector<double> inv = leontief_inverse(kA, 3);
  const std::vector<double> injection = {100, 0, 50};
  // (610*100 + 90*0 + 20*50) / 479 = 62000/479, (90*100 + 160*50) / 479 = 17000/479,
  // (10*100 + 550*50) / 479 = 28500/479.
  const std::vector<double> out = multiplied(inv, 3, injection);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_NEAR(out[0], 62000.0 / 479.0, 1e-10);
  EXPECT_NEAR(out[1], 17000.0 / 479.0, 1e-10);
  EXPECT_NEAR(out[2], 28500.0 / 479.0, 1e-10);
  // The outputs solve x = A x + f.
  for (std::size_t i = 0; i < 3; ++i) {
    double ax = 0;
    for (std::size_t j = 0; j < 3; ++j) ax += kA[i * 3 + j] * out[j];
    EXPECT_NEAR(out[i], ax + injection[i], 1e-10) << "account " << i;
  }
  EXPECT_THROW(multiplied(inv, 3, std::vector<double>{1, 2}), sim::Error);
}

TEST(LeontiefInverse, OneAccountIsTheKeynesianMultiplier) {
  const std::vector<double> inv = leontief_inverse(std::vector<double>{0.25}, 1);
  ASSERT_EQ(inv.size(), 1u);
  EXPECT_NEAR(inv[0], 1.0 / (1.0 - 0.25), 1e-15);
  EXPECT_NEAR(multiplied(inv, 1, std::vector<double>{3.0})[0], 4.0, 1e-14);
}

sim::Error error_of(const std::vector<double>& a, std::size_t n) {
  try {
    leontief_inverse(a, n);
  } catch (const sim::Error& e) {
    return e;
  }
  ADD_FAILURE() << "no error";
  return sim::Error(sim::Status::ok, "");
}

TEST(LeontiefInverse, RefusesAColumnSummingToOneOrMore) {
  // Column 1 sums to 0.6 + 0.4 = 1: no leakage from that account.
  const sim::Error e = error_of({0.5, 0.6, 0.2, 0.4}, 2);
  EXPECT_EQ(e.status(), sim::Status::invalid_input);
  EXPECT_NE(std::string(e.what()).find("column 1 "), std::string::npos) << e.what();
  EXPECT_EQ(std::string(e.what()).find("column 0"), std::string::npos) << e.what();
  const sim::Error over = error_of({0.9, 0.1, 0.2, 0.1}, 2);  // column 0 sums to 1.1
  EXPECT_EQ(over.status(), sim::Status::invalid_input);
  EXPECT_NE(std::string(over.what()).find("column 0 "), std::string::npos) << over.what();
}

TEST(LeontiefInverse, RefusesNegativeOrNonFiniteCoefficients) {
  const sim::Error e = error_of({0.1, 0.0, 0.2, 0.1, 0.1, -0.05, 0.0, 0.1, 0.1}, 3);
  EXPECT_EQ(e.status(), sim::Status::invalid_input);
  EXPECT_NE(std::string(e.what()).find("column 2"), std::string::npos) << e.what();
  const sim::Error nan = error_of({std::numeric_limits<double>::quiet_NaN()}, 1);
  EXPECT_EQ(nan.status(), sim::Status::invalid_input);
  EXPECT_EQ(error_of({0.1, 0.2, 0.3}, 2).status(), sim::Status::failure);  // 3 entries for 2 x 2
}

}  // namespace
