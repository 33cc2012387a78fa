// A board report: every figure of one scenario a board paper shows, gathered once so that
// the HTML report (`fundgap report`) draws its charts and tables from the same numbers as
// `run`, `bridge`, `check`, `simulate` and `sensitivity`. See docs/output.md.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "fundgap/analysis/checks.h"
#include "fundgap/analysis/report.h"
#include "fundgap/analysis/whatif.h"
#include "fundgap/model/bridge.h"
#include "fundgap/model/scenario.h"

namespace fundgap {

struct BoardReport {
  std::string source;        // the scenario file, as given
  std::string version;       // fundgap's, for the footer
  Report report;             // every view (`run --view all`)
  Bridge bridge;             // the system's gap from the base year to the last year
  std::vector<Bridge> partner_bridges;  // the same for each partner, in file order
  CheckRun checks;           // the scenario's own checks (one file)
  // Only for a scenario with uncertain inputs:
  std::optional<Report> simulation;  // `simulate`'s summary at kFanQuantiles
  std::optional<Tornado> tornado;    // `sensitivity` of the system gap in the last year
};

struct BoardOptions {
  std::uint64_t draws = 2000;  // Monte Carlo draws for the fan chart. Default: 2000
  std::uint64_t seed = 1;      // Default: 1 (the same seed gives the same report)
  int threads = 1;             // results do not depend on it. Default: 1
};

// The fan chart's quantiles, in the order `simulation` holds them after each mean: the
// outer band (P5 to P95), the inner band (P25 to P75) and the median.
inline constexpr std::array<double, 5> kFanQuantiles = {0.05, 0.25, 0.5, 0.75, 0.95};

// Projects `scenario` and gathers its board report; simulates and swings its inputs only
// when some are uncertain. `source` names the file in the report. Throws InputError as
// project() and simulate() do.
BoardReport make_board_report(const Scenario& scenario, const std::string& source, const BoardOptions& options = {});

}  // namespace fundgap
