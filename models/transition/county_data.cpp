#include "models/transition/county_data.hpp"

#include <cctype>
#include <charconv>
#include <map>
#include <set>
#include <sstream>

#include "models/transition/params.hpp"
#include "sim/core/error.hpp"

namespace transition {

namespace {

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> out;
  std::string cell;
  std::istringstream in(line);
  while (std::getline(in, cell, ',')) {
    while (!cell.empty() && (cell.back() == ' ' || cell.back() == '\r')) cell.pop_back();
    while (!cell.empty() && cell.front() == ' ') cell.erase(cell.begin());
    out.push_back(cell);
  }
  if (!line.empty() && line.back() == ',') out.emplace_back();
  return out;
}

[[noreturn]] void fail(const std::string& origin, int line, const std::string& what) {
  throw sim::Error(sim::Status::invalid_input, origin + ":" + std::to_string(line) + ": " + what);
}

}  // namespace

std::vector<CountyRecord> parse_counties(const std::string& text, const std::string& origin) {
  static const std::vector<std::string> required = {"name", "province", "prefecture", "hazard_prone", "ethnic_area",
                                                    "old_revolutionary", "no_railway", "no_expressway"};
  std::istringstream in(text);
  std::string line;
  int line_no = 0;
  std::vector<std::string> header;
  std::vector<CountyRecord> out;
  std::map<std::pair<int, std::string>, int> seen_name;  // (province, name in lower case) -> line
  std::map<std::pair<int, std::string>, int> seen_zh;    // (province, prefecture_zh/name_zh) -> line
  std::map<std::string, int> seen_code;
  auto column = [&](const std::string& name) -> int {
    for (std::size_t i = 0; i < header.size(); ++i)
      if (header[i] == name) return static_cast<int>(i);
    return -1;
  };
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty() || line[0] == '#' || line == "\r") continue;
    std::vector<std::string> cells = split(line);
    if (header.empty()) {
      header = cells;
      std::set<std::string> names;
      for (const auto& h : header)
        if (!names.insert(h).second) fail(origin, line_no, "column '" + h + "' appears twice in the header");
      for (const auto& r : required)
        if (column(r) < 0) fail(origin, line_no, "missing column '" + r + "'");
      continue;
    }
    if (cells.size() != header.size())
      fail(origin, line_no, "has " + std::to_string(cells.size()) + " cells, the header has " +
                                std::to_string(header.size()));
    CountyRecord r;
    auto cell = [&](const std::string& name) -> std::string {
      const int c = column(name);
      return c < 0 ? std::string() : cells[static_cast<std::size_t>(c)];
    };
    r.name = cell("name");
    r.province = cell("province");
    r.prefecture = cell("prefecture");
    r.name_zh = cell("name_zh");
    r.prefecture_zh = cell("prefecture_zh");
    r.code = cell("code");
    if (r.name.empty()) fail(origin, line_no, "column 'name': empty");
    if (r.prefecture.empty()) fail(origin, line_no, "column 'prefecture': empty");
    r.province_index = -1;
    for (int p = 0; p < kProvinces; ++p)
      if (r.province == kProvinceNames[static_cast<std::size_t>(p)] || r.province == kProvinceKeys[static_cast<std::size_t>(p)])
        r.province_index = p;
    if (r.province_index < 0)
      fail(origin, line_no, "column 'province': '" + r.province + "' is not one of the ten provinces (e.g. 'Sichuan')");
    r.province = kProvinceNames[static_cast<std::size_t>(r.province_index)];
    // A county listed twice, however its name is capitalised or spaced.
    std::string key;
    for (char c : r.name)
      if (c != ' ') key += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (const auto [it, fresh] = seen_name.emplace(std::make_pair(r.province_index, key), line_no); !fresh)
      fail(origin, line_no, "county '" + r.name + "' of " + r.province + " is already listed at line " +
                                std::to_string(it->second));
    if (!r.name_zh.empty())
      if (const auto [it, fresh] = seen_zh.emplace(std::make_pair(r.province_index, r.prefecture_zh + "/" + r.name_zh), line_no);
          !fresh)
        fail(origin, line_no, "county " + r.name_zh + " (" + r.name + ") of " + r.province +
                                  " is already listed at line " + std::to_string(it->second));
    if (!r.code.empty()) {
      if (r.code.size() != 6 || r.code.find_first_not_of("0123456789") != std::string::npos)
        fail(origin, line_no, "column 'code': expected a 6-digit administrative-division code, got '" + r.code + "'");
      if (const auto [it, fresh] = seen_code.emplace(r.code, line_no); !fresh)
        fail(origin, line_no, "code " + r.code + " is already used at line " + std::to_string(it->second));
    }
    auto flag = [&](const std::string& name) {
      const std::string v = cell(name);
      if (v == "1") return true;
      if (v == "0") return false;
      fail(origin, line_no, "column '" + name + "': expected 0 or 1, got '" + v + "'");
    };
    r.hazard_prone = flag("hazard_prone");
    r.ethnic_area = flag("ethnic_area");
    r.old_revolutionary = flag("old_revolutionary");
    r.no_railway = flag("no_railway");
    r.no_expressway = flag("no_expressway");
    // An optional number: absent column or empty cell give -1.
    auto number = [&](const std::string& name, bool positive) -> double {
      const std::string v = cell(name);
      if (v.empty()) return -1;
      double x = 0;
      const auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
      if (ec != std::errc() || ptr != v.data() + v.size() || (positive ? x <= 0 : x < 0))
        fail(origin, line_no, "column '" + name + "': expected a " + (positive ? "positive" : "non-negative") +
                                  " number, got '" + v + "'");
      return x;
    };
    r.rural_population = number("rural_population", true);
    r.rural_households = number("rural_households", true);
    r.villages = number("villages", true);
    r.pa_people = number("pa_people", false);
    r.relocated_people = number("relocated_people", false);
    r.large_sites = number("large_sites", false);
    r.lat = number("lat", true);
    r.lon = number("lon", true);
    if (r.lat > 0 && (r.lat > 54 || r.lon < 73 || r.lon > 136))
      fail(origin, line_no, "columns 'lat', 'lon': " + cell("lat") + ", " + cell("lon") + " is not in China");
    if (r.pa_people >= 0 && r.rural_population > 0 && r.pa_people > r.rural_population)
      fail(origin, line_no, "pa_people " + cell("pa_people") + " exceeds rural_population " + cell("rural_population"));
    if (r.relocated_people >= 0 && r.pa_people >= 0 && r.relocated_people > r.pa_people)
      fail(origin, line_no, "relocated_people " + cell("relocated_people") + " exceeds pa_people " + cell("pa_people") +
                                " (relocated people were poverty-alleviated)");
    if (r.rural_households > 0 && r.rural_population > 0 &&
        (r.rural_population / r.rural_households < 1 || r.rural_population / r.rural_households > 12))
      fail(origin, line_no, "rural_population / rural_households = " +
                                std::to_string(r.rural_population / r.rural_households) + " persons per household");
    out.push_back(std::move(r));
  }
  if (out.empty()) fail(origin, line_no, "no counties");
  return out;
}

std::vector<CountyRecord> read_counties(const std::string& path, std::span<const sim::scenario::EmbeddedFile> embedded) {
  return parse_counties(sim::scenario::read_text(path, embedded), path);
}

}  // namespace transition
