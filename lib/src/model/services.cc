// Services: the baseline X_s(t) compounded from demand and inflation with the pressures
// added to it, and the net spend N_s(t) once schemes have acted; their explanations and
// the demand, inflation and pressure steps of the bridge.
#include <fmt/format.h>

#include "fundgap/base/quantity.h"
#include "stages.h"

namespace fundgap::stages {

using Eigen::Index;

namespace {

// The pressures on `sv` in year t: recurrent (they stay in the base) and one-off.
std::pair<double, double> pressures_in(const Service& sv, int t) {
  double recurrent = 0, one_off = 0;
  for (const Pressure& pr : sv.pressures) (pr.one_off ? one_off : recurrent) += pr.amounts(t);
  return {recurrent, one_off};
}

double growth_factor(const Service& sv, int t) { return stages::growth_factor(sv.demand(t), sv.inflation(t)); }
double grown(const Service& sv, double last, int t) { return stages::grown(last, sv.demand(t), sv.inflation(t)); }

}  // namespace

void baseline(const Scenario& sc, Projection& p, const Engine::Reach& reach) {
  // X_s(t) = X_s(t-1) (1 + demand) (1 + inflation); with pressures,
  // B(t) = B(t-1) (1 + demand)(1 + inflation) + recurrent(t) and X(t) = B(t) + one-off(t).
  const Index Y = sc.years();
  auto row = [&](Index s) {
    const Service& sv = sc.services[static_cast<std::size_t>(s)];
    p.baseline(s, 0) = sv.base;
    if (sv.pressures.empty()) {
      for (Index t = 1; t < Y; ++t) p.baseline(s, t) = grown(sv, p.baseline(s, t - 1), static_cast<int>(t));
      return;
    }
    p.pressures(s, 0) = 0;
    double recurrent_base = sv.base;
    for (Index t = 1; t < Y; ++t) {
      const auto [recurrent, one_off] = pressures_in(sv, static_cast<int>(t));
      recurrent_base = grown(sv, recurrent_base, static_cast<int>(t)) + recurrent;
      p.baseline(s, t) = recurrent_base + one_off;
      p.pressures(s, t) = recurrent + one_off;
    }
  };
  if (!reach.all) {
    for (Index s : reach.services) row(s);
    return;
  }
  if (p.pressures.rows() > 0) p.pressures.setZero();  // for the services without pressures
  for (Index s = 0; s < p.baseline.rows(); ++s) row(s);
}

void net(Projection& p, const Engine::Reach& reach) {
  if (reach.all) {
    p.net = p.baseline - p.savings + p.reprovided + p.investment;
    return;
  }
  const Index Y = p.net.cols();
  for (Index s : reach.net) {
    const double *x = row_data(p.baseline, s), *saved = row_data(p.savings, s), *back = row_data(p.reprovided, s),
                 *invested = row_data(p.investment, s);
    double* __restrict out = row_data(p.net, s);
    for (Index t = 0; t < Y; ++t) out[t] = net_of(x[t], saved[t], back[t], invested[t]);
  }
}

FUNDGAP_LANES void baseline_lanes(const std::vector<ServiceLanes>& rows, const LaneStore& in,
                                  LaneTable& baseline, LaneChecks& checks) {
  // A service's squares are summed on their own, then added to the block's: so that each
  // service's sum waits on its own growth, not on every service's before it.
  const Index Y = baseline.years;
  const LaneStore::Rows inputs = in.rows();
  Lanes squares = checks.squares[0];
  for (const ServiceLanes& r : rows) {
    double* out = baseline.at(r.service, 0);
    Lanes x = load(inputs.at(r.base));
    store(out, x);
    Lanes own = money_square(x);
    if (r.recurrent.empty() && r.steady && Y > 1) {
      // One growth factor for every year, worked out once: grown(), with it.
      const Lanes factor = growth_factor(load(inputs.at(r.demand[1])), load(inputs.at(r.inflation[1])));
      for (Index t = 1; t < Y; ++t) {
        x = x * factor;
        store(out + static_cast<std::size_t>(t) * kLanes, x);
        own += money_square(x);
      }
      squares += own;
      continue;
    }
    if (r.recurrent.empty()) {
      const int *demand = r.demand.data(), *inflation = r.inflation.data();
      for (Index t = 1; t < Y; ++t) {
        const auto ti = static_cast<std::size_t>(t);
        x = grown(x, load(inputs.at(demand[ti])), load(inputs.at(inflation[ti])));
        store(out + ti * kLanes, x);
        own += money_square(x);
      }
      squares += own;
      continue;
    }
    // With pressures: the spend that stays in the base, B, grows, and X = B + one-offs.
    Lanes kept = x;
    for (Index t = 1; t < Y; ++t) {
      const auto ti = static_cast<std::size_t>(t);
      Lanes recurrent{}, one_off{};
      for (int a : r.recurrent[ti]) recurrent += load(inputs.at(a));
      for (int a : r.one_off[ti]) one_off += load(inputs.at(a));
      kept = grown(kept, load(inputs.at(r.demand[ti])), load(inputs.at(r.inflation[ti]))) + recurrent;
      const Lanes v = kept + one_off;
      store(out + ti * kLanes, v);
      own += money_square(v);
    }
    squares += own;
  }
  checks.squares[0] = squares;
}

FUNDGAP_LANES void net_lanes(std::span<const Index> rows, const LaneTable& baseline, const LaneSums& landed,
                             LaneTable& scratch, LaneTable& net, LaneChecks& checks) {
  // A service's sums are as land() in schemes() adds them: 0 + each term in file order. A
  // service whose sums have at most two terms each adds them where it reads them: 0 + the
  // first + the second, a missing term read from the row of zeros (0 + t is never -0, so
  // adding +0 to it changes nothing, and 0 + 0 + 0 is the +0 of a sum of none); with no
  // term at all, nothing is read. One with more adds its sums up into the rows of `scratch`
  // first, just before its net spend reads them back from the L1 cache. The checks ride
  // along while the figures they read are in registers. (Addresses in locals: a store
  // through a double* could otherwise be to the vectors holding them.)
  const std::size_t n = static_cast<std::size_t>(baseline.years) * kLanes;
  const std::size_t* const offsets = landed.offsets.data();
  const double* const* const terms = landed.terms.data();
  double* const work = scratch.at(0, 0);
  const double* const zeros = scratch.at(3, 0);
  Lanes most = checks.most_over, net_squares = checks.squares[1];
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const double* const x = baseline.at(rows[i], 0);
    double* const out = net.at(rows[i], 0);
    // Its net spend from `sums`: sum j is 0 + sums[j][0] + ... + sums[j][T - 1], and 0 with T = 0;
    // T = -1: sums[j][0] is the sum.
    auto net_of_rows = [&](const double* const (&sums)[3][2], auto terms_of_sum) {
      constexpr int T = decltype(terms_of_sum)::value;
      auto sum = [&](std::size_t j, std::size_t at) {
        if constexpr (T < 0) return load(sums[j][0] + at);
        else if constexpr (T == 0) return Lanes{};
        else if constexpr (T == 1) return 0.0 + load(sums[j][0] + at);
        else return (0.0 + load(sums[j][0] + at)) + load(sums[j][1] + at);
      };
      for (std::size_t at = 0; at < n; at += kLanes) {
        const Lanes spend = load(x + at);
        const Lanes saving = sum(0, at);
        const Lanes v = net_of(spend, saving, sum(1, at), sum(2, at));
        store(out + at, v);
        const Lanes over = overspend_margin(saving, spend);
        most = most < over ? over : most;
        net_squares += money_square(v);
      }
    };
    const std::size_t* const k = offsets + 3 * i;
    const std::size_t most_terms = std::max({k[1] - k[0], k[2] - k[1], k[3] - k[2]});
    if (most_terms <= 2) {
      const double* sums[3][2];
      for (std::size_t j = 0; j < 3; ++j)
        for (std::size_t e = 0; e < 2; ++e) sums[j][e] = k[j] + e < k[j + 1] ? terms[k[j] + e] : zeros;
      if (most_terms == 0) net_of_rows(sums, std::integral_constant<int, 0>{});
      else if (most_terms == 1) net_of_rows(sums, std::integral_constant<int, 1>{});
      else net_of_rows(sums, std::integral_constant<int, 2>{});
      continue;
    }
    const double* sums[3][2] = {};
    for (std::size_t j = 0; j < 3; ++j) {
      const std::size_t first = k[j], last = k[j + 1];
      if (first == last) {
        sums[j][0] = zeros;
        continue;
      }
      double* const o = work + j * n;
      sums[j][0] = o;
      for (std::size_t at = 0; at < n; at += kLanes) {
        Lanes v = 0.0 + load(terms[first] + at);
        for (std::size_t e = first + 1; e < last; ++e) v += load(terms[e] + at);
        store(o + at, v);
      }
    }
    net_of_rows(sums, std::integral_constant<int, -1>{});
  }
  checks.most_over = most;
  checks.squares[1] = net_squares;
}

