// Format 1.1, places (docs/places.md): services split by place, schemes rolled out by
// place, delegated budgets (historic, fair share, glide, level up, floor, cap, pennies),
// lead-provider transfers, stream targets with convergence, and pools by source
// (allocation, minimums, tiered and lead-commissioner risk shares, carry-forward). Every
// expected figure is worked out by hand in the comment beside it. Money in pounds.
#include <cmath>

#include "fundgap/input/references.h"
#include "fundgap/model/bridge.h"
#include "fundgap/model/explanation.h"
#include "fundgap/uncertainty/simulation.h"
#include "test_support.h"

using namespace fundgap;
using fundgap::testing::errors_of;
using fundgap::testing::scenario;
using fundgap::testing::value;
using Errors = std::vector<std::string>;

namespace {

const char* const kHead =
    "fundgap: 1.1\n"
    "name: T\n"
    "period: {base: 2024/25, to: 2026/27}\n";

// docs/examples/places.yaml, inline: two places, a hybrid glide over two years, a 1% floor,
// south under a lead provider.
const char* const kPlaces =
    "places:\n"
    "  north: {population: 100000, weighted_population: 120000}\n"
    "  south: {population: 100000, weighted_population: 80000}\n"
    "partners:\n"
    "  icb: {funding: {core: {base: 1000m, growth: 3%}}}\n"
    "  trust: {funding: {base: 0m}}\n"
    "services:\n"
    "  community: {funder: icb, base: 400m, demand: 2%, places: {by: population}}\n"
    "  acute: {funder: icb, base: 600m}\n"
    "delegations:\n"
    "  d:\n"
    "    from: icb.core\n"
    "    envelope: 40%\n"
    "    services: [community]\n"
    "    method: hybrid\n"
    "    historic: {north: 200m, south: 200m}\n"
    "    fair_share: weighted_population\n"
    "    glide: {years: 2}\n"
    "    floor: 1%\n"
    "    form: {north: committee, south: {lead_provider: trust}}\n";

}  // namespace

TEST_CASE("delegation: a hybrid glide with a floor, by hand") {
  const Scenario sc = scenario(std::string(kHead) + kPlaces);
  const Projection p = project(sc);
  // Envelope 40% x 1000m x 1.03^t: 400m, 412m, 424.36m. Glide weights 50%, 100%.
  // 2025/26: south wants 412m x (0.5 x 50% + 0.5 x 40%) = 185.4m, below its floor
  // 200m x 1.01 = 202m, so it is held at 202m and north takes the rest, 210m.
  // 2026/27: south wants 424.36m x 40% = 169.744m < 202m x 1.01 = 204.02m; north 220.34m.
  CHECK(value(sc, p, "south.budget[2024/25]") == doctest::Approx(200e6));
  CHECK(value(sc, p, "south.budget[2025/26]") == doctest::Approx(202e6));
  CHECK(value(sc, p, "north.budget[2025/26]") == doctest::Approx(210e6));
  CHECK(value(sc, p, "south.budget[2026/27]") == doctest::Approx(204.02e6));
  CHECK(value(sc, p, "north.budget[2026/27]") == doctest::Approx(220.34e6));
  // Targets: envelope x fair share (60%, 40%).
  CHECK(value(sc, p, "north.target[2025/26]") == doctest::Approx(247.2e6));
  CHECK(value(sc, p, "south.distance[2026/27]") == doctest::Approx(204.02e6 - 169.744e6));
  CHECK(value(sc, p, "south.distance_pct[2026/27]") == doctest::Approx((204.02 - 169.744) / 169.744));
  // Spend: half of 400m x 1.02^t in each place; gap = spend - budget.
  CHECK(value(sc, p, "north.gap[2025/26]") == doctest::Approx(204e6 - 210e6));
  CHECK(value(sc, p, "south.gap[2026/27]") == doctest::Approx(208.08e6 - 204.02e6));
  // The lead provider carries south's variance: 2m in 2025/26; the ICB's spend is
  // 600m + 408m - 2m, its gap 1006m - 1030m.
  CHECK(value(sc, p, "trust.gap[2025/26]") == doctest::Approx(2e6));
  CHECK(value(sc, p, "icb.gap[2025/26]") == doctest::Approx(-24e6));
  CHECK(value(sc, p, "system.gap[2025/26]") == doctest::Approx(1008e6 - 1030e6));
  CHECK(value(sc, p, "icb.delegated[2026/27]") == doctest::Approx(424.36e6));
}

TEST_CASE("delegation: budgets add up to the envelope to the penny, and spend still balances") {
  // Three places whose shares do not divide the envelope into pennies.
  const Scenario sc = scenario(std::string(kHead) +
                               "places:\n"
                               "  a: {population: 1}\n  b: {population: 1}\n  c: {population: 1}\n"
                               "partners:\n  icb: {funding: {base: 100.00001m, growth: 1.234567%}}\n"
                               "services:\n  s: {funder: icb, base: 100m, places: {by: population}}\n"
                               "delegations:\n  d: {from: icb, envelope: 77.777%, services: [s], method: fair_share,\n"
                               "                    fair_share: population}\n");
  const Projection p = project(sc);
  for (int t = 0; t < sc.years(); ++t) {
    const double envelope = std::round(0.77777 * p.funding(0, t) * 100);
    double pennies = 0;
    for (int i = 0; i < 3; ++i) {
      const double b = p.place_budget(i, t) * 100;
      CHECK(std::fabs(b - std::round(b)) < 1e-4);  // whole pennies
      pennies += std::round(b);
    }
    CHECK(pennies == envelope);
    // Largest remainder: the budgets differ by a penny at most.
    CHECK(std::fabs(p.place_budget(0, t) - p.place_budget(2, t)) <= 0.0100001);
    CHECK(std::fabs(p.spend.col(t).sum() - p.net.col(t).sum()) < 1e-3);
  }
}

