// Where and how a command writes its results: stdout or a file, in a chosen format.
#pragma once

#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "fundgap/report.h"

namespace fundgap::cli {

struct OutputOptions {
  std::string format;  // "table", "csv", "json"; empty: from --output's extension, else table
  std::string output;  // empty: stdout
  std::string color = "auto";

  // Adds --format, --output and --color to `sub`.
  void add_to(CLI::App& sub);
  // The format to write. Throws InputError when --output's extension says nothing and
  // --format is not given.
  Format resolved_format() const;
  // Colour only for a table on a terminal, unless NO_COLOR is set or --color says.
  bool use_color() const;
  // Writes `text` to stdout or, atomically, to --output.
  void emit(const std::string& text) const;
};

}  // namespace fundgap::cli
