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
  if (doc == Document::report || doc == Document::comparison || doc == Document::bridge || doc == Document::board) {
    sub.add_option("--units", units,
                   "Money in the table, Markdown, Excel and HTML formats in \u00A3, \u00A3k, \u00A3m or \u00A3bn "
                   "(default: \u00A3m; CSV, JSON and IAMC stay in full-precision currency units)");
    sub.add_option("--decimals", decimals,
                   "Decimals of money in those formats, 0 to 9 (default: 2 for \u00A3, else 1)");
  }
  if (colours)
    sub.add_option("--color", color, "Colour the table: auto, always or never (default: auto; NO_COLOR is respected)")
        ->check(CLI::IsMember({"auto", "always", "never"}));
  else
    color = "never";
}

namespace {

// A binary format on a terminal is noise at best; into a pipe or a file it is what was asked for.
const OutputFormat& refuse_terminal(const OutputFormat& f, const std::string& output) {
  if (f.binary && output.empty() && ::isatty(STDOUT_FILENO) == 1)
    throw InputError(SourceLocation{}, fmt::format("{} is a binary format and standard output is a terminal: give "
                                                   "--output FILE.{} (or redirect standard output)", f.name, f.name));
  return f;
}

}  // namespace

const OutputFormat& OutputOptions::resolved_format() const {
  money_style();
  if (!format.empty()) return refuse_terminal(*find_format(format), output);
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

MoneyStyle OutputOptions::money_style() const {
  MoneyStyle style = WriteOptions{}.money;
  if (!units.empty()) {
    const std::optional<MoneyUnit> unit = parse_money_unit(units);
    if (!unit)
      throw InputError(SourceLocation{}, fmt::format("--units: expected \u00A3, \u00A3k, \u00A3m or "
                                                     "\u00A3bn, found '{}'", units));
    style.unit = *unit;
    style.decimals = *unit == MoneyUnit::pounds ? 2 : 1;
  }
  if (!decimals.empty()) {
    if (decimals.size() != 1 || decimals[0] < '0' || decimals[0] > '9')
      throw InputError(SourceLocation{}, fmt::format("--decimals: expected a whole number from 0 to 9, found '{}'",
                                                     decimals));
    style.decimals = decimals[0] - '0';
  }
  return style;
}

WriteOptions OutputOptions::write_options(std::string source) const {
  WriteOptions o;
  o.color = resolved_format().name == "table" && use_color();
  o.money = money_style();
  o.source = std::move(source);
  // Reproducible builds' convention: with it, the same inputs give a byte-identical workbook.
  const char* epoch = resolved_format().binary ? std::getenv("SOURCE_DATE_EPOCH") : nullptr;
  if (epoch && *epoch) {
    char* end = nullptr;
    const long long seconds = std::strtoll(epoch, &end, 10);
    if (*end != '\0' || seconds <= 0)
      throw InputError(SourceLocation{}, fmt::format("SOURCE_DATE_EPOCH: expected a whole number of seconds "
                                                     "above 0, found '{}'", epoch));
    o.created = seconds;
  }
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
