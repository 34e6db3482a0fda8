#pragma once
// Commands implemented by the model's Python analysis package (its
// description names the package and the folder it lives in). The program runs
//   PYTHON -m PACKAGE COMMAND ARGS...
// with the package on PYTHONPATH, so that researchers have one entry point and
// the statistics and plots live in one place, usable from notebooks too.
// PYTHON is $RURALSIM_PYTHON, else Debian's /usr/bin/python3 (which has
// python3-h5py, -pandas and -matplotlib), else python3 on PATH. The package
// is found at $RURALSIM_ANALYSIS_DIR, else where the model's build put it.
#include <string>

#include "sim/cli/app.hpp"

namespace sim::cli {

void add_python_command(App& app, const std::string& name, const std::string& description);

}  // namespace sim::cli