namespace {

// B(t), the spend that stays in the base: the base-year spend compounded, with each
// year's recurrent pressures added after that year's growth.
Explanation recurrent_spend(Explainer& ex, int s, int t) {
  using Unit = Explainer::Unit;
  const Service& sv = ex.sc.services[static_cast<std::size_t>(s)];
  const std::string path = "services." + sv.id;
  if (t == 0) return ex.leaf(fmt::format("{} base-year spend", sv.id), sv.base, Unit::money, path + ".base");
  Explanation e = Explainer::sum(fmt::format("{} recurrent spend {}", sv.id, ex.sc.year(t)),
                                 "last year's grown by demand and inflation + this year's recurrent pressures");
  Explanation grown = Explainer::product(fmt::format("{} recurrent spend {}, grown", sv.id, ex.sc.year(t - 1)),
                                         "last year's x (1 + demand) x (1 + inflation)");
  grown.children.push_back(recurrent_spend(ex, s, t - 1));
  for (const auto& [name, values] : {std::pair{"demand", &sv.demand}, std::pair{"inflation", &sv.inflation}}) {
    const double r = (*values)(t);
    if (r != 0)
      grown.children.push_back(ex.leaf(fmt::format("1 + {} {} ({})", name, percent_text(r), ex.sc.year(t)), 1 + r,
                                       Unit::factor, fmt::format("{}.{}[{}]", path, name, ex.sc.year(t))));
  }
  e.children.push_back(Explainer::total(std::move(grown)));
  for (const Pressure& pr : sv.pressures)
    if (!pr.one_off && pr.amounts(t) != 0)
      e.children.push_back(ex.leaf(fmt::format("pressure {} ({})", pr.id, ex.sc.year(t)), pr.amounts(t), Unit::money,
                                   fmt::format("{}.pressures.{}.amounts[{}]", path, pr.id, ex.sc.year(t))));
  return Explainer::total(std::move(e));
}

}  // namespace

