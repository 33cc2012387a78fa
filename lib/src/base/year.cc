#include "fundgap/base/year.h"

#include <charconv>

namespace fundgap {

std::string FinancialYear::label() const {
  return fmt::format("{}/{:02}", start, (start + 1) % 100);
}

std::optional<FinancialYear> FinancialYear::parse(std::string_view text) {
  auto digits = [](std::string_view s, int& out) {
    if (s.empty()) return false;
    for (char c : s)
      if (c < '0' || c > '9') return false;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && ptr == s.data() + s.size();
  };
  int start = 0;
  std::size_t slash = text.find('/');
  std::string_view first = text.substr(0, slash);
  if (first.size() != 4 || !digits(first, start)) return std::nullopt;
  if (slash != std::string_view::npos) {
    std::string_view second = text.substr(slash + 1);
    int end = 0;
    if (second.size() != 2 || !digits(second, end) || end != (start + 1) % 100) return std::nullopt;
  }
  return FinancialYear{start};
}

}  // namespace fundgap
