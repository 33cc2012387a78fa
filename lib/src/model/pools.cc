// Pools: contributions K_{q,p}(t) grown at the pool's rate, the risk shares rho_{q,p},
// the balance V_q(t) = sum_p K_{q,p}(t) - P_q(t) and each partner's share of it and net
// cost; their explanations and each pool's bridge step.
#include <fmt/format.h>

#include "stages.h"

namespace fundgap {

bool Pool::involves(int partner) const {
  const Eigen::Index p = partner;
  switch (risk_rule) {
    case RiskShareRule::proportional: return contributions(p) != 0;
    case RiskShareRule::host: return contributions(p) != 0 || host == partner;
    case RiskShareRule::fixed: return contributions(p) != 0 || fixed_shares(p) != 0;
  }
  return false;
}

}  // namespace fundgap

namespace fundgap::stages {

using Eigen::ArrayXXd;
using Eigen::Index;

void pool_contributions(const Scenario& sc, Projection& p) {
  const Index Q = static_cast<Index>(sc.pools.size()), P = static_cast<Index>(sc.partners.size()), Y = sc.years();
  p.risk_share.setZero();
  for (Index q = 0; q < Q; ++q) {
    const Pool& pool = sc.pools[static_cast<std::size_t>(q)];
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
}

void pool_shares(Projection& p) {
  const Index Q = p.pool_balance.rows(), P = p.risk_share.cols(), Y = p.pool_balance.cols();
  for (Index q = 0; q < Q; ++q) {
    const auto qi = static_cast<std::size_t>(q);
    ArrayXXd& share = p.pool_balance_share[qi];
    ArrayXXd& cost = p.pool_cost[qi];
    share.resize(P, Y);
    cost.resize(P, Y);
    for (Index i = 0; i < P; ++i) {
      share.row(i) = p.risk_share(q, i) * p.pool_balance.row(q);
      cost.row(i) = p.pool_partner_contribution[qi].row(i) - share.row(i);
    }
  }
}

namespace {

using Unit = Explainer::Unit;

Figure pool_figure(Measure m, int q, int partner = -1) { return {m, EntityKind::pool, q, partner}; }

Explanation contribution(Explainer& ex, int q, int i, int t) {
  const Pool& pl = ex.sc.pools[static_cast<std::size_t>(q)];
  const std::string& who = ex.sc.partners[static_cast<std::size_t>(i)].id;
  const std::string path = "pools." + pl.id;
  return Explainer::pinned(ex.compounded(ex.ref(pool_figure(Measure::pool_contribution, q, i), t), pl.contributions(i),
                                         path + ".contributions." + who, {{path + ".growth", &pl.growth}}, t),
                           ex.p.pool_partner_contribution[static_cast<std::size_t>(q)](i, t));
}

Explanation contributions(Explainer& ex, int q, int t) {
  const Pool& pl = ex.sc.pools[static_cast<std::size_t>(q)];
  Explanation e = Explainer::sum(ex.ref(pool_figure(Measure::pool_contributions, q), t),
                                 "the sum of the partners' contributions");
  for (std::size_t i = 0; i < ex.sc.partners.size(); ++i)
    if (pl.contributions(static_cast<Index>(i)) != 0) e.children.push_back(contribution(ex, q, static_cast<int>(i), t));
  return Explainer::pinned(e, ex.p.pool_contributions(q, t));
}

std::string with_no_schemes(bool do_nothing) { return do_nothing ? " with no schemes" : ""; }

Explanation balance(Explainer& ex, int q, int t, bool do_nothing) {
  const Pool& pl = ex.sc.pools[static_cast<std::size_t>(q)];
  Explanation e = Explainer::sum(ex.ref(pool_figure(Measure::pool_balance, q), t) + with_no_schemes(do_nothing),
                                 "contributions - spend (positive: underspend)");
  e.children.push_back(contributions(ex, q, t));
  Explanation spent = Explainer::sum(ex.ref(pool_figure(Measure::pool_spend, q), t) + with_no_schemes(do_nothing),
                                     "the pooled services' spend");
  for (int s : pl.services) spent.children.push_back(ex.figure(do_nothing ? Measure::baseline : Measure::net, s, t));
  e.children.push_back(
      Explainer::with(do_nothing ? Explainer::total(spent) : Explainer::pinned(spent, ex.p.pool_spend(q, t)), -1));
  return Explainer::pinned(e, do_nothing ? ex.p.pool_balance_do_nothing(q, t) : ex.p.pool_balance(q, t));
}

Explanation risk_share(Explainer& ex, int q, int i) {
  const Pool& pl = ex.sc.pools[static_cast<std::size_t>(q)];
  const char* rule = pl.risk_rule == RiskShareRule::proportional ? "in proportion to contributions"
                     : pl.risk_rule == RiskShareRule::host       ? "all to the host"
                                                                 : "a fixed share";
  return ex.leaf(fmt::format("risk share of {} ({})", ex.sc.partners[static_cast<std::size_t>(i)].id, rule),
                 ex.p.risk_share(q, i), Unit::share, "pools." + pl.id + ".risk_share");
}

Explanation balance_share(Explainer& ex, int q, int i, int t, bool do_nothing) {
  Explanation e = Explainer::product(ex.ref(pool_figure(Measure::pool_balance_share, q, i), t) + with_no_schemes(do_nothing),
                                     "risk share x balance");
  e.children.push_back(risk_share(ex, q, i));
  e.children.push_back(balance(ex, q, t, do_nothing));
  const double v = do_nothing ? ex.p.risk_share(q, i) * ex.p.pool_balance_do_nothing(q, t)
                              : ex.p.pool_balance_share[static_cast<std::size_t>(q)](i, t);
  return Explainer::pinned(e, v);
}

}  // namespace

Explanation explain_pool_cost(Explainer& ex, int q, int i, int t, bool do_nothing) {
  Explanation e = Explainer::sum(ex.ref(pool_figure(Measure::pool_cost, q, i), t) + with_no_schemes(do_nothing),
                                 "contribution - its share of the balance");
  e.children.push_back(contribution(ex, q, i, t));
  e.children.push_back(Explainer::with(balance_share(ex, q, i, t, do_nothing), -1));
  const double v = do_nothing ? e.children[0].value - e.children[1].value
                              : ex.p.pool_cost[static_cast<std::size_t>(q)](i, t);
  return Explainer::pinned(e, v);
}

Explanation explain_pool(Explainer& ex, const Figure& f, int t) {
  const int q = f.entity;
  switch (f.measure) {
    case Measure::pool_contributions: return contributions(ex, q, t);
    case Measure::pool_spend: return Explainer::with(balance(ex, q, t, false).children[1], 1);  // the balance's spend term
    case Measure::pool_contribution: return contribution(ex, q, f.sub, t);
    case Measure::pool_balance_share: return balance_share(ex, q, f.sub, t, false);
    case Measure::pool_cost: return explain_pool_cost(ex, q, f.sub, t, false);
    default: return balance(ex, q, t, false);
  }
}

void bridge_pools(const BridgeContext& b, std::vector<BridgeStep>& steps) {
  // What a partner pays into a pool beyond its risk share of all contributions; zero
  // under proportional sharing, and zero for the system (the shares sum to one).
  for (std::size_t q = 0; q < b.sc.pools.size(); ++q) {
    const Index qi = static_cast<Index>(q);
    double v = 0;
    for (std::size_t i = 0; i < b.sc.partners.size(); ++i) {
      if (b.partner >= 0 && static_cast<int>(i) != b.partner) continue;
      const Index pi = static_cast<Index>(i);
      auto beyond = [&](int t) {
        return b.p.pool_partner_contribution[q](pi, t) - b.p.risk_share(qi, pi) * b.p.pool_contributions(qi, t);
      };
      v += beyond(b.to) - beyond(b.from);
    }
    steps.push_back({"pool " + b.sc.pools[q].id + " risk share", "pool", b.sc.pools[q].id, v});
  }
}

}  // namespace fundgap::stages
