#include "fundgap/model/parameter.h"

#include <cmath>
#include <type_traits>

#include <fmt/format.h>

#include "fundgap/base/money.h"
#include "fundgap/model/scenario.h"

namespace fundgap {

std::pair<double, double> default_range(ValueKind kind) {
  constexpr double inf = std::numeric_limits<double>::infinity();
  switch (kind) {
    case ValueKind::money: return {0, inf};
    case ValueKind::rate: return {-1, inf};
    case ValueKind::share: return {0, 1};
    case ValueKind::factor: break;
  }
  return {0, inf};
}

namespace {

// The slots of `sc` (a Scenario or a const one) that `t` sets.
template <typename S>
auto slots_of(S& sc, const ParameterTarget& t) {
  using Number = std::conditional_t<std::is_const_v<S>, const double, double>;
  using F = ParameterTarget::Field;
  const auto e = static_cast<std::size_t>(t.entity);
  const auto i = static_cast<std::size_t>(t.index);
  auto one = [](Number& v) { return std::span<Number>(&v, 1); };
  auto years = [&](auto& values) {
    return std::span<Number>(values.data() + t.first, static_cast<std::size_t>(t.last - t.first + 1));
  };
  switch (t.field) {
    case F::funding_base: return one(sc.partners[e].funding_base);
    case F::funding_growth: return years(sc.partners[e].growth);
    case F::service_base: return one(sc.services[e].base);
    case F::demand: return years(sc.services[e].demand);
    case F::inflation: return years(sc.services[e].inflation);
    case F::saving: return one(sc.schemes[e].saving);
    case F::ramp: return one(sc.schemes[e].ramp[i]);
    case F::confidence: return one(sc.schemes[e].confidence);
    case F::reprovide_share: return one(sc.schemes[e].reprovide_share);
    case F::investment: return one(sc.schemes[e].investment);
    case F::investment_ramp: return one(sc.schemes[e].investment_ramp[i]);
    case F::contribution: return one(sc.pools[e].contributions(t.index));
    case F::pool_growth: return years(sc.pools[e].growth);
    case F::stream_base: return one(sc.partners[e].streams[i].base);
    case F::stream_growth: return years(sc.partners[e].streams[i].growth);
    case F::stream_amount: return years(sc.partners[e].streams[i].amounts);
    case F::tax_base: return one(sc.partners[e].streams[i].tax_base);
    case F::tax_base_growth: return years(sc.partners[e].streams[i].tax_base_growth);
    case F::band_d: return one(sc.partners[e].streams[i].band_d);
    case F::ct_core: return years(sc.partners[e].streams[i].core);
    case F::ct_precept: return years(sc.partners[e].streams[i].precept);
    case F::reserves_opening: return one(sc.partners[e].reserves->opening);
    case F::reserves_minimum: return one(sc.partners[e].reserves->minimum);
    case F::reserves_use: return years(sc.partners[e].reserves->use);
    case F::pressure_amount: return years(sc.services[e].pressures[i].amounts);
    case F::scheme_amount: return years(sc.schemes[e].amounts);
    case F::one_off_cost: return years(sc.schemes[e].one_off_cost);
    case F::deflator: return years(sc.deflator);
    case F::discount: return one(sc.discount);
    case F::stream_quantum: return one(sc.partners[e].streams[i].quantum);
    case F::stream_quantum_growth: return years(sc.partners[e].streams[i].quantum_growth);
    case F::stream_weighted_population: return one(sc.partners[e].streams[i].weighted_population);
    case F::place_population: return one(sc.places[e].population);
    case F::place_weighted_population: return one(sc.places[e].weighted_population);
    case F::service_place_share: return one(sc.services[e].place_shares(t.index));
    case F::delegation_envelope: return one(sc.delegations[e].envelope);
    case F::delegation_historic: return one(sc.delegations[e].historic(t.index));
    case F::delegation_fair: return one(sc.delegations[e].fair(t.index));
    case F::delegation_glide: return years(sc.delegations[e].glide);
    case F::delegation_floor: return one(sc.delegations[e].floor);
    case F::delegation_cap: return one(sc.delegations[e].cap);
    case F::pool_source_base: return one(sc.pools[e].sources[i].base);
    case F::pool_source_growth: return years(sc.pools[e].sources[i].growth);
    case F::pool_allocation: return one(sc.pools[e].allocations[i].amounts(t.first));
    case F::pool_minimum: return one(sc.pools[e].minimums[i].amount);
    case F::pool_minimum_growth: return years(sc.pools[e].minimums[i].growth);
    case F::pool_tier: return one(sc.pools[e].tiers[i].up_to);
  }
  return std::span<Number>();
}

}  // namespace

std::span<double> parameter_slots(Scenario& sc, const ParameterTarget& t) { return slots_of(sc, t); }

void set_parameter(Scenario& sc, const ParameterTarget& t, double v) {
  for (double& slot : slots_of(sc, t)) slot = v;
}

double parameter_value(const Scenario& sc, const ParameterTarget& t) { return slots_of(sc, t).front(); }

std::vector<const Parameter*> parameters_within(const Scenario& sc, const std::string& path) {
  std::vector<const Parameter*> out;
  const std::string open = path + "[";
  for (const Parameter& p : sc.parameters)
    if (p.path.size() > open.size() && p.path.compare(0, open.size(), open) == 0 &&
        p.path.find('[', open.size()) == std::string::npos)
      out.push_back(&p);
  return out;
}

std::string_view distribution_example(ValueKind kind) {
  switch (kind) {
    case ValueKind::money: return "{normal: {mean: 40m, sd: 2m}}";
    case ValueKind::share: return "{uniform: [40%, 60%]}";
    case ValueKind::rate: return "{normal: {mean: 3%, sd: 1%}}";
    case ValueKind::factor: break;
  }
  return "{normal: {mean: 1, sd: 0.1}}";
}

std::string value_text(ValueKind kind, double v, const std::string& currency, int significant) {
  switch (kind) {
    case ValueKind::rate:
    case ValueKind::share: return fmt::format("{:.{}g}%", v * 100, significant);
    case ValueKind::money: {
      const std::string symbol = currency_symbol(currency);
      return fmt::format("{:.1m}", Money{v, symbol});
    }
    case ValueKind::factor: break;
  }
  return fmt::format("{:.{}g}", v, significant);
}

}  // namespace fundgap