TEST_CASE("delegation: level_up shares each year's growth by shortfall, nobody losing cash") {
  // Fair shares 50/50; historic 70/30; envelope 100m growing 10%.
  // 2025/26: growth 10m; shortfalls a max(0, 55 - 70) = 0, b 55 - 30 = 25: b takes all
  // 10m -> a 70m, b 40m. 2026/27: envelope 121m, growth 11m; b short 60.5 - 40 = 20.5 ->
  // a 70m, b 51m.
  const Scenario sc = scenario(std::string(kHead) +
                               "places:\n  a: {population: 5}\n  b: {population: 5}\n"
                               "partners:\n  icb: {funding: {base: 100m, growth: 10%}}\n"
                               "services:\n  s: {funder: icb, base: 100m, places: {by: population}}\n"
                               "delegations:\n  d: {from: icb, envelope: 100%, services: [s], method: hybrid,\n"
                               "  historic: {a: 70%, b: 30%}, fair_share: population, glide: level_up}\n");
  const Projection p = project(sc);
  CHECK(value(sc, p, "a.budget[2025/26]") == doctest::Approx(70e6));
  CHECK(value(sc, p, "b.budget[2025/26]") == doctest::Approx(40e6));
  CHECK(value(sc, p, "a.budget[2026/27]") == doctest::Approx(70e6));
  CHECK(value(sc, p, "b.budget[2026/27]") == doctest::Approx(51e6));
}

TEST_CASE("a stream with a target converges by level up, by hand") {
  // Target 2000m x 55 / 1000 = 110m; the stream is 100m, 9.1% below, beyond the 1% band.
  // 2025/26: U = 102m, target 112.2m, +50% of the way: 107.1m (convergence 5.1m).
  // 2026/27: distance (107.1 - 112.2) / 112.2 = -4.5%; U = 109.242m, target 114.444m:
  // 109.242 + 0.5 x 5.202 = 111.843m.
  const Scenario sc = scenario(std::string(kHead) +
                               "partners:\n  icb:\n    funding:\n      core:\n        base: 100m\n        growth: 2%\n"
                               "        target: {share_of: {base: 2000m, growth: 2%}, weighted_population: 55,\n"
                               "                 national_weighted_population: 1000}\n"
                               "        convergence: {method: level_up, close: 50%, band: 1%}\n"
                               "services:\n  s: {funder: icb, base: 100m}\n");
  const Projection p = project(sc);
  CHECK(value(sc, p, "icb.target.core[2024/25]") == doctest::Approx(110e6));
  CHECK(value(sc, p, "icb.funding[2025/26]") == doctest::Approx(107.1e6));
  CHECK(value(sc, p, "icb.convergence.core[2025/26]") == doctest::Approx(5.1e6));
  CHECK(value(sc, p, "icb.funding[2026/27]") == doctest::Approx(111.843e6));
  CHECK(value(sc, p, "icb.distance.core[2026/27]") == doctest::Approx(111.843e6 - 114.444e6));
}

TEST_CASE("a scheme rolled out by place saves where it has started") {
  // 100m split 50/50; 10% saving in a from 2025/26 and everywhere else from 2026/27.
  // 2025/26: 50% x 10% x 100m = 5m, all in a: a spends 50 - 5 = 45m, b 50m.
  const Scenario sc = scenario(std::string(kHead) +
                               "places:\n  a: {population: 5}\n  b: {population: 5}\n"
                               "partners:\n  c: {funding: {base: 100m}}\n"
                               "services:\n  s: {funder: c, base: 100m, places: {by: population}}\n"
                               "schemes:\n  k: {service: s, saving: 10%, start: 2025/26,\n"
                               "               places: {a: 2025/26, rest: 2026/27}}\n");
  const Projection p = project(sc);
  CHECK(value(sc, p, "k.saving[2025/26]") == doctest::Approx(5e6));
  CHECK(value(sc, p, "k.saving[2026/27]") == doctest::Approx(10e6));
  CHECK(value(sc, p, "a.spend[2025/26]") == doctest::Approx(45e6));
  CHECK(value(sc, p, "b.spend[2025/26]") == doctest::Approx(50e6));
  CHECK(value(sc, p, "b.spend[2026/27]") == doctest::Approx(45e6));
}

namespace {

// docs/examples/bcf.yaml: sources with their own growth, allocation, a minimum, tiers.
const char* const kBcf =
    "partners:\n  council: {funding: {base: 6.4m}}\n  icb: {funding: {base: 22m}}\n"
    "services:\n"
    "  reablement: {base: 5m, demand: 10%}\n  adaptations: {base: 2.4m}\n  home_care: {base: 20m}\n"
    "  other: {funder: icb, base: 1m}\n"
    "pools:\n"
    "  bcf:\n"
    "    host: council\n"
    "    services: [reablement, adaptations, home_care]\n"
    "    contributions: {icb: {nhs_minimum: 20m, discharge: 1m}, council: {dfg: 2.4m, ibcf: 4m}}\n"
    "    growth: {nhs_minimum: 10%, discharge: 0%, dfg: 0%, ibcf: 0%}\n"
    "    allocation:\n"
    "      reablement: {nhs_minimum: 4m, discharge: 1m}\n"
    "      adaptations: {dfg: 2.4m}\n"
    "      home_care: {nhs_minimum: 16m, ibcf: 4m}\n"
    "    minimums:\n"
    "      asc: {from: nhs_minimum, amount: 6.5m, to: [reablement, home_care]}\n";

}  // namespace

