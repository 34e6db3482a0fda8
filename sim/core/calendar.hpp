#pragma once
// Monthly time: step 0 is the first month of the start year.
#include <cstdint>

namespace sim {

struct StepInfo {
  std::uint32_t step = 0;   // 0-based
  std::uint32_t steps = 0;  // total steps in the run
  int year = 0;
  int month = 1;            // 1..12
  bool year_start() const { return month == 1; }
  bool year_end() const { return month == 12 || step + 1 == steps; }
};

inline StepInfo step_info(std::uint32_t step, std::uint32_t steps, int start_year, int start_month = 1) {
  const int m0 = (start_month - 1) + static_cast<int>(step);
  return StepInfo{step, steps, start_year + m0 / 12, m0 % 12 + 1};
}

}  // namespace sim
