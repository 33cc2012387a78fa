// sensitivity and solve on cases whose answers are known in closed form.
#include "fundgap/analysis/whatif.h"
#include "fundgap/input/references.h"
#include "test_support.h"

using namespace fundgap;

TEST_CASE("sensitivity: the tornado ranks inputs by a swing known in advance") {
  // Gap in 2021/22 = X(1) - F(1) over three services funded by ccg (funding 300m flat):
  //   a: 100m x (1 + demand a); b: 100m x (1 + demand b); c: 100m x (1 + inflation c).
  // Swinging a rate from P10 to P90 moves the gap by 100m x (P90 - P10):
  //   a uniform [0%, 10%]: P10 1%, P90 9% -> 8m
  //   b normal(3%, 1%): P90 - P10 = 2 x 1.2816 x 1% -> 2.563m
  //   c uniform [2%, 3%]: 0.8% -> 0.8m
  // and the certain b base of 100m swung +-10% moves it by 20m x 1.03 = 20.6m.
  Scenario sc = fundgap::testing::scenario(R"(
fundgap: 1
name: T
period: {base: 2020/21, to: 2021/22}
partners:
  ccg: {funding: {base: 300m}}
services:
  a: {funder: ccg, base: 100m, demand: {uniform: [0%, 10%]}}
  b: {funder: ccg, base: 100m, demand: {normal: {mean: 3%, sd: 1%}}}
  c: {funder: ccg, base: 100m, inflation: {uniform: [2%, 3%]}}
)");
  const FigureRef ref = parse_figure(sc, "system.gap[2021/22]", "--target");
  std::vector<Swing> s = sensitivity(sc, ref, {"services.b.base"});
  REQUIRE(s.size() == 4);
  CHECK(s[0].path == "services.b.base");
  CHECK(s[0].size() == doctest::Approx(20.6e6));
  CHECK(s[0].basis == "-10% to +10%");
  CHECK(s[1].path == "services.a.demand");
  CHECK(s[1].size() == doctest::Approx(8e6));
  CHECK(s[1].basis == "P10 to P90");
  CHECK(s[2].path == "services.b.demand");
  CHECK(s[2].size() == doctest::Approx(2 * 1.2815515655446004 * 1e6).epsilon(1e-9));
  CHECK(s[3].path == "services.c.inflation");
  CHECK(s[3].size() == doctest::Approx(0.8e6));
  CHECK_THROWS_AS(sensitivity(sc, ref, {"services.b.bsae"}), InputError);
}

TEST_CASE("solve: funding growth that closes a gap, known in closed form") {
  // Spend 100m grows 10% a year to 121m in 2022/23; funding 100m grows g:
  // the gap closes when 100m (1 + g)^2 = 121m, so g = 10% exactly.
  Scenario sc = fundgap::testing::scenario(R"(
fundgap: 1
name: T
period: {base: 2020/21, to: 2022/23}
partners:
  ccg: {funding: {base: 100m, growth: 2%}}
services:
  acute: {funder: ccg, base: 100m, demand: 10%}
schemes:
  s: {service: acute, saving: 1%, confidence: 50%}
)");
  const FigureRef ref = parse_figure(sc, "system.gap[2022/23]", "--target");
  // The scheme saves 0.5% of 121m = 0.605m: the gap closes at 100m (1+g)^2 = 120.395m.
  Solution s = solve(sc, "partners.ccg.funding.growth", ref, 0, std::nullopt);
  REQUIRE(s.found);
  CHECK(s.value == doctest::Approx(std::sqrt(1.20395) - 1).epsilon(1e-9));
  CHECK(std::abs(s.achieved) < 0.01);
  CHECK(s.original == doctest::Approx(0.02));
  // A gap of 5m: (1 + g)^2 = 1.15395.
  Solution five = solve(sc, "partners.ccg.funding.growth", ref, 5e6, std::nullopt);
  CHECK(five.value == doctest::Approx(std::sqrt(1.15395) - 1).epsilon(1e-9));
  // Confidence alone cannot close it: at 100% the saving is only 1.21m.
  Solution none = solve(sc, "schemes.s.confidence", ref, 0, std::nullopt);
  CHECK_FALSE(none.found);
  CHECK(none.figure_low == doctest::Approx(121e6 - 1.21e6 - 104.04e6));
  CHECK(none.figure_high == doctest::Approx(121e6 - 104.04e6));
  // Searching outside the root's range finds nothing.
  CHECK_FALSE(solve(sc, "partners.ccg.funding.growth", ref, 0, std::make_pair(0.2, 0.5)).found);
}

