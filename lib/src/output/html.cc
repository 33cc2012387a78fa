// The HTML board report: one self-contained page (no script, no font, nothing fetched),
// with inline SVG charts and the tables, readable on a phone and in print.
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "fundgap/base/money.h"
#include "svg.h"
#include "writers.h"

namespace fundgap::output {

namespace {

using svg::escape;

constexpr std::string_view kStyle = R"(
:root{--ink:#1d2630;--muted:#5b6773;--rule:#d5dbe1;--plan:#1b6ca8;--nothing:#c0392b;--good:#1e7b45;--bad:#b3261e}
*{box-sizing:border-box}
body{margin:0 auto;max-width:1100px;padding:1rem;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:var(--ink)}
h1{font-size:1.6rem;margin:.2rem 0}h2{font-size:1.25rem;margin:2rem 0 .5rem;border-bottom:2px solid var(--rule)}h3{font-size:1rem;margin:.6rem 0 .3rem}
.meta,.note,figcaption{color:var(--muted);font-size:.9rem}
.headline{display:grid;grid-template-columns:repeat(auto-fit,minmax(190px,1fr));gap:.6rem;margin:1rem 0}
.headline div{border:1px solid var(--rule);border-radius:6px;padding:.5rem .7rem}.headline b{display:block;font-size:1.3rem}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:1rem}
figure{margin:0;break-inside:avoid}.single{max-width:560px}
svg.chart{width:100%;height:auto;display:block}
svg .grid{stroke:#e6eaee}svg .zero{stroke:#8a949e}svg .base{stroke:var(--ink);stroke-dasharray:3 2}
svg text{fill:var(--muted)}svg .label{fill:var(--ink)}svg .note{fill:var(--ink)}
svg polyline.mark{stroke-width:2.5}svg .dashed{stroke-dasharray:6 4}
svg .c0{stroke:var(--plan);fill:var(--plan)}svg .c1{stroke:var(--nothing);fill:var(--nothing)}
svg .c2{stroke:#7b4fa0;fill:#7b4fa0}svg .c3{stroke:#d98c1a;fill:#d98c1a}svg .c4{stroke:#2a9d8f;fill:#2a9d8f}svg .c5{stroke:#6b7b8c;fill:#6b7b8c}
svg polyline.mark{fill:none}
svg .band-outer{fill:var(--plan);opacity:.18}svg .band-inner{fill:var(--plan);opacity:.35}
svg .total{fill:#5b6773}svg .up,svg .high{fill:var(--bad)}svg .down,svg .low{fill:var(--good)}
.key{list-style:none;padding:0;margin:.2rem 0;display:flex;flex-wrap:wrap;gap:.3rem 1rem;font-size:.85rem}
.key i{display:inline-block;width:1.4em;height:.35em;vertical-align:middle;margin-right:.3em;background:var(--plan)}
.key .c1{background:var(--nothing)}.key .c2{background:#7b4fa0}.key .c3{background:#d98c1a}.key .c4{background:#2a9d8f}.key .c5{background:#6b7b8c}
.key .dashed{background:repeating-linear-gradient(90deg,var(--nothing) 0 6px,transparent 6px 10px)}
.key .band{height:.8em;opacity:.22}.key .band.c0{opacity:.5}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}
table{border-collapse:collapse;font-size:.88rem;margin:.3rem 0 1rem;font-variant-numeric:tabular-nums}
th,td{padding:.2rem .5rem;border-bottom:1px solid var(--rule);text-align:right;white-space:nowrap}
th:first-child,td:first-child,table.checks th,table.checks td{text-align:left}
tr.entity th{text-align:left;background:#f3f5f7}
td.adverse{color:var(--bad)}
.pass{color:var(--good);font-weight:600}.fail{color:var(--bad);font-weight:600}
code{font-size:.85em}
@media (max-width:480px){body{padding:.6rem;font-size:14px}h1{font-size:1.3rem}.grid{grid-template-columns:1fr}}
@media print{@page{size:A4;margin:14mm}body{max-width:none;padding:0;font-size:10pt}
 .grid{grid-template-columns:1fr 1fr}h2{break-after:avoid}table,figure,.headline{break-inside:avoid}
 .scroll{overflow:visible}td.adverse{color:#000;font-weight:600}}
)";

std::string money(double v, std::string_view symbol, bool sign = false) {
  return format_money(v, symbol, {MoneyUnit::millions, 1, sign});
}

std::vector<double> values_of(const Series* s) {
  if (!s) return {};
  return {s->values.data(), s->values.data() + s->values.size()};
}

std::vector<std::string> year_labels(const std::vector<FinancialYear>& years) {
  std::vector<std::string> out;
  for (FinancialYear y : years) out.push_back(y.label());
  return out;
}

const ReportSection* section(const Report& r, View v) {
  for (const ReportSection& s : r.sections)
    if (s.view == v) return &s;
  return nullptr;
}

std::string key(std::initializer_list<std::pair<std::string_view, std::string_view>> items) {
  std::string out = R"(<ul class="key">)";
  for (const auto& [cls, name] : items) out += fmt::format(R"(<li><i class="{}"></i>{}</li>)", cls, escape(name));
  return out + "</ul>";
}

std::string figure(const std::string& caption, const std::string& chart, const std::string& legend = {}) {
  return fmt::format("<figure><h3>{}</h3>{}{}</figure>\n", escape(caption), chart, legend);
}

// A report's sections as tables laid out like `run`'s: entities down, years across.
void tables(std::ostream& out, const Report& r, const WriteOptions& o) {
  const std::string symbol = currency_symbol(r.currency);
  for (const ReportSection& s : r.sections) {
    out << fmt::format("<h3>{}</h3>\n", escape(std::string(view_name(s.view))));
    if (s.entities.empty() || s.entities.front().kind == EntityKind::system) {
      out << fmt::format("<p class=\"note\">This scenario has no {}.</p>\n", escape(std::string(view_name(s.view))));
      continue;
    }
    out << fmt::format("<div class=\"scroll\"><table><thead><tr><th>{}</th>", escape(money_heading(r.currency, o)));
    for (FinancialYear y : r.years) out << "<th>" << escape(y.label()) << "</th>";
    out << "</tr></thead><tbody>\n";
    for (const ReportEntity& e : s.entities) {
      const std::string head = e.name == e.id ? e.id : fmt::format("{}: {}", e.id, e.name);
      out << fmt::format("<tr class=\"entity\"><th colspan=\"{}\">{}</th></tr>\n", r.years.size() + 1, escape(head));
      for (const Series& m : e.measures) {
        out << "<tr><td>" << escape(m.label) << "</td>";
        for (double v : m.values) {
          const double rounded = std::round(v / 1e5);
          const bool bad = m.unit == Unit::money && ((m.adverse == Adverse::above_zero && rounded > 0) ||
                                                     (m.adverse == Adverse::below_zero && rounded < 0));
          out << (bad ? "<td class=\"adverse\">" : "<td>") << escape(cell_text(m, v, o)) << "</td>";
        }
        out << "</tr>\n";
      }
    }
    out << "</tbody></table></div>\n";
  }
  for (const std::string& note : r.notes) out << "<p class=\"note\">" << escape(note) << "</p>\n";
}

std::string waterfall(const Bridge& b, std::string_view symbol) {
  std::vector<svg::Row> rows;
  rows.push_back({fmt::format("gap {}", b.from_year.label()), {{0, b.start, "total"}}, money(b.start, symbol)});
  double running = b.start;
  for (const BridgeStep& s : b.steps) {
    rows.push_back({s.name, {{running, running + s.value, s.value > 0 ? "up" : "down"}}, money(s.value, symbol, true)});
    running += s.value;
  }
  rows.push_back({fmt::format("gap {}", b.to_year.label()), {{0, b.end, "total"}}, money(b.end, symbol)});
  return svg::row_chart(fmt::format("Gap bridge of {}, {} to {}", b.entity, b.from_year.label(), b.to_year.label()),
                        rows, std::numeric_limits<double>::quiet_NaN(), symbol);
}

void gap_charts(std::ostream& out, const BoardReport& b, std::string_view symbol) {
  const ReportSection* partners = section(b.report, View::partners);
  if (!partners) return;
  const std::vector<std::string> years = year_labels(b.report.years);
  out << "<h2 id=\"gaps\">Funding gaps: plan against do-nothing</h2>\n<p class=\"note\">Spend minus resources; "
         "above zero is a shortfall. The do-nothing gap leaves out every scheme.</p>\n<div class=\"grid\">\n";
  for (const ReportEntity& e : partners->entities) {
    const Series* plan = e.measure("gap");
    const Series* nothing = e.measure("gap_do_nothing");
    if (!plan) continue;
    std::vector<svg::Series> lines{{"plan", values_of(plan), 0, false}};
    if (nothing) lines.push_back({"do nothing", values_of(nothing), 1, true});
    const std::string title = e.kind == EntityKind::system ? "The system" : e.name;
    out << figure(title, svg::line_chart(fmt::format("Gap of {}", title), years, lines, symbol),
                  key({{"c0", "plan"}, {"c1 dashed", "do nothing"}}));
  }
  out << "</div>\n";
}

void pool_chart(std::ostream& out, const BoardReport& b, std::string_view symbol) {
  const ReportSection* pools = section(b.report, View::pools);
  out << "<h2 id=\"pools\">Pool balances</h2>\n";
  std::vector<svg::Series> bars;
  std::string legend = R"(<ul class="key">)";
  if (pools)
    for (const ReportEntity& e : pools->entities) {
      const Series* balance = e.measure("balance");
      if (!balance) continue;
      const int colour = static_cast<int>(bars.size() % 6);
      bars.push_back({e.name, values_of(balance), colour, false});
      legend += fmt::format(R"(<li><i class="c{}"></i>{}</li>)", colour, escape(e.name));
    }
  if (bars.empty()) {
    out << "<p class=\"note\">This scenario has no pooled budgets.</p>\n";
    return;
  }
  out << "<p class=\"note\">Contributions minus pooled spend: above zero an underspend, below zero an overspend "
         "that the risk share splits.</p>\n";
  out << "<div class=\"single\">"
      << figure("Balance of each pool", svg::bar_chart("Pool balances", year_labels(b.report.years), bars, symbol),
                legend + "</ul>")
      << "</div>\n";
}

void uncertainty(std::ostream& out, const BoardReport& b, std::string_view symbol) {
  out << "<h2 id=\"uncertainty\">Uncertainty</h2>\n";
  if (!b.simulation || !b.tornado) {
    out << "<p class=\"note\">No input of this scenario is uncertain, so there is no fan chart or tornado. Give "
           "an input a distribution (see docs/uncertainty.md) to see them.</p>\n";
    return;
  }
  const Report& sim = *b.simulation;
  const std::vector<std::string> years = year_labels(sim.years);
  out << fmt::format("<p class=\"note\">Monte Carlo: {}. The bands hold the middle 90% and 50% of the draws; the "
                     "line is the median, the dashed line the gap as planned.</p>\n<div class=\"grid\">\n",
                     escape(sim.notes.empty() ? std::string() : sim.notes.front()));
  const ReportSection* gaps = section(sim, View::partners);
  const ReportSection* planned = section(b.report, View::partners);
  for (const ReportEntity& e : gaps ? gaps->entities : std::vector<ReportEntity>{}) {
    if (e.measures.size() < kFanQuantiles.size() + 1) continue;
    auto q = [&](std::size_t i) { return values_of(&e.measures[1 + i]); };  // after the mean, in kFanQuantiles order
    std::vector<double> reference;
    if (planned)
      for (const ReportEntity& p : planned->entities)
        if (p.id == e.id) reference = values_of(p.measure("gap"));
    const std::string title = e.kind == EntityKind::system ? "The system" : e.name;
    out << figure(title,
                  svg::fan_chart(fmt::format("Range of the gap of {}", title), years, {q(0), q(4)}, {q(1), q(3)},
                                 q(2), reference, symbol),
                  key({{"band", "P5 to P95"}, {"band c0", "P25 to P75"}, {"c0", "median"}, {"c1 dashed", "as planned"}}));
  }
  out << "</div>\n";

  const Tornado& t = *b.tornado;
  std::vector<svg::Row> rows;
  for (const Swing& s : t.swings)
    rows.push_back({s.path,
                    {{t.base, s.at_low, s.at_low > t.base ? "high" : "low"},
                     {t.base, s.at_high, s.at_high > t.base ? "high" : "low"}},
                    fmt::format("{} to {}", s.low_text, s.high_text)});
  if (rows.empty()) return;
  out << "<div class=\"single\">" << figure(fmt::format("What moves {} most", t.figure),
                svg::row_chart(fmt::format("Sensitivity of {}", t.figure), rows, t.base, symbol),
                fmt::format(R"(<p class="note">Each input swung from its P10 to its P90, one at a time, about {} as )"
                            R"(planned; red widens the gap, green narrows it.</p>)",
                            escape(money(t.base, symbol))))
      << "</div>\n";
}

void checks(std::ostream& out, const CheckRun& run) {
  out << "<h2 id=\"checks\">Checks</h2>\n";
  for (const FileChecks& f : run.files) {
    if (f.results.empty()) {
      out << "<p class=\"note\">This scenario states no checks.</p>\n";
      continue;
    }
    out << fmt::format("<p>{}</p>\n<div class=\"scroll\"><table class=\"checks\"><thead><tr><th>Result</th><th>Check</th>"
                       "<th>Expression</th><th>Expected</th><th>Actual</th></tr></thead><tbody>\n",
                       escape(run.summary()));
    for (const CheckResult& r : f.results)
      out << fmt::format("<tr><td class=\"{}\">{}</td><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td></tr>\n",
                         r.passed ? "pass" : "fail", r.passed ? "PASS" : "FAIL", escape(r.check.name),
                         escape(r.check.expression), escape(r.expected), escape(r.actual_text));
    out << "</tbody></table></div>\n";
  }
}

}  // namespace

void board_html(std::ostream& out, const BoardReport& b, const WriteOptions& o) {
  const std::string symbol = currency_symbol(b.report.currency);
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      << fmt::format("<title>{}: funding gap report</title>\n<style>{}</style>\n</head>\n<body>\n",
                     escape(b.report.scenario), kStyle);
  out << fmt::format("<header><h1>{}</h1>\n<p class=\"meta\">Funding gap report from <code>{}</code>, {} to {}, "
                     "by fundgap {}. Money in {}m, cash terms.</p>\n",
                     escape(b.report.scenario), escape(b.source), escape(b.report.years.front().label()),
                     escape(b.report.years.back().label()), escape(b.version), escape(symbol));
  const ReportSection* partners = section(b.report, View::partners);
  const ReportEntity* system = partners && !partners->entities.empty() ? &partners->entities.back() : nullptr;
  out << "<div class=\"headline\">";
  if (system && system->kind == EntityKind::system) {
    const Series* gap = system->measure("gap");
    const Series* nothing = system->measure("gap_do_nothing");
    const std::string last = b.report.years.back().label();
    if (gap)
      out << fmt::format("<div>System gap {}, plan<b>{}</b></div>", escape(last),
                         escape(money(gap->values(gap->values.size() - 1), symbol)));
    if (nothing)
      out << fmt::format("<div>System gap {}, do nothing<b>{}</b></div>", escape(last),
                         escape(money(nothing->values(nothing->values.size() - 1), symbol)));
  }
  const int failures = b.checks.failures();
  if (b.checks.checks() > 0)
    out << fmt::format("<div>Checks<b class=\"{}\">{} of {} pass</b></div>", failures ? "fail" : "pass",
                       b.checks.checks() - failures, b.checks.checks());
  out << "</div>\n<nav class=\"note\"><a href=\"#gaps\">Gaps</a> · <a href=\"#bridge\">Bridge</a> · "
         "<a href=\"#pools\">Pools</a> · <a href=\"#uncertainty\">Uncertainty</a> · <a href=\"#checks\">Checks</a> · "
         "<a href=\"#tables\">Tables</a></nav>\n</header>\n<main>\n";

  gap_charts(out, b, symbol);
  out << "<h2 id=\"bridge\">Gap bridge</h2>\n<p class=\"note\">How the gap moves from the base year to the last "
         "year, step by step; the steps add up exactly to the change. Red widens the gap, green narrows it.</p>\n"
         "<div class=\"grid\">\n";
  out << figure("The system", waterfall(b.bridge, symbol));
  for (const Bridge& p : b.partner_bridges) {
    std::string name = p.entity;  // the partner's display name, as in the gap charts
    if (partners)
      for (const ReportEntity& e : partners->entities)
        if (e.id == p.entity) name = e.name;
    out << figure(name, waterfall(p, symbol));
  }
  out << "</div>\n";
  pool_chart(out, b, symbol);
  uncertainty(out, b, symbol);
  checks(out, b.checks);
  out << "<h2 id=\"tables\">Tables</h2>\n";
  tables(out, b.report, o);
  if (b.simulation) {
    out << "<h3>Monte Carlo summary</h3>\n";
    tables(out, *b.simulation, o);
  }
  out << "</main>\n</body>\n</html>\n";
}

}  // namespace fundgap::output
