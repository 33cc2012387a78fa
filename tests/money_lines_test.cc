// Format 1.1, money lines (docs/money-lines.md): funding streams, council tax, pressures,
// reserves, scheme money and efficiency, ramp profiles, one-off costs, scheme economics,
// real terms, and sum()/change() checks. Every expected figure is worked out by hand in the
// comment beside it (or taken from a published council document, cited). Money in pounds.
#include <cmath>

#include "fundgap/analysis/checks.h"
#include "fundgap/analysis/report.h"
#include "fundgap/input/references.h"
#include "fundgap/model/bridge.h"
#include "fundgap/uncertainty/simulation.h"
#include "test_support.h"

using namespace fundgap;
using fundgap::testing::errors_of;
using fundgap::testing::scenario;
using fundgap::testing::value;
using Errors = std::vector<std::string>;

namespace {

const char* const kHead =
    "fundgap: 1.1\n"
    "name: T\n"
    "period: {base: 2024/25, to: 2027/28}\n";

}  // namespace

TEST_CASE("streams: growth, held amounts, one-offs, until and signed money add up to funding") {
  // business_rates 60m +2%: 60, 61.2, 62.424, 63.67248.
  // rsg {base 10m, amounts {2026/27: 5m}}: held at the base until 2026/27: 10, 10, 5, 5.
  // grants [8m, 7m, 6m] after a base of 9m: 9, 8, 7, 6.
  // public_health 20m until 2025/26: 20, 20, 0, 0.
  // collection_fund one-off -1m in 2025/26 (id makes it signed): 0, -1, 0, 0.
  // tariff, signed, base -2m: -2 every year.
  Scenario sc = scenario(std::string(kHead) + R"(
partners:
  council:
    funding:
      business_rates: {base: 60m, growth: 2%}
      rsg: {base: 10m, amounts: {2026/27: 5m}}
      grants: {base: 9m, amounts: [8m, 7m, 6m]}
      public_health: {base: 20m, until: 2025/26}
      collection_fund: {amounts: {2025/26: -1m}, one_off: true}
      tariff: {kind: signed, base: -2m}
services:
  s: {funder: council, base: 100m}
)");
  Projection p = project(sc);
  CHECK_MONEY(value(sc, p, "council.funding.business_rates[2027/28]"), 63.67248e6);
  CHECK_MONEY(value(sc, p, "council.funding.rsg[2025/26]"), 10e6);
  CHECK_MONEY(value(sc, p, "council.funding.rsg[2026/27]"), 5e6);
  CHECK_MONEY(value(sc, p, "council.funding.rsg[2027/28]"), 5e6);
  CHECK_MONEY(value(sc, p, "council.funding.grants[2024/25]"), 9e6);
  CHECK_MONEY(value(sc, p, "council.funding.grants[2027/28]"), 6e6);
  CHECK_MONEY(value(sc, p, "council.funding.public_health[2025/26]"), 20e6);
  CHECK_MONEY(value(sc, p, "council.funding.public_health[2026/27]"), 0);
  CHECK_MONEY(value(sc, p, "council.funding.collection_fund[2025/26]"), -1e6);
  CHECK_MONEY(value(sc, p, "council.funding.collection_fund[2026/27]"), 0);
  CHECK_MONEY(value(sc, p, "council.funding.tariff[2026/27]"), -2e6);
  // 2025/26: 61.2 + 10 + 8 + 20 - 1 - 2 = 96.2m; 2027/28: 63.67248 + 5 + 6 + 0 + 0 - 2 = 72.67248m.
  CHECK_MONEY(value(sc, p, "council.funding[2025/26]"), 96.2e6);
  CHECK_MONEY(value(sc, p, "council.funding[2027/28]"), 72.67248e6);
  // The stream is a figure under its partner, with or without the section prefix.
  CHECK(value(sc, p, "partners.council.funding.rsg[2026/27]") == value(sc, p, "council.funding.rsg[2026/27]"));
}

