// The engine's stages, in the order Engine::run calls them. Each concept's file holds
// the formula of the figures it computes, their explanations and their bridge steps
// (docs/design.md, "the stage contract"). Private to the library.
#pragma once

#include <cmath>
#include <vector>

#include "explainer.h"
#include "fundgap/model/bridge.h"
#include "fundgap/model/projection.h"

namespace fundgap::stages {

// Row r of a Table: one entity's years, side by side. The stages' per-row loops work on
// these directly: a row is a handful of years, too short for Eigen's blocks to pay off.
inline double* row_data(Table& a, Eigen::Index r) { return a.data() + r * a.cols(); }
inline const double* row_data(const Table& a, Eigen::Index r) { return a.data() + r * a.cols(); }

// What a bridge step needs: the figures of the two years, and how much of each service's
// spend lands on the entity bridged (its funding share, or its risk share of the pool the
// service is in; 1 for the system).
struct BridgeContext {
  const Scenario& sc;
  const Projection& p;
  int partner;  // -1: the system
  int from, to;
  Eigen::ArrayXd weight;  // by service
};

// ---- services.cc: X_s(t) with pressures, N_s(t) -------------------------------------
// Each stage with a Reach computes the rows it reaches only (all for run()).
void baseline(const Scenario& sc, Projection& p, const Engine::Reach& reach);
void net(Projection& p, const Engine::Reach& reach);
Explanation explain_baseline(Explainer& ex, const Figure& f, int t);
Explanation explain_pressures(Explainer& ex, const Figure& f, int t);
Explanation explain_net(Explainer& ex, const Figure& f, int t);
void bridge_demand_and_inflation(const BridgeContext& b, std::vector<BridgeStep>& steps);

// ---- schemes.cc: S_k(t), re-provision, investment, and their sums by service -------
// A scheme's saving in year t when it starts in `start` (its own start, or a place's), on
// the service's baseline `spend` that year. Inline: a draw evaluates it for every year of
// every scheme it moves.
inline double scheme_saving_at(const Scheme& sk, double spend, int t, int start) {
  if (t < start) return 0;
  double full = sk.absolute ? sk.saving : sk.saving * spend;
  if (sk.efficiency) full = (1 - std::pow(1 - sk.saving, t - start + 1)) * spend;
  else if (sk.has_amounts) full = sk.amounts(t);
  return sk.confidence * sk.ramp_from(start, t) * full;
}
// Calls place_savings first (in a run of every row).
void schemes(const Scenario& sc, Projection& p, const Engine::Reach& reach, const Engine::Landings& landings);
std::vector<Overspend> overspends(const Scenario& sc, const Projection& p, const Engine::Reach& reach);
Diagnostics overspend_diagnostics(const Scenario& sc, const std::vector<Overspend>& overspends);
Explanation explain_scheme(Explainer& ex, const Figure& f, int t);
Explanation explain_service_schemes(Explainer& ex, const Figure& f, int t);  // savings, reprovided, investment
void bridge_schemes(const BridgeContext& b, std::vector<BridgeStep>& steps);

// ---- funding.cc: F_p(t), its streams, council tax ----------------------------------
void funding(const Scenario& sc, Projection& p);
void council_tax_measures(const Scenario& sc, Projection& p);  // once the gap is known
Explanation explain_funding(Explainer& ex, const Figure& f, int t);
Explanation explain_stream(Explainer& ex, const Figure& f, int t);
Explanation explain_council_tax(Explainer& ex, const Figure& f, int t);  // tax_base ... gap_ct_equivalent
Explanation explain_stream_target(Explainer& ex, const Figure& f, int t);  // target, distance, convergence
void bridge_funding(const BridgeContext& b, std::vector<BridgeStep>& steps);

// ---- partners.cc: E_p(t), G_p(t), the gap's yearly change ---------------------------
// E_p(t) for spend `x` by service (net, or baseline for doing nothing), with pool spend
// and balances; `pool_spend` and `balance` are pools x years.
// A pool that is not Pool::linear() writes its partners' shares of the balance to `shared`
// (partners x years; no rows for a linear one) and its balance with what it carries forward.
void spend(const Scenario& sc, const std::vector<Engine::Share>& shares,
           const std::vector<std::pair<Eigen::Index, Eigen::Index>>& membership, const Projection& p,
           const Table& x, Table& pool_spend, Table& balance, Table& spend,
           std::vector<Table>& shared);
Explanation explain_spend(Explainer& ex, const Figure& f, int t);
Explanation explain_gap(Explainer& ex, const Figure& f, int t);  // gap and gap_do_nothing
void gap_annual(Projection& p);
Explanation explain_gap_annual(Explainer& ex, const Figure& f, int t);

// ---- reserves.cc ----------------------------------------------------------------------
void reserves(const Scenario& sc, Projection& p);
std::vector<std::string> reserves_notes(const Scenario& sc, const Projection& p);
Explanation explain_reserves(Explainer& ex, const Figure& f, int t);  // every reserves measure

// ---- economics.cc: schemes' net benefit, NPV, return on investment ------------------
void economics(const Scenario& sc, Projection& p);
std::vector<std::string> economics_notes(const Scenario& sc, const Projection& p);
Explanation explain_economics(Explainer& ex, const Figure& f, int t);

// ---- pools.cc: K_{q,p}(t), rho_{q,p}, V_q(t) and each partner's share ---------------
void pool_contributions(const Scenario& sc, Projection& p);
void pool_shares(const Scenario& sc, Projection& p);  // rho V and K - rho V, once the balances are known
// The partners' shares (partners x years) of the balance of a pool that is not linear, for
// services' spend `x`: by each year's contributions, by tiers, by lead commissioner, with
// underspends carried forward (row `row` of `balance` then gains what is brought forward).
void balance_shares(const Pool& pool, const Projection& p, std::size_t q, const Table& x,
                    Table& balance, Eigen::Index row, Table& out);
Explanation explain_pool(Explainer& ex, const Figure& f, int t);
// A partner's net cost of a pool, planned or with no schemes (for spend_do_nothing).
Explanation explain_pool_cost(Explainer& ex, int pool, int partner, int t, bool do_nothing);
void bridge_pools(const BridgeContext& b, std::vector<BridgeStep>& steps);

// ---- places.cc: spend by place, schemes by place, delegated budgets -----------------
void place_shares(const Scenario& sc, Projection& p);  // first: the shares by place this run uses
void place_savings(const Scenario& sc, Projection& p);
ProjectionStatus places(const Scenario& sc, Projection& p);  // after funding and net spend
// Whether a place is under a lead-provider contract, which moves its variance to the provider.
bool has_lead_providers(const Scenario& sc);
// Moves each lead-provider place's variance from the delegating partner's spend (planned,
// or with no schemes) to the provider's. REQUIRES: places() has run.
void carry_place_variance(const Scenario& sc, Projection& p, bool do_nothing);
// Adds to a partner's spend explanation the place variances it carries or hands on.
void explain_place_transfers(Explainer& ex, int partner, int t, bool do_nothing, Explanation& e);
Diagnostics allocation_diagnostics(const Scenario& sc, const std::vector<Infeasible>& problems);
Explanation explain_place(Explainer& ex, const Figure& f, int t);
Explanation explain_delegated(Explainer& ex, const Figure& f, int t);
void bridge_place(const BridgeContext& b, int place, std::vector<BridgeStep>& steps);
// A partner's bridge: the change in each lead-provider place's variance it takes or hands on.
void bridge_place_transfers(const BridgeContext& b, std::vector<BridgeStep>& steps);

// ---- catalogue.cc: the system totals ----------------------------------------------
void system_totals(const Scenario& sc, Projection& p, Detail detail);  // REQUIRES: rows with a total have a matrix

// ---- finite.cc: every figure `detail` computes is finite, and money within kMaxMoney ---
// The first figure that is not (earliest year, then services, schemes, partners, pools,
// places, the system), or nothing. Services outside `reach` are known to fit: the run that
// computed them found them so.
std::optional<FigureRef> first_misfit(const Scenario& sc, const Projection& p, Detail detail,
                                      const Engine::Reach& reach);
Diagnostics misfit_diagnostics(const Scenario& sc, const std::optional<FigureRef>& figure);

}  // namespace fundgap::stages
