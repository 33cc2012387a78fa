// Where and how a command writes its results: stdout or a file, in a chosen format.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "fundgap/report.h"

namespace fundgap::cli {

struct OutputOptions {
  std::string format;  // empty: from --output's extension, else the command's first format
  std::string output;  // empty: stdout
  std::string color = "auto";
  std::vector<std::string> formats;  // what the command writes; the first is the default

  // Adds --format (one of `formats`), --output and, when the command colours, --color.
  void add_to(CLI::App& sub, std::vector<std::string> formats = {"table", "csv", "json"}, bool colours = true);
  // The format to write. Throws InputError when --output's extension names no format
  // this command writes and --format is not given.
  std::string resolved_format() const;
  // Colour only for a table on a terminal, unless NO_COLOR is set or --color says.
  bool use_color() const;
  // Writes `text` to stdout or, atomically, to --output.
  void emit(const std::string& text) const;
};

}  // namespace fundgap::cli
