// A scenario: partners, services, schemes and pools over a base year and projected
// years, with every value already checked and converted to numbers. This is what the
// engine reads; `load_scenario_file` (fundgap/input/reader.h) builds one from YAML.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <Eigen/Core>

#include "fundgap/base/diagnostic.h"
#include "fundgap/base/year.h"
#include "fundgap/model/catalogue.h"
#include "fundgap/model/parameter.h"

namespace fundgap {

// Values indexed by year t = 0..T: element 0 is the base year (rates there are unused
// and 0), elements 1..T the projected years.
using YearValues = Eigen::ArrayXd;

// A funding stream of a partner (format 1.1): council tax, business rates, a grant...
struct FundingStream {
  enum class Kind {
    money,        // money that cannot be negative: a grant, retained business rates
    signed_money, // may be negative: a collection fund deficit, a tariff
    council_tax,  // tax base x Band D, the charge rising by core increase + ASC precept
  };
  std::string id;
  std::string name;             // Default: the id
  Kind kind = Kind::money;
  double base = 0;              // S(0)
  YearValues growth;            // its yearly rate, when it has no `amounts`
  bool has_amounts = false;     // `amounts` gives its level each projected year
  YearValues amounts;           // by year t (element 0 unused)
  bool one_off = false;         // amounts count in their years only
  int until = -1;               // the last year index with the stream; -1: every year
  // council tax
  double tax_base = 0;          // Band D equivalent dwellings in the base year (after collection)
  YearValues tax_base_growth;
  double band_d = 0;            // the base year's Band D charge, currency units
  YearValues core, precept;     // the yearly increase: core and adult social care precept
  // A target ("fair share") and the rule that moves the stream towards it (an ICB's
  // allocation under weighted capitation and pace of change).
  bool has_target = false;
  double quantum = 0;           // the national total in the base year
  YearValues quantum_growth;
  double weighted_population = 0, national_weighted_population = 0;
  enum class Convergence { none, pace_of_change, level_up } convergence = Convergence::none;
  double close = 0;             // the share of the distance from target closed each year
  double band = 0;              // within this distance (either way) only the uniform growth applies
  double min_growth = 0;        // pace_of_change: the least an allocation above target grows
};

// A partner's reserves (format 1.1).
struct Reserves {
  double opening = 0;           // the balance at the end of the base year
  bool minimum_is_share = false;
  double minimum = 0;           // money, or a share of the partner's spend each year
  bool cover_gap = false;       // policy: draw what covers each year's gap, down to zero
  YearValues use;               // planned drawdowns by year (negative: a contribution)
};

struct Partner {
  std::string id;
  std::string name;           // Default: the id
  double funding_base = 0;    // F_p(0), currency units (format 1's single funding line)
  YearValues growth;          // growth_p(t)
  std::vector<FundingStream> streams;  // format 1.1's named streams; empty for the single line
  int council_tax = -1;       // the index of its council tax stream, or -1
  std::optional<Reserves> reserves;
};

// Money added to a service's spend (format 1.1): recurrent amounts stay in the base from
// their year on; a one-off counts in its year only.
struct Pressure {
  std::string id;
  YearValues amounts;         // by year t (element 0 unused)
  bool one_off = false;
};

struct FundingShare {
  int partner = 0;            // index into Scenario::partners
  double share = 1;           // w_{p,s}; a service's shares sum to 1
};

struct Service {
  std::string id;
  std::string name;
  double base = 0;            // X_s(0)
  YearValues demand;          // demand_s(t)
  YearValues inflation;       // inflation_s(t)
  std::vector<FundingShare> funders;  // empty exactly when the service is pooled
  int pool = -1;              // index into Scenario::pools, or -1
  std::vector<Pressure> pressures;
  // How its spend splits across places (format 1.1): explicit shares (or money), or in
  // proportion to the places' populations. The engine rescales explicit ones to add up to 1.
  enum class PlaceBasis { none, shares, population, weighted_population } place_basis = PlaceBasis::none;
  Eigen::ArrayXd place_shares;  // by place, for PlaceBasis::shares
};

struct Scheme {
  std::string id;
  std::string name;
  int service = 0;            // the service whose spend it saves
  bool absolute = false;      // true: `saving` is money A_k; false: a share f_k of X_s(t)
  double saving = 0;
  bool efficiency = false;    // `saving` is a yearly efficiency e: X(t)(1 - (1 - e)^n) in its nth year
  bool has_amounts = false;   // money saved each projected year (the level that year): `amounts`
  YearValues amounts;         // by year t (element 0 unused)
  YearValues one_off_cost;    // by year t, charged to its service; empty when none
  int start = 1;              // t0_k, a projected year index (1..T)
  std::vector<double> ramp{1.0};  // r_k by year from start; the last value persists
  double confidence = 1;      // c_k, in [0, 1]
  int reprovide_service = -1; // -1: nothing re-provided
  double reprovide_share = 0; // phi_k
  int investment_service = -1;  // -1: no investment
  double investment = 0;      // I_k at full effect, currency units a year
  std::vector<double> investment_ramp;  // empty: follows `ramp`
  int investment_start = -1;  // the investment's own start; -1: the scheme's
  int step_at = -1;           // a `step` ramp profile's year of full effect; -1: none
  std::vector<int> place_start;  // by place, the year it starts there (-1: not there); empty: everywhere

