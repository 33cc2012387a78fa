// The gap bridge: hand-worked steps, and that the steps add up to the change for every
// partner, the system, and every pair of years of every bundled scenario.
#include <filesystem>

#include "fundgap/model/bridge.h"
#include "test_support.h"

using namespace fundgap;

namespace {
double sum_of_steps(const Bridge& b) {
  double total = b.start;
  for (const BridgeStep& s : b.steps) total += s.value;
  return total;
}
const BridgeStep& step(const Bridge& b, const std::string& name) {
  for (const BridgeStep& s : b.steps)
    if (s.name == name) return s;
  FAIL("no step " << name);
  return b.steps.front();
}
}  // namespace

TEST_CASE("bridge: funding, demand then inflation, worked by hand") {
  // Spend 100m grows 10% demand and 5% inflation: 115.5m. Funding 100m grows 2%: 102m.
  // Gap 0 -> 13.5m: funding -2m; demand 100m x 10% = +10m; inflation 115.5m - 110m = +5.5m.
  // A scheme saving 1m from the start: -1m.
  Scenario sc = fundgap::testing::scenario(R"(
fundgap: 1
name: T
period: {base: 2020/21, to: 2021/22}
partners:
  ccg: {funding: {base: 100m, growth: 2%}}
services:
  acute: {funder: ccg, base: 100m, demand: 10%, inflation: 5%}
schemes:
  s: {service: acute, saving: 1m}
)");
  Bridge b = make_bridge(sc, project(sc), -1, 0, 1);
  CHECK_MONEY(b.start, 0);
  CHECK_MONEY(b.end, 12.5e6);
  CHECK_MONEY(step(b, "funding growth").value, -2e6);
  CHECK_MONEY(step(b, "demand growth").value, 10e6);
  CHECK_MONEY(step(b, "inflation").value, 5.5e6);
  CHECK_MONEY(step(b, "scheme s").value, -1e6);
  CHECK(b.steps.size() == 4);
}

TEST_CASE("bridge: a partner's share of pooled spend and the pool risk-share step") {
  // Pool hosted by council: contributions council 60m, ccg 40m, growing 10%; care 100m
  // grows 20%. All risk with the host, so pooled spend lands wholly on council:
  //   council: demand +20m; pool step: beyond = K_council - 1 x sum K = -40m -> -44m: -4m.
  //   ccg: no pooled spend; pool step: 40m -> 44m: +4m (its contribution grew).
  Scenario sc = fundgap::testing::scenario(R"(
fundgap: 1
name: T
period: {base: 2020/21, to: 2021/22}
partners:
  council: {funding: {base: 60m}}
  ccg: {funding: {base: 40m}}
services:
  care: {base: 100m, demand: 20%}
pools:
  bcf: {host: council, services: [care], contributions: {council: 60m, ccg: 40m}, growth: 10%, risk_share: host}
)");
  Projection p = project(sc);
  Bridge council = make_bridge(sc, p, 0, 0, 1);
  CHECK_MONEY(step(council, "demand growth").value, 20e6);
  CHECK_MONEY(step(council, "pool bcf risk share").value, -4e6);
  // council pays 66m + the 10m overspend (120m - 110m) = 76m against 60m: gap 16m.
  CHECK_MONEY(council.end, 16e6);
  CHECK_MONEY(sum_of_steps(council), council.end);
  Bridge ccg = make_bridge(sc, p, 1, 0, 1);
  CHECK_MONEY(step(ccg, "demand growth").value, 0);
  CHECK_MONEY(step(ccg, "pool bcf risk share").value, 4e6);
  CHECK_MONEY(ccg.end, 4e6);
  Bridge system = make_bridge(sc, p, -1, 0, 1);
  CHECK_MONEY(step(system, "pool bcf risk share").value, 0);
}

TEST_CASE("bridge: steps add up to the change for every entity and pair of years") {
  int bridges = 0;
  for (const std::string& file : fundgap::testing::bundled_files()) {
      CAPTURE(file);
      Scenario sc = load_scenario_file(file);
      Projection p = project(sc);
      for (int who = -1; who < static_cast<int>(sc.partners.size()); ++who)
        for (int from = 0; from < sc.projected_years; ++from)
          for (int to = from + 1; to <= sc.projected_years; ++to) {
            Bridge b = make_bridge(sc, p, who, from, to);
            CAPTURE(b.entity);
            CHECK(std::abs(sum_of_steps(b) - b.end) < 1e-6);
            ++bridges;
          }
    }
  CHECK(bridges > 50);
}
