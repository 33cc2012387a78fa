// The gap bridge: from one year's funding gap to another's, step by step, in the order
// of docs/bridge.md, with steps that add up exactly to the change.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "fundgap/projection.h"
#include "fundgap/scenario.h"

namespace fundgap {

struct BridgeStep {
  std::string name;  // "funding growth", "demand growth", "inflation", "scheme admission_avoidance", ...
  std::string kind;  // "funding", "demand", "inflation", "scheme", "pool"
  std::string id;    // the scheme or pool id; empty otherwise
  double value = 0;  // its effect on the gap, currency units (positive widens it)
};

struct Bridge {
  std::string entity;  // a partner id, or "system"
  int from = 0, to = 0;
  double start = 0, end = 0;  // the gaps in `from` and `to`
  std::vector<BridgeStep> steps;
};

// The bridge of `partner` (an index, or -1 for the whole system) from year index `from`
// to `to`. REQUIRES: 0 <= from < to <= T.
Bridge make_bridge(const Scenario& scenario, const Projection& projection, int partner, int from, int to);

// A table with a bar for each step; colour when `color`.
void write_bridge_table(std::ostream& out, const Bridge& b, const Scenario& scenario, bool color);
// Header `entity,step,kind,from,to,value`; the first row is the starting gap, the last the end.
void write_bridge_csv(std::ostream& out, const Bridge& b, const Scenario& scenario);
void write_bridge_json(std::ostream& out, const Bridge& b, const Scenario& scenario);

}  // namespace fundgap
