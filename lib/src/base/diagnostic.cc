#include "fundgap/base/diagnostic.h"

#include <algorithm>
#include <tuple>

namespace fundgap {

std::string_view SourceFile::line_text(int line) const {
  if (line < 1) return {};
  std::size_t begin = 0;
  for (int l = 1; l < line; ++l) {
    begin = text.find('\n', begin);
    if (begin == std::string::npos) return {};
    ++begin;
  }
  std::size_t end = text.find('\n', begin);
  if (end == std::string::npos) end = text.size();
  std::string_view s(text.data() + begin, end - begin);
  if (!s.empty() && s.back() == '\r') s.remove_suffix(1);
  return s;
}

std::size_t utf8_char_size(std::string_view s) {
  const auto b = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char c = b(0);
  if (c < 0x80) return 1;
  const std::size_t n = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
  if (n == 0 || s.size() < n) return 0;
  for (std::size_t i = 1; i < n; ++i)
    if ((b(i) & 0xC0) != 0x80) return 0;
  if (c == 0xE0 && b(1) < 0xA0) return 0;  // overlong
  if (c == 0xED && b(1) > 0x9F) return 0;  // a surrogate
  if (c == 0xF0 && b(1) < 0x90) return 0;  // overlong
  if (c == 0xF4 && b(1) > 0x8F) return 0;  // beyond U+10FFFF
  return n;
}

std::string printable(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t n = utf8_char_size(text.substr(i));
    const auto c = static_cast<unsigned char>(text[i]);
    if (n == 0) {
      out += fmt::format("\\x{:02X}", c);
      ++i;
      continue;
    }
    if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else if ((c < 0x20 && c != '\t') || c == 0x7F) out += fmt::format("\\x{:02X}", c);
    else if (n == 2 && c == 0xC2 && static_cast<unsigned char>(text[i + 1]) <= 0x9F)
      out += fmt::format("\\u{:04X}", static_cast<unsigned char>(text[i + 1]));
    else out.append(text.substr(i, n));
    i += n;
  }
  return out;
}

std::string render(const Diagnostic& d) {
  const char* what = d.warning ? "warning" : "error";
  const std::string message = printable(d.message);
  if (!d.where.file) return fmt::format("fundgap: {}: {}\n", what, message);
  const std::string path = printable(d.where.file->path);
  if (d.where.line <= 0) return fmt::format("{}: {}: {}\n", path, what, message);
  std::string out = fmt::format("{}:{}:{}: {}: {}\n", path, d.where.line, d.where.column, what, message);
  std::string_view line = d.where.file->line_text(d.where.line);
  if (!line.empty()) {
    out += fmt::format("  {}\n  ", printable(line));
    // As many spaces as the characters before the column take (tabs kept, so the caret
    // lines up; an escaped character takes its escape's width).
    int column = 1;
    for (std::size_t i = 0; i < line.size() && column < d.where.column; ++column) {
      const std::size_t n = std::max<std::size_t>(1, utf8_char_size(line.substr(i)));
      if (line[i] == '\t') out += '\t';
      else out.append(static_cast<std::size_t>(utf8_length(printable(line.substr(i, n)))), ' ');
      i += n;
    }
    out += "^\n";
  }
  return out;
}

void Diagnostics::verror(const SourceLocation& where, fmt::string_view format, fmt::format_args args) {
  list_.push_back({where, fmt::vformat(format, args)});
}

void Diagnostics::append(const Diagnostics& other) {
  list_.insert(list_.end(), other.list_.begin(), other.list_.end());
}

std::vector<Diagnostic> Diagnostics::sorted() const {
  // Files in the order their first diagnostic was found; within a file, by position.
  std::vector<std::string> files;
  for (const Diagnostic& d : list_)
    if (std::find(files.begin(), files.end(), d.where.path()) == files.end()) files.push_back(d.where.path());
  auto rank = [&](const Diagnostic& d) {
    return std::make_tuple(std::find(files.begin(), files.end(), d.where.path()) - files.begin(), d.where.line,
                           d.where.column);
  };
  std::vector<Diagnostic> out = list_;
  std::stable_sort(out.begin(), out.end(), [&](const Diagnostic& a, const Diagnostic& b) { return rank(a) < rank(b); });
  return out;
}

std::string Diagnostics::render_all() const {
  std::string out;
  for (const Diagnostic& d : sorted()) out += render(d);
  return out;
}

InputError::InputError(Diagnostics d) : diagnostics_(std::move(d)) {
  summary_ = diagnostics_.empty() ? "bad input" : diagnostics_.list().front().message;
}

InputError::InputError(SourceLocation where, std::string message) {
  diagnostics_.add({std::move(where), std::move(message)});
  summary_ = diagnostics_.list().front().message;
}

int utf8_length(std::string_view text) {
  int n = 0;
  for (char c : text) n += (static_cast<unsigned char>(c) & 0xC0) == 0x80 ? 0 : 1;
  return n;
}

int character_column(std::string_view line, int byte_column) {
  const std::size_t bytes = static_cast<std::size_t>(std::max(0, byte_column - 1));
  if (bytes > line.size()) return byte_column - static_cast<int>(line.size()) + utf8_length(line);
  return utf8_length(line.substr(0, bytes)) + 1;
}

namespace {
// Optimal string alignment distance: Levenshtein plus adjacent transpositions,
// which catches the commonest typo ("demnad").
std::size_t edit_distance(std::string_view a, std::string_view b) {
  const std::size_t n = a.size(), m = b.size();
  std::vector<std::vector<std::size_t>> d(n + 1, std::vector<std::size_t>(m + 1));
  for (std::size_t i = 0; i <= n; ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= m; ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= n; ++i)
    for (std::size_t j = 1; j <= m; ++j) {
      std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[n][m];
}
}  // namespace

std::string closest_match(std::string_view word, const std::vector<std::string>& candidates) {
  std::string best;
  // Allow one edit per three letters (at least one): close enough to be a typo.
  std::size_t best_distance = std::max<std::size_t>(1, word.size() / 3) + 1;
  for (const std::string& c : candidates) {
    std::size_t dist = edit_distance(word, c);
    if (dist < best_distance) {
      best_distance = dist;
      best = c;
    }
  }
  return best;
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  std::string m = closest_match(word, candidates);
  return m.empty() ? std::string() : fmt::format(" (did you mean '{}'?)", m);
}

}  // namespace fundgap
