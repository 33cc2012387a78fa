// Uncertain inputs and Monte Carlo: distribution moments, truncation, a recovered
// correlation, bit-identical results across threads and shards, merge, and a
// zero-variance simulation that equals run.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>

#include <Random123/philox.h>

#include "fundgap/analysis/report.h"
#include "fundgap/output/format.h"
#include "fundgap/uncertainty/simulation.h"
#include "test_support.h"

using namespace fundgap;
using fundgap::testing::errors_of;
using Errors = std::vector<std::string>;

namespace {

// Mean and variance of a distribution by a fine midpoint rule over u: deterministic.
std::pair<double, double> moments(const Distribution& d) {
  const int n = 200000;
  double sum = 0, sum2 = 0;
  for (int i = 0; i < n; ++i) {
    const double x = d.sample((i + 0.5) / n);
    sum += x;
    sum2 += x * x;
  }
  const double mean = sum / n;
  return {mean, sum2 / n - mean * mean};
}

// The figures of a --draws-out CSV, column by column (the draw's number left out), and
// their names from its header into `names`.
std::vector<std::vector<double>> draw_columns(const std::string& csv, std::vector<std::string>* names = nullptr) {
  std::istringstream in(csv);
  std::string line, cell;
  std::getline(in, line);
  std::istringstream header(line);
  std::getline(header, cell, ',');  // "draw"
  std::vector<std::string> found;
  while (std::getline(header, cell, ',')) found.push_back(cell);
  std::vector<std::vector<double>> columns(found.size());
  while (std::getline(in, line)) {
    std::istringstream row(line);
    std::getline(row, cell, ',');  // the draw's number
    for (auto& c : columns) {
      std::getline(row, cell, ',');
      c.push_back(std::stod(cell));
    }
  }
  if (names) *names = std::move(found);
  return columns;
}

// A shard's state written to its file and read back, as `fundgap merge` reads it.
SimulationState through_file(const SimulationState& shard) {
  std::ostringstream file;
  write_shard(file, shard);
  return read_shard("shard.json", file.str());
}

// Shards 1 .. count of `o`'s draws, each simulated on its own.
std::vector<SimulationState> shards_of(const Scenario& sc, SimulationOptions o, int count) {
  std::vector<SimulationState> out;
  o.shard_count = count;
  for (int k = 1; k <= count; ++k) {
    o.shard = k;
    out.push_back(simulate(sc, o));
  }
  return out;
}

const char* const kHeader =
    "fundgap: 1\n"
    "name: U\n"
    "period: {base: 2020/21, to: 2022/23}\n"
    "partners:\n"
    "  ccg: {funding: {base: 100m}}\n";

}  // namespace

TEST_CASE("distributions: means and variances match their closed forms") {
  struct Case {
    Distribution d;
    double mean, variance;
  };
  const double z80 = 1.2815515655446004;
  const Case cases[] = {
      {Distribution::normal(3, 0.5), 3, 0.25},
      {Distribution::interval(1, 5), 3, std::pow(2 / z80, 2)},
      {Distribution::uniform(1, 5), 3, 16.0 / 12},
      {Distribution::triangular(1, 3, 6), 10.0 / 3, (1 + 9 + 36 - 3 - 6 - 18) / 18.0},
      // PERT(1, 3, 6): alpha = 1 + 4 x 2/5 = 2.6, beta = 1 + 4 x 3/5 = 3.4 on [1, 6]:
      // mean 1 + 5 x 2.6/6, variance 25 x a b / ((a+b)^2 (a+b+1)).
      {Distribution::pert(1, 3, 6), 1 + 5 * 2.6 / 6, 25 * 2.6 * 3.4 / (36 * 7)},
      {Distribution::lognormal(5, 0.2), 5 * std::exp(0.02), 25 * std::exp(0.04) * (std::exp(0.04) - 1)},
  };
  for (const Case& c : cases) {
    CAPTURE(c.d.name());
    CHECK(c.d.mean() == doctest::Approx(c.mean).epsilon(1e-12));
    auto [mean, variance] = moments(c.d);
    CHECK(mean == doctest::Approx(c.mean).epsilon(1e-4));
    CHECK(variance == doctest::Approx(c.variance).epsilon(2e-3));
  }
  CHECK(normal_quantile(0.975) == doctest::Approx(1.959963984540054).epsilon(1e-14));
  CHECK(normal_cdf(normal_quantile(0.01)) == doctest::Approx(0.01).epsilon(1e-13));
}

TEST_CASE("PERT: distributions of one shape share a table and draw exactly as when prepared alone") {
  // Same shape (mode a third of the way), different ranges; and another shape.
  std::vector<Distribution> together = {Distribution::pert(0.01, 0.02, 0.04), Distribution::pert(10, 20, 40),
                                        Distribution::pert(0, 0.9, 1), Distribution::pert(-5, -4, -2)};
  std::vector<Distribution> alone = together;
  std::vector<Distribution*> list;
  for (Distribution& d : together) list.push_back(&d);
  prepare_for_drawing(list, 2);
  for (Distribution& d : alone) d.prepare_for_drawing();
  for (std::size_t k = 0; k < together.size(); ++k)
    for (int i = 1; i < 1000; ++i) {
      const double u = i / 1000.0 + 1e-7;
      CAPTURE(k);
      CAPTURE(u);
      CHECK(together[k].sample(u) == alone[k].sample(u));
    }
  // The table (not Newton from the middle) is what they draw with: a draw inside it is
  // the table's interpolation, within the table's accuracy of the exact quantile.
  CHECK(std::abs(together[1].sample(0.3) - together[1].quantile(0.3)) < 1e-6 * 30);
}

