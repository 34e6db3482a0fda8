#include "sim/core/schedule.hpp"

namespace sim {

Schedule& Schedule::once(std::string name, std::function<void(const StepInfo&)> body,
                         std::function<bool(const StepInfo&)> active) {
  Phase p;
  p.name = std::move(name);
  p.over = Phase::Over::once;
  p.run_once = std::move(body);
  p.active = std::move(active);
  phases_.push_back(std::move(p));
  return *this;
}

Schedule& Schedule::each(std::string name, std::size_t count, std::function<void(std::size_t, const StepInfo&)> body,
                         std::function<bool(const StepInfo&)> active) {
  Phase p;
  p.name = std::move(name);
  p.over = Phase::Over::each_index;
  p.count = count;
  p.run_index = std::move(body);
  p.active = std::move(active);
  phases_.push_back(std::move(p));
  return *this;
}

Schedule& Schedule::blocks(std::string name, std::size_t count, std::function<void(Range, const StepInfo&)> body,
                           std::size_t grain, std::function<bool(const StepInfo&)> active) {
  Phase p;
  p.name = std::move(name);
  p.over = Phase::Over::blocks;
  p.count = count;
  p.grain = grain;
  p.run_block = std::move(body);
  p.active = std::move(active);
  phases_.push_back(std::move(p));
  return *this;
}

void Schedule::run_step(const StepInfo& info) {
  for (Phase& p : phases_) {
    if (p.active && !p.active(info)) continue;
    const auto t0 = std::chrono::steady_clock::now();
    switch (p.over) {
      case Phase::Over::once: p.run_once(info); break;
      case Phase::Over::each_index: for_each_index(p.count, [&](std::size_t i) { p.run_index(i, info); }); break;
      case Phase::Over::blocks: for_blocks(p.count, p.grain, [&](Range r) { p.run_block(r, info); }); break;
    }
    p.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }
}

}  // namespace sim
