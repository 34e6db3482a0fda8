#include "sim/serve/request.hpp"

#include <cmath>
#include <set>
#include <vector>

#include "sim/scenario/scenario.hpp"
#include "sim/scenario/yaml_values.hpp"

namespace sim::serve {

bool valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (std::size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 0x2) return false;
    i += n;
  }
  return true;
}

YAML::Node parse_object(const std::string& body, std::initializer_list<std::string_view> known) {
  if (!valid_utf8(body) || body.find('\0') != std::string::npos)
    throw BadRequest(400, "the request body is not JSON text (it holds bytes that are not UTF-8 text)");
  if (body.find_first_not_of(" \t\r\n") == std::string::npos) return YAML::Node(YAML::NodeType::Map);
  YAML::Node root;
  try {
    root = YAML::Load(body);
  } catch (const YAML::Exception& e) {
    throw BadRequest(400, "the request body is not valid JSON (line " + std::to_string(e.mark.line + 1) + ", column " +
                              std::to_string(e.mark.column + 1) + ": " + e.msg + ")");
  }
  if (!root.IsMap()) throw BadRequest(400, "the request body must be a JSON object, e.g. {\"action\": \"go\"}");
  check_unique_keys(root, "the request");
  std::vector<std::string> names(known.begin(), known.end());
  for (const auto& kv : root) {
    const std::string key = kv.first.Scalar();
    if (std::find(names.begin(), names.end(), key) != names.end()) continue;
    const auto near = scenario::suggest(key, names, 1);
    std::string list;
    for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
    throw BadRequest(400, "unknown field '" + key + "'" + (near.empty() ? "" : "; did you mean '" + near.front() + "'?") +
                              " (fields: " + list + ")");
  }
  return root;
}

void check_unique_keys(const YAML::Node& map, const std::string& what) {
  std::set<std::string> seen;
  for (const auto& kv : map) {
    if (!kv.first.IsScalar()) throw BadRequest(400, what + ": keys must be strings");
    if (!seen.insert(kv.first.Scalar()).second)
      throw BadRequest(400, what + ": '" + kv.first.Scalar() + "' is given twice");
  }
}

double number(const YAML::Node& n, const std::string& what) {
  // JSON strings arrive as quoted scalars ("5" is not a number).
  if (!n.IsScalar() || !scenario::yaml::plain(n))
    throw BadRequest(400, what + ": expected a number, found " + scenario::yaml::found(n));
  double v = 0;
  if (!YAML::convert<double>::decode(n, v) || !std::isfinite(v))
    throw BadRequest(400, what + ": expected a number, found " + scenario::yaml::found(n));
  return v;
}

}  // namespace sim::serve
