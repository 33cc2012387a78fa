// Checks on a plan: the expression grammar and each of its errors, evaluation worked out
// by hand, and the CI formats (JUnit XML, GitHub annotations, Markdown).
#include <sstream>

#include "fundgap/analysis/checks.h"
#include "fundgap/input/references.h"
#include "test_support.h"

using namespace fundgap;
using fundgap::testing::errors_of;
using Errors = std::vector<std::string>;

namespace {

// council funds care: 100m growing 10% a year against flat funding of 100m, so the gap
// is 0, 10m, 21m in 2020/21, 2021/22, 2022/23. The pool holds community: 50m + 50m
// contributed, spend 100m growing 20%: balance 0, -20m, -44m.
const char* const kPlan =
    "fundgap: 1\n"                                                       // 1
    "name: Plan\n"                                                       // 2
    "period: {base: 2020/21, to: 2022/23}\n"                             // 3
    "partners:\n"                                                        // 4
    "  council: {funding: {base: 150m}}\n"                               // 5
    "  ccg: {funding: {base: 50m}}\n"                                    // 6
    "services:\n"                                                        // 7
    "  care: {funder: council, base: 100m, demand: 10%}\n"               // 8
    "  community: {base: 100m, demand: 20%}\n"                           // 9
    "schemes:\n"                                                         // 10
    "  s: {service: care, saving: 0m}\n"                                 // 11
    "pools:\n"                                                           // 12
    "  bcf: {host: ccg, services: [community], contributions: {council: 50m, ccg: 50m}, risk_share: host}\n"  // 13
    "checks:\n";                                                         // 14

std::vector<CheckResult> results_of(const std::string& checks) {
  Scenario sc = fundgap::testing::scenario(std::string(kPlan) + checks);
  return evaluate_checks(sc, project(sc));
}

CheckResult one(const std::string& expression) {
  auto r = results_of("  - " + expression + "\n");
  REQUIRE(r.size() == 1);
  return r[0];
}

}  // namespace

TEST_CASE("checks: a bound over every year fails on the worst year") {
  // council gap = 0, 10m, 21m; the worst year against <= 15m is 2022/23.
  CheckResult r = one("council.gap[*] <= 15m");
  CHECK_FALSE(r.passed);
  CHECK(r.year == 2);
  CHECK_MONEY(r.actual, 21e6);
  CHECK_MONEY(r.target, 15e6);
  CHECK(r.expected == "<= £15.0m");
  CHECK(one("council.gap[2021/22] <= 15m").passed);
  CHECK(one("council.gap[*] <= 21m").passed);  // equal passes
  CHECK_FALSE(one("council.gap[*] < 21m").passed);
  CHECK(one("council.gap[*] >= 0").passed);
  CHECK_FALSE(one("council.gap[*] > 0").passed);  // the base year is 0
}

TEST_CASE("checks: percentages are shares of the entity's reference measure") {
  // council: funding (150m); 10% = 15m each year; gap 21m in 2022/23 fails.
  CheckResult r = one("council.gap[*] <= 10%");
  CHECK_FALSE(r.passed);
  CHECK_MONEY(r.target, 15e6);
  CHECK(r.expected == "<= 10% of funding (£15.0m)");
  // pool: contributions (100m); balance -44m in 2022/23 against -40% = -40m fails;
  // against -45% = -45m passes.
  CHECK_FALSE(one("pools.bcf.balance[*] >= -40%").passed);
  CHECK(one("pools.bcf.balance[*] >= -45%").passed);
  // service: baseline; savings 0 <= 1% of baseline.
  CHECK(one("care.savings[*] <= 1%").passed);
  // system partner measures against system funding (200m): gap 21m + 44m = 65m <= 33%?
  // 33% of 200m = 66m: passes; 32% = 64m fails.
  CHECK(one("system.gap[2022/23] <= 33%").passed);
  CHECK_FALSE(one("system.gap[2022/23] <= 32%").passed);
}