TEST_CASE("distributions: drawing a row of uniforms at once gives each one's draw, bit for bit") {
  // Each kind, truncated or not, PERT with its table and without, one with no spread; u
  // on a grid through both normal tails and across Acklam's region edges (0.02425 and
  // 0.97575), in rows of lengths that are and are not multiples of four.
  std::vector<Distribution> kinds = {Distribution::normal(0.02, 0.01),     Distribution::interval(1e6, 3e6),
                                     Distribution::lognormal(50e6, 0.2),   Distribution::uniform(-1, 2),
                                     Distribution::triangular(1.5, 2.7, 4.1), Distribution::triangular(5, 5, 9),
                                     Distribution::pert(0.01, 0.02, 0.05), Distribution::pert(0, 1, 1),
                                     Distribution::normal(3, 0)};
  for (std::size_t k = 0; k < 5; ++k) {
    Distribution cut = kinds[k];
    REQUIRE(cut.truncate(cut.quantile(0.1), HUGE_VAL));
    kinds.push_back(cut);
  }
  Distribution tabled = Distribution::pert(10, 20, 40);
  tabled.prepare_for_drawing();
  kinds.push_back(tabled);
  std::vector<double> u;
  for (int i = 1; i < 2000; ++i) u.push_back(i / 2000.0);
  for (double edge : {0.02425, 1 - 0.02425})
    for (double d : {-1e-12, 0.0, 1e-12}) u.push_back(edge + d);
  u.insert(u.end(), {1e-300, 1e-17, 1 - 1e-16});
  int compared = 0;
  for (std::size_t k = 0; k < kinds.size(); ++k)
    for (std::size_t length : {u.size(), std::size_t{7}, std::size_t{1}}) {
      CAPTURE(k);
      CAPTURE(length);
      std::vector<double> row(u.begin(), u.begin() + static_cast<std::ptrdiff_t>(length));
      kinds[k].sample(std::span<double>(row));
      for (std::size_t i = 0; i < length; ++i) {
        const double one = kinds[k].sample(u[i]);
        if (std::memcmp(&one, &row[i], sizeof one) != 0) {
          CAPTURE(u[i]);
          CHECK(row[i] == one);
        }
        ++compared;
      }
    }
  CHECK(compared == static_cast<int>(kinds.size() * (u.size() + 8)));
  std::vector<double> p = u;
  normal_quantiles_fast(std::span<double>(p));
  for (std::size_t i = 0; i < u.size(); ++i) {
    CAPTURE(u[i]);
    CHECK(p[i] == normal_quantile_fast(u[i]));
  }
}

TEST_CASE("PERT: a draw from the table is within 2e-5 of the range of the exact quantile, for every shape") {
  // The exact quantile solves the beta CDF by Newton to 1e-12; the table interpolates
  // between exact nodes (docs/performance.md). Modes from one end to the other, where the
  // quantile is steepest near the far end; u on a fine grid that crosses every cell.
  for (const double mode : {0.0, 0.05, 0.25, 0.5, 0.8, 1.0}) {
    Distribution d = Distribution::pert(0, mode, 1);
    d.prepare_for_drawing();
    double worst = 0;
    for (int i = 0; i < 200000; ++i) {
      const double u = (i + 0.5) / 200000;
      worst = std::max(worst, std::abs(d.sample(u) - d.quantile(u)));
    }
    CAPTURE(mode);
    CHECK(worst < 2e-5);
  }
}

TEST_CASE("truncation: draws leaving the valid range come from the truncated distribution") {
  // A rate of -90% +- 20% is below -100% about 31% of the time; those are redrawn above.
  Distribution d = Distribution::normal(-0.9, 0.2);
  REQUIRE(d.truncate(-1, HUGE_VAL));
  for (int i = 1; i < 1000; ++i) CHECK(d.sample(i / 1000.0) > -1);
  // The truncated median is the untruncated quantile at F(-1) + (1 - F(-1)) / 2 (drawing
  // uses the 1e-9-accurate quantile, hence the tolerance).
  const double f = normal_cdf(-0.5);
  CHECK(d.sample(0.5) == doctest::Approx(-0.9 + 0.2 * normal_quantile(f + (1 - f) / 2)).epsilon(1e-8));
  Distribution none = Distribution::uniform(-3, -2);
  CHECK_FALSE(none.truncate(-1, HUGE_VAL));
}

TEST_CASE("uncertain inputs: run uses the plan value, draws follow the distribution") {
  Scenario sc = fundgap::testing::scenario(std::string(kHeader) +
                                           "services:\n"
                                           "  acute: {funder: ccg, base: {uniform: [80m, 120m]}, demand: "
                                           "{triangular: [0%, 3%, 9%]}}\n");
  CHECK(sc.services[0].base == 100e6);  // a uniform's plan value is its mean
  // A triangular's is its mode, 3%, not its mean (0% + 3% + 9%) / 3 = 4%.
  CHECK(sc.services[0].demand(2) == doctest::Approx(0.03));
  // Every numeric input is a parameter; these two are uncertain.
  REQUIRE(sc.parameters.size() == 3);
  CHECK(sc.parameters[0].path == "partners.ccg.funding.base");
  CHECK_FALSE(sc.parameters[0].distribution);
  CHECK(sc.parameters[1].path == "services.acute.base");
  CHECK(sc.parameters[2].path == "services.acute.demand");
  CHECK(sc.parameters[2].target.first == 1);
  CHECK(sc.parameters[2].target.last == 2);
  double sum = 0;
  const int n = 20000;
  for (const double x : parameter_draws(sc, 1, 11, 0, n)) {
    CHECK((x >= 80e6 && x <= 120e6));
    sum += x;
  }
  CHECK(sum / n == doctest::Approx(100e6).epsilon(0.005));  // sd of the mean is ~0.08m
}

