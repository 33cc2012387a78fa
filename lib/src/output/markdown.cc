// Markdown for pull requests and board papers: GitHub-flavoured tables, money in the unit
// and decimals of --units and --decimals (default: £m to one decimal).
#include <fmt/format.h>

#include "fundgap/base/money.h"
#include "writers.h"

namespace fundgap::output {

namespace {

std::string cell(const std::string& s) {
  std::string o;
  for (char c : s) o += c == '|' ? std::string("\\|") : std::string(1, c);
  return o;
}

}  // namespace

std::string first_line(const Diagnostics& d) {
  const Diagnostic first = d.sorted().front();  // a copy: sorted() returns a temporary
  const std::string r = render(first);
  return r.substr(0, r.find('\n'));
}

void checks_markdown(std::ostream& out, const CheckRun& run, const WriteOptions&) {
  const bool ok = run.failures() == 0 && !run.any_input_error();
  out << fmt::format("### fundgap checks: {}\n\n{}\n\n", ok ? "all passed" : "failing", run.summary());
  for (const FileChecks& f : run.files) {
    if (f.input_error) {
      out << fmt::format("#### `{}`\n\n:x: bad input: `{}`\n\n", f.path, first_line(*f.input_error));
      continue;
    }
    out << fmt::format("#### {} (`{}`)\n\n", cell(f.scenario), f.path);
    if (f.results.empty()) {
      out << "No checks.\n\n";
      continue;
    }
    out << "| | Check | Expression | Expected | Actual |\n|---|---|---|---|---|\n";
    for (const CheckResult& r : f.results)
      out << fmt::format("| {} | {} | `{}` | {} | {} |\n", r.passed ? ":white_check_mark:" : ":x:", cell(r.check.name),
                         cell(r.check.expression), cell(r.expected), r.actual_text);
    out << '\n';
  }
}

void report_markdown(std::ostream& out, const Report& r, const WriteOptions& o) {
  const std::string unit = money_heading(r.currency, o);
  bool first = true;
  for (const ReportSection& s : r.sections) {
    if (!first) out << '\n';
    first = false;
    out << fmt::format("#### {}: {} ({})\n\n", cell(r.scenario), view_name(s.view), unit);
    if (s.entities.empty() || s.entities.front().kind == EntityKind::system) {
      out << fmt::format("This scenario has no {}.\n", view_name(s.view));
      continue;
    }
    out << "| | |";
    for (FinancialYear y : r.years) out << ' ' << y.label() << " |";
    out << "\n|---|---|";
    for (std::size_t t = 0; t < r.years.size(); ++t) out << "---:|";
    out << '\n';
    for (const ReportEntity& e : s.entities) {
      const std::string head = e.name == e.id ? e.id : fmt::format("{}: {}", e.id, e.name);
      for (std::size_t i = 0; i < e.measures.size(); ++i) {
        const Series& m = e.measures[i];
        out << (i == 0 ? fmt::format("| **{}** |", cell(head)) : std::string("| |")) << ' ' << cell(m.label) << " |";
        for (double v : m.values) out << ' ' << cell_text(m, v, o) << " |";
        out << '\n';
      }
    }
  }
  for (const std::string& note : r.notes) out << '\n' << note << '\n';  // a paragraph each
}

void comparison_markdown(std::ostream& out, const Comparisons& cs, const WriteOptions& o) {
  for (const Comparison& c : cs.comparisons) {
    const std::string symbol = currency_symbol(c.currency);
    auto money = [&](double v, bool sign) {
      return format_money(v, symbol, {o.money.unit, o.money.decimals, sign});
    };
    out << fmt::format("#### {}: {} \u2192 {}\n\n| {} | |", c.measure, c.base_name, c.other_name, c.measure);
    for (FinancialYear y : c.years) out << ' ' << y.label() << " |";
    out << "\n|---|---|";
    for (std::size_t t = 0; t < c.years.size(); ++t) out << "---:|";
    out << '\n';
    for (const ComparedEntity& e : c.entities) {
      auto row = [&](const std::string& first, const char* label, auto value) {
        out << fmt::format("| {} | {} |", first, label);
        for (std::size_t t = 0; t < c.years.size(); ++t) out << ' ' << value(t) << " |";
        out << '\n';
      };
      row("**" + e.id + "**", "base", [&](std::size_t t) { return e.base[t] ? money(*e.base[t], false) : "n/a"; });
      row("", "other", [&](std::size_t t) { return e.other[t] ? money(*e.other[t], false) : "n/a"; });
      row("", "change", [&](std::size_t t) {
        if (!e.base[t] || !e.other[t]) return std::string("n/a");
        auto p = change_fraction(e.base[t], e.other[t]);
        return money(*e.other[t] - *e.base[t], true) + (p ? fmt::format(" ({})", change_percent_text(p)) : "");
      });
    }
    out << '\n';
  }
  if (cs.gates.empty()) return;
  const std::string symbol = currency_symbol(cs.comparisons.empty() ? "GBP" : cs.comparisons.front().currency);
  out << "#### Gates\n\n";
  for (const GateResult& g : cs.gates)
    out << fmt::format("- {} `{}`\n", g.passed ? ":white_check_mark:" : ":x:", gate_line(g, symbol));
}

}  // namespace fundgap::output