TEST_CASE("checks: equality to the penny, with money or relative tolerance") {
  CHECK(one("council.gap[2021/22] == 10m").passed);
  CHECK(one("council.gap[2021/22] == 10000000.004").passed);   // rounds to the same penny
  CHECK_FALSE(one("council.gap[2021/22] == 10000000.01").passed);
  CHECK_FALSE(one("council.gap[2021/22] != 10m").passed);
  // 21m against 20m +- 5% (1m): exactly at the edge, passes; +- 4% (0.8m) fails.
  CHECK(one("council.gap[2022/23] == 20m ± 5%").passed);
  CHECK_FALSE(one("council.gap[2022/23] == 20m ± 4%").passed);
  CHECK(one("council.gap[2022/23] == 20m +- 1m").passed);
  CheckResult r = one("council.gap[2022/23] == 20m ± 5%");
  CHECK_MONEY(r.tolerance, 1e6);
  CHECK(r.expected == "== £20.0m ± £1.0m");
}

TEST_CASE("checks: names, kinds of entity and measure") {
  auto r = results_of("  - name: pool sharing\n    check: pools.bcf.cost_ccg[2021/22] == 70m\n"
                      "  - schemes.s.saving[*] == 0\n  - system.net[2020/21] == 200m\n");
  REQUIRE(r.size() == 3);
  CHECK(r[0].check.name == "pool sharing");  // host ccg: 50m + the 20m overspend
  CHECK(r[0].passed);
  CHECK(r[1].check.name == "schemes.s.saving[*] == 0");
  CHECK(r[1].passed);
  CHECK(r[2].passed);
}

TEST_CASE("checks: every malformed expression is an error at its column") {
  auto errs = [](const std::string& expr) { return errors_of(std::string(kPlan) + "  - " + expr + "\n"); };
  CHECK(errs("'< 5m'") == Errors{"15:6: expected ENTITY.MEASURE[YEAR] (like council.gap[2021/22]) at the start of "
                                 "the check, found '<'"});
  CHECK(errs("gap[*] <= 5m") == Errors{"15:5: expected ENTITY.MEASURE[YEAR] (like council.gap[2021/22]), found 'gap'"});
  CHECK(errs("pool.bcf.balance[*] >= 0") ==
        Errors{"15:5: unknown section 'pool' in check; expected partners, services, schemes or pools (did you mean "
               "'pools'?)"});
  CHECK(errs("councl.gap[*] <= 5m") == Errors{"15:5: unknown entity 'councl' in check (did you mean 'council'?)"});
  CHECK(errs("pools.care.balance[*] <= 5m") == Errors{"15:11: 'care' is a service, not a pool"});
  CHECK(errs("council.gpa[*] <= 5m") == Errors{"15:13: unknown measure 'gpa' for partner 'council' (did you mean 'gap'?)"});
  CHECK(errs("council.gap <= 5m") == Errors{"15:16: expected '[YEAR]' or '[*]' after 'council.gap', found a space"});
  CHECK(errs("'council.gap[2021/22 <= 5m'") == Errors{"15:17: '[' without a closing ']'"});
  CHECK(errs("council.gap[last] <= 5m") ==
        Errors{"15:17: expected a financial year (like 2021/22) or '*' in brackets, found 'last'"});
  CHECK(errs("council.gap[2030/31] <= 5m") == Errors{"15:17: year 2030/31 is outside the period 2020/21 to 2022/23"});
  CHECK(errs("council.gap[*] = 5m") ==
        Errors{"15:20: expected a comparison (<=, <, >=, >, == or !=) after 'council.gap[*]', found '='"});
  CHECK(errs("council.gap[*] <=") ==
        Errors{"15:22: expected a value (money like 5m, or a percentage like 2%), found the end"});
  CHECK(errs("council.gap[*] <= lots") ==
        Errors{"15:23: expected a value (money like 5m, or a percentage like 2%), found 'lots'"});
  CHECK(errs("s.saving[*] <= 5%") ==
        Errors{"15:20: a percentage needs something to be a share of; schemes have none, so give money"});
  CHECK(errs("council.gap[*] <= 5m ± 1m") == Errors{"15:26: a tolerance (±) only goes with == or !="});
  // Columns count characters: '±' is one, though two bytes in UTF-8.
  CHECK(errs("council.gap[*] == 5m ± -1m") == Errors{"15:28: a tolerance cannot be negative"});
  CHECK(errs("council.gap[*] == 5m ± 1m and more") == Errors{"15:31: unexpected 'and more' at the end of the check"});
}