TEST_CASE("draws: an input's uniform in draw d is Philox4x32-10 of (d / 2, input) keyed by the seed, d's half of it") {
  // Random123's Philox4x32 called here, and its 64 bits made (2k + 1) 2^-53 from their top
  // 52 (k) by ldexp, for any run of draws drawn together: simulate draws 64 at a time, four
  // Philox calls at once, and a run may start on an odd draw or end short of four calls.
  Scenario sc = fundgap::testing::scenario(std::string(kHeader) +
                                           "services:\n"
                                           "  a: {funder: ccg, base: 1m, demand: {uniform: [0%, 100%]}}\n");
  // Parameters: 0 the funding base, 1 a's base, 2 a's demand (a uniform on [0, 1]: u itself).
  const std::uint64_t seed = 0x0123456789ABCDEFull;
  auto expected = [&](std::uint64_t d) {
    const std::uint64_t pair = d / 2;
    const r123::Philox4x32::ctr_type counter = {{static_cast<std::uint32_t>(pair), static_cast<std::uint32_t>(pair >> 32), 2, 0}};
    const r123::Philox4x32::key_type key = {{0x89ABCDEFu, 0x01234567u}};
    const r123::Philox4x32::ctr_type w = r123::Philox4x32()(counter, key);
    const std::uint64_t bits = d % 2 == 0 ? (std::uint64_t{w.v[1]} << 32 | w.v[0]) : (std::uint64_t{w.v[3]} << 32 | w.v[2]);
    return std::ldexp(2.0 * static_cast<double>(bits >> 12) + 1, -53);
  };
  const std::uint64_t far = (std::uint64_t{1} << 33) - 6;  // pairs on both sides of 2^32
  for (const auto& run : std::vector<std::pair<std::uint64_t, std::size_t>>{
           {0, 1}, {1, 1}, {0, 64}, {3, 61}, {7, 9}, {5, 8}, {far, 17}, {far + 1, 64}}) {
    const std::uint64_t first = run.first;
    const std::size_t count = run.second;
    CAPTURE(first);
    const std::vector<double> u = parameter_draws(sc, 2, seed, first, count);
    REQUIRE(u.size() == count);
    for (std::size_t j = 0; j < count; ++j) {
      CAPTURE(j);
      CHECK(u[j] == expected(first + j));
    }
  }
}

TEST_CASE("correlations: a Gaussian copula recovers the correlation asked for") {
  Scenario sc = fundgap::testing::scenario(std::string(kHeader) +
                                           "services:\n"
                                           "  a: {funder: ccg, base: 1m, demand: {normal: {mean: 3%, sd: 1%}}}\n"
                                           "  b: {funder: ccg, base: 1m, demand: {normal: {mean: 2%, sd: 1%}}}\n"
                                           "correlations:\n"
                                           "  - {parameters: [services.a.demand, services.b.demand], correlation: 0.6}\n");
  REQUIRE(sc.correlations.size() == 1);
  const int n = 20000;
  // Parameters: 0 the funding base, 1 a's base, 2 a's demand, 3 b's base, 4 b's demand.
  const std::vector<double> x = parameter_draws(sc, 2, 3, 0, n), y = parameter_draws(sc, 4, 3, 0, n);
  const double mx = std::accumulate(x.begin(), x.end(), 0.0) / n, my = std::accumulate(y.begin(), y.end(), 0.0) / n;
  double sxy = 0, sxx = 0, syy = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  // The sampling sd of r near 0.6 with 20,000 draws is about 0.0045.
  CHECK(sxy / std::sqrt(sxx * syy) == doctest::Approx(0.6).epsilon(0.03));
}

namespace {
Scenario uncertain_plan() {
  return fundgap::testing::scenario(std::string(kHeader) +
                                    "  council: {funding: {base: 50m, growth: {interval: [-2%, 1%]}}}\n"
                                    "services:\n"
                                    "  acute: {funder: ccg, base: 90m, demand: [{pert: [1%, 3%, 8%]}, 2%]}\n"
                                    "  care: {base: 60m, demand: {normal: {mean: 4%, sd: 2%}}}\n"
                                    "schemes:\n"
                                    "  s: {service: acute, saving: 5%, confidence: {uniform: [30%, 90%]}}\n"
                                    "pools:\n"
                                    "  bcf: {host: council, services: [care], contributions: {council: 50m, ccg: 10m}}\n"
                                    "correlations:\n"
                                    "  - parameters: ['services.acute.demand[2021/22]', services.care.demand]\n"
                                    "    matrix: [[1, 0.5], [0.5, 1]]\n");
}
std::string as_csv(const SimulationState& s) {
  return fundgap::testing::written("csv", summarise(s, {0.05, 0.5, 0.95}));
}
}  // namespace

