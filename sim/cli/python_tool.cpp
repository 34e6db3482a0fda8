#include "sim/cli/python_tool.hpp"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <vector>

#include "sim/core/error.hpp"

#ifndef RURALSIM_ANALYSIS_DIR
#define RURALSIM_ANALYSIS_DIR ""
#endif

namespace sim::cli {

namespace {

std::string python() {
  if (const char* p = std::getenv("RURALSIM_PYTHON")) return p;
  if (std::filesystem::exists("/usr/bin/python3")) return "/usr/bin/python3";
  return "python3";
}

std::string analysis_dir() {
  if (const char* d = std::getenv("RURALSIM_ANALYSIS_DIR")) return d;
  return RURALSIM_ANALYSIS_DIR;
}

}  // namespace

void add_python_command(App& app, const std::string& name, const std::string& description) {
  auto* cmd = app.cli().add_subcommand(name, description + " (run `ruralsim " + name + " --help` for options)");
  cmd->prefix_command();  // everything after the name goes to the Python tool, --help included
  cmd->set_help_flag();
  cmd->callback([cmd, name] {
    const std::string dir = analysis_dir();
    if (dir.empty() || !std::filesystem::exists(std::filesystem::path(dir) / "ruralsim_analysis"))
      throw Error(Status::failure, "the analysis package was not found; set RURALSIM_ANALYSIS_DIR to the analysis/ folder");
    const char* old = std::getenv("PYTHONPATH");
    const std::string path = old && *old ? dir + ":" + old : dir;
    setenv("PYTHONPATH", path.c_str(), 1);
    const std::string py = python();
    std::vector<std::string> args = {py, "-m", "ruralsim_analysis", name};
    for (const std::string& a : cmd->remaining()) args.push_back(a);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::fflush(stdout);
    execvp(py.c_str(), argv.data());
    throw Error(Status::failure, "cannot start " + py + " for `ruralsim " + name + "`");
  });
}

}  // namespace sim::cli
