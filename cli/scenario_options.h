// Options shared by every command that reads a scenario: `--set PATH=VALUE` and
// `--discount RATE` (which is `--set discount=RATE`).
#pragma once

#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "fundgap/input/reader.h"

namespace fundgap::cli {

struct ScenarioOptions {
  std::vector<std::string> overrides;
  std::string discount;

  void add_to(CLI::App& sub) {
    sub.add_option("-s,--set", overrides,
                   "Override a value: PATH=VALUE, e.g. services.acute.demand=4% (repeatable; applied in order)")
        ->allow_extra_args(false)
        ->take_all();
    sub.add_option("--discount", discount,
                   "Discount rate for schemes' net present value, e.g. 3.5% (format 1.1; the same as "
                   "--set discount=RATE; default: the scenario's, else 3.5%)");
  }
  LoadOptions options() const {
    LoadOptions o{overrides};
    if (!discount.empty()) o.overrides.push_back("discount=" + discount);
    return o;
  }
  // Reads `file` with the options; its notes (warnings) go to standard error.
  Scenario load(const std::string& file) const { return load_noting(file, options()); }
  static Scenario load_noting(const std::string& file, const LoadOptions& options = {}) {
    Scenario sc = load_scenario_file(file, options);
    std::cerr << sc.warnings.render_all();
    return sc;
  }
};

}  // namespace fundgap::cli