TEST_CASE("simulate: bit-identical for any thread count and any sharding") {
  Scenario sc = uncertain_plan();
  SimulationOptions o;
  o.draws = 5000;  // several blocks of 1,024, the last one partial
  o.seed = 99;
  o.threads = 1;
  const std::string one = as_csv(simulate(sc, o));
  o.threads = 3;
  CHECK(as_csv(simulate(sc, o)) == one);
  // Three shards, merged in another order, through their files.
  std::vector<SimulationState> shards;
  for (int k = 1; k <= 3; ++k) {
    o.shard = k;
    o.shard_count = 3;
    o.threads = k;
    shards.push_back(through_file(simulate(sc, o)));
  }
  SimulationState merged = shards[2];
  merged.merge(shards[0]);
  merged.merge(shards[1]);
  CHECK(merged.count == 5000);
  CHECK(as_csv(merged) == one);
  CHECK_THROWS_AS(merged.merge(shards[1]), InputError);  // a shard twice
  o.seed = 100;
  o.shard = 1;
  CHECK_THROWS_AS(shards[1].merge(simulate(sc, o)), InputError);  // another seed
}

TEST_CASE("simulate: sums, extremes and adverse counts are of each draw's figure in whole pennies") {
  // Gaps of exact halves of a penny (+0.625 and -0.125 pounds: 62.5 and -12.5 pennies,
  // which halves away from zero make 63 and -13, where halves to even would give 62 and
  // -12), one of £100 billion (beyond what the accumulator sums four draws at a time) and
  // one that varies; 2,051 draws, so that the last block is not a multiple of four.
  Scenario sc = fundgap::testing::scenario(R"(
fundgap: 1
name: pennies
period: {base: 2020/21, to: 2022/23}
partners:
  a: {funding: {base: 1000000}}
  b: {funding: {base: 0}}
  c: {funding: {base: 1.5m}}
  d: {funding: {base: 1000000.125}}
services:
  sa: {funder: a, base: 1000000.625}
  sb: {funder: b, base: 100000000000.625}
  sc: {funder: c, base: {uniform: [1m, 2m]}, demand: {normal: {mean: 2%, sd: 1%}}}
  sd: {funder: d, base: 1000000}
)");
  SimulationOptions o;
  o.draws = 2051;
  o.threads = 2;
  std::ostringstream draws;
  o.draws_out = &draws;
  const SimulationState s = simulate(sc, o);
  // Every figure of every draw, from the per-draw CSV (shortest text that reads back the same).
  const std::vector<std::vector<double>> columns = draw_columns(draws.str());
  REQUIRE(columns.size() == s.outputs.size());
  REQUIRE(columns[0].size() == 2051);
  REQUIRE(s.count == 2051);
  for (std::size_t i = 0; i < s.outputs.size(); ++i) {
    CAPTURE(s.outputs[i].entity);
    CAPTURE(s.outputs[i].year);
    Int128 pennies = 0;
    std::uint64_t adverse = 0;
    for (double x : columns[i]) {
      const double p = std::round(x * 100);  // halves away from zero
      pennies += static_cast<Int128>(p);
      adverse += p > 0;
    }
    CHECK(s.sum_pennies[i] == pennies);
    CHECK(s.adverse[i] == adverse);
    CHECK(s.min[i] == *std::min_element(columns[i].begin(), columns[i].end()));
    CHECK(s.max[i] == *std::max_element(columns[i].begin(), columns[i].end()));
  }
  CHECK(s.sum_pennies[0] == Int128{63} * 2051);   // a.gap[2020/21]
  CHECK(s.sum_pennies[9] == Int128{-13} * 2051);  // d.gap[2020/21]
}

TEST_CASE("shards: merged extremes of zero are the same whatever the order (-0 below +0)") {
  // Two shards whose least draw of a figure is a zero of each sign, and whose greatest is:
  // merged either way round, the least is -0 and the greatest +0, bit for bit.
  Scenario sc = uncertain_plan();
  SimulationOptions o;
  o.draws = 2048;
  std::vector<SimulationState> shards = shards_of(sc, o, 2);
  SimulationState &one = shards[0], &two = shards[1];
  one.min[0] = -0.0;
  two.min[0] = 0.0;
  one.max[0] = 0.0;
  two.max[0] = -0.0;
  SimulationState a = one, b = two;
  a.merge(two);
  b.merge(one);
  for (const SimulationState* m : {&a, &b}) {
    CHECK(m->min[0] == 0);
    CHECK(std::signbit(m->min[0]));
    CHECK(m->max[0] == 0);
    CHECK(!std::signbit(m->max[0]));
  }
}

TEST_CASE("simulate: with no spread, every statistic equals run") {
  Scenario sc = fundgap::testing::scenario(std::string(kHeader) +
                                           "services:\n"
                                           "  acute: {funder: ccg, base: 100m, demand: {normal: {mean: 7%, sd: 0}}}\n"
                                           "schemes:\n"
                                           "  s: {service: acute, saving: 3%, confidence: {uniform: [60%, 60%]}}\n");
  Projection p = project(sc);
  SimulationOptions o;
  o.draws = 3000;
  o.threads = 2;
  Report r = summarise(simulate(sc, o), {0.05, 0.5, 0.95});
  const ReportEntity& ccg = r.sections[0].entities[0];
  for (int t = 0; t < 3; ++t) {
    CAPTURE(t);
    const double gap = p.gap(0, t);
    CHECK(std::round(ccg.measure("gap_mean")->values(t) * 100) == std::round(gap * 100));
    CHECK(ccg.measure("gap_p5")->values(t) == gap);
    CHECK(ccg.measure("gap_p50")->values(t) == gap);
    CHECK(ccg.measure("gap_p95")->values(t) == gap);
    CHECK(ccg.measure("p_shortfall")->values(t) == (std::round(gap * 100) > 0 ? 1.0 : 0.0));
  }
}

