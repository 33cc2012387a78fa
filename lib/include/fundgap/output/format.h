// Every output format in one registry: its name, the file extensions that imply it,
// whether it is text or binary, and the writer for each kind of document it can write.
// Commands offer exactly the formats that can write their document. See docs/output.md.
#pragma once

#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "fundgap/analysis/checks.h"
#include "fundgap/analysis/compare.h"
#include "fundgap/analysis/report.h"
#include "fundgap/analysis/whatif.h"
#include "fundgap/base/money.h"
#include "fundgap/model/bridge.h"
#include "fundgap/model/explanation.h"
#include "fundgap/output/board.h"

namespace fundgap {

// What a command writes.
enum class Document { report, checks, comparison, bridge, explanation, tornado, solution, board };

// `compare`'s document: the comparisons and the results of its gates.
struct Comparisons {
  std::vector<Comparison> comparisons;
  std::vector<GateResult> gates;
};

struct WriteOptions {
  bool color = false;  // ANSI colour in tables: shortfalls red, surpluses green. Default: off
  int depth = -1;      // explanations: levels below the figure (negative: all)
  std::string currency = "GBP";  // explanations, which do not carry their own
  // The unit and decimals of money in tables and Markdown of reports, comparisons and
  // bridges, and of the number format of a workbook's money cells (whose values stay at
  // full precision). CSV, JSON and IAMC ignore it. `sign` is not used.
  // Default: millions, one decimal.
  MoneyStyle money = {MoneyUnit::millions, 1, false};
  std::string source = {};  // the file(s) the document was made from, for a workbook's cover sheet
  // When a workbook says it was made, in seconds since 1970 (UTC). Default: 0, now.
  long long created = 0;
};

struct OutputFormat {
  std::string_view name;                    // as --format takes it: "table", "csv", ...
  std::vector<std::string_view> extensions;  // that imply it in --output: ".csv"
  bool binary = false;
  // Not offered by --format: written only on its own request (--junit, GitHub Actions).
  bool on_request = false;
  // Whether a report's notes have a place in it; where not, commands write them to stderr.
  bool notes = true;
  // The writers, one per document; nullptr where the format cannot write it.
  void (*report)(std::ostream&, const Report&, const WriteOptions&) = nullptr;
  void (*checks)(std::ostream&, const CheckRun&, const WriteOptions&) = nullptr;
  void (*comparison)(std::ostream&, const Comparisons&, const WriteOptions&) = nullptr;
  void (*bridge)(std::ostream&, const Bridge&, const WriteOptions&) = nullptr;
  void (*explanation)(std::ostream&, const Explanation&, const WriteOptions&) = nullptr;
  void (*tornado)(std::ostream&, const Tornado&, const WriteOptions&) = nullptr;
  void (*solution)(std::ostream&, const SolveResult&, const WriteOptions&) = nullptr;
  void (*board)(std::ostream&, const BoardReport&, const WriteOptions&) = nullptr;

  bool writes(Document document) const;
};

// Every format, in the order commands list them.
std::span<const OutputFormat> output_formats();
// The format called `name`, or nullptr.
const OutputFormat* find_format(std::string_view name);
// The formats --format offers for `document`, in registry order; the first is the default.
std::vector<const OutputFormat*> formats_for(Document document);
// The format among formats_for(document) that `path`'s extension (in any case) implies,
// or nullptr.
const OutputFormat* format_for_path(Document document, std::string_view path);

// Writes a document in `format`. REQUIRES: format.writes(the document).
void write(std::ostream& out, const OutputFormat& format, const Report& report, const WriteOptions& options = {});
void write(std::ostream& out, const OutputFormat& format, const CheckRun& run, const WriteOptions& options = {});
void write(std::ostream& out, const OutputFormat& format, const Comparisons& c, const WriteOptions& options = {});
void write(std::ostream& out, const OutputFormat& format, const Bridge& bridge, const WriteOptions& options = {});
void write(std::ostream& out, const OutputFormat& format, const Explanation& e, const WriteOptions& options = {});
void write(std::ostream& out, const OutputFormat& format, const Tornado& tornado, const WriteOptions& options = {});
void write(std::ostream& out, const OutputFormat& format, const SolveResult& solve, const WriteOptions& options = {});
void write(std::ostream& out, const OutputFormat& format, const BoardReport& board, const WriteOptions& options = {});

}  // namespace fundgap
