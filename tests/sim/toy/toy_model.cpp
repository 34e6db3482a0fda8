#include "sim/toy/toy_model.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "sim/core/memory_limit.hpp"
#include "sim/core/parallel.hpp"
#include "sim/model/instance.hpp"
#include "sim/rng/distributions.hpp"
#include "sim/rng/stream.hpp"

std::span<const sim::scenario::EmbeddedFile> toy_embedded_files();

namespace toy {

namespace {

#define TOY_REGION_FIXED(X) \
  X(std::string, name, "", "Region name") \
  X(std::uint8_t, zone, "code", "Climate zone, 0 or 1")
#define TOY_REGION_STATE(X) X(double, tax, "coins/year", "Tax levied this year")
#define TOY_WALKER_STATE(X)                                        \
  X(double, wealth, "coins", "Wealth")                             \
  X(std::uint8_t, flags, "bits", "1: has moved at least once")     \
  X(std::uint16_t, months, "months", "Months walked")

struct Regions {
  TOY_REGION_FIXED(SIM_COLUMN_VECTOR)
  TOY_REGION_STATE(SIM_COLUMN_VECTOR)
  void bind(sim::AgentTable& table) {
    TOY_REGION_FIXED(SIM_COLUMN_BIND_FIXED)
    TOY_REGION_STATE(SIM_COLUMN_BIND)
  }
};

struct Walkers {
  TOY_WALKER_STATE(SIM_COLUMN_VECTOR)
  void bind(sim::AgentTable& table) { TOY_WALKER_STATE(SIM_COLUMN_BIND) }
};

enum Event : std::uint16_t { kBankrupt, kMoved };

class Toy final : public sim::ModelInstance {
 public:
  Toy(const sim::scenario::Scenario& sc, const sim::RunIdentity& id) : id_(id) {
    regions_.bind(region_table_);
    walkers_.bind(walker_table_);
    const auto nr = static_cast<std::size_t>(sc.integer("toy.regions"));
    const auto per = static_cast<std::uint32_t>(sc.integer("toy.walkers"));
    drift_ = sc.real("toy.drift");
    volatility_ = sc.real("toy.volatility");
    tax_rate_ = sc.real("toy.tax_rate");
    move_chance_ = sc.real("toy.move_chance");
    taxed_ = sc.boolean("toy.taxed");
    std::vector<std::string> names;
    if (const std::string& file = sc.string("toy.region_names"); !file.empty()) {
      std::istringstream lines(sim::scenario::read_text(file, toy_embedded_files()));
      for (std::string line; std::getline(lines, line);)
        if (!line.empty()) names.push_back(line);
    }
    // Region r holds per + r walkers: groups of different sizes.
    std::vector<std::uint32_t> sizes(nr);
    for (std::size_t r = 0; r < nr; ++r) sizes[r] = per + static_cast<std::uint32_t>(r);
    hierarchy_ = sim::Hierarchy({"region", "walker"}, {sizes});
    region_table_.resize(nr);
    walker_table_.resize(hierarchy_.count(1));
    for (std::size_t r = 0; r < nr; ++r) {
      regions_.name[r] = r < names.size() ? names[r] : "R" + std::to_string(r);
      regions_.zone[r] = static_cast<std::uint8_t>(r % 2);
    }
    for (std::size_t i = 0; i < walkers_.wealth.size(); ++i) walkers_.wealth[i] = 50.0 + static_cast<double>(i % 7);
    income_.assign(nr, 0.0);
    bankrupt_.assign(nr, 0.0);
    moved_.assign(nr, 0.0);
    events_.assign(nr, {});
    schedule_
        .each("tax", nr, [this](std::size_t r, const sim::StepInfo&) { levy(r); }, sim::at_year_start)
        .each("walk", nr, [this](std::size_t r, const sim::StepInfo& s) { walk(r, s); });
  }

