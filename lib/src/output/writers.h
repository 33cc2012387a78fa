// The writers of each format, which the registry (format.cc) lists. Private to the library.
#pragma once

#include "fundgap/output/format.h"

namespace fundgap::output {

// table.cc
void report_table(std::ostream& out, const Report& r, const WriteOptions& o);
void checks_table(std::ostream& out, const CheckRun& run, const WriteOptions& o);
void comparison_table(std::ostream& out, const Comparisons& c, const WriteOptions& o);
void bridge_table(std::ostream& out, const Bridge& b, const WriteOptions& o);
void tornado_table(std::ostream& out, const Tornado& t, const WriteOptions& o);
// text.cc
void explanation_text(std::ostream& out, const Explanation& e, const WriteOptions& o);
void solution_text(std::ostream& out, const SolveResult& s, const WriteOptions& o);
// csv.cc
void report_csv(std::ostream& out, const Report& r, const WriteOptions& o);
void comparison_csv(std::ostream& out, const Comparisons& c, const WriteOptions& o);
void bridge_csv(std::ostream& out, const Bridge& b, const WriteOptions& o);
void tornado_csv(std::ostream& out, const Tornado& t, const WriteOptions& o);
// json.cc
void report_json(std::ostream& out, const Report& r, const WriteOptions& o);
void checks_json(std::ostream& out, const CheckRun& run, const WriteOptions& o);
void comparison_json(std::ostream& out, const Comparisons& c, const WriteOptions& o);
void bridge_json(std::ostream& out, const Bridge& b, const WriteOptions& o);
void explanation_json(std::ostream& out, const Explanation& e, const WriteOptions& o);
void tornado_json(std::ostream& out, const Tornado& t, const WriteOptions& o);
void solution_json(std::ostream& out, const SolveResult& s, const WriteOptions& o);
// markdown.cc
void report_markdown(std::ostream& out, const Report& r, const WriteOptions& o);
void checks_markdown(std::ostream& out, const CheckRun& run, const WriteOptions& o);
void comparison_markdown(std::ostream& out, const Comparisons& c, const WriteOptions& o);
// html.cc
void board_html(std::ostream& out, const BoardReport& b, const WriteOptions& o);
// xlsx.cc
void report_xlsx(std::ostream& out, const Report& r, const WriteOptions& o);
void checks_xlsx(std::ostream& out, const CheckRun& run, const WriteOptions& o);
void comparison_xlsx(std::ostream& out, const Comparisons& c, const WriteOptions& o);
void bridge_xlsx(std::ostream& out, const Bridge& b, const WriteOptions& o);
void tornado_xlsx(std::ostream& out, const Tornado& t, const WriteOptions& o);
// iamc.cc
void report_iamc(std::ostream& out, const Report& r, const WriteOptions& o);
// junit.cc, github.cc
// `s` for XML and HTML text and attribute values: & < > " ' and newlines escaped.
std::string xml_escape(std::string_view s);
void checks_junit(std::ostream& out, const CheckRun& run, const WriteOptions& o);
void checks_github(std::ostream& out, const CheckRun& run, const WriteOptions& o);

// table.cc: figures as tables and Markdown show them.
// `v` in the unit and decimals of o.money, without a symbol: "1,234.6"; with `sign`, "+"
// before a positive figure. Never "-0.0".
std::string money_text(double v, const WriteOptions& o, bool sign = false);
// A report cell: money as money_text; a probability or share as a percentage, a charge
// in pounds and pence, a count with one decimal.
std::string cell_text(const Series& m, double v, const WriteOptions& o);
// What the headings say money is in: "£m", "£k", "£" (the currency's symbol and o.money's unit).
std::string money_heading(std::string_view currency, const WriteOptions& o);
// Whether a figure as shown ("0.0", "-0.000", "+0") is zero.
bool shows_zero(std::string_view text);

// The first line of the first diagnostic, as rendered (for one-line summaries).
std::string first_line(const Diagnostics& d);
// "PASS system.gap[*]=1m (other.yaml): increase +£1.2m in 2021/22, allowed £1.0m".
std::string gate_line(const GateResult& g, const std::string& symbol);

}  // namespace fundgap::output
