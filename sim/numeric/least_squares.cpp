#include "sim/numeric/least_squares.hpp"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <sstream>
#include <utility>

#include "sim/core/error.hpp"

namespace sim::numeric {

namespace {

// Beyond this damping the step is a vanishing gradient step: give up.
constexpr double max_damping = 1e20;

bool all_finite(const std::vector<double>& v) {
  return std::all_of(v.begin(), v.end(), [](double e) { return std::isfinite(e); });
}

double half_sum_of_squares(const std::vector<double>& r) {
  double s = 0;
  for (double e : r) s += e * e;
  return 0.5 * s;
}

double norm(const std::vector<double>& v) {
  double s = 0;
  for (double e : v) s += e * e;
  return std::sqrt(s);
}

// Calls f, counts the call and checks that the number of residuals never changes.
class Counted {
 public:
  Counted(const Residuals& f, int& evaluations) : f_(f), evaluations_(evaluations) {}

  std::vector<double> operator()(const std::vector<double>& x) {
    std::vector<double> r = f_(std::span<const double>(x));
    ++evaluations_;
    if (size_ == 0) {
      if (r.empty()) throw Error(Status::failure, "levenberg_marquardt: the residual function returned no residuals");
      size_ = r.size();
    } else if (r.size() != size_) {
      std::ostringstream msg;
      msg << "levenberg_marquardt: the residual function returned " << r.size() << " residuals after "
          << size_ << " at the first call; their number must not change";
      throw Error(Status::failure, msg.str());
    }
    return r;
  }

 private:
  const Residuals& f_;
  int& evaluations_;
  std::size_t size_ = 0;
};

// Forward-difference Jacobian at x (residuals r), one column per unknown. A
// column whose forward point gives non-finite residuals is taken backwards.
Eigen::MatrixXd jacobian(Counted& f, const std::vector<double>& x, const std::vector<double>& r,
                         double relative_step) {
  const auto m = static_cast<Eigen::Index>(r.size());
  const auto n = static_cast<Eigen::Index>(x.size());
  Eigen::MatrixXd jac(m, n);
  std::vector<double> xt = x;
  for (std::size_t j = 0; j < x.size(); ++j) {
    const double h = relative_step * std::max(1.0, std::abs(x[j]));
    xt[j] = x[j] + h;
    std::vector<double> rt = f(xt);
    if (!all_finite(rt)) {
      xt[j] = x[j] - h;
      rt = f(xt);
      if (!all_finite(rt)) {
        std::ostringstream msg;
        msg << "levenberg_marquardt: non-finite residuals on both sides of x[" << j << "] = " << x[j]
            << " (difference step " << h << ")";
        throw Error(Status::failure, msg.str());
      }
    }
    const double hj = xt[j] - x[j];  // the step actually taken, after rounding
    xt[j] = x[j];
    for (Eigen::Index i = 0; i < m; ++i)
      jac(i, static_cast<Eigen::Index>(j)) = (rt[static_cast<std::size_t>(i)] - r[static_cast<std::size_t>(i)]) / hj;
  }
  return jac;
}

}  // namespace

LeastSquaresResult levenberg_marquardt(const Residuals& f, std::vector<double> x0,
                                       const LeastSquaresOptions& options) {
  if (x0.empty()) throw Error(Status::failure, "levenberg_marquardt: no unknowns");
  LeastSquaresResult res;
  Counted eval(f, res.evaluations);
  const std::size_t n = x0.size();
  const auto en = static_cast<Eigen::Index>(n);
  const double tol = options.tolerance;

  std::vector<double> x = std::move(x0);
  std::vector<double> r = eval(x);
  if (!all_finite(r)) throw Error(Status::failure, "levenberg_marquardt: non-finite residuals at the starting point");
  double cost = half_sum_of_squares(r);
  double lambda = options.initial_damping;

  auto finish = [&](bool converged, std::string why) {
    res.x = std::move(x);
    res.residuals = std::move(r);
    res.cost = cost;
    res.converged = converged;
    res.stop = std::move(why);
    return std::move(res);
  };
  if (cost == 0) return finish(true, "the residuals are zero at the starting point");
  if (cost <= options.cost_tolerance) return finish(true, "the cost is within the cost tolerance at the starting point");

  Eigen::MatrixXd jtj(en, en);
  Eigen::VectorXd gradient(en);
  bool need_jacobian = true;
  std::vector<double> xt(n);
  while (true) {
    if (need_jacobian) {
      const Eigen::MatrixXd jac = jacobian(eval, x, r, options.difference_step);
      const Eigen::Map<const Eigen::VectorXd> rv(r.data(), static_cast<Eigen::Index>(r.size()));
      jtj = jac.transpose() * jac;
      gradient = jac.transpose() * rv;
      need_jacobian = false;
      if (gradient.lpNorm<Eigen::Infinity>() == 0) return finish(true, "the gradient is zero");
    }
    if (res.iterations >= options.max_iterations) {
      std::ostringstream msg;
      msg << "the iteration limit (" << options.max_iterations << ") was reached";
      return finish(false, msg.str());
    }
    ++res.iterations;

    // Damped normal equations (J^T J + lambda D) delta = -J^T r, with D the
    // diagonal of J^T J (Marquardt's scaling; 1 for an unknown with no effect).
    Eigen::MatrixXd damped = jtj;
    for (Eigen::Index j = 0; j < en; ++j) {
      const double d = jtj(j, j) > 0 ? jtj(j, j) : 1.0;
      damped(j, j) += lambda * d;
    }
    const Eigen::LDLT<Eigen::MatrixXd> ldlt(damped);
    const Eigen::VectorXd delta = ldlt.solve(-gradient);
    if (ldlt.info() != Eigen::Success || !delta.allFinite()) {
      lambda *= 10;
      if (lambda > max_damping) return finish(false, "the damped normal equations could not be solved");
      continue;
    }
    if (delta.norm() <= tol * (norm(x) + tol)) return finish(true, "the relative step is below the tolerance");

    for (std::size_t j = 0; j < n; ++j) xt[j] = x[j] + delta(static_cast<Eigen::Index>(j));
    std::vector<double> rt = eval(xt);
    const double trial_cost = all_finite(rt) ? half_sum_of_squares(rt) : 0;
    if (all_finite(rt) && trial_cost < cost) {
      const double reduction = cost - trial_cost;
      const double previous = cost;
      std::swap(x, xt);
      r = std::move(rt);
      cost = trial_cost;
      lambda /= 3;
      need_jacobian = true;
      if (cost == 0) return finish(true, "the residuals are zero");
      if (cost <= options.cost_tolerance) return finish(true, "the cost is within the cost tolerance");
      if (reduction <= tol * previous) return finish(true, "the relative reduction of the cost is below the tolerance");
    } else {
      lambda *= 4;
      if (lambda > max_damping) return finish(false, "the damping grew too large without reducing the cost");
    }
  }
}

}  // namespace sim::numeric
