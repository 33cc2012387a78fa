#include "fundgap/projection.h"

#include "values.h"

namespace fundgap {

namespace {

using Eigen::ArrayXd;
using Eigen::ArrayXXd;
using Eigen::Index;

template <typename T>
const T& at(const std::vector<T>& v, Index i) {
  return v[static_cast<std::size_t>(i)];
}

// Reports the first year, per service, in which savings exceed the baseline, at the
// scheme whose saving tips the running total (in file order) over the spend.
void check_savings(const Scenario& sc, const Projection& p) {
  const Index S = p.baseline.rows(), Y = p.baseline.cols(), K = p.scheme_saving.rows();
  Diagnostics over;
  for (Index s = 0; s < S; ++s) {
    for (Index t = 0; t < Y; ++t) {
      const double spend = p.baseline(s, t);
      if (p.savings(s, t) <= spend * (1 + 1e-12)) continue;
      double running = 0;
      std::string culprit;
      for (Index k = 0; k < K && culprit.empty(); ++k) {
        if (at(sc.schemes, k).service != s) continue;
        running += p.scheme_saving(k, t);
        if (running > spend * (1 + 1e-12)) culprit = at(sc.schemes, k).id;
      }
      const auto [saved, available] = detail::money_pair(p.savings(s, t), spend, detail::currency_symbol(sc.currency));
      over.error(sc.origin("schemes." + culprit + ".saving"),
                 "savings on service '{}' in {} ({}) exceed its projected spend ({})", at(sc.services, s).id,
                 sc.year(static_cast<int>(t)), saved, available);
      break;
    }
  }
  if (!over.empty()) throw InputError(over);
}

}  // namespace

Engine::Engine(const Scenario& sc) {
  const Index S = static_cast<Index>(sc.services.size());
  for (Index s = 0; s < S; ++s) {
    const Service& sv = at(sc.services, s);
    if (sv.pool >= 0)
      membership_.emplace_back(sv.pool, s);
    else
      for (const FundingShare& f : sv.funders) shares_.push_back({f.partner, s, f.share});
  }
}

void Engine::run(const Scenario& sc, Projection& p, bool do_nothing) const {
  const Index Y = sc.years();
  const Index S = static_cast<Index>(sc.services.size()), K = static_cast<Index>(sc.schemes.size());
  const Index P = static_cast<Index>(sc.partners.size()), Q = static_cast<Index>(sc.pools.size());
  // resize() keeps the storage when the size is unchanged: no allocation after the first run.
  for (ArrayXXd* a : {&p.baseline, &p.savings, &p.reprovided, &p.investment, &p.net}) a->resize(S, Y);
  for (ArrayXXd* a : {&p.scheme_saving, &p.scheme_reprovided, &p.scheme_investment}) a->resize(K, Y);
  for (ArrayXXd* a : {&p.funding, &p.spend, &p.gap, &p.spend_do_nothing, &p.gap_do_nothing}) a->resize(P, Y);
  for (ArrayXXd* a : {&p.pool_contributions, &p.pool_spend, &p.pool_balance, &p.pool_balance_do_nothing})
    a->resize(Q, Y);
  p.risk_share.resize(Q, P);
  p.pool_partner_contribution.resize(static_cast<std::size_t>(Q));

  // Baseline: X_s(t) = X_s(t-1) (1 + demand) (1 + inflation), a year (column) at a
  // time so that it vectorises across services.
  for (Index s = 0; s < S; ++s) {
    const Service& sv = at(sc.services, s);
    p.baseline(s, 0) = sv.base;
    for (Index t = 1; t < Y; ++t) p.baseline(s, t) = (1 + sv.demand(t)) * (1 + sv.inflation(t));
  }
  for (Index t = 1; t < Y; ++t) p.baseline.col(t) *= p.baseline.col(t - 1);

  // Schemes.
  p.savings.setZero();
  p.reprovided.setZero();
  p.investment.setZero();
  p.scheme_saving.setZero();
  p.scheme_reprovided.setZero();
  p.scheme_investment.setZero();
  for (Index k = 0; k < K; ++k) {
    const Scheme& sk = at(sc.schemes, k);
    for (int t = sk.start; t < Y; ++t) {
      const Index ti = t;
      const double full = sk.absolute ? sk.saving : sk.saving * p.baseline(sk.service, ti);
      const double saving = sk.confidence * sk.ramp_at(t) * full;
      p.scheme_saving(k, ti) = saving;
      p.savings(sk.service, ti) += saving;
      if (sk.reprovide_service >= 0) {
        p.scheme_reprovided(k, ti) = sk.reprovide_share * saving;
        p.reprovided(sk.reprovide_service, ti) += p.scheme_reprovided(k, ti);
      }
      if (sk.investment_service >= 0) {
        p.scheme_investment(k, ti) = sk.investment_ramp_at(t) * sk.investment;
        p.investment(sk.investment_service, ti) += p.scheme_investment(k, ti);
      }
    }
  }
  if ((p.savings > p.baseline * (1 + 1e-12)).any()) check_savings(sc, p);
  p.net = p.baseline - p.savings + p.reprovided + p.investment;

  // Funding: F_p(t) = F_p(t-1) (1 + growth).
  for (Index i = 0; i < P; ++i) {
    const Partner& pt = at(sc.partners, i);
    double f = pt.funding_base;
    p.funding(i, 0) = f;
    for (Index t = 1; t < Y; ++t) {
      f *= 1 + pt.growth(t);
      p.funding(i, t) = f;
    }
  }

  // Pools: contributions grow at the pool's rate; risk shares by the pool's rule.
  p.risk_share.setZero();
  for (Index q = 0; q < Q; ++q) {
    const Pool& pool = at(sc.pools, q);
    ArrayXXd& k = p.pool_partner_contribution[static_cast<std::size_t>(q)];
    k.resize(P, Y);
    k.col(0) = pool.contributions;
    for (Index t = 1; t < Y; ++t) k.col(t) = k.col(t - 1) * (1 + pool.growth(t));
    p.pool_contributions.row(q) = k.colwise().sum();
    switch (pool.risk_rule) {
      case RiskShareRule::proportional: {
        const double total = pool.contributions.sum();
        if (total > 0) p.risk_share.row(q) = (pool.contributions / total).transpose();
        break;
      }
      case RiskShareRule::host: p.risk_share(q, pool.host) = 1; break;
      case RiskShareRule::fixed: p.risk_share.row(q) = pool.fixed_shares.transpose(); break;
    }
  }

  // Partner spend: the unpooled services by funding share, plus each pool's contribution
  // less the partner's share of its balance; and the same with no schemes.
  // One pass for the plan (net spend) and, when asked, one for doing nothing (baseline).
  auto partner_spend = [&](const ArrayXXd& x, ArrayXXd& pool_spend, ArrayXXd& balance, ArrayXXd& spend) {
    pool_spend.setZero();
    for (const auto& [q, s] : membership_) pool_spend.row(q) += x.row(s);
    balance = p.pool_contributions - pool_spend;
    spend.setZero();
    for (const Share& f : shares_) spend.row(f.partner) += f.share * x.row(f.service);
    for (Index q = 0; q < Q; ++q) {
      spend += p.pool_partner_contribution[static_cast<std::size_t>(q)];
      spend.matrix().noalias() -= p.risk_share.row(q).transpose().matrix() * balance.row(q).matrix();
    }
  };
  partner_spend(p.net, p.pool_spend, p.pool_balance, p.spend);
  p.gap = p.spend - p.funding;
  if (do_nothing) {
    ArrayXXd pooled_baseline(Q, Y);
    partner_spend(p.baseline, pooled_baseline, p.pool_balance_do_nothing, p.spend_do_nothing);
    p.gap_do_nothing = p.spend_do_nothing - p.funding;
  }
}

Projection project(const Scenario& scenario) {
  Projection p;
  Engine(scenario).run(scenario, p);
  return p;
}

}  // namespace fundgap
