// The projection engine against figures worked out by hand, formula by formula, from
// the semantics in docs/semantics.md (MISSION.md). Money is in pounds.
#include <cmath>

#include "test_support.h"

using namespace fundgap;
using fundgap::testing::errors_of;
using fundgap::testing::projected;
using fundgap::testing::scenario;

TEST_CASE("baseline compounds demand and inflation; funding compounds growth") {
  // X(1) = 100m x 1.10 x 1.05 = 115.5m; X(2) = 115.5m x 1.155 = 133.4025m.
  // F(1) = 100m x 1.05 = 105m; F(2) = 110.25m. Gap = X - F.
  Projection p = projected(R"(
fundgap: 1
name: compounding
period: {base: 2020/21, to: 2022/23}
partners:
  ccg: {funding: {base: 100m, growth: 5%}}
services:
  acute: {funder: ccg, base: 100m, demand: 10%, inflation: 5%}
)");
  CHECK_MONEY(p.baseline(0, 0), 100e6);
  CHECK_MONEY(p.baseline(0, 1), 115.5e6);
  CHECK_MONEY(p.baseline(0, 2), 133.4025e6);
  CHECK_MONEY(p.funding(0, 1), 105e6);
  CHECK_MONEY(p.funding(0, 2), 110.25e6);
  CHECK_MONEY(p.gap(0, 0), 0);
  CHECK_MONEY(p.gap(0, 1), 10.5e6);
  CHECK_MONEY(p.gap(0, 2), 23.1525e6);
  CHECK_MONEY(p.gap_do_nothing(0, 2), 23.1525e6);  // no schemes: the same
}

TEST_CASE("per-year rates: a list gives one value a year, a map holds each value until the next key") {
  // demand list [10%, 0%, 20%]: X = 100, 110, 110, 132 (m).
  // growth map {2021/22: 10%, 2023/24: -50%}: F = 100, 110, 121, 60.5 (m).
  Projection p = projected(R"(
fundgap: 1
name: per-year
period: {base: 2020/21, to: 2023/24}
partners:
  ccg: {funding: {base: 100m, growth: {2021/22: 10%, 2023/24: -50%}}}
services:
  acute: {funder: ccg, base: 100m, demand: [10%, 0, 0.2]}
)");
  CHECK_MONEY(p.baseline(0, 1), 110e6);
  CHECK_MONEY(p.baseline(0, 2), 110e6);
  CHECK_MONEY(p.baseline(0, 3), 132e6);
  CHECK_MONEY(p.funding(0, 1), 110e6);
  CHECK_MONEY(p.funding(0, 2), 121e6);
  CHECK_MONEY(p.funding(0, 3), 60.5e6);
}

TEST_CASE("a scheme: share saving with ramp and confidence, re-provision, investment on its own terms") {
  // acute 200m flat. Saving 10% x ramp [50%, 100%] x confidence 80%:
  //   S(1) = 0.8 x 0.5 x 0.1 x 200m = 8m; S(2) = S(3) = 16m (the last ramp value persists).
  // Re-provided 25% into community: 2m, 4m, 4m.
  // Investment 1m into community follows the ramp, not the confidence: 0.5m, 1m, 1m.
  // Net acute = 192m, 184m, 184m; net community = 50m + 2.5m, 50m + 5m, 50m + 5m.
  Projection p = projected(R"(
fundgap: 1
name: scheme
period: {base: 2020/21, to: 2023/24}
partners:
  ccg: {funding: {base: 250m}}
services:
  acute: {funder: ccg, base: 200m}
  community: {funder: ccg, base: 50m}
schemes:
  shift:
    service: acute
    saving: 10%
    ramp: [50%, 100%]
    confidence: 80%
    reprovide: {service: community, share: 25%}
    investment: {service: community, amount: 1m}
)");
  const double saving[] = {0, 8e6, 16e6, 16e6};
  const double reprovided[] = {0, 2e6, 4e6, 4e6};
  const double invested[] = {0, 0.5e6, 1e6, 1e6};
  for (int t = 0; t < 4; ++t) {
    CAPTURE(t);
    CHECK_MONEY(p.scheme_saving(0, t), saving[t]);
    CHECK_MONEY(p.scheme_reprovided(0, t), reprovided[t]);
    CHECK_MONEY(p.scheme_investment(0, t), invested[t]);
    CHECK_MONEY(p.savings(0, t), saving[t]);
    CHECK_MONEY(p.net(0, t), 200e6 - saving[t]);
    CHECK_MONEY(p.reprovided(1, t), reprovided[t]);
    CHECK_MONEY(p.investment(1, t), invested[t]);
    CHECK_MONEY(p.net(1, t), 50e6 + reprovided[t] + invested[t]);
    // Gap = net total - 250m funding; do nothing = 0 (spend stays at 250m).
    CHECK_MONEY(p.gap(0, t), -saving[t] + reprovided[t] + invested[t]);
    CHECK_MONEY(p.gap_do_nothing(0, t), 0);
  }
}

