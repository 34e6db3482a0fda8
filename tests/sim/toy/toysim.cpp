// `toysim`: the engine's command line over the toy model, as the engine's
// command-line and sweep tests drive it.
#include "sim/cli/app.hpp"
#include "sim/sweep/command.hpp"
#include "sim/toy/toy_model.hpp"

int main(int argc, char** argv) {
  sim::cli::App app(toy::description(), "toysim");
  sim::sweep::add_sweep_command(app);
  return app.main(argc, argv);
}
