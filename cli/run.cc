// `fundgap run FILE`: project a scenario and print every partner's funding gap.
#include <iostream>
#include <memory>
#include <sstream>

#include "commands.h"
#include "output.h"
#include "scenario_options.h"

#include "fundgap/analysis/report.h"
#include "fundgap/model/projection.h"

namespace fundgap::cli {

namespace {

struct RunOptions {
  std::string file;
  std::string view = "partners";
  std::string prices = "cash";
  ScenarioOptions scenario;
  OutputOptions out;
};

int run(const RunOptions& o) {
  const OutputFormat& format = o.out.resolved_format();
  const Scenario scenario = o.scenario.load(o.file);
  const Projection projection = project(scenario);
  if (o.prices == "real" && scenario.deflator.size() == 0)
    throw InputError(SourceLocation{}, fmt::format("--prices real needs the scenario's price index: add "
                                                   "'prices: {{deflator: 2%}}' (format 1.1) to '{}'", o.file));
  const Report report = make_report(scenario, projection, *parse_view(o.view), {o.prices == "real"});
  o.out.emit_document(report, o.out.write_options(o.file));
  if (!format.notes)
    for (const std::string& note : report.notes) std::cerr << "fundgap: note: " << note << '\n';
  return 0;
}

}  // namespace

void setup_run(CLI::App& sub, Action& action) {
  auto o = std::make_shared<RunOptions>();
  sub.add_option("file", o->file, "Scenario file (YAML)")->required();
  std::vector<std::string> names;
  for (const ViewInfo& v : views()) names.emplace_back(v.name);
  names.emplace_back(view_name(View::all));
  sub.add_option("-v,--view", o->view,
                 fmt::format("What to show: {} or all (default: partners)", fmt::join(names.begin(), names.end() - 1, ", ")))
      ->check(CLI::IsMember(names));
  sub.add_option("--prices", o->prices,
                 "Money in cash (as spent each year) or real terms (at base-year prices, by the scenario's "
                 "prices.deflator) (default: cash)")
      ->check(CLI::IsMember({"cash", "real"}));
  o->scenario.add_to(sub);
  o->out.add_to(sub, Document::report);
  sub.footer(R"(Examples:
  fundgap run scenarios/tower_hamlets_2019.yaml
  fundgap run scenarios/tower_hamlets_2019.yaml --view pools
  fundgap run scenarios/tower_hamlets_2019.yaml --set services.acute.demand=4% \
      --set schemes.admission_avoidance.confidence=50%
  fundgap run scenarios/blackpool_fylde_coast_2017.yaml --view all -o gaps.csv
  fundgap run examples/01_one_partner.yaml --format json | jq '.views.partners[0].measures.gap'
  fundgap run scenarios/tower_hamlets_2019.yaml --view all -o plan.xlsx
  fundgap run scenarios/tower_hamlets_2019.yaml -o board.md --units £k --decimals 0

Money in the table is in millions with one decimal (see --units and --decimals); CSV,
JSON and IAMC carry full precision, and a workbook's cells hold it behind the format.
A positive gap is a shortfall (spend above funding).)");
  sub.callback([o, &action] { action = [o] { return run(*o); }; });
}

}  // namespace fundgap::cli
