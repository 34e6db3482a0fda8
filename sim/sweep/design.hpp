#pragma once
// Experimental designs: the parameter points of a sweep, each with its unit
// hypercube coordinates and its place in the design's layout, so that the
// analysis can compute sensitivity indices from the index alone.
//
// Layout per point (stored in the index as /points/{block,sample,factor,step,delta}):
//   grid, list, lhs   block "grid"/"list"/"lhs", sample = point ordinal
//   sobol (Saltelli)  block "A", "B" or "AB": row `sample` (0..N-1) of matrix
//                     A, B, or AB_i (A with column i from B), factor = i for AB
//   morris            block "morris", sample = trajectory, step = 0..d within
//                     it, factor = the factor changed on reaching this point
//                     (-1 at step 0), delta = its signed change in unit scale
// Random numbers come from the design seed alone: Latin hypercube
// permutations and jitter and Morris trajectories from sim::rng streams; the
// Saltelli matrices from a Sobol sequence (boost::random::sobol, Joe-Kuo
// direction numbers) in 2d dimensions with a random digital shift.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/sweep/spec.hpp"

namespace sim::sweep {

struct DesignPoints {
  std::size_t dims = 0;
  std::size_t points = 0;
  std::vector<double> unit;  // points x dims, row-major
  std::vector<std::string> block;
  std::vector<std::int64_t> sample;
  std::vector<std::int64_t> factor;
  std::vector<std::int64_t> step;
  std::vector<double> delta;
  std::vector<scenario::Value> values;  // points x dims, row-major

  double u(std::size_t point, std::size_t dim) const { return unit[point * dims + dim]; }
  const scenario::Value& value(std::size_t point, std::size_t dim) const { return values[point * dims + dim]; }
};

// The number of points the design of a checked sweep specification has,
// from its settings alone (nothing is generated): grid, the product of the
// parameters' values or levels; list, the values of one parameter; lhs, the
// samples; sobol, N x (parameters + 2); morris, trajectories x (parameters +
// 1). Saturates at UINT64_MAX.
std::uint64_t design_points(const SweepSpec& spec);

// The points of a checked sweep specification. Throws Error(invalid_input)
// naming the parameter when a value cannot be produced (e.g. a quantile of an
// untruncated normal at 0 or 1).
DesignPoints make_design(const SweepSpec& spec);

}  // namespace sim::sweep
