// explain: for every figure of every bundled scenario, the explanation's top number is
// run's to the penny, and every line's arithmetic adds up from the lines below it.
#include <filesystem>
#include <functional>

#include "fundgap/model/explanation.h"
#include "fundgap/input/references.h"
#include "fundgap/analysis/report.h"
#include "fundgap/output/format.h"
#include "test_support.h"

using namespace fundgap;

namespace {

// Checks that each sum or product node equals the combination of its children.
void check_arithmetic(const Explanation& e) {
  if (e.op == Explanation::Op::leaf) return;
  double combined = e.op == Explanation::Op::product ? 1 : 0;
  for (const Explanation& c : e.children) {
    if (e.op == Explanation::Op::product)
      combined *= c.value;
    else
      combined += c.coefficient * c.value;
    check_arithmetic(c);
  }
  CAPTURE(e.label);
  CHECK(std::abs(combined - e.value) <= 1e-9 * std::max(1.0, std::abs(e.value)));
}

}  // namespace

TEST_CASE("explain equals run, to the penny, for every figure of every bundled scenario") {
  int figures = 0;
  for (const std::string& file : fundgap::testing::bundled_files()) {
    CAPTURE(file);
    Scenario sc = load_scenario_file(file);
    Projection p = project(sc);
    Report r = make_report(sc, p, View::all);
    for (const ReportSection& section : r.sections)
      for (const ReportEntity& entity : section.entities)
        for (const Series& m : entity.measures)
          for (int t = 0; t < sc.years(); ++t) {
            const std::string figure = fmt::format("{}.{}[{}]", entity.id, m.name, sc.year(t));
            CAPTURE(figure);
            Explanation e = explain(sc, p, parse_figure(sc, figure, "FIGURE"));
            CHECK(e.value == m.values(t));  // the very number run prints
            check_arithmetic(e);
            ++figures;
          }
  }
  CHECK(figures > 1000);
}

TEST_CASE("explain reaches the scenario's own lines") {
  Scenario sc = fundgap::testing::scenario(R"(
fundgap: 1
name: T
period: {base: 2020/21, to: 2021/22}
partners:
  ccg: {funding: {base: 100m, growth: 2%}}
services:
  acute: {funder: ccg, base: 100m, demand: 10%}
schemes:
  s: {service: acute, saving: 5%, confidence: 50%}
)");
  Projection p = project(sc);
  // saving = 50% x 100% x 5% x (100m x 1.1) = 2.75m
  Explanation e = explain(sc, p, parse_figure(sc, "s.saving[2021/22]", "FIGURE"));
  CHECK_MONEY(e.value, 2.75e6);
  REQUIRE(e.children.size() == 4);
  CHECK(e.children[0].label == "confidence");
  CHECK(e.children[0].where.line == 10);
  CHECK(e.children[0].where.column == 47);
  CHECK(e.children[2].where.column == 31);  // saving: 5%
  const Explanation& baseline = e.children[3];
  CHECK(baseline.label == "acute.baseline[2021/22]");
  REQUIRE(baseline.children.size() == 2);
  CHECK(baseline.children[0].where.line == 8);  // base: 100m
  CHECK(baseline.children[1].label == "1 + demand 10% (2021/22)");
  CHECK(baseline.children[1].where.column == 44);
}

TEST_CASE("explain lists the schemes on a service in scheme order, and a partner's services in service order") {
  // Each scheme reaches `community` in a different way (saving, one-off cost, re-provision,
  // investment); a scheme that reaches it twice is listed once for each figure.
  Scenario sc = fundgap::testing::scenario(R"(
fundgap: 1.1
name: T
period: {base: 2020/21, to: 2021/22}
partners:
  ccg: {funding: {base: 100m}}
  council: {funding: {base: 50m}}
services:
  acute: {funder: ccg, base: 80m}
  community: {funder: {council: 40%, ccg: 60%}, base: 30m}
  social: {funder: council, base: 38m}
schemes:
  a: {service: acute, saving: 5%, reprovide: {service: community, share: 50%}, investment: {service: community, amount: 1m}}
  b: {service: community, saving: 10%, one_off_cost: {2021/22: 0.5m}}
  c: {service: social, saving: 2%, investment: {service: community, amount: 2m}}
)");
  Projection p = project(sc);
  auto labels = [&](const std::string& figure) {
    std::vector<std::string> out;
    for (const Explanation& c : explain(sc, p, parse_figure(sc, figure, "FIGURE")).children) out.push_back(c.label);
    return out;
  };
  using V = std::vector<std::string>;
  CHECK(labels("community.savings[2021/22]") == V{"b.saving[2021/22]"});
  CHECK(labels("community.reprovided[2021/22]") == V{"a.reprovided[2021/22]"});
  CHECK(labels("community.investment[2021/22]") ==
        V{"a.investment[2021/22]", "b.one_off_cost[2021/22]", "c.investment[2021/22]"});
  CHECK(labels("acute.investment[2021/22]").empty());
  const V council = labels("council.spend[2021/22]");
  REQUIRE(council.size() == 2);
  CHECK(council[0] == "community.net[2021/22] x 40% share");
  CHECK(council[1] == "social.net[2021/22] x 100% share");
  const V ccg = labels("ccg.spend[2021/22]");
  REQUIRE(ccg.size() == 2);
  CHECK(ccg[0] == "acute.net[2021/22] x 100% share");
  CHECK(ccg[1] == "community.net[2021/22] x 60% share");
}

TEST_CASE("explain: a bad figure is an error located in it") {
  Scenario sc = fundgap::testing::scenario(R"(
fundgap: 1
name: T
period: {base: 2020/21, to: 2021/22}
partners:
  ccg: {funding: {base: 100m}}
services:
  acute: {funder: ccg, base: 100m}
)");
  auto message = [&](const std::string& figure) {
    try {
      parse_figure(sc, figure, "FIGURE");
    } catch (const InputError& e) {
      const Diagnostic d = e.diagnostics().list().front();
      return fmt::format("{}:{}:{}: {}", d.where.path(), d.where.line, d.where.column, d.message);
    }
    return std::string("no error");
  };
  CHECK(message("ccg.gpa[2021/22]") == "FIGURE:1:5: unknown measure 'gpa' for partner 'ccg' (did you mean 'gap'?)");
  CHECK(message("ccg.gap[*]") == "FIGURE:1:1: give one year here, like [2021/22], not [*]");
  CHECK(message("ccg.gap[2021/22] <= 0") == "FIGURE:1:18: unexpected '<= 0' at the end of the reference");
  CHECK(message("cgg.gap[2021/22]") == "FIGURE:1:1: unknown entity 'cgg' in reference (did you mean 'ccg'?)");
}
