// Reading scenario files (format v1, see docs/format.md).
#pragma once

#include <string>

#include "fundgap/scenario.h"

namespace fundgap {

// Reads and checks the scenario in `path`.
// On success returns it; on bad input throws InputError carrying every problem found,
// each located at its file, line and column. A file that cannot be read gives one
// diagnostic without a line.
Scenario load_scenario_file(const std::string& path);

// The same for text already in memory; `path` is used only in diagnostics.
Scenario load_scenario_text(const std::string& path, std::string text);

}  // namespace fundgap
