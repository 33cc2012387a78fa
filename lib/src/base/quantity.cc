#include "fundgap/base/quantity.h"

#include <charconv>
#include <cmath>

#include <fmt/format.h>

namespace fundgap {

namespace {
bool is_non_finite_word(std::string_view s) {
  std::string lower;
  for (char c : s) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  if (!lower.empty() && (lower[0] == '+' || lower[0] == '-')) lower.erase(0, 1);
  if (!lower.empty() && lower[0] == '.') lower.erase(0, 1);
  return lower == "nan" || lower == "inf" || lower == "infinity";
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}
}  // namespace

Quantity parse_quantity(std::string_view text) {
  Quantity out;
  std::string_view s = text;
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  if (is_non_finite_word(s)) {
    out.error = NumberError::not_finite;
    return out;
  }
  bool negative = false;
  if (!s.empty() && (s.front() == '-' || s.front() == '+')) {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  constexpr std::string_view pound = "\xC2\xA3";  // '£' in UTF-8
  if (s.substr(0, pound.size()) == pound) {
    out.money = true;
    s.remove_prefix(pound.size());
  }
  double scale = 1;
  if (ends_with(s, "%")) {
    out.percent = true;
    scale = 0.01;
    s.remove_suffix(1);
  } else if (ends_with(s, "bn") || ends_with(s, "BN") || ends_with(s, "Bn")) {
    out.money = true;
    scale = 1e9;
    s.remove_suffix(2);
  } else if (ends_with(s, "m") || ends_with(s, "M")) {
    out.money = true;
    scale = 1e6;
    s.remove_suffix(1);
  } else if (ends_with(s, "k") || ends_with(s, "K")) {
    out.money = true;
    scale = 1e3;
    s.remove_suffix(1);
  }
  if (s.empty() || s.front() == '+' || s.front() == '-' || (out.percent && out.money)) {
    out.error = NumberError::malformed;
    return out;
  }
  double v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec == std::errc::result_out_of_range) {
    out.error = NumberError::not_finite;
    return out;
  }
  if (ec != std::errc() || ptr != s.data() + s.size()) {
    out.error = NumberError::malformed;
    return out;
  }
  v *= scale;
  if (!std::isfinite(v)) {
    out.error = NumberError::not_finite;
    return out;
  }
  out.value = negative ? -v : v;
  return out;
}

std::string percent_text(double fraction) { return fmt::format("{:.6g}%", fraction * 100); }

}  // namespace fundgap
