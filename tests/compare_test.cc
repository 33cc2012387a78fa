// compare and --max-increase gates, on scenarios small enough to work out by hand.
#include "fundgap/analysis/compare.h"
#include "fundgap/model/projection.h"
#include "test_support.h"

using namespace fundgap;

namespace {
// A scenario with its projection, as compare() takes them.
struct Run {
  Scenario scenario;
  Projection projection;
  operator Projected() const { return {scenario, projection}; }
};

// ccg funds acute: 100m growing `demand` against flat funding of 100m.
Run report_with(const std::string& demand, const std::string& extra = "") {
  Scenario sc = fundgap::testing::scenario(R"(
fundgap: 1
name: T
period: {base: 2020/21, to: 2022/23}
partners:
  ccg: {funding: {base: 100m}}
services:
  acute: {funder: ccg, base: 100m, demand: )" + demand + "}\n" + extra);
  Projection p = project(sc);
  return {std::move(sc), std::move(p)};
}
Scenario base_scenario() {
  return fundgap::testing::scenario("fundgap: 1\nname: T\nperiod: {base: 2020/21, to: 2022/23}\npartners:\n"
                                    "  ccg: {funding: {base: 100m}}\nservices:\n  acute: {funder: ccg, base: 100m}\n");
}
}  // namespace

TEST_CASE("compare: the measure of each entity, base and other, year by year") {
  // Gap at 10% demand: 0, 10m, 21m; at 20%: 0, 20m, 44m.
  Comparison c = compare(report_with("10%"), report_with("20%"), View::partners, "gap");
  CHECK(c.measure == "gap");
  REQUIRE(c.years.size() == 3);
  REQUIRE(c.entities.size() == 2);
  CHECK(c.entities[0].id == "ccg");
  CHECK(c.entities[1].id == "system");
  CHECK_MONEY(*c.entities[0].base[2], 21e6);
  CHECK_MONEY(*c.entities[0].other[2], 44e6);
  CHECK_MONEY(*c.entities[0].other[1], 20e6);
}

TEST_CASE("compare: an entity in one scenario only has no value in the other") {
  Comparison c = compare(report_with("10%"), report_with("10%", "schemes:\n  s: {service: acute, saving: 1m}\n"),
                         View::schemes, "saving");
  REQUIRE(c.entities.size() == 1);  // no system total in the schemes view
  CHECK(c.entities[0].id == "s");
  CHECK_FALSE(c.entities[0].base[1].has_value());
  CHECK_MONEY(*c.entities[0].other[1], 1e6);
}

TEST_CASE("gates: money and per cent limits, every year or one, in pennies") {
  Scenario sc = base_scenario();
  Run base = report_with("10%"), other = report_with("20%");
  // Increase: 0, 10m, 23m.
  GateResult r = evaluate_gate(parse_gate(sc, "ccg.gap[*]=10m", "--max-increase"), base, other, "o.yaml");
  CHECK_FALSE(r.passed);
  CHECK(r.year.label() == "2022/23");
  CHECK_MONEY(r.other - r.base, 23e6);
  CHECK(evaluate_gate(parse_gate(sc, "ccg.gap[2021/22]=10m", "--max-increase"), base, other, "o.yaml").passed);
  CHECK_FALSE(evaluate_gate(parse_gate(sc, "ccg.gap[2021/22]=9999999.99", "--max-increase"), base, other, "o.yaml").passed);
  // 110% of the base gap of 21m is 23.1m >= 23m; 109% is 22.89m < 23m.
  CHECK(evaluate_gate(parse_gate(sc, "system.gap[2022/23]=110%", "--max-increase"), base, other, "o.yaml").passed);
  CHECK_FALSE(evaluate_gate(parse_gate(sc, "system.gap[2022/23]=109%", "--max-increase"), base, other, "o.yaml").passed);
  // A decrease always passes.
  CHECK(evaluate_gate(parse_gate(sc, "ccg.gap[*]=0", "--max-increase"), other, base, "o.yaml").passed);
}

TEST_CASE("gates: errors are located in the option's text") {
  Scenario sc = base_scenario();
  auto message = [&](const std::string& text) {
    try {
      parse_gate(sc, text, "--max-increase");
    } catch (const InputError& e) {
      const Diagnostic d = e.diagnostics().list().front();
      return fmt::format("{}:{}:{}: {}", d.where.path(), d.where.line, d.where.column, d.message);
    }
    return std::string("no error");
  };
  CHECK(message("system.gap[*]") ==
        "--max-increase:1:1: expected ENTITY.MEASURE[YEAR]=LIMIT (like system.gap[*]=1m), found 'system.gap[*]'");
  CHECK(message("system.gpa[*]=1m") == "--max-increase:1:8: unknown measure 'gpa' for the system (did you mean 'gap'?)");
  CHECK(message("system.gap[*]=lots") ==
        "--max-increase:1:15: expected a limit (money like 1m, or a percentage like 5%), found 'lots'");
  CHECK(message("system.gap[*]=-1m") == "--max-increase:1:15: a limit on an increase cannot be negative");
}

TEST_CASE("compare: no change % against a base the table shows as 0.0, and never a signed zero") {
  // Half the table's 0.1m: a base of £49,999.99 has no percentage, one of £50,000 has.
  CHECK_FALSE(change_fraction(1.0, 1e6).has_value());  // a plan balanced to the pound
  CHECK_FALSE(change_fraction(-49999.99, 0.0).has_value());
  REQUIRE(change_fraction(50000.0, 100000.0).has_value());
  CHECK(*change_fraction(-50000.0, 0.0) == doctest::Approx(1.0));
  CHECK(change_percent_text(std::nullopt) == "\xE2\x80\x93");
  CHECK(change_percent_text(-0.0004) == "0.0%");  // -0.04% rounds to 0.0%
  CHECK(change_percent_text(0.0004) == "0.0%");
  CHECK(change_percent_text(0.0) == "0.0%");
  CHECK(change_percent_text(0.0005) == "+0.1%");
  CHECK(change_percent_text(-0.046) == "-4.6%");
}

TEST_CASE("compare table: every column is as wide as its widest cell") {
  // Base 60,000 (enough for a percentage) to 100bn: (1e11 - 6e4) / 6e4 = +166666566.7%,
  // 13 characters, so each column is 15 wide. A base of £1 has no percentage.
  const Comparison c{"", "A", "", "B", "GBP", "gap", {FinancialYear{2020}, FinancialYear{2021}},
                     {{"ccg", {60000.0, 1.0}, {100e9, 1.0 + 1e-9}}}};
  const std::string table = fundgap::testing::written("table", Comparisons{{c}, {}});
  CHECK(table ==
        "gap (\xC2\xA3m): A -> B\n"
        "                    2020/21        2021/22\n"
        "ccg\n"
        "  base                  0.1            0.0\n"
        "  other           100,000.0            0.0\n"
        "  change          +99,999.9            0.0\n"
        "  change %    +166666566.7%              \xE2\x80\x93\n");
}
