// `fundgap compare BASE OTHER...`: the same measure in several scenarios, side by side.
#include <memory>
#include <sstream>

#include "commands.h"
#include "output.h"
#include "scenario_options.h"

#include "fundgap/analysis/compare.h"
#include "fundgap/input/reader.h"
#include "fundgap/model/projection.h"

namespace fundgap::cli {

namespace {

struct CompareOptions {
  std::vector<std::string> files;
  std::string view = "partners";
  std::string measure;
  std::vector<std::string> gates;
  ScenarioOptions scenario;
  OutputOptions out;
};

int run_compare(const CompareOptions& o) {
  o.out.resolved_format();
  const View view = *parse_view(o.view);
  const std::string measure = o.measure.empty() ? default_measure(view) : o.measure;
  const Scenario base = ScenarioOptions::load_noting(o.files.front());
  const Projection base_projection = project(base);
  const Projected base_projected{base, base_projection};
  std::vector<Gate> gates;
  for (const std::string& g : o.gates) gates.push_back(parse_gate(base, g, "--max-increase"));

  // The others, each with --set applied; with none, the base itself with --set.
  std::vector<std::string> others(o.files.begin() + 1, o.files.end());
  if (others.empty()) {
    if (o.scenario.options().overrides.empty())
      throw InputError(SourceLocation{}, "nothing to compare: give another scenario, or --set to vary the base");
    others.push_back(o.files.front());
  }
  Comparisons doc;
  std::vector<Comparison>& comparisons = doc.comparisons;
  std::vector<GateResult>& results = doc.gates;
  for (const std::string& file : others) {
    const Scenario other = o.scenario.load(file);
    const Projection other_projection = project(other);
    const Projected other_projected{other, other_projection};
    Comparison c = compare(base_projected, other_projected, view, measure);
    c.base_file = o.files.front();
    c.other_file = file == o.files.front() ? file + " --set" : file;
    if (!o.scenario.options().overrides.empty()) c.other_name += " (with --set)";
    for (const Gate& g : gates) results.push_back(evaluate_gate(g, base_projected, other_projected, c.other_file));
    comparisons.push_back(std::move(c));
  }

  o.out.emit_document(doc, o.out.write_options(fmt::format("{}", fmt::join(o.files, ", "))));
  for (const GateResult& r : results)
    if (!r.passed) return 1;
  return 0;
}

}  // namespace

void setup_compare(CLI::App& sub, Action& action) {
  auto o = std::make_shared<CompareOptions>();
  sub.add_option("files", o->files, "BASE scenario, then the scenarios to compare with it")->required();
  std::vector<std::string> names;
  for (const ViewInfo& v : views()) names.emplace_back(v.name);
  sub.add_option("-v,--view", o->view,
                 fmt::format("Entities to compare: {} or {} (default: partners)",
                             fmt::join(names.begin(), names.end() - 1, ", "), names.back()))
      ->check(CLI::IsMember(names));
  sub.add_option("-m,--measure", o->measure,
                 "The measure to compare (default: gap, net, saving or balance for the view)");
  sub.add_option("--max-increase", o->gates,
                 "Fail (exit 1) when another scenario raises ENTITY.MEASURE[YEAR|*] by more than a limit "
                 "(money, or % of the base value); repeatable")
      ->take_all();
  o->scenario.add_to(sub);
  o->out.add_to(sub, Document::comparison);
  sub.footer(R"(Examples:
  fundgap compare plans/base.yaml plans/high_demand.yaml
  fundgap compare scenarios/tower_hamlets_2019.yaml --set services.acute.demand=4%
  fundgap compare base.yaml variant.yaml --view services
  fundgap compare main.yaml pr.yaml --max-increase 'system.gap[*]=1m' --max-increase 'council.gap[*]=5%'

--set applies to the other scenarios; with no other scenario, the base with --set is
compared to the base. Exit 1 when a --max-increase limit is exceeded, 2 on bad input.)");
  sub.callback([o, &action] { action = [o] { return run_compare(*o); }; });
}

}  // namespace fundgap::cli
