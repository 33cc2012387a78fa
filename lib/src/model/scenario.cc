#include "fundgap/model/scenario.h"

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

bool Scenario::uncertain() const {
  for (const Parameter& p : parameters)
    if (p.distribution) return true;
  return false;
}

void Scenario::index_ids() {
  auto add = [&](const auto& list, EntityKind kind) {
    auto& ids = ids_[static_cast<std::size_t>(kind)];
    ids.clear();
    for (std::size_t i = 0; i < list.size(); ++i) ids.emplace(list[i].id, static_cast<int>(i));  // the first keeps an id
  };
  add(partners, EntityKind::partner);
  add(services, EntityKind::service);
  add(schemes, EntityKind::scheme);
  add(pools, EntityKind::pool);
  add(places, EntityKind::place);
}

int Scenario::index_of(EntityKind kind, const std::string& id) const {
  if (kind == EntityKind::system) return -1;
  const auto& ids = ids_[static_cast<std::size_t>(kind)];
  auto it = ids.find(id);
  return it == ids.end() ? -1 : it->second;
}

std::optional<EntityKind> Scenario::kind_of(const std::string& id) const {
  if (id == "system") return EntityKind::system;
  for (EntityKind kind : {EntityKind::partner, EntityKind::service, EntityKind::scheme, EntityKind::pool,
                          EntityKind::place})
    if (index_of(kind, id) >= 0) return kind;
  return std::nullopt;
}

const std::string& Scenario::id_of(EntityKind kind, int entity) const {
  static const std::string system = "system";
  const auto e = static_cast<std::size_t>(entity);
  switch (kind) {
    case EntityKind::partner: return partners[e].id;
    case EntityKind::service: return services[e].id;
    case EntityKind::scheme: return schemes[e].id;
    case EntityKind::pool: return pools[e].id;
    case EntityKind::place: return places[e].id;
    case EntityKind::system: break;
  }
  return system;
}

int Scenario::count(EntityKind kind) const {
  switch (kind) {
    case EntityKind::partner: return static_cast<int>(partners.size());
    case EntityKind::service: return static_cast<int>(services.size());
    case EntityKind::scheme: return static_cast<int>(schemes.size());
    case EntityKind::pool: return static_cast<int>(pools.size());
    case EntityKind::place: return static_cast<int>(places.size());
    case EntityKind::system: break;
  }
  return 1;
}

}  // namespace fundgap
