// `fundgap explain FILE ENTITY.MEASURE[YEAR]`: how one figure is built.
#include <memory>
#include <sstream>

#include "commands.h"
#include "output.h"
#include "scenario_options.h"

#include "fundgap/input/references.h"
#include "fundgap/model/explanation.h"

namespace fundgap::cli {

namespace {

struct ExplainOptions {
  std::string file;
  std::string target;
  int depth = -1;
  ScenarioOptions scenario;
  OutputOptions out;
};

int run_explain(const ExplainOptions& o) {
  o.out.resolved_format();
  const Scenario sc = o.scenario.load(o.file);
  const Projection p = project(sc);
  const Explanation e = explain(sc, p, parse_figure(sc, o.target, "FIGURE"));
  WriteOptions options;
  options.depth = o.depth;
  options.currency = sc.currency;
  o.out.emit_document(e, options);
  return 0;
}

}  // namespace

void setup_explain(CLI::App& sub, Action& action) {
  auto o = std::make_shared<ExplainOptions>();
  sub.add_option("file", o->file, "Scenario file (YAML)")->required();
  sub.add_option("figure", o->target, "The figure: ENTITY.MEASURE[YEAR], e.g. council.gap[2021/22]")->required();
  sub.add_option("-d,--depth", o->depth, "Show this many levels below the figure (default: all)")
      ->check(CLI::NonNegativeNumber);
  o->scenario.add_to(sub);
  o->out.add_to(sub, Document::explanation, false);
  sub.footer(R"(Examples:
  fundgap explain scenarios/tower_hamlets_2019.yaml council.gap[2021/22]
  fundgap explain scenarios/tower_hamlets_2019.yaml system.gap_do_nothing[2021/22] --depth 2
  fundgap explain scenarios/tower_hamlets_2019.yaml pools.community_pool.balance[2020/21] -f json

Each line is a figure = its value [the formula that combines the lines below it]; lines
marked + and - are added and subtracted, lines marked x multiplied. Figures given in the
scenario show the file:line:col they came from. The top figure equals 'run' to the penny.)");
  sub.callback([o, &action] { action = [o] { return run_explain(*o); }; });
}

}  // namespace fundgap::cli
