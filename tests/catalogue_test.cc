// The catalogue of figures, the money formatter and the output registry: the shared
// mechanisms every command reads figures, writes money and chooses formats through.
#include <set>

#include "fundgap/analysis/report.h"
#include "fundgap/base/money.h"
#include "fundgap/input/references.h"
#include "test_support.h"

using namespace fundgap;

TEST_CASE("catalogue: one row per measure, names unique within a kind") {
  REQUIRE(catalogue().size() == static_cast<std::size_t>(kMeasureCount));
  std::set<std::pair<int, std::string>> names;
  std::set<Measure> measures;
  for (std::size_t i = 0; i < catalogue().size(); ++i) {
    const MeasureInfo& row = catalogue()[i];
    CHECK(measures.insert(row.measure).second);  // each measure once
    CHECK(&info(row.measure) == &row);
    CHECK(names.insert({static_cast<int>(row.kind), std::string(row.name)}).second);
    CHECK(bool(row.value));
    CHECK(bool(row.explain));
    // A percentage in a check is a share of a measure of the same kind.
    CHECK(info(row.share_of).kind == row.kind);
  }
  CHECK(parse_view("services") == View::services);
  CHECK(view_name(View::all) == "all");
  CHECK(info(view_info(View::pools).headline).name == "balance");
}

namespace {
// council funds care 100m (+10% demand) and shares a pool with the ccg; the ccg funds
// acute 50m. The pool holds community 60m, contributions council 40m, ccg 20m (risk in
// proportion: 2/3 and 1/3), so its balance is 0 in the base year.
const char* const kPlan = R"(
fundgap: 1
name: Plan
period: {base: 2020/21, to: 2021/22}
partners:
  council: {funding: {base: 150m}}
  ccg: {funding: {base: 80m}}
  idle: {funding: {base: 1m}}
services:
  care: {funder: council, base: 100m, demand: 10%}
  acute: {funder: ccg, base: 50m}
  community: {base: 60m, demand: 20%}
pools:
  bcf: {host: council, services: [community], contributions: {council: 40m, ccg: 20m}}
)";
}  // namespace

TEST_CASE("catalogue: a pool's figures, partner by partner, only for partners it involves") {
  Scenario sc = fundgap::testing::scenario(kPlan);
  std::vector<std::string> names;
  for (const Figure& f : figures_of(sc, EntityKind::pool, 0)) names.push_back(measure_name(sc, f));
  CHECK(names == std::vector<std::string>{"contributions", "spend", "balance", "contribution_council",
                                          "balance_share_council", "cost_council", "contribution_ccg",
                                          "balance_share_ccg", "cost_ccg"});  // not idle
  CHECK(measure_label(sc, *find_figure(sc, EntityKind::pool, 0, "cost_ccg")) == "ccg net cost");
  CHECK_FALSE(find_figure(sc, EntityKind::pool, 0, "cost_idle"));
  // The system has the totals of partners' and services' measures, not schemes' or pools'.
  CHECK(find_figure(sc, EntityKind::system, -1, "net"));
  CHECK(find_figure(sc, EntityKind::system, -1, "gap_do_nothing"));
  CHECK_FALSE(find_figure(sc, EntityKind::system, -1, "balance"));
  CHECK_FALSE(find_figure(sc, EntityKind::system, -1, "net", EntityKind::partner));
}

TEST_CASE("engine: pool shares, net costs and system totals are computed, worked by hand") {
  Scenario sc = fundgap::testing::scenario(kPlan);
  Projection p = project(sc);
  // 2021/22: community 72m against 60m contributed: balance -12m; council carries 2/3
  // (-8m), so its net cost is 40m + 8m = 48m; the ccg's 20m + 4m = 24m.
  auto value = [&](const std::string& ref) {
    const FigureRef r = parse_figure(sc, ref, "test");
    return figure_value(p, r.figure, r.year);
  };
  CHECK_MONEY(value("bcf.balance[2021/22]"), -12e6);
  CHECK_MONEY(value("bcf.balance_share_council[2021/22]"), -8e6);
  CHECK_MONEY(value("bcf.cost_council[2021/22]"), 48e6);
  CHECK_MONEY(value("bcf.cost_ccg[2021/22]"), 24e6);
  // System totals: funding 231m; spend = care 110m + acute 50m + pool 72m = 232m; gap 1m.
  CHECK_MONEY(value("system.funding[2021/22]"), 231e6);
  CHECK_MONEY(value("system.spend[2021/22]"), 232e6);
  CHECK_MONEY(value("system.gap[2021/22]"), 1e6);
  CHECK_MONEY(value("system.net[2021/22]"), 232e6);
  // Σ partner spend = Σ net service spend, exactly as the engine adds them.
  CHECK(value("system.spend[2021/22]") == doctest::Approx(value("system.net[2021/22]")).epsilon(1e-15));
}

