// The numeric inputs of a scenario as data: each records what kind of value it is, the
// range it may take, and where in the Scenario it lands, so that `--set`, Monte Carlo
// draws, sensitivity swings and solve all change inputs through one mechanism.
#pragma once

#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "fundgap/base/diagnostic.h"
#include "fundgap/model/distribution.h"

namespace fundgap {

struct Scenario;

// What a number means, which decides how it is written and its default range.
enum class ValueKind {
  money,   // currency units: `120m`
  rate,    // a yearly change: `3.5%`, above -100%
  share,   // a fraction of something: `40%`, from 0 to 100%
  factor,  // a plain number
};

// Where a numeric input lands in a Scenario, so it can be set without re-reading YAML.
struct ParameterTarget {
  enum class Field {
    funding_base, funding_growth,                    // partner `entity`
    service_base, demand, inflation,                 // service `entity`
    saving, ramp, confidence, reprovide_share,       // scheme `entity` (ramp: position `index`)
    investment, investment_ramp,
    contribution, pool_growth,                       // pool `entity` (contribution: partner `index`)
    // format 1.1
    stream_base, stream_growth, stream_amount,       // partner `entity`, stream `index`
    tax_base, tax_base_growth, band_d, ct_core, ct_precept,  // partner `entity`, stream `index`
    reserves_opening, reserves_minimum, reserves_use,        // partner `entity`
    pressure_amount,                                 // service `entity`, pressure `index`
    scheme_amount, one_off_cost,                     // scheme `entity`
    deflator, discount,                              // the scenario
    stream_quantum, stream_quantum_growth, stream_weighted_population,  // partner `entity`, stream `index`
    place_population, place_weighted_population,     // place `entity`
    service_place_share,                             // service `entity`, place `index`
    delegation_envelope, delegation_historic, delegation_fair,  // delegation `entity` (place `index`)
    delegation_glide, delegation_floor, delegation_cap,
    pool_source_base, pool_source_growth,            // pool `entity`, source `index`
    pool_allocation,                                 // pool `entity`, allocation `index`, source `first`
    pool_minimum, pool_minimum_growth,               // pool `entity`, minimum `index`
    pool_tier                                        // pool `entity`, tier `index`: its `up_to`
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
  ValueKind kind = ValueKind::money;
  // The range a value may take (a distribution is truncated to it). low is exclusive for
  // rates (a rate of -100% would wipe a figure out) and inclusive otherwise.
  double low = 0, high = std::numeric_limits<double>::infinity();
  double value = 0;        // what `run` uses: the number, or the distribution's mean
  std::optional<Distribution> distribution;  // set when the input is uncertain
  ParameterTarget target;
};

// The default range of a kind: money and factors [0, inf), rates (-100%, inf), shares [0, 1].
std::pair<double, double> default_range(ValueKind kind);

// The numbers of `scenario` that `target` sets: one, or a run of years.
std::span<double> parameter_slots(Scenario& scenario, const ParameterTarget& target);
// Sets the input `target` of `scenario` to `value`.
void set_parameter(Scenario& scenario, const ParameterTarget& target, double value);
// The value the input `target` has in `scenario` (its first year, for a run of years).
double parameter_value(const Scenario& scenario, const ParameterTarget& target);

// The parameters of an input given year by year (or a ramp, value by value), named
// `path[...]`, in file order; empty when `path` is not such an input.
std::vector<const Parameter*> parameters_within(const Scenario& scenario, const std::string& path);

// An example of a distribution for an input of `kind`, for messages:
// "{normal: {mean: 3%, sd: 1%}}".
std::string_view distribution_example(ValueKind kind);

// A value of `kind` for messages and tables: rates and shares as percentages with
// `significant` digits ("2%", "3.25%"), money in millions ("£3.0m"), factors plainly.
std::string value_text(ValueKind kind, double value, const std::string& currency, int significant = 4);

}  // namespace fundgap
