#pragma once
// What every loader fuzz target holds its loader to: any text ends either in
// a value or in a sim::Error that names the problem with a status a user can
// act on (invalid input, a file that cannot be read, bad usage); anything
// else (another exception, an internal error, a crash found by the
// sanitizers, a hang found by libFuzzer's -timeout) is a finding.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>

#include "sim/core/error.hpp"

namespace fuzz {

template <class Load>
void expect_value_or_clear_error(const std::uint8_t* data, std::size_t size, Load&& load) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    load(text);
  } catch (const sim::Error& e) {
    const auto s = e.status();
    if ((s != sim::Status::invalid_input && s != sim::Status::io && s != sim::Status::usage) || std::string_view(e.what()).empty()) {
      std::fprintf(stderr, "fuzz: status %d, message: %s\n", static_cast<int>(s), e.what());
      std::abort();
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fuzz: an exception that is not a sim::Error: %s\n", e.what());
    std::abort();
  }
}

}  // namespace fuzz
