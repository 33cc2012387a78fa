// The projection engine: the v1 semantics of docs/semantics.md (MISSION.md), computed
// as a fixed sequence of stages on Eigen arrays of entities x years. Every figure that
// fundgap reports is computed here; reports, checks, `explain` and `bridge` only read.
#pragma once

#include <optional>
#include <span>
#include <vector>

#include <Eigen/Core>

#include "fundgap/model/scenario.h"

namespace fundgap {

// Every Table (catalogue.h) has one row per entity and one column per year t = 0..T.
struct Projection {
  // services x years
  Table baseline;    // X_s(t)
  Table savings;     // sum of scheme savings on s
  Table reprovided;  // sum of re-provision into s
  Table investment;  // sum of scheme investment into s
  Table net;         // N_s(t) = baseline - savings + reprovided + investment

  // schemes x years
  Table scheme_saving;      // S_k(t)
  Table scheme_reprovided;  // phi_k S_k(t)
  Table scheme_investment;  // I_k(t)

  // partners x years
  Table funding;           // F_p(t)
  Table spend;             // E_p(t)
  Table gap;               // G_p(t) = E_p(t) - F_p(t)
  Table spend_do_nothing;  // E_p(t) with X in place of N
  Table gap_do_nothing;

  // pools x years
  Table pool_contributions;    // sum_p K_{q,p}(t)
  Table pool_spend;            // P_q(t)
  Table pool_balance;          // V_q(t); positive is an underspend
  Table pool_balance_do_nothing;
  // pools x partners: rho_{q,p}, each row sums to 1 (constant over years: contributions
  // all grow at the pool's rate, so proportional shares do not move)
  Table risk_share;
  // per pool, partners x years
  std::vector<Table> pool_partner_contribution;  // K_{q,p}(t)
  std::vector<Table> pool_balance_share;         // rho_{q,p} V_q(t)
  std::vector<Table> pool_cost;                  // K_{q,p}(t) - rho_{q,p} V_q(t)
  // Format 1.1, per pool (no rows for a pool without the concept)
  std::vector<Table> pool_source;         // sources x years: each source's money
  std::vector<Table> pool_source_index;   // sources x years: its growth since the base year
  std::vector<Table> pool_unallocated;    // sources x years: less its allocations (< 0: over-allocated)
  std::vector<Table> pool_allocation;     // allocations x years, from every source
  std::vector<Table> pool_minimum, pool_minimum_headroom;  // minimums x years
  // A pool whose shares of the balance are not one fixed share of it (not Pool::linear()):
  // partners x years, planned and with no schemes.
  std::vector<Table> pool_shared, pool_shared_do_nothing;
  Table pool_carried;  // pools x years: the underspend carried into the next year

  // Format 1.1 (arrays of no rows when the scenario has none of the concept)
  Table pressures;            // services x years: money added that year, recurrent and one-off
  Table scheme_one_off_cost;  // schemes x years
  Table scheme_net_benefit;   // saving less re-provision, investment and one-off costs, to date
  Table scheme_npv;           // the same discounted to the base year
  Table scheme_roi;           // net benefit to date / costs to date
  std::vector<Table> stream_funding;  // per partner: streams x years, S_{p,k}(t)
  // partners x years
  Table gap_annual;           // G(t) - G(t-1); G(0) in the base year
  Table reserves_used, reserves, reserves_minimum, reserves_headroom, gap_after_reserves;
  Table tax_base, band_d;     // council tax: Band D equivalents, the charge
  Table ct_per_1pct;          // what 1% more council tax raises that year
  Table gap_ct_equivalent;    // the gap as a council tax increase (a fraction)
  // per partner, streams x years (zeros for a stream without a target)
  std::vector<Table> stream_target, stream_distance, stream_distance_pct, stream_convergence;
  Table delegated;            // partners x years: the envelopes it delegates
  // per scheme rolled out by place: places x years, its saving in each place (no rows otherwise)
  std::vector<Table> scheme_place_saving;
  // The shares by place the run used: per service (empty when it is not split), per delegation.
  std::vector<Eigen::ArrayXd> service_place_shares, delegation_historic, delegation_fair;
  // places x years
  std::vector<Table> delegation_budget;  // by delegation: places x years, to the penny
  std::vector<Table> delegation_gap;     // by delegation: places x years, its services' spend - budget
  Table place_budget, place_target, place_distance, place_distance_pct, place_spend, place_gap;

