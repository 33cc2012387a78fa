// `partners:` each partner's name and funding {base, growth}.
#include "reading.h"

namespace fundgap::input {

namespace {

// Format 1.1 names a partner's funding streams: a map whose keys are not format 1's
// `base` and `growth`.
bool is_stream_map(const Node& funding) {
  for (const auto& [key, value] : funding.pairs)
    if (key.IsScalar() && key.text != "base" && key.text != "growth") return true;
  return false;
}

}  // namespace

void read_partners(Reading& r, const Entry& section) {
  using Field = ParameterTarget::Field;
  r.sc.origins["partners"] = Reading::at(section.key_node);
  for (const Entry& pe : r.section_entries(section, "partners")) {
    r.register_id(pe, "partner");
    const std::string where = fmt::format("partner '{}'", pe.key);
    const std::string path = "partners." + pe.key;
    const int index = static_cast<int>(r.sc.partners.size());
    Partner p;
    p.id = pe.key;
    p.name = pe.key;
    p.growth = YearValues::Zero(r.sc.projected_years + 1);
    r.sc.origins[path] = Reading::at(pe.key_node);
    if (r.expect(pe, Kind::map, "a map with 'funding'", "'partners'")) {
      std::vector<Entry> es = r.entries(pe.value, where);
      r.check_keys(es, {"name", "funding", "reserves"}, where);
      if (const Entry* e = Reading::find(es, "name"))
        if (auto s = r.text(*e, where)) p.name = *s;
      if (const Entry* f = r.require(es, "funding", where, Reading::at(pe.key_node), " (like 'funding: {base: 300m}')")) {
        const std::string fwhere = "funding of " + where;
        if (!r.expect(*f, Kind::map, "a map like {base: 300m, growth: 2%}", where)) {
        } else if (is_stream_map(f->value)) {
          if (r.needs_format_1_1(*f, "funding by named streams")) read_funding_streams(r, *f, p, index);
        } else {
          std::vector<Entry> fs = r.entries(f->value, fwhere);
          r.check_keys(fs, {"base", "growth"}, fwhere);
          if (const Entry* b = r.require(fs, "base", fwhere, Reading::at(*f))) {
            r.record(path + ".funding.base", *b);
            const ParameterSpec param{path + ".funding.base", {Field::funding_base, index}};
            if (auto v = r.money(*b, fwhere, &param)) p.funding_base = *v;
          }
          if (const Entry* g = Reading::find(fs, "growth"))
            p.growth = r.per_year_rate(*g, fwhere, path + ".funding.growth", Field::funding_growth, index);
        }
      }
      if (const Entry* e = Reading::find(es, "reserves"); e && r.needs_format_1_1(*e, "'reserves'"))
        read_reserves(r, *e, p, index);
    }
    r.sc.partners.push_back(std::move(p));
  }
  if (r.sc.partners.empty()) r.diags.error(Reading::at(section), "a scenario needs at least one partner");
}

}  // namespace fundgap::input
