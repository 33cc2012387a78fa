// The batch kernel against the engine: each lane of a block must be a gaps run of that
// lane's values (its services' and funding's figures bit for bit; the figures that sum
// spend, which the kernel adds from constants summed once, within their rounding), and a
// lane whose run is not ok must say so.
#include <algorithm>
#include <cmath>
#include <cstring>

#include "fundgap/model/batch.h"
#include "test_support.h"

using namespace fundgap;
using fundgap::testing::scenario;

namespace {

// Lane j's value of `p`: its own value moved by a step of j - kLanes / 2 (so some lanes
// move it down, one leaves it, the rest move it up), kept inside its range.
double lane_value(const Parameter& p, std::size_t j) {
  const double step = static_cast<double>(j) - static_cast<double>(kLanes / 2);
  double v = p.value;
  switch (p.kind) {
    case ValueKind::share: v = p.value * (1 - 0.04 * step); break;
    case ValueKind::rate: v = p.value + 0.003 * step; break;
    case ValueKind::money: case ValueKind::factor: v = p.value * (1 + 0.03 * step) + step; break;
  }
  const double low = p.kind == ValueKind::rate ? std::max(p.low, -0.5) : p.low;
  return std::clamp(v, low, p.high);
}

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

// Projects blocks of `count` lanes of `varying` (indices into sc.parameters) with the
// kernel, one after another on the same kernel (whose constants must survive them), and
// each lane alone with the engine, and compares every figure the kernel gives. Returns the
// number of lanes compared, or -1 when the kernel does not take the scenario.
int compare_lanes(const Scenario& sc, const std::vector<std::size_t>& varying, std::size_t count,
                  std::string* why_not = nullptr) {
  std::vector<ParameterTarget> targets;
  for (std::size_t i : varying) targets.push_back(sc.parameters[i].target);
  BatchEngine batch(sc, targets);
  if (why_not) *why_not = batch.why_not();
  if (!batch.usable()) return -1;
  const Engine engine(sc);
  int compared = 0;
  for (std::size_t block = 0; block < 3; ++block) {
    CAPTURE(block);
    const std::size_t stride = count + 3;  // rows further apart than the block, as a sampler's may be
    std::vector<double> values(varying.size() * stride, -1e300);
    for (std::size_t r = 0; r < varying.size(); ++r)
      for (std::size_t j = 0; j < count; ++j)
        values[r * stride + j] = lane_value(sc.parameters[varying[r]], j + r % 3 + 2 * block);
    std::vector<char> ok(count, 2);
    batch.run(values.data(), stride, count, ok.data());
    for (std::size_t j = 0; j < count; ++j) {
      CAPTURE(j);
      Scenario w = sc;
      for (std::size_t r = 0; r < varying.size(); ++r) set_parameter(w, targets[r], values[r * stride + j]);
      Projection p;
      const ProjectionStatus status = engine.run(w, p, Detail::gaps);
      REQUIRE(static_cast<bool>(ok[j]) == status.ok());
      if (!status.ok()) continue;
      std::vector<Figure> figures{{Measure::gap, EntityKind::system, -1, -1}};
      for (int i = 0; i < sc.count(EntityKind::partner); ++i)
        for (Measure m : {Measure::funding, Measure::spend, Measure::gap})
          figures.push_back({m, EntityKind::partner, i, -1});
      for (int q = 0; q < sc.count(EntityKind::pool); ++q)
        figures.push_back({Measure::pool_balance, EntityKind::pool, q, -1});
      for (int s = 0; s < sc.count(EntityKind::service); ++s)
        for (Measure m : {Measure::baseline, Measure::net}) figures.push_back({m, EntityKind::service, s, -1});
      for (int t = 0; t < sc.years(); ++t) CHECK(fundgap::testing::sum_rounding(p, t) < 1e-3);  // a tenth of a penny
      for (const Figure& f : figures)
        for (int t = 0; t < sc.years(); ++t) {
          const double expected = figure_value(p, f, t), got = batch.lanes(f, t)[j];
          const bool sums_spend = f.kind == EntityKind::system || f.kind == EntityKind::pool ||
                                  f.measure == Measure::spend || f.measure == Measure::gap;
          if (sums_spend ? !(std::fabs(got - expected) <= fundgap::testing::sum_rounding(p, t))
                         : !same_bits(expected, got)) {
            CAPTURE(figure_text(sc, f, t));
            CAPTURE(fundgap::testing::sum_rounding(p, t));
            CHECK(got == expected);
          }
        }
      ++compared;
    }
  }
  return compared;
}

// Every feature the kernel holds per lane: pressures (recurrent and one-off), an efficiency,
// money saved each year, re-provision, investment with its own start and a step ramp,
// one-off costs (one before its scheme starts, as is an investment), funding lines, and
// pools with each linear risk share; sums of none, one, two and three schemes' figures on a
// service (three savings on asc, two investments in acute and in community).
const char* kFeatures = R"(
fundgap: 1.1
name: lanes
period: {base: 2024/25, to: 2029/30}
partners:
  council: {funding: {base: 300m, growth: {normal: {mean: 2%, sd: 1%}}}}
  icb: {funding: {base: 500m, growth: [3%, 2%, 2%, 1%, 1%]}}
  trust: {funding: {base: 80m, growth: 1%}}
services:
  asc: {funder: council, base: {lognormal: {median: 120m, sd_log: 0.05}}, demand: {pert: [1%, 3%, 6%]}, inflation: 2.5%,
        pressures: {pay: {amounts: [3m, {uniform: [1m, 4m]}, 2m, 0, 1m]}, winter: {amounts: {2026/27: 2m}, one_off: true}}}
  children: {funder: {council: 70%, icb: 30%}, base: 60m, demand: {triangular: [0%, 2%, 5%]}}
  acute: {funder: icb, base: 400m, demand: 3%, inflation: {normal: {mean: 3%, sd: 0.5%}}}
  community: {funder: icb, base: 90m, demand: 1%}
  pooled_a: {base: 50m, demand: {normal: {mean: 4%, sd: 1%}}}
  pooled_b: {base: 40m, demand: 2%}
  pooled_c: {base: 30m, demand: 5%}
  pooled_d: {base: 20m, demand: {uniform: [1%, 3%]}}
schemes:
  cip: {service: asc, efficiency: {uniform: [1%, 3%]}}
  reablement:
    service: asc
    saving: {pert: [1%, 2%, 4%]}
    confidence: {uniform: [60%, 90%]}
    ramp: [25%, {uniform: [40%, 60%]}, 100%]
    reprovide: {service: community, share: {uniform: [20%, 40%]}}
    investment: {service: community, amount: {normal: {mean: 1m, sd: 0.2m}}, start: 2026/27, ramp: {profile: step, at: 2027/28}}
  digital:
    service: children
    saving: [1m, {uniform: [1m, 3m]}, 2m, 2m, 2m]
    one_off_cost: {2025/26: {uniform: [0.2m, 0.8m]}}
  front_door: {service: acute, saving: {normal: {mean: 5m, sd: 1m}}, start: 2026/27, investment: {service: acute, amount: 1m}}
  night_care: {service: asc, saving: {uniform: [0.5m, 1.5m]}, start: 2025/26}
  prevention:
    service: community
    saving: {uniform: [1m, 2m]}
    start: 2028/29
    investment: {service: acute, amount: {uniform: [0.5m, 1m]}, start: 2025/26}
    one_off_cost: {2026/27: {uniform: [0.1m, 0.3m]}}
pools:
  fixed: {host: council, services: [pooled_a], contributions: {council: 30m, icb: 20m}, growth: 2%, risk_share: {council: 30%, icb: 70%}}
  hosted: {host: icb, services: [pooled_b], contributions: {icb: 40m}, growth: 2%, risk_share: host}
  shared: {host: council, services: [pooled_c, pooled_d], contributions: {council: 25m, trust: 25m}, growth: 1%, risk_share: proportional}
)";