TEST_CASE("engine: savings above spend come back as a value naming service, year and scheme") {
  Scenario sc = fundgap::testing::scenario(std::string(kPlan) +
                                           "schemes:\n  a: {service: acute, saving: 30m}\n  b: {service: acute, saving: 30m}\n");
  Projection p;
  const std::vector<Overspend> over = Engine(sc).run(sc, p).overspends;
  REQUIRE(over.size() == 1);
  CHECK(over[0].service == 1);   // acute
  CHECK(over[0].year == 1);      // 2021/22, the first year schemes act
  CHECK(over[0].scheme == 1);    // b tips 60m over acute's 50m
  CHECK_MONEY(over[0].savings, 60e6);
  CHECK_MONEY(over[0].spend, 50e6);
}

TEST_CASE("money: units, decimals, signs and no negative zero") {
  const std::string pound = "\xC2\xA3";
  CHECK(fmt::format("{:.1m}", Money{1234567890}) == "1,234.6");
  CHECK(fmt::format("{:.1m}", Money{-2e6, pound}) == "-" + pound + "2.0m");
  CHECK(fmt::format("{:+.1m}", Money{1.25e6, pound}) == "+" + pound + "1.3m");
  CHECK(fmt::format("{:+.1m}", Money{-40000, pound}) == pound + "0.0m");  // rounds to zero: no sign at all
  CHECK(fmt::format("{:.2p}", Money{10000000.01, pound}) == pound + "10,000,000.01");
  CHECK(fmt::format("{:p}", Money{-0.004}) == "0.00");
  CHECK(fmt::format("{:.3k}", Money{1234.5678, pound}) == pound + "1.235k");
  CHECK(fmt::format("{:.2bn}", Money{95e9, pound}) == pound + "95.00bn");
  CHECK(fmt::format("{:m}", Money{60.25e6}) == "60.3");  // half away from zero
  CHECK(fmt::format("{:exact}", Money{-0.0}) == "0");
  CHECK(fmt::format("{:exact}", Money{1e-7}) == "1e-07");
  CHECK_THROWS_AS((void)fmt::format(fmt::runtime("{:q}"), Money{1}), fmt::format_error);
  CHECK(currency_symbol("EUR") == "\xE2\x82\xAC");
  CHECK(currency_symbol("CHF") == "CHF ");
  const auto [a, b] = distinguishable(Money{1000001, pound}, Money{1000000, pound});
  CHECK(a == pound + "1.000001m");
  CHECK(b == pound + "1.000000m");
}

TEST_CASE("output registry: each document's formats, in order, the first the default") {
  auto names = [](Document d) {
    std::vector<std::string> out;
    for (const OutputFormat* f : formats_for(d)) out.emplace_back(f->name);
    return out;
  };
  using V = std::vector<std::string>;
  CHECK(names(Document::report) == V{"table", "csv", "markdown", "json", "xlsx", "iamc"});
  CHECK(names(Document::checks) == V{"table", "markdown", "json", "xlsx"});  // junit and github only on request
  CHECK(names(Document::comparison) == V{"table", "csv", "markdown", "json", "xlsx"});
  CHECK(names(Document::bridge) == V{"table", "csv", "json", "xlsx"});
  CHECK(names(Document::tornado) == V{"table", "csv", "json", "xlsx"});
  CHECK(names(Document::explanation) == V{"text", "json"});
  CHECK(names(Document::solution) == V{"text", "json"});
  REQUIRE(find_format("junit"));
  CHECK(find_format("junit")->writes(Document::checks));
  CHECK_FALSE(find_format("junit")->writes(Document::report));
  for (const OutputFormat& f : output_formats()) CHECK(f.binary == (f.name == "xlsx"));  // the one binary format
  // Formats with no place for a report's notes, which commands then write to stderr.
  for (const OutputFormat& f : output_formats()) CHECK(f.notes == (f.name != "csv" && f.name != "iamc"));
  CHECK(format_for_path(Document::report, "plan.XLSX") == find_format("xlsx"));
  CHECK(format_for_path(Document::report, "board.md") == find_format("markdown"));
  CHECK_FALSE(format_for_path(Document::explanation, "e.xlsx"));
}

TEST_CASE("money units as --units names them") {
  const std::string pound = "\xC2\xA3";
  CHECK(parse_money_unit(pound) == MoneyUnit::pounds);
  CHECK(parse_money_unit(pound + "k") == MoneyUnit::thousands);
  CHECK(parse_money_unit(pound + "m") == MoneyUnit::millions);
  CHECK(parse_money_unit(pound + "bn") == MoneyUnit::billions);
  CHECK(parse_money_unit("p") == MoneyUnit::pounds);
  CHECK(parse_money_unit("k") == MoneyUnit::thousands);
  CHECK(parse_money_unit("m") == MoneyUnit::millions);
  CHECK(parse_money_unit("bn") == MoneyUnit::billions);
  for (const char* bad : {"", "K", "M", "millions", "mn", "b", "exact", "\xC2\xA3p", "\xC2\xA3\xC2\xA3m", "$m"})
    CHECK_FALSE(parse_money_unit(bad));
  CHECK(unit_suffix(MoneyUnit::pounds).empty());
  CHECK(unit_suffix(MoneyUnit::thousands) == "k");
  CHECK(unit_suffix(MoneyUnit::billions) == "bn");
  CHECK(unit_suffix(MoneyUnit::exact).empty());
}