TEST_CASE("simulate: quantiles agree with the exact order statistics of the same draws") {
  Scenario sc = uncertain_plan();
  SimulationOptions o;
  o.draws = 4000;
  std::ostringstream draws;
  o.draws_out = &draws;
  Report r = summarise(simulate(sc, o), {0.05, 0.5, 0.95});
  // Column of system.gap[2022/23] in the per-draw CSV, sorted: numpy's linear method.
  std::vector<std::string> names;
  const std::vector<std::vector<double>> columns = draw_columns(draws.str(), &names);
  const auto column = std::find(names.begin(), names.end(), "system.gap[2022/23]");
  REQUIRE(column != names.end());
  std::vector<double> v = columns[static_cast<std::size_t>(column - names.begin())];
  REQUIRE(v.size() == 4000);
  std::sort(v.begin(), v.end());
  auto exact = [&](double q) {
    const double h = q * (static_cast<double>(v.size()) - 1);
    const auto lo = static_cast<std::size_t>(h);
    return v[lo] + (h - static_cast<double>(lo)) * (v[std::min(lo + 1, v.size() - 1)] - v[lo]);
  };
  const ReportEntity& system = r.sections[0].entities.back();
  const double range = v.back() - v.front();
  for (const auto& quantile : {std::pair{"gap_p5", 0.05}, {"gap_p50", 0.5}, {"gap_p95", 0.95}}) {
    const char* const name = quantile.first;  // named: clang 14 captures no structured bindings
    const double q = quantile.second;
    CAPTURE(name);
    // Within a few histogram bins (range x 1.5 / 16,384): far inside sampling error.
    CHECK(std::abs(system.measure(name)->values(2) - exact(q)) < range * 1e-3);
  }
  const double mean = std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
  CHECK(std::abs(system.measure("gap_mean")->values(2) - mean) < 0.01);
}

TEST_CASE("uncertain input errors") {
  auto errs = [](const std::string& services) { return errors_of(std::string(kHeader) + services); };
  CHECK(errs("services:\n  a: {funder: ccg, base: {normal: {mean: 1m}}}\n") ==
        Errors{"7:35: missing required key 'sd' in the normal distribution for 'base' in service 'a'"});
  CHECK(errs("services:\n  a: {funder: ccg, base: {normal: {mean: 1m, sd: -1m}}}\n") ==
        Errors{"7:50: 'sd' of the normal distribution for 'base' in service 'a' cannot be negative"});
  CHECK(errs("services:\n  a: {funder: ccg, base: 1m, demand: {triangular: [3%, 1%, 6%]}}\n") ==
        Errors{"7:51: the values of the triangular distribution for 'demand' in service 'a' must be in order: low, "
               "mode, high"});
  CHECK(errs("services:\n  a: {funder: ccg, base: 1m, demand: {uniform: [1%]}}\n") ==
        Errors{"7:48: expected 2 values like [1%, 5%] for the uniform distribution for 'demand' in service 'a', found "
               "a list"});
  CHECK(errs("services:\n  a: {funder: ccg, base: 1m, demand: {uniform: [-300%, -200%]}}\n") ==
        Errors{"7:38: the uniform distribution for 'demand' in service 'a' has no probability above -100%"});
  // The rules for a single value hold for a distribution's values and its mean.
  CHECK(errs("services:\n  a: {funder: ccg, base: 1m, demand: {normal: {mean: 3, sd: 1%}}}\n") ==
        Errors{"7:54: rate 3 in the normal distribution for 'demand' in service 'a' has no '%' and so means 300%; "
               "write 3% if that is meant"});
  const std::string scheme = "services:\n  a: {funder: ccg, base: 10m}\nschemes:\n  s: {service: a, saving: ";
  CHECK(errs(scheme + "{uniform: [0.05, 0.15]}}\n") ==
        Errors{"9:38: 'saving' in scheme 's' is ambiguous: write percentages for a share of spend or £ amounts for "
               "money"});
  CHECK(errs(scheme + "{normal: {mean: -1m, sd: 1m}}}\n") ==
        Errors{"9:27: 'saving' in scheme 's' has a negative plan value (a cost belongs in 'investment')"});
  CHECK(errs(scheme + "{uniform: [90%, 130%]}}\n") ==
        Errors{"9:27: 'saving' in scheme 's' has a plan value of 110%, more than the whole spend of its service"});
  CHECK(errs("services:\n  a: {funder: {ccg: {uniform: [40%, 60%]}}, base: 1m}\n") ==
        Errors{"7:21: share of 'ccg' in 'funder' of service 'a' must be a plain number, not a distribution"});
  CHECK(errs("services:\n  a: {funder: ccg, base: {lognormal: {median: 0, sd_log: 0.2}}}\n") ==
        Errors{"7:38: the median of the lognormal distribution for 'base' in service 'a' must be above zero"});
}