Explanation explain_baseline(Explainer& ex, const Figure& f, int t) {
  const Service& sv = ex.sc.services[static_cast<std::size_t>(f.entity)];
  const std::string path = "services." + sv.id;
  if (sv.pressures.empty())
    return Explainer::pinned(ex.compounded(ex.ref(f, t), sv.base, path + ".base",
                                           {{path + ".demand", &sv.demand}, {path + ".inflation", &sv.inflation}}, t),
                             ex.p.baseline(f.entity, t));
  Explanation e = Explainer::sum(ex.ref(f, t), "recurrent spend + this year's one-off pressures");
  e.children.push_back(recurrent_spend(ex, f.entity, t));
  for (const Pressure& pr : sv.pressures)
    if (pr.one_off && t > 0 && pr.amounts(t) != 0)
      e.children.push_back(ex.leaf(fmt::format("one-off pressure {} ({})", pr.id, ex.sc.year(t)), pr.amounts(t),
                                   Explainer::Unit::money,
                                   fmt::format("{}.pressures.{}.amounts[{}]", path, pr.id, ex.sc.year(t))));
  return Explainer::pinned(std::move(e), ex.p.baseline(f.entity, t));
}

Explanation explain_pressures(Explainer& ex, const Figure& f, int t) {
  const Service& sv = ex.sc.services[static_cast<std::size_t>(f.entity)];
  Explanation e = Explainer::sum(ex.ref(f, t), "the money each pressure adds this year");
  for (const Pressure& pr : sv.pressures)
    if (t > 0)
      e.children.push_back(ex.leaf(fmt::format("{}{}", pr.id, pr.one_off ? " (one-off)" : ""), pr.amounts(t),
                                   Explainer::Unit::money,
                                   fmt::format("services.{}.pressures.{}.amounts[{}]", sv.id, pr.id, ex.sc.year(t))));
  return Explainer::pinned(std::move(e), ex.p.pressures(f.entity, t));
}

