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

std::string render(const Diagnostic& d) {
  const char* what = d.warning ? "warning" : "error";
  if (!d.where.file) return fmt::format("fundgap: {}: {}\n", what, d.message);
  if (d.where.line <= 0) return fmt::format("{}: {}: {}\n", d.where.file->path, what, d.message);
  std::string out = fmt::format("{}:{}:{}: {}: {}\n", d.where.file->path, d.where.line,
                                d.where.column, what, d.message);
  std::string_view line = d.where.file->line_text(d.where.line);
  if (!line.empty()) {
    out += fmt::format("  {}\n  ", line);
    // One space per character before the column (tabs kept, so the caret lines up).
    int column = 1;
    for (std::size_t i = 0; i < line.size() && column < d.where.column; ++i) {
      const auto byte = static_cast<unsigned char>(line[i]);
      if ((byte & 0xC0) == 0x80) continue;  // a UTF-8 continuation byte
      out += byte == '\t' ? '\t' : ' ';
      ++column;
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
