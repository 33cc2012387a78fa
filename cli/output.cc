#include "output.h"

#include <cstdlib>
#include <iostream>

#include <unistd.h>

#include "fundgap/base/diagnostic.h"
#include "fundgap/base/output_file.h"

namespace fundgap::cli {

void OutputOptions::add_to(CLI::App& sub, Document doc, bool colours) {
  document = doc;
  std::vector<std::string> names;
  for (const OutputFormat* f : formats_for(doc)) names.emplace_back(f->name);
  std::string list;
  for (std::size_t i = 0; i < names.size(); ++i)
    list += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + names[i];
  sub.add_option("-f,--format", format,
                 fmt::format("Output format: {} (default: from --output's extension, else {})", list, names.front()))
      ->check(CLI::IsMember(names));
  sub.add_option("-o,--output", output, "Write to FILE (atomically) instead of stdout");
  if (colours)
    sub.add_option("--color", color, "Colour the table: auto, always or never (default: auto; NO_COLOR is respected)")
        ->check(CLI::IsMember({"auto", "always", "never"}));
  else
    color = "never";
}

const OutputFormat& OutputOptions::resolved_format() const {
  if (!format.empty()) return *find_format(format);
  if (output.empty()) return *formats_for(document).front();
  if (const OutputFormat* f = format_for_path(document, output)) return *f;
  std::string exts;
  for (const OutputFormat* f : formats_for(document))
    for (std::string_view e : f->extensions) exts += fmt::format("{}{}", exts.empty() ? "" : ", ", e);
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

WriteOptions OutputOptions::write_options() const {
  WriteOptions o;
  o.color = resolved_format().name == "table" && use_color();
  return o;
}

void OutputOptions::reserve(OutputFiles& f) const {
  if (output.empty()) return;
  index = f.add(output);
  files = &f;
}

void OutputOptions::emit(const std::string& text) const {
  if (output.empty()) {
    std::cout << text << std::flush;
  } else if (files) {
    files->write(index, text);
  } else {
    write_file_atomically(output, text);
  }
}

}  // namespace fundgap::cli
