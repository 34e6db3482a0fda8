#pragma once
// The `ruralsim` command line over one model: run, validate, schema, describe, info.
// A model's program may add commands of its own through cli().
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "sim/model/description.hpp"
#include "sim/scenario/scenario.hpp"

namespace sim::cli {

// Exit codes (documented in docs/guide.md): the values of sim::Status.

class App {
 public:
  // `program`: the name the program is called by, in messages and hints.
  explicit App(const ModelDescription& model, std::string program = "ruralsim");
  CLI::App& cli() { return app_; }
  const scenario::Schema& schema() const { return schema_; }
  const ModelDescription& model() const { return model_; }
  const std::string& program() const { return program_; }

  // Loads SCENARIO (default: the model's built-in default) with overrides;
  // a name that is neither a file nor a built-in scenario is refused with the
  // nearest built-in name and the list (Status::io).
  scenario::Scenario load_scenario(const std::string& file, const std::vector<std::string>& overrides) const;
  // Names of the built-in scenarios (scenarios/NAME.yaml compiled in).
  std::vector<std::string> builtin_scenarios() const;

  // Parses and dispatches; maps sim::Error to its status as exit code.
  int main(int argc, char** argv);

 private:
  int cmd_run();
  int cmd_run_ensemble(const scenario::Scenario& sc);
  int cmd_validate();
  int cmd_info();
  int cmd_scenarios();

  const ModelDescription& model_;
  std::string program_;
  scenario::Schema schema_;
  CLI::App app_;
  std::string command_line_;
  int exit_code_ = 0;

  struct RunArgs {
    std::string scenario;
    std::string output;
    std::vector<std::string> sets;
    long long seed = -1;
    unsigned replicate = 0;
    unsigned replicates = 0;                 // > 0: run an ensemble of replicates 0..N-1
    std::vector<unsigned> replicate_list;    // or exactly these
    int jobs = 0;
    int threads = 0;
    bool force = false;
    bool quiet = false;
    bool profile = false;
    unsigned checkpoint_every = 0;  // months; 0: no checkpoints
    bool keep_checkpoints = false;
    std::string restart;            // continue this checkpoint's run
    std::string from;               // branch the scenario from this checkpoint (or folder of them: an ensemble)
    std::string from_month;         // YYYY-MM: which of a folder's checkpoints
  } run_;
  struct ValidateArgs {
    std::string scenario;
    std::vector<std::string> sets;
    bool print = false;
  } validate_;
  struct InfoArgs {
    std::string file;
    bool hash = false;
    bool data_hash = false;
  } info_;
  bool schema_markdown_ = false;
  std::string describe_format_ = "markdown";
};

}  // namespace sim::cli
