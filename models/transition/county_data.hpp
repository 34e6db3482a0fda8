#pragma once
// The county table a scenario names (population.county_file): one row per
// county with its province, prefecture and flags, and where the data give
// them its size and composition (docs/data.md explains every column and its
// sources). Columns the model does not need (the basis of each figure,
// sources) are documentation and are passed over.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "sim/scenario/scenario.hpp"

namespace transition {

struct CountyRecord {
  std::string name, province, prefecture;
  std::string name_zh, prefecture_zh, code;  // empty when not given
  int province_index = 0;
  bool hazard_prone = false, ethnic_area = false, old_revolutionary = false, no_railway = false,
       no_expressway = false;
  double lat = -1, lon = -1;     // county seat, degrees; < 0: not given (all of China is north and east)
  // Sizes; < 0: not given (the generator fills them from the scenario's totals).
  double rural_population = -1;  // rural residents, 2020
  double rural_households = -1;
  double villages = -1;
  double pa_people = -1;         // poverty-alleviated people
  double relocated_people = -1;
  double large_sites = -1;       // resettlement sites of at least 10,000 people
};

// Parses the table; errors name the file, line and column. Refuses a row
// whose figures contradict each other (more poverty-alleviated people than
// rural residents, more relocated than poverty-alleviated), a county named
// twice in one province, a code used twice, an unknown province.
std::vector<CountyRecord> read_counties(const std::string& path, std::span<const sim::scenario::EmbeddedFile> embedded);
std::vector<CountyRecord> parse_counties(const std::string& text, const std::string& origin);

}  // namespace transition
