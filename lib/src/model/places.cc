// Places (format 1.1): the spend of services split across places, schemes rolled out
// place by place, and the budgets a partner delegates to places — historic shares, fair
// shares or a glide between them (by weights, or levelling up), with floors, caps and
// penny rounding that keeps budgets adding up to the envelope; their explanations and
// each place's bridge.
#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "fundgap/base/money.h"
#include "fundgap/base/quantity.h"
#include "stages.h"

namespace fundgap::stages {

using Eigen::ArrayXd;
using Eigen::Index;

namespace {

// The funding a delegation's envelope is drawn from, in year t.
double source(const Scenario&, const Projection& p, const Delegation& d, Index t) {
  if (d.stream < 0) return p.funding(d.partner, t);
  return p.stream_funding[static_cast<std::size_t>(d.partner)](d.stream, t);
}

double envelope(const Scenario& sc, const Projection& p, const Delegation& d, Index t) {
  if (d.envelope_is_share) return d.envelope * source(sc, p, d, t);
  const double s0 = source(sc, p, d, 0);
  return s0 != 0 ? d.envelope * source(sc, p, d, t) / s0 : d.envelope;
}

// Shares each year's growth by shortfall against the fair share at the new envelope:
// nobody loses cash while the envelope grows (a shrinking envelope is cut in proportion).
ArrayXd level_up(const ArrayXd& last, const ArrayXd& fair, double env) {
  const double growth = env - last.sum();
  if (growth <= 0) return last.sum() > 0 ? ArrayXd(last * (env / last.sum())) : ArrayXd(fair * env);
  const ArrayXd shortfall = (fair * env - last).max(0.0);
  const double total = shortfall.sum();
  if (total >= growth) return last + growth * shortfall / total;
  return last + shortfall + (growth - total) * fair;  // everyone at target: the rest by fair share
}

// Budgets as close to `wanted` (scaled) as the floors and caps allow, adding up to `env`;
// nothing when they cannot.
std::optional<ArrayXd> clamp_to(const ArrayXd& wanted, const ArrayXd& lower, const ArrayXd& upper, double env) {
  const Index n = wanted.size();
  std::vector<int> fixed(static_cast<std::size_t>(n), 0);  // 0 free, -1 at floor, +1 at cap
  ArrayXd b = wanted;
  for (Index round = 0; round <= n; ++round) {
    double fixed_total = 0, free_wanted = 0;
    for (Index i = 0; i < n; ++i) {
      const int f = fixed[static_cast<std::size_t>(i)];
      if (f) fixed_total += f < 0 ? lower(i) : upper(i);
      else free_wanted += wanted(i);
    }
    const double scale = free_wanted > 0 ? (env - fixed_total) / free_wanted : 0;
    bool moved = false;
    for (Index i = 0; i < n; ++i) {
      int& f = fixed[static_cast<std::size_t>(i)];
      b(i) = f < 0 ? lower(i) : f > 0 ? upper(i) : wanted(i) * scale;
      if (f == 0 && b(i) < lower(i) - 1e-9) f = -1, moved = true;
      else if (f == 0 && b(i) > upper(i) + 1e-9) f = +1, moved = true;
    }
    if (!moved) return std::fabs(b.sum() - env) <= 1e-6 * std::max(1.0, std::fabs(env)) ? std::optional(b) : std::nullopt;
  }
  return std::nullopt;
}

// Whole pennies adding up to the envelope's: each budget rounded down, and the pennies
// left over to the largest remainders (ties in file order).
ArrayXd to_pennies(const ArrayXd& b, double env) {
  const Index n = b.size();
  ArrayXd pennies = (b * 100).floor();
  long long left = std::llround(std::round(env * 100) - pennies.sum());
  std::vector<Index> order(static_cast<std::size_t>(n));
  for (Index i = 0; i < n; ++i) order[static_cast<std::size_t>(i)] = i;
  std::stable_sort(order.begin(), order.end(), [&](Index a, Index c) {
    return b(a) * 100 - pennies(a) > b(c) * 100 - pennies(c);
  });
  // (Fewer pennies than the budgets hold only from floating-point noise: the smallest
  // remainders give them back.)
  const std::size_t count = order.size();
  for (std::size_t k = 0; left > 0 && count > 0; k = (k + 1) % count, --left) pennies(order[k]) += 1;
  for (std::size_t k = 0; left < 0 && count > 0; k = (k + 1) % count, ++left) pennies(order[count - 1 - k]) -= 1;
  return pennies / 100;
}

}  // namespace

void place_shares(const Scenario& sc, Projection& p) {
  if (sc.places.empty()) return;
  auto rescaled = [](const ArrayXd& x) { return x.sum() > 0 ? ArrayXd(x / x.sum()) : x; };
  ArrayXd population(static_cast<Index>(sc.places.size())), weighted(population.size());
  for (std::size_t i = 0; i < sc.places.size(); ++i) {
    population(static_cast<Index>(i)) = sc.places[i].population;
    weighted(static_cast<Index>(i)) = sc.places[i].weighted();
  }
  p.service_place_shares.resize(sc.services.size());
  for (std::size_t s = 0; s < sc.services.size(); ++s) {
    const Service& sv = sc.services[s];
    switch (sv.place_basis) {
      case Service::PlaceBasis::none: p.service_place_shares[s].resize(0); break;
      case Service::PlaceBasis::shares: p.service_place_shares[s] = rescaled(sv.place_shares); break;
      case Service::PlaceBasis::population: p.service_place_shares[s] = rescaled(population); break;
      case Service::PlaceBasis::weighted_population: p.service_place_shares[s] = rescaled(weighted); break;
    }
  }
  p.delegation_historic.resize(sc.delegations.size());
  p.delegation_fair.resize(sc.delegations.size());
  for (std::size_t d = 0; d < sc.delegations.size(); ++d) {
    const Delegation& dl = sc.delegations[d];
    p.delegation_historic[d] = rescaled(dl.historic.size() ? dl.historic : ArrayXd::Zero(population.size()));
    p.delegation_fair[d] = rescaled(dl.fair_basis == Delegation::FairBasis::shares       ? dl.fair
                                    : dl.fair_basis == Delegation::FairBasis::population ? population
                                                                                           : weighted);
  }
}

void place_savings(const Scenario& sc, Projection& p) {
  // A scheme rolled out by place saves, in each place where it has started, that place's
  // share of its service's spend times the scheme's rule; its total is the sum.
  const Index L = static_cast<Index>(sc.places.size()), Y = sc.years();
  for (std::size_t k = 0; k < sc.schemes.size(); ++k) {
    const Scheme& sk = sc.schemes[k];
    Table& by_place = p.scheme_place_saving[k];
    if (sk.place_start.empty()) {
      by_place.resize(0, Y);
      continue;
    }
    by_place.setZero(L, Y);
    const ArrayXd& shares = p.service_place_shares[static_cast<std::size_t>(sk.service)];
    for (Index i = 0; i < L; ++i) {
      const int start = sk.place_start[static_cast<std::size_t>(i)];
      if (start < 0) continue;
      for (Index t = start; t < Y; ++t)
        by_place(i, t) = shares(i) * scheme_saving_at(sk, p.baseline(sk.service, t), static_cast<int>(t), start);
    }
  }
}

ProjectionStatus places(const Scenario& sc, Projection& p) {
  ProjectionStatus status;
  const Index L = static_cast<Index>(sc.places.size()), Y = sc.years();
  for (Table* a : {&p.place_budget, &p.place_target, &p.place_distance, &p.place_distance_pct, &p.place_spend,
                      &p.place_gap})
    a->setZero(L, Y);
  p.delegated.setZero(static_cast<Index>(sc.partners.size()), Y);
  if (L == 0) return status;
  // Spend by place: each service's net spend by its place shares, with the savings of
  // schemes rolled out by place taken where they fall; and by delegation.
  std::vector<Table> service_spend(sc.services.size());  // places x years, for split services
  for (std::size_t s = 0; s < sc.services.size(); ++s) {
    const ArrayXd& shares = p.service_place_shares[s];
    if (shares.size() == 0) continue;
    ArrayXd placed = ArrayXd::Zero(Y);  // the place schemes' savings on it, in total
    for (std::size_t k = 0; k < sc.schemes.size(); ++k)
      if (sc.schemes[k].service == static_cast<int>(s) && p.scheme_place_saving[k].rows() > 0)
        placed += p.scheme_place_saving[k].colwise().sum().transpose();
    service_spend[s].resize(L, Y);
    for (Index i = 0; i < L; ++i) {
      ArrayXd spend = shares(i) * (p.net.row(static_cast<Index>(s)).transpose() + placed);
      for (std::size_t k = 0; k < sc.schemes.size(); ++k)
        if (sc.schemes[k].service == static_cast<int>(s) && p.scheme_place_saving[k].rows() > 0)
          spend -= p.scheme_place_saving[k].row(i).transpose();
      service_spend[s].row(i) = spend.transpose();
      p.place_spend.row(i) += spend.transpose();
    }
  }
  Table delegated_spend = Table::Zero(L, Y);
  std::vector<char> delegated(sc.services.size(), 0);
  for (const Delegation& d : sc.delegations)
    for (int s : d.services) delegated[static_cast<std::size_t>(s)] = 1;
  for (std::size_t s = 0; s < sc.services.size(); ++s)
    if (delegated[s]) delegated_spend += service_spend[s];
  // Budgets, delegation by delegation.
  p.delegation_budget.resize(sc.delegations.size());
  for (std::size_t di = 0; di < sc.delegations.size(); ++di) {
    const Delegation& d = sc.delegations[di];
    const ArrayXd& fair = p.delegation_fair[di];
    const ArrayXd& historic = p.delegation_historic[di];
    p.delegation_budget[di].setZero(L, Y);
    ArrayXd last;
    for (Index t = 0; t < Y; ++t) {
      const double env = envelope(sc, p, d, t);
      ArrayXd wanted;
      if (t == 0) {
        wanted = env * (d.method == Delegation::Method::fair_share ? fair : historic);
      } else if (d.level_up) {
        wanted = level_up(last, fair, env);
      } else {
        const double w = d.method == Delegation::Method::hybrid ? d.glide(t)
                         : d.method == Delegation::Method::fair_share ? 1.0 : 0.0;
        wanted = env * ((1 - w) * historic + w * fair);
      }
      ArrayXd budget = wanted;
      if (t > 0 && (d.has_floor || d.has_cap)) {
        constexpr double inf = std::numeric_limits<double>::infinity();
        const ArrayXd lower = d.has_floor ? ArrayXd(last * (1 + d.floor)) : ArrayXd::Constant(L, -inf);
        const ArrayXd upper = d.has_cap ? ArrayXd(last * (1 + d.cap)) : ArrayXd::Constant(L, inf);
        std::optional<ArrayXd> b = clamp_to(wanted, lower, upper, env);
        if (!b) {
          status.allocations.push_back({static_cast<int>(di), static_cast<int>(t), env,
                                        d.has_floor ? lower.sum() : 0.0, d.has_cap ? upper.sum() : inf});
          return status;
        }
        budget = *b;
      }
      budget = to_pennies(budget, env);
      p.delegation_budget[di].col(t) = budget;
      p.place_budget.col(t) += budget;
      p.place_target.col(t) += env * fair;
      p.delegated(d.partner, t) += std::round(env * 100) / 100;
      last = budget;
    }
  }
  if (sc.delegations.empty()) return status;
  // Each delegation's own gap by place: the spend on its services there less its budget.
  p.delegation_gap.resize(sc.delegations.size());
  for (std::size_t di = 0; di < sc.delegations.size(); ++di) {
    p.delegation_gap[di] = -p.delegation_budget[di];
    for (int s : sc.delegations[di].services) p.delegation_gap[di] += service_spend[static_cast<std::size_t>(s)];
  }
  p.place_distance = p.place_budget - p.place_target;
  for (Index i = 0; i < L; ++i)
    for (Index t = 0; t < Y; ++t)
      p.place_distance_pct(i, t) = p.place_target(i, t) != 0 ? p.place_distance(i, t) / p.place_target(i, t) : 0;
  p.place_gap = delegated_spend - p.place_budget;
  return status;
}

bool has_lead_providers(const Scenario& sc) {
  for (const Delegation& d : sc.delegations)
    for (int lead : d.lead_provider)
      if (lead >= 0) return true;
  return false;
}

namespace {

// The variance lead provider place i of delegation di carries in year t.
double lead_variance(const Scenario& sc, const Projection& p, std::size_t di, Index i, Index t, bool do_nothing) {
  if (!do_nothing) return p.delegation_gap[di](i, t);
  double v = -p.delegation_budget[di](i, t);
  for (int s : sc.delegations[di].services) v += p.service_place_shares[static_cast<std::size_t>(s)](i) * p.baseline(s, t);
  return v;
}

}  // namespace

void explain_place_transfers(Explainer& ex, int partner, int t, bool do_nothing, Explanation& e) {
  for (std::size_t di = 0; di < ex.sc.delegations.size(); ++di) {
    const Delegation& d = ex.sc.delegations[di];
    for (std::size_t i = 0; i < d.lead_provider.size(); ++i) {
      const int lead = d.lead_provider[i];
      if (lead < 0 || (lead != partner && d.partner != partner)) continue;
      const std::string& place = ex.sc.places[i].id;
      const double v = lead_variance(ex.sc, ex.p, di, static_cast<Index>(i), t, do_nothing);
      Explanation c = ex.leaf(lead == partner ? fmt::format("variance of {} it carries as lead provider ({} spend on "
                                                            "delegated services - budget)", place, d.id)
                                              : fmt::format("variance of {} carried by its lead provider {}", place,
                                                            ex.sc.partners[static_cast<std::size_t>(lead)].id),
                              v, Explainer::Unit::money, fmt::format("delegations.{}.form.{}", d.id, place));
      e.children.push_back(Explainer::with(std::move(c), lead == partner ? 1 : -1));
    }
  }
}

void bridge_place_transfers(const BridgeContext& b, std::vector<BridgeStep>& steps) {
  for (std::size_t di = 0; di < b.sc.delegations.size(); ++di) {
    const Delegation& d = b.sc.delegations[di];
    for (std::size_t i = 0; i < d.lead_provider.size(); ++i) {
      const int lead = d.lead_provider[i];
      if (lead < 0) continue;
      const double sign = b.partner < 0 ? 0.0 : b.partner == lead ? 1.0 : b.partner == d.partner ? -1.0 : 0.0;
      const Index ii = static_cast<Index>(i);
      const double change = b.p.delegation_gap[di](ii, b.to) - b.p.delegation_gap[di](ii, b.from);
      steps.push_back({"place " + b.sc.places[i].id + " lead provider", "place", b.sc.places[i].id, sign * change});
    }
  }
}

void carry_place_variance(const Scenario& sc, Projection& p, bool do_nothing) {
  // Under a lead-provider contract the provider is paid the place's budget and carries its
  // variance: the gap moves from the delegating partner to the provider (a transfer, so
  // the system's spend is unchanged). Every other form leaves it with the statutory body.
  for (std::size_t di = 0; di < sc.delegations.size(); ++di) {
    const Delegation& d = sc.delegations[di];
    for (std::size_t i = 0; i < d.lead_provider.size(); ++i) {
      const int lead = d.lead_provider[i];
      if (lead < 0) continue;
      const Index ii = static_cast<Index>(i);
      Table& spend = do_nothing ? p.spend_do_nothing : p.spend;
      Eigen::ArrayXd variance(p.spend.cols());
      for (Index t = 0; t < variance.size(); ++t) variance(t) = lead_variance(sc, p, di, ii, t, do_nothing);
      spend.row(lead) += variance.transpose();
      spend.row(d.partner) -= variance.transpose();
    }
  }
}

Diagnostics allocation_diagnostics(const Scenario& sc, const std::vector<Infeasible>& problems) {
  Diagnostics diags;
  const std::string symbol = currency_symbol(sc.currency);
  for (const Infeasible& x : problems) {
    const Delegation& d = sc.delegations[static_cast<std::size_t>(x.delegation)];
    const bool floors = x.least > x.envelope;
    diags.error(sc.origin(fmt::format("delegations.{}.{}", d.id, floors ? "floor" : "cap")),
                "in {} the {} of delegation '{}' need budgets of {} but its envelope is {}; no budgets meet them",
                sc.year(x.year), floors ? "floors" : "caps", d.id,
                fmt::format("{:.2p}", Money{floors ? x.least : x.most, symbol}),
                fmt::format("{:.2p}", Money{x.envelope, symbol}));
  }
  return diags;
}

namespace {

using Unit = Explainer::Unit;

Figure place_figure(Measure m, int i) { return {m, EntityKind::place, i, -1}; }

// Place i's fair share in delegation d: its (weighted) population over all places', or the
// share the delegation gives.
Explanation fair_share_of(Explainer& ex, std::size_t di, int i) {
  const Delegation& d = ex.sc.delegations[di];
  const Place& pl = ex.sc.places[static_cast<std::size_t>(i)];
  const double value = ex.p.delegation_fair[di](i);
  if (d.fair_basis == Delegation::FairBasis::shares)
    return ex.leaf(fmt::format("fair share of {}", pl.id), value, Unit::share,
                   fmt::format("delegations.{}.fair_share.{}", d.id, pl.id));
  const bool weighted = d.fair_basis == Delegation::FairBasis::weighted_population;
  double total = 0;
  for (const Place& q : ex.sc.places) total += weighted ? q.weighted() : q.population;
  const char* what = weighted ? "weighted population" : "population";
  Explanation e = Explainer::product(fmt::format("fair share of {}", pl.id), fmt::format("its {} / all places' {}", what, what));
  e.children.push_back(ex.leaf(fmt::format("{} of {}", what, pl.id), weighted ? pl.weighted() : pl.population,
                               Unit::factor,
                               fmt::format("places.{}.{}", pl.id, weighted && pl.weighted_population > 0
                                                                      ? "weighted_population" : "population")));
  e.children.push_back(ex.leaf(fmt::format("1 / all places' {} ({})", what, fmt::format("{:.1p}", Money{total})),
                               total > 0 ? 1 / total : 0, Unit::factor, "places"));
  return Explainer::pinned(std::move(e), value);
}

// The blended share of place i in delegation d in year t, down to its populations.
Explanation share_of(Explainer& ex, std::size_t di, int i, int t) {
  const Delegation& d = ex.sc.delegations[di];
  const Place& pl = ex.sc.places[static_cast<std::size_t>(i)];
  const std::string path = "delegations." + d.id;
  const double w = t == 0 ? (d.method == Delegation::Method::fair_share ? 1.0 : 0.0)
                   : d.method == Delegation::Method::hybrid ? d.glide(t)
                   : d.method == Delegation::Method::fair_share ? 1.0 : 0.0;
  Explanation e = Explainer::sum(fmt::format("{} share of {} in {}", pl.id, d.id, ex.sc.year(t)),
                                 "(1 - glide weight) x historic share + glide weight x fair share");
  Explanation h = Explainer::product("historic part", "(1 - glide weight) x historic share");
  h.children.push_back(ex.leaf("1 - glide weight", 1 - w, Unit::share, path + ".glide"));
  h.children.push_back(ex.leaf(fmt::format("historic share of {}", pl.id), ex.p.delegation_historic[di](i), Unit::share,
                               path + ".historic." + pl.id));
  Explanation f = Explainer::product("fair-share part", "glide weight x fair share");
  f.children.push_back(ex.leaf("glide weight", w, Unit::share, path + ".glide"));
  f.children.push_back(fair_share_of(ex, di, i));
  e.children.push_back(Explainer::total(std::move(h)));
  e.children.push_back(Explainer::total(std::move(f)));
  return Explainer::total(std::move(e));
}

}  // namespace

Explanation explain_place(Explainer& ex, const Figure& f, int t) {
  const int i = f.entity;
  switch (f.measure) {
    case Measure::place_budget: {
      Explanation e = Explainer::sum(ex.ref(f, t), "each delegation's envelope x the place's share, then floors, "
                                                   "caps and rounding to the penny");
      for (std::size_t di = 0; di < ex.sc.delegations.size(); ++di) {
        const Delegation& d = ex.sc.delegations[di];
        const double env = envelope(ex.sc, ex.p, d, t);
        Explanation part = Explainer::product(fmt::format("{} envelope x share", d.id), "envelope x blended share");
        if (d.level_up && t > 0) {
          // Last year's budget and its part of this year's growth, by shortfall against fair share.
          const Eigen::ArrayXd last = ex.p.delegation_budget[di].col(t - 1);
          const Eigen::ArrayXd wanted = level_up(last, ex.p.delegation_fair[di], env);
          part = Explainer::sum(fmt::format("{} budget after levelling up", d.id),
                                "last year's budget + its part of this year's growth, by shortfall against its fair share");
          part.children.push_back(ex.leaf("last year's budget", last(i), Unit::money, ""));
          part.children.push_back(ex.leaf(fmt::format("its part of the growth of {} (the envelope {} less last year's {})",
                                                      d.id, fmt::format("{:.2p}", Money{env, currency_symbol(ex.sc.currency)}),
                                                      fmt::format("{:.2p}", Money{last.sum(), currency_symbol(ex.sc.currency)})),
                                          wanted(i) - last(i), Unit::money, "delegations." + d.id + ".glide"));
        } else {
          part.children.push_back(ex.leaf(fmt::format("envelope of {}", d.id), env, Unit::money,
                                          "delegations." + d.id + ".envelope"));
          part.children.push_back(share_of(ex, di, i, t));
        }
        e.children.push_back(Explainer::total(std::move(part)));
      }
      double shares_total = 0;
      for (const Explanation& c : e.children) shares_total += c.value;
      Explanation adjust = ex.leaf("floors, caps, levelling up and rounding to the penny",
                                   ex.p.place_budget(i, t) - shares_total, Unit::money, "");
      e.children.push_back(std::move(adjust));
      return Explainer::pinned(std::move(e), ex.p.place_budget(i, t));
    }
    case Measure::place_target: {
      Explanation e = Explainer::sum(ex.ref(f, t), "each delegation's envelope x the place's fair share");
      for (std::size_t di = 0; di < ex.sc.delegations.size(); ++di) {
        const Delegation& d = ex.sc.delegations[di];
        Explanation part = Explainer::product(fmt::format("{} fair-share target", d.id), "envelope x fair share");
        part.children.push_back(ex.leaf(fmt::format("envelope of {}", d.id), envelope(ex.sc, ex.p, d, t), Unit::money,
                                        "delegations." + d.id + ".envelope"));
        part.children.push_back(ex.leaf("fair share", ex.p.delegation_fair[di](i), Unit::share,
                                        "delegations." + d.id + ".fair_share"));
        e.children.push_back(Explainer::total(std::move(part)));
      }
      return Explainer::pinned(std::move(e), ex.p.place_target(i, t));
    }
    case Measure::place_distance: {
      Explanation e = Explainer::sum(ex.ref(f, t), "budget - fair-share target");
      e.children.push_back(ex.figure(place_figure(Measure::place_budget, i), t));
      e.children.push_back(Explainer::with(ex.figure(place_figure(Measure::place_target, i), t), -1));
      return Explainer::pinned(std::move(e), ex.p.place_distance(i, t));
    }
    case Measure::place_distance_pct: {
      Explanation e = Explainer::product(ex.ref(f, t), "distance / target");
      e.children.push_back(ex.figure(place_figure(Measure::place_distance, i), t));
      const double target = ex.p.place_target(i, t);
      e.children.push_back(ex.leaf("1 / target", target != 0 ? 1 / target : 0, Unit::factor, ""));
      return Explainer::pinned(std::move(e), ex.p.place_distance_pct(i, t));
    }
    case Measure::place_gap: {
      Explanation e = Explainer::sum(ex.ref(f, t), "spend on the delegated services - budget");
      double delegated = 0;
      for (const Delegation& d : ex.sc.delegations)
        for (int s : d.services) {
          const double share = ex.p.service_place_shares[static_cast<std::size_t>(s)](i);
          Explanation c = ex.figure(Measure::net, s, t);
          c.label += fmt::format(" x {} share", percent_text(share));
          delegated += share * c.value;
          e.children.push_back(Explainer::with(std::move(c), share));
        }
      e.children.push_back(ex.leaf("savings of schemes rolled out by place, where they fall",
                                   ex.p.place_gap(i, t) + ex.p.place_budget(i, t) - delegated, Unit::money, ""));
      e.children.push_back(Explainer::with(ex.figure(place_figure(Measure::place_budget, i), t), -1));
      return Explainer::pinned(std::move(e), ex.p.place_gap(i, t));
    }
    default: {
      Explanation e = Explainer::sum(ex.ref(f, t), "each service's net spend x the place's share, with place "
                                                   "schemes' savings where they fall");
      double shared = 0;
      for (std::size_t s = 0; s < ex.sc.services.size(); ++s) {
        const Eigen::ArrayXd& shares = ex.p.service_place_shares[s];
        if (shares.size() == 0) continue;
        Explanation c = ex.figure(Measure::net, static_cast<int>(s), t);
        c.label += fmt::format(" x {} share", percent_text(shares(i)));
        shared += shares(i) * c.value;
        e.children.push_back(Explainer::with(std::move(c), shares(i)));
      }
      e.children.push_back(ex.leaf("savings of schemes rolled out by place, where they fall",
                                   ex.p.place_spend(i, t) - shared, Unit::money, ""));
      return Explainer::pinned(std::move(e), ex.p.place_spend(i, t));
    }
  }
}

Explanation explain_delegated(Explainer& ex, const Figure& f, int t) {
  Explanation e = Explainer::sum(ex.ref(f, t), "the envelopes of its delegations, to the penny");
  for (const Delegation& d : ex.sc.delegations) {
    if (d.partner != f.entity) continue;
    const std::string path = "delegations." + d.id + ".envelope";
    const double env = std::round(envelope(ex.sc, ex.p, d, t) * 100) / 100;
    Explanation c = Explainer::product(fmt::format("envelope of {}", d.id),
                                       d.envelope_is_share ? "its share x the funding it is drawn from"
                                                           : "its base-year money x the growth of the funding it is drawn from");
    c.children.push_back(ex.leaf(d.envelope_is_share ? "share" : "base-year envelope", d.envelope,
                                 d.envelope_is_share ? Unit::share : Unit::money, path));
    const double src = source(ex.sc, ex.p, d, t), src0 = source(ex.sc, ex.p, d, 0);
    if (d.envelope_is_share)
      c.children.push_back(ex.leaf("funding it is drawn from", src, Unit::money, ""));
    else
      c.children.push_back(ex.leaf("growth of that funding since the base year", src0 != 0 ? src / src0 : 1,
                                   Unit::factor, ""));
    e.children.push_back(Explainer::pinned(std::move(c), env));
  }
  return Explainer::pinned(std::move(e), ex.p.delegated(f.entity, t));
}

void bridge_place(const BridgeContext& b, int place, std::vector<BridgeStep>& steps) {
  const Index i = place;
  steps.push_back({"place budget", "budget", "", -(b.p.place_budget(i, b.to) - b.p.place_budget(i, b.from))});
  bridge_demand_and_inflation(b, steps);
  for (std::size_t k = 0; k < b.sc.schemes.size(); ++k) {
    const Scheme& sk = b.sc.schemes[k];
    const Index ki = static_cast<Index>(k);
    const bool by_place = b.p.scheme_place_saving[k].rows() > 0;
    auto effect = [&](int t) {
      // What it saves in this place: its part there, when rolled out by place (and its
      // service is delegated), otherwise the place's share of the whole.
      double e = by_place ? (b.weight(sk.service) != 0 ? -b.p.scheme_place_saving[k](i, t) : 0.0)
                          : -b.weight(sk.service) * b.p.scheme_saving(ki, t);
      if (sk.reprovide_service >= 0) e += b.weight(sk.reprovide_service) * b.p.scheme_reprovided(ki, t);
      if (sk.investment_service >= 0) e += b.weight(sk.investment_service) * b.p.scheme_investment(ki, t);
      if (sk.one_off_cost.size() > 0) e += b.weight(sk.service) * b.p.scheme_one_off_cost(ki, t);
      return e;
    };
    steps.push_back({"scheme " + sk.id, "scheme", sk.id, effect(b.to) - effect(b.from)});
  }
}

}  // namespace fundgap::stages