TEST_CASE("pool by source: contributions, allocation, minimums and a tiered risk share, by hand") {
  const Scenario sc = scenario(std::string(kHead) + kBcf +
                               "    risk_share: {tiers: [{up_to: 1m, shares: host}, {shares: {council: 50%, icb: 50%}}]}\n");
  const Projection p = project(sc);
  // nhs_minimum 20m x 1.1^t; icb contributes 21m, 23m, 25.2m; council 6.4m.
  CHECK(value(sc, p, "bcf.source_nhs_minimum[2026/27]") == doctest::Approx(24.2e6));
  CHECK(value(sc, p, "bcf.contribution_icb[2025/26]") == doctest::Approx(23e6));
  // Spend 5.5 + 2.4 + 20 = 27.9m against 29.4m: 1.5m under. First 1m to the council, the
  // other 0.5m 50:50: council 1.25m, icb 0.25m. 2026/27: 3.15m -> 2.075m and 1.075m.
  CHECK(value(sc, p, "bcf.balance[2025/26]") == doctest::Approx(1.5e6));
  CHECK(value(sc, p, "bcf.balance_share_council[2025/26]") == doctest::Approx(1.25e6));
  CHECK(value(sc, p, "bcf.balance_share_icb[2025/26]") == doctest::Approx(0.25e6));
  CHECK(value(sc, p, "bcf.balance_share_council[2026/27]") == doctest::Approx(2.075e6));
  CHECK(value(sc, p, "bcf.balance_share_icb[2026/27]") == doctest::Approx(1.075e6));
  CHECK(value(sc, p, "council.gap[2025/26]") == doctest::Approx(5.15e6 - 6.4e6));
  CHECK(value(sc, p, "icb.gap[2025/26]") == doctest::Approx(22.75e6 + 1e6 - 22e6));
  // Allocations grow with their source: reablement 4m x 1.1 + 1m = 5.4m.
  CHECK(value(sc, p, "bcf.allocation_reablement[2025/26]") == doctest::Approx(5.4e6));
  CHECK(value(sc, p, "bcf.unallocated_nhs_minimum[2026/27]") == doctest::Approx(0).epsilon(1e-9));
  // The minimum grows with its source: 6.5m x 1.1 = 7.15m; headroom (4m + 16m) x 1.1 - 7.15m.
  CHECK(value(sc, p, "bcf.minimum_asc[2025/26]") == doctest::Approx(7.15e6));
  CHECK(value(sc, p, "bcf.minimum_headroom_asc[2025/26]") == doctest::Approx(14.85e6));
  for (int t = 0; t < sc.years(); ++t) CHECK(p.spend.col(t).sum() == doctest::Approx(p.net.col(t).sum()));
  // The bridge still adds up with a share that is not one share of the balance.
  for (int partner : {-1, 0, 1}) {
    const Bridge b = make_bridge(sc, p, partner, 0, 2);
    double v = b.start;
    for (const BridgeStep& s : b.steps) v += s.value;
    CHECK(v == doctest::Approx(b.end));
  }
}

TEST_CASE("pool: a minimum that grows faster than its allocation falls short in a later year") {
  // The minimum rises 20% a year against the source's 10%: 6.5m x 1.2^2 = 9.36m in
  // 2026/27 against (4 + 16) x 1.21 = 24.2m; with only reablement counted, 4 x 1.21 =
  // 4.84m < 9.36m: 4.52m short, and the check fails.
  Scenario sc = scenario(std::string(kHead) + kBcf +
                         "      late: {from: nhs_minimum, amount: 4m, growth: 20%, to: [reablement]}\n");
  const Projection p = project(sc);
  CHECK(value(sc, p, "bcf.minimum_headroom_late[2024/25]") == doctest::Approx(0).epsilon(1e-9));
  CHECK(value(sc, p, "bcf.minimum_headroom_late[2026/27]") == doctest::Approx(4.84e6 - 5.76e6));
}

TEST_CASE("pool: each lead commissioner carries its own service's variance") {
  // s1 (lead icb) allocated 10m, spends 10m then 11m: variance -1m to the icb in 2025/26.
  // s2 (lead council) allocated 5m, spends 5m. Contributions 10m + 6m: 1m unallocated,
  // which with the rest of the balance goes to the host (council): +1m.
  const Scenario sc = scenario(std::string(kHead) +
                               "partners:\n  council: {funding: {base: 5m}}\n  icb: {funding: {base: 11m}}\n"
                               "services:\n  s1: {base: 10m, demand: 10%}\n  s2: {base: 5m}\n"
                               "pools:\n  p:\n    host: council\n    services: [s1, s2]\n"
                               "    contributions: {icb: {nhs: 10m}, council: {own: 6m}}\n"
                               "    allocation: {s1: {nhs: 10m}, s2: {own: 5m}}\n"
                               "    risk_share: lead\n    leads: {s1: icb, s2: council}\n");
  const Projection p = project(sc);
  CHECK(value(sc, p, "p.balance_share_icb[2025/26]") == doctest::Approx(-1e6));
  CHECK(value(sc, p, "p.balance_share_council[2025/26]") == doctest::Approx(1e6));
  CHECK(value(sc, p, "p.cost_icb[2025/26]") == doctest::Approx(11e6));
  CHECK(value(sc, p, "p.cost_council[2025/26]") == doctest::Approx(5e6));
  CHECK(value(sc, p, "p.balance_share_council[2024/25]") == doctest::Approx(1e6));
  for (int t = 0; t < sc.years(); ++t) CHECK(p.spend.col(t).sum() == doctest::Approx(p.net.col(t).sum()));
}

