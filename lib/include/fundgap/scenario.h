// A scenario: partners, services, schemes and pools over a base year and projected
// years, with every value already checked and converted to numbers. This is what the
// engine reads; `load_scenario` (reader.h) builds one from YAML.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "fundgap/diagnostic.h"
#include "fundgap/distribution.h"
#include "fundgap/year.h"

namespace fundgap {

// Values indexed by year t = 0..T: element 0 is the base year (rates there are unused
// and 0), elements 1..T the projected years.
using YearValues = Eigen::ArrayXd;

struct Partner {
  std::string id;
  std::string name;           // Default: the id
  double funding_base = 0;    // F_p(0), currency units
  YearValues growth;          // growth_p(t)
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
};

struct Scheme {
  std::string id;
  std::string name;
  int service = 0;            // the service whose spend it saves
  bool absolute = false;      // true: `saving` is money A_k; false: a share f_k of X_s(t)
  double saving = 0;
  int start = 1;              // t0_k, a projected year index (1..T)
  std::vector<double> ramp{1.0};  // r_k by year from start; the last value persists
  double confidence = 1;      // c_k, in [0, 1]
  int reprovide_service = -1; // -1: nothing re-provided
  double reprovide_share = 0; // phi_k
  int investment_service = -1;  // -1: no investment
  double investment = 0;      // I_k at full effect, currency units a year
  std::vector<double> investment_ramp;  // empty: follows `ramp`

  // Fraction of full effect in year t (0 before the start).
  double ramp_at(int t) const { return ramp_value(ramp, t); }
  double investment_ramp_at(int t) const {
    return ramp_value(investment_ramp.empty() ? ramp : investment_ramp, t);
  }

 private:
  double ramp_value(const std::vector<double>& r, int t) const {
    if (t < start) return 0;
    std::size_t i = static_cast<std::size_t>(t - start);
    return i < r.size() ? r[i] : r.back();
  }
};

enum class RiskShareRule { proportional, host, fixed };

struct Pool {
  std::string id;
  std::string name;
  int host = 0;                     // partner index
  std::vector<int> services;        // Q_q
  Eigen::ArrayXd contributions;     // K_{q,p}(0) by partner index (size P)
  YearValues growth;                // the pool's growth, applied to every contribution
  RiskShareRule risk_rule = RiskShareRule::proportional;
  Eigen::ArrayXd fixed_shares;      // by partner index; used when risk_rule == fixed
};

// Where a numeric input lands in a Scenario, so it can be set without re-reading YAML
// (Monte Carlo draws, sensitivity swings, solve).
struct ParameterTarget {
  enum class Field {
    funding_base, funding_growth,                    // partner `entity`
    service_base, demand, inflation,                 // service `entity`
    saving, ramp, confidence, reprovide_share,       // scheme `entity` (ramp: position `index`)
    investment, investment_ramp,
    contribution, pool_growth                        // pool `entity` (contribution: partner `index`)
  };
  Field field = Field::service_base;
  int entity = 0;
  int index = 0;
  int first = 0, last = 0;  // for per-year fields: the years t it sets
};

// One numeric input of the scenario.
struct Parameter {
  std::string path;        // its YAML path: "services.acute.demand", "...demand[2020/21]"
  SourceLocation where;
  double value = 0;        // what `run` uses: the number, or the distribution's mean
  std::optional<Distribution> distribution;  // set when the input is uncertain
  ParameterTarget target;
};

// Correlated uncertain parameters, drawn through a Gaussian copula.
struct CorrelationGroup {
  std::vector<int> parameters;  // indices into Scenario::parameters
  Eigen::MatrixXd cholesky;     // lower-triangular L with L L^T = the correlation matrix
  SourceLocation where;
};

enum class CompareOp { le, lt, ge, gt, eq, ne };

// One check on a plan: `ENTITY.MEASURE[YEAR] OP VALUE [± TOLERANCE]`. See docs/checks.md.
struct Check {
  std::string name;              // Default: the expression
  std::string expression;        // as written
  SourceLocation where;          // the expression's first character
  std::string entity;            // a partner, service, scheme or pool id, or "system"
  std::string kind;              // "partner", "service", "scheme", "pool" or "system"
  std::string measure;           // a measure of that entity in `fundgap run --view all`
  std::optional<int> year;       // the year index t; nothing means every year
  CompareOp op = CompareOp::le;
  double value = 0;              // currency units, or a fraction when `relative`
  bool relative = false;         // value is a share of the entity's reference measure
  double tolerance = 0;          // for == and !=; Default: 0 (values are compared in pennies)
  bool tolerance_relative = false;  // tolerance is a share of the expected value
};

struct Scenario {
  std::string name;
  std::string currency = "GBP";
  FinancialYear base_year;
  int projected_years = 0;  // T

  std::vector<Partner> partners;
  std::vector<Service> services;
  std::vector<Scheme> schemes;
  std::vector<Pool> pools;
  std::vector<Check> checks;
  std::vector<Parameter> parameters;         // every numeric input, in file order
  std::vector<CorrelationGroup> correlations;

  bool uncertain() const;  // some parameter has a distribution

  // Where each value came from, keyed by its YAML path: "services.acute.demand",
  // "partners.ccg.funding.base", "schemes.x" (the entry's key). Used to point
  // errors found after reading (and `explain`) at the line that caused them.
  std::map<std::string, SourceLocation> origins;

  int years() const { return projected_years + 1; }  // T + 1 columns, base year included
  FinancialYear year(int t) const { return base_year + t; }
  // The index t of `y`, or nothing when it is outside the period.
  std::optional<int> year_index(FinancialYear y) const;
  // Location recorded for `path`, or the closest recorded ancestor path.
  SourceLocation origin(const std::string& path) const;

  int partner_index(const std::string& id) const;  // -1 when absent
  int service_index(const std::string& id) const;
};

// Sets the input `target` of `scenario` to `value`.
void set_parameter(Scenario& scenario, const ParameterTarget& target, double value);

}  // namespace fundgap
