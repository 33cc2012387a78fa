// Schemes: each scheme's saving S_k(t) = c_k r_k(t - t0_k) (f_k X_s(t) or A_k), the share
// re-provided elsewhere and the investment it carries, with their sums by service; the
// check that savings stay within spend; explanations; each scheme's bridge step.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "fundgap/base/money.h"
#include "fundgap/base/quantity.h"
#include "stages.h"

namespace fundgap::stages {

using Eigen::Index;

void schemes(const Scenario& sc, Projection& p, const Engine::Reach& reach, const Engine::Landings& landings) {
  const Index Y = sc.years();
  const bool one_off_costs = p.scheme_one_off_cost.rows() > 0;
  // Each scheme's own figures, every year.
  auto figures = [&](Index k) {
    const Scheme& sk = sc.schemes[static_cast<std::size_t>(k)];
    const Table* by_place = p.scheme_place_saving[static_cast<std::size_t>(k)].rows() > 0
                                ? &p.scheme_place_saving[static_cast<std::size_t>(k)]
                                : nullptr;
    double* saving = row_data(p.scheme_saving, k);
    double* reprovided = row_data(p.scheme_reprovided, k);
    const bool reprovides = sk.reprovide_service >= 0;
    const double* spend = row_data(p.baseline, sk.service);
    for (Index t = 0; t < Y; ++t) {
      const double v = by_place ? (t >= 1 ? by_place->col(t).sum() : 0.0)
                                : scheme_saving_at(sk, spend[t], static_cast<int>(t), sk.start);
      saving[t] = v;
      reprovided[t] = reprovides ? sk.reprovide_share * v : 0;
    }
    double* investment = row_data(p.scheme_investment, k);
    const int from = sk.investment_start < 0 ? sk.start : sk.investment_start;
    const bool invests = sk.investment_service >= 0;
    for (Index t = 0; t < Y; ++t) investment[t] = invests && t >= from ? sk.investment_ramp_at(static_cast<int>(t)) * sk.investment : 0;
    if (one_off_costs) {
      double* cost = row_data(p.scheme_one_off_cost, k);
      const bool costs = sk.one_off_cost.size() > 0;
      for (Index t = 0; t < Y; ++t) cost[t] = costs && t >= 1 ? sk.one_off_cost(static_cast<int>(t)) : 0;
    }
  };
  // A service's three sums, each 0 + the figures landing on it in file order. A sum
  // with nothing landing on it is 0, written by the run of every row and never changed.
  Table* const sums[] = {&p.savings, &p.reprovided, &p.investment};
  auto land = [&](Index s) {
    for (std::size_t j = 0; j < 3; ++j) {
      const std::size_t at = 3 * static_cast<std::size_t>(s) + j, first = landings.offsets[at],
                        last = landings.offsets[at + 1];
      double* __restrict out = row_data(*sums[j], s);
      if (first == last) {
        if (reach.all) std::fill_n(out, Y, 0.0);
        continue;
      }
      for (std::size_t e = first; e < last; ++e) {
        const Engine::Landing& l = landings.entries[e];
        const double* __restrict in = row_data(p.*l.figure, l.scheme);
        if (e == first)
          for (Index t = 0; t < Y; ++t) out[t] = 0.0 + in[t];
        else
          for (Index t = 0; t < Y; ++t) out[t] += in[t];
      }
    }
  };
  if (reach.all) {
    place_savings(sc, p);
    for (Index k = 0; k < p.scheme_saving.rows(); ++k) figures(k);
    for (Index s = 0; s < p.savings.rows(); ++s) land(s);
    return;
  }
  for (Index k : reach.schemes) figures(k);
  for (Index s : reach.net) land(s);
}

FUNDGAP_LANES void schemes_lanes(const Scenario& sc, const std::vector<SchemeLanes>& rows, const LaneStore& in,
                                 const LaneTable& baseline, SchemeLaneTables& out) {
  const Index Y = baseline.years;
  const bool one_off_costs = out.one_off_cost.rows > 0;
  const Lanes zero{};
  const LaneStore::Rows inputs = in.rows();
  for (const SchemeLanes& r : rows) {
    const Scheme& sk = sc.schemes[static_cast<std::size_t>(r.scheme)];
    const bool reprovides = sk.reprovide_service >= 0, invests = sk.investment_service >= 0;
    const bool absolute = sk.absolute, efficiency = sk.efficiency, has_amounts = sk.has_amounts;
    const int start = sk.start, from = sk.investment_start < 0 ? sk.start : sk.investment_start;
    const Lanes saving = load(inputs.at(r.saving)), confidence = load(inputs.at(r.confidence)),
                share = load(inputs.at(r.reprovide_share)), investment = load(inputs.at(r.investment));
    const int *ramp = r.ramp.data(), *amount = r.amount.data(), *investment_ramp = r.investment_ramp.data(),
              *one_off_cost = r.one_off_cost.data();
    const double* spend = baseline.at(sk.service, 0);
    double *saved = out.saving.at(r.scheme, 0), *back = out.reprovided.at(r.scheme, 0),
           *invested = r.investment_moves ? out.investment.at(r.scheme, 0) : nullptr,
           *cost = one_off_costs && r.one_off_cost_moves ? out.one_off_cost.at(r.scheme, 0) : nullptr;
    // A scheme saves and re-provides nothing before its start, invests nothing before its
    // investment's, and costs nothing in a year without a one-off cost, in any draw: those
    // years keep the run's zeros (a share, 0 to 100%, times 0 is +0 there as here).
    for (Index t = start; t < Y; ++t) {
      const auto ti = static_cast<std::size_t>(t);
      const std::size_t at = ti * kLanes;
      const Lanes v = scheme_saving(absolute, efficiency, has_amounts, saving,
                                    has_amounts ? load(inputs.at(amount[ti])) : zero, confidence,
                                    load(inputs.at(ramp[ti])), load(spend + at), static_cast<int>(t) - start + 1);
      store(saved + at, v);
      store(back + at, reprovides ? share * v : zero);
    }
    if (invested && invests)
      for (Index t = from; t < Y; ++t)
        store(invested + static_cast<std::size_t>(t) * kLanes,
              load(inputs.at(investment_ramp[static_cast<std::size_t>(t)])) * investment);
    if (cost)
      for (Index t = 1; t < Y; ++t)
        if (one_off_cost[t] >= 0) store(cost + static_cast<std::size_t>(t) * kLanes, load(inputs.at(one_off_cost[t])));
  }
}

LaneSums lane_sums(std::span<const Index> net, const Engine::Landings& landings, const SchemeLaneTables& figures) {
  LaneSums out;
  for (Index s : net)
    for (std::size_t j = 0; j < 3; ++j) {
      const std::size_t at = 3 * static_cast<std::size_t>(s) + j;
      for (std::size_t e = landings.offsets[at]; e < landings.offsets[at + 1]; ++e)
        out.terms.push_back(figures.of(landings.entries[e].figure).at(landings.entries[e].scheme, 0));
      out.offsets.push_back(out.terms.size());
    }
  return out;
}

void overspent_lanes(const LaneChecks& checks, char* bad) {
  for (std::size_t j = 0; j < kLanes; ++j) bad[j] |= checks.most_over[j] > 0;
}

std::vector<Overspend> overspends(const Scenario& sc, const Projection& p, const Engine::Reach& reach) {
  std::vector<Overspend> out;
  const Index S = p.baseline.rows(), Y = p.baseline.cols(), K = p.scheme_saving.rows();
  auto rows = [&](const auto& each) {
    if (reach.all)
      for (Index s = 0; s < S; ++s) each(s);
    else
      for (Index s : reach.net) each(s);
  };
  Index over = 0;  // counted rather than tested, so that the loop has no branch
  rows([&](Index s) {
    const double *saving = row_data(p.savings, s), *spend = row_data(p.baseline, s);
    for (Index t = 0; t < Y; ++t) over += overspend_margin(saving[t], spend[t]) > 0;
  });
  if (over == 0) return out;
  rows([&](Index s) {
    for (Index t = 0; t < Y; ++t) {
      const double spend = p.baseline(s, t);
      if (!(overspend_margin(p.savings(s, t), spend) > 0)) continue;  // as the count above has it
      // The scheme whose saving tips the running total (in file order) over the spend.
      double running = 0;
      int culprit = -1;
      for (Index k = 0; k < K && culprit < 0; ++k) {
        if (sc.schemes[static_cast<std::size_t>(k)].service != s) continue;
        running += p.scheme_saving(k, t);
        if (overspend_margin(running, spend) > 0) culprit = static_cast<int>(k);
      }
      out.push_back({static_cast<int>(s), static_cast<int>(t), culprit, p.savings(s, t), spend});
      return;
    }
  });
  return out;
}

namespace {

std::string ramp_label(const Scheme& sk, int t) { return fmt::format("ramp, year {} of the scheme", t - sk.start + 1); }

}  // namespace

Explanation explain_scheme(Explainer& ex, const Figure& f, int t) {
  using Unit = Explainer::Unit;
  const int k = f.entity;
  const Scheme& sk = ex.sc.schemes[static_cast<std::size_t>(k)];
  const std::string path = "schemes." + sk.id;
  if (f.measure == Measure::scheme_one_off_cost) {
    Explanation e = ex.leaf(ex.ref(f, t), ex.p.scheme_one_off_cost(k, t), Unit::money,
                            fmt::format("{}.one_off_cost[{}]", path, ex.sc.year(t)));
    if (ex.p.scheme_one_off_cost(k, t) == 0) e.formula = "no one-off cost this year";
    return e;
  }
  const int start = f.measure == Measure::scheme_investment && sk.investment_start >= 0 ? sk.investment_start : sk.start;
  if (t < start) {
    Explanation e = ex.leaf(ex.ref(f, t), 0, Unit::money,
                            path + (start == sk.start ? ".start" : ".investment.start"));
    e.formula = fmt::format("0: the {} starts in {}", start == sk.start ? "scheme" : "investment", ex.sc.year(start));
    return e;
  }
  if (f.measure == Measure::scheme_saving && !sk.place_start.empty()) {
    // Rolled out by place: in each place where it has started, the place's share of the
    // saving it would make on the whole service from its start there.
    Explanation e = Explainer::sum(ex.ref(f, t), "each place's share x the saving from the year it starts there");
    const Eigen::ArrayXd& shares = ex.p.service_place_shares[static_cast<std::size_t>(sk.service)];
    for (std::size_t i = 0; i < sk.place_start.size(); ++i) {
      const int from = sk.place_start[i];
      if (from < 0 || t < from) continue;
      const std::string& place = ex.sc.places[i].id;
      Explanation c = Explainer::product(fmt::format("in {} (from {})", place, ex.sc.year(from)), "place share x saving");
      c.children.push_back(ex.leaf(fmt::format("share of {} in {}", ex.sc.services[static_cast<std::size_t>(sk.service)].id,
                                               place),
                                   shares(static_cast<Index>(i)), Unit::share, path + ".places." + place));
      c.children.push_back(ex.leaf(fmt::format("confidence x ramp (year {} there) x saving at full effect on all of it",
                                               t - from + 1),
                                   scheme_saving_at(sk, ex.p.baseline(sk.service, t), t, from), Unit::money, path));
      e.children.push_back(Explainer::total(std::move(c)));
    }
    return Explainer::pinned(std::move(e), ex.p.scheme_saving(k, t));
  }
  if (f.measure == Measure::scheme_saving) {
    Explanation e = Explainer::product(ex.ref(f, t), sk.efficiency     ? "confidence x ramp x compounded efficiency x baseline"
                                                     : sk.has_amounts || sk.absolute ? "confidence x ramp x amount"
                                                                                     : "confidence x ramp x share x baseline");
    e.children.push_back(ex.leaf("confidence", sk.confidence, Unit::share, path + ".confidence"));
    e.children.push_back(ex.leaf(ramp_label(sk, t), sk.ramp_at(t), Unit::share, path + ".ramp"));
    if (sk.efficiency) {
      const int n = t - sk.start + 1;
      e.children.push_back(ex.leaf(fmt::format("efficiency {} a year, compounded over {} year{}: 1 - (1 - e)^{}",
                                               percent_text(sk.saving), n, n == 1 ? "" : "s", n),
                                   1 - std::pow(1 - sk.saving, n), Unit::share, path + ".efficiency"));
      e.children.push_back(ex.figure(Measure::baseline, sk.service, t));
    } else if (sk.has_amounts) {
      e.children.push_back(ex.leaf(fmt::format("saving in {} at full effect", ex.sc.year(t)), sk.amounts(t), Unit::money,
                                   fmt::format("{}.saving[{}]", path, ex.sc.year(t))));
    } else if (sk.absolute) {
      e.children.push_back(ex.leaf("saving at full effect", sk.saving, Unit::money, path + ".saving"));
    } else {
      e.children.push_back(ex.leaf("saving, share of spend", sk.saving, Unit::share, path + ".saving"));
      e.children.push_back(ex.figure(Measure::baseline, sk.service, t));
    }
    return Explainer::pinned(std::move(e), ex.p.scheme_saving(k, t));
  }
  if (f.measure == Measure::scheme_reprovided) {
    Explanation e = Explainer::product(ex.ref(f, t), "re-provided share x saving");
    e.children.push_back(ex.leaf("re-provided share", sk.reprovide_share, Unit::share, path + ".reprovide.share"));
    e.children.push_back(ex.figure(Measure::scheme_saving, k, t));
    return Explainer::pinned(std::move(e), ex.p.scheme_reprovided(k, t));
  }
  Explanation e = Explainer::product(ex.ref(f, t), "ramp x investment at full effect");
  e.children.push_back(ex.leaf(start == sk.start ? ramp_label(sk, t)
                                                : fmt::format("ramp, year {} of the investment", t - start + 1),
                               sk.investment_ramp_at(t), Unit::share, path + (sk.investment_ramp.empty() ? ".ramp" : ".investment.ramp")));
  e.children.push_back(ex.leaf("investment at full effect", sk.investment_service < 0 ? 0 : sk.investment, Unit::money,
                               path + ".investment.amount"));
  return Explainer::pinned(std::move(e), ex.p.scheme_investment(k, t));
}

Explanation explain_service_schemes(Explainer& ex, const Figure& f, int t) {
  const int s = f.entity;
  const Measure m = f.measure;
  Explanation e = Explainer::sum(ex.ref(f, t), m == Measure::savings      ? "the sum of the schemes' savings on it"
                                               : m == Measure::reprovided ? "the sum of the schemes' re-provision into it"
                                                                          : "the sum of the schemes' investment into it");
  for (const int ki : ex.schemes_touching(s)) {
    const Scheme& sk = ex.sc.schemes[static_cast<std::size_t>(ki)];
    if (m == Measure::savings && sk.service == s) e.children.push_back(ex.figure(Measure::scheme_saving, ki, t));
    if (m == Measure::reprovided && sk.reprovide_service == s)
      e.children.push_back(ex.figure(Measure::scheme_reprovided, ki, t));
    if (m == Measure::investment && sk.investment_service == s)
      e.children.push_back(ex.figure(Measure::scheme_investment, ki, t));
    if (m == Measure::investment && sk.service == s && sk.one_off_cost.size() > 0)
      e.children.push_back(ex.figure(Measure::scheme_one_off_cost, ki, t));
  }
  const Table& sums = m == Measure::savings ? ex.p.savings : m == Measure::reprovided ? ex.p.reprovided
                                                                                              : ex.p.investment;
  return Explainer::pinned(std::move(e), sums(s, t));
}

void bridge_schemes(const BridgeContext& b, std::vector<BridgeStep>& steps) {
  for (std::size_t k = 0; k < b.sc.schemes.size(); ++k) {
    const Scheme& sk = b.sc.schemes[k];
    const Index ki = static_cast<Index>(k);
    auto effect = [&](int t) {
      double e = -b.weight(sk.service) * b.p.scheme_saving(ki, t);
      if (sk.reprovide_service >= 0) e += b.weight(sk.reprovide_service) * b.p.scheme_reprovided(ki, t);
      if (sk.investment_service >= 0) e += b.weight(sk.investment_service) * b.p.scheme_investment(ki, t);
      if (sk.one_off_cost.size() > 0) e += b.weight(sk.service) * b.p.scheme_one_off_cost(ki, t);
      return e;
    };
    steps.push_back({"scheme " + sk.id, "scheme", sk.id, effect(b.to) - effect(b.from)});
  }
}

Diagnostics overspend_diagnostics(const Scenario& sc, const std::vector<Overspend>& overspends) {
  Diagnostics d;
  const std::string symbol = currency_symbol(sc.currency);
  for (const Overspend& o : overspends) {
    const std::string culprit = o.scheme >= 0 ? sc.schemes[static_cast<std::size_t>(o.scheme)].id : "";
    const auto [saved, available] = distinguishable(Money{o.savings, symbol}, Money{o.spend, symbol});
    d.error(sc.origin("schemes." + culprit + ".saving"), "savings on service '{}' in {} ({}) exceed its projected spend ({})",
            sc.services[static_cast<std::size_t>(o.service)].id, sc.year(o.year), saved, available);
  }
  return d;
}

}  // namespace fundgap::stages
