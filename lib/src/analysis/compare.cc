#include "fundgap/analysis/compare.h"

#include <algorithm>
#include <cmath>

#include "fundgap/base/quantity.h"
#include "fundgap/input/references.h"

namespace fundgap {

std::string default_measure(View view) {
  return std::string(info(view_info(view == View::all ? View::partners : view).headline).name);
}

namespace {

std::optional<int> year_index(const Scenario& sc, FinancialYear y) { return sc.year_index(y); }

// The figure `measure` of entity `id` (of `view`'s kind, or the system) in `sc`, or nothing.
std::optional<Figure> figure_in(const Scenario& sc, const ViewInfo& view, const std::string& id,
                                const std::string& measure) {
  if (id == "system") {
    if (!view.system_total) return std::nullopt;
    return find_figure(sc, EntityKind::system, -1, measure, view.kind);
  }
  const int e = sc.index_of(view.kind, id);
  if (e < 0) return std::nullopt;
  return find_figure(sc, view.kind, e, measure);
}

}  // namespace

std::optional<double> change_fraction(const std::optional<double>& b, const std::optional<double>& o) {
  if (!b || !o || std::fabs(*b) < kSmallestBase) return std::nullopt;
  return (*o - *b) / std::fabs(*b);
}

std::string change_percent_text(const std::optional<double>& fraction) {
  if (!fraction) return "\xE2\x80\x93";  // an en dash
  const std::string text = fmt::format("{:.1f}%", std::fabs(*fraction) * 100);
  if (text == "0.0%") return text;
  return (*fraction < 0 ? "-" : "+") + text;
}

Comparison compare(const Projected& base, const Projected& other, View view, const std::string& measure) {
  const ViewInfo& v = view_info(view);
  Comparison c;
  c.base_name = base.scenario.name;
  c.other_name = other.scenario.name;
  c.currency = base.scenario.currency;
  c.measure = measure;
  for (int t = 0; t < base.scenario.years(); ++t)
    if (year_index(other.scenario, base.scenario.year(t))) c.years.push_back(base.scenario.year(t));
  if (c.years.empty())
    throw InputError(SourceLocation{}, fmt::format("'{}' and '{}' share no year to compare", base.scenario.name,
                                                   other.scenario.name));
  std::vector<std::string> ids;
  for (const Scenario* sc : {&base.scenario, &other.scenario})
    for (int i = 0; i < sc->count(v.kind); ++i)
      if (std::find(ids.begin(), ids.end(), sc->id_of(v.kind, i)) == ids.end()) ids.push_back(sc->id_of(v.kind, i));
  if (v.system_total) ids.push_back("system");
  bool known_measure = false;
  for (const std::string& id : ids) {
    ComparedEntity ce{id, {}, {}};
    for (FinancialYear y : c.years) {
      auto pick = [&](const Projected& s) -> std::optional<double> {
        const std::optional<Figure> f = figure_in(s.scenario, v, id, measure);
        if (!f) return std::nullopt;
        known_measure = true;
        return figure_value(s.projection, *f, *year_index(s.scenario, y));
      };
      ce.base.push_back(pick(base));
      ce.other.push_back(pick(other));
    }
    c.entities.push_back(std::move(ce));
  }
  if (!known_measure && !ids.empty())
    throw InputError(SourceLocation{}, fmt::format("the {} view has no measure '{}'", view_name(view), measure));
  return c;
}

Gate parse_gate(const Scenario& sc, const std::string& text, const std::string& source) {
  auto file = std::make_shared<SourceFile>(SourceFile{source, text});
  const std::size_t eq = text.rfind('=');
  if (eq == std::string::npos)
    throw InputError(SourceLocation{file, 1, 1},
                     fmt::format("expected ENTITY.MEASURE[YEAR]=LIMIT (like system.gap[*]=1m), found '{}'", text));
  const Reference ref = parse_reference(sc, text.substr(0, eq), SourceLocation{file, 1, 1}, true);
  const std::string limit = text.substr(eq + 1);
  const Quantity q = parse_quantity(limit);
  const SourceLocation at{file, 1, utf8_length(std::string_view(text).substr(0, eq)) + 2};
  if (q.error != NumberError::none || limit.empty())
    throw InputError(at, fmt::format("expected a limit (money like 1m, or a percentage like 5%), found '{}'", limit));
  if (q.value < 0) throw InputError(at, "a limit on an increase cannot be negative");
  Gate g{text,      ref.figure.kind, sc.id_of(ref.figure.kind, ref.figure.entity), measure_name(sc, ref.figure),
         std::nullopt, q.value,     q.percent};
  if (ref.year) g.year = sc.year(*ref.year);
  return g;
}

namespace {

// The gate's figure in `sc`: the entity by id, the measure by name.
std::optional<Figure> gate_figure(const Scenario& sc, const Gate& g) {
  if (g.kind == EntityKind::system) return find_figure(sc, EntityKind::system, -1, g.measure);
  const int e = sc.index_of(g.kind, g.entity);
  if (e < 0) return std::nullopt;
  return find_figure(sc, g.kind, e, g.measure);
}

}  // namespace

GateResult evaluate_gate(const Gate& g, const Projected& base, const Projected& other, const std::string& other_file) {
  const std::optional<Figure> bf = gate_figure(base.scenario, g), of = gate_figure(other.scenario, g);
  if (!of)
    throw InputError(SourceLocation{}, fmt::format("--max-increase {}: '{}' has no {}.{}", g.text, other_file,
                                                   g.entity, g.measure));
  GateResult r{g, other_file, true, {}, 0, 0, 0};
  double worst = -HUGE_VAL;
  for (int t = 0; t < base.scenario.years(); ++t) {
    const FinancialYear y = base.scenario.year(t);
    if (g.year && *g.year != y) continue;
    auto j = year_index(other.scenario, y);
    if (!j) continue;
    const double b = figure_value(base.projection, *bf, t), o = figure_value(other.projection, *of, *j);
    const double allowed = g.relative ? g.limit * std::fabs(b) : g.limit;
    // In whole pennies, as checks are.
    const double excess = std::round((o - b) * 100) - std::round(allowed * 100);
    if (excess > worst) {
      worst = excess;
      r.year = y;
      r.base = b;
      r.other = o;
      r.allowed = allowed;
    }
    if (excess > 0) r.passed = false;
  }
  return r;
}

}  // namespace fundgap
