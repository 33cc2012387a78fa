#include "output.h"

#include <cstdlib>
#include <iostream>

#include <unistd.h>

#include "fundgap/diagnostic.h"
#include "fundgap/output_file.h"

namespace fundgap::cli {

void OutputOptions::add_to(CLI::App& sub, std::vector<std::string> names, bool colours) {
  formats = std::move(names);
  std::string list;
  for (std::size_t i = 0; i < formats.size(); ++i)
    list += (i == 0 ? "" : i + 1 == formats.size() ? " or " : ", ") + formats[i];
  sub.add_option("-f,--format", format,
                 fmt::format("Output format: {} (default: from --output's extension, else {})", list, formats.front()))
      ->check(CLI::IsMember(formats));
  sub.add_option("-o,--output", output, "Write to FILE (atomically) instead of stdout");
  if (colours)
    sub.add_option("--color", color, "Colour the table: auto, always or never (default: auto; NO_COLOR is respected)")
        ->check(CLI::IsMember({"auto", "always", "never"}));
  else
    color = "never";
}

std::string OutputOptions::resolved_format() const {
  if (!format.empty()) return format;
  if (output.empty()) return formats.front();
  std::string named = format_name_for_path(output);
  if (named == "table" && std::find(formats.begin(), formats.end(), "text") != formats.end()) named = "text";
  if (std::find(formats.begin(), formats.end(), named) != formats.end()) return named;
  std::string exts;
  for (const std::string& f : formats)
    exts += (exts.empty() ? "" : ", ") +
            std::string(f == "table" || f == "text" ? ".txt" : f == "markdown" ? ".md" : "." + f);
  throw InputError(SourceLocation{}, fmt::format("cannot tell the format of '{}' from its extension "
                                                 "({}); give --format", output, exts));
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
