// `pools:` host, pooled services, contributions, growth and the risk share.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>

#include "fundgap/base/money.h"
#include "fundgap/base/quantity.h"
#include "reading.h"

namespace fundgap::input {

namespace {

using Field = ParameterTarget::Field;

void read_pooled_services(Reading& r, const Entry& e, const std::string& where, int index, Pool& q,
                          std::map<int, std::pair<std::string, SourceLocation>>& pooled) {
  std::vector<const Node*> items;
  if (e.value.IsSequence())
    for (const Node& item : e.value.items) items.push_back(&item);
  else if (e.value.IsScalar())
    items.push_back(&e.value);
  else
    r.diags.error(Reading::at(e), "expected a list of service ids for 'services' in {}, found {}", where,
                  describe(e.value));
  for (const Node* n : items) {
    const int s = r.reference(*n, Reading::at(*n), EntityKind::service, "'services' of " + where);
    if (s < 0) continue;
    auto [it, inserted] = pooled.emplace(s, std::make_pair(q.id, Reading::at(*n)));
    if (!inserted) {
      r.diags.error(Reading::at(*n), "service '{}' is already in pool '{}' ({}); a service can be in at most one pool",
                    n->Scalar(), it->second.first, r.line_ref(it->second.second));
      continue;
    }
    q.services.push_back(s);
    r.sc.services[static_cast<std::size_t>(s)].pool = index;
  }
  if (items.empty() && e.value.IsSequence()) r.diags.error(Reading::at(e), "{} pools no services; list at least one", where);
}

// A partner-share map {council: 50%, icb: 50%} that must add up to 100%.
bool read_share_map(Reading& r, const Entry& e, const std::string& where, const std::string& of, Eigen::ArrayXd& shares) {
  double total = 0;
  bool all_ok = true;
  for (const Entry& re : r.entries(e.value, where)) {
    const int p = r.reference(re.key_node, Reading::at(re.key_node), EntityKind::partner, where);
    auto w = r.share(re.value, Reading::at(re), fmt::format("share of '{}' in {}", re.key, where));
    if (p < 0 || !w) {
      all_ok = false;
      continue;
    }
    shares(p) = *w;
    total += *w;
  }
  if (all_ok && std::fabs(total - 1) > 1e-9)
    r.diags.error(Reading::at(e), "risk shares of {} sum to {}, not 100%", of, percent_text(total));
  return all_ok;
}

// One tier's rule: proportional, host, or a share map.
bool read_tier_rule(Reading& r, const Entry& e, const std::string& where, const std::string& of, RiskTier& tier,
                    Eigen::Index partners) {
  if (e.value.IsScalar() && (e.value.Scalar() == "proportional" || e.value.Scalar() == "host")) {
    tier.rule = e.value.Scalar() == "host" ? RiskShareRule::host : RiskShareRule::proportional;
    return true;
  }
  if (e.value.IsMap()) {
    tier.rule = RiskShareRule::fixed;
    tier.shares = Eigen::ArrayXd::Zero(partners);
    return read_share_map(r, e, where, of, tier.shares);
  }
  r.diags.error(Reading::at(e), "expected 'proportional', 'host' or a map of partner shares for {}, found {}{}", where,
                describe(e.value),
                e.value.IsScalar() ? did_you_mean(e.value.Scalar(), {"proportional", "host"}) : std::string());
  return false;
}

// `tiers: [{up_to: 1m, shares: host}, {shares: {council: 50%, icb: 50%}}]`: bands of the
// balance either way, the last without `up_to`.
bool read_tiers(Reading& r, const Entry& e, const std::string& where, const std::string& path, int index, Pool& q) {
  const std::string twhere = "'tiers' of " + where;
  if (!e.value.IsSequence() || e.value.items.empty()) {
    r.diags.error(Reading::at(e), "expected a list of tiers for {} (like [{{up_to: 1m, shares: host}}, "
                  "{{shares: {{council: 50%, icb: 50%}}}}]), found {}", twhere, describe(e.value));
    return false;
  }
  bool ok = true;
  double below = 0;
  const std::size_t n = e.value.items.size();
  for (std::size_t i = 0; i < n; ++i) {
    const Node& item = e.value.items[i];
    const std::string iwhere = fmt::format("tier {} of {}", i + 1, where);
    RiskTier tier;
    tier.up_to = std::numeric_limits<double>::infinity();
    if (!item.IsMap()) {
      r.diags.error(Reading::at(item), "expected a map with 'up_to' and 'shares' for {}, found {}", iwhere, describe(item));
      ok = false;
      continue;
    }
    std::vector<Entry> ts = r.entries(item, iwhere);
    r.check_keys(ts, {"up_to", "shares"}, iwhere);
    const Entry* up = Reading::find(ts, "up_to");
    if (up && i + 1 == n) {
      r.diags.error(Reading::at(*up), "the last tier of {} has 'up_to'; it takes the rest of the balance, so give it "
                    "only 'shares'", where);
      ok = false;
    } else if (!up && i + 1 < n) {
      r.diags.error(Reading::at(item), "{} needs 'up_to' (only the last tier takes the rest)", iwhere);
      ok = false;
    } else if (up) {
      const std::string tpath = fmt::format("{}.risk_share.tiers[{}].up_to", path, i + 1);
      const ParameterSpec param{tpath, {ParameterTarget::Field::pool_tier, index, static_cast<int>(i)}};
      r.record(tpath, *up);
      if (auto v = r.money(*up, iwhere, &param)) {
        if (*v <= below) {
          r.diags.error(Reading::at(*up), "'up_to' of {} must be above the tier before it", iwhere);
          ok = false;
        }
        tier.up_to = *v;
        below = *v;
      } else {
        ok = false;
      }
    }
    if (const Entry* sh = r.require(ts, "shares", iwhere, Reading::at(item), " (like shares: host)"))
      ok = read_tier_rule(r, *sh, "'shares' of " + iwhere, iwhere, tier, static_cast<Eigen::Index>(r.sc.partners.size())) && ok;
    else
      ok = false;
    q.tiers.push_back(std::move(tier));
  }
  return ok;
}

// Returns false when the rule itself is unreadable (then no second error about it).
bool read_risk_share(Reading& r, const Entry& e, const std::string& where, const std::string& path, int index,
                     Pool& q) {
  const std::string rwhere = "'risk_share' of " + where;
  if (e.value.IsScalar() && e.value.Scalar() == "proportional") {
    q.risk_rule = RiskShareRule::proportional;
  } else if (e.value.IsScalar() && e.value.Scalar() == "host") {
    q.risk_rule = RiskShareRule::host;
  } else if (e.value.IsScalar() && e.value.Scalar() == "lead") {
    if (!r.needs_format_1_1(e, "'risk_share: lead'")) return false;
    q.risk_rule = RiskShareRule::lead;
  } else if (e.value.IsMap() && e.value.pairs.size() == 1 && e.value.pairs[0].first.Scalar() == "tiers") {
    if (!r.needs_format_1_1(e, "a tiered 'risk_share'")) return false;
    q.risk_rule = RiskShareRule::tiers;
    std::vector<Entry> es = r.entries(e.value, rwhere);
    return read_tiers(r, es.front(), where, path, index, q);
  } else if (e.value.IsMap()) {
    q.risk_rule = RiskShareRule::fixed;
    read_share_map(r, e, rwhere, where, q.fixed_shares);
  } else {
    // (Format 1 has only the first three.)
    const bool v11 = r.sc.format_minor >= 1;
    r.diags.error(Reading::at(e), "expected 'proportional', 'host'{} for {}, found {}{}",
                  v11 ? ", 'lead', a map of partner shares or {tiers: [...]}" : " or a map of partner shares", rwhere,
                  describe(e.value),
                  e.value.IsScalar() ? did_you_mean(e.value.Scalar(), v11 ? std::vector<std::string>{"proportional", "host", "lead"}
                                                                          : std::vector<std::string>{"proportional", "host"})
                                     : std::string());
    return false;
  }
  return true;
}

// `contributions: {icb: {nhs_minimum: 17.1m, discharge: 1.2m}}`: by partner and source.
void read_sources(Reading& r, const Entry& ce, int p, const std::string& cpath, int index, Pool& q) {
  const std::string swhere = fmt::format("contributions of '{}' to pool '{}'", ce.key, q.id);
  for (const Entry& se : r.entries(ce.value, swhere)) {
    if (!valid_id(se.key)) {
      r.diags.error(Reading::at(se.key_node), "'{}' in {} is not a source id (letters, digits and '_')", se.key, swhere);
      continue;
    }
    bool dup = false;
    for (const PoolSource& other : q.sources)
      if (other.id == se.key) {
        r.diags.error(Reading::at(se.key_node), "source '{}' is already a source of pool '{}' ({}); source ids are "
                      "unique in a pool", se.key, q.id, r.line_ref(r.sc.origin(fmt::format("pools.{}.sources.{}", q.id, se.key))));
        dup = true;
      }
    if (dup) continue;
    PoolSource src;
    src.id = se.key;
    src.partner = p;
    const std::string spath = cpath + "." + se.key;
    const ParameterSpec param{spath, {ParameterTarget::Field::pool_source_base, index, static_cast<int>(q.sources.size())}};
    r.record(spath, se);
    r.sc.origins[fmt::format("pools.{}.sources.{}", q.id, se.key)] = Reading::at(se.key_node);
    if (auto v = r.money(se, swhere, p >= 0 ? &param : nullptr)) src.base = *v;
    if (p >= 0) q.sources.push_back(std::move(src));
  }
}

std::string quoted_list(const std::vector<std::string>& ids) {
  std::string out;
  for (const std::string& id : ids) out += (out.empty() ? "'" : ", '") + id + "'";
  return out;
}

int source_index(const Pool& q, std::string_view id) {
  for (std::size_t i = 0; i < q.sources.size(); ++i)
    if (q.sources[i].id == id) return static_cast<int>(i);
  return -1;
}

std::vector<std::string> source_ids(const Pool& q) {
  std::vector<std::string> out;
  for (const PoolSource& s : q.sources) out.push_back(s.id);
  return out;
}

// A source named in `n`, or -1 with an error.
int source_reference(Reading& r, const Node& n, const Pool& q, const std::string& where) {
  const int i = source_index(q, n.Scalar());
  if (i < 0)
    r.diags.error(Reading::at(n), "unknown source '{}' in {}; pool '{}' has {}{}", n.Scalar(), where, q.id,
                  q.sources.empty() ? std::string("no sources") : "sources " + quoted_list(source_ids(q)),
                  did_you_mean(n.Scalar(), source_ids(q)));
  return i;
}

// `growth: {nhs_minimum: 5.66%, ibcf: 0%}`: a rate for every source.
void read_source_growth(Reading& r, const Entry& e, const std::string& where, const std::string& path, int index,
                        Pool& q, const SourceLocation& key) {
  const std::string gwhere = "'growth' of " + where;
  std::vector<char> given(q.sources.size(), 0);
  for (const Entry& ge : r.entries(e.value, gwhere)) {
    const int i = source_reference(r, ge.key_node, q, gwhere);
    if (i < 0) continue;
    given[static_cast<std::size_t>(i)] = 1;
    q.sources[static_cast<std::size_t>(i)].growth =
        r.per_year_rate(ge, gwhere, path + ".growth." + ge.key, ParameterTarget::Field::pool_source_growth, index, i);
  }
  for (std::size_t i = 0; i < q.sources.size(); ++i)
    if (!given[i])
      r.diags.error(key, "'growth' of {} gives no rate for source '{}'; give every source a rate (0% for none)", where,
                    q.sources[i].id);
}

// `allocation: {reablement: {nhs_minimum: 4.0m, discharge: 1.2m}}`: to pooled services, or
// to schemes whose costs land on one.
void read_allocation(Reading& r, const Entry& e, const std::string& where, const std::string& path, int index, Pool& q) {
  const std::string awhere = "'allocation' of " + where;
  if (!r.expect(e, Kind::map, "a map from service or scheme to money by source", where)) return;
  for (const Entry& ae : r.entries(e.value, awhere)) {
    PoolAllocation a;
    a.target = ae.key;
    const auto kind = r.sc.kind_of(ae.key);
    if (kind == EntityKind::service) {
      a.service = r.sc.service_index(ae.key);
    } else if (kind == EntityKind::scheme) {
      const Scheme& k = r.sc.schemes[static_cast<std::size_t>(r.sc.index_of(EntityKind::scheme, ae.key))];
      a.service = k.investment_service >= 0 ? k.investment_service : k.service;
    } else {
      r.diags.error(Reading::at(ae.key_node), "'{}' in {} is not a service or scheme{}", ae.key, awhere,
                    kind ? fmt::format(" (it is a {})", kind_name(*kind)) : std::string());
      continue;
    }
    if (a.service < 0 || static_cast<std::size_t>(a.service) >= r.sc.services.size()) continue;  // reported already
    if (r.sc.services[static_cast<std::size_t>(a.service)].pool != index) {
      r.diags.error(Reading::at(ae.key_node), "{} '{}' in {} {} not in pool '{}'; a pool allocates only to its own services",
                    kind_name(*kind), ae.key, awhere,
                    kind == EntityKind::service ? "is" : "spends on service '" + r.sc.services[static_cast<std::size_t>(a.service)].id + "', which is",
                    q.id);
      continue;
    }
    a.amounts = Eigen::ArrayXd::Zero(static_cast<Eigen::Index>(q.sources.size()));
    a.is_share.assign(q.sources.size(), 0);
    const std::string twhere = fmt::format("allocation to '{}' in {}", ae.key, where);
    if (!r.expect(ae, Kind::map, "a map from source to money (like {nhs_minimum: 4m})", awhere)) continue;
    const int ai = static_cast<int>(q.allocations.size());
    for (const Entry& se : r.entries(ae.value, twhere)) {
      const int i = source_reference(r, se.key_node, q, twhere);
      if (i < 0) continue;
      const std::string apath = fmt::format("{}.allocation.{}.{}", path, ae.key, se.key);
      r.record(apath, se);
      const ParameterSpec param{apath, {ParameterTarget::Field::pool_allocation, index, ai, i, i}};
      const bool is_share = written_as_share(se.value);
      auto v = is_share ? r.share(se.value, Reading::at(se), fmt::format("'{}' of {}", se.key, twhere), &param)
                        : r.money(se, twhere, &param);
      if (v) a.amounts(i) = *v;
      a.is_share[static_cast<std::size_t>(i)] = is_share;
    }
    q.allocations.push_back(std::move(a));
  }
}

int allocation_index(const Pool& q, std::string_view target) {
  for (std::size_t a = 0; a < q.allocations.size(); ++a)
    if (q.allocations[a].target == target) return static_cast<int>(a);
  return -1;
}

// `minimums: {adult_social_care: {from: nhs_minimum, amount: 6.5m}}`, with `to: [targets]`
// when the name is not itself an allocation's target.
void read_minimums(Reading& r, const Entry& e, const std::string& where, const std::string& path, int index, Pool& q) {
  const std::string mwhere = "'minimums' of " + where;
  if (!r.expect(e, Kind::map, "a map of minimums (like {adult_social_care: {from: nhs_minimum, amount: 6.5m}})", where))
    return;
  for (const Entry& me : r.entries(e.value, mwhere)) {
    const std::string iwhere = fmt::format("minimum '{}' of {}", me.key, where);
    const std::string ipath = fmt::format("{}.minimums.{}", path, me.key);
    r.sc.origins[ipath] = Reading::at(me.key_node);
    if (!r.expect(me, Kind::map, "a map with 'from' and 'amount'", mwhere)) continue;
    std::vector<Entry> ms = r.entries(me.value, iwhere);
    r.check_keys(ms, {"from", "amount", "to", "growth"}, iwhere);
    PoolMinimum m;
    m.id = me.key;
    m.growth = YearValues::Zero(r.sc.projected_years + 1);
    bool ok = true;
    if (const Entry* f = r.require(ms, "from", iwhere, Reading::at(me.key_node), " (the source it is ring-fenced from)")) {
      m.source = source_reference(r, f->value, q, "'from' of " + iwhere);
      ok = m.source >= 0;
    } else {
      ok = false;
    }
    const int mi = static_cast<int>(q.minimums.size());
    if (const Entry* a = r.require(ms, "amount", iwhere, Reading::at(me.key_node))) {
      r.record(ipath + ".amount", *a);
      const ParameterSpec param{ipath + ".amount", {ParameterTarget::Field::pool_minimum, index, mi}};
      if (auto v = r.money(*a, iwhere, &param)) m.amount = *v;
    }
    if (const Entry* g = Reading::find(ms, "growth")) {
      m.own_growth = true;
      m.growth = r.per_year_rate(*g, iwhere, ipath + ".growth", ParameterTarget::Field::pool_minimum_growth, index, mi);
    }
    std::vector<std::pair<std::string, SourceLocation>> targets;
    if (const Entry* t = Reading::find(ms, "to")) {
      if (t->value.IsSequence())
        for (const Node& n : t->value.items) targets.emplace_back(n.Scalar(), Reading::at(n));
      else if (t->value.IsScalar())
        targets.emplace_back(t->value.Scalar(), Reading::at(*t));
      else
        r.diags.error(Reading::at(*t), "expected a list of allocation targets for 'to' of {}, found {}", iwhere,
                      describe(t->value));
    } else {
      targets.emplace_back(me.key, Reading::at(me.key_node));
    }
    for (const auto& [id, loc] : targets) {
      const int a = allocation_index(q, id);
      if (a < 0) {
        r.diags.error(loc, "{} counts the allocation to '{}', but 'allocation' of {} has none{}", iwhere, id, where,
                      Reading::find(ms, "to") ? std::string() : std::string(" (name the allocations it covers with 'to: [...]')"));
        ok = false;
        continue;
      }
      m.targets.push_back(a);
    }
    if (ok) q.minimums.push_back(std::move(m));
  }
}

// Over-allocated sources (a warning: the figure shows it every year) and minimums that the
// allocations miss in the base year (an error naming the shortfall).
void check_allocations(Reading& r, const Pool& q, const std::string& where, const std::string& path) {
  const std::string symbol = currency_symbol(r.sc.currency);
  for (std::size_t i = 0; i < q.sources.size(); ++i) {
    double allocated = 0;
    for (const PoolAllocation& a : q.allocations)
      allocated += a.is_share[i] ? a.amounts(static_cast<Eigen::Index>(i)) * q.sources[i].base
                                 : a.amounts(static_cast<Eigen::Index>(i));
    if (allocated > q.sources[i].base + 0.005)
      r.sc.warnings.warn(r.sc.origin(path + ".allocation"), "{} allocates {} from source '{}', which holds {}: "
                         "{} over-allocated", where, fmt::format("{:.2p}", Money{allocated, symbol}), q.sources[i].id,
                         fmt::format("{:.2p}", Money{q.sources[i].base, symbol}),
                         fmt::format("{:.2p}", Money{allocated - q.sources[i].base, symbol}));
  }
  for (const PoolMinimum& m : q.minimums) {
    const auto src = static_cast<Eigen::Index>(m.source);
    double given = 0;
    for (int a : m.targets) {
      const PoolAllocation& al = q.allocations[static_cast<std::size_t>(a)];
      given += al.is_share[static_cast<std::size_t>(src)] ? al.amounts(src) * q.sources[static_cast<std::size_t>(src)].base
                                                           : al.amounts(src);
    }
    if (given + 0.005 < m.amount)
      r.diags.error(r.sc.origin(fmt::format("{}.minimums.{}.amount", path, m.id)),
                    "minimum '{}' of {} needs {} from source '{}' but the allocation gives {}: {} short", m.id, where,
                    fmt::format("{:.2m}", Money{m.amount, symbol}), q.sources[static_cast<std::size_t>(src)].id,
                    fmt::format("{:.2m}", Money{given, symbol}), fmt::format("{:.2m}", Money{m.amount - given, symbol}));
  }
}

}  // namespace

void read_pools(Reading& r, const Entry& section) {
  r.sc.origins["pools"] = Reading::at(section.key_node);
  const Eigen::Index P = static_cast<Eigen::Index>(r.sc.partners.size());
  std::map<int, std::pair<std::string, SourceLocation>> pooled;  // service -> (pool id, where)
  for (const Entry& qe : r.section_entries(section, "pools")) {
    r.register_id(qe, "pool");
    const std::string where = fmt::format("pool '{}'", qe.key);
    const std::string path = "pools." + qe.key;
    r.sc.origins[path] = Reading::at(qe.key_node);
    Pool q;
    q.id = qe.key;
    q.name = qe.key;
    q.contributions = Eigen::ArrayXd::Zero(P);
    q.fixed_shares = Eigen::ArrayXd::Zero(P);
    q.growth = YearValues::Zero(r.sc.projected_years + 1);
    const int index = static_cast<int>(r.sc.pools.size());
    if (!r.expect(qe, Kind::map, "a map with 'host', 'services' and 'contributions'", "'pools'")) continue;
    std::vector<Entry> es = r.entries(qe.value, where);
    r.check_keys(es, {"name", "host", "services", "contributions", "growth", "risk_share", "allocation", "minimums",
                      "leads", "carry_forward"}, where);
    if (const Entry* e = Reading::find(es, "name"))
      if (auto t = r.text(*e, where)) q.name = *t;
    if (const Entry* e = r.require(es, "host", where, Reading::at(qe.key_node))) {
      r.record(path + ".host", *e);
      q.host = std::max(0, r.reference(e->value, Reading::at(*e), EntityKind::partner, "'host' of " + where));
    }
    if (const Entry* e = r.require(es, "services", where, Reading::at(qe.key_node))) {
      r.record(path + ".services", *e);
      read_pooled_services(r, *e, where, index, q, pooled);
    }
    // Contributions by partner (money) or by partner and source (a map of money). Once one
    // partner gives sources, a partner giving money is a source named after itself.
    struct Plain {
      std::string key;
      int partner;
      SourceLocation where;
    };
    std::vector<Plain> plain;  // partners given as money
    bool by_source = false, unread = false;  // unread: by source in a format 1 file
    if (const Entry* e = r.require(es, "contributions", where, Reading::at(qe.key_node),
                                   " (like {council: 40m, ccg: 50m})")) {
      r.record(path + ".contributions", *e);
      const std::string cwhere = "'contributions' of " + where;
      if (r.expect(*e, Kind::map, "a map from partner to base-year amount", where)) {
        for (const Entry& ce : r.entries(e->value, cwhere)) {
          const int p = r.reference(ce.key_node, Reading::at(ce.key_node), EntityKind::partner, cwhere);
          const std::string cpath = fmt::format("{}.contributions.{}", path, ce.key);
          if (ce.value.IsMap() && !is_distribution(ce.value)) {
            if (!r.needs_format_1_1(ce, "contributions by source")) {
              unread = true;
              continue;
            }
            by_source = true;
            read_sources(r, ce, p, cpath, index, q);
            continue;
          }
          const ParameterSpec param{cpath, {Field::contribution, index, p}};
          auto v = r.money(ce, cwhere, p >= 0 ? &param : nullptr);
          r.record(cpath, ce);
          if (p >= 0 && v) {
            q.contributions(p) = *v;
            plain.push_back({ce.key, p, Reading::at(ce)});
          }
        }
      }
    }
    const Entry* allocation = Reading::find(es, "allocation");
    const Entry* minimums = Reading::find(es, "minimums");
    const Entry* growth = Reading::find(es, "growth");
    // A map of rates by source (its keys are ids), not by year (keys like 2021/22).
    const bool source_growth = growth && growth->value.IsMap() && !is_distribution(growth->value) &&
                               !growth->value.pairs.empty() && !growth->value.pairs[0].first.Scalar().empty() &&
                               std::isalpha(static_cast<unsigned char>(growth->value.pairs[0].first.Scalar()[0]));
    for (const Entry* e : {allocation, minimums})
      if (e) r.needs_format_1_1(*e, fmt::format("'{}' of a pool", e->key));
    // Sources, when the pool is read by them: a partner that gives money is one source.
    if (by_source || allocation || minimums || source_growth) {
      // Money-given partners come first, then the named sources: shift the latter's parameters.
      const int offset = static_cast<int>(plain.size());
      for (Parameter& param : r.sc.parameters)
        if (param.target.field == Field::pool_source_base && param.target.entity == index) param.target.index += offset;
      std::vector<PoolSource> named = std::move(q.sources);
      q.sources.clear();
      for (const Plain& pl : plain) {
        for (Parameter& param : r.sc.parameters)  // the parameter now sets the source
          if (param.target.field == Field::contribution && param.target.entity == index &&
              param.target.index == pl.partner)
            param.target = {Field::pool_source_base, index, static_cast<int>(q.sources.size())};
        q.sources.push_back({pl.key, pl.partner, q.contributions(pl.partner), YearValues()});
        r.sc.origins[fmt::format("{}.sources.{}", path, pl.key)] = pl.where;
      }
      for (PoolSource& s : named) {
        for (const Plain& pl : plain)
          if (pl.key == s.id)
            r.diags.error(r.sc.origin(fmt::format("{}.sources.{}", path, s.id)), "source '{}' of {} has the name of "
                          "partner '{}', whose money is already a source of that name; rename the source", s.id, where,
                          pl.key);
        q.sources.push_back(std::move(s));
      }
      q.contributions.setZero();
      for (const PoolSource& s : q.sources) q.contributions(s.partner) += s.base;
    }
    if (growth) {
      if (source_growth && r.needs_format_1_1(*growth, "growth by source"))
        read_source_growth(r, *growth, where, path, index, q, Reading::at(*growth));
      else if (!source_growth)
        q.growth = r.per_year_rate(*growth, where, path + ".growth", Field::pool_growth, index);
    }
    if (allocation) read_allocation(r, *allocation, where, path, index, q);
    if (minimums) read_minimums(r, *minimums, where, path, index, q);
    bool risk_rule_ok = true;
    if (const Entry* e = Reading::find(es, "risk_share")) {
      r.record(path + ".risk_share", *e);
      risk_rule_ok = read_risk_share(r, *e, where, path, index, q);
    }
    if (const Entry* e = Reading::find(es, "leads")) {
      r.record(path + ".leads", *e);
      if (q.risk_rule != RiskShareRule::lead)
        r.diags.error(Reading::at(e->key_node), "'leads' of {} names lead commissioners, which only 'risk_share: lead' uses",
                      where);
      q.leads.assign(r.sc.services.size(), -1);
      const std::string lwhere = "'leads' of " + where;
      if (r.expect(*e, Kind::map, "a map from pooled service to its lead commissioner", where))
        for (const Entry& le : r.entries(e->value, lwhere)) {
          const int s = r.reference(le.key_node, Reading::at(le.key_node), EntityKind::service, lwhere);
          const int p = r.reference(le.value, Reading::at(le), EntityKind::partner, lwhere);
          if (s < 0 || p < 0) continue;
          if (r.sc.services[static_cast<std::size_t>(s)].pool != index)
            r.diags.error(Reading::at(le.key_node), "service '{}' in {} is not in pool '{}'", le.key, lwhere, q.id);
          else
            q.leads[static_cast<std::size_t>(s)] = p;
        }
    }
    if (q.risk_rule == RiskShareRule::lead) {
      if (q.leads.empty()) q.leads.assign(r.sc.services.size(), -1);
      for (int s : q.services) {
        bool allocated = false;
        for (const PoolAllocation& a : q.allocations) allocated = allocated || a.service == s;
        if (!allocated)
          r.diags.error(r.sc.origin(path + ".risk_share"), "{} shares risk by lead commissioner, so each pooled service "
                        "needs an allocation to measure its variance against; service '{}' has none",
                        where, r.sc.services[static_cast<std::size_t>(s)].id);
      }
    }
    if (const Entry* e = Reading::find(es, "carry_forward"); e && r.needs_format_1_1(*e, "'carry_forward'")) {
      r.record(path + ".carry_forward", *e);
      if (e->value.IsScalar() && (e->value.Scalar() == "true" || e->value.Scalar() == "false"))
        q.carry_forward = e->value.Scalar() == "true";
      else
        r.diags.error(Reading::at(*e), "expected true or false for 'carry_forward' of {}, found {}", where,
                      describe(e->value));
      if (q.carry_forward && q.risk_rule == RiskShareRule::lead)
        r.diags.error(Reading::at(*e), "{} carries underspends forward but each lead commissioner carries its own "
                      "variance ('risk_share: lead'), so nothing is left in the pool to carry; use one or the other", where);
    }
    if ((q.risk_rule == RiskShareRule::proportional ||
         (q.risk_rule == RiskShareRule::tiers &&
          std::any_of(q.tiers.begin(), q.tiers.end(), [](const RiskTier& t) { return t.rule == RiskShareRule::proportional; }))) &&
        risk_rule_ok && !unread && (q.contributions <= 0).all() && Reading::find(es, "contributions"))
      r.diags.error(Reading::at(qe.key_node), "{} shares risk in proportion to contributions but has none; "
                    "give contributions or use 'risk_share: host'", where);
    check_allocations(r, q, where, path);
    r.sc.pools.push_back(std::move(q));
  }
}

}  // namespace fundgap::input
