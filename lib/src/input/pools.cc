// `pools:` host, pooled services, contributions, growth and the risk share.
#include <cmath>

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

// Returns false when the rule itself is unreadable (then no second error about it).
bool read_risk_share(Reading& r, const Entry& e, const std::string& where, Pool& q) {
  const std::string rwhere = "'risk_share' of " + where;
  if (e.value.IsScalar() && e.value.Scalar() == "proportional") {
    q.risk_rule = RiskShareRule::proportional;
  } else if (e.value.IsScalar() && e.value.Scalar() == "host") {
    q.risk_rule = RiskShareRule::host;
  } else if (e.value.IsMap()) {
    q.risk_rule = RiskShareRule::fixed;
    double total = 0;
    bool all_ok = true;
    for (const Entry& re : r.entries(e.value, rwhere)) {
      const int p = r.reference(re.key_node, Reading::at(re.key_node), EntityKind::partner, rwhere);
      auto w = r.share(re.value, Reading::at(re), fmt::format("share of '{}' in {}", re.key, rwhere));
      if (p < 0 || !w) {
        all_ok = false;
        continue;
      }
      q.fixed_shares(p) = *w;
      total += *w;
    }
    if (all_ok && std::fabs(total - 1) > 1e-9)
      r.diags.error(Reading::at(e), "risk shares of {} sum to {}, not 100%", where, percent_text(total));
  } else {
    r.diags.error(Reading::at(e), "expected 'proportional', 'host' or a map of partner shares for {}, found {}{}", rwhere,
                  describe(e.value),
                  e.value.IsScalar() ? did_you_mean(e.value.Scalar(), {"proportional", "host"}) : std::string());
    return false;
  }
  return true;
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
    r.check_keys(es, {"name", "host", "services", "contributions", "growth", "risk_share"}, where);
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
    if (const Entry* e = r.require(es, "contributions", where, Reading::at(qe.key_node),
                                   " (like {council: 40m, ccg: 50m})")) {
      r.record(path + ".contributions", *e);
      const std::string cwhere = "'contributions' of " + where;
      if (r.expect(*e, Kind::map, "a map from partner to base-year amount", where)) {
        for (const Entry& ce : r.entries(e->value, cwhere)) {
          const int p = r.reference(ce.key_node, Reading::at(ce.key_node), EntityKind::partner, cwhere);
          const std::string cpath = fmt::format("{}.contributions.{}", path, ce.key);
          const ParameterSpec param{cpath, {Field::contribution, index, p}};
          auto v = r.money(ce, cwhere, p >= 0 ? &param : nullptr);
          r.record(cpath, ce);
          if (p >= 0 && v) q.contributions(p) = *v;
        }
      }
    }
    if (const Entry* e = Reading::find(es, "growth"))
      q.growth = r.per_year_rate(*e, where, path + ".growth", Field::pool_growth, index);
    bool risk_rule_ok = true;
    if (const Entry* e = Reading::find(es, "risk_share")) {
      r.record(path + ".risk_share", *e);
      risk_rule_ok = read_risk_share(r, *e, where, q);
    }
    if (q.risk_rule == RiskShareRule::proportional && risk_rule_ok && (q.contributions <= 0).all() &&
        Reading::find(es, "contributions"))
      r.diags.error(Reading::at(qe.key_node), "{} shares risk in proportion to contributions but has none; "
                    "give contributions or use 'risk_share: host'", where);
    r.sc.pools.push_back(std::move(q));
  }
}

}  // namespace fundgap::input
