#include "fundgap/report.h"

#include <cctype>
#include <cmath>
#include <map>

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <nlohmann/json.hpp>

#include "values.h"

namespace fundgap {

namespace {

using Eigen::ArrayXd;
using Eigen::Index;

ArrayXd row(const Eigen::ArrayXXd& a, std::size_t i) { return a.row(static_cast<Index>(i)).transpose(); }

// Appends a `system` entity summing each measure that every entity of the section has.
void add_system(ReportSection& section, const std::vector<std::string>& measures, Index years) {
  ReportEntity sys{"system", "system", "system", {}};
  for (const std::string& m : measures) {
    ArrayXd total = ArrayXd::Zero(years);
    for (const ReportEntity& e : section.entities) total += e.measure(m)->values;
    sys.measures.push_back({m, total});
  }
  section.entities.push_back(std::move(sys));
}

const std::vector<std::string> kPartnerMeasures = {"funding", "spend", "gap", "gap_do_nothing"};
const std::vector<std::string> kServiceMeasures = {"baseline", "savings", "reprovided", "investment", "net"};
const std::vector<std::string> kSchemeMeasures = {"saving", "reprovided", "investment"};
const std::vector<std::string> kPoolMeasures = {"contributions", "spend", "balance"};
const std::vector<std::string> kPoolPartnerPrefixes = {"contribution_", "balance_share_", "cost_"};

ReportSection partners_section(const Scenario& sc, const Projection& p) {
  ReportSection out{View::partners, {}};
  for (std::size_t i = 0; i < sc.partners.size(); ++i)
    out.entities.push_back({sc.partners[i].id, "partner", sc.partners[i].name,
                            {{"funding", row(p.funding, i)},
                             {"spend", row(p.spend, i)},
                             {"gap", row(p.gap, i)},
                             {"gap_do_nothing", row(p.gap_do_nothing, i)}}});
  add_system(out, kPartnerMeasures, sc.years());
  return out;
}

ReportSection services_section(const Scenario& sc, const Projection& p) {
  ReportSection out{View::services, {}};
  for (std::size_t i = 0; i < sc.services.size(); ++i)
    out.entities.push_back({sc.services[i].id, "service", sc.services[i].name,
                            {{"baseline", row(p.baseline, i)},
                             {"savings", row(p.savings, i)},
                             {"reprovided", row(p.reprovided, i)},
                             {"investment", row(p.investment, i)},
                             {"net", row(p.net, i)}}});
  add_system(out, kServiceMeasures, sc.years());
  return out;
}

ReportSection schemes_section(const Scenario& sc, const Projection& p) {
  ReportSection out{View::schemes, {}};
  for (std::size_t i = 0; i < sc.schemes.size(); ++i)
    out.entities.push_back({sc.schemes[i].id, "scheme", sc.schemes[i].name,
                            {{"saving", row(p.scheme_saving, i)},
                             {"reprovided", row(p.scheme_reprovided, i)},
                             {"investment", row(p.scheme_investment, i)}}});
  // No system total here: it would repeat the services view's savings, re-provision
  // and investment totals under the same CSV keys.
  return out;
}

ReportSection pools_section(const Scenario& sc, const Projection& p) {
  ReportSection out{View::pools, {}};
  for (std::size_t q = 0; q < sc.pools.size(); ++q) {
    ReportEntity e{sc.pools[q].id, "pool", sc.pools[q].name,
                   {{"contributions", row(p.pool_contributions, q)},
                    {"spend", row(p.pool_spend, q)},
                    {"balance", row(p.pool_balance, q)}}};
    // How the pool is shared: each partner that contributes or carries risk.
    for (std::size_t i = 0; i < sc.partners.size(); ++i) {
      const Index qi = static_cast<Index>(q), pi = static_cast<Index>(i);
      if (!pool_involves(sc.pools[q], static_cast<int>(i))) continue;
      const ArrayXd contribution = row(p.pool_partner_contribution[q], i);
      const ArrayXd balance_share = p.risk_share(qi, pi) * row(p.pool_balance, q);
      const std::string& id = sc.partners[i].id;
      e.measures.push_back({kPoolPartnerPrefixes[0] + id, contribution});
      e.measures.push_back({kPoolPartnerPrefixes[1] + id, balance_share});
      e.measures.push_back({kPoolPartnerPrefixes[2] + id, contribution - balance_share});
    }
    out.entities.push_back(std::move(e));
  }
  // No system total: `system,spend` is the partners' total spend.
  return out;
}

std::string label(const std::string& measure) {
  static const std::map<std::string, std::string> labels = {
      {"gap_do_nothing", "gap, do nothing"}, {"net", "net spend"}, {"reprovided", "re-provided"}};
  auto it = labels.find(measure);
  if (it != labels.end()) return it->second;
  for (const char* prefix : {"contribution_", "balance_share_", "cost_"}) {
    std::string_view pfx(prefix);
    if (measure.rfind(pfx, 0) == 0) {
      std::string who = measure.substr(pfx.size());
      if (pfx == "contribution_") return who + " contribution";
      if (pfx == "balance_share_") return who + " share of balance";
      return who + " net cost";
    }
  }
  return measure;
}

// Gaps are shortfalls when positive; balances are underspends when positive.
int sign_colour(const std::string& measure, double rounded) {
  if (rounded == 0) return 0;
  bool gap = measure == "gap" || measure == "gap_do_nothing";
  bool balance = measure == "balance" || measure.rfind("balance_share_", 0) == 0;
  if (gap) return rounded > 0 ? 31 : 32;
  if (balance) return rounded < 0 ? 31 : 32;
  return 0;
}

}  // namespace

bool pool_involves(const Pool& pool, int partner) {
  const Eigen::Index p = partner;
  switch (pool.risk_rule) {
    case RiskShareRule::proportional: return pool.contributions(p) != 0;
    case RiskShareRule::host: return pool.contributions(p) != 0 || pool.host == partner;
    case RiskShareRule::fixed: return pool.contributions(p) != 0 || pool.fixed_shares(p) != 0;
  }
  return false;
}

std::vector<std::string> measure_names(const Scenario& sc, const std::string& kind, const std::string& id) {
  if (kind == "partner") return kPartnerMeasures;
  if (kind == "service") return kServiceMeasures;
  if (kind == "scheme") return kSchemeMeasures;
  std::vector<std::string> out;
  if (kind == "system") {
    out = kPartnerMeasures;
    out.insert(out.end(), kServiceMeasures.begin(), kServiceMeasures.end());
    return out;
  }
  for (const Pool& q : sc.pools) {
    if (q.id != id) continue;
    out = kPoolMeasures;
    for (std::size_t i = 0; i < sc.partners.size(); ++i)
      if (pool_involves(q, static_cast<int>(i)))
        for (const std::string& prefix : kPoolPartnerPrefixes) out.push_back(prefix + sc.partners[i].id);
  }
  return out;
}

const Measure* find_measure(const Report& r, const std::string& id, const std::string& measure) {
  for (const ReportSection& s : r.sections)
    for (const ReportEntity& e : s.entities)
      if (e.id == id)
        if (const Measure* m = e.measure(measure)) return m;
  return nullptr;
}

const Measure* ReportEntity::measure(std::string_view n) const {
  for (const Measure& m : measures)
    if (m.name == n) return &m;
  return nullptr;
}

std::optional<View> parse_view(std::string_view name) {
  for (View v : {View::partners, View::services, View::schemes, View::pools, View::all})
    if (view_name(v) == name) return v;
  return std::nullopt;
}

std::string_view view_name(View v) {
  switch (v) {
    case View::partners: return "partners";
    case View::services: return "services";
    case View::schemes: return "schemes";
    case View::pools: return "pools";
    case View::all: return "all";
  }
  return "partners";
}

Report make_report(const Scenario& sc, const Projection& p, View view) {
  Report r{sc.name, sc.currency, {}, {}, {}};
  for (int t = 0; t < sc.years(); ++t) r.years.push_back(sc.year(t));
  auto want = [&](View v) { return view == v || view == View::all; };
  if (want(View::partners)) r.sections.push_back(partners_section(sc, p));
  if (want(View::services)) r.sections.push_back(services_section(sc, p));
  if (want(View::schemes)) r.sections.push_back(schemes_section(sc, p));
  if (want(View::pools)) r.sections.push_back(pools_section(sc, p));
  std::size_t uncertain = 0;
  for (const Parameter& param : sc.parameters) uncertain += param.distribution ? 1u : 0u;
  if (uncertain)
    r.notes.push_back(fmt::format("{} uncertain input{} at {} mean{}; 'fundgap simulate' shows the spread.", uncertain,
                                  uncertain == 1 ? " is" : "s are", uncertain == 1 ? "its" : "their",
                                  uncertain == 1 ? "" : "s"));
  return r;
}

std::optional<Format> parse_format(std::string_view name) {
  if (name == "table") return Format::table;
  if (name == "csv") return Format::csv;
  if (name == "json") return Format::json;
  return std::nullopt;
}

std::string format_name_for_path(std::string_view path) {
  std::string lower(path);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const std::size_t dot = lower.rfind('.');
  if (dot == std::string::npos || dot == 0 || lower[dot - 1] == '/') return {};
  const std::string ext = lower.substr(dot);
  if (ext == ".csv") return "csv";
  if (ext == ".json") return "json";
  if (ext == ".txt") return "table";
  if (ext == ".md") return "markdown";
  return {};
}

std::string millions(double amount) { return detail::grouped_number(amount / 1e6, 1); }

std::string exact(double amount) { return amount == 0 ? "0" : fmt::format("{}", amount); }

namespace {
// A table cell: money in millions, a probability as a percentage.
std::string cell_text(const Measure& m, double v) {
  if (m.unit == Measure::Unit::probability) return fmt::format("{:.1f}%", v * 100);
  return millions(v);
}
}  // namespace

void write_table(std::ostream& out, const Report& r, const TableStyle& style) {
  const std::string symbol = detail::currency_symbol(r.currency);
  std::size_t label_width = 6;
  for (const ReportSection& s : r.sections)
    for (const ReportEntity& e : s.entities)
      for (const Measure& m : e.measures) label_width = std::max(label_width, label(m.name).size() + 2);
  std::size_t value_width = 9;
  for (const ReportSection& s : r.sections)
    for (const ReportEntity& e : s.entities)
      for (const Measure& m : e.measures)
        for (double v : m.values) value_width = std::max(value_width, cell_text(m, v).size() + 2);

  auto bold = [&](const std::string& s) { return style.color ? "\x1b[1m" + s + "\x1b[0m" : s; };
  bool first_section = true;
  for (const ReportSection& s : r.sections) {
    if (!first_section) out << '\n';
    first_section = false;
    out << bold(fmt::format("{}: {} ({}m)", r.scenario, view_name(s.view), symbol)) << '\n';
    if (s.entities.empty() || s.entities.front().kind == "system") {  // nothing of this kind
      out << fmt::format("  (this scenario has no {})\n", view_name(s.view));
      continue;
    }
    out << fmt::format("{:<{}}", "", label_width);
    for (FinancialYear y : r.years) out << fmt::format("{:>{}}", y.label(), value_width);
    out << '\n';
    for (const ReportEntity& e : s.entities) {
      std::string head = e.name == e.id ? e.id : fmt::format("{}: {}", e.id, e.name);
      out << bold(head) << '\n';
      for (const Measure& m : e.measures) {
        out << fmt::format("  {:<{}}", label(m.name), label_width - 2);
        for (double v : m.values) {
          std::string text = cell_text(m, v);
          int colour = style.color && m.unit == Measure::Unit::money ? sign_colour(m.name, std::round(v / 1e5)) : 0;
          std::string cell = fmt::format("{:>{}}", text, value_width);
          out << (colour ? fmt::format("\x1b[{}m{}\x1b[0m", colour, cell) : cell);
        }
        out << '\n';
      }
    }
  }
  for (const std::string& note : r.notes) out << note << '\n';
}

void write_csv(std::ostream& out, const Report& r) {
  out << "entity,measure,year,value\n";
  for (const ReportSection& s : r.sections)
    for (const ReportEntity& e : s.entities)
      for (const Measure& m : e.measures)
        for (std::size_t t = 0; t < r.years.size(); ++t)
          out << e.id << ',' << m.name << ',' << r.years[t].label() << ','
              << exact(m.values(static_cast<Index>(t))) << '\n';
}

void write_json(std::ostream& out, const Report& r) {
  nlohmann::ordered_json j;
  j["format"] = "fundgap-result";
  j["version"] = 1;
  j["scenario"] = r.scenario;
  j["currency"] = r.currency;
  nlohmann::ordered_json years = nlohmann::ordered_json::array();
  for (FinancialYear y : r.years) years.push_back(y.label());
  j["years"] = years;
  nlohmann::ordered_json views = nlohmann::ordered_json::object();
  for (const ReportSection& s : r.sections) {
    nlohmann::ordered_json entities = nlohmann::ordered_json::array();
    for (const ReportEntity& e : s.entities) {
      nlohmann::ordered_json measures = nlohmann::ordered_json::object();
      for (const Measure& m : e.measures) {
        nlohmann::ordered_json values = nlohmann::ordered_json::array();
        for (double v : m.values) values.push_back(v == 0 ? 0.0 : v);
        measures[m.name] = values;
      }
      entities.push_back({{"id", e.id}, {"kind", e.kind}, {"name", e.name}, {"measures", measures}});
    }
    views[std::string(view_name(s.view))] = entities;
  }
  j["views"] = views;
  if (!r.notes.empty()) j["notes"] = r.notes;
  out << j.dump(2) << '\n';
}

void write_report(std::ostream& out, const Report& r, Format f, const TableStyle& style) {
  switch (f) {
    case Format::table: write_table(out, r, style); break;
    case Format::csv: write_csv(out, r); break;
    case Format::json: write_json(out, r); break;
  }
}

}  // namespace fundgap
