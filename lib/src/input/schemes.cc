// `schemes:` savings (a share of spend or money), start, ramp, confidence, re-provision
// and investment.
#include "fundgap/base/quantity.h"
#include "reading.h"

namespace fundgap::input {

namespace {

using Field = ParameterTarget::Field;

// `saving`: a share of spend (20%) or money (5m), given plainly or as a distribution.
// Returns false when the scheme cannot be used.
bool read_saving(Reading& r, const Entry& e, const std::string& where, const std::string& path, int index, Scheme& k) {
  r.record(path + ".saving", e);
  if (e.value.IsSequence() || (e.value.IsMap() && !is_distribution(e.value))) {
    // Format 1.1: money saved each projected year, the level that year.
    if (!r.needs_format_1_1(e, "'saving' given year by year")) return false;
    const std::size_t errors = r.diags.size();
    k.absolute = k.has_amounts = true;
    k.amounts = r.per_year_money(e, {where, path + ".saving", Field::scheme_amount, index, 0, true, 0, false,
                                     " (a cost belongs in 'investment' or 'one_off_cost')"});
    return r.diags.size() == errors;
  }
  const Quantity q = e.value.IsScalar() ? parse_quantity(e.value.Scalar()) : Quantity{};
  const SourceLocation at = Reading::at(e);
  if (is_distribution(e.value)) {
    // A share when the distribution's values are percentages, otherwise money.
    const Node& args = distribution_entry(e.value).second;
    const Node* first = args.IsSequence() && args.size() ? &args.items[0]
                        : args.IsMap() && args.size()     ? &args.pairs[0].second
                                                          : nullptr;
    k.absolute = !(first && first->IsScalar() && parse_quantity(first->text).percent);
    const bool bare = first && first->IsScalar() && !parse_quantity(first->text).money &&
                      parse_quantity(first->text).value > 0 && parse_quantity(first->text).value < 1;
    if (k.absolute && bare) {
      r.diags.error(Reading::at(*first), "'saving' in {} is ambiguous: write percentages for a share of spend or "
                    "\xC2\xA3 amounts for money", where);
      return false;
    }
    const ParameterSpec param{path + ".saving", {Field::saving, index}};
    auto v = r.number(e.value, at, k.absolute ? ValueKind::money : ValueKind::share, Reading::label(e, where), &param);
    if (!v) return false;
    k.saving = *v;
    if (*v < 0) {
      r.diags.error(at, "'saving' in {} has a negative plan value (a cost belongs in 'investment')", where);
      return false;
    }
    if (!k.absolute && *v > 1) {
      r.diags.error(at, "'saving' in {} has a plan value of {}, more than the whole spend of its service", where,
                    percent_text(*v));
      return false;
    }
    return true;
  }
  if (e.value.IsScalar() && q.error == NumberError::none) {
    k.absolute = !q.percent;
    k.saving = q.value;
    const ValueKind kind = k.absolute ? ValueKind::money : ValueKind::share;
    const auto [low, high] = default_range(kind);
    r.sc.parameters.push_back({path + ".saving", at, kind, low, high, q.value, std::nullopt, {Field::saving, index}});
    if (!q.percent && !q.money && q.value > 0 && q.value < 1) {
      r.diags.error(at, "'saving' {} in {} is ambiguous: write {} for a share of spend or \xC2\xA3{} for money",
                    e.value.Scalar(), where, percent_text(q.value), e.value.Scalar());
      return false;
    }
    if (q.percent && q.value > 1) {
      r.diags.error(at, "'saving' {} in {} is more than the whole spend of its service", e.value.Scalar(), where);
      return false;
    }
    if (q.value < 0) {
      r.diags.error(at, "'saving' in {} cannot be negative (a cost belongs in 'investment')", where);
      return false;
    }
    return true;
  }
  if (q.error != NumberError::none && q.error != NumberError::malformed) {
    r.diags.error(at, "{} ({})", number_error_text(q.error, e.value.Scalar()), Reading::label(e, where));
    return false;
  }
  const std::string better = e.value.IsScalar() ? quantity_suggestion(e.value.Scalar()) : std::string();
  r.diags.error(at, "expected a share of spend (like 20%) or money (like 5m) for 'saving' in {}, found {}{}", where,
                describe(e.value), better.empty() ? std::string() : fmt::format("; write {}", better));
  return false;
}

// A note when a ramp of `ramp` values from year `start` runs past the period: its last
// values never apply.
void note_long_ramp(Reading& r, const Entry& e, const std::string& where, const std::vector<double>& ramp, int start) {
  const int years = r.sc.projected_years - start + 1;
  const int n = static_cast<int>(ramp.size());
  if (!r.period_ok || start < 1 || years < 1 || n <= years) return;
  std::string unused;
  for (int i = years; i < n; ++i) unused += (i > years ? ", " : "") + percent_text(ramp[static_cast<std::size_t>(i)]);
  r.sc.warnings.warn(Reading::at(e), "'ramp' in {} has {} values but only {} year{} from its start in {} to the end of "
                     "the period ({}): {} never appl{}", where, n, years, years == 1 ? "" : "s", r.sc.year(start),
                     r.sc.year(r.sc.projected_years), unused, n - years == 1 ? "ies" : "y");
}

// A ramp: a share, or a list of shares by year from the start. Empty on error.
void read_ramp(Reading& r, const Entry& e, const std::string& where, std::vector<double>& out, Field field,
               const std::string& path, int index, int start, int* step_at = nullptr) {
  if (e.value.IsMap() && !is_distribution(e.value)) {
    if (r.needs_format_1_1(e, "a ramp by profile")) out = read_ramp_profile(r, e, where, start, step_at);
    note_long_ramp(r, e, where, out, start);
    return;
  }
  std::vector<const Node*> items;
  if (e.value.IsSequence())
    for (const Node& item : e.value.items) items.push_back(&item);
  else if (e.value.IsScalar())
    items.push_back(&e.value);
  if (items.empty()) {
    r.diags.error(Reading::at(e), "expected a list of shares (like [25%, 50%, 100%]) for 'ramp' in {}, found {}", where,
                  describe(e.value));
    return;
  }
  out.clear();
  for (const Node* n : items) {
    const ParameterSpec param{fmt::format("{}[{}]", path, out.size() + 1), {field, index, static_cast<int>(out.size())}};
    if (auto v = r.share(*n, Reading::at(*n), fmt::format("ramp value in {}", where), &param)) out.push_back(*v);
  }
  if (out.size() != items.size()) out.clear();
  note_long_ramp(r, e, where, out, start);
}

void read_reprovide(Reading& r, const Entry& e, const std::string& where, const std::string& path, int index,
                    Scheme& k) {
  const std::string rwhere = "'reprovide' of " + where;
  r.record(path + ".reprovide", e);
  if (!r.expect(e, Kind::map, "a map like {service: community, share: 40%}", where)) return;
  std::vector<Entry> rs = r.entries(e.value, rwhere);
  r.check_keys(rs, {"service", "share"}, rwhere);
  if (const Entry* s = r.require(rs, "service", rwhere, Reading::at(e))) {
    r.record(path + ".reprovide.service", *s);
    k.reprovide_service = r.reference(s->value, Reading::at(*s), EntityKind::service, rwhere);
    if (k.reprovide_service >= 0 && k.reprovide_service == k.service) {
      r.diags.error(Reading::at(*s), "{} re-provides into its own service '{}'; name another service", where,
                    s->value.Scalar());
      k.reprovide_service = -1;
    }
  }
  if (const Entry* s = r.require(rs, "share", rwhere, Reading::at(e))) {
    r.record(path + ".reprovide.share", *s);
    const ParameterSpec param{path + ".reprovide.share", {Field::reprovide_share, index}};
    if (auto v = r.share(s->value, Reading::at(*s), "re-provided share of " + where, &param)) k.reprovide_share = *v;
  }
}

void read_investment(Reading& r, const Entry& e, const std::string& where, const std::string& path, int index,
                     Scheme& k) {
  const std::string iwhere = "'investment' of " + where;
  r.record(path + ".investment", e);
  if (!r.expect(e, Kind::map, "a map like {service: community, amount: 3m}", where)) return;
  std::vector<Entry> is = r.entries(e.value, iwhere);
  r.check_keys(is, {"service", "amount", "ramp", "start"}, iwhere);
  if (const Entry* st = Reading::find(is, "start"); st && r.needs_format_1_1(*st, "an investment's own 'start'")) {
    r.record(path + ".investment.start", *st);
    if (auto t = r.projected_year(st->value, Reading::at(*st), "'start' of " + iwhere)) k.investment_start = *t;
  }
  if (const Entry* s = r.require(is, "service", iwhere, Reading::at(e))) {
    r.record(path + ".investment.service", *s);
    k.investment_service = r.reference(s->value, Reading::at(*s), EntityKind::service, iwhere);
  }
  if (const Entry* a = r.require(is, "amount", iwhere, Reading::at(e))) {
    r.record(path + ".investment.amount", *a);
    const ParameterSpec param{path + ".investment.amount", {Field::investment, index}};
    if (auto v = r.money(*a, iwhere, &param)) k.investment = *v;
  }
  if (const Entry* ramp = Reading::find(is, "ramp")) {
    r.record(path + ".investment.ramp", *ramp);
    read_ramp(r, *ramp, iwhere, k.investment_ramp, Field::investment_ramp, path + ".investment.ramp", index,
              k.investment_start < 0 ? k.start : k.investment_start);
  }
}

}  // namespace

void read_schemes(Reading& r, const Entry& section) {
  r.sc.origins["schemes"] = Reading::at(section.key_node);
  for (const Entry& ke : r.section_entries(section, "schemes")) {
    r.register_id(ke, "scheme");
    const std::string where = fmt::format("scheme '{}'", ke.key);
    const std::string path = "schemes." + ke.key;
    r.sc.origins[path] = Reading::at(ke.key_node);
    Scheme k;
    k.id = ke.key;
    k.name = ke.key;
    bool ok = true;
    const int index = static_cast<int>(r.sc.schemes.size());
    const std::size_t first_parameter = r.sc.parameters.size();
    if (!r.expect(ke, Kind::map, "a map with 'service' and 'saving'", "'schemes'")) continue;
    std::vector<Entry> es = r.entries(ke.value, where);
    r.check_keys(es, {"name", "service", "saving", "efficiency", "start", "ramp", "confidence", "reprovide", "investment",
                      "one_off_cost", "places"},
                 where);
    if (const Entry* e = Reading::find(es, "name"))
      if (auto t = r.text(*e, where)) k.name = *t;
    if (const Entry* e = r.require(es, "service", where, Reading::at(ke.key_node))) {
      r.record(path + ".service", *e);
      k.service = r.reference(e->value, Reading::at(*e), EntityKind::service, "'service' of " + where);
      ok = ok && k.service >= 0;
    }
    // The start first: a ramp profile's step and an investment count from it.
    if (const Entry* e = Reading::find(es, "start")) {
      r.record(path + ".start", *e);
      if (auto t = r.projected_year(e->value, Reading::at(*e), "'start' of " + where)) k.start = *t;
    }
    const Entry* efficiency = Reading::find(es, "efficiency");
    if (efficiency && r.needs_format_1_1(*efficiency, "'efficiency'")) {
      if (const Entry* saving = Reading::find(es, "saving")) {
        r.diags.error(Reading::at(saving->key_node), "{} has both 'saving' and 'efficiency'; give one", where);
        ok = false;
      }
      r.record(path + ".efficiency", *efficiency);
      r.sc.origins[path + ".saving"] = Reading::at(*efficiency);
      const ParameterSpec param{path + ".efficiency", {Field::saving, index}};
      if (auto v = r.share(efficiency->value, Reading::at(*efficiency), "'efficiency' of " + where, &param)) {
        k.efficiency = true;
        k.saving = *v;
      } else {
        ok = false;
      }
    } else if (efficiency) {
      ok = false;
    } else if (const Entry* e = r.require(es, "saving", where, Reading::at(ke.key_node),
                                          " (a share like 20% or money like 5m)")) {
      ok = read_saving(r, *e, where, path, index, k) && ok;
    }
    if (const Entry* e = Reading::find(es, "one_off_cost"); e && r.needs_format_1_1(*e, "'one_off_cost'")) {
      const std::size_t errors = r.diags.size();
      k.one_off_cost = r.per_year_money(*e, {where, path + ".one_off_cost", Field::one_off_cost, index, 0, false, 0,
                                             false, ""});
      ok = ok && r.diags.size() == errors;
    }
    if (const Entry* e = Reading::find(es, "ramp")) {
      r.record(path + ".ramp", *e);
      read_ramp(r, *e, where, k.ramp, Field::ramp, path + ".ramp", index, k.start, &k.step_at);
      if (k.ramp.empty()) k.ramp = {1.0};
    }
    if (const Entry* e = Reading::find(es, "confidence")) {
      r.record(path + ".confidence", *e);
      const ParameterSpec param{path + ".confidence", {Field::confidence, index}};
      if (auto v = r.share(e->value, Reading::at(*e), "confidence of " + where, &param)) k.confidence = *v;
    }
    if (const Entry* e = Reading::find(es, "places"); e && ok && r.needs_format_1_1(*e, "a roll-out by 'places'"))
      read_scheme_places(r, *e, k);
    if (const Entry* e = Reading::find(es, "reprovide")) read_reprovide(r, *e, where, path, index, k);
    if (const Entry* e = Reading::find(es, "investment")) read_investment(r, *e, where, path, index, k);
    if (ok)
      r.sc.schemes.push_back(std::move(k));
    else
      r.sc.parameters.resize(first_parameter);  // a dropped scheme's inputs go with it
  }
}

}  // namespace fundgap::input
