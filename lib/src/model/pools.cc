// Pools: contributions K_{q,p}(t) grown at the pool's rate, the risk shares rho_{q,p},
// the balance V_q(t) = sum_p K_{q,p}(t) - P_q(t) and each partner's share of it and net
// cost; their explanations and each pool's bridge step.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "fundgap/base/money.h"
#include "stages.h"

namespace fundgap {

bool Pool::involves(int partner) const {
  const Eigen::Index p = partner;
  switch (risk_rule) {
    case RiskShareRule::proportional: return contributions(p) != 0;
    case RiskShareRule::host: return contributions(p) != 0 || host == partner;
    case RiskShareRule::fixed: return contributions(p) != 0 || fixed_shares(p) != 0;
    case RiskShareRule::lead:
      return contributions(p) != 0 || host == partner || std::find(leads.begin(), leads.end(), partner) != leads.end();
    case RiskShareRule::tiers:
      if (contributions(p) != 0 || host == partner) return true;
      for (const RiskTier& t : tiers)
        if (t.rule == RiskShareRule::fixed && t.shares(p) != 0) return true;
      return false;
  }
  return false;
}

bool Pool::linear() const {
  if (risk_rule == RiskShareRule::lead || risk_rule == RiskShareRule::tiers || carry_forward) return false;
  for (const PoolSource& s : sources)
    if (s.growth.size() > 0) return false;
  return true;
}

}  // namespace fundgap

