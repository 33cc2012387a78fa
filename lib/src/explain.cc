#include "fundgap/explain.h"

#include <cmath>

#include <nlohmann/json.hpp>

#include "check_parser.h"
#include "fundgap/report.h"
#include "values.h"

namespace fundgap {

FigureRef parse_figure(const Scenario& sc, const std::string& text, const std::string& source) {
  auto file = std::make_shared<SourceFile>(SourceFile{source, text});
  Check c;
  c.expression = text;
  c.where = {file, 1, 1};
  Diagnostics diags;
  if (!detail::parse_reference(sc, c, diags, false)) throw InputError(diags);
  return {c.kind, c.entity, c.measure, *c.year};
}

namespace {

using Op = Explanation::Op;
using Unit = Explanation::Unit;
using Eigen::Index;

class Explainer {
 public:
  Explainer(const Scenario& sc, const Projection& p) : sc_(sc), p_(p) {}

  Explanation figure(const FigureRef& r) {
    const int t = r.year;
    if (r.kind == "partner") return partner(sc_.partner_index(r.entity), r.measure, t);
    if (r.kind == "service") return service(sc_.service_index(r.entity), r.measure, t);
    if (r.kind == "scheme") return scheme(index_of(sc_.schemes, r.entity), r.measure, t);
    if (r.kind == "pool") return pool(index_of(sc_.pools, r.entity), r.measure, t);
    // system: the sum over partners or over services.
    Explanation e = sum(ref("system", r.measure, t), "the sum over " + std::string(is_service_measure(r.measure)
                                                                                     ? "services" : "partners"));
    if (is_service_measure(r.measure))
      for (std::size_t s = 0; s < sc_.services.size(); ++s) e.children.push_back(service(static_cast<int>(s), r.measure, t));
    else
      for (std::size_t i = 0; i < sc_.partners.size(); ++i) e.children.push_back(partner(static_cast<int>(i), r.measure, t));
    return total(e);
  }

 private:
  template <typename T>
  static int index_of(const std::vector<T>& v, const std::string& id) {
    for (std::size_t i = 0; i < v.size(); ++i)
      if (v[i].id == id) return static_cast<int>(i);
    return -1;
  }
  static bool is_service_measure(const std::string& m) {
    return m == "baseline" || m == "savings" || m == "reprovided" || m == "investment" || m == "net";
  }
  std::string ref(const std::string& id, const std::string& measure, int t) const {
    return fmt::format("{}.{}[{}]", id, measure, sc_.year(t));
  }
  static Explanation sum(std::string label, std::string formula) {
    Explanation e;
    e.label = std::move(label);
    e.op = Op::sum;
    e.formula = std::move(formula);
    return e;
  }
  static Explanation product(std::string label, std::string formula) {
    Explanation e = sum(std::move(label), std::move(formula));
    e.op = Op::product;
    return e;
  }
  Explanation leaf(std::string label, double value, Unit unit, const std::string& origin_path) const {
    Explanation e;
    e.label = std::move(label);
    e.value = value;
    e.unit = unit;
    if (!origin_path.empty()) e.where = sc_.origin(origin_path);
    return e;
  }
  static Explanation total(Explanation e) {
    e.value = 0;
    if (e.op == Op::product) {
      e.value = 1;
      for (const Explanation& c : e.children) e.value *= c.value;
    } else {
      for (const Explanation& c : e.children) e.value += c.coefficient * c.value;
    }
    return e;
  }
  // A figure that `run` reports carries run's own number, so the two agree exactly; its
  // children still add up to it (to rounding far below a penny).
  static Explanation pinned(Explanation e, double reported) {
    e = total(std::move(e));
    e.value = reported;
    return e;
  }
  static Explanation with(Explanation e, double coefficient) {
    e.coefficient = coefficient;
    return e;
  }

  // base x (1 + rate) for each year to t, from the rate's own per-year origin.
  Explanation compounded(std::string label, double base, const std::string& base_path,
                         const std::vector<std::pair<std::string, const YearValues*>>& rates, int t) {
    Explanation e = product(std::move(label), "base-year figure compounded year by year");
    e.children.push_back(leaf("base-year figure", base, Unit::money, base_path));
    for (int y = 1; y <= t; ++y)
      for (const auto& [path, values] : rates) {
        const double r = (*values)(y);
        if (r == 0) continue;
        const std::string name = path.substr(path.rfind('.') + 1);
        e.children.push_back(leaf(fmt::format("1 + {} {} ({})", name, detail::percent_text(r), sc_.year(y)), 1 + r,
                                  Unit::factor, fmt::format("{}[{}]", path, sc_.year(y))));
      }
    return total(e);
  }