TEST_CASE("a scheme: money saving from a later start, and an investment ramp of its own") {
  // Saving 5m from 2022/23 (t = 2), confidence 50%: 0, 0, 2.5m, 2.5m.
  // Investment 2m with ramp [100%, 0%]: 2m at t = 2, then 0.
  // The share saving scales with the projected baseline: 10% of X(t) where X grows 10%.
  Projection p = projected(R"(
fundgap: 1
name: absolute
period: {base: 2020/21, to: 2023/24}
partners:
  ccg: {funding: {base: 300m}}
services:
  acute: {funder: ccg, base: 100m, demand: 10%}
  community: {funder: ccg, base: 100m}
schemes:
  fixed:
    service: community
    saving: £5m
    start: 2022/23
    confidence: 50%
    investment: {service: acute, amount: 2m, ramp: [100%, 0%]}
  share:
    service: acute
    saving: 10%
)");
  CHECK_MONEY(p.scheme_saving(0, 1), 0);
  CHECK_MONEY(p.scheme_saving(0, 2), 2.5e6);
  CHECK_MONEY(p.scheme_saving(0, 3), 2.5e6);
  CHECK_MONEY(p.scheme_investment(0, 1), 0);
  CHECK_MONEY(p.scheme_investment(0, 2), 2e6);
  CHECK_MONEY(p.scheme_investment(0, 3), 0);
  CHECK_MONEY(p.scheme_saving(1, 1), 11e6);    // 10% of 110m
  CHECK_MONEY(p.scheme_saving(1, 3), 13.31e6); // 10% of 133.1m
}

TEST_CASE("funding shares split an unpooled service between partners") {
  // primary 100m, 90% ccg / 10% council, grows 10%: year 1 ccg pays 99m, council 11m.
  Projection p = projected(R"(
fundgap: 1
name: shares
period: {base: 2020/21, to: 2021/22}
partners:
  council: {funding: {base: 10m}}
  ccg: {funding: {base: 90m}}
services:
  primary: {funder: {ccg: 90%, council: 0.1}, base: 100m, demand: 10%}
)");
  CHECK_MONEY(p.spend(0, 1), 11e6);
  CHECK_MONEY(p.spend(1, 1), 99e6);
  CHECK_MONEY(p.gap(0, 1), 1e6);
  CHECK_MONEY(p.gap(1, 1), 9e6);
}

namespace {
// A pool of one service, care (100m, +10% a year), funded 60m by council and 40m by ccg
// with no pool growth: in year 1 the pool spends 110m against 100m, a 10m overspend.
std::string pool_with(const std::string& risk_share) {
  return R"(
fundgap: 1
name: pool
period: {base: 2020/21, to: 2021/22}
partners:
  council: {funding: {base: 60m}}
  ccg: {funding: {base: 40m}}
services:
  care: {base: 100m, demand: 10%}
pools:
  bcf:
    host: council
    services: [care]
    contributions: {council: 60m, ccg: 40m}
    risk_share: )" + risk_share + "\n";
}
}  // namespace

TEST_CASE("pool risk share: proportional to contributions") {
  // V(1) = 100m - 110m = -10m; council bears 60% (6m), ccg 40% (4m).
  Projection p = projected(pool_with("proportional"));
  CHECK_MONEY(p.pool_contributions(0, 1), 100e6);
  CHECK_MONEY(p.pool_spend(0, 1), 110e6);
  CHECK_MONEY(p.pool_balance(0, 1), -10e6);
  CHECK_MONEY(p.spend(0, 1), 66e6);
  CHECK_MONEY(p.spend(1, 1), 44e6);
  CHECK_MONEY(p.gap(0, 1), 6e6);
  CHECK_MONEY(p.gap(1, 1), 4e6);
}

