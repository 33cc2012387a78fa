// The registry of output formats.
#include "fundgap/output/format.h"

#include <array>
#include <cctype>

#include "writers.h"

namespace fundgap {

namespace {

using namespace output;

const std::array<OutputFormat, 8> kFormats = {{
    {"table", {".txt"}, false, false, report_table, checks_table, comparison_table, bridge_table, nullptr,
     tornado_table, nullptr},
    {"text", {".txt"}, false, false, nullptr, nullptr, nullptr, nullptr, explanation_text, nullptr, solution_text},
    {"csv", {".csv"}, false, false, report_csv, nullptr, comparison_csv, bridge_csv, nullptr, tornado_csv, nullptr},
    {"markdown", {".md"}, false, false, nullptr, checks_markdown, comparison_markdown, nullptr, nullptr, nullptr,
     nullptr},
    {"json", {".json"}, false, false, report_json, checks_json, comparison_json, bridge_json, explanation_json,
     tornado_json, solution_json},
    {"html", {".html", ".htm"}, false, false, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr,
     board_html},
    {"junit", {".xml"}, false, true, nullptr, checks_junit},
    {"github", {}, false, true, nullptr, checks_github},
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
