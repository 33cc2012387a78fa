#include "fundgap/bridge.h"

#include <cmath>

#include <nlohmann/json.hpp>

#include "fundgap/report.h"
#include "values.h"

namespace fundgap {

Bridge make_bridge(const Scenario& sc, const Projection& p, int partner, int from, int to) {
  using Eigen::Index;
  const Index S = static_cast<Index>(sc.services.size());
  // How much of each service's spend lands on the entity: its funding share, or for a
  // pooled service the entity's risk share of the pool (constant over the years).
  Eigen::ArrayXd weight = Eigen::ArrayXd::Zero(S);
  for (Index s = 0; s < S; ++s) {
    const Service& sv = sc.services[static_cast<std::size_t>(s)];
    if (partner < 0)
      weight(s) = 1;
    else if (sv.pool >= 0)
      weight(s) = p.risk_share(sv.pool, partner);
    else
      for (const FundingShare& f : sv.funders)
        if (f.partner == partner) weight(s) += f.share;
  }

  Bridge b;
  b.entity = partner < 0 ? "system" : sc.partners[static_cast<std::size_t>(partner)].id;
  b.from = from;
  b.to = to;
  auto gap = [&](int t) { return partner < 0 ? p.gap.col(t).sum() : p.gap(partner, t); };
  auto funding = [&](int t) { return partner < 0 ? p.funding.col(t).sum() : p.funding(partner, t); };
  b.start = gap(from);
  b.end = gap(to);

  b.steps.push_back({"funding growth", "funding", "", -(funding(to) - funding(from))});

  // Baseline change, demand first: X(to) = X(from) D I, with D and I the compounded
  // demand and inflation factors; demand contributes X(from)(D - 1), inflation the rest.
  double demand = 0, inflation = 0;
  for (Index s = 0; s < S; ++s) {
    const Service& sv = sc.services[static_cast<std::size_t>(s)];
    double d = 1;
    for (int t = from + 1; t <= to; ++t) d *= 1 + sv.demand(t);
    const double x0 = p.baseline(s, from), x1 = p.baseline(s, to);
    demand += weight(s) * x0 * (d - 1);
    inflation += weight(s) * (x1 - x0 * d);
  }
  b.steps.push_back({"demand growth", "demand", "", demand});
  b.steps.push_back({"inflation", "inflation", "", inflation});

  for (std::size_t k = 0; k < sc.schemes.size(); ++k) {
    const Scheme& sk = sc.schemes[k];
    const Index ki = static_cast<Index>(k);
    auto effect = [&](int t) {
      double e = -weight(sk.service) * p.scheme_saving(ki, t);
      if (sk.reprovide_service >= 0) e += weight(sk.reprovide_service) * p.scheme_reprovided(ki, t);
      if (sk.investment_service >= 0) e += weight(sk.investment_service) * p.scheme_investment(ki, t);
      return e;
    };
    b.steps.push_back({"scheme " + sk.id, "scheme", sk.id, effect(to) - effect(from)});
  }

  // What a partner pays into a pool beyond its risk share of all contributions; zero
  // under proportional sharing, and zero for the system (the shares sum to one).
  for (std::size_t q = 0; q < sc.pools.size(); ++q) {
    const Index qi = static_cast<Index>(q);
    double v = 0;
    for (std::size_t i = 0; i < sc.partners.size(); ++i) {
      if (partner >= 0 && static_cast<int>(i) != partner) continue;
      const Index pi = static_cast<Index>(i);
      auto beyond = [&](int t) {
        return p.pool_partner_contribution[q](pi, t) - p.risk_share(qi, pi) * p.pool_contributions(qi, t);
      };
      v += beyond(to) - beyond(from);
    }
    b.steps.push_back({"pool " + sc.pools[q].id + " risk share", "pool", sc.pools[q].id, v});
  }
  return b;
}

namespace {
std::string signed_millions(double v) {
  std::string m = millions(v);
  return m.front() == '-' || m == "0.0" ? m : "+" + m;
}
}  // namespace

void write_bridge_table(std::ostream& out, const Bridge& b, const Scenario& sc, bool color) {
  const std::string symbol = detail::currency_symbol(sc.currency);
  const std::string from = sc.year(b.from).label(), to = sc.year(b.to).label();
  out << fmt::format("Gap bridge: {}, {} to {} ({}m)\n", b.entity, from, to, symbol);
  std::size_t width = std::string("gap ").size() + from.size();
  for (const BridgeStep& s : b.steps) width = std::max(width, s.name.size());
  double largest = std::max(std::fabs(b.start), std::fabs(b.end));
  for (const BridgeStep& s : b.steps) largest = std::max(largest, std::fabs(s.value));
  constexpr int kBar = 30;
  auto bar = [&](double v, bool step) {
    const int n = largest > 0 ? static_cast<int>(std::lround(std::fabs(v) / largest * kBar)) : 0;
    std::string glyphs;
    for (int i = 0; i < n; ++i) glyphs += step ? (v > 0 ? "\xE2\x96\xB2" : "\xE2\x96\xBC") : "\xE2\x96\x88";
    if (!color || !step || n == 0) return glyphs;
    return fmt::format("\x1b[{}m{}\x1b[0m", v > 0 ? 31 : 32, glyphs);  // widening red, narrowing green
  };
  out << fmt::format("  {:<{}}  {:>9}  {}\n", "gap " + from, width, millions(b.start), bar(b.start, false));
  for (const BridgeStep& s : b.steps)
    out << fmt::format("  {:<{}}  {:>9}  {}\n", s.name, width, signed_millions(s.value), bar(s.value, true));
  out << fmt::format("  {:<{}}  {:>9}  {}\n", "gap " + to, width, millions(b.end), bar(b.end, false));
  out << "\xE2\x96\xB2 widens the gap, \xE2\x96\xBC narrows it; the steps add up to the change.\n";
}

void write_bridge_csv(std::ostream& out, const Bridge& b, const Scenario& sc) {
  const std::string from = sc.year(b.from).label(), to = sc.year(b.to).label();
  out << "entity,step,kind,from,to,value\n";
  out << fmt::format("{},gap {},start,{},{},{}\n", b.entity, from, from, to, exact(b.start));
  for (const BridgeStep& s : b.steps)
    out << fmt::format("{},{},{},{},{},{}\n", b.entity, s.name, s.kind, from, to, exact(s.value));
  out << fmt::format("{},gap {},end,{},{},{}\n", b.entity, to, from, to, exact(b.end));
}

void write_bridge_json(std::ostream& out, const Bridge& b, const Scenario& sc) {
  nlohmann::ordered_json j;
  j["format"] = "fundgap-bridge";
  j["version"] = 1;
  j["scenario"] = sc.name;
  j["currency"] = sc.currency;
  j["entity"] = b.entity;
  j["from"] = sc.year(b.from).label();
  j["to"] = sc.year(b.to).label();
  j["start"] = b.start;
  nlohmann::ordered_json steps = nlohmann::ordered_json::array();
  for (const BridgeStep& s : b.steps) {
    nlohmann::ordered_json step{{"step", s.name}, {"kind", s.kind}, {"value", s.value}};
    if (!s.id.empty()) step["id"] = s.id;
    steps.push_back(step);
  }
  j["steps"] = steps;
  j["end"] = b.end;
  out << j.dump(2) << '\n';
}

}  // namespace fundgap
