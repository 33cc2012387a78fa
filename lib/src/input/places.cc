// Format 1.1 places: `places:` (population and weighted population), a service's split
// across places, and a scheme rolled out place by place.
#include <cmath>

#include "fundgap/base/money.h"
#include "fundgap/base/quantity.h"
#include "reading.h"

namespace fundgap::input {

namespace {
using Field = ParameterTarget::Field;
}  // namespace

void read_places(Reading& r, const Entry& section) {
  r.sc.origins["places"] = Reading::at(section.key_node);
  for (const Entry& pe : r.section_entries(section, "places")) {
    r.register_id(pe, "place");
    const std::string where = fmt::format("place '{}'", pe.key);
    const std::string path = "places." + pe.key;
    const int index = static_cast<int>(r.sc.places.size());
    r.sc.origins[path] = Reading::at(pe.key_node);
    Place pl;
    pl.id = pl.name = pe.key;
    if (r.expect(pe, Kind::map, "a map like {population: 331969, weighted_population: 352120.5}", "'places'")) {
      std::vector<Entry> es = r.entries(pe.value, where);
      r.check_keys(es, {"name", "population", "weighted_population"}, where);
      if (const Entry* e = Reading::find(es, "name"))
        if (auto t = r.text(*e, where)) pl.name = *t;
      auto count = [&](const Entry& e, Field field) -> std::optional<double> {
        r.record(path + "." + e.key, e);
        const ParameterSpec param{path + "." + e.key, {field, index}};
        auto v = r.number(e.value, Reading::at(e), ValueKind::factor, Reading::label(e, where), &param);
        if (v && *v <= 0) {
          r.diags.error(Reading::at(e), "'{}' of {} must be above zero", e.key, where);
          return std::nullopt;
        }
        return v;
      };
      if (const Entry* e = r.require(es, "population", where, Reading::at(pe.key_node)))
        if (auto v = count(*e, Field::place_population)) pl.population = *v;
      if (const Entry* e = Reading::find(es, "weighted_population"))
        if (auto v = count(*e, Field::place_weighted_population)) pl.weighted_population = *v;
    }
    r.sc.places.push_back(std::move(pl));
  }
  if (r.sc.places.empty()) r.diags.error(Reading::at(section), "'places' names no places");
}

void read_service_places(Reading& r, const Entry& e, Service& s, int service) {
  const std::string where = fmt::format("'places' of service '{}'", s.id);
  const std::string path = fmt::format("services.{}.places", s.id);
  r.record(path, e);
  if (r.sc.places.empty()) {
    r.diags.error(Reading::at(e.key_node), "service '{}' is split by place, but the scenario has no 'places'", s.id);
    return;
  }
  if (!r.expect(e, Kind::map, "a map of shares by place, or {by: population}", fmt::format("service '{}'", s.id)))
    return;
  std::vector<Entry> es = r.entries(e.value, where);
  if (const Entry* by = Reading::find(es, "by")) {
    r.check_keys(es, {"by"}, where);
    if (by->value.IsScalar() && by->value.Scalar() == "population")
      s.place_basis = Service::PlaceBasis::population;
    else if (by->value.IsScalar() && by->value.Scalar() == "weighted_population")
      s.place_basis = Service::PlaceBasis::weighted_population;
    else
      r.diags.error(Reading::at(*by), "expected 'population' or 'weighted_population' for 'by' in {}, found {}", where,
                    describe(by->value));
    return;
  }
  // Shares (40%) or money by place (base-year spend, which must add up to the service's base).
  const int L = static_cast<int>(r.sc.places.size());
  s.place_basis = Service::PlaceBasis::shares;
  s.place_shares = Eigen::ArrayXd::Zero(L);
  bool money = false, ok = true;
  for (const Entry& pe : es) {
    const int i = r.reference(pe.key_node, Reading::at(pe.key_node), EntityKind::place, where);
    money = money || !written_as_share(pe.value);
    const ParameterSpec param{fmt::format("{}.{}", path, pe.key), {Field::service_place_share, service, i}};
    auto v = money ? r.money(pe, where, i >= 0 ? &param : nullptr)
                   : r.share(pe.value, Reading::at(pe), Reading::label(pe, where), i >= 0 ? &param : nullptr);
    if (i < 0 || !v) {
      ok = false;
      continue;
    }
    s.place_shares(i) = *v;
  }
  if (!ok) return;
  const double total = s.place_shares.sum();
  if (money && std::fabs(total - s.base) > 0.005)
    r.diags.error(Reading::at(e), "the money by place of service '{}' adds up to {}, not its base of {}", s.id,
                  fmt::format("{:.2p}", Money{total, currency_symbol(r.sc.currency)}),
                  fmt::format("{:.2p}", Money{s.base, currency_symbol(r.sc.currency)}));
  else if (!money && std::fabs(total - 1) > 1e-9)
    r.diags.error(Reading::at(e), "the shares by place of service '{}' add up to {}, not 100%", s.id, percent_text(total));
}

void read_scheme_places(Reading& r, const Entry& e, Scheme& k) {
  const std::string where = fmt::format("'places' of scheme '{}'", k.id);
  r.record(fmt::format("schemes.{}.places", k.id), e);
  if (!r.expect(e, Kind::map, "a map from place to the year it starts there, like {plympton: 2010/11, rest: 2011/12}",
                fmt::format("scheme '{}'", k.id)))
    return;
  if (k.service < 0 || static_cast<std::size_t>(k.service) >= r.sc.services.size()) return;  // reported already
  const Service& sv = r.sc.services[static_cast<std::size_t>(k.service)];
  if (sv.place_basis == Service::PlaceBasis::none) {
    r.diags.error(Reading::at(e.key_node), "scheme '{}' is rolled out by place, but its service '{}' is not split by "
                  "place; give the service 'places'", k.id, sv.id);
    return;
  }
  k.place_start.assign(r.sc.places.size(), -1);
  std::optional<int> rest;
  for (const Entry& pe : r.entries(e.value, where)) {
    auto t = r.projected_year(pe.value, Reading::at(pe), Reading::label(pe, where));
    if (pe.key == "rest") {
      rest = t;
      continue;
    }
    const int i = r.reference(pe.key_node, Reading::at(pe.key_node), EntityKind::place, where);
    if (i >= 0 && t) k.place_start[static_cast<std::size_t>(i)] = *t;
  }
  if (rest)
    for (int& start : k.place_start)
      if (start < 0) start = *rest;
}

}  // namespace fundgap::input