TEST_CASE("council tax: a published Band D and yield, reproduced from the council's own inputs") {
  // London Borough of Havering, 2025/26 budget: "2.99% increase in core Council Tax",
  // "additional 2% ... Adult Social Care Precept", "Band D basic amount ... of £1823.17",
  // "Council Tax requirement ... £164.361m", "taxbase of 90,151 band D equivalents"
  // (democracy.havering.gov.uk, ieIssueDetails.aspx?IId=46544 and mgAi.aspx?ID=35028).
  // The 2024/25 Band D of £1,736.52 is Havering's 2024/25 total of £2,207.92 less the GLA's
  // £471.40 (london.gov.uk). The 2024/25 tax base is illustrative: 90,151 held flat, as the
  // 2025/26 figure is all the test needs.
  // By hand: 1,736.52 x 1.0499 = 1,823.172348, which is £1,823.17 to the penny; the yield
  // 90,151 x 1,823.172348 = £164,360,810.6, which is the published £164.361m to the £1,000.
  Scenario sc = scenario(R"(
fundgap: 1.1
name: Havering
period: {base: 2024/25, to: 2025/26}
partners:
  havering:
    funding:
      council_tax:
        tax_base: {base: 90151}
        band_d: 1736.52
        increase: {core: 2.99%, asc_precept: 2%}
        referendum: {core: 3%, asc_precept: 2%}
services:
  s: {funder: havering, base: 100m}
)");
  Projection p = project(sc);
  CHECK(std::round(value(sc, p, "havering.band_d[2025/26]") * 100) == 182317);
  CHECK(std::fabs(value(sc, p, "havering.funding.council_tax[2025/26]") - 164.361e6) < 500);
  CHECK_MONEY(value(sc, p, "havering.tax_base[2025/26]"), 90151);
  // What 1% raises in 2025/26: 1% x 90,151 x 1,736.52 = £1,565,490.1452, £1,565,490.15 to the penny.
  CHECK(std::round(value(sc, p, "havering.ct_per_1pct[2025/26]") * 100) == 156549015);

  // Oxford City Council 2026/27: "Council Tax requirement of ... £17,900,664 excluding
  // Parish Precepts", Band D "£367.38", tax base "City Council Total ... 48,725.2"
  // (mycouncil.oxford.gov.uk, ieIssueDetails.aspx?IId=41709 and IId=42307):
  // 48,725.2 x 367.38 = £17,900,663.98.
  Scenario ox = scenario(R"(
fundgap: 1.1
name: Oxford
period: {base: 2026/27, to: 2027/28}
partners:
  oxford: {funding: {council_tax: {tax_base: {base: 48725.2}, band_d: 367.38}}}
services:
  s: {funder: oxford, base: 20m}
)");
  CHECK(std::round(value(ox, project(ox), "oxford.funding.council_tax[2026/27]")) == 17900664);
}

TEST_CASE("council tax: the referendum rule, at the increase's line") {
  auto with = [](const std::string& increase, const std::string& referendum) {
    return errors_of(std::string(kHead) +
                     "partners:\n"
                     "  council:\n"
                     "    funding:\n"
                     "      council_tax:\n"
                     "        tax_base: {base: 1000}\n"
                     "        band_d: 1000\n"
                     "        increase: " + increase + "\n"          // line 10
                     "        referendum: " + referendum + "\n"
                     "services:\n  s: {funder: council, base: 1m}\n");
  };
  CHECK(with("{core: 2.99%, asc_precept: 2%}", "{core: 3%, asc_precept: 2%}").empty());
  CHECK(with("{core: 3%, asc_precept: 2%}", "{core: 3%, asc_precept: 2%}") ==
        Errors{"10:26: a council tax increase of 5% in 2025/26 (core 3% + ASC precept 2%) is at or above the "
               "referendum limit of 5% (3% + 2%): it would be excessive; lower it, or write 'bespoke: true' under "
               "'referendum' for bespoke limits"});
  // Per-year values: only 2027/28 goes over; the precept alone above its principle.
  CHECK(with("{core: 2%, asc_precept: {2025/26: 1%, 2027/28: 2.5%}}", "{core: 3%, asc_precept: 2%}") ==
        Errors{"10:66: the ASC precept of 2.5% in 2027/28 is above the referendum principle's 2%: the increase would "
               "be excessive; lower it, or write 'bespoke: true' under 'referendum' for bespoke limits"});
  CHECK(with("{core: 9%}", "{core: 3%, bespoke: true}").empty());
  CHECK(with("{core: 9%}", "{core: 3%, bespoke: maybe}") ==
        Errors{"11:41: expected true or false for 'bespoke' in 'referendum' of funding stream 'council_tax' of "
               "partner 'council', found 'maybe'"});
}

