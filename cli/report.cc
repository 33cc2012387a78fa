// `fundgap report FILE -o report.html`: the board report, one self-contained HTML page.
#include <memory>

#include "commands.h"
#include "draw_options.h"
#include "output.h"
#include "scenario_options.h"

#include "fundgap/output/board.h"

namespace fundgap::cli {

namespace {

struct ReportOptions {
  std::string file;
  DrawOptions mc{2000};
  ScenarioOptions scenario;
  OutputOptions out;
};

int run_report(const ReportOptions& o) {
  const WriteOptions options = o.out.write_options(o.file);  // bad --units: before the work
  const Scenario sc = o.scenario.load(o.file);
  const BoardReport board = make_board_report(sc, o.file, {o.mc.draws, o.mc.seed, o.mc.threads});
  o.out.emit_document(board, options);
  return 0;
}

}  // namespace

void setup_report(CLI::App& sub, Action& action) {
  auto o = std::make_shared<ReportOptions>();
  sub.add_option("file", o->file, "Scenario file (YAML)")->required();
  o->mc.add_to(sub);
  o->scenario.add_to(sub);
  o->out.add_to(sub, Document::board, false);
  sub.footer(R"(Examples:
  fundgap report scenarios/tower_hamlets_2019.yaml -o report.html
  fundgap report scenarios/tower_hamlets_2019_uncertain.yaml --draws 20000 --seed 7 -o report.html
  fundgap report plan.yaml --set services.acute.demand=4% -o what-if.html

One HTML file with everything inside it (no script, no font, nothing fetched): each
partner's and the system's gap, plan against do-nothing; the gap bridges as waterfalls;
pool balances; for a scenario with uncertain inputs a fan chart of the simulated gap and
a tornado of the inputs that move it most; the checks; and the tables of 'run --view all'.
Prints and reads on a phone. The same --seed gives the same report.)");
  sub.callback([o, &action] { action = [o] { return run_report(*o); }; });
}

}  // namespace fundgap::cli
