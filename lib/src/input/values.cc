// The value readers: money, rates, shares, years, per-year rates and distributions, each
// read into a number and, when it is an input of the model, registered as a Parameter.
#include <algorithm>
#include <cmath>
#include <limits>

#include "fundgap/base/money.h"
#include "fundgap/base/quantity.h"
#include "fundgap/model/projection.h"
#include "reading.h"

namespace fundgap::input {

bool written_as_share(const Node& n) {
  if (n.IsScalar()) return parse_quantity(n.Scalar()).percent;
  if (n.IsSequence()) return !n.items.empty() && written_as_share(n.items.front());
  if (n.IsMap() && is_distribution(n)) return written_as_share(distribution_entry(n).second);
  if (n.IsMap()) return !n.pairs.empty() && written_as_share(n.pairs.front().second);  // {mean: 3%, sd: 1%}
  return false;
}

namespace {

// A bare 3 read as a rate is 300%, almost always meant as 3%: the user must say.
bool rate_without_percent(const Node& n, double v) {
  return n.IsScalar() && std::fabs(v) >= 1 && !parse_quantity(n.Scalar()).percent;
}

// A bare 70 read as a share is 7000%, almost always meant as 70%.
bool share_without_percent(const Node& n, double v) {
  return n.IsScalar() && v > 1 && !parse_quantity(n.Scalar()).percent;
}

// "; write 5m" when `text` plainly means a quantity of `kind` written otherwise.
std::string rewrite_hint(std::string_view text, ValueKind kind) {
  const std::string better = quantity_suggestion(text);
  if (better.empty()) return {};
  const Quantity q = parse_quantity(better);
  const bool fits = kind == ValueKind::money ? !q.percent : kind == ValueKind::factor ? !q.percent && !q.money : !q.money;
  return fits ? fmt::format("; write {}", better) : std::string();
}

}  // namespace

std::optional<Distribution> Reading::distribution(const Node& n, ValueKind kind, const std::string& label,
                                                 std::pair<double, double> range) {
  // Named, not structured bindings: the lambdas below capture them (clang 14 cannot).
  const std::pair<Node, Node>& entry = distribution_entry(n);
  const Node& name_node = entry.first;
  const Node& args = entry.second;
  const std::string& name = name_node.text;
  const std::string lbl = fmt::format("the {} distribution for {}", name, label);
  const Node* plan = nullptr;
  for (const auto& [key, v] : n.pairs) {
    if (&key == &name_node) continue;
    if (key.IsScalar() && key.text == "plan" && !plan) {
      plan = &v;
      continue;
    }
    diags.error(at(key), "unexpected {} beside {}; only 'plan' (the plan's own figure, like plan: 3%) may go with it",
                describe(key), lbl);
    return std::nullopt;
  }
  auto value = [&](const Node& v, ValueKind k) -> std::optional<double> {
    auto x = number(v, at(v), k, lbl);
    if (x && k == ValueKind::rate && rate_without_percent(v, *x)) {
      diags.error(at(v), "rate {} in {} has no '%' and so means {}; write {}% if that is meant", v.text, lbl,
                  percent_text(*x), v.text);
      return std::nullopt;
    }
    if (x && k == ValueKind::share && share_without_percent(v, *x)) {
      diags.error(at(v), "share {} in {} has no '%' and so means {}; write {}% if that is meant", v.text, lbl,
                  percent_text(*x), v.text);
      return std::nullopt;
    }
    return x;
  };
  auto list = [&](std::size_t size, const char* example) -> std::optional<std::vector<double>> {
    if (!args.IsSequence() || args.size() != size) {
      diags.error(at(args), "expected {} values like {} for {}, found {}", size, example, lbl, describe(args));
      return std::nullopt;
    }
    std::vector<double> out;
    for (const Node& item : args.items)
      if (auto v = value(item, kind)) out.push_back(*v);
    if (out.size() != size) return std::nullopt;
    return out;
  };
  auto fields = [&](const char* first, const char* second,
                    ValueKind second_kind) -> std::optional<std::pair<double, double>> {
    if (!args.IsMap()) {
      diags.error(at(args), "expected a map with '{}' and '{}' for {}, found {}", first, second, lbl, describe(args));
      return std::nullopt;
    }
    std::vector<Entry> es = entries(args, lbl);
    check_keys(es, {first, second}, lbl);
    const Entry* a = require(es, first, lbl, at(args));
    const Entry* b = require(es, second, lbl, at(args));
    std::optional<double> x = a ? value(a->value, kind) : std::nullopt;
    std::optional<double> y = b ? value(b->value, second_kind) : std::nullopt;
    if (!x || !y) return std::nullopt;
    if (*y < 0) {
      diags.error(at(b->value), "'{}' of {} cannot be negative", second, lbl);
      return std::nullopt;
    }
    return std::make_pair(*x, *y);
  };
  auto ordered = [&](const std::vector<double>& v) {
    if (std::is_sorted(v.begin(), v.end())) return true;
    diags.error(at(args), "the values of {} must be in order: low, {}high", lbl, v.size() == 3 ? "mode, " : "");
    return false;
  };
  std::optional<Distribution> d;
  if (name == "normal") {
    if (auto f = fields("mean", "sd", kind)) d = Distribution::normal(f->first, f->second);
  } else if (name == "lognormal") {
    if (auto f = fields("median", "sd_log", ValueKind::factor)) {
      if (f->first <= 0) {
        diags.error(at(args), "the median of {} must be above zero", lbl);
        return std::nullopt;
      }
      d = Distribution::lognormal(f->first, f->second);
    }
  } else if (name == "uniform" || name == "interval") {
    if (auto v = list(2, "[1%, 5%]"); v && ordered(*v))
      d = name == "uniform" ? Distribution::uniform((*v)[0], (*v)[1]) : Distribution::interval((*v)[0], (*v)[1]);
  } else if (auto v = list(3, "[1%, 3%, 6%]"); v && ordered(*v)) {
    d = name == "pert" ? Distribution::pert((*v)[0], (*v)[1], (*v)[2])
                       : Distribution::triangular((*v)[0], (*v)[1], (*v)[2]);
  }
  if (!d) return std::nullopt;
  if (plan) {
    auto v = value(*plan, kind);
    if (!v) return std::nullopt;
    if (*v < d->lowest() || *v > d->highest()) {
      diags.error(at(*plan), "'plan' of {} is {}, outside the distribution's range {} to {}", lbl,
                  value_text(kind, *v, sc.currency), value_text(kind, d->lowest(), sc.currency),
                  value_text(kind, d->highest(), sc.currency));
      return std::nullopt;
    }
    d->set_plan(*v);
  }
  // Draws outside the valid range are redrawn from the truncated distribution.
  const auto [low, high] = range;
  const char* valid = kind == ValueKind::rate    ? "above -100%"
                      : kind == ValueKind::share ? "between 0% and 100%"
                                                 : "at or above zero";
  if (!d->truncate(low, high)) {
    diags.error(at(n), "{} has no probability {}", lbl, valid);
    return std::nullopt;
  }
  // Truncation moves what the user wrote when it moves the P10 or the P90 by more than
  // a hundredth of the distance between them as written.
  if (!d->cut()) return d;
  const double p10 = d->quantile(0.1), p90 = d->quantile(0.9);
  const double t10 = d->truncated_quantile(0.1), t90 = d->truncated_quantile(0.9);
  if (std::max(std::fabs(t10 - p10), std::fabs(t90 - p90)) > 0.01 * (p90 - p10)) {
    auto shown = [&](double v) { return value_text(kind, v, sc.currency, 3); };
    sc.warnings.warn(at(n), "{} is cut to values {}: its draws have P10 {} and P90 {}, not {} and {} as written", lbl,
                     valid, shown(t10), shown(t90), shown(p10), shown(p90));
  }
  return d;
}

std::optional<double> Reading::number(const Node& n, const SourceLocation& loc, ValueKind kind,
                                      const std::string& label, const ParameterSpec* param) {
  auto [low, high] = default_range(kind);
  if (param && param->signed_money) low = -std::numeric_limits<double>::infinity();
  if (is_distribution(n)) {
    if (!param) {
      diags.error(loc, "{} must be a plain number, not a distribution", label);
      return std::nullopt;
    }
    auto d = distribution(n, kind, label, {low, high});
    if (!d) return std::nullopt;
    sc.parameters.push_back({param->path, loc, kind, low, high, d->plan(), d, param->target});
    return d->plan();
  }
  auto v = plain_number(n, loc, kind, label);
  if (v && param) sc.parameters.push_back({param->path, loc, kind, low, high, *v, std::nullopt, param->target});
  return v;
}

std::optional<double> Reading::plain_number(const Node& n, const SourceLocation& loc, ValueKind kind,
                                            const std::string& label) {
  const char* example = kind == ValueKind::money ? "money (like 120m, \xC2\xA3" "1.5bn or 250000)"
                        : kind == ValueKind::rate  ? "a rate (like 3.5% or 0.035)"
                        : kind == ValueKind::share ? "a share (like 40% or 0.4)"
                                                   : "a number (like 0.2)";
  if (!n.IsScalar()) {
    diags.error(loc, "expected {} for {}, found {}", example, label, describe(n));
    return std::nullopt;
  }
  const Quantity q = parse_quantity(n.Scalar());
  if (q.error != NumberError::none && q.error != NumberError::malformed) {
    diags.error(loc, "{} ({})", number_error_text(q.error, n.Scalar()), label);
    return std::nullopt;
  }
  const bool wrong_kind = (kind == ValueKind::money && q.percent) || (kind != ValueKind::money && q.money) ||
                          (kind == ValueKind::factor && q.percent);
  if (q.error == NumberError::malformed || wrong_kind) {
    diags.error(loc, "expected {} for {}, found {}{}", example, label, describe(n), rewrite_hint(n.Scalar(), kind));
    return std::nullopt;
  }
  if (kind == ValueKind::money && std::fabs(q.value) > kMaxMoney) {
    diags.error(loc, "'{}' is beyond \u00b1{:.0bn}, more than fundgap computes to the penny (the limit) ({})",
                n.Scalar(), Money{kMaxMoney, currency_symbol(sc.currency)}, label);
    return std::nullopt;
  }
  return q.value;
}

std::optional<double> Reading::money(const Entry& e, const std::string& where, const ParameterSpec* param) {
  auto v = number(e.value, at(e), ValueKind::money, label(e, where), param);
  if (v && *v < 0) {
    diags.error(at(e), "'{}' in {} cannot be negative", e.key, where);
    return std::nullopt;
  }
  return v;
}

std::optional<double> Reading::share(const Node& n, const SourceLocation& loc, const std::string& label,
                                     const ParameterSpec* param) {
  auto v = number(n, loc, ValueKind::share, label, param);
  if (v && (*v < 0 || *v > 1)) {
    diags.error(loc, "{} is {}, outside 0% to 100%{}", label, percent_text(*v),
                share_without_percent(n, *v) && *v <= 100 ? fmt::format("; write {}% if that is meant", n.Scalar())
                                                          : std::string());
    return std::nullopt;
  }
  return v;
}

std::optional<FinancialYear> Reading::year(const Node& n, const SourceLocation& loc, const std::string& label) {
  if (n.IsScalar())
    if (auto y = FinancialYear::parse(n.Scalar())) return y;
  const std::string better = n.IsScalar() ? FinancialYear::suggestion(n.Scalar()) : std::string();
  diags.error(loc, "expected a financial year (like 2019/20) for {}, found {}{}", label, describe(n),
              better.empty() ? std::string() : fmt::format("; write {}", better));
  return std::nullopt;
}

std::optional<int> Reading::projected_year(const Node& n, const SourceLocation& loc, const std::string& label) {
  auto y = year(n, loc, label);
  if (!y || !period_ok) return std::nullopt;
  int t = *y - sc.base_year;
  if (t < 1 || t > sc.projected_years) {
    diags.error(loc, "year {} for {} is outside the projected years {} to {}", *y, label, sc.year(1),
                sc.year(sc.projected_years));
    return std::nullopt;
  }
  return t;
}

bool Reading::needs_format_1_1(const Entry& e, const std::string& what) {
  if (sc.format_minor >= 1) return true;
  diags.error(at(e.key_node), "{} is part of format 1.1; write 'fundgap: 1.1' at the top of the file to use it", what);
  return false;
}

bool Reading::list_fits_period(const Entry& e, const std::string& lbl) {
  const int n = static_cast<int>(e.value.size()), T = sc.projected_years;
  if (!period_ok || n == T) return true;
  diags.error(at(e), "{} has {} value{} but the period has {} projected year{} ({} to {})", lbl, n, n == 1 ? "" : "s", T,
              T == 1 ? "" : "s", sc.year(1), sc.year(T));
  return false;
}

YearValues Reading::per_year_money(const Entry& e, const MoneyPerYear& spec) {
  const int T = period_ok ? sc.projected_years : 0;
  YearValues out = YearValues::Zero(T + 1);
  record(spec.path, e);
  const std::string lbl = label(e, spec.where);
  auto years = [&](int first, int last) { return ParameterTarget{spec.field, spec.entity, spec.index, first, last}; };
  auto at_year = [&](int t) { return fmt::format("{}[{}]", spec.path, sc.year(t)); };
  auto one = [&](const Node& n, const SourceLocation& loc, const ParameterSpec* param,
                 std::string_view year) -> std::optional<double> {
    auto v = number(n, loc, ValueKind::money, lbl, param);
    if (v && *v < 0 && !spec.signed_money) {
      diags.error(loc, "{}{} is {}, but it cannot be negative{}", lbl, year.empty() ? "" : fmt::format(" in {}", year),
                  fmt::format("{:.2p}", Money{*v, currency_symbol(sc.currency)}), spec.sign_hint);
      return std::nullopt;
    }
    return v;
  };
  switch (is_distribution(e.value) ? Kind::scalar : e.value.kind) {
    case Kind::scalar: {
      const ParameterSpec param{spec.path, years(1, T), spec.signed_money};
      if (auto v = one(e.value, at(e), &param, "")) out.tail(T) = *v;
      break;
    }
    case Kind::sequence: {
      list_fits_period(e, lbl);
      for (int i = 0; i < static_cast<int>(e.value.size()); ++i) {
        const Node& item = e.value.items[static_cast<std::size_t>(i)];
        const bool in_period = i < T;
        const ParameterSpec param{in_period ? at_year(i + 1) : std::string(), years(i + 1, i + 1), spec.signed_money};
        auto v = one(item, at(item), in_period ? &param : nullptr, in_period ? sc.year(i + 1).label() : "");
        if (v && in_period) {
          out(i + 1) = *v;
          sc.origins[at_year(i + 1)] = at(item);
        }
      }
      break;
    }
    case Kind::map: {
      int previous = 0;
      std::size_t previous_parameter = SIZE_MAX;
      if (spec.hold) out.tail(T) = spec.fallback;
      for (const Entry& ye : entries(e.value, lbl)) {
        auto t = projected_year(ye.key_node, at(ye.key_node), fmt::format("a key of {}", lbl));
        std::optional<ParameterSpec> param;
        if (t) param = ParameterSpec{at_year(*t), years(*t, spec.hold ? T : *t), spec.signed_money};
        const std::size_t registered = sc.parameters.size();
        auto v = one(ye.value, at(ye), param ? &*param : nullptr, t ? sc.year(*t).label() : "");
        if (!t) continue;
        if (*t <= previous) {
          diags.error(at(ye.key_node), "years in {} must increase: {} follows {}", lbl, sc.year(*t), sc.year(previous));
          continue;
        }
        if (spec.hold && v && sc.parameters.size() > registered) {
          // Each value holds until the next key: end the previous one's years there.
          if (previous_parameter != SIZE_MAX) sc.parameters[previous_parameter].target.last = *t - 1;
          previous_parameter = registered;
        }
        previous = *t;
        if (v) {
          if (spec.hold)
            out.tail(T - *t + 1) = *v;
          else
            out(*t) = *v;
        }
        sc.origins[at_year(*t)] = at(ye);
      }
      break;
    }
    default:
      diags.error(at(e), "expected money, a list of amounts or a map from year to amount for {}, found nothing", lbl);
  }
  return out;
}

YearValues Reading::per_year_rate(const Entry& e, const std::string& where, const std::string& path,
                                  ParameterTarget::Field field, int entity, int index) {
  const int T = period_ok ? sc.projected_years : 0;
  YearValues out = YearValues::Zero(T + 1);
  record(path, e);
  const std::string lbl = label(e, where);
  auto one = [&](const Node& n, const SourceLocation& loc, const ParameterSpec* param) -> std::optional<double> {
    auto v = number(n, loc, ValueKind::rate, lbl, param);
    if (v && rate_without_percent(n, *v)) {
      diags.error(loc, "rate {} for {} has no '%' and so means {}; write {}% if that is meant", n.Scalar(), lbl,
                  percent_text(*v), n.Scalar());
      return std::nullopt;
    }
    if (v && *v <= -1) {
      diags.error(loc, "{} for {} is at or below -100%", percent_text(*v), lbl);
      return std::nullopt;
    }
    return v;
  };
  auto years = [&](int first, int last) { return ParameterTarget{field, entity, index, first, last}; };
  auto at_year = [&](int t) { return fmt::format("{}[{}]", path, sc.year(t)); };
  // A distribution is one value for every year, like a scalar.
  switch (is_distribution(e.value) ? Kind::scalar : e.value.kind) {
    case Kind::scalar: {
      const ParameterSpec param{path, years(1, T)};
      if (auto v = one(e.value, at(e), &param)) out.tail(T) = *v;
      break;
    }
    case Kind::sequence: {
      const int n = static_cast<int>(e.value.size());
      if (period_ok && n != T) {
        diags.error(at(e), "{} has {} value{} but the period has {} projected year{} ({} to {})", lbl, n,
                    n == 1 ? "" : "s", T, T == 1 ? "" : "s", sc.year(1), sc.year(T));
      }
      for (int i = 0; i < n; ++i) {
        const Node& item = e.value.items[static_cast<std::size_t>(i)];
        const ParameterSpec param{i < T ? at_year(i + 1) : std::string(), years(i + 1, i + 1)};
        auto v = one(item, at(item), i < T ? &param : nullptr);
        if (v && i < T) {
          out(i + 1) = *v;
          sc.origins[at_year(i + 1)] = at(item);
        }
      }
      break;
    }
    case Kind::map: {
      int previous = 0;
      bool first = true;
      std::size_t previous_parameter = SIZE_MAX;
      for (const Entry& ye : entries(e.value, lbl)) {
        auto t = projected_year(ye.key_node, at(ye.key_node), fmt::format("a key of {}", lbl));
        std::optional<ParameterSpec> param;
        if (t) param = ParameterSpec{at_year(*t), years(*t, T)};
        const std::size_t registered = sc.parameters.size();
        auto v = one(ye.value, at(ye), param ? &*param : nullptr);
        if (v && t && sc.parameters.size() > registered) {
          // Each value holds until the next key: end the previous one's years there.
          if (previous_parameter != SIZE_MAX) sc.parameters[previous_parameter].target.last = *t - 1;
          previous_parameter = registered;
        }
        if (!t) {
          first = false;
          continue;
        }
        if (first && *t != 1) {
          diags.error(at(ye.key_node), "{} starts at {}; a per-year map must start at the first projected year {}",
                      lbl, sc.year(*t), sc.year(1));
        } else if (!first && *t <= previous) {
          diags.error(at(ye.key_node), "years in {} must increase: {} follows {}", lbl, sc.year(*t),
                      sc.year(previous));
          continue;
        }
        first = false;
        previous = *t;
        if (v) out.tail(T - *t + 1) = *v;
        sc.origins[at_year(*t)] = at(ye);
      }
      break;
    }
    default:
      diags.error(at(e), "expected a rate, a list of rates or a map from year to rate for {}, found nothing", lbl);
  }
  return out;
}

}  // namespace fundgap::input
