// `fundgap run FILE`: project a scenario and print every partner's funding gap.
#include <iostream>
#include <memory>
#include <sstream>

#include "commands.h"
#include "output.h"
#include "scenario_options.h"

#include "fundgap/projection.h"
#include "fundgap/reader.h"
#include "fundgap/report.h"

namespace fundgap::cli {

namespace {

struct RunOptions {
  std::string file;
  std::string view = "partners";
  ScenarioOptions scenario;
  OutputOptions out;
};

int run(const RunOptions& o) {
  const Format format = *parse_format(o.out.resolved_format());
  const Scenario scenario = o.scenario.load(o.file);
  const Projection projection = project(scenario);
  const Report report = make_report(scenario, projection, *parse_view(o.view));
  std::ostringstream text;
  write_report(text, report, format, TableStyle{format == Format::table && o.out.use_color()});
  o.out.emit(text.str());
  if (format == Format::csv)  // CSV has no room for notes
    for (const std::string& note : report.notes) std::cerr << "fundgap: note: " << note << '\n';
  return 0;
}

}  // namespace

void setup_run(CLI::App& sub, Action& action) {
  auto o = std::make_shared<RunOptions>();
  sub.add_option("file", o->file, "Scenario file (YAML)")->required();
  sub.add_option("-v,--view", o->view, "What to show: partners, services, schemes, pools or all (default: partners)")
      ->check(CLI::IsMember({"partners", "services", "schemes", "pools", "all"}));
  o->scenario.add_to(sub);
  o->out.add_to(sub);
  sub.footer(R"(Examples:
  fundgap run scenarios/tower_hamlets_2019.yaml
  fundgap run scenarios/tower_hamlets_2019.yaml --view pools
  fundgap run scenarios/tower_hamlets_2019.yaml --set services.acute.demand=4% \
      --set schemes.admission_avoidance.confidence=50%
  fundgap run scenarios/blackpool_fylde_coast_2017.yaml --view all -o gaps.csv
  fundgap run examples/01_one_partner.yaml --format json | jq '.views.partners[0].measures.gap'

Money in the table is in millions with one decimal; CSV and JSON carry full precision.
A positive gap is a shortfall (spend above funding).)");
  sub.callback([o, &action] { action = [o] { return run(*o); }; });
}

}  // namespace fundgap::cli
