// Parsing of check expressions (`council.gap[*] <= 5m`) and figure references
// (`council.gap[2021/22]`). Private to the library.
#pragma once

#include "fundgap/base/diagnostic.h"
#include "fundgap/model/scenario.h"

namespace fundgap::input {

// Parses `check.expression`, whose first character is at `check.where`, into the other
// fields of `check`, resolving names against `scenario` (its entities and period must
// already be read). Reports each problem to `diags` at its column; returns false then.
bool parse_check(const Scenario& scenario, Check& check, Diagnostics& diags);

// Parses `check.expression` as a bare reference ENTITY.MEASURE[YEAR] (nothing after it),
// filling figure and year. `every_year` allows [*].
bool parse_reference(const Scenario& scenario, Check& check, Diagnostics& diags, bool every_year);

}  // namespace fundgap::input
