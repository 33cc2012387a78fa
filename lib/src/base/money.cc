#include "fundgap/base/money.h"

#include <cmath>

namespace fundgap {

namespace {

// `value` rounded to `decimals`, thousands grouped: 1234.56 -> "1,234.6"; "-" when
// negative, never "-0.0".
std::string grouped(double value, int decimals) {
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

}  // namespace

std::string_view unit_suffix(MoneyUnit unit) {
  switch (unit) {
    case MoneyUnit::thousands: return "k";
    case MoneyUnit::millions: return "m";
    case MoneyUnit::billions: return "bn";
    case MoneyUnit::pounds:
    case MoneyUnit::exact: break;
  }
  return "";
}

std::optional<MoneyUnit> parse_money_unit(std::string_view text) {
  constexpr std::string_view pound = "\xC2\xA3";
  if (text.starts_with(pound)) {
    text.remove_prefix(pound.size());
    if (text.empty()) return MoneyUnit::pounds;
  } else if (text == "p") {
    return MoneyUnit::pounds;
  }
  if (text == "k") return MoneyUnit::thousands;
  if (text == "m") return MoneyUnit::millions;
  if (text == "bn") return MoneyUnit::billions;
  return std::nullopt;
}

std::string format_money(double amount, std::string_view symbol, const MoneyStyle& style) {
  double scale = 1;
  switch (style.unit) {
    case MoneyUnit::exact: return amount == 0 ? "0" : fmt::format("{}", amount);
    case MoneyUnit::pounds: break;
    case MoneyUnit::thousands: scale = 1e3; break;
    case MoneyUnit::millions: scale = 1e6; break;
    case MoneyUnit::billions: scale = 1e9; break;
  }
  const std::string_view suffix = unit_suffix(style.unit);
  std::string digits = grouped(amount / scale, style.decimals);
  const bool negative = digits.front() == '-';
  if (negative) digits.erase(0, 1);
  const bool zero = digits.find_first_not_of("0.,") == std::string::npos;
  const char* sign = negative ? "-" : style.sign && !zero ? "+" : "";
  if (symbol.empty()) return fmt::format("{}{}", sign, digits);
  return fmt::format("{}{}{}{}", sign, symbol, digits, suffix);
}

std::string currency_symbol(std::string_view code) {
  if (code == "GBP") return "\xC2\xA3";
  if (code == "EUR") return "\xE2\x82\xAC";
  if (code == "USD") return "$";
  return fmt::format("{} ", code);
}

std::pair<std::string, std::string> distinguishable(Money a, Money b) {
  MoneyStyle style{MoneyUnit::millions, 1, false};
  while (style.decimals < 8 && format_money(a.amount, a.symbol, style) == format_money(b.amount, b.symbol, style))
    ++style.decimals;
  return {format_money(a.amount, a.symbol, style), format_money(b.amount, b.symbol, style)};
}

}  // namespace fundgap
