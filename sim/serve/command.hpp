#pragma once
// `ruralsim serve`: the classroom in the browser. A local web server runs
// one model run per page and panel (A and B) at a teaching scale, driven by
// the levers, buttons and charts the model's ClassroomDecl declares
// (docs/teaching.md).
#include "sim/cli/app.hpp"

namespace sim::serve {

void add_serve_command(cli::App& app);

}  // namespace sim::serve