  const sim::Hierarchy& hierarchy() const override { return hierarchy_; }
  std::vector<const sim::AgentTable*> tables() const override { return {&region_table_, &walker_table_}; }
  sim::Schedule& schedule() override { return schedule_; }
  void start(const sim::OutputLayout& layout) override {
    income_column_ = layout.column(1, "income");
    bankrupt_column_ = layout.column(1, "bankruptcies");
    moved_column_ = layout.column(1, "movers");
    tax_column_ = layout.column(1, "tax");
    wealth_index_column_ = layout.column(1, "wealth_index");
    top_column_ = layout.column(0, "top_wealth");
  }
  void record(sim::StepRecord& out) override {
    sim::LevelFrame& region = out.levels[1];
    double top = 0;
    for (std::size_t r = 0; r < region.groups; ++r) {
      region.at(income_column_, r) = income_[r];
      region.at(bankrupt_column_, r) = bankrupt_[r];
      region.at(moved_column_, r) = moved_[r];
      region.at(tax_column_, r) = regions_.tax[r] / 12;
      region.at(wealth_index_column_, r) = 1.0 + 0.01 * static_cast<double>(r);
      out.events.insert(out.events.end(), events_[r].begin(), events_[r].end());
    }
    for (double w : walkers_.wealth) top = std::max(top, w);
    out.levels[0].at(top_column_, 0) = top;
  }

 private:
  void levy(std::size_t r) {
    const sim::Range rows = hierarchy_.children(0, r);
    double wealth = 0;
    for (std::size_t i = rows.begin; i < rows.end; ++i) wealth += walkers_.wealth[i];
    regions_.tax[r] = taxed_ ? tax_rate_ * wealth : 0.0;
  }

  void walk(std::size_t r, const sim::StepInfo& s) {
    const sim::Range rows = hierarchy_.children(0, r);
    income_[r] = bankrupt_[r] = moved_[r] = 0;
    events_[r].clear();
    for (std::size_t i = rows.begin; i < rows.end; ++i) {
      sim::rng::Stream st({id_.seed, id_.replicate, static_cast<std::uint32_t>(i), static_cast<std::uint16_t>(s.step), 1});
      const double step = drift_ + volatility_ * sim::rng::normal(st);
      walkers_.wealth[i] += step;
      income_[r] += step;
      ++walkers_.months[i];
      if (walkers_.wealth[i] < 0) {
        walkers_.wealth[i] = 0;
        bankrupt_[r] += 1;
        events_[r].push_back({static_cast<std::uint32_t>(i), kBankrupt});
      }
      if (sim::rng::bernoulli(st, move_chance_)) {
        walkers_.flags[i] |= 1;
        events_[r].push_back({static_cast<std::uint32_t>(i), kMoved});
      }
      moved_[r] += walkers_.flags[i] & 1;  // the hand-tuned reduction: count of walkers who moved
    }
  }

