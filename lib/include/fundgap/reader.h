// Reading scenario files (format v1, see docs/format.md).
#pragma once

#include <string>
#include <vector>

#include "fundgap/scenario.h"

namespace fundgap {

struct LoadOptions {
  // Overrides, each "PATH=VALUE" as given to `--set`: the path is the YAML path
  // (services.acute.demand) and the value is YAML read by the file's own rules.
  // Applied in order, after `extends`. Default: none.
  std::vector<std::string> overrides;
};

// Reads and checks the scenario in `path`.
// On success returns it; on bad input throws InputError carrying every problem found,
// each located at its file, line and column. A file that cannot be read gives one
// diagnostic without a line.
// A file with `extends: BASE` is BASE (relative to the file, itself possibly extending
// another) with the file's keys deep-merged over it; see docs/format.md.
Scenario load_scenario_file(const std::string& path, const LoadOptions& options = {});

// The same for text already in memory; `path` is used only in diagnostics.
Scenario load_scenario_text(const std::string& path, std::string text, const LoadOptions& options = {});

}  // namespace fundgap