TEST_CASE("pool: an underspend carried forward stays in the pool") {
  // Contributions 10m; spend 8m, 10m, 12.5m. 2024/25: 2m under, carried (cost 10m).
  // 2025/26: 10 + 2 - 10 = 2m, carried. 2026/27: 10 + 2 - 12.5 = -0.5m, shared (cost 10.5m).
  const Scenario sc = scenario(std::string(kHead) +
                               "partners:\n  council: {funding: {base: 10m}}\n"
                               "services:\n  s: {base: 8m, demand: [25%, 25%]}\n"
                               "pools:\n  p: {host: council, services: [s], contributions: {council: 10m},\n"
                               "              carry_forward: true}\n");
  const Projection p = project(sc);
  CHECK(value(sc, p, "p.carried_forward[2024/25]") == doctest::Approx(2e6));
  CHECK(value(sc, p, "p.balance[2025/26]") == doctest::Approx(2e6));
  CHECK(value(sc, p, "p.cost_council[2025/26]") == doctest::Approx(10e6));
  CHECK(value(sc, p, "p.balance[2026/27]") == doctest::Approx(-0.5e6));
  CHECK(value(sc, p, "p.carried_forward[2026/27]") == doctest::Approx(0).epsilon(1e-9));
  CHECK(value(sc, p, "council.spend[2026/27]") == doctest::Approx(10.5e6));
  // Spend = net spend + the change in what is carried: 10 = 8 + 2, 10 = 10 + 0, 10.5 = 12.5 - 2.
  CHECK(p.spend(0, 0) == doctest::Approx(p.net(0, 0) + 2e6));
  CHECK(p.spend(0, 2) == doctest::Approx(p.net(0, 2) - 2e6));
}

TEST_CASE("places are entities in checks, explain and bridge") {
  const Scenario sc = scenario(std::string(kHead) + kPlaces +
                               "checks:\n  - check: south.gap[*] <= 5m\n  - check: places.north.gap[2026/27] < 0\n");
  const Projection p = project(sc);
  CHECK(sc.checks.size() == 2);
  const Explanation e = explain(sc, p, parse_figure(sc, "south.budget[2025/26]", "test"));
  CHECK(e.value == doctest::Approx(202e6));
  const Bridge b = make_place_bridge(sc, p, 1, 0, 2);
  double v = b.start;
  for (const BridgeStep& s : b.steps) v += s.value;
  CHECK(v == doctest::Approx(b.end));
  CHECK(b.end == doctest::Approx(208.08e6 - 204.02e6));
}

TEST_CASE("simulate takes distributions on populations, the envelope, shares and source growth") {
  Scenario sc = scenario(std::string(kHead) +
                         "places:\n  a: {population: {uniform: [90000, 110000]}}\n  b: {population: 100000}\n"
                         "partners:\n  icb: {funding: {base: 100m, growth: {normal: {mean: 3%, sd: 1%}}}}\n"
                         "  trust: {funding: {base: 0m}}\n"
                         "services:\n  s: {funder: icb, base: 100m, places: {a: {uniform: [40%, 60%]}, b: 50%}}\n"
                         "delegations:\n  d: {from: icb, envelope: {uniform: [90%, 100%]}, services: [s], method: fair_share,\n"
                         "                    fair_share: population, form: {a: {lead_provider: trust}}}\n");
  CHECK(sc.uncertain());
  int uncertain = 0;
  for (const Parameter& q : sc.parameters) uncertain += q.distribution.has_value();
  CHECK(uncertain == 4);
  SimulationOptions o;
  o.draws = 200;
  o.seed = 1;
  const SimulationState r = simulate(sc, o);
  // The lead provider's gap moves with the draws: it carries place a's variance.
  bool found = false;
  for (std::size_t i = 0; i < r.outputs.size(); ++i)
    if (r.outputs[i].entity == "trust" && r.outputs[i].measure == "gap" && r.outputs[i].year == sc.projected_years) {
      found = true;
      CHECK(r.max[i] > r.min[i]);
    }
  CHECK(found);
}

TEST_CASE("places: every error, located") {
  const std::string h = kHead;
  const std::string places = "places:\n  a: {population: 5}\n  b: {population: 5}\n";
  const std::string icb = "partners:\n  icb: {funding: {core: {base: 100m}}}\n";
  auto delegated = [&](const std::string& d) {
    return errors_of(h + places + icb + "services:\n  s: {funder: icb, base: 100m, places: {by: population}}\n" +
                     "delegations:\n  d: {from: icb, services: [s], method: fair_share, " + d + "}\n");
  };
  CHECK(errors_of(h + places + icb + "services:\n  s: {funder: icb, base: 100m, places: {a: 50%, b: 40%}}\n") ==
        Errors{"10:40: the shares by place of service 's' add up to 90%, not 100%"});
  CHECK(delegated("envelope: 50%, historic: {a: 60%}") ==
        Errors{"12:78: place 'b' is missing from 'historic' of delegation 'd'; give every place"});
  CHECK(delegated("envelope: 120m") ==
        Errors{"12:63: the envelope of delegation 'd' (£120.0m) is above the base-year funding it is drawn from "
               "(£100.0m)"});
  CHECK(delegated("envelope: 50%, form: {a: board}") ==
        Errors{"12:78: unknown form of governance 'board' for place 'a' in delegation 'd'; expected consultative_forum, "
               "committee, executive, joint_committee or {lead_provider: PARTNER}"});
}

