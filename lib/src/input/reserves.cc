// Format 1.1 `reserves:` opening balance, minimum (money or a share of spend) and planned
// use (or `policy: cover_gap`).
#include <cmath>

#include "fundgap/base/money.h"
#include "fundgap/base/quantity.h"
#include "reading.h"

namespace fundgap::input {

void read_reserves(Reading& r, const Entry& e, Partner& p, int partner) {
  using Field = ParameterTarget::Field;
  const std::string where = fmt::format("'reserves' of partner '{}'", p.id);
  const std::string path = fmt::format("partners.{}.reserves", p.id);
  r.record(path, e);
  if (!r.expect(e, Kind::map, "a map like {opening: 52m, minimum: 3%, use: {2025/26: 8.5m}}",
                fmt::format("partner '{}'", p.id)))
    return;
  std::vector<Entry> es = r.entries(e.value, where);
  r.check_keys(es, {"opening", "minimum", "use", "policy"}, where);
  Reserves res;
  res.use = YearValues::Zero(r.sc.projected_years + 1);
  if (const Entry* o = r.require(es, "opening", where, Reading::at(e), " (the balance at the end of the base year)")) {
    r.record(path + ".opening", *o);
    const ParameterSpec param{path + ".opening", {Field::reserves_opening, partner}};
    if (auto v = r.money(*o, where, &param)) res.opening = *v;
  }
  if (const Entry* m = Reading::find(es, "minimum")) {
    r.record(path + ".minimum", *m);
    const Quantity q = m->value.IsScalar() ? parse_quantity(m->value.Scalar()) : Quantity{};
    const ParameterSpec param{path + ".minimum", {Field::reserves_minimum, partner}};
    res.minimum_is_share = q.percent;
    if (q.percent) {
      if (auto v = r.share(m->value, Reading::at(*m), "'minimum' of " + where, &param)) res.minimum = *v;
    } else if (auto v = r.money(*m, where, &param)) {
      res.minimum = *v;
    }
  }
  const Entry* use = Reading::find(es, "use");
  if (const Entry* pol = Reading::find(es, "policy")) {
    r.record(path + ".policy", *pol);
    if (pol->value.IsScalar() && pol->value.Scalar() == "cover_gap") {
      res.cover_gap = true;
      if (use)
        r.diags.error(Reading::at(use->key_node), "{} has both 'use' and 'policy: cover_gap'; give one", where);
    } else {
      r.diags.error(Reading::at(*pol), "expected 'cover_gap' for 'policy' in {}, found {}{}", where, describe(pol->value),
                    pol->value.IsScalar() ? did_you_mean(pol->value.Scalar(), {"cover_gap"}) : std::string());
    }
  }
  if (use && !res.cover_gap) {
    res.use = r.per_year_money(*use, {where, path + ".use", Field::reserves_use, partner, 0, false, 0, true, ""});
    // Planned use may not take the balance below zero.
    double balance = res.opening;
    const std::string symbol = currency_symbol(r.sc.currency);
    for (int t = 1; t <= r.sc.projected_years; ++t) {
      balance -= res.use(t);
      if (std::round(balance * 100) < 0) {
        const std::string year = r.sc.year(t).label();
        r.diags.error(r.sc.origin(fmt::format("{}.use[{}]", path, year)),
                      "planned use of {}'s reserves in {} ({}) takes them to {}, below zero", p.id, year,
                      fmt::format("{:.1m}", Money{res.use(t), symbol}), fmt::format("{:.1m}", Money{balance, symbol}));
        break;
      }
    }
  }
  p.reserves = res;
}

}  // namespace fundgap::input
