// The projection engine: the v1 semantics of docs/semantics.md (MISSION.md), computed
// on Eigen arrays of entities x years so that one code path serves a single run and,
// later, batches of sampled scenarios.
#pragma once

#include <vector>

#include <Eigen/Core>

#include "fundgap/scenario.h"

namespace fundgap {

// Every array has one column per year t = 0..T (base year first).
struct Projection {
  // services x years
  Eigen::ArrayXXd baseline;    // X_s(t)
  Eigen::ArrayXXd savings;     // sum of scheme savings on s
  Eigen::ArrayXXd reprovided;  // sum of re-provision into s
  Eigen::ArrayXXd investment;  // sum of scheme investment into s
  Eigen::ArrayXXd net;         // N_s(t) = baseline - savings + reprovided + investment

  // schemes x years
  Eigen::ArrayXXd scheme_saving;      // S_k(t)
  Eigen::ArrayXXd scheme_reprovided;  // phi_k S_k(t)
  Eigen::ArrayXXd scheme_investment;  // I_k(t)

  // partners x years
  Eigen::ArrayXXd funding;           // F_p(t)
  Eigen::ArrayXXd spend;             // E_p(t)
  Eigen::ArrayXXd gap;               // G_p(t) = E_p(t) - F_p(t)
  Eigen::ArrayXXd spend_do_nothing;  // E_p(t) with X in place of N
  Eigen::ArrayXXd gap_do_nothing;

  // pools x years
  Eigen::ArrayXXd pool_contributions;    // sum_p K_{q,p}(t)
  Eigen::ArrayXXd pool_spend;            // P_q(t)
  Eigen::ArrayXXd pool_balance;          // V_q(t); positive is an underspend
  Eigen::ArrayXXd pool_balance_do_nothing;
  // pools x partners: rho_{q,p}, each row sums to 1 (constant over years: contributions
  // all grow at the pool's rate, so proportional shares do not move)
  Eigen::ArrayXXd risk_share;
  // per pool, partners x years: K_{q,p}(t)
  std::vector<Eigen::ArrayXXd> pool_partner_contribution;
};

// Projects scenarios of one structure over and over without allocating: the funding
// shares and pool membership are fixed when it is built, and each run writes into a
// Projection whose arrays are reused. Monte Carlo draws use one Engine per thread.
class Engine {
 public:
  // REQUIRES: `scenario` outlives nothing here; its structure is copied.
  explicit Engine(const Scenario& scenario);

  // Projects `scenario`, which must have the structure (entities, pools, funders) of
  // the one the engine was built from; only parameter values may differ.
  // Throws InputError, located at the scheme whose saving tips them over, when the
  // savings on a service in some year exceed its baseline spend.
  // `do_nothing`: also compute the do-nothing spend, gap and pool balances (Default: yes;
  // Monte Carlo, which summarises gaps and balances only, skips them).
  void run(const Scenario& scenario, Projection& out, bool do_nothing = true) const;

 private:
  // Sparse structure: a service has one funder or a few, and is in one pool at most.
  struct Share {
    Eigen::Index partner, service;
    double share;
  };
  std::vector<Share> shares_;                                       // unpooled services
  std::vector<std::pair<Eigen::Index, Eigen::Index>> membership_;  // (pool, service)
};

// Projects `scenario` year by year (an Engine used once). Throws as Engine::run.
Projection project(const Scenario& scenario);

}  // namespace fundgap
