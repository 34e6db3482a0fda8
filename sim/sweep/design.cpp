#include "sim/sweep/design.hpp"

#include <boost/random/sobol.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

#include "sim/core/math.hpp"
#include "sim/rng/distributions.hpp"
#include "sim/rng/stream.hpp"
#include "sim/scenario/format.hpp"

namespace sim::sweep {

namespace {

// Stream purposes of the design's random numbers (keyed by the design seed).
constexpr std::uint16_t kLhsPermutation = 0x4c50;
constexpr std::uint16_t kLhsJitter = 0x4c4a;
constexpr std::uint16_t kSobolShift = 0x5348;
constexpr std::uint16_t kMorris = 0x4d52;

[[noreturn]] void parameter_error(const Parameter& p, const std::string& message) {
  throw Error(Status::invalid_input, p.at.text() + ": parameter " + p.key + ": " + message);
}

std::int64_t integer_bound(double v, bool lower) {
  return static_cast<std::int64_t>(lower ? std::ceil(v) : std::floor(v));
}

scenario::Value as_key_value(const Parameter& p, double x) {
  if (p.type != scenario::Type::integer) return x;
  const auto lo = integer_bound(p.min, true);
  const auto hi = integer_bound(p.max, false);
  auto v = static_cast<std::int64_t>(std::llround(x));
  if (std::isfinite(p.min)) v = std::max(v, lo);
  if (std::isfinite(p.max)) v = std::min(v, hi);
  return v;
}

// Fisher-Yates shuffle of 0..n-1 from one stream.
std::vector<std::size_t> permutation(std::size_t n, rng::Stream& s) {
  std::vector<std::size_t> perm(n);
  for (std::size_t i = 0; i < n; ++i) perm[i] = i;
  for (std::size_t i = n; i > 1; --i) {
    const auto j = static_cast<std::size_t>(s.uniform() * static_cast<double>(i));
    std::swap(perm[i - 1], perm[std::min(j, i - 1)]);
  }
  return perm;
}

void add_point(DesignPoints& d, const std::vector<double>& unit, const std::string& block, std::int64_t sample,
               std::int64_t factor = -1, std::int64_t step = 0, double delta = 0.0) {
  d.unit.insert(d.unit.end(), unit.begin(), unit.end());
  d.block.push_back(block);
  d.sample.push_back(sample);
  d.factor.push_back(factor);
  d.step.push_back(step);
  d.delta.push_back(delta);
  ++d.points;
}

}  // namespace

scenario::Value Parameter::at_unit(double u) const {
  if (!ranged) {
    const std::size_t n = values.size();
    const auto k = static_cast<std::size_t>(std::max(0.0, std::floor(u * static_cast<double>(n))));
    return values[std::min(k, n - 1)];
  }
  if (type == scenario::Type::integer && distribution == Distribution::uniform) {
    // Each integer of the range gets an equal share of the unit interval.
    const auto lo = integer_bound(min, true);
    const auto hi = integer_bound(max, false);
    const auto v = lo + static_cast<std::int64_t>(std::floor(u * static_cast<double>(hi - lo + 1)));
    return std::clamp(v, lo, hi);
  }
  double x = 0;
  switch (distribution) {
    case Distribution::uniform: x = u >= 1.0 ? max : min + u * (max - min); break;
    case Distribution::loguniform:
      x = u >= 1.0 ? max : u <= 0.0 ? min : math::exp(math::log(min) + u * (math::log(max) - math::log(min)));
      break;
    case Distribution::normal: {
      if (std::isfinite(min) && std::isfinite(max)) {
        const double pa = math::normal_cdf((min - mean) / sd);
        const double pb = math::normal_cdf((max - mean) / sd);
        const double q = pa + u * (pb - pa);
        x = q <= 0.0 ? min : q >= 1.0 ? max : std::clamp(mean + sd * rng::normal_quantile(q), min, max);
      } else {
        if (!(u > 0.0 && u < 1.0))
          parameter_error(*this, "the design reaches the end of an untruncated normal distribution; give min and max");
        x = mean + sd * rng::normal_quantile(u);
      }
      break;
    }
  }
  return as_key_value(*this, x);
}

scenario::Value Parameter::at_level(std::size_t k, std::size_t n) const {
  if (!ranged) return values[k];
  const double f = n <= 1 ? 0.5 : static_cast<double>(k) / static_cast<double>(n - 1);
  double x = 0;
  if (distribution == Distribution::loguniform)
    x = k + 1 == n ? max : math::exp(math::log(min) + f * (math::log(max) - math::log(min)));
  else
    x = k + 1 == n ? max : min + f * (max - min);
  return as_key_value(*this, x);
}

namespace {

// a * b, saturating at UINT64_MAX.
std::uint64_t times(std::uint64_t a, std::uint64_t b) {
  if (a != 0 && b > std::numeric_limits<std::uint64_t>::max() / a) return std::numeric_limits<std::uint64_t>::max();
  return a * b;
}

std::uint64_t count_of(std::int64_t n) { return n > 0 ? static_cast<std::uint64_t>(n) : 0; }

}  // namespace

std::uint64_t design_points(const SweepSpec& spec) {
  const auto& ps = spec.parameters;
  const Design& design = spec.design;
  switch (design.type) {
    case DesignType::grid: {
      std::uint64_t n = 1;
      for (const auto& p : ps) n = times(n, p.ranged ? count_of(design.levels) : p.values.size());
      return n;
    }
    case DesignType::list: return ps.empty() ? 0 : ps.front().values.size();
    case DesignType::lhs: return count_of(design.samples);
    case DesignType::sobol: return times(count_of(design.samples), ps.size() + 2);
    case DesignType::morris: return times(count_of(design.trajectories), ps.size() + 1);
  }
  return 0;
}

DesignPoints make_design(const SweepSpec& spec) {
  const auto& ps = spec.parameters;
  const Design& design = spec.design;
  DesignPoints d;
  d.dims = ps.size();
  const std::size_t dims = d.dims;
  std::vector<double> unit(dims);
  // Every column at its final size at once: growing by doubling would hold
  // up to three times a large design's bytes while it copies.
  // (Plan refuses designs too large to hold before making them.)
  const std::uint64_t expected = std::min<std::uint64_t>(design_points(spec), std::uint64_t{1} << 32);
  d.unit.reserve(expected * dims);
  d.values.reserve(expected * dims);
  d.block.reserve(expected);
  d.sample.reserve(expected);
  d.factor.reserve(expected);
  d.step.reserve(expected);
  d.delta.reserve(expected);

  switch (design.type) {
    case DesignType::grid: {
      std::vector<std::size_t> n(dims);
      std::size_t total = 1;
      for (std::size_t j = 0; j < dims; ++j) {
        n[j] = ps[j].ranged ? static_cast<std::size_t>(design.levels) : ps[j].values.size();
        total *= n[j];
      }
      // The first parameter varies slowest (as nested loops written in order).
      std::vector<std::size_t> k(dims, 0);
      for (std::size_t i = 0; i < total; ++i) {
        std::size_t rest = i;
        for (std::size_t j = dims; j-- > 0;) {
          k[j] = rest % n[j];
          rest /= n[j];
        }
        for (std::size_t j = 0; j < dims; ++j) {
          unit[j] = n[j] <= 1 ? 0.5 : static_cast<double>(k[j]) / static_cast<double>(n[j] - 1);
          d.values.push_back(ps[j].at_level(k[j], n[j]));
        }
        add_point(d, unit, "grid", static_cast<std::int64_t>(i));
      }
      return d;
    }
    case DesignType::list: {
      const std::size_t n = ps.front().values.size();
      for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t j = 0; j < dims; ++j) {
          unit[j] = n <= 1 ? 0.5 : static_cast<double>(i) / static_cast<double>(n - 1);
          d.values.push_back(ps[j].values[i]);
        }
        add_point(d, unit, "list", static_cast<std::int64_t>(i));
      }
      return d;
    }
    case DesignType::lhs: {
      const auto n = static_cast<std::size_t>(design.samples);
      std::vector<std::vector<std::size_t>> perm(dims);
      for (std::size_t j = 0; j < dims; ++j) {
        rng::Stream s({design.seed, 0, static_cast<std::uint32_t>(j), 0, kLhsPermutation});
        perm[j] = permutation(n, s);
      }
      for (std::size_t i = 0; i < n; ++i) {
        rng::Stream jitter({design.seed, 0, static_cast<std::uint32_t>(i), 0, kLhsJitter});
        for (std::size_t j = 0; j < dims; ++j) {
          unit[j] = (static_cast<double>(perm[j][i]) + jitter.uniform()) / static_cast<double>(n);
          d.values.push_back(ps[j].at_unit(unit[j]));
        }
        add_point(d, unit, "lhs", static_cast<std::int64_t>(i));
      }
      return d;
    }
    case DesignType::sobol: {
      // Saltelli (2002, 2010): A and B are the two halves of a 2d-dimensional
      // low-discrepancy sequence; AB_i is A with column i taken from B.
      const auto n = static_cast<std::size_t>(design.samples);
      std::vector<std::uint64_t> shift(2 * dims);
      for (std::size_t k = 0; k < shift.size(); ++k) {
        rng::Stream s({design.seed, 0, static_cast<std::uint32_t>(k), 0, kSobolShift});
        shift[k] = s.next_u64();
      }
      boost::random::sobol gen(2 * dims);  // starts after the all-zero point
      std::vector<double> a(n * dims), b(n * dims);
      for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t k = 0; k < 2 * dims; ++k) {
          const std::uint64_t x = static_cast<std::uint64_t>(gen()) ^ shift[k];
          const double u = (static_cast<double>(x >> 11) + 0.5) * 0x1.0p-53;
          (k < dims ? a[i * dims + k] : b[i * dims + k - dims]) = u;
        }
      }
      const auto emit = [&](const std::vector<double>& m, std::size_t i, const char* block, std::int64_t factor) {
        for (std::size_t j = 0; j < dims; ++j) {
          unit[j] = m[i * dims + j];
          if (factor >= 0 && static_cast<std::size_t>(factor) == j) unit[j] = b[i * dims + j];
          d.values.push_back(ps[j].at_unit(unit[j]));
        }
        add_point(d, unit, block, static_cast<std::int64_t>(i), factor);
      };
      for (std::size_t i = 0; i < n; ++i) emit(a, i, "A", -1);
      for (std::size_t i = 0; i < n; ++i) emit(b, i, "B", -1);
      for (std::size_t f = 0; f < dims; ++f)
        for (std::size_t i = 0; i < n; ++i) emit(a, i, "AB", static_cast<std::int64_t>(f));
      return d;
    }
    case DesignType::morris: {
      // Morris (1991) one-at-a-time trajectories on a p-level grid with
      // step delta = p / (2 (p - 1)), random base point, directions and order.
      const auto p = static_cast<std::size_t>(design.levels);
      const double step = static_cast<double>(p) / (2.0 * static_cast<double>(p - 1));
      for (std::int64_t r = 0; r < design.trajectories; ++r) {
        rng::Stream s({design.seed, static_cast<std::uint32_t>(r), 0, 0, kMorris});
        std::vector<double> start(dims);
        std::vector<double> direction(dims);
        for (std::size_t j = 0; j < dims; ++j) {
          const auto base = std::min(static_cast<std::size_t>(s.uniform() * static_cast<double>(p / 2)), p / 2 - 1);
          const double x = static_cast<double>(base) / static_cast<double>(p - 1);
          direction[j] = s.uniform() < 0.5 ? 1.0 : -1.0;
          start[j] = direction[j] > 0 ? x : x + step;
        }
        const std::vector<std::size_t> order = permutation(dims, s);
        unit = start;
        for (std::size_t k = 0; k <= dims; ++k) {
          std::int64_t factor = -1;
          double delta = 0.0;
          if (k > 0) {
            const std::size_t f = order[k - 1];
            delta = direction[f] * step;
            // Levels are exact multiples of 1/(p-1): snap away rounding.
            unit[f] = std::round((start[f] + delta) * static_cast<double>(p - 1)) / static_cast<double>(p - 1);
            factor = static_cast<std::int64_t>(f);
          }
          for (std::size_t j = 0; j < dims; ++j) d.values.push_back(ps[j].at_unit(unit[j]));
          add_point(d, unit, "morris", r, factor, static_cast<std::int64_t>(k), delta);
        }
      }
      return d;
    }
  }
  return d;
}

}  // namespace sim::sweep