TEST_CASE("sensitivity: a swing that makes the scenario bad input says which") {
  Scenario sc = fundgap::testing::scenario(R"(
fundgap: 1
name: T
period: {base: 2020/21, to: 2021/22}
partners:
  ccg: {funding: {base: 300m}}
services:
  a: {funder: ccg, base: 10m}
schemes:
  s: {service: a, saving: 9.5m}
)");
  try {
    sensitivity(sc, parse_figure(sc, "system.gap[2021/22]", "--target"), {"schemes.s.saving"});
    FAIL("expected an error");
  } catch (const InputError& e) {
    CHECK(e.diagnostics().list().front().message ==
          "savings on service 'a' in 2021/22 (£10.5m) exceed its projected spend (£10.0m) (with schemes.s.saving "
          "at its +10%, £10.5m)");  // 9.5m x 1.1 is a hair above 10.45m
  }
}

TEST_CASE("solve: a per-year input named without a year is varied as a whole, one value every year") {
  // Spend 100m grows 10% a year; funding growth is [2%, 4%]. One flat rate g for both
  // years closes the 2022/23 gap when 100m (1 + g)^2 = 121m: g = 10%.
  Scenario sc = fundgap::testing::scenario(R"(
fundgap: 1
name: T
period: {base: 2020/21, to: 2022/23}
partners:
  ccg: {funding: {base: 100m, growth: [2%, 4%]}}
  council: {funding: {base: 1m}}
services:
  acute: {funder: ccg, base: 100m, demand: 10%}
  care: {funder: council, base: 1m, demand: {2021/22: 1%, 2022/23: 2%}}
schemes:
  s: {service: acute, saving: 1%, ramp: [50%, 100%]}
)");
  const FigureRef ref = parse_figure(sc, "ccg.gap[2022/23]", "--target");
  // The scheme saves 1% of 121m = 1.21m: 100m (1 + g)^2 = 119.79m.
  Solution s = solve(sc, "partners.ccg.funding.growth", ref, 0, std::nullopt);
  REQUIRE(s.found);
  CHECK(s.value == doctest::Approx(std::sqrt(1.1979) - 1).epsilon(1e-9));
  CHECK(s.original == doctest::Approx(0.02));
  CHECK(s.original_low == doctest::Approx(0.02));
  CHECK(s.original_high == doctest::Approx(0.04));
  // A year map whose values hold is one run of years too.
  CHECK(whole_parameter(sc, "services.care.demand", "--vary").target.last == 2);
  // One year alone still works; sensitivity names years, and says which exist.
  CHECK(solve(sc, "partners.ccg.funding.growth[2022/23]", ref, 0, std::nullopt).found);
  try {
    find_parameter(sc, "partners.ccg.funding.growth", "--input");
    FAIL("expected an error");
  } catch (const InputError& e) {
    const Diagnostic d = e.diagnostics().list().front();
    CHECK(d.message == "'partners.ccg.funding.growth' is given year by year: name one of "
                       "'partners.ccg.funding.growth[2021/22]' or 'partners.ccg.funding.growth[2022/23]'");
    CHECK(d.where.column == 28);
  }
  // A ramp is not one value over years: its positions are named.
  try {
    whole_parameter(sc, "schemes.s.ramp", "--vary");
    FAIL("expected an error");
  } catch (const InputError& e) {
    CHECK(e.diagnostics().list().front().message ==
          "'schemes.s.ramp' is given value by value: name one of 'schemes.s.ramp[1]' or 'schemes.s.ramp[2]'");
  }
}

TEST_CASE("solve text: money as every other command writes it, not raw pounds") {
  SolveResult r{"partners.council.funding.base", ValueKind::money, "council.gap[2021/22]", 0, "GBP", {}};
  r.solution.found = true;
  r.solution.value = 229067269.914;
  r.solution.original = r.solution.original_low = r.solution.original_high = 195e6;
  r.solution.original_figure = 34.1e6;
  CHECK(fundgap::testing::written("text", r) ==
        "partners.council.funding.base = £229,067,269.91 meets council.gap[2021/22] = £0.0m\n"
        "  (the scenario has £195,000,000.00, giving £34.1m; the figure there is £0.0m)\n");
  r.kind = ValueKind::rate;
  r.solution.value = 0.0666928;
  r.solution.original = r.solution.original_low = 0.02;
  r.solution.original_high = 0.04;
  CHECK(fundgap::testing::written("text", r).find("= 6.66928% meets") != std::string::npos);
  CHECK(fundgap::testing::written("text", r).find("(the scenario has 2% to 4% by year,") != std::string::npos);
  r.solution.found = false;
  r.kind = ValueKind::money;
  r.solution.low = 0;
  r.solution.high = 101950573819.19;
  CHECK(fundgap::testing::written("text", r).starts_with(
      "no value of partners.council.funding.base between £0.00 and £101,950,573,819.19 meets"));
  CHECK(fundgap::testing::written("json", r).find("\"kind\": \"money\",\n  \"currency\": \"GBP\"") != std::string::npos);
}