  // ---- partners -----------------------------------------------------------------
  Explanation partner(int i, const std::string& m, int t) {
    const Partner& pt = sc_.partners[static_cast<std::size_t>(i)];
    if (m == "funding") {
      const std::string path = "partners." + pt.id + ".funding";
      return pinned(compounded(ref(pt.id, m, t), pt.funding_base, path + ".base", {{path + ".growth", &pt.growth}}, t),
                    p_.funding(i, t));
    }
    const bool do_nothing = m == "gap_do_nothing";
    if (m == "gap" || do_nothing) {
      Explanation e = sum(ref(pt.id, m, t), do_nothing ? "spend with no schemes - funding" : "spend - funding");
      e.children.push_back(spend(i, t, do_nothing));
      e.children.push_back(with(partner(i, "funding", t), -1));
      return pinned(e, do_nothing ? p_.gap_do_nothing(i, t) : p_.gap(i, t));
    }
    return spend(i, t, false);  // "spend"
  }

  Explanation spend(int i, int t, bool do_nothing) {
    const Partner& pt = sc_.partners[static_cast<std::size_t>(i)];
    Explanation e = sum(do_nothing ? ref(pt.id, "spend", t) + " with no schemes" : ref(pt.id, "spend", t),
                        "its share of each service it funds + its net cost of each pool");
    for (std::size_t s = 0; s < sc_.services.size(); ++s)
      for (const FundingShare& f : sc_.services[s].funders)
        if (f.partner == i) {
          Explanation c = service(static_cast<int>(s), do_nothing ? "baseline" : "net", t);
          c.label += fmt::format(" x {} share", detail::percent_text(f.share));
          e.children.push_back(with(std::move(c), f.share));
        }
    for (std::size_t q = 0; q < sc_.pools.size(); ++q)
      if (pool_involves(sc_.pools[q], i))
        e.children.push_back(pool_cost(static_cast<int>(q), i, t, do_nothing));
    return pinned(e, do_nothing ? p_.spend_do_nothing(i, t) : p_.spend(i, t));
  }

  // ---- services ------------------------------------------------------------------
  Explanation service(int s, const std::string& m, int t) {
    const Service& sv = sc_.services[static_cast<std::size_t>(s)];
    const std::string path = "services." + sv.id;
    if (m == "baseline")
      return pinned(compounded(ref(sv.id, m, t), sv.base, path + ".base",
                               {{path + ".demand", &sv.demand}, {path + ".inflation", &sv.inflation}}, t),
                    p_.baseline(s, t));
    if (m == "net") {
      Explanation e = sum(ref(sv.id, m, t), "baseline - savings + re-provided + investment");
      e.children.push_back(service(s, "baseline", t));
      e.children.push_back(with(service(s, "savings", t), -1));
      e.children.push_back(service(s, "reprovided", t));
      e.children.push_back(service(s, "investment", t));
      return pinned(e, p_.net(s, t));
    }
    Explanation e = sum(ref(sv.id, m, t), m == "savings" ? "the sum of the schemes' savings on it"
                                          : m == "reprovided" ? "the sum of the schemes' re-provision into it"
                                                              : "the sum of the schemes' investment into it");
    for (std::size_t k = 0; k < sc_.schemes.size(); ++k) {
      const Scheme& sk = sc_.schemes[k];
      if (m == "savings" && sk.service == s) e.children.push_back(scheme(static_cast<int>(k), "saving", t));
      if (m == "reprovided" && sk.reprovide_service == s) e.children.push_back(scheme(static_cast<int>(k), "reprovided", t));
      if (m == "investment" && sk.investment_service == s) e.children.push_back(scheme(static_cast<int>(k), "investment", t));
    }
    return pinned(e, m == "savings" ? p_.savings(s, t) : m == "reprovided" ? p_.reprovided(s, t) : p_.investment(s, t));
  }