TEST_CASE("pressures: recurrent ones stay in the base and grow; one-offs count once") {
  // base 100m, demand 10%; pay 5m a year recurrent; winter 2m once in 2025/26.
  // B(1) = 100 x 1.1 + 5 = 115; X(1) = 117. B(2) = 115 x 1.1 + 5 = 131.5 = X(2).
  // B(3) = 131.5 x 1.1 + 5 = 149.65.
  Scenario sc = scenario(std::string(kHead) + R"(
partners:
  council: {funding: {base: 100m}}
services:
  care:
    funder: council
    base: 100m
    demand: 10%
    pressures:
      pay: {amounts: 5m}
      winter: {amounts: {2025/26: 2m}, one_off: true}
      adjustment: {amounts: [0, -1m, 0]}
)");
  // adjustment -1m recurrent in 2026/27: B(2) = 130.5, B(3) = 130.5 x 1.1 + 5 = 148.55.
  Projection p = project(sc);
  CHECK_MONEY(value(sc, p, "care.baseline[2025/26]"), 117e6);
  CHECK_MONEY(value(sc, p, "care.baseline[2026/27]"), 130.5e6);
  CHECK_MONEY(value(sc, p, "care.baseline[2027/28]"), 148.55e6);
  CHECK_MONEY(value(sc, p, "care.pressures[2025/26]"), 7e6);
  CHECK_MONEY(value(sc, p, "care.pressures[2026/27]"), 4e6);
  CHECK_MONEY(value(sc, p, "system.pressures[2027/28]"), 5e6);
  // The bridge's steps add up to the change, with pressures a step of their own:
  // demand on the base kept from 2024/25 (100m x (1.1^3 - 1) = 33.1m) and the pressures
  // (the rest of 48.55m: 15.45m).
  const Bridge b = make_bridge(sc, p, 0, 0, 3);
  double total = 0;
  bool has_pressures = false;
  for (const BridgeStep& s : b.steps) {
    total += s.value;
    if (s.kind == "pressures") {
      has_pressures = true;
      CHECK_MONEY(s.value, 15.45e6);
    }
    if (s.kind == "demand") CHECK_MONEY(s.value, 33.1e6);
  }
  CHECK(has_pressures);
  CHECK(std::fabs(total - (b.end - b.start)) < 1e-6);
}

TEST_CASE("reserves: planned use, the minimum, headroom and the gap after reserves; cover_gap") {
  // council spends 100m growing 10% against flat 100m: gap 0, 10m, 21m, 33.1m.
  // Planned use 4m and 6m: used 0, 4, 6, 0; balance 30, 26, 20, 20.
  // Minimum 10% of spend: 10, 11, 12.1, 13.31; headroom 20, 15, 7.9, 6.69.
  // The icb spends 50m growing 10% against flat 50m: gap 0, 5m, 10.5m, 16.55m. It covers the
  // gap from 12m: used 0, 5, 7 (all that is left of 12 - 5), 0; balance 12, 7, 0, 0.
  Scenario sc = scenario(std::string(kHead) + R"(
partners:
  council:
    funding: {base: 100m}
    reserves: {opening: 30m, minimum: 10%, use: {2025/26: 4m, 2026/27: 6m}}
  icb:
    funding: {base: 50m}
    reserves: {opening: 12m, minimum: 1m, policy: cover_gap}
services:
  care: {funder: council, base: 100m, demand: 10%}
  acute: {funder: icb, base: 50m, demand: 10%}
)");
  Projection p = project(sc);
  CHECK_MONEY(value(sc, p, "council.reserves_used[2026/27]"), 6e6);
  CHECK_MONEY(value(sc, p, "council.reserves[2027/28]"), 20e6);
  CHECK_MONEY(value(sc, p, "council.reserves_minimum[2026/27]"), 12.1e6);
  CHECK_MONEY(value(sc, p, "council.reserves_headroom[2027/28]"), 6.69e6);
  CHECK_MONEY(value(sc, p, "council.gap_after_reserves[2026/27]"), 15e6);
  CHECK_MONEY(value(sc, p, "icb.reserves_used[2025/26]"), 5e6);
  CHECK_MONEY(value(sc, p, "icb.reserves_used[2026/27]"), 7e6);
  CHECK_MONEY(value(sc, p, "icb.reserves[2027/28]"), 0);
  CHECK_MONEY(value(sc, p, "icb.reserves_headroom[2027/28]"), -1e6);
  CHECK_MONEY(value(sc, p, "icb.gap_after_reserves[2026/27]"), 3.5e6);
  CHECK_MONEY(value(sc, p, "system.reserves[2024/25]"), 42e6);
  // The first year below the minimum is a note: the icb in 2026/27 (0 against 1m).
  const Report r = make_report(sc, p, View::partners);
  REQUIRE(r.notes.size() == 1);
  CHECK(r.notes[0] == "icb's reserves fall below their minimum in 2026/27: \xC2\xA3" "0.0m against a minimum of "
                      "\xC2\xA3" "1.0m.");
}

