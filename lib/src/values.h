// Parsing of the scalar value forms of the scenario format: money, rates, shares,
// years. Private to the library.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace fundgap::detail {

enum class NumberError { none, malformed, not_finite };

struct Parsed {
  double value = 0;
  NumberError error = NumberError::none;
  bool percent = false;  // written with a trailing '%'
  bool money = false;    // written with '£' or a k/m/bn suffix
};

// Money: `250000`, `120m`, `£1.5bn`, `-£2k`, `5k`. Also accepts a plain number.
// Rates and shares: `3.5%` (divided by 100) or a plain fraction `0.035`.
// Sets `percent`/`money` so callers can reject the wrong kind.
Parsed parse_quantity(std::string_view text);

// "3.5%" with up to six significant digits, for messages.
std::string percent_text(double fraction);
// `value` rounded to `decimals`, thousands grouped: 1234.56 -> "1,234.6"; "-" when
// negative, never "-0.0".
std::string grouped_number(double value, int decimals);
// Money in millions: "£1,234.5m", "-£2.0m"; `sign` adds "+" to a positive amount.
std::string money_millions(double amount, std::string_view symbol, int decimals = 1, bool sign = false);
// Money to the penny: "£10,000,000.01".
std::string money_pounds(double amount, std::string_view symbol);

// Two amounts as money_text, with as many decimals as it takes (up to pennies) to
// tell them apart: "£1.0m" and "£1.0m" become "£1.000001m" and "£1.000000m".
std::pair<std::string, std::string> money_pair(double a, double b, std::string_view symbol);
// "£" for GBP, "€" for EUR, "$" for USD, otherwise the code and a space ("CHF ").
std::string currency_symbol(std::string_view code);

}  // namespace fundgap::detail
