#include "sim/model/yearly.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "sim/core/math.hpp"

namespace sim {

namespace {
constexpr std::size_t kNone = static_cast<std::size_t>(-1);
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double ratio(double a, double b) { return b > 0 ? a / b : kNaN; }

// Gini of values x with weights w (finite, w > 0), as the model and the
// analysis package compute it.
double weighted_gini(std::vector<std::pair<double, double>> xw) {
  std::erase_if(xw, [](const auto& p) { return !std::isfinite(p.first) || !std::isfinite(p.second) || p.second <= 0; });
  std::stable_sort(xw.begin(), xw.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  double weight = 0, total = 0;
  for (const auto& [x, w] : xw) {
    weight += w;
    total += x * w;
  }
  if (weight <= 0 || total <= 0) return kNaN;
  double cumulative = 0, area = 0;
  for (const auto& [x, w] : xw) {
    area += w * (2.0 * cumulative + x * w);
    cumulative += x * w;
  }
  return 1.0 - area / (weight * total);
}
}  // namespace

LevelSeries::LevelSeries(const LevelSpec& spec) : groups_(spec.groups) {
  for (const auto& i : spec.indicators) names_.push_back(i.name);
  values_.resize(names_.size());
}

void LevelSeries::append(const StepInfo& step, const LevelFrame& frame) {
  years_.push_back(step.year);
  months_.push_back(step.month);
  for (std::size_t c = 0; c < values_.size(); ++c) {
    const auto first = frame.values.begin() + static_cast<std::ptrdiff_t>(c * groups_);
    values_[c].insert(values_[c].end(), first, first + static_cast<std::ptrdiff_t>(groups_));
  }
}

void LevelSeries::set_column(const std::string& name, std::vector<double> values) {
  const std::size_t at = find(name);
  if (at == kNone) {
    names_.push_back(name);
    values_.push_back(std::move(values));
  } else {
    values_[at] = std::move(values);
  }
}

void LevelSeries::set_calendar(std::vector<int> years, std::vector<int> months) {
  years_ = std::move(years);
  months_ = std::move(months);
  groups_ = years_.empty() || values_.empty() ? groups_ : values_.front().size() / years_.size();
}

std::size_t LevelSeries::find(const std::string& name) const {
  for (std::size_t c = 0; c < names_.size(); ++c)
    if (names_[c] == name) return c;
  return kNone;
}

std::vector<Window> LevelSeries::years() const {
  std::vector<Window> out;
  for (std::size_t s = 0; s < years_.size(); ++s) {
    if (out.empty() || out.back().year != years_[s]) out.push_back({s, s, years_[s], false});
    out.back().end = s + 1;
  }
  for (Window& w : out) {
    w.full = w.end - w.begin == 12;
    for (std::size_t s = w.begin; w.full && s < w.end; ++s) w.full = months_[s] == static_cast<int>(s - w.begin) + 1;
  }
  return out;
}

Window LevelSeries::whole() const { return {0, steps(), 0, false}; }

YearlyAggregator::YearlyAggregator(const ModelDescription& model, const LevelSeries& series, const LevelSeries* members)
    : model_(model), series_(series), members_(members) {}

double YearlyAggregator::value(const std::string& indicator, std::size_t group, const Window& w) const {
  return indicator_value(model_.indicator(indicator), series_, group, w);
}

std::vector<double> YearlyAggregator::by_year(const std::string& indicator, std::size_t group) const {
  std::vector<double> out;
  for (const Window& w : series_.years()) out.push_back(value(indicator, group, w));
  out.push_back(value(indicator, group, series_.whole()));
  return out;
}

double YearlyAggregator::indicator_value(const IndicatorDecl& ind, const LevelSeries& s, std::size_t group,
                                         const Window& w) const {
  if (w.end <= w.begin) return kNaN;
  const std::size_t col = s.find(ind.name);
  if (!ind.derived() && col != kNone) {
    if (ind.yearly == Yearly::last) return s.at(col, w.end - 1, group);
    double total = 0;
    for (std::size_t t = w.begin; t < w.end; ++t) total += s.at(col, t, group);
    return ind.yearly == Yearly::mean ? total / static_cast<double>(w.end - w.begin) : total;
  }
  if (ind.formula.empty()) return kNaN;
  return evaluate(expr::parse(ind.formula), s, group, w);
}

double YearlyAggregator::evaluate(const expr::Node& n, const LevelSeries& s, std::size_t group, const Window& w) const {
  return expr::evaluate(n, [&](const expr::Node& leaf) -> double {
    const std::string& name = leaf.args.at(0).name;
    if (leaf.name == "sum" || leaf.name == "last") {
      const std::size_t col = s.find(name);
      if (col == kNone || w.end <= w.begin) return kNaN;
      if (leaf.name == "last") return s.at(col, w.end - 1, group);
      double total = 0;
      for (std::size_t t = w.begin; t < w.end; ++t) total += s.at(col, t, group);
      return total;
    }
    if (leaf.name == "growth") {
      const IndicatorDecl& base = model_.indicator(name);
      const std::vector<Window> years = s.years();
      if (w.year == 0) {  // the whole run: annualised from the first to the last full year
        std::vector<Window> full;
        for (const Window& y : years)
          if (y.full) full.push_back(y);
        if (full.size() < 2) return kNaN;
        const double change = ratio(indicator_value(base, s, group, full.back()), indicator_value(base, s, group, full.front()));
        if (!(change > 0)) return kNaN;
        return math::exp(math::log(change) / static_cast<double>(full.size() - 1)) - 1.0;
      }
      for (const Window& y : years)
        if (y.year == w.year - 1)
          return ratio(indicator_value(base, s, group, w), indicator_value(base, s, group, y)) - 1.0;
      return kNaN;
    }
    return members(leaf, w);
  });
}

double YearlyAggregator::members(const expr::Node& call, const Window& w) const {
  if (!members_) return kNaN;
  std::vector<std::pair<double, double>> xw;
  for (std::size_t m = 0; m < members_->groups(); ++m)
    xw.emplace_back(evaluate(call.args[0], *members_, m, w), evaluate(call.args[1], *members_, m, w));
  if (call.name == "members_gini") return weighted_gini(std::move(xw));
  double num = 0, den = 0;
  for (const auto& [x, wt] : xw)
    if (std::isfinite(x) && std::isfinite(wt) && wt > 0) {
      num += x * wt;
      den += wt;
    }
  return ratio(num, den);
}

}  // namespace sim
