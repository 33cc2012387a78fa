// Comparing scenarios: a measure of every entity, year by year, in a base scenario and
// in others, with the change in money and per cent; and gates that fail when another
// scenario raises a figure by more than a limit. The writers are in fundgap/output/format.h.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "fundgap/model/projection.h"
#include "fundgap/model/scenario.h"

namespace fundgap {

struct ComparedEntity {
  std::string id;
  // By year of the comparison; nothing where the entity is absent from that scenario.
  std::vector<std::optional<double>> base, other;
};

struct Comparison {
  std::string base_file, base_name;
  std::string other_file, other_name;
  std::string currency;
  std::string measure;               // "gap", "net", ...
  std::vector<FinancialYear> years;  // the years both scenarios have
  std::vector<ComparedEntity> entities;  // base's order, then any only in other; system last
};

// A scenario with its full projection.
struct Projected {
  const Scenario& scenario;
  const Projection& projection;
};

// The name of the headline measure of a view: gap (partners), net (services), saving
// (schemes), balance (pools).
std::string default_measure(View view);

// Compares the measure called `measure` of every entity of `view` in two scenarios.
// Throws InputError when the scenarios share no year or the view has no such measure.
Comparison compare(const Projected& base, const Projected& other, View view, const std::string& measure);

// A limit on how much another scenario may raise a figure: `system.gap[*]=1m`.
struct Gate {
  std::string text;             // as given
  EntityKind kind = EntityKind::system;
  std::string entity, measure;  // by id and name, to find them in every scenario
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

// Evaluates `gate` on two scenarios. Throws InputError when `other` lacks the gate's
// entity or measure.
GateResult evaluate_gate(const Gate& gate, const Projected& base, const Projected& other,
                         const std::string& other_file);

// The least |base| a change is given as a share of: half the 0.1m to which the table
// shows money, so a base shown as 0.0 (a plan balanced to the pound) has no percentage.
inline constexpr double kSmallestBase = 0.05e6;

// The change as a fraction of |base|, or nothing when either is missing or |base| is
// below kSmallestBase (a share of nothing means nothing).
std::optional<double> change_fraction(const std::optional<double>& base, const std::optional<double>& other);

// A change as a fraction, for people: "+5.2%", "-4.6%", "0.0%" when it rounds to zero
// (never "-0.0%" or "+0.0%"), and "–" for no fraction.
std::string change_percent_text(const std::optional<double>& fraction);

}  // namespace fundgap