  // ---- schemes -------------------------------------------------------------------
  Explanation scheme(int k, const std::string& m, int t) {
    const Scheme& sk = sc_.schemes[static_cast<std::size_t>(k)];
    const std::string path = "schemes." + sk.id;
    if (t < sk.start) {
      Explanation e = leaf(ref(sk.id, m, t), 0, Unit::money, path + ".start");
      e.formula = fmt::format("0: the scheme starts in {}", sc_.year(sk.start));
      return e;
    }
    if (m == "saving") {
      Explanation e = product(ref(sk.id, m, t), sk.absolute ? "confidence x ramp x amount"
                                                             : "confidence x ramp x share x baseline");
      e.children.push_back(leaf("confidence", sk.confidence, Unit::share, path + ".confidence"));
      e.children.push_back(leaf(fmt::format("ramp, year {} of the scheme", t - sk.start + 1), sk.ramp_at(t), Unit::share,
                                path + ".ramp"));
      if (sk.absolute) {
        e.children.push_back(leaf("saving at full effect", sk.saving, Unit::money, path + ".saving"));
      } else {
        e.children.push_back(leaf("saving, share of spend", sk.saving, Unit::share, path + ".saving"));
        e.children.push_back(service(sk.service, "baseline", t));
      }
      return pinned(e, p_.scheme_saving(k, t));
    }
    if (m == "reprovided") {
      Explanation e = product(ref(sk.id, m, t), "re-provided share x saving");
      e.children.push_back(leaf("re-provided share", sk.reprovide_share, Unit::share, path + ".reprovide.share"));
      e.children.push_back(scheme(k, "saving", t));
      return pinned(e, p_.scheme_reprovided(k, t));
    }
    Explanation e = product(ref(sk.id, m, t), "ramp x investment at full effect");
    e.children.push_back(leaf(fmt::format("ramp, year {} of the scheme", t - sk.start + 1), sk.investment_ramp_at(t),
                              Unit::share, path + (sk.investment_ramp.empty() ? ".ramp" : ".investment.ramp")));
    e.children.push_back(leaf("investment at full effect", sk.investment_service < 0 ? 0 : sk.investment, Unit::money,
                              path + ".investment.amount"));
    return pinned(e, p_.scheme_investment(k, t));
  }

  // ---- pools ---------------------------------------------------------------------
  Explanation contribution(int q, int i, int t) {
    const Pool& pl = sc_.pools[static_cast<std::size_t>(q)];
    const std::string& who = sc_.partners[static_cast<std::size_t>(i)].id;
    const std::string path = "pools." + pl.id;
    return pinned(compounded(ref(pl.id, "contribution_" + who, t), pl.contributions(i),
                             path + ".contributions." + who, {{path + ".growth", &pl.growth}}, t),
                  p_.pool_partner_contribution[static_cast<std::size_t>(q)](i, t));
  }

  Explanation balance(int q, int t, bool do_nothing) {
    const Pool& pl = sc_.pools[static_cast<std::size_t>(q)];
    Explanation e = sum(do_nothing ? ref(pl.id, "balance", t) + " with no schemes" : ref(pl.id, "balance", t),
                        "contributions - spend (positive: underspend)");
    e.children.push_back(pool(q, "contributions", t));
    Explanation spent = sum(ref(pl.id, "spend", t) + (do_nothing ? " with no schemes" : ""),
                            "the pooled services' spend");
    for (int s : pl.services) spent.children.push_back(service(s, do_nothing ? "baseline" : "net", t));
    e.children.push_back(with(do_nothing ? total(spent) : pinned(spent, p_.pool_spend(q, t)), -1));
    return pinned(e, do_nothing ? p_.pool_balance_do_nothing(q, t) : p_.pool_balance(q, t));
  }

  Explanation risk_share(int q, int i) {
    const Pool& pl = sc_.pools[static_cast<std::size_t>(q)];
    const double rho = p_.risk_share(q, i);
    const char* rule = pl.risk_rule == RiskShareRule::proportional ? "in proportion to contributions"
                       : pl.risk_rule == RiskShareRule::host       ? "all to the host"
                                                                   : "a fixed share";
    return leaf(fmt::format("risk share of {} ({})", sc_.partners[static_cast<std::size_t>(i)].id, rule), rho,
                Unit::share, "pools." + pl.id + ".risk_share");
  }

  Explanation balance_share(int q, int i, int t, bool do_nothing) {
    const Pool& pl = sc_.pools[static_cast<std::size_t>(q)];
    Explanation e = product(ref(pl.id, "balance_share_" + sc_.partners[static_cast<std::size_t>(i)].id, t) +
                                (do_nothing ? " with no schemes" : ""),
                            "risk share x balance");
    e.children.push_back(risk_share(q, i));
    e.children.push_back(balance(q, t, do_nothing));
    const double v = do_nothing ? p_.pool_balance_do_nothing(q, t) : p_.pool_balance(q, t);
    return pinned(e, p_.risk_share(q, i) * v);  // as the report computes it
  }

