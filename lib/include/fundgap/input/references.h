// References to figures as people write them: `council.gap[2021/22]`, `pools.bcf.balance[*]`,
// on the command line (`explain`, `--target`, `--max-increase`) and in checks.
#pragma once

#include <optional>
#include <string>

#include "fundgap/model/scenario.h"

namespace fundgap {

// ENTITY.MEASURE[YEAR] or ENTITY.MEASURE[*], resolved against a scenario.
struct Reference {
  Figure figure;
  std::optional<int> year;  // the year index t; nothing for [*]
};

// Parses `text` (a kind prefix such as `pools.` is allowed) against `scenario`, with
// nothing after it. `every_year` allows [*]. Throws InputError located in `text`,
// shown as the file `source` ("FIGURE", "--target").
Reference parse_reference(const Scenario& scenario, const std::string& text, const std::string& source,
                          bool every_year);
// The same for `text` found at `where` (its first character) in a longer source.
Reference parse_reference(const Scenario& scenario, const std::string& text, const SourceLocation& where,
                          bool every_year);

// The same for one year: [*] is refused.
FigureRef parse_figure(const Scenario& scenario, const std::string& text, const std::string& source);

}  // namespace fundgap