TEST_CASE("schemes: money by year, compounding efficiency, ramp profiles, own investment start, one-off costs") {
  // care 100m flat. eff 10%: (1 - 0.9^n) x 100m = 10m, 19m, 27.1m.
  // money [1m, 2m, 3m] on a front_loaded 2-year ramp (75%, 100%): 0.75m, 2m, 3m.
  // held {2026/27: 4m} at 50% confidence: 0, 2m, 2m.
  // step at 2026/27 on a 10% share: 0, 10m, 10m.
  // invest 2m from 2026/27 on a back_loaded 2-year ramp (25%, 100%): 0, 0.5m, 2m; one-off 1m in 2025/26.
  Scenario sc = scenario(std::string(kHead) + R"(
partners:
  council: {funding: {base: 300m}}
services:
  care: {funder: council, base: 100m}
  other: {funder: council, base: 100m}
schemes:
  eff: {service: care, efficiency: 10%}
  money: {service: other, saving: [1m, 2m, 3m], ramp: {profile: front_loaded, years: 2}}
  held: {service: other, saving: {2026/27: 4m}, confidence: 50%}
  step: {service: other, saving: 10%, ramp: {profile: step, at: 2026/27}}
  invest:
    service: other
    saving: 0
    investment: {service: care, amount: 2m, start: 2026/27, ramp: {profile: back_loaded, years: 2}}
    one_off_cost: {2025/26: 1m}
)");
  Projection p = project(sc);
  CHECK_MONEY(value(sc, p, "eff.saving[2025/26]"), 10e6);
  CHECK_MONEY(value(sc, p, "eff.saving[2027/28]"), 27.1e6);
  CHECK_MONEY(value(sc, p, "money.saving[2025/26]"), 0.75e6);
  CHECK_MONEY(value(sc, p, "money.saving[2027/28]"), 3e6);
  CHECK_MONEY(value(sc, p, "held.saving[2025/26]"), 0);
  CHECK_MONEY(value(sc, p, "held.saving[2027/28]"), 2e6);
  CHECK_MONEY(value(sc, p, "step.saving[2025/26]"), 0);
  CHECK_MONEY(value(sc, p, "step.saving[2026/27]"), 10e6);
  CHECK_MONEY(value(sc, p, "invest.investment[2025/26]"), 0);
  CHECK_MONEY(value(sc, p, "invest.investment[2026/27]"), 0.5e6);
  CHECK_MONEY(value(sc, p, "invest.investment[2027/28]"), 2e6);
  CHECK_MONEY(value(sc, p, "invest.one_off_cost[2025/26]"), 1e6);
  // The one-off cost is investment in its own service (other): net 100 - 0.75 - 0 - 0 + 1 = 100.25m.
  CHECK_MONEY(value(sc, p, "other.investment[2025/26]"), 1e6);
  CHECK_MONEY(value(sc, p, "other.net[2025/26]"), 100.25e6);
  CHECK_MONEY(value(sc, p, "care.investment[2027/28]"), 2e6);
}

