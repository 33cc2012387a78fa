// Evaluating a scenario's checks, and the reports a CI job reads: a pass/fail table,
// Markdown, JSON, JUnit XML and GitHub Actions annotations. See docs/checks.md.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "fundgap/diagnostic.h"
#include "fundgap/report.h"
#include "fundgap/scenario.h"

namespace fundgap {

struct CheckResult {
  Check check;
  bool passed = false;
  int year = 0;          // the year shown: the worst (furthest past failing, or closest to it)
  double actual = 0;     // the measure in that year, currency units
  double target = 0;     // the value compared against in that year, currency units
  double tolerance = 0;  // for == and !=, currency units
  std::string expected;  // the expectation in words: "<= £5.0m", "== £60.0m ± £1.2m"
  std::string actual_text;  // "£60.2m in 2021/22", with as many decimals as it takes to
                            // differ from the expectation when they differ to the penny
};

// Evaluates every check of `scenario` against `report`, which must be
// make_report(scenario, projection, View::all).
std::vector<CheckResult> evaluate_checks(const Scenario& scenario, const Report& report);

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
};

void write_check_table(std::ostream& out, const CheckRun& run, bool color = false);
void write_check_markdown(std::ostream& out, const CheckRun& run);
void write_check_json(std::ostream& out, const CheckRun& run);
// Apache Ant JUnit XML: testsuites > testsuite (one per file) > testcase (one per check).
void write_junit(std::ostream& out, const CheckRun& run);
// `::error file=F,line=L,col=C,title=T::MESSAGE` for each failed check and bad input.
void write_github_annotations(std::ostream& out, const CheckRun& run);

}  // namespace fundgap
