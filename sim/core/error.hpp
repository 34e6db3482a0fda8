#pragma once
// One error type for the whole engine. It carries a status that the command
// line turns into its exit code, so that scripts and sweep runners can tell a
// bad scenario from a full disk without parsing messages.
#include <stdexcept>
#include <string>

namespace sim {

enum class Status : int {
  ok = 0,
  failure = 1,         // anything not classified below
  usage = 2,           // bad command-line arguments
  invalid_input = 3,   // scenario, data or output file not acceptable
  io = 4,              // reading or writing a file failed
  output_exists = 5,   // refusing to overwrite an existing output
  interrupted = 130,   // stopped by SIGINT/SIGTERM; partial output is kept and marked
};

class Error : public std::runtime_error {
 public:
  Error(Status status, const std::string& message) : std::runtime_error(message), status_(status) {}
  Status status() const noexcept { return status_; }

 private:
  Status status_;
};

}  // namespace sim
