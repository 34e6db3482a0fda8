#pragma once
// Small pieces of the command line's wording, in one place.
#include <cstddef>
#include <string>
#include <string_view>

namespace sim::cli {

// "1 thread", "2 threads": a count with its noun in the right number.
inline std::string count_of(std::size_t n, std::string_view noun) {
  return std::to_string(n) + " " + std::string(noun) + (n == 1 ? "" : "s");
}

}  // namespace sim::cli