TEST_CASE("correlation errors") {
  const std::string services = "services:\n"
                               "  a: {funder: ccg, base: 1m, demand: {normal: {mean: 3%, sd: 1%}}}\n"  // 7
                               "  b: {funder: ccg, base: 1m, demand: {normal: {mean: 2%, sd: 1%}}}\n"  // 8
                               "  c: {funder: ccg, base: 1m, demand: 2%}\n"                             // 9
                               "correlations:\n";                                                      // 10
  auto errs = [&](const std::string& group) { return errors_of(std::string(kHeader) + services + group); };
  CHECK(errs("  - {parameters: [services.a.demand, services.b.demand], matrix: [[1, 0.9], [0.9, 1]]}\n").empty());
  CHECK(errs("  - parameters: [services.a.demand, services.b.demand]\n"
             "    matrix: [[1, 1.5], [1.5, 1]]\n") ==
        Errors{"12:18: a correlation must be between -1 and 1, found 1.5",
               "12:25: a correlation must be between -1 and 1, found 1.5"});
  CHECK(errs("  - parameters: [services.a.demand, services.b.demand, services.a.base]\n") ==
        Errors{"11:5: give either 'matrix' or 'correlation' in a correlation group",
               "11:56: 'services.a.base' is certain; only inputs given as distributions can be correlated: write "
               "it as one, like {normal: {mean: 40m, sd: 2m}}"});
  CHECK(errs("  - {parameters: [services.a.demnad, services.b.demand], correlation: 0.5}\n") ==
        Errors{"11:19: unknown parameter 'services.a.demnad' in 'parameters' (did you mean 'services.a.demand'?)"});
  CHECK(errs("  - {parameters: [services.a.demand, services.b.demand], matrix: [[1, 0.5], [0.4, 1]]}\n") ==
        Errors{"11:66: the correlation matrix must be symmetric"});
  // Three inputs each correlated 0.9 with one another except a and c at -0.9: no
  // such set of variables exists.
  CHECK(errors_of(std::string(kHeader) + services.substr(0, services.size() - 14) +
                  "  d: {funder: ccg, base: 1m, demand: {normal: {mean: 2%, sd: 1%}}}\n"
                  "correlations:\n"
                  "  - parameters: [services.a.demand, services.b.demand, services.d.demand]\n"
                  "    matrix: [[1, 0.9, -0.9], [0.9, 1, 0.9], [-0.9, 0.9, 1]]\n") ==
        Errors{"13:13: the correlation matrix is not positive definite; no set of inputs can be correlated like this"});
}

TEST_CASE("simulate: a draw that is bad input names the draw") {
  // Saving 5m to 15m on a 10m service: some draws save more than the spend.
  Scenario sc = fundgap::testing::scenario(std::string(kHeader) +
                                           "services:\n  a: {funder: ccg, base: 10m}\n"
                                           "schemes:\n  s: {service: a, saving: {uniform: [5m, 15m]}}\n");
  SimulationOptions o;
  o.draws = 100;
  try {
    simulate(sc, o);
    FAIL("expected an error");
  } catch (const InputError& e) {
    const std::string m = e.diagnostics().list().front().message;
    CHECK(m.rfind("savings on service 'a' in 2021/22 (", 0) == 0);
    CHECK(m.find(") exceed its projected spend (£10.0m) (in draw ") != std::string::npos);
    CHECK(m.find(" of seed 1)") != std::string::npos);
  }
}

TEST_CASE("shards: an empty shard merges; shards of a differently structured scenario do not") {
  Scenario sc = uncertain_plan();
  SimulationOptions o;
  o.draws = 1000;  // one block: shard 2 of 3 has no draws
  std::vector<SimulationState> shards;
  for (const SimulationState& shard : shards_of(sc, o, 3)) shards.push_back(through_file(shard));
  CHECK(shards[1].count == 0);
  shards[0].merge(shards[1]);
  shards[0].merge(shards[2]);
  o.shard = 1;
  o.shard_count = 1;
  CHECK(as_csv(shards[0]) == as_csv(simulate(sc, o)));
  // Same numbers, another risk-share rule: not the same scenario.
  Scenario host = uncertain_plan();
  host.pools[0].risk_rule = RiskShareRule::host;
  CHECK(scenario_fingerprint(host) != scenario_fingerprint(sc));
}

TEST_CASE("shards: merge refuses states whose figures, bins or scenario fields differ") {
  Scenario sc = uncertain_plan();
  SimulationOptions o;
  o.draws = 3000;
  const std::vector<SimulationState> shards = shards_of(sc, o, 2);
  const SimulationState &one = shards[0], &two = shards[1];
  auto merge_error = [&](SimulationState other) {
    SimulationState s = one;
    try {
      s.merge(other);
    } catch (const InputError& e) {
      return e.diagnostics().list().front().message;
    }
    return std::string("merged");
  };
  CHECK(merge_error(two) == "merged");
  SimulationState fewer = two;  // once read past a heap buffer
  fewer.outputs.pop_back();
  CHECK(merge_error(fewer) == "cannot merge shards: their 'outputs' are different figures");
  SimulationState bins = two;
  bins.bin_width[0] *= 2;
  CHECK(merge_error(bins) == "cannot merge shards: their histogram bins differ ('bin_low' and 'bin_width')");
  SimulationState fewer_bins = two;
  fewer_bins.bins /= 2;
  CHECK(merge_error(fewer_bins) == "cannot merge shards: their histogram bins differ ('bin_low' and 'bin_width')");
  SimulationState currency = two;
  currency.currency = "USD";
  CHECK(merge_error(currency) ==
        "cannot merge shards: their 'scenario' fields differ (name, currency, base year, years or names)");
  o.shard_count = 2;
  o.shard = 3;
  CHECK_THROWS_WITH_AS(simulate(sc, o), "shard 3 of 2 is not a shard from 1 to 65536", InputError);
}

