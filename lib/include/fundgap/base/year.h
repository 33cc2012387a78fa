// UK financial years (April to March), written `2019/20`.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace fundgap {

struct FinancialYear {
  int start = 0;  // the calendar year in which the financial year begins: 2019 for 2019/20

  friend bool operator==(FinancialYear, FinancialYear) = default;
  friend auto operator<=>(FinancialYear, FinancialYear) = default;
  FinancialYear operator+(int years) const { return {start + years}; }
  int operator-(FinancialYear other) const { return start - other.start; }

  // "2019/20"
  std::string label() const;

  // Accepts "2019/20" (the second part must be the following year), "2019-20" (as NHS
  // papers write it) or "2019". Returns nothing for anything else.
  static std::optional<FinancialYear> parse(std::string_view text);
  // For text that is not a year but plainly means one ("2019/2020", "2019-2020",
  // "2019 / 20"), the year as it should be written ("2019/20"); otherwise empty.
  static std::string suggestion(std::string_view text);
};

}  // namespace fundgap

template <>
struct fmt::formatter<fundgap::FinancialYear> : fmt::formatter<std::string_view> {
  template <typename Context>
  auto format(fundgap::FinancialYear y, Context& ctx) const {
    return fmt::formatter<std::string_view>::format(y.label(), ctx);
  }
};