TEST_CASE("pools by source: every error, located") {
  const std::string h = std::string(kHead) +
                        "partners:\n  council: {funding: {base: 6m}}\n  icb: {funding: {base: 10m}}\n"
                        "services:\n  s1: {base: 10m}\n  s2: {base: 6m}\n  out: {funder: icb, base: 1m}\n"
                        "pools:\n  p:\n    host: council\n    services: [s1, s2]\n"
                        "    contributions: {icb: {nhs: 10m}, council: {own: 6m}}\n";
  CHECK(errors_of(h + "    minimums: {asc: {from: nhs, amount: 6.5m, to: [s1]}}\n"
                      "    allocation: {s1: {nhs: 4m}}\n") ==
        Errors{"16:41: minimum 'asc' of pool 'p' needs £6.50m from source 'nhs' but the allocation gives £4.00m: "
               "£2.50m short"});
  CHECK(errors_of(h + "    allocation: {s1: {nhs_min: 4m}}\n") ==
        Errors{"16:23: unknown source 'nhs_min' in allocation to 's1' in pool 'p'; pool 'p' has sources 'nhs', 'own'"});
  CHECK(errors_of(h + "    growth: {nhs: 5%}\n") ==
        Errors{"16:13: 'growth' of pool 'p' gives no rate for source 'own'; give every source a rate (0% for none)"});
  CHECK(errors_of(h + "    allocation: {out: {nhs: 1m}}\n") ==
        Errors{"16:18: service 'out' in 'allocation' of pool 'p' is not in pool 'p'; a pool allocates only to its own "
               "services"});
  CHECK(errors_of(h + "    risk_share: lead\n    allocation: {s1: {nhs: 10m}}\n") ==
        Errors{"16:17: pool 'p' shares risk by lead commissioner, so each pooled service needs an allocation to measure "
               "its variance against; service 's2' has none"});
  CHECK(errors_of(h + "    risk_share: {tiers: [{up_to: 2m, shares: host}, {up_to: 1m, shares: host}, {shares: host}]}\n") ==
        Errors{"16:61: 'up_to' of tier 2 of pool 'p' must be above the tier before it"});
  CHECK(errors_of(h + "    risk_share: {tiers: [{up_to: 1m, shares: host}, {up_to: 2m, shares: host}]}\n") ==
        Errors{"16:61: the last tier of pool 'p' has 'up_to'; it takes the rest of the balance, so give it only "
               "'shares'"});
  CHECK(errors_of(h + "    risk_share: {tiers: [{shares: host}, {shares: proportional}]}\n") ==
        Errors{"16:26: tier 1 of pool 'p' needs 'up_to' (only the last tier takes the rest)"});
  CHECK(errors_of(h + "    risk_share: lead\n    allocation: {s1: {nhs: 10m}, s2: {own: 6m}}\n"
                      "    carry_forward: true\n") ==
        Errors{"18:20: pool 'p' carries underspends forward but each lead commissioner carries its own variance "
               "('risk_share: lead'), so nothing is left in the pool to carry; use one or the other"});
  CHECK(errors_of(h + "    leads: {s1: icb}\n") ==
        Errors{"16:5: 'leads' of pool 'p' names lead commissioners, which only 'risk_share: lead' uses"});
  CHECK(errors_of(h + "    carry_forward: yes please\n") ==
        Errors{"16:20: expected true or false for 'carry_forward' of pool 'p', found 'yes please'"});
  CHECK(errors_of(h + "    minimums: {asc: {from: nhs, amount: 1m}}\n    allocation: {s1: {nhs: 4m}}\n") ==
        Errors{"16:16: minimum 'asc' of pool 'p' counts the allocation to 'asc', but 'allocation' of pool 'p' has none "
               "(name the allocations it covers with 'to: [...]')"});
  CHECK(errors_of(h + "    allocation: {icb: {nhs: 4m}}\n") ==
        Errors{"16:18: 'icb' in 'allocation' of pool 'p' is not a service or scheme (it is a partner)"});
  // Format 1 has none of it.
  CHECK(errors_of("fundgap: 1\nname: T\nperiod: {base: 2024/25, to: 2025/26}\n"
                  "partners:\n  c: {funding: {base: 1m}}\nservices:\n  s: {base: 1m}\n"
                  "pools:\n  p: {host: c, services: [s], contributions: {c: {x: 1m}}}\n") ==
        Errors{"9:47: contributions by source is part of format 1.1; write 'fundgap: 1.1' at the top of the file to use it"});
}