TEST_CASE("simulate: an output constant but for float noise has that value at every quantile") {
  // The system gap in the base year does not depend on the draws.
  Report r = summarise(simulate(uncertain_plan(), SimulationOptions{}), {0.05, 0.95});
  const ReportEntity& system = r.sections[0].entities.back();
  CHECK(system.measure("gap_p5")->values(0) == system.measure("gap_p95")->values(0));
}

TEST_CASE("plan: a distribution carries the plan's own figure; PERT and triangular default to the mode") {
  Scenario sc = fundgap::testing::scenario(std::string(kHeader) +
                                           "services:\n"
                                           "  a: {funder: ccg, base: 10m, demand: {pert: [2%, 3.5%, 6%]}}\n"
                                           "  b: {funder: ccg, base: 10m, demand: {normal: {mean: 3%, sd: 1%}, plan: 2.5%}}\n"
                                           "  c: {funder: ccg, base: {lognormal: {median: 10m, sd_log: 0.5}, plan: 9m}}\n"
                                           "  d: {funder: ccg, base: {plan: 1m, uniform: [0.5m, 2m]}}\n");
  CHECK(sc.services[0].demand(1) == doctest::Approx(0.035));  // the mode, not (2 + 14 + 6) / 6 = 3.67%
  CHECK(sc.services[1].demand(2) == doctest::Approx(0.025));
  CHECK(sc.services[2].base == doctest::Approx(9e6));
  CHECK(sc.services[3].base == doctest::Approx(1e6));  // plan: may come first
  // What simulate draws is unchanged: the uniform's draws still average 1.25m.
  const std::vector<double> draws = parameter_draws(sc, 6, 3, 0, 4000);
  const double sum = std::accumulate(draws.begin(), draws.end(), 0.0);
  CHECK(sum / 4000 == doctest::Approx(1.25e6).epsilon(0.02));
  // Errors: outside the distribution's range, another key, a plan of the wrong kind.
  const std::string a = std::string(kHeader) + "services:\n  a: {funder: ccg, base: 10m, demand: ";
  CHECK(errors_of(a + "{triangular: [1%, 2%, 4%], plan: 5%}}\n") ==
        Errors{"7:72: 'plan' of the triangular distribution for 'demand' in service 'a' is 5%, outside the "
               "distribution's range 1% to 4%"});
  CHECK(errors_of(a + "{triangular: [1%, 2%, 4%], mode: 2%}}\n") ==
        Errors{"7:66: unexpected 'mode' beside the triangular distribution for 'demand' in service 'a'; only 'plan' "
               "(the plan's own figure, like plan: 3%) may go with it"});
  CHECK(errors_of(a + "{triangular: [1%, 2%, 4%], plan: 3m}}\n") ==
        Errors{"7:72: expected a rate (like 3.5% or 0.035) for the triangular distribution for 'demand' in service "
               "'a', found '3m'"});
}

TEST_CASE("truncation that moves the P10 or P90 as written is a warning, not an error") {
  // interval [50%, 100%] is a normal with mean 75% and sd 25% / 1.28155 = 19.51%. Cut at
  // 100% (F = 0.9) and 0% (F = 0.0000604), its P10 is the normal's quantile at
  // 0.0000604 + 0.1 x 0.8999396 = 0.0900544, 75% - 1.3398 x 19.51% = 48.9%, and its P90
  // the quantile at 0.0000604 + 0.9 x 0.8999396 = 0.810006, 75% + 0.8779 x 19.51% = 92.1%.
  Scenario sc = fundgap::testing::scenario(std::string(kHeader) +
                                           "services:\n  a: {funder: ccg, base: 100m}\n"
                                           "schemes:\n  s: {service: a, saving: 10%, confidence: {interval: [50%, 100%]}}\n");
  REQUIRE(sc.warnings.size() == 1);
  const Diagnostic w = sc.warnings.list()[0];
  CHECK(w.warning);
  CHECK(w.where.line == 9);
  CHECK(w.where.column == 44);
  CHECK(w.message == "the interval distribution for confidence of scheme 's' is cut to values between 0% and 100%: "
                     "its draws have P10 48.9% and P90 92.1%, not 50% and 100% as written");
  CHECK(render(w).starts_with("t.yaml:9:44: warning: the interval distribution"));
  // Inside the range, or cut only far in a tail: no warning.
  CHECK(fundgap::testing::scenario(std::string(kHeader) + "services:\n  a: {funder: ccg, base: 100m}\n"
                                   "schemes:\n  s: {service: a, saving: 10%, confidence: {interval: [50%, 80%]}}\n")
            .warnings.empty());
}

TEST_CASE("correlation errors: a per-year input named without its year, a certain input; each with the fix") {
  const std::string services =
      "services:\n"                                                                                // 6
      "  a: {funder: ccg, base: 1m, demand: [{normal: {mean: 3%, sd: 1%}}, 2%]}\n"                // 7
      "  b: {funder: ccg, base: 1m, demand: {normal: {mean: 2%, sd: 1%}}}\n"                      // 8
      "  c: {funder: ccg, base: 1m, demand: [2%, 3%]}\n"                                          // 9
      "correlations:\n";                                                                          // 10
  auto errs = [&](const std::string& group) { return errors_of(std::string(kHeader) + services + group); };
  CHECK(errs("  - {parameters: [services.a.demand, services.b.demand], correlation: 0.5}\n") ==
        Errors{"11:19: 'services.a.demand' is given year by year: name its uncertain value with its year: "
               "'services.a.demand[2021/22]'"});
  CHECK(errs("  - {parameters: ['services.a.demand[2021/22]', services.b.demand], correlation: 0.5}\n").empty());
  CHECK(errs("  - {parameters: [services.c.demand, services.b.demand], correlation: 0.5}\n") ==
        Errors{"11:19: 'services.c.demand' is given year by year and none of its values is uncertain; only inputs "
               "given as distributions can be correlated: write one as a distribution, like {normal: {mean: 3%, sd: "
               "1%}}, and name it as 'services.c.demand[2021/22]'"});
  CHECK(errs("  - {parameters: [services.b.base, services.b.demand], correlation: 0.5}\n") ==
        Errors{"11:19: 'services.b.base' is certain; only inputs given as distributions can be correlated: write it "
               "as one, like {normal: {mean: 40m, sd: 2m}}"});
}

