// Where and how a command writes its results: stdout or a file, in a format from the
// library's registry (fundgap/output/format.h) that can write the command's document.
#pragma once

#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>

#include "fundgap/base/output_file.h"
#include "fundgap/output/format.h"

namespace fundgap::cli {

struct OutputOptions {
  std::string format;  // empty: from --output's extension, else the document's first format
  std::string output;  // empty: stdout
  std::string color = "auto";
  std::string units;     // --units: empty for the default (£m)
  std::string decimals;  // --decimals: empty for the unit's default
  Document document = Document::report;
  mutable OutputFiles* files = nullptr;  // set by reserve()
  mutable std::size_t index = 0;         // --output's index in `files`

  // Adds --format (the formats that write `document`), --output, --units and --decimals
  // for the documents whose tables show money in millions (reports, comparisons,
  // bridges) and, when the command colours, --color.
  void add_to(CLI::App& sub, Document document, bool colours = true);
  // The format to write. Throws InputError when --output's extension names no format
  // that writes the document and --format is not given, when a binary format (xlsx)
  // would go to a terminal, and when --units or --decimals is bad: all before any work.
  const OutputFormat& resolved_format() const;
  // The money style of --units and --decimals. Throws InputError when either is bad.
  MoneyStyle money_style() const;
  // Colour only for a table on a terminal, unless NO_COLOR is set or --color says.
  bool use_color() const;
  // The options the writers take: colour when use_color() and the format is a table,
  // money_style(), `source` (the scenario file(s), for a workbook's cover sheet), and
  // for a workbook, its creation time from SOURCE_DATE_EPOCH when set (InputError when bad).
  WriteOptions write_options(std::string source = {}) const;
  // Checks --output before the work and has emit() write it into `files`, to be
  // committed with the command's other outputs. Nothing for stdout.
  void reserve(OutputFiles& files) const;
  // Writes `text` to stdout or to --output: into the files reserve() named, else
  // atomically on its own.
  void emit(const std::string& text) const;
  // Writes `doc` in the resolved format and emits it.
  template <typename Doc>
  void emit_document(const Doc& doc, WriteOptions options) const {
    std::ostringstream text;
    write(text, resolved_format(), doc, options);
    emit(std::move(text).str());  // the text itself, not a copy: an explanation can be hundreds of MB
  }
};

}  // namespace fundgap::cli