TEST_CASE("pool risk share: all to the host") {
  Projection p = projected(pool_with("host"));
  CHECK_MONEY(p.spend(0, 1), 70e6);
  CHECK_MONEY(p.spend(1, 1), 40e6);
}

TEST_CASE("pool risk share: fixed shares") {
  Projection p = projected(pool_with("{council: 25%, ccg: 75%}"));
  CHECK_MONEY(p.spend(0, 1), 62.5e6);
  CHECK_MONEY(p.spend(1, 1), 47.5e6);
}

TEST_CASE("pool contributions grow at the pool's rate and an underspend is shared back") {
  // Contributions 60m + 40m grow 20%: 120m in year 1 against 110m spend: +10m
  // underspend, 6m back to council, 4m to ccg: council costs 72m - 6m = 66m.
  std::string yaml = pool_with("proportional");
  yaml.replace(yaml.find("    risk_share"), 0, "    growth: 20%\n");
  Projection p = projected(yaml);
  CHECK_MONEY(p.pool_contributions(0, 1), 120e6);
  CHECK_MONEY(p.pool_balance(0, 1), 10e6);
  CHECK_MONEY(p.spend(0, 1), 66e6);
  CHECK_MONEY(p.spend(1, 1), 44e6);
}

TEST_CASE("do-nothing: pools too use the baseline") {
  // A scheme saves 10% of care (11m in year 1). With it: pool spend 99m, balance +1m.
  // Do nothing: pool spend 110m, balance -10m, council's cost 60m + 6m.
  std::string yaml = pool_with("proportional") + "schemes:\n  s: {service: care, saving: 10%}\n";
  Projection p = projected(yaml);
  CHECK_MONEY(p.pool_balance(0, 1), 1e6);
  CHECK_MONEY(p.pool_balance_do_nothing(0, 1), -10e6);
  CHECK_MONEY(p.spend(0, 1), 60e6 - 0.6e6);
  CHECK_MONEY(p.spend_do_nothing(0, 1), 66e6);
  CHECK_MONEY(p.gap_do_nothing(0, 1), 6e6);
}

TEST_CASE("invariant: partner spend sums to net service spend every year") {
  // Several pools, shared funding, schemes moving money between pooled and unpooled
  // services: the money must neither appear nor vanish.
  Projection p = projected(R"(
fundgap: 1
name: invariant
period: {base: 2018/19, to: 2023/24}
partners:
  council: {funding: {base: 300m, growth: -1%}}
  ccg: {funding: {base: 420m, growth: [2.5%, 2%, 2%, 1%, 1%]}}
  trust: {funding: {base: 50m}}
services:
  acute: {funder: ccg, base: 180m, demand: 3.5%, inflation: 2.1%}
  primary: {funder: {ccg: 90%, council: 7%, trust: 3%}, base: 120m, demand: 1.5%, inflation: 2%}
  community: {base: 90m, demand: 2%, inflation: 2.1%}
  care: {base: 150m, demand: {2019/20: 4%, 2021/22: 2%}}
  mental: {base: 60m, inflation: 3%}
schemes:
  aa: {service: acute, saving: 20%, ramp: [25%, 50%, 100%], confidence: 70%,
       reprovide: {service: community, share: 40%}, investment: {service: mental, amount: 3m}}
  d2a: {service: care, saving: 4m, start: 2020/21, reprovide: {service: primary, share: 50%}}
pools:
  p1: {host: council, services: [community, care], contributions: {council: 150m, ccg: 90m}, growth: 1%}
  p2: {host: trust, services: [mental], contributions: {trust: 20m, ccg: 35m}, risk_share: {trust: 30%, ccg: 70%}}
)");
  for (Eigen::Index t = 0; t < p.net.cols(); ++t) {
    CAPTURE(t);
    CHECK(std::abs(p.spend.col(t).sum() - p.net.col(t).sum()) < 1e-6);
    CHECK(std::abs(p.spend_do_nothing.col(t).sum() - p.baseline.col(t).sum()) < 1e-6);
  }
}

