// The scalar value forms of the scenario format, as written in files, on the command
// line (--set, --target, --between) and in check expressions: money, rates, shares.
#pragma once

#include <string>
#include <string_view>

namespace fundgap {

enum class NumberError {
  none,
  malformed,
  not_finite,  // nan, inf and the like
  too_large,   // beyond the largest double (1e400, 1e308bn)
  too_small,   // nearer zero than the smallest normal double but not zero (1e-400)
};

struct Quantity {
  double value = 0;
  NumberError error = NumberError::none;
  bool percent = false;  // written with a trailing '%'
  bool money = false;    // written with '£' or a k/m/bn suffix
};

// Money: `250000`, `120m`, `£1.5bn`, `-£2k`, `5k`. Also accepts a plain number.
// Rates and shares: `3.5%` (divided by 100) or a plain fraction `0.035`.
// Sets `percent`/`money` so callers can reject the wrong kind.
Quantity parse_quantity(std::string_view text);

// What is wrong with `text`, a number that parse_quantity found not finite, too large or
// too small: "'1e-400' is too close to zero to compute with (nearer than 1e-308); write 0".
// REQUIRES: error is not_finite, too_large or too_small.
std::string number_error_text(NumberError error, std::string_view text);

// For text that is not a quantity but plainly means one, the quantity as it should be
// written: thousands separators dropped (`£206,999,000` -> `£206999000`), spaces closed
// up (`5 m` -> `5m`, `2 %` -> `2%`), a unit in words abbreviated (`5.2 million` -> `5.2m`,
// `1 billion` -> `1bn`, `250 thousand` -> `250k`). Empty when there is no such reading.
std::string quantity_suggestion(std::string_view text);

// "3.5%" with up to six significant digits, for messages.
std::string percent_text(double fraction);

}  // namespace fundgap