TEST_CASE("ramp profiles: a step is a year of the period, for the scheme and an investment with its own start") {
  // The scheme starts 2025/26 with a step at 2027/28; its investment (1m) starts 2026/27 and
  // follows the scheme's ramp: nothing until 2027/28, then all of it. A step at or before
  // the start is full effect from the start.
  Scenario sc = scenario(std::string(kHead) + R"(
partners:
  c: {funding: {base: 300m}}
services:
  s: {funder: c, base: 100m}
schemes:
  k: {service: s, saving: 10%, ramp: {profile: step, at: 2027/28}, investment: {service: s, amount: 1m, start: 2026/27}}
  early: {service: s, saving: 1m, start: 2026/27, ramp: {profile: step, at: 2025/26}}
)");
  Projection p = project(sc);
  CHECK_MONEY(value(sc, p, "k.saving[2026/27]"), 0);
  CHECK_MONEY(value(sc, p, "k.saving[2027/28]"), 10e6);
  CHECK_MONEY(value(sc, p, "k.investment[2026/27]"), 0);
  CHECK_MONEY(value(sc, p, "k.investment[2027/28]"), 1e6);
  CHECK_MONEY(value(sc, p, "early.saving[2025/26]"), 0);
  CHECK_MONEY(value(sc, p, "early.saving[2026/27]"), 1e6);
  // Bespoke referendum limits need no principles at all.
  CHECK(errors_of(std::string(kHead) + "partners:\n  c: {funding: {council_tax: {tax_base: {base: 10}, band_d: 1, "
                  "increase: {core: 20%}, referendum: {bespoke: true}}}}\nservices:\n  s: {funder: c, base: 1m}\n")
            .empty());
}

TEST_CASE("ramp profiles: the fractions of docs/money-lines.md") {
  // 4 years: linear 25, 50, 75, 100%; front_loaded 43.75, 75, 93.75, 100%; back_loaded 6.25, 25, 56.25, 100%.
  auto ramp = [](const std::string& profile) {
    Scenario sc = scenario(R"(
fundgap: 1.1
name: T
period: {base: 2024/25, to: 2028/29}
partners:
  c: {funding: {base: 1m}}
services:
  s: {funder: c, base: 1m}
schemes:
  k: {service: s, saving: 100%, ramp: {profile: )" + profile + ", years: 4}}\n");
    return sc.schemes[0].ramp;
  };
  CHECK(ramp("linear") == std::vector<double>{0.25, 0.5, 0.75, 1.0});
  CHECK(ramp("front_loaded") == std::vector<double>{0.4375, 0.75, 0.9375, 1.0});
  CHECK(ramp("back_loaded") == std::vector<double>{0.0625, 0.25, 0.5625, 1.0});
}

TEST_CASE("scheme economics: net benefit, NPV at the discount rate, return on investment, payback") {
  // saving [0, 1m, 3m]; investment 2m a year from 2025/26 (no ramp): net 0, -2m, -1m, 1m.
  // net benefit 0, -2, -3, -2 (never back to zero): does not pay back.
  // With saving [0, 1m, 5m]: net 0, -2, -1, 3: benefit 0, -2, -3, 0: pays back in 2027/28.
  // NPV at 10%: -2/1.1 - 1/1.21 + 3/1.331 = -1.818182 - 0.826446 + 2.253944 = -0.390684m.
  // roi in 2027/28: 0 / 6m = 0; in 2026/27: -3 / 4 = -75%.
  auto plan = [](const std::string& saving) {
    return scenario(std::string(kHead) + "discount: 10%\npartners:\n  c: {funding: {base: 100m}}\nservices:\n"
                    "  s: {funder: c, base: 100m}\n  t: {funder: c, base: 50m}\nschemes:\n"
                    "  k: {service: s, saving: " + saving + ", investment: {service: t, amount: 2m}}\n");
  };
  Scenario a = plan("[0, 1m, 3m]");
  Projection pa = project(a);
  CHECK_MONEY(value(a, pa, "k.net_benefit[2027/28]"), -2e6);
  Report ra = make_report(a, pa, View::schemes);
  REQUIRE(ra.notes.size() == 1);
  CHECK(ra.notes[0] == "scheme k does not pay back by 2027/28.");
  Scenario b = plan("[0, 1m, 5m]");
  Projection pb = project(b);
  CHECK_MONEY(value(b, pb, "k.net_benefit[2027/28]"), 0);
  CHECK(std::fabs(value(b, pb, "k.npv[2027/28]") - (-2e6 / 1.1 - 1e6 / 1.21 + 3e6 / 1.331)) < 1e-6);
  CHECK(value(b, pb, "k.roi[2026/27]") == doctest::Approx(-0.75));
  CHECK(make_report(b, pb, View::schemes).notes == std::vector<std::string>{"scheme k pays back in 2027/28."});
  // --discount is --set discount=RATE: at 0% the NPV is the net benefit.
  Scenario c = load_scenario_text("t.yaml", std::string(kHead) + "partners:\n  c: {funding: {base: 100m}}\nservices:\n"
                                  "  s: {funder: c, base: 100m}\n  t: {funder: c, base: 50m}\nschemes:\n"
                                  "  k: {service: s, saving: [0, 1m, 5m], investment: {service: t, amount: 2m}}\n",
                                  LoadOptions{{"discount=0%"}});
  Projection pc = project(c);
  CHECK_MONEY(value(c, pc, "k.npv[2027/28]"), value(c, pc, "k.net_benefit[2027/28]"));
}

