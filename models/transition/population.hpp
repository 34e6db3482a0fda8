#pragma once
// The synthetic population of the 160 key counties (docs/ODD.md,
// "Initialisation"): counties from the data file, villages and large
// resettlement sites, households with members, labour, land, poverty history,
// relocation, assets and 2020 incomes, calibrated to the targets of docs/ODD.md.
#include <string>
#include <vector>

#include "models/transition/world.hpp"

namespace transition {

// Step index used for draws made while generating (never a simulated step).
inline constexpr std::uint32_t kGenerationStep = 0xFFFF;

// Builds the whole initial state into `w` (params, id and embedded set).
void generate_population(World& w);

struct CalibrationRow {
  std::string target;
  std::string unit;
  double expected = 0;
  double generated = 0;
  double relative_error() const;
  bool checked = true;  // false for rows shown for information only
};

// Targets of section 2 against the generated population.
std::vector<CalibrationRow> calibration_rows(const World& w);

}  // namespace transition
