#include "check_parser.h"

#include <cctype>

#include "fundgap/report.h"
#include "values.h"

namespace fundgap::detail {

namespace {

constexpr std::string_view kPlusMinus = "\xC2\xB1";  // '±' in UTF-8

class Parser {
 public:
  Parser(const Scenario& sc, Check& check, Diagnostics& diags)
      : sc_(sc), c_(check), diags_(diags), s_(check.expression) {}

  // A check: reference, comparison, value, optional tolerance.
  bool parse() {
    if (!reference()) return false;
    const std::string ref = s_.substr(ref_start_, i_ - ref_start_);
    skip_space();
    if (!parse_op(ref)) return false;
    skip_space();
    if (!parse_value()) return false;
    skip_space();
    if (!parse_tolerance()) return false;
    return at_end();
  }

  // A bare reference and nothing else.
  bool parse_reference_only(bool every_year) {
    what_ = "reference";
    if (!reference()) return false;
    if (!every_year && !c_.year) return fail(ref_start_, "give one year here, like [2021/22], not [*]");
    return at_end();
  }

 private:
  bool at_end() {
    skip_space();
    if (i_ < s_.size()) return fail(i_, "unexpected '{}' at the end of the {}", s_.substr(i_), what_);
    return true;
  }

  bool reference() {
    skip_space();
    const std::size_t ref_start = ref_start_ = i_;
    std::vector<std::pair<std::string, std::size_t>> parts;
    while (true) {
      std::size_t start = i_;
      while (i_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[i_])) || s_[i_] == '_')) ++i_;
      if (start == i_) return fail(start, "expected ENTITY.MEASURE[YEAR] (like council.gap[2021/22]) at the start "
                                          "of the {}, found {}", what_, found(start));
      parts.emplace_back(s_.substr(start, i_ - start), start);
      if (i_ < s_.size() && s_[i_] == '.') {
        ++i_;
        continue;
      }
      break;
    }
    if (parts.size() < 2 || parts.size() > 3)
      return fail(ref_start, "expected ENTITY.MEASURE[YEAR] (like council.gap[2021/22]), found '{}'",
                  s_.substr(ref_start, i_ - ref_start));
    if (parts.size() == 3 && !resolve_kind_prefix(parts[0])) return false;
    if (!resolve_entity(parts[parts.size() - 2])) return false;
    if (!resolve_measure(parts.back())) return false;
    return parse_year();
  }

  template <typename... Args>
  bool fail(std::size_t at, fmt::format_string<Args...> format, Args&&... args) {
    SourceLocation loc = c_.where;
    loc.column += utf8_length(std::string_view(s_).substr(0, at));
    diags_.error(loc, format, std::forward<Args>(args)...);
    return false;
  }

  std::string found(std::size_t at) const {
    if (at >= s_.size()) return "the end";
    return s_[at] == ' ' ? "a space" : fmt::format("'{}'", s_.substr(at, 1));
  }

  void skip_space() {
    while (i_ < s_.size() && s_[i_] == ' ') ++i_;
  }

  bool resolve_kind_prefix(const std::pair<std::string, std::size_t>& part) {
    static const std::vector<std::string> prefixes = {"partners", "services", "schemes", "pools"};
    auto it = std::find(prefixes.begin(), prefixes.end(), part.first);
    if (it == prefixes.end())
      return fail(part.second, "unknown section '{}' in {}; expected partners, services, schemes or pools{}",
                  part.first, what_, did_you_mean(part.first, prefixes));
    prefix_kind_ = part.first.substr(0, part.first.size() - 1);
    return true;
  }

  bool resolve_entity(const std::pair<std::string, std::size_t>& part) {
    const std::string& id = part.first;
    std::vector<std::string> known{"system"};
    auto look = [&](const auto& list, const char* kind) {
      for (const auto& e : list) {
        known.push_back(e.id);
        if (e.id == id) c_.kind = kind;
      }
    };
    look(sc_.partners, "partner");
    look(sc_.services, "service");
    look(sc_.schemes, "scheme");
    look(sc_.pools, "pool");
    if (id == "system") c_.kind = "system";
    if (c_.kind.empty()) return fail(part.second, "unknown entity '{}' in {}{}", id, what_, did_you_mean(id, known));
    if (!prefix_kind_.empty() && prefix_kind_ != c_.kind)
      return fail(part.second, "'{}' is {} {}, not a {}", id, c_.kind == "system" ? "the" : "a", c_.kind, prefix_kind_);
    c_.entity = id;
    return true;
  }

  bool resolve_measure(const std::pair<std::string, std::size_t>& part) {
    std::vector<std::string> names = measure_names(sc_, c_.kind, c_.entity);
    if (std::find(names.begin(), names.end(), part.first) == names.end())
      return fail(part.second, "unknown measure '{}' for {}{}", part.first,
                  c_.kind == "system" ? std::string("the system") : fmt::format("{} '{}'", c_.kind, c_.entity),
                  did_you_mean(part.first, names));
    c_.measure = part.first;
    return true;
  }

  bool parse_year() {
    if (i_ >= s_.size() || s_[i_] != '[')
      return fail(i_, "expected '[YEAR]' or '[*]' after '{}.{}', found {}", c_.entity, c_.measure, found(i_));
    const std::size_t open = ++i_;
    const std::size_t close = s_.find(']', open);
    if (close == std::string::npos) return fail(open - 1, "'[' without a closing ']'");
    const std::string inside = s_.substr(open, close - open);
    i_ = close + 1;
    if (inside == "*") return true;
    auto y = FinancialYear::parse(inside);
    if (!y) return fail(open, "expected a financial year (like 2021/22) or '*' in brackets, found '{}'", inside);
    auto t = sc_.year_index(*y);
    if (!t) return fail(open, "year {} is outside the period {} to {}", *y, sc_.year(0), sc_.year(sc_.projected_years));
    c_.year = *t;
    return true;
  }

  bool parse_op(const std::string& ref) {
    static const std::pair<std::string_view, CompareOp> ops[] = {{"<=", CompareOp::le}, {">=", CompareOp::ge},
                                                                 {"==", CompareOp::eq}, {"!=", CompareOp::ne},
                                                                 {"<", CompareOp::lt},  {">", CompareOp::gt}};
    for (const auto& [text, op] : ops) {
      if (s_.compare(i_, text.size(), text) == 0) {
        c_.op = op;
        i_ += text.size();
        return true;
      }
    }
    return fail(i_, "expected a comparison (<=, <, >=, >, == or !=) after '{}', found {}", ref, found(i_));
  }

  // A money amount, or a percentage (of the reference measure, or of the expected value
  // for a tolerance). Returns the token's start, or npos after reporting an error.
  std::optional<Parsed> quantity(const char* what) {
    const std::size_t start = i_;
    while (i_ < s_.size() && s_[i_] != ' ' && s_.compare(i_, kPlusMinus.size(), kPlusMinus) != 0 &&
           s_.compare(i_, 2, "+-") != 0)
      ++i_;
    if (start == i_) {
      fail(start, "expected {} (money like 5m, or a percentage like 2%), found {}", what, found(start));
      return std::nullopt;
    }
    const std::string token = s_.substr(start, i_ - start);
    Parsed p = parse_quantity(token);
    if (p.error != NumberError::none) {
      fail(start, "expected {} (money like 5m, or a percentage like 2%), found '{}'", what, token);
      return std::nullopt;
    }
    token_start_ = start;
    return p;
  }

  bool parse_value() {
    auto p = quantity("a value");
    if (!p) return false;
    c_.value = p->value;
    c_.relative = p->percent;
    if (c_.relative && c_.kind == "scheme")
      return fail(token_start_, "a percentage needs something to be a share of; schemes have none, so give money");
    return true;
  }

  bool parse_tolerance() {
    std::size_t at = i_;
    if (s_.compare(i_, kPlusMinus.size(), kPlusMinus) == 0)
      i_ += kPlusMinus.size();
    else if (s_.compare(i_, 2, "+-") == 0)
      i_ += 2;
    else
      return true;
    if (c_.op != CompareOp::eq && c_.op != CompareOp::ne)
      return fail(at, "a tolerance (\xC2\xB1) only goes with == or !=");
    skip_space();
    auto p = quantity("a tolerance");
    if (!p) return false;
    if (p->value < 0) return fail(token_start_, "a tolerance cannot be negative");
    c_.tolerance = p->value;
    c_.tolerance_relative = p->percent;
    return true;
  }

  const Scenario& sc_;
  Check& c_;
  Diagnostics& diags_;
  const std::string& s_;
  std::size_t i_ = 0;
  std::size_t token_start_ = 0;
  std::size_t ref_start_ = 0;
  const char* what_ = "check";
  std::string prefix_kind_;
};

}  // namespace

bool parse_check(const Scenario& scenario, Check& check, Diagnostics& diags) {
  return Parser(scenario, check, diags).parse();
}

bool parse_reference(const Scenario& scenario, Check& check, Diagnostics& diags, bool every_year) {
  return Parser(scenario, check, diags).parse_reference_only(every_year);
}

}  // namespace fundgap::detail
