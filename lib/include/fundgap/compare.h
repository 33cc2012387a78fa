// Comparing scenarios: a measure of every entity, year by year, in a base scenario and
// in others, with the change in money and per cent; and gates that fail when another
// scenario raises a measure by more than a limit.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "fundgap/report.h"
#include "fundgap/scenario.h"

namespace fundgap {

struct ComparedEntity {
  std::string id;
  // By year of the comparison; nothing where the entity is absent from that scenario.
  std::vector<std::optional<double>> base, other;
};

struct Comparison {
  std::string base_file, base_name;
  std::string other_file, other_name;
  std::string measure;               // "gap", "net", ...
  std::vector<FinancialYear> years;  // the years both scenarios have
  std::vector<ComparedEntity> entities;  // base's order, then any only in other; system last
};

// The headline measure of a view: gap (partners), net (services), saving (schemes),
// balance (pools).
std::string default_measure(View view);

// Compares `measure` of every entity of `view` in two View::all reports.
// Throws InputError when the scenarios share no year or the view has no such measure.
Comparison compare_reports(const Report& base, const Report& other, View view, const std::string& measure);

// A limit on how much another scenario may raise a measure: `system.gap[*]=1m`.
struct Gate {
  std::string text;             // as given
  std::string entity, measure;
  std::optional<FinancialYear> year;  // nothing: every year both scenarios have
  double limit = 0;             // currency units, or a fraction of |base| when relative
  bool relative = false;
};

// Parses `text` ("ENTITY.MEASURE[YEAR|*]=LIMIT") against `scenario`; throws InputError
// located in the text, shown as the file `source`.
Gate parse_gate(const Scenario& scenario, const std::string& text, const std::string& source);

struct GateResult {
  Gate gate;
  std::string other_file;
  bool passed = true;
  FinancialYear year;           // the year with the largest excess over the limit (or closest)
  double base = 0, other = 0, allowed = 0;
};

// Evaluates `gate` on two View::all reports. Throws InputError when `other` lacks the
// gate's entity or measure.
GateResult evaluate_gate(const Gate& gate, const Report& base, const Report& other, const std::string& other_file);

void write_comparison_table(std::ostream& out, const std::vector<Comparison>& cs, const std::string& currency,
                            bool color);
// Header `scenario,entity,measure,year,base,other,change,change_pct`.
void write_comparison_csv(std::ostream& out, const std::vector<Comparison>& cs);
void write_comparison_markdown(std::ostream& out, const std::vector<Comparison>& cs, const std::string& currency);
void write_comparison_json(std::ostream& out, const std::vector<Comparison>& cs, const std::vector<GateResult>& gates);
// One line per gate: "PASS system.gap[*]=1m: ..." for the table and Markdown.
void write_gate_results(std::ostream& out, const std::vector<GateResult>& gates, const std::string& currency,
                        bool markdown);

}  // namespace fundgap