  // Fraction of full effect in year t (0 before the start).
  double ramp_at(int t) const { return ramp_value(ramp, start, t); }
  double investment_ramp_at(int t) const {
    const int from = investment_start < 0 ? start : investment_start;
    // An investment with a start of its own that follows a step ramp takes the step at its year.
    if (investment_ramp.empty() && step_at >= 0) return t < from ? 0 : t < step_at ? 0 : 1;
    return ramp_value(investment_ramp.empty() ? ramp : investment_ramp, from, t);
  }
  // Fraction of full effect in year t of a scheme that starts in year `from` (a place's own start).
  double ramp_from(int from, int t) const { return ramp_value(ramp, from, t); }
  // Whether the scheme costs anything: re-provision, investment or one-off costs.
  bool has_costs() const { return reprovide_service >= 0 || investment_service >= 0 || one_off_cost.size() > 0; }

 private:
  static double ramp_value(const std::vector<double>& r, int from, int t) {
    if (t < from) return 0;
    std::size_t i = static_cast<std::size_t>(t - from);
    return i < r.size() ? r[i] : r.back();
  }
};

enum class RiskShareRule {
  proportional,  // in proportion to each year's contributions
  host,          // all to the host
  fixed,         // fixed shares by partner
  lead,          // each pooled service's variance to its lead commissioner (format 1.1)
  tiers,         // bands of the balance, each shared by its own rule (format 1.1)
};

// A pool's money from one funding source of one partner (format 1.1): the BCF's NHS
// minimum, the iBCF, the Disabled Facilities Grant.
struct PoolSource {
  std::string id;
  int partner = 0;
  double base = 0;       // its base-year amount
  YearValues growth;     // its own rate, or the pool's
};

// Money a pool allocates to one of its services or schemes, by source (format 1.1). Each
// amount is base-year money that grows with its source (or a share of the source).
struct PoolAllocation {
  std::string target;    // the service or scheme id
  int service = -1;      // the pooled service whose spend it meets
  Eigen::ArrayXd amounts;  // by source
  std::vector<char> is_share;  // by source: the amount is a share of the source
};

// A ring-fenced minimum: the allocations to `targets` from one source must reach `amount`,
// which grows with the source unless it has a growth of its own.
struct PoolMinimum {
  std::string id;
  int source = 0;
  std::vector<int> targets;  // indices into the pool's allocations
  double amount = 0;
  bool own_growth = false;
  YearValues growth;
};

// One band of a tiered risk share: the part of the balance (either way) up to `up_to`
// beyond the bands before it, shared by `rule`.
struct RiskTier {
  double up_to = 0;      // infinity for the last band
  RiskShareRule rule = RiskShareRule::host;  // proportional, host or fixed
  Eigen::ArrayXd shares; // by partner, for fixed
};

struct Pool {
  std::string id;
  std::string name;
  int host = 0;                     // partner index
  std::vector<int> services;        // Q_q
  Eigen::ArrayXd contributions;     // K_{q,p}(0) by partner index (size P)
  YearValues growth;                // the pool's growth, applied to every contribution
  RiskShareRule risk_rule = RiskShareRule::proportional;
  Eigen::ArrayXd fixed_shares;      // by partner index; used when risk_rule == fixed
  // Format 1.1 (all empty for a pool without them)
  std::vector<PoolSource> sources;  // contributions by source; empty: one per partner at `growth`
  std::vector<PoolAllocation> allocations;
  std::vector<PoolMinimum> minimums;
  std::vector<int> leads;           // by service index: its lead commissioner (risk_rule lead); -1 the host
  std::vector<RiskTier> tiers;      // risk_rule tiers
  bool carry_forward = false;       // an underspend stays in the pool for the next year

  // Whether the partner shares of its balance are a fixed share of it every year (no
  // sources with their own growth, no tiers, lead or carry-forward): the fast path.
  bool linear() const;

