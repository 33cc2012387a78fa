// Partners: spend E_p(t) (their shares of the services they fund and their net cost of
// each pool), the gap G_p(t) = E_p(t) - F_p(t) and its change from year to year; their
// explanations. Funding is in funding.cc, reserves in reserves.cc.
#include <algorithm>
#include <tuple>

#include <fmt/format.h>

#include "fundgap/base/quantity.h"
#include "stages.h"

namespace fundgap::stages {

using Eigen::Index;

void spend(const Scenario& sc, const std::vector<Engine::Share>& shares,
           const std::vector<std::pair<Index, Index>>& membership, const Projection& p, const Table& x,
           Table& pool_spend, Table& balance, Table& spend, std::vector<Table>& shared) {
  // The unpooled services by funding share, plus each pool's contribution less the
  // partner's share of its balance.
  const Index Y = x.cols();
  pool_spend.setZero();
  for (const auto& [q, s] : membership) {
    const double* __restrict in = row_data(x, s);
    double* __restrict out = row_data(pool_spend, q);
    for (Index t = 0; t < Y; ++t) out[t] += in[t];
  }
  balance = p.pool_contributions - pool_spend;
  spend.setZero();
  for (const Engine::Share& f : shares) {
    const double* __restrict in = row_data(x, f.service);
    double* __restrict out = row_data(spend, f.partner);
    for (Index t = 0; t < Y; ++t) out[t] += f.share * in[t];
  }
  shared.resize(static_cast<std::size_t>(balance.rows()));
  for (Index q = 0; q < balance.rows(); ++q) {
    const auto qi = static_cast<std::size_t>(q);
    spend += p.pool_partner_contribution[qi];
    const Pool& pool = sc.pools[qi];
    if (pool.linear()) {
      const double* __restrict v = row_data(balance, q);
      for (Index i = 0; i < spend.rows(); ++i) {
        const double rho = p.risk_share(q, i);
        double* __restrict out = row_data(spend, i);
        for (Index t = 0; t < Y; ++t) out[t] -= rho * v[t];
      }
      shared[qi].resize(0, balance.cols());
    } else {
      balance_shares(pool, p, qi, x, balance, q, shared[qi]);
      spend -= shared[qi];
    }
  }
}

void RowSums::add(Index row, Index from, double weight) {
  if (to.empty() || to.back() != row) {
    to.push_back(row);
    runs.push_back(runs.back());
  }
  terms.push_back({from, weight});
  ++runs.back();
}

SpendLanes spend_lanes_of(const Scenario& sc, const Projection& p, std::span<const Index> net) {
  SpendLanes out;
  const Index Y = p.net.cols(), P = p.spend.rows(), Q = p.pool_spend.rows();
  std::vector<char> moves(static_cast<std::size_t>(p.net.rows()), 0);
  for (Index s : net) moves[static_cast<std::size_t>(s)] = 1;
  std::vector<char> pool_moves(static_cast<std::size_t>(Q), 0), partner_moves(static_cast<std::size_t>(P), 0);
  SparseSpend all = sparse_spend(sc);
  // Each pool's members, each partner's shares, together in their order: what add_rows() reads.
  std::stable_sort(all.membership.begin(), all.membership.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::stable_sort(all.shares.begin(), all.shares.end(),
                   [](const Engine::Share& a, const Engine::Share& b) { return a.partner < b.partner; });
  out.pool_spend = Table::Zero(Q, Y);
  for (const auto& [q, s] : all.membership)
    if (moves[static_cast<std::size_t>(s)]) {
      out.members.add(q, s, 1.0);
      pool_moves[static_cast<std::size_t>(q)] = 1;
    } else {
      out.pool_spend.row(q) += p.net.row(s);
    }
  out.spend = Table::Zero(P, Y);
  for (const Engine::Share& f : all.shares)
    if (moves[static_cast<std::size_t>(f.service)]) {
      out.shares.add(f.partner, f.service, f.share);
      partner_moves[static_cast<std::size_t>(f.partner)] = 1;
    } else {
      out.spend.row(f.partner) += f.share * p.net.row(f.service);
    }
  // REQUIRES: every pool is linear().
  std::vector<std::tuple<Index, Index, double>> risk;  // (partner, pool, rho), partner by partner
  for (Index q = 0; q < Q; ++q) {
    out.spend += p.pool_partner_contribution[static_cast<std::size_t>(q)];
    for (Index i = 0; i < P; ++i) {
      const double rho = p.risk_share(q, i);
      if (!pool_moves[static_cast<std::size_t>(q)]) {
        out.spend.row(i) -= rho * p.pool_balance.row(q);
      } else if (rho != 0) {  // 0 x a finite balance adds nothing
        risk.emplace_back(i, q, rho);
        partner_moves[static_cast<std::size_t>(i)] = 1;
      }
    }
  }
  std::stable_sort(risk.begin(), risk.end(), [](const auto& a, const auto& b) { return std::get<0>(a) < std::get<0>(b); });
  for (const auto& [i, q, rho] : risk) out.risk.add(i, q, -rho);  // x - rho v is x + (-rho) v, exactly
  for (Index q = 0; q < Q; ++q)
    if (pool_moves[static_cast<std::size_t>(q)]) out.pools.push_back(q);
  for (Index i = 0; i < P; ++i)
    if (partner_moves[static_cast<std::size_t>(i)]) out.partners.push_back(i);
  return out;
}

FUNDGAP_LANES void add_rows(const RowSums& sums, const LaneTable& in, LaneTable& out) {
  // Four years of a row at a time, their sums in registers while each term is added: a
  // store and a load of the sum for each term would make each wait on the last.
  const std::size_t n = static_cast<std::size_t>(in.years) * kLanes, four = 4 * kLanes;
  const RowSums::Term* const terms = sums.terms.data();
  for (std::size_t r = 0; r < sums.to.size(); ++r) {
    const RowSums::Term *const first = terms + sums.runs[r], *const last = terms + sums.runs[r + 1];
    double* const row = out.at(sums.to[r], 0);
    std::size_t i = 0;
    for (; i + four <= n; i += four) {
      Lanes v0 = load(row + i), v1 = load(row + i + kLanes), v2 = load(row + i + 2 * kLanes),
            v3 = load(row + i + 3 * kLanes);
      for (const RowSums::Term* e = first; e < last; ++e) {
        const double* const x = in.at(e->from, 0) + i;
        const double w = e->weight;
        v0 += w * load(x);
        v1 += w * load(x + kLanes);
        v2 += w * load(x + 2 * kLanes);
        v3 += w * load(x + 3 * kLanes);
      }
      store(row + i, v0);
      store(row + i + kLanes, v1);
      store(row + i + 2 * kLanes, v2);
      store(row + i + 3 * kLanes, v3);
    }
    for (; i < n; i += kLanes) {
      Lanes v = load(row + i);
      for (const RowSums::Term* e = first; e < last; ++e) v += e->weight * load(in.at(e->from, 0) + i);
      store(row + i, v);
    }
  }
}

FUNDGAP_LANES void spend_lanes(const SpendLanes& s, const Projection& p, const LaneTable& x, LaneTable& pool_spend,
                               LaneTable& balance, LaneTable& spend) {
  // As spend(), lane by lane, from what stays. Rows by their first year's lanes, year t
  // kLanes on. Rows that no draw moves keep the values they were built with.
  const Index Y = x.years;
  const Lanes zero{};
  auto start = [&](const Table& constant, LaneTable& out, Index r) {
    double* row = out.at(r, 0);
    for (Index t = 0; t < Y; ++t) store(row + static_cast<std::size_t>(t) * kLanes, zero + constant(r, t));
  };
  for (Index q : s.pools) start(s.pool_spend, pool_spend, q);
  add_rows(s.members, x, pool_spend);
  for (Index q : s.pools) {
    const double* used = pool_spend.at(q, 0);
    double* v = balance.at(q, 0);
    for (Index t = 0; t < Y; ++t) {
      const std::size_t i = static_cast<std::size_t>(t) * kLanes;
      store(v + i, p.pool_contributions(q, t) - load(used + i));
    }
  }
  for (Index i : s.partners) start(s.spend, spend, i);
  add_rows(s.shares, x, spend);
  add_rows(s.risk, balance, spend);
}

FUNDGAP_LANES void gap_lanes(const LaneTable& spend, const LaneTable& funding, LaneTable& gap) {
  for (std::size_t i = 0; i < gap.v.size(); i += kLanes) store(&gap.v[i], load(&spend.v[i]) - load(&funding.v[i]));
}

namespace {

Explanation spend_of(Explainer& ex, int i, int t, bool do_nothing) {
  const std::string label = ex.ref({Measure::spend, EntityKind::partner, i}, t);
  Explanation e = Explainer::sum(do_nothing ? label + " with no schemes" : label,
                                 "its share of each service it funds + its net cost of each pool");
  for (const auto& [s, share] : ex.funded_by(i)) {
    Explanation c = ex.figure(do_nothing ? Measure::baseline : Measure::net, s, t);
    c.label += fmt::format(" x {} share", percent_text(share));
    e.children.push_back(Explainer::with(std::move(c), share));
  }
  for (std::size_t q = 0; q < ex.sc.pools.size(); ++q)
    if (ex.sc.pools[q].involves(i)) e.children.push_back(explain_pool_cost(ex, static_cast<int>(q), i, t, do_nothing));
  explain_place_transfers(ex, i, t, do_nothing, e);
  return Explainer::pinned(std::move(e), do_nothing ? ex.p.spend_do_nothing(i, t) : ex.p.spend(i, t));
}

}  // namespace

Explanation explain_spend(Explainer& ex, const Figure& f, int t) { return spend_of(ex, f.entity, t, false); }

Explanation explain_gap(Explainer& ex, const Figure& f, int t) {
  const bool do_nothing = f.measure == Measure::gap_do_nothing;
  Explanation e = Explainer::sum(ex.ref(f, t), do_nothing ? "spend with no schemes - funding" : "spend - funding");
  e.children.push_back(spend_of(ex, f.entity, t, do_nothing));
  e.children.push_back(Explainer::with(ex.figure(Measure::funding, f.entity, t), -1));
  return Explainer::pinned(std::move(e), do_nothing ? ex.p.gap_do_nothing(f.entity, t) : ex.p.gap(f.entity, t));
}

void gap_annual(Projection& p) {
  const Index Y = p.gap.cols();
  p.gap_annual.resize(p.gap.rows(), Y);
  p.gap_annual.col(0) = p.gap.col(0);
  for (Index t = 1; t < Y; ++t) p.gap_annual.col(t) = p.gap.col(t) - p.gap.col(t - 1);
}

Explanation explain_gap_annual(Explainer& ex, const Figure& f, int t) {
  if (t == 0) {
    Explanation e = Explainer::sum(ex.ref(f, t), "the base year's gap (the change from nothing)");
    e.children.push_back(ex.figure(Measure::gap, f.entity, 0));
    return Explainer::pinned(std::move(e), ex.p.gap_annual(f.entity, t));
  }
  Explanation e = Explainer::sum(ex.ref(f, t), "this year's gap - last year's");
  e.children.push_back(ex.figure(Measure::gap, f.entity, t));
  e.children.push_back(Explainer::with(ex.figure(Measure::gap, f.entity, t - 1), -1));
  return Explainer::pinned(std::move(e), ex.p.gap_annual(f.entity, t));
}

}  // namespace fundgap::stages
