// Money as people read it: one type, printed through fmt, so that every command and
// every format writes amounts the same way.
//
//   fmt::format("{:.1m}", Money{1234567890})        "1,234.6"       (a table cell: the header names £m)
//   fmt::format("{:.1m}", Money{-2e6, "£"})         "-£2.0m"
//   fmt::format("{:+.1m}", Money{1.2e6, "£"})       "+£1.2m"        (no sign on a zero: "£0.0m")
//   fmt::format("{:.2p}", Money{1e7 + 0.01, "£"})   "£10,000,000.01"
//   fmt::format("{:exact}", Money{0.1 + 0.2})       "0.30000000000000004" (full precision; "0", never "-0")
//
// Spec: [+][.DECIMALS](p|k|m|bn|exact). p is pounds (or the currency's unit), k thousands,
// m millions, bn billions; DECIMALS defaults to 2 for p and 1 otherwise. Amounts are rounded
// half away from zero at the decimals shown, thousands are grouped with commas, and a value
// that rounds to zero never shows a minus sign. With a `symbol`, the amount reads as money:
// the symbol before the digits and the unit's suffix (k, m, bn) after them; without one it is
// a bare figure in the unit. `exact` ignores the symbol and the sign flag: it is the
// shortest text that reads back as the same double, for CSV and JSON.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <fmt/format.h>

namespace fundgap {

struct Money {
  double amount = 0;
  std::string_view symbol = {};  // "£"; empty for a bare figure. Not owned: keep it alive while formatting
};

enum class MoneyUnit { pounds, thousands, millions, billions, exact };

struct MoneyStyle {
  MoneyUnit unit = MoneyUnit::millions;
  int decimals = 1;
  bool sign = false;  // "+" before a positive amount
};

// `amount` in `style`; the same text as fmt::format with the matching spec.
std::string format_money(double amount, std::string_view symbol, const MoneyStyle& style);

// The suffix that names `unit` after an amount: "" (pounds, exact), "k", "m" or "bn".
std::string_view unit_suffix(MoneyUnit unit);

// The unit `--units` names: "£" (or "p") pounds, "£k" (or "k") thousands, "£m" (or "m")
// millions, "£bn" (or "bn") billions; nothing for anything else. The £ names the unit
// whatever the scenario's currency.
std::optional<MoneyUnit> parse_money_unit(std::string_view text);

// "£" for GBP, "€" for EUR, "$" for USD, otherwise the code and a space ("CHF ").
std::string currency_symbol(std::string_view code);

// Two amounts in millions with as many decimals as it takes (up to eight) to tell them
// apart: 1000001 and 1000000 become "£1.000001m" and "£1.000000m".
std::pair<std::string, std::string> distinguishable(Money a, Money b);

}  // namespace fundgap

template <>
struct fmt::formatter<fundgap::Money> {
  fundgap::MoneyStyle style;

  constexpr auto parse(fmt::format_parse_context& ctx) -> decltype(ctx.begin()) {
    auto it = ctx.begin(), end = ctx.end();
    auto fail = [] { throw fmt::format_error("invalid Money format: [+][.N](p|k|m|bn|exact)"); };
    if (it != end && *it == '+') {
      style.sign = true;
      ++it;
    }
    bool decimals = false;
    if (it != end && *it == '.') {
      ++it;
      if (it == end || *it < '0' || *it > '9') fail();
      style.decimals = 0;
      while (it != end && *it >= '0' && *it <= '9') style.decimals = style.decimals * 10 + (*it++ - '0');
      decimals = true;
    }
    auto word = [&](std::string_view w) {
      for (std::size_t i = 0; i < w.size(); ++i)
        if (it + static_cast<std::ptrdiff_t>(i) == end || it[static_cast<std::ptrdiff_t>(i)] != w[i]) return false;
      it += static_cast<std::ptrdiff_t>(w.size());
      return true;
    };
    if (word("exact")) style.unit = fundgap::MoneyUnit::exact;
    else if (word("bn")) style.unit = fundgap::MoneyUnit::billions;
    else if (word("p")) style.unit = fundgap::MoneyUnit::pounds;
    else if (word("k")) style.unit = fundgap::MoneyUnit::thousands;
    else if (word("m")) style.unit = fundgap::MoneyUnit::millions;
    else fail();
    if (!decimals) style.decimals = style.unit == fundgap::MoneyUnit::pounds ? 2 : 1;
    if (it != end && *it != '}') fail();
    return it;
  }

  template <typename Context>
  auto format(const fundgap::Money& m, Context& ctx) const -> decltype(ctx.out()) {
    const std::string text = fundgap::format_money(m.amount, m.symbol, style);
    return std::copy(text.begin(), text.end(), ctx.out());
  }
};
