// Options shared by every command that reads a scenario: `--set PATH=VALUE`.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "fundgap/input/reader.h"

namespace fundgap::cli {

struct ScenarioOptions {
  std::vector<std::string> overrides;

  void add_to(CLI::App& sub) {
    sub.add_option("-s,--set", overrides,
                   "Override a value: PATH=VALUE, e.g. services.acute.demand=4% (repeatable; applied in order)")
        ->allow_extra_args(false)
        ->take_all();
  }
  Scenario load(const std::string& file) const { return load_scenario_file(file, LoadOptions{overrides}); }
};

}  // namespace fundgap::cli
