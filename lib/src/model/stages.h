// The engine's stages, in the order Engine::run calls them. Each concept's file holds
// the formula of the figures it computes, their explanations and their bridge steps
// (docs/design.md, "the stage contract"). Private to the library.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <span>
#include <vector>

#include "explainer.h"
#include "fundgap/base/clones.h"
#include "fundgap/model/batch.h"
#include "fundgap/model/bridge.h"
#include "fundgap/model/projection.h"

namespace fundgap::stages {

// Row r of a Table: one entity's years, side by side. The stages' per-row loops work on
// these directly: a row is a handful of years, too short for Eigen's blocks to pay off.
inline double* row_data(Table& a, Eigen::Index r) { return a.data() + r * a.cols(); }
inline const double* row_data(const Table& a, Eigen::Index r) { return a.data() + r * a.cols(); }

// ---- engine.cc: what the engine works out once ------------------------------------
// The rows the inputs `varying` reach.
Engine::Reach reach_of(const Scenario& sc, std::span<const ParameterTarget> varying);
// What lands on each service from the schemes, in file order.
Engine::Landings landings_of(const Scenario& sc);
// Partner spend's sparse structure: the unpooled services' funding shares and the pools'
// members, in service order.
struct SparseSpend {
  std::vector<Engine::Share> shares;
  std::vector<std::pair<Eigen::Index, Eigen::Index>> membership;  // (pool, service)
};
SparseSpend sparse_spend(const Scenario& sc);

// ---- lanes: the stages for a block of kLanes draws (batch.cc) ------------------------
// Each formula a stage shares with its lanes is an inline function below, called by both,
// so that a block's draws get a run's figures of services, schemes and funding bit for bit,
// and its sums of spend (partners' spend and gaps, pools' balances, the system's gap) to
// within their rounding, as they add what no draw moves once (tests/batch_test.cc).
//
// A block's inputs: row r holds kLanes values of one number, the varying inputs' rows first,
// then constants (a value no input varies, the same in every lane).
//
// A block's lanes of one value, as one value: GCC's and Clang's vector extensions, so that a
// formula written once for a double is one expression over every draw of the block. Each
// operation is the double's, lane by lane (none reassociated, and no fused multiply-add:
// neither the baseline x86-64 nor AVX2 has one), so each lane is what the double gives.
//
// With GCC, each stage's lanes are also built for AVX2 and chosen when the program loads
// (FUNDGAP_LANES, fundgap/base/clones.h). A helper that takes or gives Lanes by value is
// always inlined: called from an AVX2 clone, a separate copy built for the baseline would
// pass them another way (as a debug build, which inlines nothing on its own, would
// otherwise do). So Lanes never cross a call, and GCC's note (Clang's warning) on how
// their passing differs between targets is moot: the build turns it off (-Wno-psabi,
// cmake/options.cmake).
#define FUNDGAP_INLINE inline __attribute__((always_inline))
using Lanes = double __attribute__((vector_size(kLanes * sizeof(double))));
FUNDGAP_INLINE Lanes load(const double* p) {
  Lanes v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
FUNDGAP_INLINE void store(double* p, const Lanes& v) { std::memcpy(p, &v, sizeof v); }
// x^n, lane by lane.
FUNDGAP_INLINE double power(double x, int n) { return std::pow(x, n); }
FUNDGAP_INLINE Lanes power(const Lanes& x, int n) {
  Lanes out;
  for (std::size_t j = 0; j < kLanes; ++j) out[j] = std::pow(x[j], n);
  return out;
}

struct LaneStore {
  std::vector<double> v;
  // Its rows by address, the vector's data held in the view: a lane stage reads rows
  // through one, since a store through a double* could, for all the compiler knows, change
  // the vector, and reading through the store itself would reload its data every time.
  struct Rows {
    const double* data;
    const double* at(int row) const { return data + static_cast<std::size_t>(row) * kLanes; }
  };
  Rows rows() const { return {v.data()}; }
};
// Entities x years x lanes: the lanes of one figure side by side.
struct LaneTable {
  Eigen::Index rows = 0, years = 0;
  std::vector<double> v;
  // Every row of `t`, each value in every lane: the constants a block starts from.
  void assign(const Table& t) {
    rows = t.rows();
    years = t.cols();
    v.resize(static_cast<std::size_t>(t.size()) * kLanes);
    for (Eigen::Index i = 0; i < t.size(); ++i)
      std::fill_n(v.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(i) * kLanes), kLanes, t.data()[i]);
  }
  double* at(Eigen::Index r, Eigen::Index t) { return v.data() + static_cast<std::size_t>(r * years + t) * kLanes; }
  const double* at(Eigen::Index r, Eigen::Index t) const {
    return v.data() + static_cast<std::size_t>(r * years + t) * kLanes;
  }
};
// Where a moving service's inputs are in a LaneStore: rows by year t (0 unused).
struct ServiceLanes {
  Eigen::Index service = 0;
  int base = 0;
  std::vector<int> demand, inflation;
  bool steady = false;  // every year's demand and inflation in the same two rows
  std::vector<std::vector<int>> recurrent, one_off;  // each year's pressures, in file order
};
// A moving scheme's: its numbers, and by year t its ramp, amount, investment ramp and
// one-off cost (-1 where the year has none).
struct SchemeLanes {
  Eigen::Index scheme = 0;
  int saving = 0, confidence = 0, reprovide_share = 0, investment = 0;
  std::vector<int> ramp, amount, investment_ramp, one_off_cost;
  // Whether an input a block varies reaches its investment, its one-off costs: where none
  // does, their rows keep the run's figures and a block does not write them.
  bool investment_moves = true, one_off_cost_moves = true;
};
// A partner with a single funding line.
struct PartnerLanes {
  Eigen::Index partner = 0;
  int base = 0;
  std::vector<int> growth;  // by year t (0 unused)
};
// A block's figures of the schemes, as the engine's Landings name them.
struct SchemeLaneTables {
  LaneTable saving, reprovided, investment, one_off_cost;
  const LaneTable& of(const Table Projection::*figure) const {
    return figure == &Projection::scheme_saving       ? saving
           : figure == &Projection::scheme_reprovided ? reprovided
           : figure == &Projection::scheme_investment ? investment
                                                      : one_off_cost;
  }
};

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
// X(t) = X(t-1) (1 + demand)(1 + inflation) + the year's recurrent pressures: last year's
// times the year's growth factor.
template <class T>
FUNDGAP_INLINE T growth_factor(T demand, T inflation) {
  return (1 + demand) * (1 + inflation);
}
template <class T>
FUNDGAP_INLINE T grown(T last, T demand, T inflation) {
  return last * growth_factor(demand, inflation);
}
// N = X - savings + re-provided + investment.
template <class T>
FUNDGAP_INLINE T net_of(T x, T saved, T back, T invested) {
  return x - saved + back + invested;
}
struct LaneChecks;
// The baseline of the services in `rows`, and the sum of its money_square() into
// checks.squares[0].
void baseline_lanes(const std::vector<ServiceLanes>& rows, const LaneStore& in, LaneTable& baseline,
                    LaneChecks& checks);
// What a block's checks gather while its baseline and net spend are worked out, lane by
// lane: the largest overspend_margin() of a service's savings over its spend, and the sums
// of money_square() of the baseline and of the net spend (finite.cc's check, in two
// running sums) of the services whose figure moves.
struct LaneChecks {
  Lanes most_over = Lanes{} - HUGE_VAL;
  Lanes squares[2] = {};
};
struct LaneSums;
// The net spend of the services in `rows` (lane_sums()' `net`), from their baseline and the
// sums landing on them, and their checks. REQUIRES: `landed` is lane_sums() of the same
// `rows`; `scratch` has 4 rows of baseline's years, the last zeros (a service's three
// sums, and the row an empty one reads).
void net_lanes(std::span<const Eigen::Index> rows, const LaneTable& baseline, const LaneSums& landed,
               LaneTable& scratch, LaneTable& net, LaneChecks& checks);
Explanation explain_baseline(Explainer& ex, const Figure& f, int t);
Explanation explain_pressures(Explainer& ex, const Figure& f, int t);
Explanation explain_net(Explainer& ex, const Figure& f, int t);
void bridge_demand_and_inflation(const BridgeContext& b, std::vector<BridgeStep>& steps);

// ---- schemes.cc: S_k(t), re-provision, investment, and their sums by service -------
// A scheme's saving in year t when it starts in `start` (its own start, or a place's), on
// the service's baseline `spend` that year. Inline: a draw evaluates it for every year of
// every scheme it moves.
// In its nth year (n = t - start + 1), with its numbers given: the formula for a draw.
template <class T>
FUNDGAP_INLINE T scheme_saving(bool absolute, bool efficiency, bool has_amounts, T saving, T amount, T confidence, T ramp, T spend,
                int n) {
  T full = absolute ? saving : saving * spend;
  if (efficiency) full = (1 - power(1 - saving, n)) * spend;
  else if (has_amounts) full = amount;
  return confidence * ramp * full;
}
inline double scheme_saving_at(const Scheme& sk, double spend, int t, int start) {
  if (t < start) return 0;
  return scheme_saving<double>(sk.absolute, sk.efficiency, sk.has_amounts, sk.saving, sk.has_amounts ? sk.amounts(t) : 0,
                       sk.confidence, sk.ramp_from(start, t), spend, t - start + 1);
}
// The figures of the moving schemes (their saving, reprovided spend, investment and
// one-off costs), from the baseline of their services.
void schemes_lanes(const Scenario& sc, const std::vector<SchemeLanes>& rows, const LaneStore& in,
                   const LaneTable& baseline, SchemeLaneTables& out);
// The sums land() makes, as rows of lanes, for the services in `net` in their order: sum
// k = 3i + j is service i's savings (j = 0), reprovided spend (1) and investment (2),
// 0 + terms[offsets[k]] + ... up to terms[offsets[k + 1]] (each a row's first year), and
// 0 where nothing lands, as land() writes it in a run. Worked out once; net_lanes() adds
// them up where it uses them, so that a block does not store them to read them back.
struct LaneSums {
  std::vector<std::size_t> offsets{0};
  std::vector<const double*> terms;
};
LaneSums lane_sums(std::span<const Eigen::Index> net, const Engine::Landings& landings, const SchemeLaneTables& figures);
// How far savings exceed the spend they come from past overspends()' tolerance: above zero
// exactly where overspends() finds an overspend (a difference of doubles is above zero
// exactly when the first is larger; NaN, neither, is passed over as overspends() passes it).
template <class T>
FUNDGAP_INLINE T overspend_margin(T saving, T spend) {
  return saving - spend * (1 + 1e-12);
}
// Sets bad[j] for each lane j whose savings exceed a service's spend (checks.most_over).
void overspent_lanes(const LaneChecks& checks, char* bad);
// Calls place_savings first (in a run of every row).
void schemes(const Scenario& sc, Projection& p, const Engine::Reach& reach, const Engine::Landings& landings);
std::vector<Overspend> overspends(const Scenario& sc, const Projection& p, const Engine::Reach& reach);
Diagnostics overspend_diagnostics(const Scenario& sc, const std::vector<Overspend>& overspends);
Explanation explain_scheme(Explainer& ex, const Figure& f, int t);
Explanation explain_service_schemes(Explainer& ex, const Figure& f, int t);  // savings, reprovided, investment
void bridge_schemes(const BridgeContext& b, std::vector<BridgeStep>& steps);

// ---- funding.cc: F_p(t), its streams, council tax ----------------------------------
void funding(const Scenario& sc, Projection& p);
// F(t) = F(t-1) (1 + growth): a single funding line.
template <class T>
FUNDGAP_INLINE T grown_by(T last, T growth) {
  return last * (1 + growth);
}
void funding_lanes(const std::vector<PartnerLanes>& rows, const LaneStore& in, LaneTable& funding);
void council_tax_measures(const Scenario& sc, Projection& p);  // once the gap is known
Explanation explain_funding(Explainer& ex, const Figure& f, int t);
Explanation explain_stream(Explainer& ex, const Figure& f, int t);
Explanation explain_council_tax(Explainer& ex, const Figure& f, int t);  // tax_base ... gap_ct_equivalent
Explanation explain_stream_target(Explainer& ex, const Figure& f, int t);  // target, distance, convergence
void bridge_funding(const BridgeContext& b, std::vector<BridgeStep>& steps);

// ---- partners.cc: E_p(t), G_p(t), the gap's yearly change ---------------------------
// Rows of one table added into rows of another, each with a weight: each row's terms
// together, in the order they were added.
struct RowSums {
  struct Term {
    Eigen::Index from;
    double weight;
  };
  std::vector<Eigen::Index> to;     // by run
  std::vector<std::size_t> runs{0};  // run r is terms[runs[r]] .. terms[runs[r + 1] - 1]
  std::vector<Term> terms;
  // A term of `row`, in a run of its own unless `row` is the last row added to (a row whose
  // terms come apart still adds up, in more runs, each a load and a store more).
  void add(Eigen::Index row, Eigen::Index from, double weight);
};
// out(to) += weight x in(from) for each term of `sums`, lane by lane, each row's terms in
// their order.
void add_rows(const RowSums& sums, const LaneTable& in, LaneTable& out);
// E_p(t) for spend `x` by service (net, or baseline for doing nothing), with pool spend
// and balances; `pool_spend` and `balance` are pools x years.
// A pool that is not Pool::linear() writes its partners' shares of the balance to `shared`
// (partners x years; no rows for a linear one) and its balance with what it carries forward.
void spend(const Scenario& sc, const std::vector<Engine::Share>& shares,
           const std::vector<std::pair<Eigen::Index, Eigen::Index>>& membership, const Projection& p,
           const Table& x, Table& pool_spend, Table& balance, Table& spend,
           std::vector<Table>& shared);
// The same for a block's net spend `x` (pools linear, their contributions those of `p`), and
// the gaps. What no draw moves is summed once, at the scenario's own values: the spend of
// the services outside `net` (the services whose net spend a draw can move), the pools'
// contributions, and the shares of the balances of pools with no member in `net`. So a
// lane's spend adds the same terms as a run's in another order, and can differ from it in
// its last bits: by at most the rounding of both orders, a half unit in the last place of
// each partial sum, none above the sum of the magnitudes of the terms (sum_rounding in
// tests/test_support.h).
struct SpendLanes {
  RowSums members;  // pools' spend: each moving member's net spend (weight 1)
  RowSums shares;   // partners' spend: each moving service's net spend x the partner's share
  RowSums risk;     // partners' spend: a moving pool's balance x -(the partner's nonzero risk share)
  std::vector<Eigen::Index> pools, partners;  // whose balance, whose spend a draw can move
  Table pool_spend, spend;  // pools x years, partners x years: what stays
};
SpendLanes spend_lanes_of(const Scenario& sc, const Projection& p, std::span<const Eigen::Index> net);
void spend_lanes(const SpendLanes& s, const Projection& p, const LaneTable& x, LaneTable& pool_spend,
                 LaneTable& balance, LaneTable& spend);
void gap_lanes(const LaneTable& spend, const LaneTable& funding, LaneTable& gap);
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
void system_gap_lanes(const LaneTable& gap, LaneTable& system_gap);  // one row

// ---- finite.cc: every figure `detail` computes is finite, and money within kMaxMoney ---
// The first figure that is not (earliest year, then services, schemes, partners, pools,
// places, the system), or nothing. Services outside `reach` are known to fit: the run that
// computed them found them so.
std::optional<FigureRef> first_misfit(const Scenario& sc, const Projection& p, Detail detail,
                                      const Engine::Reach& reach);
Diagnostics misfit_diagnostics(const Scenario& sc, const std::optional<FigureRef>& figure);
// A figure squared. A lane fits when the sum of these over its figures is under
// kMoneySquares: a figure that does not fit takes it above (infinity, NaN to NaN), and
// figures whose squares together pass it (a root of the sum of squares over £90 trillion)
// are left to the engine. (kMaxMoney squared is 8.1e27: a sum of squares of money that
// fits is far from overflowing.)
inline constexpr double kMoneySquares = kMaxMoney * kMaxMoney * (1 - 1e-9);
template <class T>
FUNDGAP_INLINE T money_square(T x) {
  return x * x;
}
// Sets bad[j] for each lane j where a figure of a block's gaps run does not fit: the
// baseline and net spend of the moving services (as `checks` has them), and every row of
// the other tables.
void misfit_lanes(const LaneChecks& checks, std::initializer_list<const LaneTable*> whole, char* bad);

}  // namespace fundgap::stages
