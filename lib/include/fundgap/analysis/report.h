// Results as named series (entity, measure, one value per year), built from the
// catalogue of figures: what every writer (fundgap/output/format.h) prints, so that all
// formats carry the same numbers. See docs/output.md.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <Eigen/Core>

#include "fundgap/model/projection.h"
#include "fundgap/model/scenario.h"

namespace fundgap {

struct Series {
  std::string name;        // "gap", "gap_do_nothing", "contribution_council", "gap_p50", ...
  std::string label;       // in the table: "gap, do nothing"; Default: the name
  Eigen::ArrayXd values;   // one per year: currency units, or a probability in [0, 1]
  Unit unit = Unit::money;
  Adverse adverse = Adverse::none;  // which sign the table colours red
};

struct ReportEntity {
  std::string id;    // the YAML id, or "system"
  EntityKind kind = EntityKind::system;
  std::string name;  // display name
  std::vector<Series> measures;

  // The series called `name`, or nullptr.
  const Series* measure(std::string_view name) const;
};

struct ReportSection {
  View view;
  std::vector<ReportEntity> entities;  // in file order, "system" last
};

struct Report {
  std::string scenario;
  std::string currency;
  std::vector<FinancialYear> years;  // base year first
  std::vector<ReportSection> sections;
  std::vector<std::string> notes;  // printed under the table; "notes" in JSON
};

struct ReportOptions {
  // Every money figure at base-year prices: divided by the deflator's index
  // (prod over the years to t of 1 + prices.deflator). REQUIRES: the scenario gives
  // `prices`. Default: cash.
  bool real_terms = false;
};

// The figures of `view` (View::all: every section in turn). The partners and services
// sections end with a `system` entity holding the system totals of their measures;
// schemes and pools have none, so that (entity, measure, year) is a unique key in every
// view and in all of them together. REQUIRES: a full projection of `scenario`.
Report make_report(const Scenario& scenario, const Projection& projection, View view, const ReportOptions& options = {});

}  // namespace fundgap