TEST_CASE("checks: list and map structure errors") {
  CHECK(errors_of(std::string(kPlan) + "  - {name: x}\n") ==
        Errors{"15:5: missing required key 'check' in a check (like 'check: system.gap[2021/22] <= 0')"});
  // In a {flow map} an expression with [ ] must be quoted: YAML reads them as brackets.
  CHECK(errors_of(std::string(kPlan) + "  - {check: 'council.gap[*] <= 0', severity: high}\n") ==
        Errors{"15:36: unknown key 'severity' in a check"});
  CHECK(errors_of(std::string(kPlan) + "  - [a]\n") ==
        Errors{"15:5: expected a check expression (like system.gap[2021/22] <= 0) or a map with 'check', found a list"});
  CHECK(errors_of(std::string(kPlan).substr(0, std::string(kPlan).size() - 8) + "checks: council.gap[*] <= 0\n") ==
        Errors{"14:9: expected a list of checks for 'checks' in the scenario, found 'council.gap[*] <= 0'"});
}

namespace {
CheckRun failing_run() {
  Scenario sc = fundgap::testing::scenario(std::string(kPlan) + "  - name: gap <= 15m & \"ok\"\n"
                                                                "    check: council.gap[*] <= 15m\n"
                                                                "  - council.gap[2020/21] == 0\n");
  FileChecks f;
  f.path = "plans/a, b.yaml";
  f.scenario = sc.name;
  for (int t = 0; t < sc.years(); ++t) f.years.push_back(sc.year(t));
  f.results = evaluate_checks(sc, project(sc));
  f.seconds = 0.5;
  return CheckRun{{f}, "2026-11-24T10:00:00", "ci-runner"};
}
}  // namespace

TEST_CASE("junit: Apache Ant form with escaped names and a failure message") {
  const std::string x = fundgap::testing::written("junit", failing_run());
  CHECK(x.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"fundgap check\" tests=\"2\" "
                "failures=\"1\" errors=\"0\" time=\"0.500\">\n", 0) == 0);
  CHECK(x.find("<testsuite name=\"plans/a, b.yaml\" id=\"0\" package=\"fundgap\" tests=\"2\" failures=\"1\" "
               "errors=\"0\" skipped=\"0\" time=\"0.500\" timestamp=\"2026-11-24T10:00:00\" hostname=\"ci-runner\">") !=
        std::string::npos);
  CHECK(x.find("<testcase name=\"gap &lt;= 15m &amp; &quot;ok&quot;\" classname=\"plans/a, b.yaml\" time=\"0.250\">") !=
        std::string::npos);
  CHECK(x.find("<failure message=\"council.gap[*] &lt;= 15m: expected &lt;= £15.0m, actual £21.0m in 2022/23\" "
               "type=\"CheckFailed\">t.yaml:16:12: ") != std::string::npos);
  CHECK(x.find("<testcase name=\"council.gap[2020/21] == 0\" classname=\"plans/a, b.yaml\" time=\"0.250\"/>") !=
        std::string::npos);
}

TEST_CASE("github annotations: one per failure, at the check's line, escaped") {
  CHECK(fundgap::testing::written("github", failing_run()) == "::error file=t.yaml,line=16,col=12,title=fundgap check failed%3A gap <= 15m & \"ok\"::"
                     "council.gap[*] <= 15m: expected <= £15.0m, actual £21.0m in 2022/23\n");
}

TEST_CASE("markdown: a summary and a table, pipes escaped") {
  CHECK(fundgap::testing::written("markdown", failing_run()) ==
        "### fundgap checks: failing\n\n"
        "2 checks: 1 passed, 1 failed\n\n"
        "#### Plan (`plans/a, b.yaml`)\n\n"
        "| | Check | Expression | Expected | Actual |\n|---|---|---|---|---|\n"
        "| :x: | gap <= 15m & \"ok\" | `council.gap[*] <= 15m` | <= £15.0m | £21.0m in 2022/23 |\n"
        "| :white_check_mark: | council.gap[2020/21] == 0 | `council.gap[2020/21] == 0` | == £0.0m | £0.0m in 2020/21 |\n\n");
}

