// Evaluating a scenario's checks, for people and for CI (the writers are in
// fundgap/output/format.h). See docs/checks.md.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "fundgap/base/diagnostic.h"
#include "fundgap/model/projection.h"
#include "fundgap/model/scenario.h"

namespace fundgap {

struct CheckResult {
  Check check;
  bool passed = false;
  int year = 0;          // the year shown: the worst (furthest past failing, or closest to it)
  double actual = 0;     // the figure in that year, currency units
  double target = 0;     // the value compared against in that year, currency units
  double tolerance = 0;  // for == and !=, currency units
  std::string expected;  // the expectation in words: "<= £5.0m", "== £60.0m ± £1.2m"
  std::string actual_text;  // "£60.2m in 2021/22", with as many decimals as it takes to
                            // differ from the expectation when they differ to the penny
};

// Evaluates every check of `scenario` on `projection` (a full projection of it).
std::vector<CheckResult> evaluate_checks(const Scenario& scenario, const Projection& projection);

// The checks of one scenario file, or why it could not be read.
struct FileChecks {
  std::string path;
  std::string scenario;                   // the scenario's name (empty when unreadable)
  std::string currency = "GBP";
  std::vector<FinancialYear> years;
  std::vector<CheckResult> results;
  std::optional<Diagnostics> input_error; // set when the file is bad input
  double seconds = 0;                     // time to load, project and check

  int failures() const;
};

struct CheckRun {
  std::vector<FileChecks> files;
  std::string timestamp;  // ISO 8601, for JUnit
  std::string hostname;   // for JUnit

  int checks() const;
  int failures() const;
  bool any_input_error() const;
  // "3 checks: 2 passed, 1 failed[; 1 file with bad input]".
  std::string summary() const;
};

}  // namespace fundgap
