#include "fundgap/compare.h"

#include <cmath>

#include <nlohmann/json.hpp>

#include "check_parser.h"
#include "values.h"

namespace fundgap {

std::string default_measure(View view) {
  switch (view) {
    case View::services: return "net";
    case View::schemes: return "saving";
    case View::pools: return "balance";
    default: return "gap";
  }
}

namespace {

const ReportSection* section_of(const Report& r, View view) {
  for (const ReportSection& s : r.sections)
    if (s.view == view) return &s;
  return nullptr;
}

std::optional<std::size_t> year_position(const Report& r, FinancialYear y) {
  for (std::size_t i = 0; i < r.years.size(); ++i)
    if (r.years[i] == y) return i;
  return std::nullopt;
}

std::string money(double v, const std::string& symbol, bool sign) { return detail::money_millions(v, symbol, 1, sign); }

std::optional<double> change_pct(const std::optional<double>& b, const std::optional<double>& o) {
  if (!b || !o || std::round(*b * 100) == 0) return std::nullopt;
  return (*o - *b) / std::fabs(*b);
}

}  // namespace

Comparison compare_reports(const Report& base, const Report& other, View view, const std::string& measure) {
  Comparison c;
  c.base_name = base.scenario;
  c.other_name = other.scenario;
  c.measure = measure;
  for (FinancialYear y : base.years)
    if (year_position(other, y)) c.years.push_back(y);
  if (c.years.empty())
    throw InputError(SourceLocation{}, fmt::format("'{}' and '{}' share no year to compare", base.scenario,
                                                   other.scenario));
  const ReportSection* bs = section_of(base, view);
  const ReportSection* os = section_of(other, view);
  std::vector<std::string> ids;
  for (const ReportSection* s : {bs, os})
    for (const ReportEntity& e : s->entities)
      if (e.id != "system" && std::find(ids.begin(), ids.end(), e.id) == ids.end()) ids.push_back(e.id);
  for (const ReportSection* s : {bs, os})
    if (!s->entities.empty() && s->entities.back().id == "system") {
      ids.push_back("system");  // partners and services have a system total; schemes and pools do not
      break;
    }
  bool known_measure = false;
  for (const std::string& id : ids) {
    ComparedEntity ce{id, {}, {}};
    for (FinancialYear y : c.years) {
      auto pick = [&](const Report& r, const ReportSection* s) -> std::optional<double> {
        for (const ReportEntity& e : s->entities)
          if (e.id == id)
            if (const Measure* m = e.measure(measure)) {
              known_measure = true;
              return m->values(static_cast<Eigen::Index>(*year_position(r, y)));
            }
        return std::nullopt;
      };
      ce.base.push_back(pick(base, bs));
      ce.other.push_back(pick(other, os));
    }
    c.entities.push_back(std::move(ce));
  }
  if (!known_measure && !ids.empty())
    throw InputError(SourceLocation{}, fmt::format("the {} view has no measure '{}'", view_name(view), measure));
  return c;
}

Gate parse_gate(const Scenario& sc, const std::string& text, const std::string& source) {
  auto file = std::make_shared<SourceFile>(SourceFile{source, text});
  const std::size_t eq = text.rfind('=');
  if (eq == std::string::npos)
    throw InputError(SourceLocation{file, 1, 1},
                     fmt::format("expected ENTITY.MEASURE[YEAR]=LIMIT (like system.gap[*]=1m), found '{}'", text));
  Check c;
  c.expression = text.substr(0, eq);
  c.where = {file, 1, 1};
  Diagnostics diags;
  if (!detail::parse_reference(sc, c, diags, true)) throw InputError(diags);
  const std::string limit = text.substr(eq + 1);
  detail::Parsed p = detail::parse_quantity(limit);
  const SourceLocation at{file, 1, utf8_length(std::string_view(text).substr(0, eq)) + 2};
  if (p.error != detail::NumberError::none || limit.empty())
    throw InputError(at, fmt::format("expected a limit (money like 1m, or a percentage like 5%), found '{}'", limit));
  if (p.value < 0) throw InputError(at, "a limit on an increase cannot be negative");
  Gate g{text, c.entity, c.measure, std::nullopt, p.value, p.percent};
  if (c.year) g.year = sc.year(*c.year);
  return g;
}

GateResult evaluate_gate(const Gate& g, const Report& base, const Report& other, const std::string& other_file) {
  const Measure* bm = find_measure(base, g.entity, g.measure);
  const Measure* om = find_measure(other, g.entity, g.measure);
  if (!om)
    throw InputError(SourceLocation{}, fmt::format("--max-increase {}: '{}' has no {}.{}", g.text, other_file,
                                                   g.entity, g.measure));
  GateResult r{g, other_file, true, {}, 0, 0, 0};
  double worst = -INFINITY;
  for (std::size_t i = 0; i < base.years.size(); ++i) {
    const FinancialYear y = base.years[i];
    if (g.year && *g.year != y) continue;
    auto j = year_position(other, y);
    if (!j) continue;
    const double b = bm->values(static_cast<Eigen::Index>(i)), o = om->values(static_cast<Eigen::Index>(*j));
    const double allowed = g.relative ? g.limit * std::fabs(b) : g.limit;
    // In whole pennies, as checks are.
    const double excess = std::round((o - b) * 100) - std::round(allowed * 100);
    if (excess > worst) {
      worst = excess;
      r.year = y;
      r.base = b;
      r.other = o;
      r.allowed = allowed;
    }
    if (excess > 0) r.passed = false;
  }
  return r;
}

void write_comparison_table(std::ostream& out, const std::vector<Comparison>& cs, const std::string& currency,
                            bool color) {
  const std::string symbol = detail::currency_symbol(currency);
  for (std::size_t n = 0; n < cs.size(); ++n) {
    const Comparison& c = cs[n];
    if (n) out << '\n';
    out << fmt::format("{} ({}m): {} -> {}\n", c.measure, symbol, c.base_name, c.other_name);
    std::size_t width = 9;
    for (const ComparedEntity& e : c.entities)
      for (std::size_t t = 0; t < c.years.size(); ++t)
        for (const auto& v : {e.base[t], e.other[t]})
          if (v) width = std::max(width, millions(*v).size() + 3);
    out << fmt::format("{:<12}", "");
    for (FinancialYear y : c.years) out << fmt::format("{:>{}}", y.label(), width);
    out << '\n';
    for (const ComparedEntity& e : c.entities) {
      out << e.id << '\n';
      auto row = [&](const char* label, auto cell) {
        out << fmt::format("  {:<10}", label);
        for (std::size_t t = 0; t < c.years.size(); ++t) out << cell(t);
        out << '\n';
      };
      auto plain = [&](const std::optional<double>& v) {
        return fmt::format("{:>{}}", v ? millions(*v) : "n/a", width);
      };
      row("base", [&](std::size_t t) { return plain(e.base[t]); });
      row("other", [&](std::size_t t) { return plain(e.other[t]); });
      row("change", [&](std::size_t t) {
        if (!e.base[t] || !e.other[t]) return fmt::format("{:>{}}", "n/a", width);
        const double d = *e.other[t] - *e.base[t];
        std::string s = millions(d);
        if (s.front() != '-' && s != "0.0") s = "+" + s;
        std::string cell = fmt::format("{:>{}}", s, width);
        if (color && s != "0.0") cell = fmt::format("\x1b[{}m{}\x1b[0m", d > 0 ? 31 : 32, cell);
        return cell;
      });
      row("change %", [&](std::size_t t) {
        auto p = change_pct(e.base[t], e.other[t]);
        return fmt::format("{:>{}}", p ? fmt::format("{:+.1f}%", *p * 100) : "-", width);
      });
    }
  }
}

void write_comparison_csv(std::ostream& out, const std::vector<Comparison>& cs) {
  out << "scenario,entity,measure,year,base,other,change,change_pct\n";
  for (const Comparison& c : cs)
    for (const ComparedEntity& e : c.entities)
      for (std::size_t t = 0; t < c.years.size(); ++t) {
        auto text = [](const std::optional<double>& v) { return v ? exact(*v) : std::string(); };
        std::optional<double> change;
        if (e.base[t] && e.other[t]) change = *e.other[t] - *e.base[t];
        auto pct = change_pct(e.base[t], e.other[t]);
        out << fmt::format("{},{},{},{},{},{},{},{}\n", c.other_file, e.id, c.measure, c.years[t].label(),
                           text(e.base[t]), text(e.other[t]), text(change), text(pct));
      }
}

void write_comparison_markdown(std::ostream& out, const std::vector<Comparison>& cs, const std::string& currency) {
  const std::string symbol = detail::currency_symbol(currency);
  for (const Comparison& c : cs) {
    out << fmt::format("#### {}: {} \u2192 {}\n\n| {} | |", c.measure, c.base_name, c.other_name, c.measure);
    for (FinancialYear y : c.years) out << ' ' << y.label() << " |";
    out << "\n|---|---|";
    for (std::size_t t = 0; t < c.years.size(); ++t) out << "---:|";
    out << '\n';
    for (const ComparedEntity& e : c.entities) {
      auto row = [&](const std::string& first, const char* label, auto cell) {
        out << fmt::format("| {} | {} |", first, label);
        for (std::size_t t = 0; t < c.years.size(); ++t) out << ' ' << cell(t) << " |";
        out << '\n';
      };
      row("**" + e.id + "**", "base", [&](std::size_t t) { return e.base[t] ? money(*e.base[t], symbol, false) : "n/a"; });
      row("", "other", [&](std::size_t t) { return e.other[t] ? money(*e.other[t], symbol, false) : "n/a"; });
      row("", "change", [&](std::size_t t) {
        if (!e.base[t] || !e.other[t]) return std::string("n/a");
        auto p = change_pct(e.base[t], e.other[t]);
        return money(*e.other[t] - *e.base[t], symbol, true) + (p ? fmt::format(" ({:+.1f}%)", *p * 100) : "");
      });
    }
    out << '\n';
  }
}

void write_comparison_json(std::ostream& out, const std::vector<Comparison>& cs, const std::vector<GateResult>& gates) {
  nlohmann::ordered_json j;
  j["format"] = "fundgap-compare";
  j["version"] = 1;
  if (!cs.empty()) {
    j["base"] = {{"file", cs.front().base_file}, {"scenario", cs.front().base_name}};
    j["measure"] = cs.front().measure;
  }
  nlohmann::ordered_json comparisons = nlohmann::ordered_json::array();
  for (const Comparison& c : cs) {
    nlohmann::ordered_json jc;
    jc["file"] = c.other_file;
    jc["scenario"] = c.other_name;
    nlohmann::ordered_json years = nlohmann::ordered_json::array();
    for (FinancialYear y : c.years) years.push_back(y.label());
    jc["years"] = years;
    nlohmann::ordered_json entities = nlohmann::ordered_json::array();
    for (const ComparedEntity& e : c.entities) {
      nlohmann::ordered_json b = nlohmann::ordered_json::array(), o = b, d = b, p = b;
      for (std::size_t t = 0; t < c.years.size(); ++t) {
        auto value = [](const std::optional<double>& v) { return v ? nlohmann::ordered_json(*v) : nullptr; };
        b.push_back(value(e.base[t]));
        o.push_back(value(e.other[t]));
        d.push_back(e.base[t] && e.other[t] ? nlohmann::ordered_json(*e.other[t] - *e.base[t]) : nullptr);
        p.push_back(value(change_pct(e.base[t], e.other[t])));
      }
      entities.push_back({{"id", e.id}, {"base", b}, {"other", o}, {"change", d}, {"change_pct", p}});
    }
    jc["entities"] = entities;
    comparisons.push_back(jc);
  }
  j["comparisons"] = comparisons;
  nlohmann::ordered_json jg = nlohmann::ordered_json::array();
  for (const GateResult& g : gates)
    jg.push_back({{"gate", g.gate.text}, {"file", g.other_file}, {"passed", g.passed}, {"year", g.year.label()},
                  {"base", g.base}, {"other", g.other}, {"increase", g.other - g.base}, {"allowed", g.allowed}});
  j["gates"] = jg;
  out << j.dump(2) << '\n';
}

void write_gate_results(std::ostream& out, const std::vector<GateResult>& gates, const std::string& currency,
                        bool markdown) {
  const std::string symbol = detail::currency_symbol(currency);
  if (gates.empty()) return;
  out << (markdown ? "#### Gates\n\n" : "\n");
  for (const GateResult& g : gates) {
    const std::string line =
        fmt::format("{} {} ({}): increase {} in {}, allowed {}", g.passed ? "PASS" : "FAIL", g.gate.text, g.other_file,
                    money(g.other - g.base, symbol, true), g.year, money(g.allowed, symbol, false));
    out << (markdown ? fmt::format("- {} `{}`\n", g.passed ? ":white_check_mark:" : ":x:", line) : line + '\n');
  }
}

}  // namespace fundgap