  Explanation pool_cost(int q, int i, int t, bool do_nothing) {
    const Pool& pl = sc_.pools[static_cast<std::size_t>(q)];
    Explanation e = sum(ref(pl.id, "cost_" + sc_.partners[static_cast<std::size_t>(i)].id, t) +
                            (do_nothing ? " with no schemes" : ""),
                        "contribution - its share of the balance");
    e.children.push_back(contribution(q, i, t));
    e.children.push_back(with(balance_share(q, i, t, do_nothing), -1));
    return pinned(e, e.children[0].value - e.children[1].value);  // as the report computes it
  }

  Explanation pool(int q, const std::string& m, int t) {
    const Pool& pl = sc_.pools[static_cast<std::size_t>(q)];
    auto partner_of = [&](const std::string& prefix) {
      return sc_.partner_index(m.substr(prefix.size()));
    };
    if (m == "contributions") {
      Explanation e = sum(ref(pl.id, m, t), "the sum of the partners' contributions");
      for (std::size_t i = 0; i < sc_.partners.size(); ++i)
        if (pl.contributions(static_cast<Index>(i)) != 0) e.children.push_back(contribution(q, static_cast<int>(i), t));
      return pinned(e, p_.pool_contributions(q, t));
    }
    if (m == "balance") return balance(q, t, false);
    if (m == "spend") return with(balance(q, t, false).children[1], 1);  // the balance's spend term
    if (m.rfind("contribution_", 0) == 0) return contribution(q, partner_of("contribution_"), t);
    if (m.rfind("balance_share_", 0) == 0) return balance_share(q, partner_of("balance_share_"), t, false);
    return pool_cost(q, partner_of("cost_"), t, false);
  }

  const Scenario& sc_;
  const Projection& p_;
};

std::string value_text(const Explanation& e, const std::string& symbol) {
  switch (e.unit) {
    case Unit::share: return detail::percent_text(e.value);
    case Unit::factor: return fmt::format("{:.6g}", e.value);
    case Unit::money: break;
  }
  return detail::money_pounds(e.value, symbol);
}

void write_node(std::ostream& out, const Explanation& e, const std::string& symbol, int level, int depth,
                const char* joint) {
  std::string line = fmt::format("{:{}}{}{} = {}", "", 2 * level, joint, e.label, value_text(e, symbol));
  if (!e.formula.empty()) line += fmt::format("    [{}]", e.formula);
  if (e.op == Op::leaf && e.where.known())
    line += fmt::format("    {}:{}:{}", e.where.path(), e.where.line, e.where.column);
  out << line << '\n';
  if (depth >= 0 && level >= depth) return;
  for (const Explanation& c : e.children) {
    std::string j;
    if (e.op == Op::product) j = "x ";
    else if (c.coefficient == 1) j = "+ ";
    else if (c.coefficient == -1) j = "- ";
    else j = "+ ";  // a funding share: shown in the child's label
    write_node(out, c, symbol, level + 1, depth, j.c_str());
  }
}

nlohmann::ordered_json to_json(const Explanation& e, int level, int depth) {
  nlohmann::ordered_json j;
  j["label"] = e.label;
  j["value"] = e.value;
  j["unit"] = e.unit == Unit::money ? "money" : e.unit == Unit::share ? "share" : "factor";
  j["op"] = e.op == Op::leaf ? "leaf" : e.op == Op::sum ? "sum" : "product";
  j["coefficient"] = e.coefficient;
  if (!e.formula.empty()) j["formula"] = e.formula;
  if (e.where.known()) j["source"] = {{"file", e.where.path()}, {"line", e.where.line}, {"column", e.where.column}};
  if (!e.children.empty() && (depth < 0 || level < depth)) {
    nlohmann::ordered_json children = nlohmann::ordered_json::array();
    for (const Explanation& c : e.children) children.push_back(to_json(c, level + 1, depth));
    j["children"] = children;
  }
  return j;
}

}  // namespace

Explanation explain(const Scenario& sc, const Projection& p, const FigureRef& r) {
  return Explainer(sc, p).figure(r);
}

void write_explanation(std::ostream& out, const Explanation& e, const std::string& currency, int depth) {
  write_node(out, e, detail::currency_symbol(currency), 0, depth, "");
}

void write_explanation_json(std::ostream& out, const Explanation& e, int depth) {
  out << to_json(e, 0, depth).dump(2) << '\n';
}

}  // namespace fundgap
