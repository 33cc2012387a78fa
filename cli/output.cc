#include "output.h"

#include <cstdlib>
#include <iostream>

#include <unistd.h>

#include "fundgap/diagnostic.h"
#include "fundgap/output_file.h"

namespace fundgap::cli {

void OutputOptions::add_to(CLI::App& sub) {
  sub.add_option("-f,--format", format, "Output format: table, csv or json (default: from --output's "
                 "extension, else table)")
      ->check(CLI::IsMember({"table", "csv", "json"}));
  sub.add_option("-o,--output", output, "Write to FILE (atomically) instead of stdout");
  sub.add_option("--color", color, "Colour the table: auto, always or never (default: auto; NO_COLOR is respected)")
      ->check(CLI::IsMember({"auto", "always", "never"}));
}

Format OutputOptions::resolved_format() const {
  if (!format.empty()) return *parse_format(format);
  if (output.empty()) return Format::table;
  if (auto f = format_for_path(output)) return *f;
  throw InputError(SourceLocation{}, fmt::format("cannot tell the format of '{}' from its extension "
                                                 "(.csv, .json or .txt); give --format", output));
}

bool OutputOptions::use_color() const {
  if (color == "always") return true;
  if (color == "never" || !output.empty()) return false;
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color && *no_color) return false;
  const char* term = std::getenv("TERM");
  if (term && std::string_view(term) == "dumb") return false;
  return ::isatty(STDOUT_FILENO) == 1;
}

void OutputOptions::emit(const std::string& text) const {
  if (output.empty()) {
    std::cout << text << std::flush;
  } else {
    write_file_atomically(output, text);
  }
}

}  // namespace fundgap::cli
