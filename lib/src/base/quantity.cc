#include "fundgap/base/quantity.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

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
  if (ec == std::errc::result_out_of_range && ptr == s.data() + s.size()) {
    // from_chars says only "out of range"; the exponent's sign says which way.
    const std::size_t e = s.find_first_of("eE");
    out.error = e != std::string_view::npos && e + 1 < s.size() && s[e + 1] == '-' ? NumberError::too_small
                                                                                    : NumberError::too_large;
    return out;
  }
  if (ec != std::errc() || ptr != s.data() + s.size()) {
    out.error = NumberError::malformed;
    return out;
  }
  v *= scale;
  if (!std::isfinite(v) || (v != 0 && std::fabs(v) < std::numeric_limits<double>::min())) {
    out.error = std::isfinite(v) ? NumberError::too_small : NumberError::too_large;
    return out;
  }
  out.value = negative ? -v : v;
  return out;
}

std::string number_error_text(NumberError error, std::string_view text) {
  switch (error) {
    case NumberError::too_large:
      return fmt::format("'{}' is too large to compute with (beyond about 1.8e308)", text);
    case NumberError::too_small:
      return fmt::format("'{}' is too close to zero to compute with (nearer than about 2.2e-308); write 0 if that "
                         "is meant", text);
    default:
      return fmt::format("'{}' is not a finite number", text);
  }
}

std::string quantity_suggestion(std::string_view text) {
  std::string s;
  for (char c : text)
    if (c != ' ') s += c;
  std::string lower;
  for (char c : s) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  static const std::pair<std::string_view, std::string_view> words[] = {
      {"millions", "m"}, {"million", "m"}, {"mn", "m"},           {"billions", "bn"},
      {"billion", "bn"}, {"thousands", "k"}, {"thousand", "k"}, {"percent", "%"}};
  for (const auto& [word, unit] : words)
    if (ends_with(lower, word) && s.size() > word.size()) {
      s = s.substr(0, s.size() - word.size()) + std::string(unit);
      break;
    }
  // Commas between groups of three digits in the whole part: 206,999,000.
  if (s.find(',') != std::string::npos) {
    const std::size_t i = s.find_first_of("0123456789");
    if (i == std::string::npos) return {};
    std::size_t j = i;
    while (j < s.size() && ((s[j] >= '0' && s[j] <= '9') || s[j] == ',')) ++j;
    if (s.find(',', j) != std::string::npos) return {};
    std::size_t group = 0, groups = 0, first = 0;
    for (std::size_t k = i; k <= j; ++k) {
      if (k == j || s[k] == ',') {
        if (groups == 0) first = group;
        else if (group != 3) return {};
        ++groups;
        group = 0;
      } else {
        ++group;
      }
    }
    if (first < 1 || first > 3) return {};
    std::string whole = s.substr(i, j - i);
    whole.erase(std::remove(whole.begin(), whole.end(), ','), whole.end());
    s = s.substr(0, i) + whole + s.substr(j);
  }
  if (s == text || s.empty()) return {};
  return parse_quantity(s).error == NumberError::none ? s : std::string();
}

std::string percent_text(double fraction) { return fmt::format("{:.6g}%", fraction * 100); }

}  // namespace fundgap
