#pragma once
// Running a program of the build as a user would, from a shell in a folder:
// its exit status and everything it printed.
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <string>

namespace testing_support {

struct Result {
  int code = -1;
  std::string output;  // stdout and stderr together
};

inline Result shell(const std::string& command, const std::filesystem::path& cwd) {
  const std::string cmd = "cd '" + cwd.string() + "' && " + command + " 2>&1";
  Result r;
  FILE* pipe = popen(cmd.c_str(), "r");
  std::array<char, 4096> buf{};
  while (std::fgets(buf.data(), buf.size(), pipe)) r.output += buf.data();
  const int status = pclose(pipe);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

inline Result run_program(const std::string& binary, const std::string& args, const std::filesystem::path& cwd) {
  return shell("'" + binary + "' " + args, cwd);
}

}  // namespace testing_support
