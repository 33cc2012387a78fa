// The HTML board report: what it gathers, and what the page says, for scenarios small
// enough to work out by hand. Rendering in a browser is tests/html_report_test.py.

#include "fundgap/output/board.h"
#include "test_support.h"

using namespace fundgap;
using fundgap::testing::scenario;
using fundgap::testing::written;

namespace {

// One council funds one service: 100m growing 10% a year against flat funding of 100m.
// Gap 0, 10m (110 - 100), 21m (121 - 100); the bridge from 2020/21 to 2022/23 is all
// demand growth: +21m.
const char* kOnePartner = R"(fundgap: 1
name: "<b>Care & 'Health'</b>"
period: {base: 2020/21, to: 2022/23}
partners:
  council: {name: Council <One>, funding: {base: 100m}}
services:
  care: {funder: council, base: 100m, demand: 10%}
checks:
  - name: gap <= 20m
    check: council.gap[2022/23] <= 20m
)";

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("the html format writes only the board report, and .html implies it") {
  const std::vector<const OutputFormat*> formats = formats_for(Document::board);
  REQUIRE(formats.size() == 1);
  CHECK(formats[0]->name == "html");
  CHECK(format_for_path(Document::board, "board/Report.HTML") == formats[0]);
  CHECK(format_for_path(Document::board, "report.htm") == formats[0]);
  CHECK(format_for_path(Document::report, "report.html") == nullptr);
}

TEST_CASE("a board report gathers the figures of run, bridge and check") {
  const Scenario sc = scenario(kOnePartner);
  const BoardReport b = make_board_report(sc, "plans/one.yaml");
  CHECK(b.source == "plans/one.yaml");
  CHECK(b.bridge.entity == "system");
  CHECK(b.bridge.start == doctest::Approx(0));
  CHECK(b.bridge.end == doctest::Approx(21e6));
  REQUIRE(b.partner_bridges.size() == 1);
  CHECK(b.partner_bridges[0].end == doctest::Approx(21e6));
  REQUIRE(b.checks.files.size() == 1);
  REQUIRE(b.checks.files[0].results.size() == 1);
  CHECK_FALSE(b.checks.files[0].results[0].passed);  // 21m > 20m
  CHECK_FALSE(b.simulation.has_value());  // nothing is uncertain: nothing simulated
  CHECK_FALSE(b.tornado.has_value());
}

TEST_CASE("the page: self-contained, escaped, every chart with marks, the figures by hand") {
  const std::string page = written("html", make_board_report(scenario(kOnePartner), "one.yaml"));
  CHECK(page.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(count(page, "<script") == 0);
  CHECK(count(page, "<link") == 0);
  CHECK(count(page, "src=") == 0);
  // Scenario text is escaped wherever it appears.
  CHECK(count(page, "<b>Care") == 0);
  CHECK(count(page, "Council <One>") == 0);
  CHECK(count(page, "&lt;b&gt;Care &amp; &apos;Health&apos;&lt;/b&gt;") >= 2);  // the title and the heading
  CHECK(count(page, "Council &lt;One&gt;") >= 1);
  CHECK(count(page, "gap &lt;= 20m") == 1);  // the check's name
  // The headline and the waterfall: the system gap of £21.0m, all of it demand growth.
  CHECK(count(page, "System gap 2022/23, plan<b>£21.0m</b>") == 1);
  CHECK(count(page, ">+£21.0m</text>") == 2);  // the system's and the council's demand growth
  CHECK(count(page, "<td class=\"fail\">FAIL</td>") == 1);
  CHECK(count(page, "0 of 1 pass") == 1);
  // Charts: the council's and the system's gap, two bridges; no pool, nothing uncertain.
  CHECK(count(page, "aria-label=\"Gap of ") == 2);
  CHECK(count(page, "aria-label=\"Gap bridge of ") == 2);
  CHECK(count(page, "This scenario has no pooled budgets.") == 1);
  CHECK(count(page, "No input of this scenario is uncertain") == 1);
  // Each chart, from its opening tag to the first </svg> after it, has marks in it. (Not
  // std::regex: g++ 12 under -fsanitize warns inside libstdc++'s regex, and -Werror.)
  int charts = 0;
  for (std::size_t at = page.find("<svg class=\"chart\""); at != std::string::npos;
       at = page.find("<svg class=\"chart\"", at + 1), ++charts) {
    const std::size_t end = page.find("</svg>", at);
    REQUIRE(end != std::string::npos);
    CHECK(page.substr(at, end - at).find("class=\"mark") != std::string::npos);
  }
  CHECK(charts == 4);
  // The gap lines: 0, 10m and 21m, plan and do-nothing the same (there are no schemes).
  CHECK(count(page, "<title>plan 2022/23: £21.0m</title>") == 2);
  CHECK(count(page, "<title>do nothing 2021/22: £10.0m</title>") == 2);
}

TEST_CASE("an uncertain scenario: a fan of ordered quantiles and a tornado, the same for the same seed") {
  const Scenario sc = scenario(R"(fundgap: 1
name: Uncertain
period: {base: 2020/21, to: 2022/23}
partners:
  council: {funding: {base: 100m}}
services:
  care: {funder: council, base: 100m, demand: {interval: [5%, 15%]}}
)");
  const BoardReport b = make_board_report(sc, "u.yaml", {500, 3, 2});
  REQUIRE(b.simulation.has_value());
  REQUIRE(b.tornado.has_value());
  CHECK(b.simulation->notes.at(0) == "500 draws, seed 3.");
  for (const ReportEntity& e : b.simulation->sections.at(0).entities) {
    REQUIRE(e.measures.size() == kFanQuantiles.size() + 2);  // mean, the quantiles, p_shortfall
    CHECK(e.measures[1].name == "gap_p5");
    CHECK(e.measures[5].name == "gap_p95");
    for (Eigen::Index t = 0; t < e.measures[1].values.size(); ++t)
      for (std::size_t q = 1; q < kFanQuantiles.size(); ++q)
        CHECK(e.measures[q].values(t) <= e.measures[q + 1].values(t));
  }
  REQUIRE(b.tornado->swings.size() == 1);
  CHECK(b.tornado->figure == "system.gap[2022/23]");
  // At 10% demand the gap is 21m; the swing's ends bracket it.
  CHECK(b.tornado->base == doctest::Approx(21e6));
  CHECK(b.tornado->swings[0].at_low < 21e6);
  CHECK(b.tornado->swings[0].at_high > 21e6);
  const std::string page = written("html", b);
  CHECK(count(page, "aria-label=\"Range of the gap of ") == 2);
  CHECK(count(page, "aria-label=\"Sensitivity of system.gap[2022/23]\"") == 1);
  CHECK(page == written("html", make_board_report(sc, "u.yaml", {500, 3, 1})));  // threads do not matter
}
