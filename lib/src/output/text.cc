// Plain text for documents that are not tables: explanations and solutions.
#include <cmath>
#include <iterator>

#include <fmt/format.h>

#include "fundgap/base/money.h"
#include "writers.h"

namespace fundgap::output {

namespace {

using Op = Explanation::Op;
using Unit = Explanation::Unit;

std::string value_text(const Explanation& e, const std::string& symbol) {
  switch (e.unit) {
    case Unit::share: return fmt::format("{:.6g}%", e.value * 100);
    case Unit::factor: return fmt::format("{:.6g}", e.value);
    case Unit::money: break;
  }
  return fmt::format("{:.2p}", Money{e.value, symbol});
}

// Each line is formatted into `line`, one buffer for the whole tree (an explanation of a
// large system has millions of lines).
void write_node(std::ostream& out, fmt::memory_buffer& line, const Explanation& e, const std::string& symbol,
                int level, int depth, const char* joint) {
  line.clear();
  fmt::format_to(std::back_inserter(line), "{:{}}{}{} = {}", "", 2 * level, joint, e.label, value_text(e, symbol));
  if (!e.formula.empty()) fmt::format_to(std::back_inserter(line), "    [{}]", e.formula);
  if (e.op == Op::leaf && e.where.known())
    fmt::format_to(std::back_inserter(line), "    {}:{}:{}", e.where.file->path, e.where.line, e.where.column);
  line.push_back('\n');
  out.write(line.data(), static_cast<std::streamsize>(line.size()));
  if (depth >= 0 && level >= depth) return;
  for (const Explanation& c : e.children) {
    const char* j = e.op == Op::product   ? "x "
                    : c.coefficient == -1 ? "- "
                                          : "+ ";  // a funding share is shown in the child's label
    write_node(out, line, c, symbol, level + 1, depth, j);
  }
}

}  // namespace

void explanation_text(std::ostream& out, const Explanation& e, const WriteOptions& o) {
  fmt::memory_buffer line;
  write_node(out, line, e, currency_symbol(o.currency), 0, o.depth, "");
}

void solution_text(std::ostream& out, const SolveResult& r, const WriteOptions&) {
  const Solution& s = r.solution;
  const std::string symbol = currency_symbol(r.currency);
  // An input that is money to the penny, as `explain` shows money; rates and shares to
  // six significant figures.
  auto show = [&](double v) {
    if (r.kind == ValueKind::factor) return fmt::format("{:.6g}", v);
    return r.kind == ValueKind::rate || r.kind == ValueKind::share ? fmt::format("{:.6g}%", v * 100)
                                                                   : fmt::format("{:.2p}", Money{v, symbol});
  };
  auto money = [&](double v) { return fmt::format("{:.1m}", Money{v, symbol}); };
  if (s.found) {
    const std::string original = show(s.original_low) == show(s.original_high)
                                     ? show(s.original)
                                     : fmt::format("{} to {} by year", show(s.original_low), show(s.original_high));
    out << fmt::format("{} = {} meets {} = {}\n", r.vary, show(s.value), r.figure, money(r.goal));
    out << fmt::format("  (the scenario has {}, giving {}; the figure there is {})\n", original,
                       money(s.original_figure), money(s.achieved));
  } else {
    out << fmt::format("no value of {} between {} and {} meets {} = {}: over that range it runs from {} to {}\n",
                       r.vary, show(s.low), show(s.high), r.figure, money(r.goal), money(s.figure_low),
                       money(s.figure_high));
  }
}

}  // namespace fundgap::output