  // Whether `partner` takes part: it contributes, or carries a share of the risk.
  // Exactly these partners have the pool's per-partner measures.
  bool involves(int partner) const;
};

// A place-based partnership, borough or locality (format 1.1).
struct Place {
  std::string id;
  std::string name;           // Default: the id
  double population = 0;
  double weighted_population = 0;  // 0: not given, the population stands for it
  double weighted() const { return weighted_population > 0 ? weighted_population : population; }
};

// How a place's partnership is governed (seed 002), which decides who carries its variance.
enum class Governance { none, consultative_forum, committee, executive, joint_committee, lead_provider };

// Budgets a partner delegates to places (format 1.1).
struct Delegation {
  std::string id;
  std::string name;
  int partner = 0;            // whose funding
  int stream = -1;            // one of its funding streams; -1: all its funding
  bool envelope_is_share = true;
  double envelope = 0;        // a share of the source each year, or base-year money growing with it
  std::vector<int> services;  // what places hold budgets for
  enum class Method { historic, fair_share, hybrid } method = Method::fair_share;
  Eigen::ArrayXd historic;    // by place: base-year budgets or shares (rescaled to add up to 1)
  enum class FairBasis { weighted_population, population, shares } fair_basis = FairBasis::weighted_population;
  Eigen::ArrayXd fair;        // by place, for FairBasis::shares (rescaled to add up to 1)
  bool level_up = false;      // glide by sharing each year's growth by shortfall against fair share
  YearValues glide;           // by year t: the weight of the fair share (hybrid, not level_up)
  bool has_floor = false, has_cap = false;
  double floor = 0, cap = 0;  // the least and most a place's budget grows in cash a year
  std::vector<Governance> form;  // by place
  std::vector<int> lead_provider;  // by place: the partner that carries the variance; -1: the delegating partner
};

// Correlated uncertain parameters, drawn through a Gaussian copula.
struct CorrelationGroup {
  std::vector<int> parameters;  // indices into Scenario::parameters
  Eigen::MatrixXd cholesky;     // lower-triangular L with L L^T = the correlation matrix
  SourceLocation where;
};

enum class CompareOp { le, lt, ge, gt, eq, ne };

// What a check compares: the figure, its sum over every year, or its change on the year before.
enum class Aggregate { none, sum, change };

// One check on a plan: `ENTITY.MEASURE[YEAR] OP VALUE [± TOLERANCE]`. See docs/checks.md.
struct Check {
  std::string name;              // Default: the expression
  std::string expression;        // as written
  SourceLocation where;          // the expression's first character
  Figure figure;                 // what is checked
  Aggregate aggregate = Aggregate::none;  // format 1.1: sum(...) or change(...) of the figure
  std::optional<int> year;       // the year index t; nothing means every year (for sum: all of them added)
  CompareOp op = CompareOp::le;
  double value = 0;              // currency units, or a fraction when `relative`
  bool relative = false;         // value is a share of the figure's `share_of` measure
  double tolerance = 0;          // for == and !=; Default: 0 (values are compared in pennies)
  bool tolerance_relative = false;  // tolerance is a share of the expected value
};

struct Scenario {
  std::string name;
  std::string currency = "GBP";
  FinancialYear base_year;
  int projected_years = 0;  // T
  int format_minor = 0;     // 0 for `fundgap: 1`, 1 for `fundgap: 1.1`
  // Format 1.1: the yearly rate of prices, for reporting in real terms; empty when not given.
  YearValues deflator;
  double discount = 0.035;  // for schemes' net present value; Default: 3.5% (HM Treasury Green Book)

  std::vector<Partner> partners;
  std::vector<Service> services;
  std::vector<Scheme> schemes;
  std::vector<Pool> pools;
  std::vector<Place> places;
  std::vector<Delegation> delegations;
  std::vector<Check> checks;
  std::vector<Parameter> parameters;         // every numeric input, in file order
  std::vector<CorrelationGroup> correlations;
  // Notes found while reading, each located: the input is good but may not say what was
  // meant (a ramp longer than the period, a base year that does not balance). Commands
  // print them to standard error.
  Diagnostics warnings;

  bool uncertain() const;  // some parameter has a distribution

  // Where each value came from, keyed by its YAML path: "services.acute.demand",
  // "partners.ccg.funding.base", "schemes.x" (the entry's key). Used to point
  // errors found after reading (and `explain`) at the line that caused them.
  std::unordered_map<std::string, SourceLocation> origins;

  int years() const { return projected_years + 1; }  // T + 1 columns, base year included
  FinancialYear year(int t) const { return base_year + t; }
  // The index t of `y`, or nothing when it is outside the period.
  std::optional<int> year_index(FinancialYear y) const;
  // Location recorded for `path`, or the closest recorded ancestor path.
  SourceLocation origin(const std::string& path) const;

  // The index of the entity of `kind` with `id`, or -1. Constant time: by hash.
  int index_of(EntityKind kind, const std::string& id) const;
  int partner_index(const std::string& id) const { return index_of(EntityKind::partner, id); }
  int service_index(const std::string& id) const { return index_of(EntityKind::service, id); }
  // The kind of entity `id` ("system" included), or nothing when no entity has it.
  std::optional<EntityKind> kind_of(const std::string& id) const;
  // The id of entity `entity` of `kind` ("system" for the system).
  const std::string& id_of(EntityKind kind, int entity) const;
  // How many entities of `kind` there are (1 for the system).
  int count(EntityKind kind) const;
  // Rebuilds the id index. REQUIRES: called after entities are added or renamed;
  // the reader calls it once it has read them.
  void index_ids();

 private:
  std::array<std::unordered_map<std::string, int>, 5> ids_;  // by kind (not the system): id -> index
};

}  // namespace fundgap
