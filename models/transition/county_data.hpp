#pragma once
// The county table a scenario names (population.county_file): one row per
// county with its province, prefecture and flags; rural_households and
// villages may be left empty for the generator to fill.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "sim/scenario/scenario.hpp"

namespace transition {

struct CountyRecord {
  std::string name, province, prefecture;
  int province_index = 0;
  bool hazard_prone = false, ethnic_area = false, old_revolutionary = false, no_railway = false,
       no_expressway = false;
  double rural_households = -1;  // < 0: not given
  double villages = -1;
};

// Parses the table; errors name the file, line and column heading.
std::vector<CountyRecord> read_counties(const std::string& path, std::span<const sim::scenario::EmbeddedFile> embedded);
std::vector<CountyRecord> parse_counties(const std::string& text, const std::string& origin);

}  // namespace transition
