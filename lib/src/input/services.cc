// `services:` each service's base spend, demand and inflation, and who funds it.
#include <cmath>

#include "fundgap/base/quantity.h"
#include "reading.h"

namespace fundgap::input {

void read_services(Reading& r, const Entry& section) {
  using Field = ParameterTarget::Field;
  r.sc.origins["services"] = Reading::at(section.key_node);
  for (const Entry& se : r.section_entries(section, "services")) {
    r.register_id(se, "service");
    const std::string where = fmt::format("service '{}'", se.key);
    const std::string path = "services." + se.key;
    const int index = static_cast<int>(r.sc.services.size());
    Service s;
    s.id = se.key;
    s.name = se.key;
    s.demand = YearValues::Zero(r.sc.projected_years + 1);
    s.inflation = s.demand;
    r.sc.origins[path] = Reading::at(se.key_node);
    r.service_loc.push_back(Reading::at(se.key_node));
    r.funder_loc.emplace_back();
    const bool is_map = r.expect(se, Kind::map, "a map with 'base'", "'services'");
    if (!is_map) r.service_loc.back() = {};  // already reported; no second error about its funder
    if (is_map) {
      std::vector<Entry> es = r.entries(se.value, where);
      r.check_keys(es, {"name", "funder", "base", "demand", "inflation", "pressures", "places"}, where);
      if (const Entry* e = Reading::find(es, "name"))
        if (auto t = r.text(*e, where)) s.name = *t;
      if (const Entry* b = r.require(es, "base", where, Reading::at(se.key_node))) {
        r.record(path + ".base", *b);
        const ParameterSpec param{path + ".base", {Field::service_base, index}};
        if (auto v = r.money(*b, where, &param)) s.base = *v;
      }
      if (const Entry* d = Reading::find(es, "demand"))
        s.demand = r.per_year_rate(*d, where, path + ".demand", Field::demand, index);
      if (const Entry* i = Reading::find(es, "inflation"))
        s.inflation = r.per_year_rate(*i, where, path + ".inflation", Field::inflation, index);
      if (const Entry* pr = Reading::find(es, "pressures"); pr && r.needs_format_1_1(*pr, "'pressures'"))
        read_pressures(r, *pr, s, index);
      if (const Entry* pl = Reading::find(es, "places"); pl && r.needs_format_1_1(*pl, "a split by 'places'"))
        read_service_places(r, *pl, s, index);
      if (const Entry* f = Reading::find(es, "funder")) {
        r.record(path + ".funder", *f);
        r.funder_loc.back() = Reading::at(*f);
        const std::string lbl = "'funder' of " + where;
        if (f->value.IsScalar()) {
          const int p = r.reference(f->value, Reading::at(*f), EntityKind::partner, lbl);
          if (p >= 0) s.funders.push_back({p, 1.0});
        } else if (f->value.IsMap()) {
          double total = 0;
          bool all_ok = true;
          for (const Entry& fe : r.entries(f->value, lbl)) {
            const int p = r.reference(fe.key_node, Reading::at(fe.key_node), EntityKind::partner, lbl);
            auto w = r.share(fe.value, Reading::at(fe), fmt::format("share of '{}' in {}", fe.key, lbl));
            if (p < 0 || !w) {
              all_ok = false;
              continue;
            }
            total += *w;
            s.funders.push_back({p, *w});
          }
          if (all_ok && std::fabs(total - 1) > 1e-9)
            r.diags.error(Reading::at(*f), "funding shares of {} sum to {}, not 100%", where, percent_text(total));
        } else {
          r.diags.error(Reading::at(*f), "expected a partner id or a map of partner shares for {}, found {}", lbl,
                        describe(f->value));
        }
      }
    }
    r.sc.services.push_back(std::move(s));
  }
  if (r.sc.services.empty()) r.diags.error(Reading::at(section), "a scenario needs at least one service");
}

}  // namespace fundgap::input