std::vector<std::size_t> every(const Scenario& sc) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < sc.parameters.size(); ++i) out.push_back(i);
  return out;
}

// Every input but the pools' (which the kernel leaves to the engine).
std::vector<std::size_t> held(const Scenario& sc) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < sc.parameters.size(); ++i)
    if (sc.parameters[i].path.rfind("pools.", 0) != 0) out.push_back(i);
  return out;
}

std::vector<std::size_t> uncertain(const Scenario& sc) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < sc.parameters.size(); ++i)
    if (sc.parameters[i].distribution) out.push_back(i);
  return out;
}

}  // namespace

TEST_CASE("batch: each lane of a block is a gaps run of its own values") {
  const Scenario sc = scenario(kFeatures);
  REQUIRE(uncertain(sc).size() >= 15);
  std::string why;
  // Every input at once, a whole block and a short one; the uncertain ones; each alone.
  CHECK(compare_lanes(sc, held(sc), kLanes, &why) == static_cast<int>(3 * kLanes));
  CHECK(why.empty());
  static_assert(kLanes >= 2);
  CHECK(compare_lanes(sc, held(sc), kLanes - 1) == static_cast<int>(3 * (kLanes - 1)));
  CHECK(compare_lanes(sc, uncertain(sc), kLanes) == static_cast<int>(3 * kLanes));
  for (std::size_t i : held(sc)) {
    CAPTURE(sc.parameters[i].path);
    CHECK(compare_lanes(sc, {i}, kLanes) == static_cast<int>(3 * kLanes));
  }
  CHECK(compare_lanes(sc, every(sc), kLanes, &why) == -1);
  CHECK(why == "an uncertain input of a pool");
}

