// The gap bridge: from one year's funding gap to another's, step by step, in the order
// of docs/explain-and-bridge.md, with steps that add up exactly to the change. Each
// stage of the engine contributes the steps of the figures it computes.
#pragma once

#include <string>
#include <vector>

#include "fundgap/model/projection.h"
#include "fundgap/model/scenario.h"

namespace fundgap {

struct BridgeStep {
  std::string name;  // "funding growth", "demand growth", "inflation", "scheme admission_avoidance", ...
  std::string kind;  // "funding", "demand", "inflation", "scheme", "pool"
  std::string id;    // the scheme or pool id; empty otherwise
  double value = 0;  // its effect on the gap, currency units (positive widens it)
};

struct Bridge {
  std::string scenario, currency;
  std::string entity;  // a partner id, or "system"
  int from = 0, to = 0;
  FinancialYear from_year, to_year;
  double start = 0, end = 0;  // the gaps in `from` and `to`
  std::vector<BridgeStep> steps;
};

// The bridge of `partner` (an index, or -1 for the whole system) from year index `from`
// to `to`. REQUIRES: 0 <= from < to <= T.
Bridge make_bridge(const Scenario& scenario, const Projection& projection, int partner, int from, int to);

// The bridge of place `place`'s gap (format 1.1: spend on the delegated services less its
// budget): its budget's change, then demand, inflation and pressures on its share of the
// delegated services, and each scheme's effect there.
Bridge make_place_bridge(const Scenario& scenario, const Projection& projection, int place, int from, int to);

}  // namespace fundgap
