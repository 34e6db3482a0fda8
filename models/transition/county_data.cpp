#include "models/transition/county_data.hpp"

#include <charconv>
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
      for (const auto& r : required)
        if (column(r) < 0) fail(origin, line_no, "missing column '" + r + "'");
      continue;
    }
    if (cells.size() != header.size())
      fail(origin, line_no, "has " + std::to_string(cells.size()) + " cells, the header has " +
                                std::to_string(header.size()));
    CountyRecord r;
    auto cell = [&](const std::string& name) -> const std::string& { return cells[static_cast<std::size_t>(column(name))]; };
    r.name = cell("name");
    r.province = cell("province");
    r.prefecture = cell("prefecture");
    if (r.name.empty()) fail(origin, line_no, "column 'name': empty");
    r.province_index = -1;
    for (int p = 0; p < kProvinces; ++p)
      if (r.province == kProvinceNames[static_cast<std::size_t>(p)] || r.province == kProvinceKeys[static_cast<std::size_t>(p)])
        r.province_index = p;
    if (r.province_index < 0)
      fail(origin, line_no, "column 'province': '" + r.province + "' is not one of the ten provinces (e.g. 'Sichuan')");
    r.province = kProvinceNames[static_cast<std::size_t>(r.province_index)];
    auto flag = [&](const std::string& name) {
      const std::string& v = cell(name);
      if (v == "1") return true;
      if (v == "0") return false;
      fail(origin, line_no, "column '" + name + "': expected 0 or 1, got '" + v + "'");
    };
    r.hazard_prone = flag("hazard_prone");
    r.ethnic_area = flag("ethnic_area");
    r.old_revolutionary = flag("old_revolutionary");
    r.no_railway = flag("no_railway");
    r.no_expressway = flag("no_expressway");
    auto number = [&](const std::string& name) -> double {
      if (column(name) < 0) return -1;
      const std::string& v = cell(name);
      if (v.empty()) return -1;
      double x = 0;
      const auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
      if (ec != std::errc() || ptr != v.data() + v.size() || x <= 0)
        fail(origin, line_no, "column '" + name + "': expected a positive number, got '" + v + "'");
      return x;
    };
    r.rural_households = number("rural_households");
    r.villages = number("villages");
    out.push_back(std::move(r));
  }
  if (out.empty()) fail(origin, line_no, "no counties");
  return out;
}

std::vector<CountyRecord> read_counties(const std::string& path, std::span<const sim::scenario::EmbeddedFile> embedded) {
  return parse_counties(sim::scenario::read_text(path, embedded), path);
}

}  // namespace transition