Explanation explain_net(Explainer& ex, const Figure& f, int t) {
  Explanation e = Explainer::sum(ex.ref(f, t), "baseline - savings + re-provided + investment");
  e.children.push_back(ex.figure(Measure::baseline, f.entity, t));
  e.children.push_back(Explainer::with(ex.figure(Measure::savings, f.entity, t), -1));
  e.children.push_back(ex.figure(Measure::reprovided, f.entity, t));
  e.children.push_back(ex.figure(Measure::investment, f.entity, t));
  return Explainer::pinned(std::move(e), ex.p.net(f.entity, t));
}

void bridge_demand_and_inflation(const BridgeContext& b, std::vector<BridgeStep>& steps) {
  // Baseline change, demand first: X(to) = X(from) D I, with D and I the compounded
  // demand and inflation factors; demand contributes X(from)(D - 1), inflation the rest.
  // With pressures, the spend that stays in the base B(from) = X(from) - one-off(from) grows
  // by D and I, and the pressures step is what they add: the recurrent ones of the years
  // after `from` grown to `to`, plus the one-offs of `to`, less those of `from`.
  double demand = 0, inflation = 0, pressures = 0;
  bool any_pressures = false;
  for (std::size_t s = 0; s < b.sc.services.size(); ++s) {
    const Service& sv = b.sc.services[s];
    const Index si = static_cast<Index>(s);
    double d = 1;
    for (int t = b.from + 1; t <= b.to; ++t) d *= 1 + sv.demand(t);
    const double x0 = b.p.baseline(si, b.from), x1 = b.p.baseline(si, b.to);
    if (sv.pressures.empty()) {
      demand += b.weight(si) * x0 * (d - 1);
      inflation += b.weight(si) * (x1 - x0 * d);
      continue;
    }
    any_pressures = true;
    double added = 0;  // recurrent pressures after `from`, grown to `to`
    for (int t = b.from + 1; t <= b.to; ++t) added = added * growth_factor(sv, t) + pressures_in(sv, t).first;
    const double one_off_from = b.from > 0 ? pressures_in(sv, b.from).second : 0;
    const double one_off_to = pressures_in(sv, b.to).second;
    const double kept = x0 - one_off_from;
    demand += b.weight(si) * kept * (d - 1);
    inflation += b.weight(si) * (x1 - one_off_to - added - kept * d);
    pressures += b.weight(si) * (added + one_off_to - one_off_from);
  }
  steps.push_back({"demand growth", "demand", "", demand});
  steps.push_back({"inflation", "inflation", "", inflation});
  if (any_pressures) steps.push_back({"pressures", "pressures", "", pressures});
}

}  // namespace fundgap::stages
