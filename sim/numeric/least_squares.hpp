#pragma once
// Levenberg-Marquardt for small nonlinear least-squares problems.
//
// What it is for: calibrating a handful of a model's factors so that the
// model's outputs match targets (shares, rates, totals from a survey or the
// statistics), i.e. minimising 0.5 * sum_i r_i(x)^2 where r_i is the gap
// between the model's i-th output at factors x and its target.
//
// Why Levenberg-Marquardt: such problems have few unknowns but residuals that
// may be costly (each evaluation can be a model run), so a method that uses
// the least-squares structure is worth it. Gauss-Newton steps (from J^T J)
// converge fast near the solution with no second derivatives; the damping
// lambda turns the step towards scaled steepest descent far from it or when
// J^T J is nearly singular, so the method is robust without a line search.
// The Jacobian is recomputed (n evaluations, forward differences) only after
// an accepted step; a rejected step costs one evaluation.
//
// Deterministic: no randomness, a fixed order of operations, so a given build
// returns the same bits on every run.
#include <functional>
#include <span>
#include <string>
#include <vector>

namespace sim::numeric {

struct LeastSquaresOptions {
  int max_iterations = 50;         // trial steps (each solves the damped normal equations once)
  double tolerance = 1e-10;        // stop when the relative reduction of the cost or the step is below this
  double initial_damping = 1e-3;   // lambda, relative to diag(J^T J) (Marquardt scaling)
  double difference_step = 1e-6;   // relative step of the forward-difference Jacobian
  double cost_tolerance = 0;       // stop, converged, once the cost is at most this (a fit good enough for its use)
};

struct LeastSquaresResult {
  std::vector<double> x;           // the solution (the best point found)
  double cost = 0;                 // 0.5 * sum of squared residuals at x
  std::vector<double> residuals;   // at x
  int iterations = 0;              // trial steps taken
  int evaluations = 0;             // calls of the residual function, Jacobian included
  bool converged = false;
  std::string stop;                // why it stopped, in words
};

// The residuals at x; every call must return a vector of the same length.
using Residuals = std::function<std::vector<double>(std::span<const double> x)>;

// Minimises 0.5 * |f(x)|^2 from x0. Throws sim::Error (Status::failure) when
// x0 is empty, f returns no residuals, changes the number it returns, or
// returns non-finite values at x0 (or on both sides of x in a Jacobian
// column). Non-finite residuals at a trial point reject that step.
LeastSquaresResult levenberg_marquardt(const Residuals& f, std::vector<double> x0,
                                       const LeastSquaresOptions& options = {});

}  // namespace sim::numeric
