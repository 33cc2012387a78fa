// Report writers: number formatting, and the table, CSV and JSON of a scenario small
// enough that every figure below is worked out by hand.
#include <sstream>

#include <nlohmann/json.hpp>

#include "fundgap/analysis/report.h"
#include "fundgap/base/money.h"
#include "fundgap/output/format.h"
#include "test_support.h"

using namespace fundgap;

namespace {
std::string millions(double v) { return fmt::format("{:.1m}", Money{v}); }
std::string exact(double v) { return fmt::format("{:exact}", Money{v}); }
}  // namespace

TEST_CASE("millions: one decimal, thousands separators, no negative zero") {
  CHECK(millions(0) == "0.0");
  CHECK(millions(1234567890) == "1,234.6");
  CHECK(millions(-1234567) == "-1.2");
  CHECK(millions(-49999) == "0.0");
  CHECK(millions(999950000) == "1,000.0");
  CHECK(millions(123456789012345) == "123,456,789.0");
  CHECK(millions(60.2e6) == "60.2");
}

TEST_CASE("exact: shortest text that reads back to the same number") {
  CHECK(exact(0.0) == "0");
  CHECK(exact(-0.0) == "0");
  CHECK(exact(1100000000) == "1100000000");
  CHECK(exact(0.1 + 0.2) == "0.30000000000000004");
  CHECK(exact(-134.5e6) == "-134500000");
}

namespace {
// ccg funds acute: 1,000m growing 10% to 1,100m, against flat funding of 1,234.5m.
// Gap = spend - funding = -234.5m, then -134.5m.
Report tiny_report(View view) {
  Scenario sc = fundgap::testing::scenario(R"(
fundgap: 1
name: Tiny
period: {base: 2020/21, to: 2021/22}
partners:
  ccg: {name: NHS Tiny CCG, funding: {base: 1234.5m}}
services:
  acute: {funder: ccg, base: 1bn, demand: 10%}
)");
  return make_report(sc, project(sc), view);
}
}  // namespace

TEST_CASE("table: years across, entities down, money in millions") {
  CHECK(fundgap::testing::written("table", tiny_report(View::partners)) ==
        "Tiny: partners (£m)\n"
        "                   2020/21  2021/22\n"
        "ccg: NHS Tiny CCG\n"
        "  funding          1,234.5  1,234.5\n"
        "  spend            1,000.0  1,100.0\n"
        "  gap               -234.5   -134.5\n"
        "  gap, do nothing   -234.5   -134.5\n"
        "system\n"
        "  funding          1,234.5  1,234.5\n"
        "  spend            1,000.0  1,100.0\n"
        "  gap               -234.5   -134.5\n"
        "  gap, do nothing   -234.5   -134.5\n");
}

TEST_CASE("table: colour marks shortfalls red and surpluses green, only when asked") {
  const std::string coloured = fundgap::testing::written("table", tiny_report(View::partners), WriteOptions{true});
  CHECK(coloured.find("\x1b[32m   -234.5\x1b[0m") != std::string::npos);
  CHECK(coloured.find("\x1b[1mccg: NHS Tiny CCG\x1b[0m") != std::string::npos);
  const std::string plain = fundgap::testing::written("table", tiny_report(View::partners));
  CHECK(plain.find('\x1b') == std::string::npos);
}

TEST_CASE("csv: long and tidy, full precision") {
  CHECK(fundgap::testing::written("csv", tiny_report(View::services)) ==
        "entity,measure,year,value\n"
        "acute,baseline,2020/21,1000000000\n"
        "acute,baseline,2021/22,1100000000\n"
        "acute,savings,2020/21,0\n"
        "acute,savings,2021/22,0\n"
        "acute,reprovided,2020/21,0\n"
        "acute,reprovided,2021/22,0\n"
        "acute,investment,2020/21,0\n"
        "acute,investment,2021/22,0\n"
        "acute,net,2020/21,1000000000\n"
        "acute,net,2021/22,1100000000\n"
        "system,baseline,2020/21,1000000000\n"
        "system,baseline,2021/22,1100000000\n"
        "system,savings,2020/21,0\n"
        "system,savings,2021/22,0\n"
        "system,reprovided,2020/21,0\n"
        "system,reprovided,2021/22,0\n"
        "system,investment,2020/21,0\n"
        "system,investment,2021/22,0\n"
        "system,net,2020/21,1000000000\n"
        "system,net,2021/22,1100000000\n");
}

TEST_CASE("json: documented structure, same numbers") {
  nlohmann::json j = nlohmann::json::parse(fundgap::testing::written("json", tiny_report(View::all)));
  CHECK(j["format"] == "fundgap-result");
  CHECK(j["version"] == 1);
  CHECK(j["scenario"] == "Tiny");
  CHECK(j["currency"] == "GBP");
  CHECK(j["years"] == nlohmann::json::array({"2020/21", "2021/22"}));
  const auto& partners = j["views"]["partners"];
  REQUIRE(partners.size() == 2);
  CHECK(partners[0]["id"] == "ccg");
  CHECK(partners[0]["kind"] == "partner");
  CHECK(partners[0]["name"] == "NHS Tiny CCG");
  CHECK(partners[0]["measures"]["gap"] == nlohmann::json::array({-234.5e6, -134.5e6}));
  CHECK(partners[1]["id"] == "system");
  CHECK(partners[1]["kind"] == "system");
  for (const char* view : {"partners", "services", "schemes", "pools"}) CHECK(j["views"].contains(view));
  CHECK(j["views"]["schemes"].empty());  // no schemes, and no system total in this view
}

TEST_CASE("views and formats by name and by file extension") {
  CHECK(parse_view("pools") == View::pools);
  CHECK_FALSE(parse_view("pool"));
  auto named = [](Document d, std::string_view path) {
    const OutputFormat* f = format_for_path(d, path);
    return f ? std::string(f->name) : std::string();
  };
  CHECK(named(Document::report, "out/gaps.csv") == "csv");
  CHECK(named(Document::report, "gaps.json") == "json");
  CHECK(named(Document::report, "gaps.txt") == "table");
  CHECK(named(Document::explanation, "why.txt") == "text");
  CHECK(named(Document::report, "GAPS.CSV") == "csv");
  CHECK(named(Document::checks, "summary.md") == "markdown");
  CHECK(named(Document::report, "summary.md") == "markdown");
  CHECK(named(Document::report, "gaps.xlsx") == "xlsx");
  CHECK(named(Document::explanation, "why.xlsx").empty());  // explain writes no workbook
  CHECK(named(Document::report, "gaps.iamc").empty());      // IAMC only by --format
  CHECK(named(Document::report, ".csv").empty());
  CHECK(named(Document::report, "out/.csv").empty());
  CHECK(named(Document::report, "gaps").empty());
}
