// Diagnostics: errors that name the file, line and column they are about.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

namespace fundgap {

// The text of one input file, kept so that a diagnostic can quote the offending line.
struct SourceFile {
  std::string path;  // as the user named it
  std::string text;

  // Returns line `line` (1-based) without its newline; empty when out of range.
  std::string_view line_text(int line) const;
};

// A place in a source file. Line and column are 1-based; line 0 means "no place"
// (the diagnostic is about the file as a whole, or about no file at all).
struct SourceLocation {
  std::shared_ptr<const SourceFile> file;
  int line = 0;
  int column = 0;

  bool known() const { return file != nullptr && line > 0; }
  std::string path() const { return file ? file->path : std::string(); }
};

struct Diagnostic {
  SourceLocation where;
  std::string message;   // lowercase, no final period
  bool warning = false;  // a note for the reader, not an error: the input is still good
};

// Formats `path:line:col: error: message` (`warning:` for a warning), then the source
// line and a caret under the column; `fundgap: error: message` when the diagnostic has
// no location.
std::string render(const Diagnostic& d);

// Collects every error found in an input, so a user sees them all at once.
class Diagnostics {
 public:
  template <typename... Args>
  void error(const SourceLocation& where, fmt::format_string<Args...> format, Args&&... args) {
    verror(where, format, fmt::make_format_args(args...));
  }
  void verror(const SourceLocation& where, fmt::string_view format, fmt::format_args args);
  // A warning: shown like an error, but the input is good (see Diagnostic::warning).
  template <typename... Args>
  void warn(const SourceLocation& where, fmt::format_string<Args...> format, Args&&... args) {
    list_.push_back({where, fmt::vformat(format, fmt::make_format_args(args...)), true});
  }
  void add(Diagnostic d) { list_.push_back(std::move(d)); }
  void append(const Diagnostics& other);

  bool empty() const { return list_.empty(); }
  std::size_t size() const { return list_.size(); }
  // Diagnostics in file order (then by the order they were found).
  std::vector<Diagnostic> sorted() const;
  const std::vector<Diagnostic>& list() const { return list_; }
  // Every diagnostic rendered, sorted, each ending in a newline.
  std::string render_all() const;

 private:
  std::vector<Diagnostic> list_;
};

// Thrown by the library when an input is bad; carries every diagnostic found.
class InputError : public std::exception {
 public:
  explicit InputError(Diagnostics d);
  InputError(SourceLocation where, std::string message);
  const Diagnostics& diagnostics() const { return diagnostics_; }
  const char* what() const noexcept override { return summary_.c_str(); }

 private:
  Diagnostics diagnostics_;
  std::string summary_;
};

// The length in bytes of the UTF-8 character at the start of `text`, or 0 when it does
// not start with one (a stray continuation byte, a truncated or overlong sequence, a
// surrogate, beyond U+10FFFF). REQUIRES: `text` is not empty.
std::size_t utf8_char_size(std::string_view text);

// `text` safe to print: control characters (C0 but the tab, DEL, C1) and bytes that are
// not UTF-8 written as visible escapes (\n, \r, \x1B, \u009B), so text from a file or the
// command line cannot move the cursor, retitle a terminal or start a new line (which a CI
// runner would read as a workflow command). Diagnostics are rendered through it.
std::string printable(std::string_view text);

// The number of characters (UTF-8 code points) in `text`.
int utf8_length(std::string_view text);

// The 1-based character column of the 1-based byte column `byte_column` in `line`.
// Columns in diagnostics count characters, as editors and CI annotations do.
int character_column(std::string_view line, int byte_column);

// The closest candidate to `word` by edit distance, or empty when none is close
// enough to be a plausible typo.
std::string closest_match(std::string_view word, const std::vector<std::string>& candidates);

// " (did you mean 'x'?)" when a close candidate exists, else "".
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace fundgap