TEST_CASE("places, delegations and targets: the rest of the errors, located") {
  // Each input and the one error it gets (line:col: message), exit 2 from the CLI.
  const std::vector<std::pair<std::string, std::string>> cases = {
      // population_zero
      {"fundgap: 1.1\n"
       "name: T\n"
       "period: {base: 2024/25, to: 2026/27}\n"
       "places:\n"
       "  a: {population: 0}\n"
       "partners:\n"
       "  icb: {funding: {core: {base: 100m}}}\n"
       "services:\n"
       "  s: {funder: icb, base: 1m}\n",
       "5:19: 'population' of place 'a' must be above zero"},
      // no_places_listed
      {"fundgap: 1.1\n"
       "name: T\n"
       "period: {base: 2024/25, to: 2026/27}\n"
       "places: {}\n"
       "partners:\n"
       "  icb: {funding: {core: {base: 100m}}}\n"
       "services:\n"
       "  s: {funder: icb, base: 1m}\n",
       "4:9: 'places' names no places"},
      // split_without_places
      {"fundgap: 1.1\n"
       "name: T\n"
       "period: {base: 2024/25, to: 2026/27}\n"
       "partners:\n"
       "  icb: {funding: {core: {base: 100m}}}\n"
       "services:\n"
       "  s: {funder: icb, base: 1m, places: {by: population}}\n",
       "7:30: service 's' is split by place, but the scenario has no 'places'"},
      // bad_by
      {"fundgap: 1.1\n"
       "name: T\n"
       "period: {base: 2024/25, to: 2026/27}\n"
       "places:\n"
       "  a: {population: 5}\n"
       "  b: {population: 5}\n"
       "partners:\n"
       "  icb: {funding: {core: {base: 100m}}}\n"
       "services:\n"
       "  s: {funder: icb, base: 1m, places: {by: households}}\n",
       "10:43: expected 'population' or 'weighted_population' for 'by' in 'places' of service 's', found 'households'"},
      // money_not_base
      {"fundgap: 1.1\n"
       "name: T\n"
       "period: {base: 2024/25, to: 2026/27}\n"
       "places:\n"
       "  a: {population: 5}\n"
       "  b: {population: 5}\n"
       "partners:\n"
       "  icb: {funding: {core: {base: 100m}}}\n"
       "services:\n"
       "  s: {funder: icb, base: 10m, places: {a: 6m, b: 3m}}\n",
       "10:39: the money by place of service 's' adds up to £9,000,000.00, not its base of £10,000,000.00"},
      // scheme_unsplit
      {"fundgap: 1.1\n"
       "name: T\n"
       "period: {base: 2024/25, to: 2026/27}\n"
       "places:\n"
       "  a: {population: 5}\n"
       "  b: {population: 5}\n"
       "partners:\n"
       "  icb: {funding: {core: {base: 100m}}}\n"
       "services:\n"
       "  s: {funder: icb, base: 10m}\n"
       "schemes:\n"
       "  k: {service: s, saving: 1%, start: 2025/26, places: {a: 2025/26}}\n",
       "12:47: scheme 'k' is rolled out by place, but its service 's' is not split by place; give the service 'places'"},
      // fair_not_100
      {"fundgap: 1.1\n"
       "name: T\n"
       "period: {base: 2024/25, to: 2026/27}\n"
       "places:\n"
       "  a: {population: 5}\n"
       "  b: {population: 5}\n"
       "partners:\n"
       "  icb: {funding: {core: {base: 100m}}}\n"
       "services:\n"
       "  s: {funder: icb, base: 100m, places: {by: population}}\n"
       "  t: {funder: icb, base: 10m}\n"
       "delegations:\n"
       "  d: {from: icb, services: [s], method: fair_share, envelope: 50%, fair_share: {a: 50%, b: 40%}}\n",
       "13:80: the shares in 'fair_share' of delegation 'd' add up to 90%, not 100%"},
      // bad_from
      {"fundgap: 1.1\n"
       "name: T\n"
       "period: {base: 2024/25, to: 2026/27}\n"
       "places:\n"
       "  a: {population: 5}\n"
       "  b: {population: 5}\n"
       "partners:\n"
       "  icb: {funding: {core: {base: 100m}}}\n"
       "services:\n"
       "  s: {funder: icb, base: 100m, places: {by: population}}\n"
       "  t: {funder: icb, base: 10m}\n"
       "delegations:\n"
       "  d: {services: [s], method: fair_share, envelope: 50%, from: [icb]}\n",
       "13:63: expected a partner or a partner's funding stream (icb.core) for 'from' in delegation 'd', found a list"},
      // no_stream
      {"fundgap: 1.1\n"
       "name: T\n"
       "period: {base: 2024/25, to: 2026/27}\n"
       "places:\n"
       "  a: {population: 5}\n"
       "  b: {population: 5}\n"
       "partners:\n"
       "  icb: {funding: {core: {base: 100m}}}\n"
       "services:\n"
       "  s: {funder: icb, base: 100m, places: {by: population}}\n"
       "  t: {funder: icb, base: 10m}\n"
       "delegations:\n"
       "  d: {from: icb.cor, services: [s], method: fair_share, envelope: 50%}\n",
       "13:13: partner 'icb' has no funding stream 'cor' for 'from' in delegation 'd' (did you mean 'core'?)"},
      // lead_provider_bare
      {"fundgap: 1.1\n"
       "name: T\n"
       "period: {base: 2024/25, to: 2026/27}\n"
       "places:\n"
       "  a: {population: 5}\n"
       "  b: {population: 5}\n"
       "partners:\n"
       "  icb: {funding: {core: {base: 100m}}}\n"
       "services:\n"
       "  s: {funder: icb, base: 100m, places: {by: population}}\n"
       "  t: {funder: icb, base: 10m}\n"
       "delegations:\n"
       "  d: {from: icb, services: [s], method: fair_share, envelope: 50%, form: {a: lead_provider}}\n",
       "13:78: a lead provider form names the provider: write {lead_provider: PARTNER} for place 'a' in delegation 'd'"},
      // no_places_section
      {"fundgap: 1.1\n"
       "name: T\n"
       "period: {base: 2024/25, to: 2026/27}\n"
       "partners:\n"
       "  icb: {funding: {core: {base: 100m}}}\n"
       "services:\n"
       "  s: {funder: icb, base: 1m}\n"
       "delegations:\n"
       "  d: {from: icb, services: [s], method: fair_share, envelope: 50%}\n",
       "8:1: 'delegations' delegate budgets to places, but the scenario has no 'places'"},
      // unsplit_delegated
      {"fundgap: 1.1\n"
       "name: T\n"
       "period: {base: 2024/25, to: 2026/27}\n"
       "places:\n"
       "  a: {population: 5}\n"
       "  b: {population: 5}\n"
       "partners:\n"
       "  icb: {funding: {core: {base: 100m}}}\n"
       "services:\n"
       "  s: {funder: icb, base: 100m, places: {by: population}}\n"
       "  t: {funder: icb, base: 10m}\n"
       "delegations:\n"
       "  d: {from: icb, services: [t], method: fair_share, envelope: 50%}\n",
       "13:29: service 't' is delegated to places by delegation 'd', but is not split by place; give it 'places'"},
      // twice_delegated
      {"fundgap: 1.1\n"
       "name: T\n"
       "period: {base: 2024/25, to: 2026/27}\n"
       "places:\n"
       "  a: {population: 5}\n"
       "  b: {population: 5}\n"
       "partners:\n"
       "  icb: {funding: {core: {base: 100m}}}\n"
       "services:\n"
       "  s: {funder: icb, base: 100m, places: {by: population}}\n"
       "  t: {funder: icb, base: 10m}\n"
       "delegations:\n"
       "  d: {from: icb, services: [s], method: fair_share, envelope: 50%}\n"
       "  e: {from: icb, services: [s], method: fair_share, envelope: 10%}\n",
       "14:29: service 's' is already delegated by delegation 'd'; a service is delegated once"},
      // services_not_list
      {"fundgap: 1.1\n"
       "name: T\n"
       "period: {base: 2024/25, to: 2026/27}\n"
       "places:\n"
       "  a: {population: 5}\n"
       "  b: {population: 5}\n"
       "partners:\n"
       "  icb: {funding: {core: {base: 100m}}}\n"
       "services:\n"
       "  s: {funder: icb, base: 100m, places: {by: population}}\n"
       "  t: {funder: icb, base: 10m}\n"
       "delegations:\n"
       "  d: {from: icb, services: {s: 1}, method: fair_share, envelope: 50%}\n",
       "13:28: expected a list of service ids for 'services' in delegation 'd'"},
      // bad_method
      {"fundgap: 1.1\n"
       "name: T\n"
       "period: {base: 2024/25, to: 2026/27}\n"
       "places:\n"
       "  a: {population: 5}\n"
       "  b: {population: 5}\n"
       "partners:\n"
       "  icb: {funding: {core: {base: 100m}}}\n"
       "services:\n"
       "  s: {funder: icb, base: 100m, places: {by: population}}\n"
       "  t: {funder: icb, base: 10m}\n"
       "delegations:\n"
       "  d: {from: icb, services: [s], method: blended, envelope: 50%}\n",
       "13:41: expected historic, fair_share or hybrid for 'method' in delegation 'd', found 'blended'"},
      // bad_fair
      {"fundgap: 1.1\n"
       "name: T\n"
       "period: {base: 2024/25, to: 2026/27}\n"
       "places:\n"
       "  a: {population: 5}\n"
       "  b: {population: 5}\n"
       "partners:\n"
       "  icb: {funding: {core: {base: 100m}}}\n"
       "services:\n"
       "  s: {funder: icb, base: 100m, places: {by: population}}\n"
       "  t: {funder: icb, base: 10m}\n"
       "delegations:\n"
       "  d: {from: icb, services: [s], method: fair_share, envelope: 50%, fair_share: need}\n",
       "13:80: expected weighted_population, population or a map of shares by place for 'fair_share' in delegation 'd', found 'need'"},
      // hybrid_no_glide
      {"fundgap: 1.1\n"
       "name: T\n"
       "period: {base: 2024/25, to: 2026/27}\n"
       "places:\n"
       "  a: {population: 5}\n"
       "  b: {population: 5}\n"
       "partners:\n"
       "  icb: {funding: {core: {base: 100m}}}\n"
       "services:\n"
       "  s: {funder: icb, base: 100m, places: {by: population}}\n"
       "  t: {funder: icb, base: 10m}\n"
       "delegations:\n"
       "  d: {from: icb, services: [s], method: hybrid, envelope: 50%, historic: {a: 50%, b: 50%}}\n",
       "13:3: delegation 'd' glides from historic to fair shares, so it needs 'glide' ({years: N}, yearly weights or level_up)"},
      // glide_not_hybrid
      {"fundgap: 1.1\n"
       "name: T\n"
       "period: {base: 2024/25, to: 2026/27}\n"
       "places:\n"
       "  a: {population: 5}\n"
       "  b: {population: 5}\n"
       "partners:\n"
       "  icb: {funding: {core: {base: 100m}}}\n"
       "services:\n"
       "  s: {funder: icb, base: 100m, places: {by: population}}\n"
       "  t: {funder: icb, base: 10m}\n"
       "delegations:\n"
       "  d: {from: icb, services: [s], method: fair_share, envelope: 50%, glide: {years: 2}}\n",
       "13:68: 'glide' is for method hybrid; delegation 'd' uses one kind of share throughout"},
      // glide_years
      {"fundgap: 1.1\n"
       "name: T\n"
       "period: {base: 2024/25, to: 2026/27}\n"
       "places:\n"
       "  a: {population: 5}\n"
       "  b: {population: 5}\n"
       "partners:\n"
       "  icb: {funding: {core: {base: 100m}}}\n"
       "services:\n"
       "  s: {funder: icb, base: 100m, places: {by: population}}\n"
       "  t: {funder: icb, base: 10m}\n"
       "delegations:\n"
       "  d: {from: icb, services: [s], method: hybrid, envelope: 50%, historic: {a: 50%, b: 50%}, glide: {years: 0}}\n",
       "13:107: 'years' of 'glide' of delegation 'd' is 0; it is a whole number of years, 1 or more"},
      // glide_weight
      {"fundgap: 1.1\n"
       "name: T\n"
       "period: {base: 2024/25, to: 2026/27}\n"
       "places:\n"
       "  a: {population: 5}\n"
       "  b: {population: 5}\n"
       "partners:\n"
       "  icb: {funding: {core: {base: 100m}}}\n"
       "services:\n"
       "  s: {funder: icb, base: 100m, places: {by: population}}\n"
       "  t: {funder: icb, base: 10m}\n"
       "delegations:\n"
       "  d: {from: icb, services: [s], method: hybrid, envelope: 50%, historic: {a: 50%, b: 50%}, glide: [50%, 120%]}\n",
       "13:99: the glide weight of delegation 'd' in 2026/27 is 120%, outside 0% to 100%"},
      // floor_above_cap
      {"fundgap: 1.1\n"
       "name: T\n"
       "period: {base: 2024/25, to: 2026/27}\n"
       "places:\n"
       "  a: {population: 5}\n"
       "  b: {population: 5}\n"
       "partners:\n"
       "  icb: {funding: {core: {base: 100m}}}\n"
       "services:\n"
       "  s: {funder: icb, base: 100m, places: {by: population}}\n"
       "  t: {funder: icb, base: 10m}\n"
       "delegations:\n"
       "  d: {from: icb, services: [s], method: fair_share, envelope: 50%, floor: 5%, cap: 2%}\n",
       "13:75: the floor of delegation 'd' (5%) is above its cap (2%)"},
      // infeasible
      {"fundgap: 1.1\n"
       "name: T\n"
       "period: {base: 2024/25, to: 2026/27}\n"
       "places:\n"
       "  a: {population: 5}\n"
       "  b: {population: 5}\n"
       "partners:\n"
       "  icb: {funding: {base: 100m, growth: -20%}}\n"
       "services:\n"
       "  s: {funder: icb, base: 100m, places: {by: population}}\n"
       "delegations:\n"
       "  d: {from: icb, services: [s], method: hybrid, envelope: 100%, historic: {a: 50%, b: 50%}, glide: {years: 1}, floor: 1%}\n",
       "12:119: in 2025/26 the floors of delegation 'd' need budgets of £101,000,000.00 but its envelope is £80,000,000.00; no budgets meet them"},
      // convergence_no_target
      {"fundgap: 1.1\n"
       "name: T\n"
       "period: {base: 2024/25, to: 2026/27}\n"
       "partners:\n"
       "  icb: {funding: {core: {base: 100m, convergence: {method: level_up, close: 10%}}}}\n"
       "services:\n"
       "  s: {funder: icb, base: 100m}\n",
       "5:38: 'convergence' in funding stream 'core' of partner 'icb' needs a 'target' to converge to"},
      // target_and_amounts
      {"fundgap: 1.1\n"
       "name: T\n"
       "period: {base: 2024/25, to: 2026/27}\n"
       "partners:\n"
       "  icb: {funding: {core: {base: 100m, amounts: [1m, 2m], target: {share_of: {base: 1000m}, weighted_population: 1, national_weighted_population: 10}}}}\n"
       "services:\n"
       "  s: {funder: icb, base: 100m}\n",
       "5:57: funding stream 'core' of partner 'icb' has both 'target' and 'amounts'; a stream converging to a target grows from its base by 'growth'"},
      // wp_above_national
      {"fundgap: 1.1\n"
       "name: T\n"
       "period: {base: 2024/25, to: 2026/27}\n"
       "partners:\n"
       "  icb: {funding: {core: {base: 100m, target: {share_of: {base: 1000m}, weighted_population: 11, national_weighted_population: 10}}}}\n"
       "services:\n"
       "  s: {funder: icb, base: 100m}\n",
       "5:46: the weighted population of funding stream 'core' of partner 'icb' (11) is above the national weighted population (10)"},
      // min_growth_level_up
      {"fundgap: 1.1\n"
       "name: T\n"
       "period: {base: 2024/25, to: 2026/27}\n"
       "partners:\n"
       "  icb: {funding: {core: {base: 100m, target: {share_of: {base: 1000m}, weighted_population: 1, national_weighted_population: 10}, convergence: {method: level_up, close: 10%, min_growth: 1%}}}}\n"
       "services:\n"
       "  s: {funder: icb, base: 100m}\n",
       "5:175: 'min_growth' in 'convergence' of funding stream 'core' of partner 'icb' applies to 'pace_of_change' only: under 'level_up' no allocation grows less than the uniform rate"},
      // bad_conv_method
      {"fundgap: 1.1\n"
       "name: T\n"
       "period: {base: 2024/25, to: 2026/27}\n"
       "partners:\n"
       "  icb: {funding: {core: {base: 100m, target: {share_of: {base: 1000m}, weighted_population: 1, national_weighted_population: 10}, convergence: {method: faster, close: 10%}}}}\n"
       "services:\n"
       "  s: {funder: icb, base: 100m}\n",
       "5:153: expected 'pace_of_change' or 'level_up' for 'method' in 'convergence' of funding stream 'core' of partner 'icb', found 'faster'"},
  };
  for (const auto& c : cases) {
    const auto& yaml = c.first;  // named: clang 14 captures no structured bindings
    CAPTURE(yaml);
    CHECK(errors_of(yaml) == Errors{c.second});
  }
}
