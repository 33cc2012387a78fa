// Format 1.1 `pressures:` money added to a service's spend: recurrent amounts stay in the
// base from their year on; a one-off counts in its year only.
#include "reading.h"

namespace fundgap::input {

void read_pressures(Reading& r, const Entry& e, Service& s, int service) {
  const std::string swhere = fmt::format("service '{}'", s.id);
  const std::string path = fmt::format("services.{}.pressures", s.id);
  r.record(path, e);
  if (!r.expect(e, Kind::map, "a map of pressures like {pay: {amounts: [9.3m, 10.6m]}}", swhere)) return;
  for (const Entry& pe : r.entries(e.value, "'pressures' of " + swhere)) {
    const std::string where = fmt::format("pressure '{}' of {}", pe.key, swhere);
    const std::string ppath = path + "." + pe.key;
    r.sc.origins[ppath] = Reading::at(pe.key_node);
    Pressure pr;
    pr.id = pe.key;
    pr.amounts = YearValues::Zero(r.sc.projected_years + 1);
    if (!r.expect(pe, Kind::map, "a map like {amounts: [9.3m, 10.6m]}", "'pressures' of " + swhere)) continue;
    std::vector<Entry> es = r.entries(pe.value, where);
    r.check_keys(es, {"amounts", "one_off"}, where);
    if (const Entry* o = Reading::find(es, "one_off")) {
      r.record(ppath + ".one_off", *o);
      if (!o->value.IsScalar() || (o->value.Scalar() != "true" && o->value.Scalar() != "false"))
        r.diags.error(Reading::at(*o), "expected true or false for 'one_off' in {}, found {}", where, describe(o->value));
      else
        pr.one_off = o->value.Scalar() == "true";
    }
    if (const Entry* a = r.require(es, "amounts", where, Reading::at(pe.key_node),
                                   " (money added each year, like [9.3m, 10.6m] or {2025/26: 2m})"))
      pr.amounts = r.per_year_money(*a, {where, ppath + ".amounts", ParameterTarget::Field::pressure_amount, service,
                                         static_cast<int>(s.pressures.size()), false, 0, true, ""});
    s.pressures.push_back(std::move(pr));
  }
}

}  // namespace fundgap::input
