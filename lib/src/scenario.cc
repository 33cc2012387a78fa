#include "fundgap/scenario.h"

namespace fundgap {

std::optional<int> Scenario::year_index(FinancialYear y) const {
  int t = y - base_year;
  if (t < 0 || t > projected_years) return std::nullopt;
  return t;
}

SourceLocation Scenario::origin(const std::string& path) const {
  std::string p = path;
  while (!p.empty()) {
    auto it = origins.find(p);
    if (it != origins.end()) return it->second;
    std::size_t dot = p.find_last_of(".[");
    if (dot == std::string::npos) break;
    p.resize(dot);
  }
  return {};
}

namespace {
template <typename T>
int index_by_id(const std::vector<T>& v, const std::string& id) {
  for (std::size_t i = 0; i < v.size(); ++i)
    if (v[i].id == id) return static_cast<int>(i);
  return -1;
}
}  // namespace

bool Scenario::uncertain() const {
  for (const Parameter& p : parameters)
    if (p.distribution) return true;
  return false;
}

void set_parameter(Scenario& sc, const ParameterTarget& t, double v) {
  using F = ParameterTarget::Field;
  const auto e = static_cast<std::size_t>(t.entity);
  auto years = [&](YearValues& values) { values.segment(t.first, t.last - t.first + 1) = v; };
  switch (t.field) {
    case F::funding_base: sc.partners[e].funding_base = v; break;
    case F::funding_growth: years(sc.partners[e].growth); break;
    case F::service_base: sc.services[e].base = v; break;
    case F::demand: years(sc.services[e].demand); break;
    case F::inflation: years(sc.services[e].inflation); break;
    case F::saving: sc.schemes[e].saving = v; break;
    case F::ramp: sc.schemes[e].ramp[static_cast<std::size_t>(t.index)] = v; break;
    case F::confidence: sc.schemes[e].confidence = v; break;
    case F::reprovide_share: sc.schemes[e].reprovide_share = v; break;
    case F::investment: sc.schemes[e].investment = v; break;
    case F::investment_ramp: sc.schemes[e].investment_ramp[static_cast<std::size_t>(t.index)] = v; break;
    case F::contribution: sc.pools[e].contributions(t.index) = v; break;
    case F::pool_growth: years(sc.pools[e].growth); break;
  }
}

int Scenario::partner_index(const std::string& id) const { return index_by_id(partners, id); }
int Scenario::service_index(const std::string& id) const { return index_by_id(services, id); }

}  // namespace fundgap
