// Scheme economics (format 1.1): each scheme's net benefit to date (saving less what it
// re-provides, invests and spends once), its net present value at the scenario's discount
// rate, its return on investment, and the year it pays back; their explanations.
#include <cmath>

#include <fmt/format.h>

#include "fundgap/base/money.h"
#include "fundgap/base/quantity.h"
#include "stages.h"

namespace fundgap::stages {

using Eigen::Index;

namespace {

// What the scheme costs in year t: re-provision, investment and one-off costs.
double cost(const Projection& p, Index k, Index t) {
  double c = p.scheme_reprovided(k, t) + p.scheme_investment(k, t);
  if (p.scheme_one_off_cost.rows() > 0) c += p.scheme_one_off_cost(k, t);
  return c;
}

}  // namespace

void economics(const Scenario& sc, Projection& p) {
  const Index K = static_cast<Index>(sc.schemes.size()), Y = sc.years();
  for (Index k = 0; k < K; ++k) {
    double benefit = 0, npv = 0, costs = 0;
    for (Index t = 0; t < Y; ++t) {
      const double c = cost(p, k, t), net = p.scheme_saving(k, t) - c;
      benefit += net;
      costs += c;
      npv += net / std::pow(1 + sc.discount, static_cast<double>(t));
      p.scheme_net_benefit(k, t) = benefit;
      p.scheme_npv(k, t) = npv;
      p.scheme_roi(k, t) = costs > 0 ? benefit / costs : 0;
    }
  }
}

std::vector<std::string> economics_notes(const Scenario& sc, const Projection& p) {
  std::vector<std::string> notes;
  for (std::size_t k = 0; k < sc.schemes.size(); ++k) {
    const Scheme& sk = sc.schemes[k];
    if (!sk.has_costs()) continue;
    const Index ki = static_cast<Index>(k);
    // Pays back in the first year its net benefit to date, once negative, is back at or above zero.
    bool behind = false;
    int payback = -1;
    for (Index t = 0; t < p.scheme_net_benefit.cols() && payback < 0; ++t) {
      const double b = std::round(p.scheme_net_benefit(ki, t) * 100);
      if (b < 0) behind = true;
      else if (behind) payback = static_cast<int>(t);
    }
    if (!behind)
      notes.push_back(fmt::format("scheme {} is never behind: its savings cover its costs from the start.", sk.id));
    else if (payback < 0)
      notes.push_back(fmt::format("scheme {} does not pay back by {}.", sk.id, sc.year(sc.projected_years)));
    else
      notes.push_back(fmt::format("scheme {} pays back in {}.", sk.id, sc.year(payback)));
  }
  return notes;
}

namespace {

using Unit = Explainer::Unit;

Explanation net_in(Explainer& ex, int k, int t) {
  const std::string id = ex.sc.schemes[static_cast<std::size_t>(k)].id;
  Explanation e = Explainer::sum(fmt::format("{} net benefit in {}", id, ex.sc.year(t)),
                                 "saving - re-provided - investment - one-off cost");
  e.children.push_back(ex.figure(Measure::scheme_saving, k, t));
  e.children.push_back(Explainer::with(ex.figure(Measure::scheme_reprovided, k, t), -1));
  e.children.push_back(Explainer::with(ex.figure(Measure::scheme_investment, k, t), -1));
  if (ex.p.scheme_one_off_cost.rows() > 0)
    e.children.push_back(Explainer::with(ex.figure(Measure::scheme_one_off_cost, k, t), -1));
  return Explainer::total(std::move(e));
}

}  // namespace

Explanation explain_economics(Explainer& ex, const Figure& f, int t) {
  const int k = f.entity;
  if (f.measure == Measure::scheme_net_benefit) {
    Explanation e = Explainer::sum(ex.ref(f, t), "the sum of each year's net benefit to this year");
    for (int u = 0; u <= t; ++u) e.children.push_back(net_in(ex, k, u));
    return Explainer::pinned(std::move(e), ex.p.scheme_net_benefit(k, t));
  }
  if (f.measure == Measure::scheme_npv) {
    Explanation e = Explainer::sum(ex.ref(f, t), fmt::format("each year's net benefit / (1 + {})^years from the base year",
                                                             percent_text(ex.sc.discount)));
    for (int u = 0; u <= t; ++u) {
      Explanation term = Explainer::product(fmt::format("discounted net benefit in {}", ex.sc.year(u)), "net x discount");
      term.children.push_back(net_in(ex, k, u));
      term.children.push_back(ex.leaf(fmt::format("1 / (1 + {})^{}", percent_text(ex.sc.discount), u),
                                      1 / std::pow(1 + ex.sc.discount, u), Unit::factor, ""));
      e.children.push_back(Explainer::total(std::move(term)));
    }
    return Explainer::pinned(std::move(e), ex.p.scheme_npv(k, t));
  }
  Explanation e = Explainer::product(ex.ref(f, t), "net benefit to date / costs to date (0 before any cost)");
  e.children.push_back(ex.figure(Measure::scheme_net_benefit, k, t));
  double costs = 0;
  for (Index u = 0; u <= t; ++u) costs += cost(ex.p, k, u);
  e.children.push_back(ex.leaf(fmt::format("1 / costs to date ({})", fmt::format("{:.2p}", Money{costs})),
                               costs > 0 ? 1 / costs : 0, Unit::factor, ""));
  return Explainer::pinned(std::move(e), ex.p.scheme_roi(k, t));
}

}  // namespace fundgap::stages
