// The subcommand table: one entry per command, each in its own file.
#pragma once

#include <functional>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

namespace fundgap::cli {

// What a parsed command line does; returns the process exit code.
using Action = std::function<int()>;

struct Command {
  std::string_view name;
  std::string_view summary;
  // Adds the command's options to `sub` and arranges for `action` to be set when the
  // command is chosen.
  void (*setup)(CLI::App& sub, Action& action);
};

const std::vector<Command>& commands();

void setup_run(CLI::App& sub, Action& action);
void setup_validate(CLI::App& sub, Action& action);
void setup_check(CLI::App& sub, Action& action);
void setup_explain(CLI::App& sub, Action& action);
void setup_bridge(CLI::App& sub, Action& action);
void setup_compare(CLI::App& sub, Action& action);
void setup_simulate(CLI::App& sub, Action& action);
void setup_merge(CLI::App& sub, Action& action);
void setup_sensitivity(CLI::App& sub, Action& action);
void setup_solve(CLI::App& sub, Action& action);
void setup_report(CLI::App& sub, Action& action);
void setup_schema(CLI::App& sub, Action& action);
void setup_completion(CLI::App& sub, Action& action);
void setup_man(CLI::App& sub, Action& action);

}  // namespace fundgap::cli
