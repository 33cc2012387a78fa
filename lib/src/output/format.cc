// The registry of output formats.
#include "fundgap/output/format.h"

#include <array>
#include <cctype>

#include "writers.h"

namespace fundgap {

namespace {

using namespace output;

const std::array<OutputFormat, 10> kFormats = {{
    {.name = "table", .extensions = {".txt"}, .report = report_table, .checks = checks_table,
     .comparison = comparison_table, .bridge = bridge_table, .tornado = tornado_table},
    {.name = "text", .extensions = {".txt"}, .explanation = explanation_text, .solution = solution_text},
    {.name = "csv", .extensions = {".csv"}, .notes = false, .report = report_csv, .comparison = comparison_csv,
     .bridge = bridge_csv, .tornado = tornado_csv},
    {.name = "markdown", .extensions = {".md"}, .report = report_markdown, .checks = checks_markdown,
     .comparison = comparison_markdown},
    {.name = "json", .extensions = {".json"}, .report = report_json, .checks = checks_json,
     .comparison = comparison_json, .bridge = bridge_json, .explanation = explanation_json, .tornado = tornado_json,
     .solution = solution_json},
    {.name = "xlsx", .extensions = {".xlsx"}, .binary = true, .report = report_xlsx, .checks = checks_xlsx,
     .comparison = comparison_xlsx, .bridge = bridge_xlsx, .tornado = tornado_xlsx},
    {.name = "iamc", .extensions = {}, .notes = false, .report = report_iamc},
    {.name = "html", .extensions = {".html", ".htm"}, .board = board_html},
    {.name = "junit", .extensions = {".xml"}, .on_request = true, .checks = checks_junit},
    {.name = "github", .extensions = {}, .on_request = true, .checks = checks_github},
}};

}  // namespace

bool OutputFormat::writes(Document d) const {
  switch (d) {
    case Document::report: return report != nullptr;
    case Document::checks: return checks != nullptr;
    case Document::comparison: return comparison != nullptr;
    case Document::bridge: return bridge != nullptr;
    case Document::explanation: return explanation != nullptr;
    case Document::tornado: return tornado != nullptr;
    case Document::solution: return solution != nullptr;
    case Document::board: return board != nullptr;
  }
  return false;
}

std::span<const OutputFormat> output_formats() { return kFormats; }

const OutputFormat* find_format(std::string_view name) {
  for (const OutputFormat& f : kFormats)
    if (f.name == name) return &f;
  return nullptr;
}

std::vector<const OutputFormat*> formats_for(Document d) {
  std::vector<const OutputFormat*> out;
  for (const OutputFormat& f : kFormats)
    if (!f.on_request && f.writes(d)) out.push_back(&f);
  return out;
}

const OutputFormat* format_for_path(Document d, std::string_view path) {
  std::string lower(path);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const std::size_t dot = lower.rfind('.');
  if (dot == std::string::npos || dot == 0 || lower[dot - 1] == '/') return nullptr;
  const std::string_view ext = std::string_view(lower).substr(dot);
  for (const OutputFormat* f : formats_for(d))
    for (std::string_view e : f->extensions)
      if (e == ext) return f;
  return nullptr;
}

void write(std::ostream& out, const OutputFormat& f, const Report& r, const WriteOptions& o) { f.report(out, r, o); }
void write(std::ostream& out, const OutputFormat& f, const CheckRun& r, const WriteOptions& o) { f.checks(out, r, o); }
void write(std::ostream& out, const OutputFormat& f, const Comparisons& c, const WriteOptions& o) {
  f.comparison(out, c, o);
}
void write(std::ostream& out, const OutputFormat& f, const Bridge& b, const WriteOptions& o) { f.bridge(out, b, o); }
void write(std::ostream& out, const OutputFormat& f, const Explanation& e, const WriteOptions& o) {
  f.explanation(out, e, o);
}
void write(std::ostream& out, const OutputFormat& f, const Tornado& t, const WriteOptions& o) { f.tornado(out, t, o); }
void write(std::ostream& out, const OutputFormat& f, const SolveResult& s, const WriteOptions& o) {
  f.solution(out, s, o);
}
void write(std::ostream& out, const OutputFormat& f, const BoardReport& b, const WriteOptions& o) { f.board(out, b, o); }

}  // namespace fundgap
