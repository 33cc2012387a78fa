// `fundgap sensitivity FILE` (a tornado of one-at-a-time swings) and
// `fundgap solve FILE --vary PATH --target 'FIGURE = VALUE'` (root finding).
#include <cmath>
#include <memory>
#include <sstream>

#include "commands.h"
#include "output.h"
#include "scenario_options.h"

#include "fundgap/analysis/whatif.h"
#include "fundgap/base/money.h"
#include "fundgap/base/quantity.h"
#include "fundgap/model/projection.h"
#include "fundgap/input/references.h"

namespace fundgap::cli {

namespace {

std::string last_year_gap(const Scenario& sc) { return fmt::format("system.gap[{}]", sc.year(sc.projected_years)); }

struct SensitivityOptions {
  std::string file, target;
  std::vector<std::string> inputs;
  ScenarioOptions scenario;
  OutputOptions out;
};

int run_sensitivity(const SensitivityOptions& o) {
  o.out.resolved_format();
  const Scenario sc = o.scenario.load(o.file);
  const std::string target = o.target.empty() ? last_year_gap(sc) : o.target;
  const FigureRef ref = parse_figure(sc, target, "--target");
  const Tornado tornado{target, projected_value(sc, ref), sc.currency, sensitivity(sc, ref, o.inputs)};
  o.out.emit_document(tornado, o.out.write_options(o.file));
  return 0;
}

struct SolveOptions {
  std::string file, vary, target, between;
  ScenarioOptions scenario;
  OutputOptions out;
};

double parse_number(const std::string& text, const std::string& what) {
  const Quantity p = parse_quantity(text);
  if (p.error != NumberError::none || text.empty())
    throw InputError(SourceLocation{}, fmt::format("{}: expected a number (like 0, 5m or 3%), found '{}'", what, text));
  return p.value;
}

int run_solve(const SolveOptions& o) {
  o.out.resolved_format();
  const Scenario sc = o.scenario.load(o.file);
  const std::size_t eq = o.target.find('=');
  if (eq == std::string::npos)
    throw InputError(SourceLocation{}, fmt::format("--target: expected 'FIGURE = VALUE' (like 'system.gap[{}] = 0'), "
                                                   "found '{}'", sc.year(sc.projected_years), o.target));
  std::string figure = o.target.substr(0, eq), value = o.target.substr(eq + 1);
  if (!value.empty() && value.front() == '=') value.erase(0, 1);  // '==' reads the same
  auto trim = [](std::string s) {
    s.erase(0, s.find_first_not_of(' '));
    s.erase(s.find_last_not_of(' ') + 1);
    return s;
  };
  figure = trim(figure);
  value = trim(value);
  const FigureRef ref = parse_figure(sc, figure, "--target");
  const double goal = parse_number(value, "--target");
  std::optional<std::pair<double, double>> range;
  if (!o.between.empty()) {
    const std::size_t comma = o.between.find(',');
    if (comma == std::string::npos)
      throw InputError(SourceLocation{}, fmt::format("--between: expected LOW,HIGH (like 0%,10%), found '{}'", o.between));
    range = {parse_number(trim(o.between.substr(0, comma)), "--between"),
             parse_number(trim(o.between.substr(comma + 1)), "--between")};
    if (range->first >= range->second)
      throw InputError(SourceLocation{}, fmt::format("--between: LOW must be below HIGH, found '{}'", o.between));
  }
  const Parameter p = whole_parameter(sc, o.vary, "--vary");
  if (range && p.kind == ValueKind::money && std::max(std::fabs(range->first), std::fabs(range->second)) > kMaxMoney) {
    const std::string symbol = currency_symbol(sc.currency);
    throw InputError(SourceLocation{}, fmt::format("--between: '{}' goes beyond \u00b1{:.0bn}, more than fundgap "
                                                   "computes to the penny (the limit)", o.between,
                                                   Money{kMaxMoney, symbol}));
  }
  const SolveResult result{o.vary, p.kind, figure, goal, sc.currency, solve(sc, o.vary, ref, goal, range)};
  o.out.emit_document(result, {});
  const Solution& s = result.solution;
  return s.found ? 0 : 1;
}

}  // namespace

void setup_sensitivity(CLI::App& sub, Action& action) {
  auto o = std::make_shared<SensitivityOptions>();
  sub.add_option("file", o->file, "Scenario file (YAML)")->required();
  sub.add_option("-t,--target", o->target, "The figure to explain (default: system.gap in the last year)");
  sub.add_option("-i,--input", o->inputs, "Also swing this certain input by -10% and +10% (repeatable)")->take_all();
  o->scenario.add_to(sub);
  o->out.add_to(sub, Document::tornado, false);
  sub.footer(R"(Examples:
  fundgap sensitivity scenarios/tower_hamlets_2019_uncertain.yaml
  fundgap sensitivity plan.yaml --target 'council.gap[2021/22]' --input services.acute.base

Each uncertain input swings from its P10 to its P90 (named certain inputs from -10% to
+10% of their value), one at a time, everything else as 'run' has it; the table is
ranked by the swing in the target figure, largest first.)");
  sub.callback([o, &action] { action = [o] { return run_sensitivity(*o); }; });
}

void setup_solve(CLI::App& sub, Action& action) {
  auto o = std::make_shared<SolveOptions>();
  sub.add_option("file", o->file, "Scenario file (YAML)")->required();
  sub.add_option("--vary", o->vary, "The input to solve for, by its YAML path (services.acute.demand)")->required();
  sub.add_option("-t,--target", o->target, "FIGURE = VALUE, e.g. 'system.gap[2021/22] = 0'")->required();
  sub.add_option("--between", o->between, "The range to search: LOW,HIGH (default: by the input's kind)");
  o->scenario.add_to(sub);
  o->out.add_to(sub, Document::solution, false);
  sub.footer(R"(Examples:
  fundgap solve scenarios/tower_hamlets_2019.yaml --vary partners.ccg.funding.growth --target 'system.gap[2021/22] = 0'
  fundgap solve plan.yaml --vary schemes.admission_avoidance.confidence --target 'council.gap[2021/22] = 5m'
  fundgap solve plan.yaml --vary services.acute.demand --target 'system.gap[2021/22] = 0' --between 0%,10%

Default ranges: shares 0 to 100%, rates -99% to +100%, money 0 to ten times the
input's value (at least 0 to 1m). Exit 0 when a value is found, 1 when none in the range meets the target.)");
  sub.callback([o, &action] { action = [o] { return run_solve(*o); }; });
}

}  // namespace fundgap::cli
