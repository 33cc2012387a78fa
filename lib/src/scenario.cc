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

int Scenario::partner_index(const std::string& id) const { return index_by_id(partners, id); }
int Scenario::service_index(const std::string& id) const { return index_by_id(services, id); }

}  // namespace fundgap
