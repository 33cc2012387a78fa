#include "values.h"

#include <charconv>
#include <cmath>

#include <fmt/format.h>

namespace fundgap::detail {

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

Parsed parse_quantity(std::string_view text) {
  Parsed out;
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

std::string grouped_number(double value, int decimals) {
  const double scale = std::pow(10.0, decimals);
  double v = std::round(value * scale) / scale;
  if (v == 0) v = 0;  // no "-0.0"
  const std::string digits = fmt::format("{:.{}f}", std::fabs(v), decimals);
  const std::size_t point = std::min(digits.find('.'), digits.size());
  std::string out = v < 0 ? "-" : "";
  for (std::size_t i = 0; i < point; ++i) {
    if (i > 0 && (point - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out + digits.substr(point);
}

std::string money_millions(double amount, std::string_view symbol, int decimals, bool sign) {
  std::string m = grouped_number(amount / 1e6, decimals);
  const bool negative = m.front() == '-';
  if (negative) m.erase(0, 1);
  const bool zero = m.find_first_not_of("0.,") == std::string::npos;
  return fmt::format("{}{}{}m", negative ? "-" : sign && !zero ? "+" : "", symbol, m);
}

std::string money_pounds(double amount, std::string_view symbol) {
  std::string p = grouped_number(amount, 2);
  const bool negative = p.front() == '-';
  if (negative) p.erase(0, 1);
  return fmt::format("{}{}{}", negative ? "-" : "", symbol, p);
}

std::pair<std::string, std::string> money_pair(double a, double b, std::string_view symbol) {
  int decimals = 1;
  while (decimals < 8 && money_millions(a, symbol, decimals) == money_millions(b, symbol, decimals)) ++decimals;
  return {money_millions(a, symbol, decimals), money_millions(b, symbol, decimals)};
}

std::string currency_symbol(std::string_view code) {
  if (code == "GBP") return "\xC2\xA3";
  if (code == "EUR") return "\xE2\x82\xAC";
  if (code == "USD") return "$";
  return fmt::format("{} ", code);
}

}  // namespace fundgap::detail