TEST_CASE("gap_annual, sum() and change() checks, and real terms") {
  // gap 0, 10m, 21m, 33.1m (100m +10% against flat 100m): annual 0, 10, 11, 12.1.
  Scenario sc = scenario(std::string(kHead) + R"(
partners:
  council: {funding: {base: 100m}}
services:
  care: {funder: council, base: 100m, demand: 10%}
prices: {deflator: 10%}
checks:
  - sum(council.gap_annual[*]) == 33.1m
  - change(council.gap[2026/27]) == 11m
  - change(council.gap[*]) <= 12m
)");
  Projection p = project(sc);
  CHECK_MONEY(value(sc, p, "council.gap_annual[2027/28]"), 12.1e6);
  std::vector<CheckResult> results = evaluate_checks(sc, p);
  REQUIRE(results.size() == 3);
  CHECK(results[0].passed);
  CHECK(results[0].actual_text == "\xC2\xA3" "33.1m over 2024/25 to 2027/28");
  CHECK(results[1].passed);
  CHECK_FALSE(results[2].passed);  // 12.1m in 2027/28
  CHECK(results[2].year == 3);
  // At 2024/25 prices with 10% a year: the 2027/28 gap of 33.1m / 1.331 = 24.8685...m; the
  // spend 133.1m / 1.331 = 100m.
  const Report real = make_report(sc, p, View::partners, {true});
  const Series* gap = real.sections[0].entities[0].measure("gap");
  const Series* spend = real.sections[0].entities[0].measure("spend");
  CHECK(std::fabs(gap->values(3) - 33.1e6 / 1.331) < 1e-6);
  CHECK(std::fabs(spend->values(3) - 100e6) < 1e-6);
  CHECK(real.notes.back() == "Money at 2024/25 prices: each year divided by the price index of prices.deflator.");
}

TEST_CASE("simulate: distributions on money lines are drawn") {
  // A stream's base uniform on [0, 2m] with no growth: the council's gap is 100m - 100m - base,
  // so its mean over the draws is -1m (to within sampling error: sd 2m/sqrt(12) / sqrt(4000) = 9.1k).
  Scenario sc = scenario(std::string(kHead) + R"(
partners:
  council:
    funding:
      main: {base: 100m}
      extra: {base: {uniform: [0, 2m]}}
services:
  care: {funder: council, base: 100m}
)");
  SimulationOptions o;
  o.draws = 4000;
  o.seed = 5;
  const Report r = summarise(simulate(sc, o), {0.5});
  const double mean = r.sections[0].entities[0].measure("gap_mean")->values(1);
  CHECK(std::fabs(mean - -1e6) < 4 * 9.13e3);
}

