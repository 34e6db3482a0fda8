// Runs the Python tests of the sensitivity analysis (tests/analysis/
// test_sensitivity.py) against this build's program, so that ctest covers the
// estimators on the designs the C++ side writes.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <string>

namespace {

TEST(SweepPython, SensitivityEstimatorsAndCommand) {
  const char* python = "/usr/bin/python3";
  if (!std::filesystem::exists(python)) GTEST_SKIP() << "no /usr/bin/python3 (Debian's python3 with numpy, pandas, h5py)";
  const std::string cmd = std::string("RURALSIM_BINARY='" RURALSIM_BINARY "' ") + python + " '" RURALSIM_SOURCE_DIR
                          "/tests/analysis/test_sensitivity.py' 2>&1";
  std::string output;
  FILE* pipe = popen(cmd.c_str(), "r");
  std::array<char, 4096> buf{};
  while (std::fgets(buf.data(), buf.size(), pipe)) output += buf.data();
  const int status = pclose(pipe);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << output;
  EXPECT_EQ(output.find("skipped"), std::string::npos) << output;
}

}  // namespace
