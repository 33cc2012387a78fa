#include "check_expression.h"

#include <algorithm>
#include <cctype>

#include "fundgap/base/quantity.h"
#include "fundgap/input/references.h"

namespace fundgap::input {

namespace {

constexpr std::string_view kPlusMinus = "\xC2\xB1";  // '±' in UTF-8

class Parser {
 public:
  Parser(const Scenario& sc, Check& check, Diagnostics& diags)
      : sc_(sc), c_(check), diags_(diags), s_(check.expression) {}

  // A check: reference (or sum(...)/change(...) of one), comparison, value, optional tolerance.
  bool parse() {
    skip_space();
    const std::size_t start = i_;
    if (!aggregate()) return false;
    if (!reference()) return false;
    if (c_.aggregate != Aggregate::none) {
      if (i_ >= s_.size() || s_[i_] != ')') return fail(i_, "expected ')' to close '{}(', found {}",
                                                         c_.aggregate == Aggregate::sum ? "sum" : "change", found(i_));
      ++i_;
      if (c_.aggregate == Aggregate::sum && c_.year)
        return fail(start, "sum() adds a figure over every year: write [*] inside it");
      if (c_.aggregate == Aggregate::change && c_.year && *c_.year == 0)
        return fail(start, "change() is a figure less the year before's, and {} is the base year", sc_.year(0));
      ref_start_ = start;
    }
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
    every_year_ = every_year;
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

  // `sum(` or `change(` before a reference; nothing when there is none.
  bool aggregate() {
    for (const auto& [name, kind] : {std::pair{std::string_view("sum("), Aggregate::sum},
                                     std::pair{std::string_view("change("), Aggregate::change}}) {
      if (s_.compare(i_, name.size(), name) != 0) continue;
      c_.aggregate = kind;
      i_ += name.size();
      return true;
    }
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
    if (parts.size() < 2 || parts.size() > 4)
      return fail(ref_start, "expected ENTITY.MEASURE[YEAR] (like council.gap[2021/22]), found '{}'",
                  s_.substr(ref_start, i_ - ref_start));
    // SECTION.ENTITY.MEASURE, or ENTITY.MEASURE.SUB for a partner's funding stream
    // (council.funding.business_rates), or both.
    std::size_t entity = 0;
    static const std::vector<std::string> sections = {"partners", "services", "schemes", "pools", "places"};
    const bool prefixed = std::find(sections.begin(), sections.end(), parts[0].first) != sections.end();
    if (parts.size() == 4 || (parts.size() == 3 && (prefixed || !sc_.kind_of(parts[0].first)))) {
      if (!resolve_kind_prefix(parts[0])) return false;
      entity = 1;
    }
    if (!resolve_entity(parts[entity])) return false;
    std::pair<std::string, std::size_t> measure = parts[entity + 1];
    for (std::size_t k = entity + 2; k < parts.size(); ++k) measure.first += "." + parts[k].first;
    if (!resolve_measure(measure)) return false;
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
    // `places.` only where the scenario has places (so messages elsewhere stay as they were).
    std::vector<std::string> prefixes = {"partners", "services", "schemes", "pools"};
    if (!sc_.places.empty()) prefixes.push_back("places");
    auto it = std::find(prefixes.begin(), prefixes.end(), part.first);
    if (it == prefixes.end())
      return fail(part.second, "unknown section '{}' in {}; expected partners, services, schemes{} pools{}{}",
                  part.first, what_, sc_.places.empty() ? " or" : ",", sc_.places.empty() ? "" : " or places",
                  did_you_mean(part.first, prefixes));
    prefix_kind_ = part.first.substr(0, part.first.size() - 1);
    return true;
  }

  bool resolve_entity(const std::pair<std::string, std::size_t>& part) {
    const std::string& id = part.first;
    const std::optional<EntityKind> kind = sc_.kind_of(id);
    if (!kind) {
      std::vector<std::string> known{"system"};
      for (EntityKind k : {EntityKind::partner, EntityKind::service, EntityKind::scheme, EntityKind::pool,
                           EntityKind::place})
        for (int i = 0; i < sc_.count(k); ++i) known.push_back(sc_.id_of(k, i));
      return fail(part.second, "unknown entity '{}' in {}{}", id, what_, did_you_mean(id, known));
    }
    kind_ = *kind;
    const std::string_view kind_text = kind_name(kind_);
    if (!prefix_kind_.empty() && prefix_kind_ != kind_text)
      return fail(part.second, "'{}' is {} {}, not a {}", id, kind_ == EntityKind::system ? "the" : "a", kind_text,
                  prefix_kind_);
    entity_ = kind_ == EntityKind::system ? -1 : sc_.index_of(kind_, id);
    entity_id_ = id;
    return true;
  }

  bool resolve_measure(const std::pair<std::string, std::size_t>& part) {
    const std::vector<Figure> figures = figures_of(sc_, kind_, entity_);
    for (const Figure& f : figures)
      if (measure_name(sc_, f) == part.first) {
        c_.figure = f;
        measure_ = part.first;
        return true;
      }
    std::vector<std::string> names;
    for (const Figure& f : figures) names.push_back(measure_name(sc_, f));
    return fail(part.second, "unknown measure '{}' for {}{}", part.first,
                kind_ == EntityKind::system ? std::string("the system")
                                            : fmt::format("{} '{}'", kind_name(kind_), entity_id_),
                did_you_mean(part.first, names));
  }

  bool parse_year() {
    // Only what works here: [*] where every year may be named.
    if (i_ >= s_.size() || s_[i_] != '[') {
      if (every_year_)
        return fail(i_, "expected '[YEAR]' or '[*]' after '{}.{}', found {}", entity_id_, measure_, found(i_));
      return fail(i_, "expected '[YEAR]' after '{}.{}' (like {}.{}[{}]), found {}", entity_id_, measure_, entity_id_,
                  measure_, sc_.year(sc_.projected_years), found(i_));
    }
    const std::size_t open = ++i_;
    const std::size_t close = s_.find(']', open);
    if (close == std::string::npos) return fail(open - 1, "'[' without a closing ']'");
    const std::string inside = s_.substr(open, close - open);
    i_ = close + 1;
    if (inside == "*") return true;
    auto y = FinancialYear::parse(inside);
    if (!y) {
      const std::string better = FinancialYear::suggestion(inside);
      return fail(open, "expected a financial year (like 2021/22){} in brackets, found '{}'{}",
                  every_year_ ? " or '*'" : "", inside, better.empty() ? "" : fmt::format("; write {}", better));
    }
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
  std::optional<Quantity> quantity(const char* what) {
    const std::size_t start = i_;
    while (i_ < s_.size() && s_[i_] != ' ' && s_.compare(i_, kPlusMinus.size(), kPlusMinus) != 0 &&
           s_.compare(i_, 2, "+-") != 0)
      ++i_;
    if (start == i_) {
      fail(start, "expected {} (money like 5m, or a percentage like 2%), found {}", what, found(start));
      return std::nullopt;
    }
    const std::string token = s_.substr(start, i_ - start);
    Quantity p = parse_quantity(token);
    if (p.error != NumberError::none) {
      const std::string better = quantity_suggestion(token);
      fail(start, "expected {} (money like 5m, or a percentage like 2%), found '{}'{}", what, token,
           better.empty() ? "" : fmt::format("; write {}", better));
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
    if (c_.relative && c_.aggregate != Aggregate::none)
      return fail(token_start_, "a percentage needs a figure to be a share of; with sum() or change() give money");
    if (c_.relative && kind_ == EntityKind::scheme)
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
  bool every_year_ = true;  // [*] allowed
  std::string prefix_kind_;
  EntityKind kind_ = EntityKind::system;
  int entity_ = -1;
  std::string entity_id_, measure_;
};

}  // namespace

bool parse_check(const Scenario& scenario, Check& check, Diagnostics& diags) {
  return Parser(scenario, check, diags).parse();
}

bool parse_reference(const Scenario& scenario, Check& check, Diagnostics& diags, bool every_year) {
  return Parser(scenario, check, diags).parse_reference_only(every_year);
}

}  // namespace fundgap::input

namespace fundgap {

Reference parse_reference(const Scenario& sc, const std::string& text, const SourceLocation& where, bool every_year) {
  Check c;
  c.expression = text;
  c.where = where;
  Diagnostics diags;
  if (!input::parse_reference(sc, c, diags, every_year)) throw InputError(diags);
  return {c.figure, c.year};
}

Reference parse_reference(const Scenario& sc, const std::string& text, const std::string& source, bool every_year) {
  return parse_reference(sc, text, SourceLocation{std::make_shared<SourceFile>(SourceFile{source, text}), 1, 1},
                         every_year);
}

FigureRef parse_figure(const Scenario& sc, const std::string& text, const std::string& source) {
  const Reference r = parse_reference(sc, text, source, false);
  return {r.figure, *r.year};
}

}  // namespace fundgap