TEST_CASE("batch: every bundled scenario, each input alone and all at once, where the kernel takes it") {
  int lanes = 0, taken = 0, refused = 0;
  for (const std::string& file : testing::bundled_files()) {
    CAPTURE(file);
    const Scenario sc = load_scenario_file(file);
    for (std::size_t i = 0; i < sc.parameters.size(); ++i) {
      CAPTURE(sc.parameters[i].path);
      const int n = compare_lanes(sc, {i}, kLanes);
      (n < 0 ? refused : taken) += 1;
      lanes += std::max(n, 0);
    }
    lanes += std::max(compare_lanes(sc, every(sc), kLanes), 0);
  }
  // Most inputs of the bundled scenarios are ones the kernel holds; places, delegations,
  // funding streams and pools with sources are the rest.
  CHECK(taken > 300);
  CHECK(refused > 0);
  CHECK(lanes > 3 * static_cast<int>(kLanes) * taken * 9 / 10);  // most lanes project
}

TEST_CASE("batch: a lane whose savings exceed its spend, or whose figures overflow, is not ok; the others are") {
  const Scenario sc = scenario(R"(
fundgap: 1
name: lanes that fail
period: {base: 2020/21, to: 2022/23}
partners:
  ccg: {funding: {base: 100m, growth: 1%}}
services:
  acute: {funder: ccg, base: 10m, demand: 2%}
  other: {funder: ccg, base: 10m}
  closing: {funder: ccg, base: 10m, demand: 1%}
schemes:
  k: {service: acute, saving: 1m}
  all: {service: closing, saving: 100%}
)");
  static_assert(kLanes >= 4);
  const std::vector<std::string> paths = {"services.other.base", "schemes.k.saving", "services.closing.demand"};
  std::vector<ParameterTarget> targets;
  for (const std::string& path : paths)
    for (const Parameter& p : sc.parameters)
      if (p.path == path) targets.push_back(p.target);
  REQUIRE(targets.size() == 3);
  BatchEngine batch(sc, targets);
  REQUIRE(batch.usable());
  // Lane 1 saves more than acute's spend; lane 2 makes other's spend 1e300 (beyond
  // kMaxMoney); lane 3 makes closing's demand grow by a factor of 1e10 in a year, so that
  // its baseline of 2021/22, 1e17, is beyond it too, while its net spend that year, all of
  // it saved, is 0, and so is every sum of it; the rest are fine.
  std::vector<double> values(3 * kLanes);
  for (std::size_t j = 0; j < kLanes; ++j) {
    values[j] = j == 2 ? 1e300 : 10e6;
    values[kLanes + j] = j == 1 ? 11e6 : 1e6 + static_cast<double>(j);
    values[2 * kLanes + j] = j == 3 ? 1e10 - 1 : 0.01;
  }
  std::vector<char> ok(kLanes);
  batch.run(values.data(), kLanes, kLanes, ok.data());
  for (std::size_t j = 0; j < kLanes; ++j) {
    CAPTURE(j);
    CHECK(static_cast<bool>(ok[j]) == (j != 1 && j != 2 && j != 3));
  }
  CHECK(batch.lanes({Measure::net, EntityKind::service, 2, -1}, 1)[3] == 0);
  // 100m + 1% less (10m x 1.02 + 10m - saving): the gap of lane 0 in 2021/22.
  CHECK(batch.lanes({Measure::gap, EntityKind::partner, 0, -1}, 1)[0] == doctest::Approx(10.2e6 + 10e6 - 1e6 - 101e6));
  // The engine says the same of lane 3.
  Scenario w = sc;
  for (std::size_t r = 0; r < targets.size(); ++r) set_parameter(w, targets[r], values[r * kLanes + 3]);
  Projection p;
  CHECK(!Engine(w).run(w, p, Detail::gaps).ok());
  CHECK(p.net(2, 1) == 0);
}

TEST_CASE("batch: what the kernel leaves to the engine, and why") {
  std::string why;
  const Scenario places = load_scenario_file(std::string(FUNDGAP_SOURCE_DIR) + "/docs/examples/places.yaml");
  CHECK(compare_lanes(places, uncertain(places), 4, &why) == -1);
  CHECK(why == "the scenario has places or delegations");
  const Scenario lines = load_scenario_file(std::string(FUNDGAP_SOURCE_DIR) + "/docs/examples/money_lines.yaml");
  CHECK(compare_lanes(lines, every(lines), 4, &why) == -1);
  CHECK(why.rfind("an uncertain input of ", 0) == 0);
  const Scenario pool = scenario(R"(
fundgap: 1
name: a pool input
period: {base: 2020/21, to: 2022/23}
partners:
  council: {funding: {base: 40m}}
  ccg: {funding: {base: 60m}}
services:
  care: {base: 100m, demand: 3%}
pools:
  bcf: {host: council, services: [care], contributions: {council: {uniform: [35m, 45m]}, ccg: 60m}, risk_share: host}
)");
  CHECK(compare_lanes(pool, uncertain(pool), 4, &why) == -1);
  CHECK(why == "an uncertain input of a pool");
  const Scenario over = scenario(R"(
fundgap: 1
name: savings above spend at its own values
period: {base: 2020/21, to: 2021/22}
partners:
  ccg: {funding: {base: 60m}}
services:
  care: {funder: ccg, base: 10m}
schemes:
  k: {service: care, saving: {uniform: [5m, 25m]}}
)");
  CHECK(compare_lanes(over, uncertain(over), 4, &why) == -1);
  CHECK(why == "the scenario does not project at its own values");
}