  // The whole system: one row per Measure (its enum value) with a system total, the sum
  // over the entities of its kind in file order; other rows are zero.
  Table system;
};

// Savings on a service above its baseline spend in some year: bad input, found only once
// the scenario is projected. `scheme` is the one whose saving (in file order) tips the
// running total over the spend.
struct Overspend {
  int service = 0, year = 0, scheme = 0;
  double savings = 0, spend = 0;
};

// A delegation whose floors and caps cannot all hold with budgets that add up to its
// envelope in some year: the floors need more than the envelope, or the caps allow less.
struct Infeasible {
  int delegation = 0, year = 0;
  double envelope = 0, least = 0, most = 0;  // the envelope, and the floors' and caps' totals
};

// What a projection found wrong with its inputs; empty when nothing.
// The largest money figure fundgap reports: a double holds whole pennies exactly up to
// 2^53 (about 9.007e13 pounds), and beyond that a figure would not add up to the penny.
inline constexpr double kMaxMoney = 9e13;

struct ProjectionStatus {
  std::vector<Overspend> overspends;
  std::vector<Infeasible> allocations;
  // The first figure that is not finite, or money beyond ±kMaxMoney (an input so large
  // or growing so fast that the figures built on it overflow).
  std::optional<FigureRef> misfit;
  bool ok() const { return overspends.empty() && allocations.empty() && !misfit; }
};

// Turns a status into located diagnostics ("savings on service 'acute' in 2020/21 ...").
Diagnostics status_diagnostics(const Scenario& scenario, const ProjectionStatus& status);

// How much of a projection to compute.
enum class Detail {
  full,  // every figure in the catalogue
  gaps,  // what Monte Carlo summarises: partners' gaps, the system gap, pool balances
};

// Whether a projection of `detail` computes `figure` (every figure, in full).
bool computed_in(const Figure& figure, Detail detail);

// Projects scenarios of one structure over and over without allocating: the funding
// shares and pool membership are fixed when it is built, and each run writes into a
// Projection whose arrays are reused. Monte Carlo draws use one Engine per thread.
class Engine {
 public:
  // REQUIRES: `scenario` outlives nothing here; its structure is copied. `varying` lists
  // the inputs that may change between the runs (Monte Carlo draws), for rerun().
  explicit Engine(const Scenario& scenario, std::span<const ParameterTarget> varying = {});

  // Projects `scenario`, which must have the structure (entities, pools, funders) of
  // the one the engine was built from; only parameter values may differ. Returns what was
  // wrong: the first year of each service whose savings exceed its baseline spend (the
  // figures after the savings stage are then not computed), or delegations whose floors
  // and caps cannot hold (full detail only).
  ProjectionStatus run(const Scenario& scenario, Projection& out, Detail detail = Detail::full) const;

  // The same as run(scenario, out, Detail::gaps), bit for bit, recomputing only the
  // services and schemes the `varying` inputs reach (the rest of `out` is kept).
  // REQUIRES: `out` was written by a run() whose status was ok(), of a scenario that
  // differs from `scenario` in the varying inputs at most, and since then by rerun()s only
  // (whether or not theirs were ok).
  ProjectionStatus rerun(const Scenario& scenario, Projection& out) const;

  // Sparse structure: a service has one funder or a few, and is in one pool at most.
  struct Share {
    Eigen::Index partner, service;
    double share;
  };

  // The rows of services and schemes that inputs reach (all of them, for run()).
  struct Reach {
    bool all = true;
    std::vector<Eigen::Index> services;  // whose baseline can move
    std::vector<Eigen::Index> schemes;   // whose figures can move
    std::vector<Eigen::Index> net;       // services whose net spend can move
    bool pools = true;                   // whether the pools' contributions can move
  };

  // What lands on each service from the schemes, in file order (so that every run adds
  // each sum up in the same order): sum j of service s (0 its savings, 1 what is
  // re-provided into it, 2 the investment and one-off costs into it) adds the figures
  // entries[offsets[3s + j]] up to entries[offsets[3s + j + 1]].
  struct Landing {
    const Table Projection::*figure;  // a scheme figure: saving, reprovided, investment or one-off cost
    Eigen::Index scheme;
  };
  struct Landings {
    std::vector<std::size_t> offsets;
    std::vector<Landing> entries;
  };

 private:
  std::vector<Share> shares_;                                       // unpooled services
  std::vector<std::pair<Eigen::Index, Eigen::Index>> membership_;  // (pool, service)
  Reach all_, reach_;                                               // every row; what `varying` reaches
  Landings landings_;
  ProjectionStatus project(const Scenario& scenario, Projection& out, Detail detail, const Reach& reach) const;
  // Which format 1.1 concepts the scenario has: the arrays of the others stay empty.
  bool pressures_ = false, one_off_costs_ = false, council_tax_ = false, reserves_ = false, lead_providers_ = false;
};

// What a reader should know about a full projection that no figure says by itself: the
// first year each partner's reserves fall below their minimum, when each scheme with costs
// pays back. Empty for a scenario without reserves or scheme costs.
std::vector<std::string> projection_notes(const Scenario& scenario, const Projection& projection);

// Projects `scenario` in full (an Engine used once). Throws InputError, located at the
// scheme whose saving tips them over, when savings on a service exceed its spend.
Projection project(const Scenario& scenario);

}  // namespace fundgap