TEST_CASE("format 1.1 errors, each at its place") {
  const std::string services = "services:\n  s: {funder: council, base: 10m}\n";
  // A 1.1 key in a format 1 file.
  CHECK(errors_of("fundgap: 1\nname: T\nperiod: {base: 2024/25, to: 2025/26}\npartners:\n"
                  "  council: {funding: {base: 1m}, reserves: {opening: 1m}}\n" + services) ==
        Errors{"5:34: 'reserves' is part of format 1.1; write 'fundgap: 1.1' at the top of the file to use it"});
  auto errs = [&](const std::string& partner) {
    return errors_of(std::string(kHead) + "partners:\n  council:\n" + partner + services);
  };
  CHECK(errs("    funding: {a: {base: 1m, growth: 1%, amounts: [1m, 1m, 1m]}}\n") ==
        Errors{"6:41: funding stream 'a' of partner 'council' has both 'growth' and 'amounts'; give one: growth "
               "compounds the base, amounts give each year's level"});
  CHECK(errs("    funding: {a: {base: 1m, amounts: [1m, 1m]}}\n") ==
        Errors{"6:38: 'amounts' in funding stream 'a' of partner 'council' has 2 values but the period has 3 "
               "projected years (2025/26 to 2027/28)"});
  CHECK(errs("    funding: {a: {base: 1m, amounts: [1m, -1m, 1m]}}\n") ==
        Errors{"6:43: 'amounts' in funding stream 'a' of partner 'council' in 2026/27 is -\xC2\xA3" "1,000,000.00, "
               "but it cannot be negative (a stream that may be negative, like a collection fund deficit, takes "
               "'kind: signed')"});
  CHECK(errs("    funding: {a: {base: -1m}}\n") ==
        Errors{"6:25: 'base' in funding stream 'a' of partner 'council' cannot be negative (a stream that may be "
               "negative, like a collection fund deficit, takes 'kind: signed')"});
  CHECK(errs("    funding: {a: {base: 1m, one_off: true}}\n") ==
        Errors{"6:29: 'one_off' in funding stream 'a' of partner 'council' needs 'amounts' (the years and sums it "
               "comes in)"});
  CHECK(errs("    funding: {a: {kind: grnt, base: 1m}}\n") ==
        Errors{"6:25: expected 'money', 'signed' or 'council_tax' for 'kind' in funding stream 'a' of partner "
               "'council', found 'grnt'"});
  CHECK(errs("    funding: {a: {base: 1m}}\n    reserves: {opening: 5m, use: {2025/26: 4m, 2026/27: 2m}}\n") ==
        Errors{"7:57: planned use of council's reserves in 2026/27 (\xC2\xA3" "2.0m) takes them to -\xC2\xA3" "1.0m, "
               "below zero"});
  CHECK(errs("    funding: {a: {base: 1m}}\n    reserves: {opening: 5m, policy: cover_gaps}\n") ==
        Errors{"7:37: expected 'cover_gap' for 'policy' in 'reserves' of partner 'council', found 'cover_gaps' (did "
               "you mean 'cover_gap'?)"});
  auto scheme = [&](const std::string& k) {
    return errors_of(std::string(kHead) + "partners:\n  council: {funding: {base: 100m}}\n" + services +
                     "schemes:\n  k: " + k + "\n");
  };
  CHECK(scheme("{service: s, saving: 1%, ramp: {profile: frontloaded, years: 2}}") ==
        Errors{"9:47: unknown ramp profile 'frontloaded' in scheme 'k'; expected linear, front_loaded, back_loaded or "
               "step (did you mean 'front_loaded'?)"});
  CHECK(scheme("{service: s, saving: 1%, ramp: {profile: step}}") ==
        Errors{"9:47: a step ramp in scheme 'k' needs 'at': the year it reaches full effect"});
  CHECK(scheme("{service: s, saving: 1%, ramp: {profile: linear, years: 2.5}}") ==
        Errors{"9:62: 'years' of 'ramp' of scheme 'k' is 2.5; it is a whole number of years from 1 to 100"});
  CHECK(scheme("{service: s, saving: 1%, efficiency: 2%}") ==
        Errors{"9:19: scheme 'k' has both 'saving' and 'efficiency'; give one"});
  CHECK(scheme("{service: s, saving: 1%, one_off_cost: {2025/26: -1m}}") ==
        Errors{"9:55: 'one_off_cost' in scheme 'k' in 2025/26 is -\xC2\xA3" "1,000,000.00, but it cannot be negative"});
  CHECK(errors_of(std::string(kHead) + "discount: 120%\npartners:\n  council: {funding: {base: 1m}}\n" + services) ==
        Errors{"4:11: 'discount' is 120%; a discount rate is from 0% to below 100% (the Green Book's is 3.5%)"});
  // sum() and change() in checks.
  auto check = [&](const std::string& c) {
    return errors_of(std::string(kHead) + "partners:\n  council: {funding: {base: 100m}}\n" + services +
                     "checks:\n  - " + c + "\n");
  };
  CHECK(check("sum(council.gap[2025/26]) <= 1m") ==
        Errors{"9:5: sum() adds a figure over every year: write [*] inside it"});
  CHECK(check("change(council.gap[2024/25]) <= 1m") ==
        Errors{"9:5: change() is a figure less the year before's, and 2024/25 is the base year"});
  CHECK(check("sum(council.gap[*]) <= 1%") ==
        Errors{"9:28: a percentage needs a figure to be a share of; with sum() or change() give money"});
  CHECK(check("sum(council.gap[*] <= 1m") == Errors{"9:23: expected ')' to close 'sum(', found a space"});
}
