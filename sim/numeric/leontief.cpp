#include "sim/numeric/leontief.hpp"

#include <Eigen/Dense>

#include <cmath>
#include <sstream>

#include "sim/core/error.hpp"

namespace sim::numeric {

std::vector<double> leontief_inverse(std::span<const double> a, std::size_t n) {
  if (a.size() != n * n) {
    std::ostringstream msg;
    msg << "leontief_inverse: " << a.size() << " coefficients for a " << n << " x " << n << " matrix";
    throw Error(Status::failure, msg.str());
  }
  for (std::size_t j = 0; j < n; ++j) {
    double column_sum = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const double e = a[i * n + j];
      if (!std::isfinite(e) || e < 0) {
        std::ostringstream msg;
        msg << "leontief_inverse: coefficient (" << i << ", " << j << ") of column " << j << " is " << e
            << "; coefficients must be finite and non-negative";
        throw Error(Status::invalid_input, msg.str());
      }
      column_sum += e;
    }
    if (!(column_sum < 1)) {
      std::ostringstream msg;
      msg << "leontief_inverse: column " << j << " (counting from 0) sums to " << column_sum
          << ", not below 1: the economy is not productive (that account has no leakage to imports, "
             "savings or taxes), so (I - A)^-1 is no multiplier";
      throw Error(Status::invalid_input, msg.str());
    }
  }
  if (n == 0) return {};

  using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  const auto en = static_cast<Eigen::Index>(n);
  const Eigen::Map<const RowMajor> am(a.data(), en, en);
  const RowMajor i_minus_a = RowMajor::Identity(en, en) - am;
  // Column sums below 1 make I - A strictly diagonally dominant by columns,
  // hence invertible and well conditioned for partial pivoting.
  const Eigen::PartialPivLU<RowMajor> lu(i_minus_a);
  std::vector<double> out(n * n);
  Eigen::Map<RowMajor>(out.data(), en, en) = lu.solve(RowMajor::Identity(en, en));
  return out;
}

std::vector<double> multiplied(std::span<const double> inverse, std::size_t n,
                               std::span<const double> injection) {
  if (inverse.size() != n * n || injection.size() != n) {
    std::ostringstream msg;
    msg << "multiplied: a matrix of " << inverse.size() << " entries and an injection of " << injection.size()
        << " for " << n << " accounts";
    throw Error(Status::failure, msg.str());
  }
  std::vector<double> out(n, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    double s = 0;
    for (std::size_t j = 0; j < n; ++j) s += inverse[i * n + j] * injection[j];
    out[i] = s;
  }
  return out;
}

}  // namespace sim::numeric
