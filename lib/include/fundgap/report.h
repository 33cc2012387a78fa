// Results as named series (entity, measure, one value per year) and the writers that
// print them: a readable table, tidy CSV and JSON. Every format is built from the same
// Report, so they always carry the same numbers. See docs/output.md.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include "fundgap/projection.h"
#include "fundgap/scenario.h"

namespace fundgap {

enum class View { partners, services, schemes, pools, all };
std::optional<View> parse_view(std::string_view name);
std::string_view view_name(View v);

struct Measure {
  enum class Unit { money, probability };
  std::string name;        // "gap", "gap_do_nothing", "contribution_council", ...
  Eigen::ArrayXd values;   // one per year: currency units, or a probability in [0, 1]
  Unit unit = Unit::money;
};

struct ReportEntity {
  std::string id;    // the YAML id, or "system"
  std::string kind;  // "partner", "service", "scheme", "pool" or "system"
  std::string name;  // display name
  std::vector<Measure> measures;

  // The measure called `name`, or nullptr.
  const Measure* measure(std::string_view name) const;
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

// The measures of `view` (View::all: every section in turn). The partners and services
// sections end with a `system` entity holding the sum of each measure over the section;
// schemes and pools have none, so that (entity, measure, year) is a unique key in every
// view and in all of them together.
Report make_report(const Scenario& scenario, const Projection& projection, View view);

// The names of the measures entity `id` of `kind` ("partner", "service", "scheme",
// "pool" or "system") has in a View::all report, in report order.
std::vector<std::string> measure_names(const Scenario& scenario, const std::string& kind, const std::string& id);

// Whether `partner` takes part in `pool`: it contributes, or carries a share of its risk.
// Exactly these partners have contribution_/balance_share_/cost_ measures.
bool pool_involves(const Pool& pool, int partner);

// The series `measure` of entity `id` in `report`, or nullptr. `system` is looked up in
// the partners view, then the services view.
const Measure* find_measure(const Report& report, const std::string& id, const std::string& measure);

enum class Format { table, csv, json };
std::optional<Format> parse_format(std::string_view name);
// The name of the format a file name implies, in any case: ".csv" csv, ".json" json,
// ".txt" table, ".md" markdown; empty otherwise.
std::string format_name_for_path(std::string_view path);

struct TableStyle {
  bool color = false;  // ANSI colour: shortfalls red, surpluses green. Default: off
};

void write_table(std::ostream& out, const Report& report, const TableStyle& style = {});
// Header `entity,measure,year,value`, one row per value, values at full precision.
void write_csv(std::ostream& out, const Report& report);
// The structure documented in docs/output.md.
void write_json(std::ostream& out, const Report& report);
void write_report(std::ostream& out, const Report& report, Format format, const TableStyle& style = {});

// Money in millions with one decimal and thousands separators: 1234567890 -> "1,234.6".
std::string millions(double amount);
// Full precision, shortest form that reads back exactly; never "-0".
std::string exact(double amount);

}  // namespace fundgap
