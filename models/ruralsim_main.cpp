// The `ruralsim` program: the engine's command line over the transition model.
#include "models/transition/model.hpp"
#include "sim/cli/app.hpp"

int main(int argc, char** argv) {
  sim::cli::App app(transition::definition());
  return app.main(argc, argv);
}