  sim::RunIdentity id_;
  double drift_ = 0, volatility_ = 0, tax_rate_ = 0, move_chance_ = 0;
  bool taxed_ = true;
  Regions regions_;
  Walkers walkers_;
  sim::AgentTable region_table_{"region"}, walker_table_{"walker"};
  sim::Hierarchy hierarchy_;
  sim::Schedule schedule_;
  std::vector<double> income_, bankrupt_, moved_;
  std::vector<std::vector<sim::Event>> events_;
  std::size_t income_column_ = 0, bankrupt_column_ = 0, moved_column_ = 0, tax_column_ = 0, wealth_index_column_ = 0,
              top_column_ = 0;
};

void declare_schema(sim::scenario::Schema& s) {
  s.integer("toy.regions", 4, 1, 1000, "regions", "Regions.")
      .integer("toy.walkers", 30, 1, 1e6, "walkers", "Walkers in the first region; region r holds this plus r.")
      .real("toy.drift", 0.5, -100, 100, "coins/month", "Mean monthly change of wealth.")
      .real("toy.volatility", 10, 0, 1000, "coins/month", "Standard deviation of the monthly change.")
      .real("toy.tax_rate", 0.1, 0, 1, "1/year", "Share of wealth taxed each January.")
      .real("toy.move_chance", 0.01, 0, 1, "1/month", "Monthly chance a walker moves.")
      .boolean("toy.taxed", true, "Whether regions levy the tax.")
      .file("toy.region_names", "", "Text file with one region name per line (empty: R0, R1, ...).")
      .real("toy.claimed_memory_share", 0, 0, 10, "1",
            "Share of the memory this process may use that the model claims one run needs (0: claims nothing); "
            "for the tests of runs sharing a process's memory.");
}

}  // namespace

sim::ModelDescription description_with(std::vector<sim::IndicatorDecl> extra) {
  sim::ModelDescription d;
  d.name = "toy";
  d.version = "1.0";
  d.description = "Walkers in regions, for the engine's tests";
  d.calendar = {42, 2000, 1, 24, "two years"};
  d.tables = {{"region", "regions", "Regions", sim::columns_of<Regions>(), {}},
              {"walker", "walkers", "Walkers", sim::columns_of<Walkers>(),
               {{"rich", "wealth > 60", "Wealth above 60"}, {"moved", "flags & 1", "Has moved"}}}};
  d.hierarchy = {"region", "walker"};
  d.levels = {{"all", "", "all regions", false}, {"region", "region", "", false}};
  using sim::Yearly;
  d.indicators = {
      {.name = "walkers", .unit = "walkers", .yearly = Yearly::last, .description = "Walkers",
       .reduce = {"walker", "count"}, .label = "Walkers", .topic = "people", .format = "int"},
      {.name = "wealth", .unit = "coins", .yearly = Yearly::last, .description = "Wealth of all walkers",
       .reduce = {"walker", "sum", "wealth"}, .label = "Wealth", .topic = "money", .format = "num", .key = true,
       .summary = true},
      {.name = "rich", .unit = "walkers", .yearly = Yearly::last, .description = "Walkers with wealth above 60",
       .reduce = {"walker", "count", "", "rich"}},
      {.name = "movers", .unit = "walkers", .yearly = Yearly::last, .description = "Walkers who have moved",
       .reduce = {"walker", "count", "", "moved"}, .hand_tuned = true},
      {.name = "income", .unit = "coins/month", .yearly = Yearly::sum, .description = "Change of wealth this month",
       .set_at = "region", .rule = "walk", .label = "Income", .topic = "money", .format = "num", .summary = true},
      {.name = "bankruptcies", .unit = "walkers", .yearly = Yearly::sum, .description = "Walkers who went broke",
       .set_at = "region", .rule = "walk", .summary = true},
      {.name = "tax", .unit = "coins/month", .yearly = Yearly::sum, .description = "Tax (this year's / 12)",
       .set_at = "region", .rule = "tax"},
      {.name = "wealth_index", .unit = "1", .yearly = Yearly::mean, .description = "A region index, walker-weighted above",
       .set_at = "region", .rule = "record", .combine = sim::Combine::weighted_mean, .weight = "walkers"},
      {.name = "top_wealth", .unit = "coins", .yearly = Yearly::last, .description = "Largest wealth at the year's end",
       .set_at = "all", .rule = "record", .combine = sim::Combine::none, .year_end_only = true},
      {.name = "mean_wealth", .unit = "coins", .yearly = Yearly::derived, .description = "Wealth per walker",
       .formula = "last(wealth) / last(walkers)", .label = "Mean wealth", .topic = "money", .format = "num",
       .summary = true},
      {.name = "income_per_walker", .unit = "coins/year", .yearly = Yearly::derived,
       .description = "Income per walker, a year's worth", .formula = "12 * (sum(income) / sum(walkers))"},
      {.name = "wealth_growth", .unit = "1/year", .yearly = Yearly::derived, .description = "Growth of mean wealth",
       .formula = "growth(mean_wealth)", .recorded = false, .format = "pct", .summary = true},
      {.name = "wealth_gini", .unit = "1", .yearly = Yearly::derived, .description = "Gini of regions' mean wealth",
       .formula = "members_gini(last(wealth) / last(walkers), last(walkers))", .recorded = false}};
  for (auto& e : extra) d.indicators.push_back(std::move(e));
  d.event_table = "walker";
  d.events = {{"bankrupt", "Wealth fell below zero"}, {"moved", "Moved house"}};
  d.panel_table = "walker";
  d.declare_schema = declare_schema;
  d.embedded = toy_embedded_files();
  d.default_scenario = "builtin:scenarios/toy.yaml";
  d.create = [](const sim::scenario::Scenario& sc, const sim::RunIdentity& id) {
    return std::unique_ptr<sim::ModelInstance>(std::make_unique<Toy>(sc, id));
  };
  d.peak_memory = [](const sim::scenario::Scenario& sc) {
    return sc.real("toy.claimed_memory_share") * sim::memory_limit().usable();
  };
  d.validate();
  return d;
}

const sim::ModelDescription& description() {
  static const sim::ModelDescription d = description_with({});
  return d;
}

}  // namespace toy