TEST_CASE("histograms: past 65,535 draws on a thread, each bin counts each of its draws once") {
  // A thread counts in 16 bits and moves its counts into 32-bit totals before one could
  // overflow: 70,000 draws on one thread move them once, and the base year's figures,
  // which no input moves, put every draw in one bin. Each bin's count, from the per-draw
  // CSV and the state's own bins: (x - low) x (1 / width), truncated into [0, bins - 1].
  Scenario sc = uncertain_plan();
  SimulationOptions o;
  o.draws = 70000;
  o.threads = 1;
  std::ostringstream draws;
  o.draws_out = &draws;
  const SimulationState s = simulate(sc, o);
  const std::vector<std::vector<double>> columns = draw_columns(draws.str());
  REQUIRE(columns.size() == s.outputs.size());
  const auto bins = static_cast<std::size_t>(s.bins);
  std::size_t full = 0;  // outputs with a bin of more than 65,535 draws
  for (std::size_t i = 0; i < s.outputs.size(); ++i) {
    CAPTURE(i);
    std::vector<std::uint32_t> expected(bins, 0);
    for (double x : columns[i])
      ++expected[static_cast<std::size_t>(
          std::clamp((x - s.bin_low[i]) * (1 / s.bin_width[i]), 0.0, static_cast<double>(bins - 1)))];
    const std::vector<std::uint32_t> got(s.histogram.begin() + static_cast<std::ptrdiff_t>(i * bins),
                                         s.histogram.begin() + static_cast<std::ptrdiff_t>((i + 1) * bins));
    CHECK(got == expected);
    full += *std::max_element(expected.begin(), expected.end()) > 65535;
  }
  CHECK(full > 0);
  o.draws_out = nullptr;
  o.threads = 2;  // 35,000 draws a thread: no move
  CHECK(as_csv(simulate(sc, o)) == as_csv(s));
}

TEST_CASE("histograms: many outputs get fewer bins, chosen by the scenario alone") {
  // 4,096 bins an output while outputs x bins fit 2^22 (16 MiB of 4-byte totals a thread),
  // then halved until they fit, but never below 256.
  CHECK(histogram_bins(1) == 4096);
  CHECK(histogram_bins(1024) == 4096);  // 1,024 x 4,096 = 2^22
  CHECK(histogram_bins(1025) == 2048);
  CHECK(histogram_bins(2048) == 2048);
  CHECK(histogram_bins(2049) == 1024);
  CHECK(histogram_bins(16384) == 256);
  CHECK(histogram_bins(1'000'000) == 256);
  // 20 partners over 100 years: 21 gaps (with the system's) x 101 years = 2,121 outputs;
  // 2,121 x 2,048 > 2^22 >= 2,121 x 1,024, so 1,024 bins.
  std::string yaml = "fundgap: 1\nname: Many\nperiod: {base: 2020/21, to: 2120/21}\npartners:\n";
  for (int i = 0; i < 20; ++i) yaml += fmt::format("  p{}: {{funding: {{base: 100m}}}}\n", i);
  yaml += "services:\n";
  for (int i = 0; i < 20; ++i) yaml += fmt::format("  s{0}: {{funder: p{0}, base: 100m, demand: {{uniform: [0%, 2%]}}}}\n", i);
  const Scenario sc = fundgap::testing::scenario(yaml);
  SimulationOptions o;
  o.draws = 3000;
  o.threads = 1;
  const SimulationState one = simulate(sc, o);
  REQUIRE(one.outputs.size() == 2121);
  CHECK(one.bins == 1024);
  CHECK(one.histogram.size() == 2121u * 1024);
  // The same bins, so the same bytes, on two threads and in two shards merged from files.
  o.threads = 2;
  CHECK(as_csv(simulate(sc, o)) == as_csv(one));
  std::vector<SimulationState> shards;
  for (const SimulationState& shard : shards_of(sc, o, 2)) {
    shards.push_back(through_file(shard));
    CHECK(shards.back().bins == 1024);
  }
  shards[0].merge(shards[1]);
  CHECK(as_csv(shards[0]) == as_csv(one));
  // Each quantile still lies within a bin of the exact one: p0's gap in the last year is
  // 100m x (1 + u)^100 - 100m with u uniform on [0, 2%], so its median is 100m x 1.01^100
  // - 100m; the sampling error of a median of 3,000 draws is about 1/55 of the spread.
  Report r = summarise(one, {0.5});
  const double median = r.sections[0].entities[0].measure("gap_p50")->values(100);
  const double spread = 100e6 * (std::pow(1.02, 100) - 1);
  CHECK(std::abs(median - 100e6 * (std::pow(1.01, 100) - 1)) < spread / 30);
}
