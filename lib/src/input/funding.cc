// Format 1.1 `funding:` as named streams: grants and other money lines (base, growth or
// amounts, until, one-off) and council tax (tax base, Band D, increases, the referendum rule).
#include <cmath>

#include "fundgap/base/quantity.h"
#include "reading.h"

namespace fundgap::input {

namespace {

using Field = ParameterTarget::Field;
using StreamKind = FundingStream::Kind;

struct StreamContext {
  std::string where, path;
  int partner, stream;
};

std::optional<StreamKind> stream_kind(Reading& r, const std::vector<Entry>& es, const std::string& id,
                                      const std::string& where) {
  const Entry* e = Reading::find(es, "kind");
  if (!e) return id == "council_tax" ? StreamKind::council_tax : id == "collection_fund" ? StreamKind::signed_money
                                                                                       : StreamKind::money;
  static const std::vector<std::string> kinds = {"money", "signed", "council_tax"};
  if (e->value.IsScalar()) {
    const std::string& k = e->value.Scalar();
    if (k == "money") return StreamKind::money;
    if (k == "signed") return StreamKind::signed_money;
    if (k == "council_tax") return StreamKind::council_tax;
  }
  r.diags.error(Reading::at(*e), "expected 'money', 'signed' or 'council_tax' for 'kind' in {}, found {}{}", where,
                describe(e->value), e->value.IsScalar() ? did_you_mean(e->value.Scalar(), kinds) : std::string());
  return std::nullopt;
}

// A money line: base, then growth or amounts; one-off amounts; signed when its kind says.
void read_money_line(Reading& r, const std::vector<Entry>& es, const StreamContext& c, FundingStream& st) {
  const bool signed_money = st.kind == StreamKind::signed_money;
  const std::string hint = " (a stream that may be negative, like a collection fund deficit, takes 'kind: signed')";
  if (const Entry* b = Reading::find(es, "base")) {
    r.record(c.path + ".base", *b);
    const ParameterSpec param{c.path + ".base", {Field::stream_base, c.partner, c.stream}, signed_money};
    auto v = r.number(b->value, Reading::at(*b), ValueKind::money, Reading::label(*b, c.where), &param);
    if (v && *v < 0 && !signed_money)
      r.diags.error(Reading::at(*b), "'base' in {} cannot be negative{}", c.where, hint);
    else if (v)
      st.base = *v;
  }
  const Entry* growth = Reading::find(es, "growth");
  const Entry* amounts = Reading::find(es, "amounts");
  const Entry* one_off = Reading::find(es, "one_off");
  if (growth && amounts) {
    r.diags.error(Reading::at(amounts->key_node), "{} has both 'growth' and 'amounts'; give one: growth compounds the "
                  "base, amounts give each year's level", c.where);
    return;
  }
  if (one_off) {
    r.record(c.path + ".one_off", *one_off);
    if (!one_off->value.IsScalar() || (one_off->value.Scalar() != "true" && one_off->value.Scalar() != "false"))
      r.diags.error(Reading::at(*one_off), "expected true or false for 'one_off' in {}, found {}", c.where,
                    describe(one_off->value));
    else
      st.one_off = one_off->value.Scalar() == "true";
    if (st.one_off && !amounts)
      r.diags.error(Reading::at(one_off->key_node), "'one_off' in {} needs 'amounts' (the years and sums it comes in)",
                    c.where);
  }
  if (growth)
    st.growth = r.per_year_rate(*growth, c.where, c.path + ".growth", Field::stream_growth, c.partner, c.stream);
  if (amounts) {
    st.has_amounts = true;
    st.amounts = r.per_year_money(*amounts, {c.where, c.path + ".amounts", Field::stream_amount, c.partner, c.stream,
                                             !st.one_off, st.base, signed_money, hint});
  }
}

// Council tax: tax base x Band D, the charge rising each year by core + ASC precept.
void read_council_tax(Reading& r, const std::vector<Entry>& es, const StreamContext& c, const SourceLocation& at_key,
                      FundingStream& st) {
  const int T = r.sc.projected_years;
  st.tax_base_growth = st.core = st.precept = YearValues::Zero(T + 1);
  if (const Entry* tb = r.require(es, "tax_base", c.where, at_key, " (like {base: 60250.4, growth: 0.8%})")) {
    const std::string twhere = "'tax_base' of " + c.where;
    r.record(c.path + ".tax_base", *tb);
    if (r.expect(*tb, Kind::map, "a map like {base: 60250.4, growth: 0.8%}", c.where)) {
      std::vector<Entry> ts = r.entries(tb->value, twhere);
      r.check_keys(ts, {"base", "growth"}, twhere);
      if (const Entry* b = r.require(ts, "base", twhere, Reading::at(*tb), " (Band D equivalent dwellings)")) {
        r.record(c.path + ".tax_base.base", *b);
        const ParameterSpec param{c.path + ".tax_base.base", {Field::tax_base, c.partner, c.stream}};
        if (auto v = r.number(b->value, Reading::at(*b), ValueKind::factor, Reading::label(*b, twhere), &param)) {
          if (*v <= 0)
            r.diags.error(Reading::at(*b), "the council tax base in {} must be above zero", c.where);
          else
            st.tax_base = *v;
        }
      }
      if (const Entry* g = Reading::find(ts, "growth"))
        st.tax_base_growth =
            r.per_year_rate(*g, twhere, c.path + ".tax_base.growth", Field::tax_base_growth, c.partner, c.stream);
    }
  }
  if (const Entry* bd = r.require(es, "band_d", c.where, at_key, " (the base year's Band D charge, like 1899.31)")) {
    r.record(c.path + ".band_d", *bd);
    const ParameterSpec param{c.path + ".band_d", {Field::band_d, c.partner, c.stream}};
    if (auto v = r.number(bd->value, Reading::at(*bd), ValueKind::money, Reading::label(*bd, c.where), &param)) {
      if (*v <= 0)
        r.diags.error(Reading::at(*bd), "the Band D charge in {} must be above zero", c.where);
      else
        st.band_d = *v;
    }
  }
  if (const Entry* inc = Reading::find(es, "increase")) {
    const std::string iwhere = "'increase' of " + c.where;
    r.record(c.path + ".increase", *inc);
    if (r.expect(*inc, Kind::map, "a map like {core: 2.99%, asc_precept: 2%}", c.where)) {
      std::vector<Entry> is = r.entries(inc->value, iwhere);
      r.check_keys(is, {"core", "asc_precept"}, iwhere);
      if (const Entry* e = Reading::find(is, "core"))
        st.core = r.per_year_rate(*e, iwhere, c.path + ".increase.core", Field::ct_core, c.partner, c.stream);
      if (const Entry* e = Reading::find(is, "asc_precept"))
        st.precept =
            r.per_year_rate(*e, iwhere, c.path + ".increase.asc_precept", Field::ct_precept, c.partner, c.stream);
    }
  }
  const Entry* ref = Reading::find(es, "referendum");
  if (!ref) return;
  const std::string rwhere = "'referendum' of " + c.where;
  r.record(c.path + ".referendum", *ref);
  if (!r.expect(*ref, Kind::map, "a map like {core: 3%, asc_precept: 2%}", c.where)) return;
  std::vector<Entry> rs = r.entries(ref->value, rwhere);
  r.check_keys(rs, {"core", "asc_precept", "bespoke"}, rwhere);
  const Entry* bespoke = Reading::find(rs, "bespoke");
  if (bespoke && bespoke->value.IsScalar() && bespoke->value.Scalar() == "true") return;  // bespoke: nothing to check
  double core_limit = 0, precept_limit = 0;
  if (const Entry* e = r.require(rs, "core", rwhere, Reading::at(*ref), " (the principle's core limit, like 3%)")) {
    auto v = r.plain_number(e->value, Reading::at(*e), ValueKind::rate, Reading::label(*e, rwhere));
    if (!v) return;
    core_limit = *v;
  }
  if (const Entry* e = Reading::find(rs, "asc_precept")) {
    auto v = r.plain_number(e->value, Reading::at(*e), ValueKind::rate, Reading::label(*e, rwhere));
    if (!v) return;
    precept_limit = *v;
  }
  if (bespoke && (!bespoke->value.IsScalar() || bespoke->value.Scalar() != "false")) {
    r.diags.error(Reading::at(*bespoke), "expected true or false for 'bespoke' in {}, found {}", rwhere,
                  describe(bespoke->value));
    return;
  }
  // In millionths, so that 2.99% + 2% against 3% + 2% is decided exactly.
  auto ppm = [](double x) { return std::llround(x * 1e6); };
  for (int t = 1; t <= T; ++t) {
    const double core = st.core(t), precept = st.precept(t);
    const bool total_over = ppm(core + precept) >= ppm(core_limit + precept_limit);
    const bool precept_over = ppm(precept) > ppm(precept_limit);
    if (!total_over && !precept_over) continue;
    const std::string year = r.sc.year(t).label();
    const SourceLocation where = r.sc.origin(fmt::format("{}.increase.{}[{}]", c.path, precept_over ? "asc_precept" : "core",
                                                         year));
    if (precept_over)
      r.diags.error(where, "the ASC precept of {} in {} is above the referendum principle's {}: the increase would be "
                    "excessive; lower it, or write 'bespoke: true' under 'referendum' for bespoke limits",
                    percent_text(precept), year, percent_text(precept_limit));
    else
      r.diags.error(where, "a council tax increase of {} in {} (core {} + ASC precept {}) is at or above the referendum "
                    "limit of {} ({} + {}): it would be excessive; lower it, or write 'bespoke: true' under "
                    "'referendum' for bespoke limits",
                    percent_text(core + precept), year, percent_text(core), percent_text(precept),
                    percent_text(core_limit + precept_limit), percent_text(core_limit), percent_text(precept_limit));
    return;  // the first excessive year says it; the same increase in later years would repeat it
  }
}

// A target allocation (a fair share of a national quantum by weighted population) and the
// rule that moves the stream towards it.
void read_target(Reading& r, const std::vector<Entry>& es, const StreamContext& c, FundingStream& st) {
  const Entry* target = Reading::find(es, "target");
  const Entry* convergence = Reading::find(es, "convergence");
  if (!target) {
    if (convergence)
      r.diags.error(Reading::at(convergence->key_node), "'convergence' in {} needs a 'target' to converge to", c.where);
    return;
  }
  if (Reading::find(es, "amounts")) {
    r.diags.error(Reading::at(target->key_node), "{} has both 'target' and 'amounts'; a stream converging to a target "
                  "grows from its base by 'growth'", c.where);
    return;
  }
  const std::string twhere = "'target' of " + c.where, tpath = c.path + ".target";
  r.record(tpath, *target);
  const char* shape = "a map like {share_of: {base: 95bn, growth: 3.2%}, weighted_population: 2752628.5, "
                      "national_weighted_population: 63849324}";
  if (!r.expect(*target, Kind::map, shape, c.where)) return;
  std::vector<Entry> ts = r.entries(target->value, twhere);
  r.check_keys(ts, {"share_of", "weighted_population", "national_weighted_population"}, twhere);
  st.quantum_growth = YearValues::Zero(r.sc.projected_years + 1);
  bool ok = true;
  if (const Entry* q = r.require(ts, "share_of", twhere, Reading::at(*target), " (the national total: {base: 95bn, growth: 3.2%})")) {
    const std::string qwhere = "'share_of' of " + twhere;
    r.record(tpath + ".share_of", *q);
    if (r.expect(*q, Kind::map, "a map like {base: 95bn, growth: 3.2%}", twhere)) {
      std::vector<Entry> qs = r.entries(q->value, qwhere);
      r.check_keys(qs, {"base", "growth"}, qwhere);
      if (const Entry* b = r.require(qs, "base", qwhere, Reading::at(*q), " (the national total in the base year)")) {
        const ParameterSpec param{tpath + ".share_of.base", {Field::stream_quantum, c.partner, c.stream}};
        auto v = r.money(*b, qwhere, &param);
        ok = v.has_value() && ok;
        if (v) st.quantum = *v;
      } else {
        ok = false;
      }
      if (const Entry* g = Reading::find(qs, "growth"))
        st.quantum_growth = r.per_year_rate(*g, qwhere, tpath + ".share_of.growth", Field::stream_quantum_growth,
                                            c.partner, c.stream);
    } else {
      ok = false;
    }
  } else {
    ok = false;
  }
  auto population = [&](const char* key, double& out, Field field) {
    const Entry* e = r.require(ts, key, twhere, Reading::at(*target));
    if (!e) return false;
    r.record(tpath + "." + key, *e);
    const ParameterSpec param{tpath + "." + key, {field, c.partner, c.stream}};
    const ParameterSpec* spec = field == Field::stream_weighted_population ? &param : nullptr;
    auto v = spec ? r.number(e->value, Reading::at(*e), ValueKind::factor, Reading::label(*e, twhere), spec)
                  : r.plain_number(e->value, Reading::at(*e), ValueKind::factor, Reading::label(*e, twhere));
    if (v && *v <= 0) {
      r.diags.error(Reading::at(*e), "'{}' of {} must be above zero", key, twhere);
      return false;
    }
    if (v) out = *v;
    return v.has_value();
  };
  ok = population("weighted_population", st.weighted_population, Field::stream_weighted_population) && ok;
  ok = population("national_weighted_population", st.national_weighted_population, Field::stream_quantum) && ok;
  if (ok && st.weighted_population > st.national_weighted_population)
    r.diags.error(Reading::at(*target), "the weighted population of {} ({}) is above the national weighted population "
                  "({})", c.where, st.weighted_population, st.national_weighted_population);
  st.has_target = ok;
  if (!convergence) return;
  const std::string cwhere = "'convergence' of " + c.where;
  r.record(c.path + ".convergence", *convergence);
  if (!r.expect(*convergence, Kind::map, "a map like {method: level_up, close: 15%, band: 2.5%, min_growth: 1%}",
                c.where))
    return;
  std::vector<Entry> cs = r.entries(convergence->value, cwhere);
  r.check_keys(cs, {"method", "close", "band", "min_growth"}, cwhere);
  if (const Entry* m = r.require(cs, "method", cwhere, Reading::at(*convergence), " (pace_of_change or level_up)")) {
    const std::string method = m->value.IsScalar() ? m->value.Scalar() : std::string();
    if (method == "pace_of_change")
      st.convergence = FundingStream::Convergence::pace_of_change;
    else if (method == "level_up")
      st.convergence = FundingStream::Convergence::level_up;
    else
      r.diags.error(Reading::at(*m), "expected 'pace_of_change' or 'level_up' for 'method' in {}, found {}{}", cwhere,
                    describe(m->value), did_you_mean(method, {"pace_of_change", "level_up"}));
  }
  auto share = [&](const char* key, double& out, bool required) {
    const Entry* e = required ? r.require(cs, key, cwhere, Reading::at(*convergence)) : Reading::find(cs, key);
    if (!e) return;
    if (auto v = r.share(e->value, Reading::at(*e), Reading::label(*e, cwhere))) out = *v;
  };
  share("close", st.close, true);
  share("band", st.band, false);
  if (const Entry* e = Reading::find(cs, "min_growth")) {
    if (st.convergence == FundingStream::Convergence::level_up)
      r.diags.error(Reading::at(e->key_node), "'min_growth' in {} applies to 'pace_of_change' only: under 'level_up' "
                    "no allocation grows less than the uniform rate", cwhere);
    else if (auto v = r.plain_number(e->value, Reading::at(*e), ValueKind::rate, Reading::label(*e, cwhere)))
      st.min_growth = *v;
  }
}

}  // namespace

void read_funding_streams(Reading& r, const Entry& funding, Partner& p, int partner) {
  const std::string pwhere = fmt::format("partner '{}'", p.id);
  for (const Entry& se : r.entries(funding.value, "funding of " + pwhere)) {
    const std::string where = fmt::format("funding stream '{}' of {}", se.key, pwhere);
    const StreamContext c{where, fmt::format("partners.{}.funding.{}", p.id, se.key), partner,
                          static_cast<int>(p.streams.size())};
    r.sc.origins[c.path] = Reading::at(se.key_node);
    FundingStream st;
    st.id = se.key;
    st.name = se.key;
    st.growth = st.amounts = YearValues::Zero(r.sc.projected_years + 1);
    if (!r.expect(se, Kind::map, "a map like {base: 61.2m, growth: 1.65%}", "funding of " + pwhere)) continue;
    std::vector<Entry> es = r.entries(se.value, where);
    const std::optional<StreamKind> kind = stream_kind(r, es, se.key, where);
    if (!kind) continue;
    st.kind = *kind;
    if (st.kind == StreamKind::council_tax) {
      r.check_keys(es, {"kind", "name", "tax_base", "band_d", "increase", "referendum", "until"}, where);
      if (p.council_tax >= 0) {
        r.diags.error(Reading::at(se.key_node), "{} has a second council tax stream; a partner has one at most", pwhere);
        continue;
      }
      read_council_tax(r, es, c, Reading::at(se.key_node), st);
    } else {
      r.check_keys(es, {"kind", "name", "base", "growth", "amounts", "one_off", "until", "target", "convergence"},
                   where);
      read_money_line(r, es, c, st);
      read_target(r, es, c, st);
    }
    if (const Entry* e = Reading::find(es, "name"))
      if (auto s = r.text(*e, where)) st.name = *s;
    if (const Entry* e = Reading::find(es, "until")) {
      r.record(c.path + ".until", *e);
      if (auto y = r.year(e->value, Reading::at(*e), "'until' of " + where); y && r.period_ok) {
        const auto t = r.sc.year_index(*y);
        if (!t)
          r.diags.error(Reading::at(*e), "year {} for 'until' of {} is outside the period {} to {}", *y, where,
                        r.sc.year(0), r.sc.year(r.sc.projected_years));
        else
          st.until = *t;
      }
    }
    if (st.kind == StreamKind::council_tax) p.council_tax = static_cast<int>(p.streams.size());
    p.streams.push_back(std::move(st));
  }
  if (p.streams.empty() && r.diags.empty())
    r.diags.error(Reading::at(funding), "funding of {} names no streams", pwhere);
}

}  // namespace fundgap::input
