// `explain`: how a figure is built, level by level, down to the base figures and rates
// of the scenario, each with the file and line it came from. The stage that computes a
// figure also explains it (see docs/design.md).
#pragma once

#include <string>
#include <vector>

#include "fundgap/model/projection.h"
#include "fundgap/model/scenario.h"

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

// How figure `ref` of `projection` (a full projection of `scenario`) is built. Its value
// is the one `run` reports.
Explanation explain(const Scenario& scenario, const Projection& projection, const FigureRef& ref);

}  // namespace fundgap