TEST_CASE("checks: a near miss shows enough decimals to see it; small tolerances are shown") {
  // council gap in 2021/22 is 10m: against 10,000,000.01 it fails by a penny.
  CheckResult r = one("council.gap[2021/22] == 10000000.01");
  CHECK_FALSE(r.passed);
  CHECK(r.expected == "== £10,000,000.01");
  CHECK(r.actual_text == "£10,000,000.00 in 2021/22");
  // 10.02m against 10m differ at the second decimal; the tolerance shows as given.
  CheckResult t = one("council.gap[2021/22] == 10.02m ± 0.05m");
  CHECK(t.passed);
  CHECK(t.expected == "== £10.02m ± £0.05m");
  CHECK(t.actual_text == "£10.00m in 2021/22");
  // One style for the whole report: the tolerance needs six decimals, so does the value.
  CHECK(one("council.gap[2021/22] == 10m ± 1234").expected == "== £10.000000m ± £0.001234m");
}

TEST_CASE("checks: expected and actual at one precision, fine enough for the real miss") {
  // care costs 149,924,998 against funding of 100m: a gap of 49,924,998 in every year.
  // Against 49.925m that misses by £2. At two decimals they would read £49.93m and
  // £49.92m, a miss of £10k; a step of £1 (six decimals of a million) shows £2.
  const std::string plan = "fundgap: 1\nname: P\nperiod: {base: 2020/21, to: 2021/22}\n"
                           "partners:\n  council: {funding: {base: 100m}}\n"
                           "services:\n  care: {funder: council, base: 149924998}\nchecks:\n";
  Scenario sc = fundgap::testing::scenario(plan + "  - council.gap[2021/22] == 49.925m\n"
                                                  "  - council.gap[*] <= 60m\n");
  const std::vector<CheckResult> r = evaluate_checks(sc, project(sc));
  REQUIRE(r.size() == 2);
  CHECK_FALSE(r[0].passed);
  CHECK(r[0].expected == "== £49.925000m");
  CHECK(r[0].actual_text == "£49.924998m in 2021/22");
  // The other check of the same file is in the same style.
  CHECK(r[1].expected == "<= £60.000000m");
  CHECK(r[1].actual_text == "£49.924998m in 2020/21");
  // A miss of less than a pound: pounds and pence for every check of the file.
  sc = fundgap::testing::scenario(plan + "  - council.gap[2021/22] == 49924998.40\n  - council.gap[*] <= 60m\n");
  const std::vector<CheckResult> p = evaluate_checks(sc, project(sc));
  CHECK(p[0].expected == "== £49,924,998.40");
  CHECK(p[0].actual_text == "£49,924,998.00 in 2021/22");
  CHECK(p[1].expected == "<= £60,000,000.00");
}

TEST_CASE("a reference for one year says only what works there") {
  Scenario sc = fundgap::testing::scenario(std::string(kPlan) + "  - council.gap[*] <= 15m\n");
  auto message = [&](const std::string& text) {
    try {
      parse_figure(sc, text, "FIGURE");
    } catch (const InputError& e) {
      const Diagnostic d = e.diagnostics().list().front();
      return std::to_string(d.where.column) + ": " + d.message;
    }
    return std::string("no error");
  };
  // explain and solve take one year: [*] is not offered.
  CHECK(message("council.gap") == "12: expected '[YEAR]' after 'council.gap' (like council.gap[2022/23]), found the end");
  CHECK(message("council.gap[2019/2020]") ==
        "13: expected a financial year (like 2021/22) in brackets, found '2019/2020'; write 2019/20");
  CHECK(message("council.gap[*]") == "1: give one year here, like [2021/22], not [*]");
  CHECK(message("council.gap[2021-22]") == "no error");  // as NHS papers write it
  // A check, which may name every year, offers both.
  CHECK(errors_of(std::string(kPlan) + "  - council.gap <= 5m\n") ==
        Errors{"15:16: expected '[YEAR]' or '[*]' after 'council.gap', found a space"});
}
