// Every figure a projection reports is a number fundgap can stand behind: finite, and
// money within what a double holds to the penny. The first that is not is found in the
// order the stages build the figures, so the message names the entity whose inputs
// caused it rather than a total it spread to.
#include <cmath>
#include <limits>

#include "fundgap/base/money.h"
#include "stages.h"

namespace fundgap {

bool computed_in(const Figure& f, Detail detail) {
  if (detail == Detail::full) return true;
  switch (f.measure) {
    case Measure::baseline: case Measure::net: case Measure::funding: case Measure::spend: case Measure::gap:
    case Measure::pool_balance:
      return f.kind != EntityKind::system || f.measure == Measure::gap;
    default:
      return false;
  }
}


namespace stages {

namespace {

// Services and schemes first (the spend), then partners' funding and gaps, pools,
// places, and the system's totals last.
constexpr EntityKind kCausalOrder[] = {EntityKind::service, EntityKind::scheme, EntityKind::partner,
                                       EntityKind::pool,    EntityKind::place,  EntityKind::system};

bool is_money(Measure m) {
  const Unit u = info(m).unit;
  return u == Unit::money || u == Unit::pounds;
}

bool fits(double v, Measure m) { return is_money(m) ? std::fabs(v) <= kMaxMoney : std::isfinite(v); }

// Whether the n values from x all fit, money or not: one pass, no early exit, as most
// projections fit.
bool all_fit(const double* x, Eigen::Index n, bool money) {
  // |x| <= the largest finite double: finite. NaN compares false.
  const double limit = money ? kMaxMoney : std::numeric_limits<double>::max();
  Eigen::Index fit = 0;  // counted, so that the loop has no branch
  for (Eigen::Index i = 0; i < n; ++i) fit += std::fabs(x[i]) <= limit;
  return fit == n;
}

// Whether every figure `detail` computes fits: the catalogue's matrices in one pass each,
// then (for a full projection) the sub-figures that have none.
bool all_fit(const Scenario& sc, const Projection& p, Detail detail, const Engine::Reach& reach) {
  for (const MeasureInfo& row : catalogue()) {
    if (!computed_in({row.measure, row.kind}, detail)) continue;
    const bool money = is_money(row.measure);
    if (row.total == SystemTotal::sum &&
        !all_fit(row_data(p.system, static_cast<Eigen::Index>(row.measure)), p.system.cols(), money))
      return false;
    if (row.matrix && row.kind == EntityKind::service && !reach.all) {
      const Table& a = p.*row.matrix;
      for (Eigen::Index s : reach.net)
        if (!all_fit(row_data(a, s), a.cols(), money)) return false;
      continue;
    }
    if (row.matrix) {
      if (!all_fit((p.*row.matrix).data(), (p.*row.matrix).size(), money)) return false;
      continue;
    }
    for (int e = 0; e < sc.count(row.kind); ++e)
      for (const Figure& f : figures_of(sc, row.kind, e))
        if (f.measure == row.measure)
          for (int t = 0; t < sc.years(); ++t)
            if (!fits(figure_value(p, f, t), f.measure)) return false;
  }
  return true;
}

}  // namespace

std::optional<FigureRef> first_misfit(const Scenario& sc, const Projection& p, Detail detail,
                                      const Engine::Reach& reach) {
  if (all_fit(sc, p, detail, reach)) return std::nullopt;
  for (int t = 0; t < sc.years(); ++t)
    for (EntityKind kind : kCausalOrder)
      for (int e = kind == EntityKind::system ? -1 : 0; e < (kind == EntityKind::system ? 0 : sc.count(kind)); ++e)
        for (const Figure& f : figures_of(sc, kind, e))
          if (computed_in(f, detail) && !fits(figure_value(p, f, t), f.measure)) return FigureRef{f, t};
  return std::nullopt;  // not reached: all_fit looks at no figure this scan misses
}

FUNDGAP_LANES void misfit_lanes(const LaneChecks& checks, std::initializer_list<const LaneTable*> whole, char* bad) {
  // Every figure of a gaps run is money, which fits when |x| <= kMaxMoney: in each lane, the
  // sum of money_square() over every figure. Plain arithmetic, no compare a value. Four
  // running sums, so that each add need not wait for the one before (the order of a sum of
  // squares that is only compared does not matter).
  Lanes total[4] = {checks.squares[0], checks.squares[1], {}, {}};
  for (const LaneTable* t : whole) {
    const double* x = t->v.data();
    const std::size_t n = t->v.size();
    std::size_t i = 0;
    for (; i + 4 * kLanes <= n; i += 4 * kLanes)
      for (std::size_t a = 0; a < 4; ++a) total[a] += money_square(load(x + i + a * kLanes));
    for (; i < n; i += kLanes) total[0] += money_square(load(x + i));
  }
  const Lanes sum = (total[0] + total[1]) + (total[2] + total[3]);
  for (std::size_t j = 0; j < kLanes; ++j) bad[j] |= !(sum[j] < kMoneySquares);
}

Diagnostics misfit_diagnostics(const Scenario& sc, const std::optional<FigureRef>& figure) {
  Diagnostics d;
  if (!figure) return d;
  const Figure& f = figure->figure;
  const std::string ref = figure_text(sc, f, figure->year);
  const std::string symbol = currency_symbol(sc.currency);
  const std::string what =
      is_money(f.measure)
          ? fmt::format("is beyond \u00b1{:.0bn}, more than fundgap computes to the penny (the limit)",
                        Money{kMaxMoney, symbol})
          : std::string("is too large to compute");
  if (f.kind == EntityKind::system) {
    d.error(sc.origin("partners"), "{} {}: the figures it adds up are too large together", ref, what);
    return d;
  }
  const char* section = f.kind == EntityKind::scheme    ? "schemes"
                        : f.kind == EntityKind::pool    ? "pools"
                        : f.kind == EntityKind::place   ? "places"
                        : f.kind == EntityKind::service ? "services"
                                                        : "partners";
  const std::string& id = sc.id_of(f.kind, f.entity);
  d.error(sc.origin(fmt::format("{}.{}", section, id)), "{} {}: check the inputs of {} '{}' that build it", ref, what,
          kind_name(f.kind), id);
  return d;
}

}  // namespace stages
}  // namespace fundgap
