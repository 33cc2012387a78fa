// The top level of a scenario document and its period; the sections in their order.
#include <algorithm>

#include "fundgap/base/quantity.h"
#include "loading.h"
#include "reading.h"

namespace fundgap::input {

Scenario Reading::read(const Node& root) {
  if (root.IsNull()) {
    diags.error({file_, 1, 1}, "the file is empty; a scenario starts with 'fundgap: 1'");
    return std::move(sc);
  }
  if (!root.IsMap()) {
    diags.error(at(root), "expected a map of scenario keys at the top level, found {}", describe(root));
    return std::move(sc);
  }
  const std::string top = "the scenario";
  std::vector<Entry> es = entries(root, top);
  check_keys(es, top_level_keys(), top);
  const SourceLocation start{file_, 1, 1};
  if (const Entry* e = require(es, "fundgap", top, start, " (the format version: 'fundgap: 1')")) {
    if (e->value.IsScalar() && (e->value.Scalar() == "1" || e->value.Scalar() == "1.1"))
      sc.format_minor = e->value.Scalar() == "1.1" ? 1 : 0;
    else
      diags.error(at(*e), "unsupported format version {}; this fundgap reads versions 1 and 1.1", describe(e->value));
  }
  if (const Entry* e = require(es, "name", top, start))
    if (auto s = text(*e, top)) sc.name = *s;
  if (const Entry* e = find(es, "description")) text(*e, top);
  if (const Entry* e = find(es, "currency")) {
    if (auto s = text(*e, top)) {
      const bool ok = s->size() == 3 && std::all_of(s->begin(), s->end(), [](char c) { return c >= 'A' && c <= 'Z'; });
      if (ok)
        sc.currency = *s;
      else
        diags.error(at(*e), "expected a three-letter currency code (like GBP) for 'currency', found '{}'", *s);
    }
  }
  if (const Entry* e = require(es, "period", top, start, " (like 'period: {base: 2018/19, to: 2021/22}')"))
    read_period(*this, *e);
  if (const Entry* e = find(es, "prices"); e && needs_format_1_1(*e, "'prices'")) read_prices(*this, *e);
  if (const Entry* e = find(es, "discount"); e && needs_format_1_1(*e, "'discount'")) {
    record("discount", *e);
    const ParameterSpec param{"discount", {ParameterTarget::Field::discount, 0}};
    if (auto v = number(e->value, at(*e), ValueKind::rate, label(*e, top), &param)) {
      if (*v < 0 || *v >= 1)
        diags.error(at(*e), "'discount' is {}; a discount rate is from 0% to below 100% (the Green Book's is 3.5%)",
                    percent_text(*v));
      else
        sc.discount = *v;
    }
  }
  if (const Entry* e = require(es, "partners", top, start)) read_partners(*this, *e);
  if (const Entry* e = find(es, "places"); e && needs_format_1_1(*e, "'places'")) read_places(*this, *e);
  sc.index_ids();
  if (const Entry* e = require(es, "services", top, start)) read_services(*this, *e);
  sc.index_ids();
  if (const Entry* e = find(es, "schemes")) read_schemes(*this, *e);
  sc.index_ids();  // pools allocate to schemes
  if (const Entry* e = find(es, "pools")) read_pools(*this, *e);
  sc.index_ids();
  if (const Entry* e = find(es, "delegations"); e && needs_format_1_1(*e, "'delegations'")) read_delegations(*this, *e);
  check_funders(*this);
  if (const Entry* e = find(es, "correlations")) read_correlations(*this, *e);
  // Checks name entities and years, so they are read last, and only when those are sound.
  if (const Entry* e = find(es, "checks"); e && diags.empty()) read_checks(*this, *e);
  return std::move(sc);
}

void read_period(Reading& r, const Entry& e) {
  const std::string where = "'period'";
  if (!r.expect(e, Kind::map, "a map like {base: 2018/19, to: 2021/22}", "the scenario")) return;
  std::vector<Entry> es = r.entries(e.value, where);
  r.check_keys(es, {"base", "to"}, where);
  const Entry* base = r.require(es, "base", where, Reading::at(e));
  const Entry* to = r.require(es, "to", where, Reading::at(e));
  std::optional<FinancialYear> b, t;
  if (base) b = r.year(base->value, Reading::at(*base), "'base' in 'period'");
  if (to) t = r.year(to->value, Reading::at(*to), "'to' in 'period'");
  if (!b || !t) return;
  if (*t <= *b) {
    r.diags.error(Reading::at(*to), "the period must end after its base year: 'to' is {} and 'base' is {}", *t, *b);
    return;
  }
  if (*t - *b > 100) {
    r.diags.error(Reading::at(*to), "the period runs {} years past its base; at most 100 are projected", *t - *b);
    return;
  }
  r.sc.base_year = *b;
  r.sc.projected_years = *t - *b;
  r.period_ok = true;
  r.record("period", e);
}

void read_prices(Reading& r, const Entry& e) {
  const std::string where = "'prices'";
  if (!r.expect(e, Kind::map, "a map like {deflator: [2.7%, 2.1%]}", "the scenario")) return;
  std::vector<Entry> es = r.entries(e.value, where);
  r.check_keys(es, {"deflator"}, where);
  if (const Entry* d = r.require(es, "deflator", where, Reading::at(e), " (the yearly rate of prices, like 2%)"))
    r.sc.deflator = r.per_year_rate(*d, where, "prices.deflator", ParameterTarget::Field::deflator, 0);
}

void check_funders(Reading& r) {
  for (std::size_t s = 0; s < r.sc.services.size(); ++s) {
    const Service& sv = r.sc.services[s];
    const bool has_funder = r.funder_loc[s].known();
    if (sv.pool >= 0 && has_funder)
      r.diags.error(r.funder_loc[s], "service '{}' is in pool '{}' and so cannot have a funder; the pool's "
                    "contributions fund it", sv.id, r.sc.pools[static_cast<std::size_t>(sv.pool)].id);
    else if (sv.pool < 0 && !has_funder && r.service_loc[s].known())
      r.diags.error(r.service_loc[s], "service '{}' has no funder and is in no pool; add 'funder: PARTNER'", sv.id);
  }
}

}  // namespace fundgap::input