TEST_CASE("savings above the spend are an error at the scheme that tips them over") {
  auto errors = errors_of(R"(
fundgap: 1
name: over
period: {base: 2020/21, to: 2022/23}
partners:
  ccg: {funding: {base: 100m}}
services:
  acute: {funder: ccg, base: 10m, demand: -50%}
schemes:
  a: {service: acute, saving: 4m}
  b: {service: acute, saving: 3m, start: 2022/23}
)");
  // X = 10m, 5m, 2.5m. Year 1: a's 4m fits in 5m. Year 2: a's 4m alone exceeds 2.5m,
  // so a (line 10) is named, though b's 3m adds to the 7m total.
  REQUIRE(errors.size() == 1);
  CHECK(errors[0] == "10:31: savings on service 'acute' in 2022/23 (£7.0m) exceed its projected spend (£2.5m)");
}

TEST_CASE("savings above the spend: the scheme named is the one whose saving tips the total over") {
  // On a 1m service, k alone (1,000,001) already exceeds the spend; k2 (5) only adds to
  // it. The figures differ by 6 pounds, so the message shows enough decimals to tell.
  auto errors = errors_of(R"(
fundgap: 1
name: over
period: {base: 2020/21, to: 2021/22}
partners:
  ccg: {funding: {base: 100m}}
services:
  acute: {funder: ccg, base: 1m}
schemes:
  k: {service: acute, saving: 1000001}
  k2: {service: acute, saving: 5}
)");
  REQUIRE(errors.size() == 1);
  CHECK(errors[0] == "10:31: savings on service 'acute' in 2021/22 (£1.00001m) exceed its projected spend (£1.00000m)");
}

namespace {

// A value of parameter `p` other than its own, inside its range: money and factors up by
// 7%, rates up by half a point, shares down by a tenth.
double moved(const Parameter& p, int step) {
  const double k = 1 + 0.07 * step;
  switch (p.kind) {
    case ValueKind::share: return std::clamp(p.value * (1 - 0.1 * step), p.low, p.high);
    case ValueKind::rate: return std::min(p.high, p.value + 0.005 * step);
    case ValueKind::money: case ValueKind::factor: break;
  }
  return std::min(p.high, p.value * k + step);
}

// Whether two gaps-detail projections agree bit for bit in every figure a gaps run gives.
void same_gaps(const Projection& a, const Projection& b) {
  for (auto m : {&Projection::baseline, &Projection::net, &Projection::funding, &Projection::spend, &Projection::gap,
                 &Projection::pool_balance}) {
    REQUIRE((a.*m).rows() == (b.*m).rows());
    CHECK(((a.*m).isNaN() == (b.*m).isNaN()).all());
    CHECK(((a.*m) == (b.*m) || (a.*m).isNaN()).all());
  }
  CHECK((a.system.row(static_cast<Eigen::Index>(Measure::gap)) == b.system.row(static_cast<Eigen::Index>(Measure::gap))).all());
}

}  // namespace

TEST_CASE("rerun: recomputing only what the varying inputs reach gives a full run's figures, bit for bit") {
  // Over every bundled scenario: each input varied alone, then all of them at once over
  // several reruns in a row, each compared with a full gaps run of the same values.
  int compared = 0;
  for (const std::string& file : testing::bundled_files()) {
    CAPTURE(file);
    const Scenario sc = load_scenario_file(file);
    const Engine whole(sc);
    Projection expected;
    auto compare = [&](const Engine& engine, const Scenario& w, Projection& p) {
      const ProjectionStatus full = whole.run(w, expected, Detail::gaps), re = engine.rerun(w, p);
      REQUIRE(full.ok() == re.ok());
      if (full.ok()) same_gaps(expected, p);
      ++compared;
    };
    for (const Parameter& param : sc.parameters) {
      CAPTURE(param.path);
      const std::vector<ParameterTarget> varying{param.target};
      const Engine engine(sc, varying);
      Scenario w = sc;
      Projection p;
      if (!engine.run(w, p, Detail::gaps).ok()) continue;
      set_parameter(w, param.target, moved(param, 1));
      compare(engine, w, p);
    }
    std::vector<ParameterTarget> every;
    for (const Parameter& param : sc.parameters) every.push_back(param.target);
    const Engine engine(sc, every);
    Scenario w = sc;
    Projection p;
    if (!engine.run(w, p, Detail::gaps).ok()) continue;
    for (int step = 1; step <= 3; ++step) {
      for (const Parameter& param : sc.parameters) set_parameter(w, param.target, moved(param, step % 2 ? step : -step));
      compare(engine, w, p);  // a rerun that fails (savings above spend) leaves one to start from
    }
  }
  CHECK(compared > 500);
}
