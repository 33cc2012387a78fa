#include "fundgap/projection.h"

#include "values.h"

namespace fundgap {

namespace {

using Eigen::ArrayXd;
using Eigen::ArrayXXd;
using Eigen::Index;

Index idx(std::size_t i) { return static_cast<Index>(i); }
Index idx(int i) { return static_cast<Index>(i); }

// Compounds `base` by yearly `factors` (rows x years, column 0 unused): out(., 0) = base,
// out(., t) = out(., t-1) * factors(., t).
ArrayXXd compound(const ArrayXd& base, const ArrayXXd& factors) {
  ArrayXXd out(base.size(), factors.cols());
  out.col(0) = base;
  for (Index t = 1; t < factors.cols(); ++t) out.col(t) = out.col(t - 1) * factors.col(t);
  return out;
}

// Partner spend from service spend `x` (services x years): the unpooled services by
// funding share, plus each pool's contribution less the partner's share of its balance.
// Writes each pool's balance into `balance` (pools x years).
ArrayXXd partner_spend(const Scenario& sc, const Projection& p, const Eigen::MatrixXd& shares,
                       const Eigen::MatrixXd& membership, const ArrayXXd& x, ArrayXXd& balance) {
  ArrayXXd spend = (shares * x.matrix()).array();
  ArrayXXd pool_spend = (membership * x.matrix()).array();
  balance = p.pool_contributions - pool_spend;
  for (std::size_t q = 0; q < sc.pools.size(); ++q) {
    const Index qi = idx(q);
    spend += p.pool_partner_contribution[q] -
             (p.risk_share.row(qi).transpose().matrix() * balance.row(qi).matrix()).array();
  }
  return spend;
}

}  // namespace

Projection project(const Scenario& sc) {
  const Index Y = sc.years();
  const Index S = idx(sc.services.size()), K = idx(sc.schemes.size());
  const Index P = idx(sc.partners.size()), Q = idx(sc.pools.size());
  Projection p;

  // Baseline: X_s(t) = X_s(t-1) (1 + demand) (1 + inflation).
  ArrayXd base(S);
  ArrayXXd service_factor(S, Y);
  for (Index s = 0; s < S; ++s) {
    const Service& sv = sc.services[static_cast<std::size_t>(s)];
    base(s) = sv.base;
    service_factor.row(s) = ((1 + sv.demand) * (1 + sv.inflation)).transpose();
  }
  p.baseline = compound(base, service_factor);

  // Schemes.
  p.savings = ArrayXXd::Zero(S, Y);
  p.reprovided = ArrayXXd::Zero(S, Y);
  p.investment = ArrayXXd::Zero(S, Y);
  p.scheme_saving = ArrayXXd::Zero(K, Y);
  p.scheme_reprovided = ArrayXXd::Zero(K, Y);
  p.scheme_investment = ArrayXXd::Zero(K, Y);
  for (Index k = 0; k < K; ++k) {
    const Scheme& sk = sc.schemes[static_cast<std::size_t>(k)];
    for (int t = sk.start; t < Y; ++t) {
      const Index ti = idx(t);
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
  // Savings may not exceed spend: report the first year it happens, per service, at
  // the scheme whose saving tips the running total (in file order) over the spend.
  Diagnostics over;
  for (Index s = 0; s < S; ++s) {
    for (Index t = 0; t < Y; ++t) {
      const double spend = p.baseline(s, t);
      if (p.savings(s, t) <= spend * (1 + 1e-12)) continue;
      double running = 0;
      std::string culprit;
      for (Index k = 0; k < K && culprit.empty(); ++k) {
        if (sc.schemes[static_cast<std::size_t>(k)].service != s) continue;
        running += p.scheme_saving(k, t);
        if (running > spend * (1 + 1e-12)) culprit = sc.schemes[static_cast<std::size_t>(k)].id;
      }
      const auto [saved, available] = detail::money_pair(p.savings(s, t), spend, detail::currency_symbol(sc.currency));
      over.error(sc.origin("schemes." + culprit + ".saving"),
                 "savings on service '{}' in {} ({}) exceed its projected spend ({})",
                 sc.services[static_cast<std::size_t>(s)].id, sc.year(static_cast<int>(t)), saved, available);
      break;
    }
  }
  if (!over.empty()) throw InputError(over);
  p.net = p.baseline - p.savings + p.reprovided + p.investment;

  // Funding: F_p(t) = F_p(t-1) (1 + growth).
  ArrayXd funding_base(P);
  ArrayXXd growth_factor(P, Y);
  for (Index i = 0; i < P; ++i) {
    const Partner& pt = sc.partners[static_cast<std::size_t>(i)];
    funding_base(i) = pt.funding_base;
    growth_factor.row(i) = (1 + pt.growth).transpose();
  }
  p.funding = compound(funding_base, growth_factor);

  // Structure: funding shares of unpooled services, pool membership.
  Eigen::MatrixXd shares = Eigen::MatrixXd::Zero(P, S);
  Eigen::MatrixXd membership = Eigen::MatrixXd::Zero(Q, S);
  for (Index s = 0; s < S; ++s) {
    const Service& sv = sc.services[static_cast<std::size_t>(s)];
    if (sv.pool >= 0)
      membership(sv.pool, s) = 1;
    else
      for (const FundingShare& f : sv.funders) shares(f.partner, s) += f.share;
  }

  // Pools: contributions grow at the pool's rate; risk shares by the pool's rule.
  p.pool_contributions = ArrayXXd::Zero(Q, Y);
  p.risk_share = ArrayXXd::Zero(Q, P);
  p.pool_partner_contribution.clear();
  for (Index q = 0; q < Q; ++q) {
    const Pool& pool = sc.pools[static_cast<std::size_t>(q)];
    ArrayXXd k = compound(pool.contributions, (1 + pool.growth).transpose().replicate(P, 1));
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
    p.pool_partner_contribution.push_back(std::move(k));
  }
  p.pool_spend = (membership * p.net.matrix()).array();

  p.spend = partner_spend(sc, p, shares, membership, p.net, p.pool_balance);
  p.spend_do_nothing = partner_spend(sc, p, shares, membership, p.baseline, p.pool_balance_do_nothing);
  p.gap = p.spend - p.funding;
  p.gap_do_nothing = p.spend_do_nothing - p.funding;
  return p;
}

}  // namespace fundgap
