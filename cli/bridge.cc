// `fundgap bridge FILE`: the gap bridge from the base year to a target year.
#include <memory>
#include <sstream>

#include "commands.h"
#include "output.h"
#include "scenario_options.h"

#include "fundgap/model/bridge.h"

namespace fundgap::cli {

namespace {

struct BridgeOptions {
  std::string file;
  std::string from, to, partner, place;
  ScenarioOptions scenario;
  OutputOptions out;
};

int year_option(const Scenario& sc, const std::string& text, const char* option, int fallback) {
  if (text.empty()) return fallback;
  auto y = FinancialYear::parse(text);
  auto t = y ? sc.year_index(*y) : std::nullopt;
  if (!t)
    throw InputError(SourceLocation{}, fmt::format("{} {} is not a year of the period {} to {}", option, text,
                                                   sc.year(0), sc.year(sc.projected_years)));
  return *t;
}

int run_bridge(const BridgeOptions& o) {
  o.out.resolved_format();
  const Scenario sc = o.scenario.load(o.file);
  const int from = year_option(sc, o.from, "--from", 0);
  const int to = year_option(sc, o.to, "--to", sc.projected_years);
  if (to <= from)
    throw InputError(SourceLocation{}, fmt::format("--to {} must come after --from {}", sc.year(to), sc.year(from)));
  if (!o.place.empty()) {
    if (!o.partner.empty())
      throw InputError(SourceLocation{}, "--place and --partner each choose what to bridge; give one");
    const int place = sc.index_of(EntityKind::place, o.place);
    if (place < 0) {
      std::vector<std::string> ids;
      for (const Place& pl : sc.places) ids.push_back(pl.id);
      throw InputError(SourceLocation{}, ids.empty() ? fmt::format("--place {}: the scenario has no places", o.place)
                                                     : fmt::format("--place: unknown place '{}'{}", o.place,
                                                                   did_you_mean(o.place, ids)));
    }
    if (sc.delegations.empty())
      throw InputError(SourceLocation{}, fmt::format("--place {}: the scenario delegates no budgets to places, so a "
                                                     "place has no gap to bridge", o.place));
    o.out.emit_document(make_place_bridge(sc, project(sc), place, from, to), o.out.write_options());
    return 0;
  }
  int partner = -1;
  if (!o.partner.empty() && o.partner != "system") {
    partner = sc.partner_index(o.partner);
    if (partner < 0) {
      std::vector<std::string> ids{"system"};
      for (const Partner& p : sc.partners) ids.push_back(p.id);
      throw InputError(SourceLocation{}, fmt::format("--partner: unknown partner '{}'{}", o.partner,
                                                     did_you_mean(o.partner, ids)));
    }
  }
  const Bridge b = make_bridge(sc, project(sc), partner, from, to);
  o.out.emit_document(b, o.out.write_options(o.file));
  return 0;
}

}  // namespace

void setup_bridge(CLI::App& sub, Action& action) {
  auto o = std::make_shared<BridgeOptions>();
  sub.add_option("file", o->file, "Scenario file (YAML)")->required();
  sub.add_option("--to", o->to, "The target year (default: the last projected year)");
  sub.add_option("--from", o->from, "The starting year (default: the base year)");
  sub.add_option("-p,--partner", o->partner, "A partner id (default: the whole system)");
  sub.add_option("--place", o->place, "A place id: its gap (format 1.1 delegations)");
  o->scenario.add_to(sub);
  o->out.add_to(sub, Document::bridge);
  sub.footer(R"(Examples:
  fundgap bridge scenarios/tower_hamlets_2019.yaml
  fundgap bridge scenarios/tower_hamlets_2019.yaml --to 2020/21 --partner council
  fundgap bridge scenarios/tower_hamlets_2019.yaml -f csv -o bridge.csv
  fundgap bridge scenarios/north_east_london_2021.yaml --place tower_hamlets

Steps, in order: funding growth; demand growth (on the starting spend); inflation (on
spend grown by demand); each scheme's net effect (saving, re-provision, investment); and
for each pool, what the partner pays in beyond its risk share of all contributions.
They add up exactly to the change in the gap (see docs/explain-and-bridge.md). A place's
bridge starts from the change in its budget, then demand, inflation and schemes on its
delegated services (docs/places.md).)");
  sub.callback([o, &action] { action = [o] { return run_bridge(*o); }; });
}

}  // namespace fundgap::cli
