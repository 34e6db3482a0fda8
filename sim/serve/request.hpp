#pragma once
// Reading the JSON bodies of the classroom's requests strictly: a body that is
// not a JSON object, an unknown or repeated field, or a value of the wrong
// kind is a BadRequest whose message the page shows as it is.
#include <yaml-cpp/yaml.h>

#include <initializer_list>
#include <stdexcept>
#include <string>
#include <string_view>

namespace sim::serve {

// An HTTP status (400, 404, 409, 429) and a message for the person who sent
// the request.
class BadRequest : public std::runtime_error {
 public:
  BadRequest(int status, const std::string& message) : std::runtime_error(message), status_(status) {}
  int status() const noexcept { return status_; }

 private:
  int status_;
};

// The body as a mapping; an empty body is an empty mapping. Fields outside
// `known` are refused with the nearest known name.
YAML::Node parse_object(const std::string& body, std::initializer_list<std::string_view> known);

// Whether `s` is UTF-8 (what a JSON message must be).
bool valid_utf8(std::string_view s);

// A mapping's pairs, refusing a repeated key (yaml-cpp keeps both silently).
void check_unique_keys(const YAML::Node& map, const std::string& what);

// A JSON number (not a string, boolean or null), finite.
double number(const YAML::Node& n, const std::string& what);

}  // namespace sim::serve