namespace fundgap::stages {

using Eigen::Index;

namespace {

// Each source's money and its growth since the base year; the partners' contributions as
// the sum of their sources; the allocations, what is left unallocated, and the minimums.
void pool_sources(const Pool& pool, Projection& p, std::size_t q, Index P, Index Y) {
  const Index n = static_cast<Index>(pool.sources.size());
  Table& src = p.pool_source[q];
  Table& index = p.pool_source_index[q];
  src.resize(n, Y);
  index.resize(n, Y);
  for (Index i = 0; i < n; ++i) {
    const PoolSource& s = pool.sources[static_cast<std::size_t>(i)];
    const YearValues& g = s.growth.size() > 0 ? s.growth : pool.growth;
    src(i, 0) = s.base;
    index(i, 0) = 1;
    for (Index t = 1; t < Y; ++t) {
      src(i, t) = src(i, t - 1) * (1 + g(t));
      index(i, t) = index(i, t - 1) * (1 + g(t));
    }
  }
  Table& k = p.pool_partner_contribution[q];
  k.setZero(P, Y);
  for (Index i = 0; i < n; ++i) k.row(pool.sources[static_cast<std::size_t>(i)].partner) += src.row(i);
  const Index A = static_cast<Index>(pool.allocations.size());
  Table& alloc = p.pool_allocation[q];
  Table& left = p.pool_unallocated[q];
  alloc.setZero(A, Y);
  left = src;
  // An amount by source: base-year money grown with its source, or a share of it.
  auto amount = [&](const PoolAllocation& a, Index i, Index t) {
    return a.is_share[static_cast<std::size_t>(i)] ? a.amounts(i) * src(i, t) : a.amounts(i) * index(i, t);
  };
  for (Index a = 0; a < A; ++a)
    for (Index i = 0; i < n; ++i)
      for (Index t = 0; t < Y; ++t) {
        const double v = amount(pool.allocations[static_cast<std::size_t>(a)], i, t);
        alloc(a, t) += v;
        left(i, t) -= v;
      }
  const Index M = static_cast<Index>(pool.minimums.size());
  p.pool_minimum[q].resize(M, Y);
  p.pool_minimum_headroom[q].resize(M, Y);
  for (Index m = 0; m < M; ++m) {
    const PoolMinimum& mn = pool.minimums[static_cast<std::size_t>(m)];
    double grown = 1;
    for (Index t = 0; t < Y; ++t) {
      if (t > 0) grown *= 1 + mn.growth(t);
      const double need = mn.amount * (mn.own_growth ? grown : index(mn.source, t));
      double given = 0;
      for (int a : mn.targets) given += amount(pool.allocations[static_cast<std::size_t>(a)], mn.source, t);
      p.pool_minimum[q](m, t) = need;
      p.pool_minimum_headroom[q](m, t) = given - need;
    }
  }
}

}  // namespace

void pool_contributions(const Scenario& sc, Projection& p) {
  const Index Q = static_cast<Index>(sc.pools.size()), P = static_cast<Index>(sc.partners.size()), Y = sc.years();
  p.risk_share.setZero();
  for (Index q = 0; q < Q; ++q) {
    const Pool& pool = sc.pools[static_cast<std::size_t>(q)];
    const auto qi = static_cast<std::size_t>(q);
    Table& k = p.pool_partner_contribution[qi];
    if (pool.sources.empty()) {
      k.resize(P, Y);
      k.col(0) = pool.contributions;
      for (Index t = 1; t < Y; ++t) k.col(t) = k.col(t - 1) * (1 + pool.growth(t));
      for (auto* v : {&p.pool_source, &p.pool_source_index, &p.pool_unallocated, &p.pool_allocation, &p.pool_minimum,
                      &p.pool_minimum_headroom})
        (*v)[qi].resize(0, Y);
    } else {
      pool_sources(pool, p, qi, P, Y);
    }
    p.pool_contributions.row(q) = k.colwise().sum();
    // The shares a linear pool's balance is split by (for any other pool, the base year's
    // contributions: what `bridge` weighs its services' spend by).
    switch (pool.risk_rule) {
      case RiskShareRule::fixed: p.risk_share.row(q) = pool.fixed_shares.transpose(); break;
      case RiskShareRule::host: p.risk_share(q, pool.host) = 1; break;
      default: {
        const double total = k.col(0).sum();
        if (total > 0) p.risk_share.row(q) = (k.col(0) / total).transpose();
        break;
      }
    }
  }
}

namespace {

// One part of a partner's share of a pool's balance in a year, for `explain`: a pooled
// service's variance (its lead commissioner's), the rest of the balance (the host's), or
// one band of a tiered share (or the whole balance, band -1).
struct SharePart {
  enum class Kind { variance, rest, band } kind = Kind::band;
  int index = -1;    // the service, or the band
  double amount = 0; // the part of the balance shared
  double share = 0;  // the partner's share of it
};

// Calls emit(partner, part) for every part of year t's balance `v` (after carry-forward)
// that the pool's rule gives to a partner.
template <typename Emit>
void year_shares(const Pool& pool, const Projection& p, std::size_t q, const Table& x, Index t, double v, Emit emit) {
  const Table& k = p.pool_partner_contribution[q];
  // `amount` by one rule: by the year's contributions, all to the host, or fixed shares.
  auto by_rule = [&](RiskShareRule rule, const Eigen::ArrayXd& fixed, double amount, SharePart part) {
    part.amount = amount;
    const double total = k.col(t).sum();
    if (rule == RiskShareRule::fixed) {
      for (Index i = 0; i < k.rows(); ++i)
        if (fixed(i) != 0) emit(i, SharePart{part.kind, part.index, amount, fixed(i)});
    } else if (rule == RiskShareRule::proportional && total > 0) {
      for (Index i = 0; i < k.rows(); ++i)
        if (k(i, t) != 0) emit(i, SharePart{part.kind, part.index, amount, k(i, t) / total});
    } else {
      emit(pool.host, SharePart{part.kind, part.index, amount, 1.0});
    }
  };
  switch (pool.risk_rule) {
    case RiskShareRule::lead: {
      // Each pooled service's variance (its allocation less its spend) to its lead
      // commissioner; what is left (unallocated money) to the host.
      double rest = v;
      for (int s : pool.services) {
        double allocated = 0;
        for (std::size_t a = 0; a < pool.allocations.size(); ++a)
          if (pool.allocations[a].service == s) allocated += p.pool_allocation[q](static_cast<Index>(a), t);
        const double variance = allocated - x(s, t);
        const int lead = pool.leads[static_cast<std::size_t>(s)];
        emit(lead >= 0 ? lead : pool.host, SharePart{SharePart::Kind::variance, s, variance, 1.0});
        rest -= variance;
      }
      emit(pool.host, SharePart{SharePart::Kind::rest, -1, rest, 1.0});
      break;
    }
    case RiskShareRule::tiers: {
      // The balance either way, band by band.
      const double size = std::fabs(v), sign = v < 0 ? -1.0 : 1.0;
      double below = 0;
      for (std::size_t b = 0; b < pool.tiers.size(); ++b) {
        const RiskTier& tier = pool.tiers[b];
        const double part = std::clamp(size - below, 0.0, tier.up_to - below);
        if (part > 0) by_rule(tier.rule, tier.shares, sign * part, {SharePart::Kind::band, static_cast<int>(b)});
        below = tier.up_to;
      }
      break;
    }
    default: by_rule(pool.risk_rule, pool.fixed_shares, v, {SharePart::Kind::band, -1}); break;
  }
}

// The balance shared out in year t: all of it, or with carry-forward only an overspend.
double shared_balance(const Pool& pool, double v) { return pool.carry_forward ? std::min(v, 0.0) : v; }

}  // namespace

void balance_shares(const Pool& pool, const Projection& p, std::size_t q, const Table& x, Table& balance,
                    Index row, Table& out) {
  out.setZero(p.pool_partner_contribution[q].rows(), balance.cols());
  double carried = 0;
  for (Index t = 0; t < balance.cols(); ++t) {
    // With carry-forward, last year's underspend is this year's money, and only an
    // overspend is shared out; an underspend stays.
    const double v = balance(row, t) + carried;
    balance(row, t) = v;
    if (pool.carry_forward) carried = std::max(v, 0.0);
    year_shares(pool, p, q, x, t, shared_balance(pool, v),
                [&](Index i, const SharePart& part) { out(i, t) += part.share * part.amount; });
  }
}

void pool_shares(const Scenario& sc, Projection& p) {
  const Index Q = p.pool_balance.rows(), P = p.risk_share.cols(), Y = p.pool_balance.cols();
  p.pool_carried.setZero(Q, Y);
  for (Index q = 0; q < Q; ++q) {
    const auto qi = static_cast<std::size_t>(q);
    const Pool& pool = sc.pools[qi];
    Table& share = p.pool_balance_share[qi];
    Table& cost = p.pool_cost[qi];
    share.resize(P, Y);
    cost.resize(P, Y);
    if (pool.linear()) {
      for (Index i = 0; i < P; ++i) share.row(i) = p.risk_share(q, i) * p.pool_balance.row(q);
    } else {
      share = p.pool_shared[qi];
      if (pool.carry_forward)
        for (Index t = 0; t < Y; ++t) p.pool_carried(q, t) = std::max(p.pool_balance(q, t), 0.0);
    }
    for (Index i = 0; i < P; ++i) cost.row(i) = p.pool_partner_contribution[qi].row(i) - share.row(i);
  }
}

namespace {

using Unit = Explainer::Unit;

Figure pool_figure(Measure m, int q, int partner = -1) { return {m, EntityKind::pool, q, partner}; }

std::string path_of(const Pool& pl) { return "pools." + pl.id; }

Explanation source_money(Explainer& ex, int q, int i, int t);

Explanation contribution(Explainer& ex, int q, int i, int t) {
  const Pool& pl = ex.sc.pools[static_cast<std::size_t>(q)];
  if (!pl.sources.empty()) {  // the sum of its sources
    Explanation e = Explainer::sum(ex.ref(pool_figure(Measure::pool_contribution, q, i), t), "the sum of its sources");
    for (std::size_t s = 0; s < pl.sources.size(); ++s)
      if (pl.sources[s].partner == i) e.children.push_back(source_money(ex, q, static_cast<int>(s), t));
    return Explainer::pinned(std::move(e), ex.p.pool_partner_contribution[static_cast<std::size_t>(q)](i, t));
  }
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
  return Explainer::pinned(std::move(e), ex.p.pool_contributions(q, t));
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
  e.children.push_back(Explainer::with(do_nothing ? Explainer::total(std::move(spent))
                                                  : Explainer::pinned(std::move(spent), ex.p.pool_spend(q, t)),
                                       -1));
  const double v = do_nothing ? ex.p.pool_balance_do_nothing(q, t) : ex.p.pool_balance(q, t);
  if (pl.carry_forward) {
    e.formula = "contributions + underspend brought forward - spend (positive: underspend)";
    e.children.push_back(ex.leaf("underspend brought forward from the year before",
                                 v - e.children[0].value + e.children[1].value, Unit::money, path_of(pl) + ".carry_forward"));
  }
  return Explainer::pinned(std::move(e), v);
}

Explanation risk_share(Explainer& ex, int q, int i) {
  const Pool& pl = ex.sc.pools[static_cast<std::size_t>(q)];
  const char* rule = pl.risk_rule == RiskShareRule::proportional ? "in proportion to contributions"
                     : pl.risk_rule == RiskShareRule::host       ? "all to the host"
                                                                 : "a fixed share";
  return ex.leaf(fmt::format("risk share of {} ({})", ex.sc.partners[static_cast<std::size_t>(i)].id, rule),
                 ex.p.risk_share(q, i), Unit::share, "pools." + pl.id + ".risk_share");
}

// A share of the balance of a pool that is not linear, part by part of its rule.
Explanation nonlinear_share(Explainer& ex, int q, int i, int t, bool do_nothing) {
  const Pool& pl = ex.sc.pools[static_cast<std::size_t>(q)];
  const std::string rpath = path_of(pl) + ".risk_share";
  const double v = (do_nothing ? ex.p.pool_shared_do_nothing : ex.p.pool_shared)[static_cast<std::size_t>(q)](i, t);
  const char* rule = pl.risk_rule == RiskShareRule::lead    ? "the variance of each pooled service it leads (allocation - "
                                                              "spend), and for the host the rest of the balance"
                     : pl.risk_rule == RiskShareRule::tiers ? "its share of each band of the balance"
                     : pl.risk_rule == RiskShareRule::host  ? "all of the balance to the host"
                     : pl.risk_rule == RiskShareRule::fixed ? "a fixed share of the balance"
                                                            : "its share of this year's contributions x the balance";
  Explanation e = Explainer::sum(ex.ref(pool_figure(Measure::pool_balance_share, q, i), t) + with_no_schemes(do_nothing),
                                 std::string(rule) + (pl.carry_forward ? " (an underspend is carried forward, so only an "
                                                                         "overspend is shared)" : ""));
  const Explanation whole = balance(ex, q, t, do_nothing);
  const Table& x = do_nothing ? ex.p.baseline : ex.p.net;
  const std::string symbol = currency_symbol(ex.sc.currency);
  year_shares(pl, ex.p, static_cast<std::size_t>(q), x, t, shared_balance(pl, whole.value),
              [&](Index who, const SharePart& part) {
                if (who != i) return;
                std::string label;
                switch (part.kind) {
                  case SharePart::Kind::variance:
                    label = fmt::format("variance of {} (its allocation - its spend)",
                                        ex.sc.services[static_cast<std::size_t>(part.index)].id);
                    break;
                  case SharePart::Kind::rest: label = "the rest of the balance (unallocated money)"; break;
                  case SharePart::Kind::band:
                    label = part.index < 0 ? fmt::format("the balance shared ({})", fmt::format("{:.2p}", Money{part.amount, symbol}))
                                           : fmt::format("band {} of the balance ({})", part.index + 1,
                                                         fmt::format("{:.2p}", Money{part.amount, symbol}));
                    break;
                }
                Explanation c = Explainer::product(std::move(label), "share x amount");
                c.children.push_back(ex.leaf("share", part.share, Unit::share, rpath));
                c.children.push_back(ex.leaf("amount", part.amount, Unit::money, ""));
                e.children.push_back(Explainer::total(std::move(c)));
              });
  return Explainer::pinned(std::move(e), v);
}

Explanation balance_share(Explainer& ex, int q, int i, int t, bool do_nothing) {
  if (!ex.sc.pools[static_cast<std::size_t>(q)].linear()) return nonlinear_share(ex, q, i, t, do_nothing);
  Explanation e = Explainer::product(ex.ref(pool_figure(Measure::pool_balance_share, q, i), t) + with_no_schemes(do_nothing),
                                     "risk share x balance");
  e.children.push_back(risk_share(ex, q, i));
  e.children.push_back(balance(ex, q, t, do_nothing));
  const double v = do_nothing ? ex.p.risk_share(q, i) * ex.p.pool_balance_do_nothing(q, t)
                              : ex.p.pool_balance_share[static_cast<std::size_t>(q)](i, t);
  return Explainer::pinned(std::move(e), v);
}

}  // namespace

Explanation explain_pool_cost(Explainer& ex, int q, int i, int t, bool do_nothing) {
  Explanation e = Explainer::sum(ex.ref(pool_figure(Measure::pool_cost, q, i), t) + with_no_schemes(do_nothing),
                                 "contribution - its share of the balance");
  e.children.push_back(contribution(ex, q, i, t));
  e.children.push_back(Explainer::with(balance_share(ex, q, i, t, do_nothing), -1));
  const double v = do_nothing ? e.children[0].value - e.children[1].value
                              : ex.p.pool_cost[static_cast<std::size_t>(q)](i, t);
  return Explainer::pinned(std::move(e), v);
}

namespace {

// The path of source i's base-year money: contributions.PARTNER (money) or .PARTNER.SOURCE.
std::string source_path(const Scenario& sc, const Pool& pl, int i) {
  const PoolSource& s = pl.sources[static_cast<std::size_t>(i)];
  const std::string& partner = sc.partners[static_cast<std::size_t>(s.partner)].id;
  return fmt::format("{}.contributions.{}{}", path_of(pl), partner, s.id == partner ? "" : "." + s.id);
}

Explanation source_money(Explainer& ex, int q, int i, int t) {
  const Pool& pl = ex.sc.pools[static_cast<std::size_t>(q)];
  const PoolSource& s = pl.sources[static_cast<std::size_t>(i)];
  const bool own = s.growth.size() > 0;
  return Explainer::pinned(
      ex.compounded(ex.ref(pool_figure(Measure::pool_source, q, i), t), s.base, source_path(ex.sc, pl, i),
                    {{own ? fmt::format("{}.growth.{}", path_of(pl), s.id) : path_of(pl) + ".growth",
                      own ? &s.growth : &pl.growth}}, t),
      ex.p.pool_source[static_cast<std::size_t>(q)](i, t));
}

// Allocation a's money from source i in year t: base-year money grown with the source, or
// a share of it.
Explanation allocated_from(Explainer& ex, int q, int a, int i, int t) {
  const Pool& pl = ex.sc.pools[static_cast<std::size_t>(q)];
  const PoolAllocation& al = pl.allocations[static_cast<std::size_t>(a)];
  const std::string& src = pl.sources[static_cast<std::size_t>(i)].id;
  const std::string path = fmt::format("{}.allocation.{}.{}", path_of(pl), al.target, src);
  const bool share = al.is_share[static_cast<std::size_t>(i)];
  Explanation e = Explainer::product(fmt::format("{} from {}", al.target, src),
                                     share ? "share x the source's money" : "base-year money x the source's growth since");
  e.children.push_back(ex.leaf(share ? "share" : "base-year allocation", al.amounts(i), share ? Unit::share : Unit::money, path));
  if (share)
    e.children.push_back(source_money(ex, q, i, t));
  else
    e.children.push_back(ex.leaf(fmt::format("growth of {} since the base year", src),
                                 ex.p.pool_source_index[static_cast<std::size_t>(q)](i, t), Unit::factor, ""));
  return Explainer::total(std::move(e));
}

Explanation pool_extra(Explainer& ex, const Figure& f, int t) {
  const int q = f.entity;
  const auto qi = static_cast<std::size_t>(q);
  const Pool& pl = ex.sc.pools[qi];
  const Eigen::Index n = static_cast<Eigen::Index>(pl.sources.size());
  switch (f.measure) {
    case Measure::pool_source: return source_money(ex, q, f.sub, t);
    case Measure::pool_allocation: {
      Explanation e = Explainer::sum(ex.ref(f, t), "the money allocated from each source");
      for (Eigen::Index i = 0; i < n; ++i)
        if (pl.allocations[static_cast<std::size_t>(f.sub)].amounts(i) != 0)
          e.children.push_back(allocated_from(ex, q, f.sub, static_cast<int>(i), t));
      return Explainer::pinned(std::move(e), ex.p.pool_allocation[qi](f.sub, t));
    }
    case Measure::pool_unallocated: {
      Explanation e = Explainer::sum(ex.ref(f, t), "the source's money - what is allocated from it");
      e.children.push_back(source_money(ex, q, f.sub, t));
      for (std::size_t a = 0; a < pl.allocations.size(); ++a)
        if (pl.allocations[a].amounts(f.sub) != 0)
          e.children.push_back(Explainer::with(allocated_from(ex, q, static_cast<int>(a), f.sub, t), -1));
      return Explainer::pinned(std::move(e), ex.p.pool_unallocated[qi](f.sub, t));
    }
    case Measure::pool_minimum: {
      const PoolMinimum& m = pl.minimums[static_cast<std::size_t>(f.sub)];
      const std::string path = fmt::format("{}.minimums.{}", path_of(pl), m.id);
      Explanation e = Explainer::product(ex.ref(f, t), m.own_growth ? "base-year minimum compounded by its own growth"
                                                                    : "base-year minimum x its source's growth since");
      if (m.own_growth) {
        e = ex.compounded(ex.ref(f, t), m.amount, path + ".amount", {{path + ".growth", &m.growth}}, t);
      } else {
        e.children.push_back(ex.leaf("base-year minimum", m.amount, Unit::money, path + ".amount"));
        e.children.push_back(ex.leaf(fmt::format("growth of {} since the base year", pl.sources[static_cast<std::size_t>(m.source)].id),
                                     ex.p.pool_source_index[qi](m.source, t), Unit::factor, ""));
      }
      return Explainer::pinned(Explainer::total(std::move(e)), ex.p.pool_minimum[qi](f.sub, t));
    }
    case Measure::pool_minimum_headroom: {
      const PoolMinimum& m = pl.minimums[static_cast<std::size_t>(f.sub)];
      Explanation e = Explainer::sum(ex.ref(f, t), "what its allocations give from the source - the minimum");
      for (int a : m.targets) e.children.push_back(allocated_from(ex, q, a, m.source, t));
      e.children.push_back(Explainer::with(pool_extra(ex, {Measure::pool_minimum, EntityKind::pool, q, f.sub}, t), -1));
      return Explainer::pinned(std::move(e), ex.p.pool_minimum_headroom[qi](f.sub, t));
    }
    default: {  // pool_carried
      Explanation e = Explainer::sum(ex.ref(f, t), "the balance when it is an underspend (else nothing)");
      e.children.push_back(balance(ex, q, t, false));
      if (ex.p.pool_balance(q, t) < 0) e.children.back().coefficient = 0;
      return Explainer::pinned(Explainer::total(std::move(e)), ex.p.pool_carried(q, t));
    }
  }
}

}  // namespace

Explanation explain_pool(Explainer& ex, const Figure& f, int t) {
  const int q = f.entity;
  switch (f.measure) {
    case Measure::pool_carried:
    case Measure::pool_source:
    case Measure::pool_allocation:
    case Measure::pool_unallocated:
    case Measure::pool_minimum:
    case Measure::pool_minimum_headroom: return pool_extra(ex, f, t);
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
    const Pool& pool = b.sc.pools[q];
    if (!pool.linear()) {
      // A tiered, lead-commissioner or carry-forward share is not one share of the
      // balance: the step is the change in the partners' net cost of the pool beyond
      // what the service steps (at the base year's shares) already count.
      for (std::size_t i = 0; i < b.sc.partners.size(); ++i)
        if (b.partner < 0 || static_cast<int>(i) == b.partner)
          v += b.p.pool_cost[q](static_cast<Index>(i), b.to) - b.p.pool_cost[q](static_cast<Index>(i), b.from);
      for (int s : pool.services) v -= b.weight(s) * (b.p.net(s, b.to) - b.p.net(s, b.from));
      steps.push_back({"pool " + pool.id + " risk share", "pool", pool.id, v});
      continue;
    }
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
