#include "fundgap/base/year.h"

#include <charconv>

namespace fundgap {

std::string FinancialYear::label() const {
  return fmt::format("{}/{:02}", start, (start + 1) % 100);
}

namespace {

bool digits(std::string_view s, int& out) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

}  // namespace

std::optional<FinancialYear> FinancialYear::parse(std::string_view text) {
  int start = 0;
  std::size_t slash = text.find_first_of("/-");
  std::string_view first = text.substr(0, slash);
  if (first.size() != 4 || !digits(first, start)) return std::nullopt;
  if (slash != std::string_view::npos) {
    std::string_view second = text.substr(slash + 1);
    int end = 0;
    if (second.size() != 2 || !digits(second, end) || end != (start + 1) % 100) return std::nullopt;
  }
  return FinancialYear{start};
}

std::string FinancialYear::suggestion(std::string_view text) {
  std::string s;  // without spaces, and with any dash as '/'
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == ' ') continue;
    if (text.substr(i, 3) == "\xE2\x80\x93" || text.substr(i, 3) == "\xE2\x80\x94") {  // an en or em dash
      s += '/';
      i += 2;
      continue;
    }
    s += text[i] == '-' ? '/' : text[i];
  }
  const std::size_t slash = s.find('/');
  int start = 0, end = 0;
  if (slash != 4 || !digits(std::string_view(s).substr(0, 4), start)) return {};
  const std::string_view second = std::string_view(s).substr(5);
  if (!digits(second, end)) return {};
  if ((second.size() == 4 && end == start + 1) || (second.size() == 2 && end == (start + 1) % 100))
    return FinancialYear{start}.label();
  return {};
}

}  // namespace fundgap
