// The JSON Schema (draft-07) of the scenario format, for editors and validators: every key
// the readers accept, and the shapes of their values. `fundgap schema` prints it; tests
// check it against the readers' key lists and validate every bundled scenario with it.
// See docs/format.md.
#pragma once

#include <string_view>

namespace fundgap {

// The schema's text (JSON), as in lib/src/input/scenario.schema.json.
std::string_view scenario_schema();

}  // namespace fundgap
