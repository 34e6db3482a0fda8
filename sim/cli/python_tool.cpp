#include "sim/cli/python_tool.hpp"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <vector>

#include "sim/core/error.hpp"

namespace sim::cli {

namespace {

std::string python() {
  if (const char* p = std::getenv("RURALSIM_PYTHON")) return p;
  if (std::filesystem::exists("/usr/bin/python3")) return "/usr/bin/python3";
  return "python3";
}

std::string analysis_dir(const AnalysisDecl& analysis) {
  if (const char* d = std::getenv("RURALSIM_ANALYSIS_DIR")) return d;
  return analysis.directory;
}

}  // namespace

void add_python_command(App& app, const std::string& name, const std::string& description) {
  auto* cmd = app.cli().add_subcommand(name, description + " (run `" + app.program() + " " + name + " --help` for options)");
  cmd->prefix_command();  // everything after the name goes to the Python tool, --help included
  cmd->set_help_flag();
  const AnalysisDecl& analysis = app.model().analysis;
  cmd->callback([cmd, name, &analysis, program = app.program()] {
    const std::string dir = analysis_dir(analysis);
    if (analysis.package.empty()) throw Error(Status::failure, "the model names no analysis package");
    if (dir.empty() || !std::filesystem::exists(std::filesystem::path(dir) / analysis.package))
      throw Error(Status::failure, "the analysis package " + analysis.package + " was not found in '" + dir +
                                       "'; set RURALSIM_ANALYSIS_DIR to the folder holding it");
    const char* old = std::getenv("PYTHONPATH");
    const std::string path = old && *old ? dir + ":" + old : dir;
    setenv("PYTHONPATH", path.c_str(), 1);
    const std::string py = python();
    std::vector<std::string> args = {py, "-m", analysis.package, name};
    for (const std::string& a : cmd->remaining()) args.push_back(a);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::fflush(stdout);
    execvp(py.c_str(), argv.data());
    throw Error(Status::failure, "cannot start " + py + " for `" + program + " " + name + "`");
  });
}

}  // namespace sim::cli
