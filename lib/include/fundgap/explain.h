// `explain`: how a figure is built, level by level, down to the base figures and rates
// of the scenario, each with the file and line it came from.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "fundgap/projection.h"
#include "fundgap/scenario.h"

namespace fundgap {

struct Explanation {
  enum class Op { leaf, sum, product };
  enum class Unit { money, share, factor };

  std::string label;        // "council.gap[2021/22]", "1 + demand 2019/20", "confidence"
  double value = 0;
  Unit unit = Unit::money;
  Op op = Op::leaf;         // sum: value = sum of coefficient x child; product: of children
  double coefficient = 1;   // how this node enters a parent sum (+1, -1, a funding share)
  std::string formula;      // the formula in words, for sum and product nodes
  SourceLocation where;     // for leaves given in the scenario: where
  std::vector<Explanation> children;
};

// A reference ENTITY.MEASURE[YEAR] to one figure.
struct FigureRef {
  std::string kind;    // "partner", "service", "scheme", "pool" or "system"
  std::string entity;
  std::string measure;
  int year = 0;        // index t
};

// Parses "council.gap[2021/22]" (a kind prefix such as pools. is allowed) against
// `scenario`. Throws InputError located in `text`, shown as the file `source`.
FigureRef parse_figure(const Scenario& scenario, const std::string& text, const std::string& source);

// How figure `ref` of `projection` is built. Its value is the one `run` reports.
Explanation explain(const Scenario& scenario, const Projection& projection, const FigureRef& ref);

// Indented text, `depth` levels below the top (negative: all). Money to the penny.
void write_explanation(std::ostream& out, const Explanation& e, const std::string& currency, int depth);
void write_explanation_json(std::ostream& out, const Explanation& e, int depth);

}  // namespace fundgap
