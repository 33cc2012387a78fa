// Gathering a board report: the same calls `run --view all`, `bridge`, `check`,
// `simulate` and `sensitivity` make, once each.
#include "fundgap/output/board.h"

#include "fundgap/uncertainty/simulation.h"
#include "fundgap/version.h"

namespace fundgap {

BoardReport make_board_report(const Scenario& sc, const std::string& source, const BoardOptions& options) {
  BoardReport b;
  b.source = source;
  b.version = FUNDGAP_VERSION_STRING;
  const Projection projection = project(sc);
  b.report = make_report(sc, projection, View::all);
  const int last = sc.projected_years;
  b.bridge = make_bridge(sc, projection, -1, 0, last);
  for (int p = 0; p < static_cast<int>(sc.partners.size()); ++p)
    b.partner_bridges.push_back(make_bridge(sc, projection, p, 0, last));

  FileChecks f;
  f.path = source;
  f.scenario = sc.name;
  f.currency = sc.currency;
  for (int t = 0; t < sc.years(); ++t) f.years.push_back(sc.year(t));
  f.results = evaluate_checks(sc, projection);
  b.checks.files.push_back(std::move(f));

  if (sc.uncertain()) {
    SimulationOptions so;
    so.draws = options.draws;
    so.seed = options.seed;
    so.threads = options.threads;
    b.simulation = summarise(simulate(sc, so), {kFanQuantiles.begin(), kFanQuantiles.end()});
    const FigureRef ref{Figure{Measure::gap, EntityKind::system, -1}, last};
    b.tornado = Tornado{figure_text(sc, ref.figure, last), projected_value(sc, ref), sc.currency,
                        sensitivity(sc, ref, {})};
  }
  return b;
}

}  // namespace fundgap
