// Tables for a terminal: money in millions with one decimal (or the unit and decimals of
// --units and --decimals), the header naming the unit.
#include <cmath>

#include <fmt/format.h>

#include "fundgap/base/money.h"
#include "writers.h"

namespace fundgap::output {

namespace {

std::string millions(double v) { return fmt::format("{:.1m}", Money{v}); }

// The ANSI colour of a figure as shown: red when its sign is adverse, green when not,
// none when it shows as zero.
int sign_colour(Adverse adverse, double v, const std::string& shown) {
  if (shows_zero(shown) || adverse == Adverse::none) return 0;
  const bool bad = adverse == Adverse::above_zero ? v > 0 : v < 0;
  return bad ? 31 : 32;
}

std::string paint(bool color, const char* code, const std::string& s) {
  return color ? fmt::format("\x1b[{}m{}\x1b[0m", code, s) : s;
}

}  // namespace

std::string money_text(double v, const WriteOptions& o, bool sign) {
  return format_money(v, "", {o.money.unit, o.money.decimals, sign});
}

std::string cell_text(const Series& m, double v, const WriteOptions& o) {
  switch (m.unit) {
    case Unit::probability:
    case Unit::share: {
      const std::string text = fmt::format("{:.1f}%", v * 100);
      return text == "-0.0%" ? "0.0%" : text;  // never a negative zero
    }
    case Unit::pounds: return fmt::format("{:.2p}", Money{v});
    case Unit::count: return fmt::format("{:.1p}", Money{v});
    case Unit::money: break;
  }
  return money_text(v, o);
}

std::string money_heading(std::string_view currency, const WriteOptions& o) {
  return currency_symbol(currency) + std::string(unit_suffix(o.money.unit));
}

bool shows_zero(std::string_view text) { return text.find_first_of("123456789") == std::string_view::npos; }

void report_table(std::ostream& out, const Report& r, const WriteOptions& o) {
  const std::string unit = money_heading(r.currency, o);
  std::size_t label_width = 6;
  for (const ReportSection& s : r.sections)
    for (const ReportEntity& e : s.entities)
      for (const Series& m : e.measures) label_width = std::max(label_width, m.label.size() + 2);
  std::size_t value_width = 9;
  for (const ReportSection& s : r.sections)
    for (const ReportEntity& e : s.entities)
      for (const Series& m : e.measures)
        for (double v : m.values) value_width = std::max(value_width, cell_text(m, v, o).size() + 2);

  auto bold = [&](const std::string& s) { return o.color ? "\x1b[1m" + s + "\x1b[0m" : s; };
  bool first_section = true;
  for (const ReportSection& s : r.sections) {
    if (!first_section) out << '\n';
    first_section = false;
    out << bold(fmt::format("{}: {} ({})", r.scenario, view_name(s.view), unit)) << '\n';
    if (s.entities.empty() || s.entities.front().kind == EntityKind::system) {  // nothing of this kind
      out << fmt::format("  (this scenario has no {})\n", view_name(s.view));
      continue;
    }
    out << fmt::format("{:<{}}", "", label_width);
    for (FinancialYear y : r.years) out << fmt::format("{:>{}}", y.label(), value_width);
    out << '\n';
    for (const ReportEntity& e : s.entities) {
      std::string head = e.name == e.id ? e.id : fmt::format("{}: {}", e.id, e.name);
      out << bold(head) << '\n';
      for (const Series& m : e.measures) {
        out << fmt::format("  {:<{}}", m.label, label_width - 2);
        for (double v : m.values) {
          const std::string text = cell_text(m, v, o);
          const int colour = o.color && m.unit == Unit::money ? sign_colour(m.adverse, v, text) : 0;
          const std::string cell = fmt::format("{:>{}}", text, value_width);
          out << (colour ? fmt::format("\x1b[{}m{}\x1b[0m", colour, cell) : cell);
        }
        out << '\n';
      }
    }
  }
  for (const std::string& note : r.notes) out << note << '\n';
}

void checks_table(std::ostream& out, const CheckRun& run, const WriteOptions& o) {
  for (const FileChecks& f : run.files) {
    if (f.input_error) {
      out << fmt::format("{}: {}\n", f.path, paint(o.color, "31", "bad input (see the errors above)"));
      continue;
    }
    out << fmt::format("{}: {}\n", f.path, f.scenario);
    if (f.results.empty()) out << "  (no checks)\n";
    std::size_t width = 0;
    for (const CheckResult& r : f.results) width = std::max(width, r.check.name.size());
    for (const CheckResult& r : f.results)
      out << fmt::format("  {}  {:<{}}  expected {}, actual {}\n",
                         r.passed ? paint(o.color, "32", "PASS") : paint(o.color, "31", "FAIL"), r.check.name, width,
                         r.expected, r.actual_text);
  }
  out << run.summary() << '\n';
}

std::string gate_line(const GateResult& g, const std::string& symbol) {
  return fmt::format("{} {} ({}): increase {} in {}, allowed {}", g.passed ? "PASS" : "FAIL", g.gate.text,
                     g.other_file, fmt::format("{:+.1m}", Money{g.other - g.base, symbol}), g.year,
                     fmt::format("{:.1m}", Money{g.allowed, symbol}));
}

void comparison_table(std::ostream& out, const Comparisons& cs, const WriteOptions& o) {
  for (std::size_t n = 0; n < cs.comparisons.size(); ++n) {
    const Comparison& c = cs.comparisons[n];
    if (n) out << '\n';
    out << fmt::format("{} ({}): {} -> {}\n", c.measure, money_heading(c.currency, o), c.base_name, c.other_name);
    // Every cell first, so each column is as wide as its widest cell (at least nine, and
    // three more than the widest amount, for the sign of a change).
    struct Cells {
      std::vector<std::string> base, other, change, percent;
      std::vector<double> difference;
    };
    std::vector<Cells> cells;
    std::size_t width = 9;
    for (const ComparedEntity& e : c.entities) {
      Cells row;
      for (std::size_t t = 0; t < c.years.size(); ++t) {
        const bool both = e.base[t] && e.other[t];
        row.base.push_back(e.base[t] ? money_text(*e.base[t], o) : "n/a");
        row.other.push_back(e.other[t] ? money_text(*e.other[t], o) : "n/a");
        row.difference.push_back(both ? *e.other[t] - *e.base[t] : 0);
        row.change.push_back(both ? money_text(row.difference.back(), o, true) : "n/a");
        row.percent.push_back(change_percent_text(change_fraction(e.base[t], e.other[t])));
        for (const auto& v : {e.base[t], e.other[t]})
          if (v) width = std::max(width, money_text(*v, o).size() + 3);
        for (const std::string* s : {&row.change.back(), &row.percent.back()})
          width = std::max(width, static_cast<std::size_t>(utf8_length(*s)) + 2);
      }
      cells.push_back(std::move(row));
    }
    auto right = [&](const std::string& s) {  // padded by characters, not bytes
      return std::string(width - std::min(width, static_cast<std::size_t>(utf8_length(s))), ' ') + s;
    };
    out << fmt::format("{:<12}", "");
    for (FinancialYear y : c.years) out << right(y.label());
    out << '\n';
    for (std::size_t i = 0; i < c.entities.size(); ++i) {
      const Cells& row = cells[i];
      out << c.entities[i].id << '\n';
      auto line = [&](const char* label, const std::vector<std::string>& values, bool coloured) {
        out << fmt::format("  {:<10}", label);
        for (std::size_t t = 0; t < values.size(); ++t) {
          const double d = row.difference[t];
          const bool paint_it = coloured && o.color && !shows_zero(values[t]) && values[t] != "n/a";
          out << (paint_it ? fmt::format("\x1b[{}m{}\x1b[0m", d > 0 ? 31 : 32, right(values[t])) : right(values[t]));
        }
        out << '\n';
      };
      line("base", row.base, false);
      line("other", row.other, false);
      line("change", row.change, true);
      line("change %", row.percent, false);
    }
  }
  if (cs.gates.empty()) return;
  const std::string symbol = currency_symbol(cs.comparisons.empty() ? "GBP" : cs.comparisons.front().currency);
  out << '\n';
  for (const GateResult& g : cs.gates) out << gate_line(g, symbol) << '\n';
}

void bridge_table(std::ostream& out, const Bridge& b, const WriteOptions& o) {
  const std::string from = b.from_year.label(), to = b.to_year.label();
  out << fmt::format("Gap bridge: {}, {} to {} ({})\n", b.entity, from, to, money_heading(b.currency, o));
  std::size_t width = std::string("gap ").size() + from.size();
  for (const BridgeStep& s : b.steps) width = std::max(width, s.name.size());
  double largest = std::max(std::fabs(b.start), std::fabs(b.end));
  for (const BridgeStep& s : b.steps) largest = std::max(largest, std::fabs(s.value));
  constexpr int kBar = 30;
  auto bar = [&](double v, bool step) {
    const int n = largest > 0 ? static_cast<int>(std::lround(std::fabs(v) / largest * kBar)) : 0;
    std::string glyphs;
    for (int i = 0; i < n; ++i) glyphs += step ? (v > 0 ? "\xE2\x96\xB2" : "\xE2\x96\xBC") : "\xE2\x96\x88";
    if (!o.color || !step || n == 0) return glyphs;
    return fmt::format("\x1b[{}m{}\x1b[0m", v > 0 ? 31 : 32, glyphs);  // widening red, narrowing green
  };
  std::size_t values = 9;  // as wide as the widest amount
  values = std::max({values, money_text(b.start, o).size(), money_text(b.end, o).size()});
  for (const BridgeStep& s : b.steps) values = std::max(values, money_text(s.value, o, true).size());
  out << fmt::format("  {:<{}}  {:>{}}  {}\n", "gap " + from, width, money_text(b.start, o), values,
                     bar(b.start, false));
  for (const BridgeStep& s : b.steps)
    out << fmt::format("  {:<{}}  {:>{}}  {}\n", s.name, width, money_text(s.value, o, true), values,
                       bar(s.value, true));
  out << fmt::format("  {:<{}}  {:>{}}  {}\n", "gap " + to, width, money_text(b.end, o), values, bar(b.end, false));
  out << "\xE2\x96\xB2 widens the gap, \xE2\x96\xBC narrows it; the steps add up to the change.\n";
}

void tornado_table(std::ostream& out, const Tornado& t, const WriteOptions&) {
  const std::string symbol = currency_symbol(t.currency);
  out << fmt::format("Sensitivity of {} ({} as run), one input at a time ({}m)\n", t.figure,
                     fmt::format("{:.1m}", Money{t.base, symbol}), symbol);
  if (t.swings.empty()) {
    out << "  (no uncertain inputs; name certain ones with --input PATH)\n";
    return;
  }
  std::size_t width = 5;
  double largest = 0;
  for (const Swing& s : t.swings) {
    width = std::max(width, s.path.size());
    largest = std::max(largest, s.size());
  }
  std::size_t values = 6, figures = 9, range = 8;  // each as wide as its widest cell
  for (const Swing& s : t.swings) {
    values = std::max({values, s.low_text.size(), s.high_text.size()});
    figures = std::max({figures, millions(s.at_low).size(), millions(s.at_high).size()});
    range = std::max(range, millions(s.size()).size());
  }
  out << fmt::format("  {:<{}}  {:<13} {:>{}} {:>{}} {:>{}} {:>{}} {:>{}}\n", "input", width, "swing", "low", values,
                     "high", values, "at low", figures, "at high", figures, "range", range);
  for (const Swing& s : t.swings) {
    const int n = largest > 0 ? static_cast<int>(std::lround(s.size() / largest * 24)) : 0;
    std::string bar;
    for (int i = 0; i < n; ++i) bar += "\xE2\x96\x88";
    std::string line = fmt::format("  {:<{}}  {:<13} {:>{}} {:>{}} {:>{}} {:>{}} {:>{}}  {}", s.path, width, s.basis,
                                   s.low_text, values, s.high_text, values, millions(s.at_low), figures,
                                   millions(s.at_high), figures, millions(s.size()), range, bar);
    out << line.erase(line.find_last_not_of(' ') + 1) << '\n';
  }
}

}  // namespace fundgap::output