TEST_CASE("sensitivity: every swing equals a full projection of a copy with that one input moved") {
  // The tornado projects its swings as one batch (the batch kernel, where it takes the
  // scenario, else an engine that recomputes only what the swung inputs reach, on one
  // working copy); here each swing is recomputed the plain way, a copy per swing.
  int swings = 0;
  for (const std::string& file : testing::bundled_files()) {
    CAPTURE(file);
    const Scenario sc = load_scenario_file(file);
    if (!sc.uncertain()) continue;
    const std::string last = fmt::format("{}", sc.year(sc.years() - 1));
    // Gaps (which a gaps run gives) and the do-nothing gap (which only a full run does); a
    // partner's figure and a pool's besides the system's; with the first uncertain input
    // also named as a certain one (two inputs on the same numbers: no batch).
    std::vector<std::string> figures{"system.gap[" + last + "]", "system.gap_do_nothing[" + last + "]",
                                     sc.partners.front().id + ".gap[" + last + "]"};
    if (!sc.pools.empty()) figures.push_back(sc.pools.front().id + ".balance[" + last + "]");
    std::string first_uncertain;
    for (const Parameter& p : sc.parameters)
      if (p.distribution && first_uncertain.empty()) first_uncertain = p.path;
    for (const std::vector<std::string>& certain : {std::vector<std::string>{}, std::vector{first_uncertain}}) {
      CAPTURE(certain.size());
      for (const std::string& figure : figures) {
        CAPTURE(figure);
        const FigureRef ref = parse_figure(sc, figure, "test");
        for (const Swing& s : sensitivity(sc, ref, certain)) {
          const Parameter& p = find_parameter(sc, s.path, "test");
          for (const auto& [v, at] : {std::pair{s.low, s.at_low}, std::pair{s.high, s.at_high}}) {
            Scenario w = sc;
            set_parameter(w, p.target, v);
            const Projection projected = project(w);
            const double expected = figure_value(projected, ref.figure, ref.year);
            // The kernel's sums of spend may round otherwise; a figure only a full run gives,
            // or a swing not batched (two inputs on the same numbers), is the run's exactly.
            if (certain.empty() && ref.figure.measure != Measure::gap_do_nothing) {
              CHECK(std::fabs(at - expected) <= testing::sum_rounding(projected, ref.year));
              CHECK(testing::sum_rounding(projected, ref.year) < 1e-3);  // a tenth of a penny
            } else {
              CHECK(at == expected);
            }
            ++swings;
          }
        }
      }
    }
  }
  CHECK(swings > 50);
}

TEST_CASE("solve: the scan's range of the figure is that of projecting each of its 201 points") {
  // solve scans its range in 200 steps (as a batch where the batch kernel takes the
  // scenario) and reports the least and greatest figure it met; here each point is a
  // full projection of a copy.
  int solved = 0;
  for (const char* name : {"scenarios/tower_hamlets_2019_uncertain.yaml", "docs/examples/uncertain.yaml",
                           "examples/04_pool_risk_share.yaml"}) {
    CAPTURE(name);
    const Scenario sc = load_scenario_file(std::string(FUNDGAP_SOURCE_DIR) + "/" + name);
    const std::string last = fmt::format("{}", sc.year(sc.years() - 1));
    const FigureRef ref = parse_figure(sc, "system.gap[" + last + "]", "test");
    for (const Parameter& p : sc.parameters) {
      if (p.kind != ValueKind::rate || p.path.find('[') != std::string::npos) continue;
      CAPTURE(p.path);
      const Solution s = solve(sc, p.path, ref, 0, std::make_pair(-0.05, 0.15));
      double low = HUGE_VAL, high = -HUGE_VAL, rounding = 0;  // the kernel's sums may round otherwise
      for (int i = 0; i <= 200; ++i) {
        Scenario w = sc;
        set_parameter(w, p.target, -0.05 + (0.15 - -0.05) * i / 200);
        try {
          const Projection projected = project(w);
          const double v = figure_value(projected, ref.figure, ref.year);
          low = std::min(low, v);
          high = std::max(high, v);
          rounding = std::max(rounding, testing::sum_rounding(projected, ref.year));
        } catch (const InputError&) {
        }
      }
      CHECK(std::fabs(s.figure_low - low) <= rounding);
      CHECK(std::fabs(s.figure_high - high) <= rounding);
      CHECK(rounding < 1e-3);  // a tenth of a penny
      ++solved;
    }
  }
  CHECK(solved >= 5);
}
