// Format 1.1 `delegations:` budgets a partner delegates to places: where the money comes
// from, how much, for which services, by what method and glide, with floors, caps and
// each place's form of governance.
#include <cmath>

#include "fundgap/base/money.h"
#include "fundgap/base/quantity.h"
#include "reading.h"

namespace fundgap::input {

namespace {

using Field = ParameterTarget::Field;

// A map of every place to a share (40%) or money (410m), as shares by place; nothing
// after reporting a problem. `what` names it in messages.
std::optional<Eigen::ArrayXd> by_place(Reading& r, const Entry& e, const std::string& where, const std::string& path,
                                       Field field, int delegation, const char* what) {
  if (!r.expect(e, Kind::map, "a map from place to a share or money", where)) return std::nullopt;
  const int L = static_cast<int>(r.sc.places.size());
  Eigen::ArrayXd out = Eigen::ArrayXd::Constant(L, -1);
  bool ok = true, money = false;
  const std::string mwhere = fmt::format("'{}' of {}", e.key, where);
  for (const Entry& pe : r.entries(e.value, mwhere)) {
    const int i = r.reference(pe.key_node, Reading::at(pe.key_node), EntityKind::place, mwhere);
    money = money || !written_as_share(pe.value);
    const ParameterSpec param{fmt::format("{}.{}", path, pe.key), {field, delegation, i}};
    auto v = money ? r.money(pe, mwhere, i >= 0 ? &param : nullptr)
                   : r.share(pe.value, Reading::at(pe), Reading::label(pe, mwhere), i >= 0 ? &param : nullptr);
    if (i < 0 || !v) {
      ok = false;
      continue;
    }
    out(i) = *v;
  }
  if (!ok) return std::nullopt;
  for (int i = 0; i < L; ++i)
    if (out(i) < 0) {
      r.diags.error(Reading::at(e), "place '{}' is missing from {} of {}; give every place", r.sc.places[static_cast<std::size_t>(i)].id,
                    what, where);
      return std::nullopt;
    }
  if (!money && std::fabs(out.sum() - 1) > 1e-9) {
    r.diags.error(Reading::at(e), "the shares in {} of {} add up to {}, not 100%", what, where, percent_text(out.sum()));
    return std::nullopt;
  }
  return out;
}

// The funding the envelope is drawn from: partner or partner.stream, and its base-year value.
bool read_source(Reading& r, const Entry& e, const std::string& where, Delegation& d, double& base) {
  r.record(fmt::format("delegations.{}.from", d.id), e);
  if (!e.value.IsScalar()) {
    r.diags.error(Reading::at(e), "expected a partner or a partner's funding stream (icb.core) for 'from' in {}, found {}",
                  where, describe(e.value));
    return false;
  }
  const std::string& text = e.value.Scalar();
  const std::size_t dot = text.find('.');
  Node partner = e.value;
  partner.text = text.substr(0, dot);
  d.partner = r.reference(partner, Reading::at(e), EntityKind::partner, "'from' of " + where);
  if (d.partner < 0) return false;
  const Partner& pt = r.sc.partners[static_cast<std::size_t>(d.partner)];
  if (dot == std::string::npos) {
    base = pt.funding_base;
    for (const FundingStream& st : pt.streams) base += st.kind == FundingStream::Kind::council_tax ? st.tax_base * st.band_d : st.base;
    return true;
  }
  const std::string stream = text.substr(dot + 1);
  std::vector<std::string> known;
  for (std::size_t k = 0; k < pt.streams.size(); ++k) {
    known.push_back(pt.streams[k].id);
    if (pt.streams[k].id == stream) {
      d.stream = static_cast<int>(k);
      const FundingStream& st = pt.streams[k];
      base = st.kind == FundingStream::Kind::council_tax ? st.tax_base * st.band_d : st.base;
      return true;
    }
  }
  r.diags.error(Reading::at(e), "partner '{}' has no funding stream '{}' for 'from' in {}{}", pt.id, stream, where,
                did_you_mean(stream, known));
  return false;
}

void read_forms(Reading& r, const Entry& e, const std::string& where, Delegation& d) {
  r.record(fmt::format("delegations.{}.form", d.id), e);
  if (!r.expect(e, Kind::map, "a map from place to its form of governance", where)) return;
  static const std::vector<std::string> forms = {"consultative_forum", "committee", "executive", "joint_committee",
                                                 "lead_provider"};
  const std::string fwhere = "'form' of " + where;
  for (const Entry& fe : r.entries(e.value, fwhere)) {
    const int i = r.reference(fe.key_node, Reading::at(fe.key_node), EntityKind::place, fwhere);
    if (i < 0) continue;
    const auto ii = static_cast<std::size_t>(i);
    if (fe.value.IsMap() && fe.value.size() == 1 && fe.value.pairs[0].first.text == "lead_provider") {
      const Node& provider = fe.value.pairs[0].second;
      d.form[ii] = Governance::lead_provider;
      d.lead_provider[ii] = r.reference(provider, Reading::at(provider), EntityKind::partner, fwhere);
      continue;
    }
    const std::string name = fe.value.IsScalar() ? fe.value.Scalar() : "";
    const auto it = std::find(forms.begin(), forms.end(), name);
    if (it == forms.end()) {
      r.diags.error(Reading::at(fe), "unknown form of governance {} for place '{}' in {}; expected consultative_forum, "
                    "committee, executive, joint_committee or {{lead_provider: PARTNER}}{}",
                    describe(fe.value), fe.key, where, did_you_mean(name, forms));
      continue;
    }
    if (name == "lead_provider") {
      r.diags.error(Reading::at(fe), "a lead provider form names the provider: write {{lead_provider: PARTNER}} for "
                    "place '{}' in {}", fe.key, where);
      continue;
    }
    d.form[ii] = static_cast<Governance>(1 + (it - forms.begin()));
  }
}

}  // namespace

void read_delegations(Reading& r, const Entry& section) {
  r.sc.origins["delegations"] = Reading::at(section.key_node);
  if (r.sc.places.empty() && !section.value.IsNull()) {
    r.diags.error(Reading::at(section.key_node), "'delegations' delegate budgets to places, but the scenario has no "
                  "'places'");
    return;
  }
  std::vector<int> delegated(r.sc.services.size(), -1);
  const std::size_t L = r.sc.places.size();
  for (const Entry& de : r.section_entries(section, "delegations")) {
    const std::string where = fmt::format("delegation '{}'", de.key);
    const std::string path = "delegations." + de.key;
    const int index = static_cast<int>(r.sc.delegations.size());
    r.sc.origins[path] = Reading::at(de.key_node);
    Delegation d;
    d.id = d.name = de.key;
    d.form.assign(L, Governance::none);
    d.lead_provider.assign(L, -1);
    d.glide = YearValues::Zero(r.sc.projected_years + 1);
    if (!r.expect(de, Kind::map, "a map with 'from', 'envelope', 'services' and 'method'", "'delegations'")) continue;
    std::vector<Entry> es = r.entries(de.value, where);
    r.check_keys(es, {"name", "from", "envelope", "services", "method", "historic", "fair_share", "glide", "floor", "cap",
                      "form"},
                 where);
    bool ok = true;
    if (const Entry* e = Reading::find(es, "name"))
      if (auto t = r.text(*e, where)) d.name = *t;
    double source = 0;
    if (const Entry* e = r.require(es, "from", where, Reading::at(de.key_node), " (a partner, or a stream like icb.core)"))
      ok = read_source(r, *e, where, d, source) && ok;
    if (const Entry* e = r.require(es, "envelope", where, Reading::at(de.key_node), " (a share like 45%, or money)")) {
      r.record(path + ".envelope", *e);
      const bool percent = written_as_share(e->value);
      d.envelope_is_share = percent;
      const ParameterSpec param{path + ".envelope", {Field::delegation_envelope, index}};
      auto v = percent ? r.share(e->value, Reading::at(*e), "'envelope' of " + where, &param)
                       : r.money(*e, where, &param);
      if (v) {
        d.envelope = *v;
        if (ok && !percent && *v > source + 0.005)
          r.diags.error(Reading::at(*e), "the envelope of {} ({}) is above the base-year funding it is drawn from ({})",
                        where, fmt::format("{:.1m}", Money{*v, currency_symbol(r.sc.currency)}),
                        fmt::format("{:.1m}", Money{source, currency_symbol(r.sc.currency)}));
      }
    }
    if (const Entry* e = r.require(es, "services", where, Reading::at(de.key_node), " (the services places hold budgets for)")) {
      r.record(path + ".services", *e);
      std::vector<const Node*> items;
      if (e->value.IsSequence())
        for (const Node& n : e->value.items) items.push_back(&n);
      else if (e->value.IsScalar())
        items.push_back(&e->value);
      for (const Node* n : items) {
        const int s = r.reference(*n, Reading::at(*n), EntityKind::service, "'services' of " + where);
        if (s < 0) continue;
        const Service& sv = r.sc.services[static_cast<std::size_t>(s)];
        if (sv.place_basis == Service::PlaceBasis::none)
          r.diags.error(Reading::at(*n), "service '{}' is delegated to places by {}, but is not split by place; give it "
                        "'places'", sv.id, where);
        else if (delegated[static_cast<std::size_t>(s)] >= 0)
          r.diags.error(Reading::at(*n), "service '{}' is already delegated by delegation '{}'; a service is delegated "
                        "once", sv.id, r.sc.delegations[static_cast<std::size_t>(delegated[static_cast<std::size_t>(s)])].id);
        else {
          delegated[static_cast<std::size_t>(s)] = index;
          d.services.push_back(s);
        }
      }
      if (items.empty()) r.diags.error(Reading::at(*e), "expected a list of service ids for 'services' in {}", where);
    }
    if (const Entry* e = r.require(es, "method", where, Reading::at(de.key_node), " (historic, fair_share or hybrid)")) {
      r.record(path + ".method", *e);
      static const std::vector<std::string> methods = {"historic", "fair_share", "hybrid"};
      const std::string m = e->value.IsScalar() ? e->value.Scalar() : "";
      if (m == "historic") d.method = Delegation::Method::historic;
      else if (m == "fair_share") d.method = Delegation::Method::fair_share;
      else if (m == "hybrid") d.method = Delegation::Method::hybrid;
      else
        r.diags.error(Reading::at(*e), "expected historic, fair_share or hybrid for 'method' in {}, found {}{}", where,
                      describe(e->value), did_you_mean(m, methods));
    }
    const bool needs_historic = d.method != Delegation::Method::fair_share;
    if (const Entry* e = needs_historic ? r.require(es, "historic", where, Reading::at(de.key_node),
                                                    " (base-year budgets or shares by place)")
                                        : Reading::find(es, "historic")) {
      r.record(path + ".historic", *e);
      if (auto h = by_place(r, *e, where, path + ".historic", Field::delegation_historic, index, "'historic'"))
        d.historic = *h;
    }
    if (const Entry* e = Reading::find(es, "fair_share")) {
      r.record(path + ".fair_share", *e);
      if (e->value.IsScalar() && e->value.Scalar() == "weighted_population")
        d.fair_basis = Delegation::FairBasis::weighted_population;
      else if (e->value.IsScalar() && e->value.Scalar() == "population")
        d.fair_basis = Delegation::FairBasis::population;
      else if (e->value.IsMap()) {
        d.fair_basis = Delegation::FairBasis::shares;
        if (auto f = by_place(r, *e, where, path + ".fair_share", Field::delegation_fair, index, "'fair_share'"))
          d.fair = *f;
      } else
        r.diags.error(Reading::at(*e), "expected weighted_population, population or a map of shares by place for "
                      "'fair_share' in {}, found {}", where, describe(e->value));
    }
    const Entry* glide = Reading::find(es, "glide");
    if (d.method == Delegation::Method::hybrid && !glide)
      r.diags.error(Reading::at(de.key_node), "{} glides from historic to fair shares, so it needs 'glide' ({{years: N}}, "
                    "yearly weights or level_up)", where);
    if (glide && d.method != Delegation::Method::hybrid)
      r.diags.error(Reading::at(glide->key_node), "'glide' is for method hybrid; {} uses one kind of share throughout",
                    where);
    else if (glide) {
      r.record(path + ".glide", *glide);
      const int T = r.sc.projected_years;
      if (glide->value.IsScalar() && glide->value.Scalar() == "level_up") {
        d.level_up = true;
      } else if (glide->value.IsMap()) {
        const std::vector<Entry> gs = r.entries(glide->value, "'glide' of " + where);
        r.check_keys(gs, {"years"}, "'glide' of " + where);
        const Entry* y = r.require(gs, "years", "'glide' of " + where, Reading::at(*glide), " (the years to reach fair shares)");
        if (!y) continue;
        auto n = r.plain_number(y->value, Reading::at(*y), ValueKind::factor, "'years' of 'glide' of " + where);
        if (n && (*n < 1 || std::floor(*n) != *n))
          r.diags.error(Reading::at(*y), "'years' of 'glide' of {} is {}; it is a whole number of years, 1 or more",
                        where, y->value.Scalar());
        else if (n)
          for (int t = 1; t <= T; ++t) d.glide(t) = std::min(1.0, t / *n);
      } else {
        // Yearly weights of the fair share: a list, or a map held until the next year.
        YearValues w = r.per_year_rate(*glide, where, path + ".glide", Field::delegation_glide, index);
        for (int t = 1; t <= T; ++t)
          if (w(t) < 0 || w(t) > 1)
            r.diags.error(Reading::at(*glide), "the glide weight of {} in {} is {}, outside 0% to 100%", where,
                          r.sc.year(t), percent_text(w(t)));
        d.glide = w;
      }
    }
    for (const char* key : {"floor", "cap"}) {
      const Entry* e = Reading::find(es, key);
      if (!e) continue;
      r.record(path + "." + key, *e);
      const bool floor = std::string_view(key) == "floor";
      const ParameterSpec param{path + "." + key, {floor ? Field::delegation_floor : Field::delegation_cap, index}};
      if (auto v = r.number(e->value, Reading::at(*e), ValueKind::rate, Reading::label(*e, where), &param)) {
        (floor ? d.floor : d.cap) = *v;
        (floor ? d.has_floor : d.has_cap) = true;
      }
    }
    if (d.has_floor && d.has_cap && d.floor > d.cap)
      r.diags.error(r.sc.origin(path + ".floor"), "the floor of {} ({}) is above its cap ({})", where,
                    percent_text(d.floor), percent_text(d.cap));
    if (const Entry* e = Reading::find(es, "form")) read_forms(r, *e, where, d);
    r.sc.delegations.push_back(std::move(d));
  }
}

}  // namespace fundgap::input
