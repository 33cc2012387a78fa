// Reserves (format 1.1): planned drawdowns, or drawing what covers the gap; the closing
// balance, its minimum and headroom, and the gap after reserves; their explanations.
#include <algorithm>

#include <fmt/format.h>

#include "fundgap/base/money.h"
#include "fundgap/base/quantity.h"
#include "stages.h"

namespace fundgap::stages {

using Eigen::Index;

void reserves(const Scenario& sc, Projection& p) {
  const Index Y = p.gap.cols();
  for (std::size_t i = 0; i < sc.partners.size(); ++i) {
    const std::optional<Reserves>& r = sc.partners[i].reserves;
    if (!r) continue;
    const Index pi = static_cast<Index>(i);
    double balance = r->opening;
    for (Index t = 0; t < Y; ++t) {
      double used = 0;
      if (t > 0) used = r->cover_gap ? std::clamp(p.gap(pi, t), 0.0, std::max(balance, 0.0)) : r->use(t);
      balance -= used;
      p.reserves_used(pi, t) = used;
      p.reserves(pi, t) = balance;
      p.reserves_minimum(pi, t) = r->minimum_is_share ? r->minimum * p.spend(pi, t) : r->minimum;
      p.reserves_headroom(pi, t) = balance - p.reserves_minimum(pi, t);
      p.gap_after_reserves(pi, t) = p.gap(pi, t) - used;
    }
  }
}

std::vector<std::string> reserves_notes(const Scenario& sc, const Projection& p) {
  std::vector<std::string> notes;
  const std::string symbol = currency_symbol(sc.currency);
  for (std::size_t i = 0; i < sc.partners.size(); ++i) {
    if (!sc.partners[i].reserves) continue;
    const Index pi = static_cast<Index>(i);
    for (Index t = 0; t < p.reserves.cols(); ++t)
      if (std::round(p.reserves_headroom(pi, t) * 100) < 0) {
        notes.push_back(fmt::format("{}'s reserves fall below their minimum in {}: {} against a minimum of {}.",
                                    sc.partners[i].id, sc.year(static_cast<int>(t)),
                                    fmt::format("{:.1m}", Money{p.reserves(pi, t), symbol}),
                                    fmt::format("{:.1m}", Money{p.reserves_minimum(pi, t), symbol})));
        break;
      }
  }
  return notes;
}

namespace {

using Unit = Explainer::Unit;

std::string reserves_path(const Scenario& sc, int i) { return "partners." + sc.partners[static_cast<std::size_t>(i)].id + ".reserves"; }

Explanation used(Explainer& ex, int i, int t) {
  const Reserves& r = *ex.sc.partners[static_cast<std::size_t>(i)].reserves;
  const Figure f{Measure::reserves_used, EntityKind::partner, i, -1};
  if (t == 0) {
    Explanation e = ex.leaf(ex.ref(f, t), 0, Unit::money, reserves_path(ex.sc, i) + ".opening");
    e.formula = "0: the opening balance is the end of the base year";
    return e;
  }
  if (!r.cover_gap) {
    Explanation e = ex.leaf(ex.ref(f, t), ex.p.reserves_used(i, t), Unit::money,
                            fmt::format("{}.use[{}]", reserves_path(ex.sc, i), ex.sc.year(t)));
    e.formula = "the planned use";
    return e;
  }
  Explanation e = Explainer::sum(ex.ref(f, t), "policy cover_gap: the gap, if positive, up to the balance left");
  e.children.push_back(ex.figure(Measure::gap, i, t));
  return Explainer::pinned(std::move(e), ex.p.reserves_used(i, t));
}

Explanation balance(Explainer& ex, int i, int t) {
  const Reserves& r = *ex.sc.partners[static_cast<std::size_t>(i)].reserves;
  const Figure f{Measure::reserves, EntityKind::partner, i, -1};
  if (t == 0) return ex.leaf(ex.ref(f, t), r.opening, Unit::money, reserves_path(ex.sc, i) + ".opening");
  Explanation e = Explainer::sum(ex.ref(f, t), "last year's balance - this year's use");
  e.children.push_back(balance(ex, i, t - 1));
  e.children.push_back(Explainer::with(used(ex, i, t), -1));
  return Explainer::pinned(std::move(e), ex.p.reserves(i, t));
}

Explanation minimum(Explainer& ex, int i, int t) {
  const Reserves& r = *ex.sc.partners[static_cast<std::size_t>(i)].reserves;
  const Figure f{Measure::reserves_minimum, EntityKind::partner, i, -1};
  if (!r.minimum_is_share) return ex.leaf(ex.ref(f, t), r.minimum, Unit::money, reserves_path(ex.sc, i) + ".minimum");
  Explanation e = Explainer::product(ex.ref(f, t), "the minimum share x spend");
  e.children.push_back(ex.leaf("minimum, share of spend", r.minimum, Unit::share, reserves_path(ex.sc, i) + ".minimum"));
  e.children.push_back(ex.figure(Measure::spend, i, t));
  return Explainer::pinned(std::move(e), ex.p.reserves_minimum(i, t));
}

}  // namespace

Explanation explain_reserves(Explainer& ex, const Figure& f, int t) {
  const int i = f.entity;
  switch (f.measure) {
    case Measure::reserves_used: return used(ex, i, t);
    case Measure::reserves_minimum: return minimum(ex, i, t);
    case Measure::reserves_headroom: {
      Explanation e = Explainer::sum(ex.ref(f, t), "reserves - their minimum");
      e.children.push_back(balance(ex, i, t));
      e.children.push_back(Explainer::with(minimum(ex, i, t), -1));
      return Explainer::pinned(std::move(e), ex.p.reserves_headroom(i, t));
    }
    case Measure::gap_after_reserves: {
      Explanation e = Explainer::sum(ex.ref(f, t), "gap - reserves used");
      e.children.push_back(ex.figure(Measure::gap, i, t));
      e.children.push_back(Explainer::with(used(ex, i, t), -1));
      return Explainer::pinned(std::move(e), ex.p.gap_after_reserves(i, t));
    }
    default: return balance(ex, i, t);
  }
}

}  // namespace fundgap::stages
