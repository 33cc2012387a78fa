#include "fundgap/analysis/whatif.h"

#include <algorithm>
#include <span>
#include <cmath>
#include <limits>

#include "fundgap/model/projection.h"

namespace fundgap {

double projected_value(const Scenario& sc, const FigureRef& ref) {
  return figure_value(project(sc), ref.figure, ref.year);
}

namespace {

InputError no_input(const Scenario& sc, const std::string& path, const std::string& source, const char* whole) {
  auto file = std::make_shared<SourceFile>(SourceFile{source, path});
  const std::vector<const Parameter*> parts = parameters_within(sc, path);
  if (!parts.empty()) {
    std::string forms;
    for (std::size_t i = 0; i < parts.size(); ++i)
      forms += fmt::format("{}'{}'", i == 0 ? "" : i + 1 == parts.size() ? " or " : ", ", parts[i]->path);
    return InputError(SourceLocation{file, 1, utf8_length(path) + 1},
                      fmt::format("'{}' is given {}{}: name one of {}", path,
                                  path.ends_with("ramp") ? "value by value" : "year by year", whole, forms));
  }
  std::vector<std::string> paths;
  for (const Parameter& p : sc.parameters) paths.push_back(p.path);
  return InputError(SourceLocation{file, 1, 1}, fmt::format("no numeric input at '{}'{}", path, did_you_mean(path, paths)));
}

}  // namespace

const Parameter& find_parameter(const Scenario& sc, const std::string& path, const std::string& source) {
  for (const Parameter& p : sc.parameters)
    if (p.path == path) return p;
  throw no_input(sc, path, source, "");
}

Parameter whole_parameter(const Scenario& sc, const std::string& path, const std::string& source) {
  for (const Parameter& p : sc.parameters)
    if (p.path == path) return p;
  // One run of years of one field: the years of a list, or of a year map whose values hold.
  const std::vector<const Parameter*> parts = parameters_within(sc, path);
  bool same = !parts.empty(), run = true;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const ParameterTarget &a = parts[i]->target, &b = parts.front()->target;
    same = same && a.field == b.field && a.entity == b.entity && a.index == b.index && parts[i]->kind == parts[0]->kind;
    run = run && (i == 0 || a.first == parts[i - 1]->target.last + 1);
  }
  if (!same) throw no_input(sc, path, source, "");
  if (!run) throw no_input(sc, path, source, " in some years only");
  Parameter whole = *parts.front();
  whole.path = path;
  whole.distribution.reset();
  whole.target.last = parts.back()->target.last;
  return whole;
}

namespace {

std::string input_text(const Scenario& sc, const Parameter& p, double v) { return value_text(p.kind, v, sc.currency, 4); }

// Projections of a scenario with one input at a time set to another value, on one working
// copy, none copied. A figure a gaps run gives comes from an engine that recomputes only
// what the inputs reach (Engine::rerun); any other figure, or any figure of a scenario with
// delegations (whose floors and caps only a full run checks), from a full run.
class Variations {
 public:
  Variations(const Scenario& sc, const std::vector<ParameterTarget>& targets, const FigureRef& ref)
      : w_(sc), engine_(sc, targets), ref_(ref),
        gaps_(computed_in(ref.figure, Detail::gaps) && sc.delegations.empty()) {
    primed_ = gaps_ && engine_.run(w_, p_, Detail::gaps).ok();
  }

  // The figure with `target` set to v. Throws InputError when v makes the scenario bad input.
  double figure_with(const ParameterTarget& target, double v) {
    const std::span<double> slots = parameter_slots(w_, target);
    const std::vector<double> own(slots.begin(), slots.end());
    std::fill(slots.begin(), slots.end(), v);
    const ProjectionStatus status =
        primed_ ? engine_.rerun(w_, p_) : engine_.run(w_, p_, gaps_ ? Detail::gaps : Detail::full);
    Diagnostics bad = status.ok() ? Diagnostics{} : status_diagnostics(w_, status);
    std::copy(own.begin(), own.end(), slots.begin());
    if (!status.ok()) throw InputError(bad);
    return figure_value(p_, ref_.figure, ref_.year);
  }

 private:
  Scenario w_;
  Engine engine_;
  FigureRef ref_;
  bool gaps_, primed_ = false;
  Projection p_;
};

// The same, for a swing: a swing that makes the scenario bad input says so.
double swung(Variations& variations, const Scenario& sc, const Parameter& p, double v, const char* end) {
  try {
    return variations.figure_with(p.target, v);
  } catch (const InputError& e) {
    Diagnostics d;
    for (const Diagnostic& x : e.diagnostics().list())
      d.add({x.where, fmt::format("{} (with {} at its {}, {})", x.message, p.path, end, input_text(sc, p, v))});
    throw InputError(d);
  }
}


}  // namespace

std::vector<Swing> sensitivity(const Scenario& sc, const FigureRef& ref, const std::vector<std::string>& certain) {
  std::vector<Swing> out;
  std::vector<ParameterTarget> swung_inputs;
  for (const Parameter& p : sc.parameters)
    if (p.distribution) swung_inputs.push_back(p.target);
  for (const std::string& path : certain) swung_inputs.push_back(find_parameter(sc, path, "--input").target);
  Variations variations(sc, swung_inputs, ref);
  for (const Parameter& p : sc.parameters) {
    if (!p.distribution) continue;
    const double low = p.distribution->truncated_quantile(0.1), high = p.distribution->truncated_quantile(0.9);
    out.push_back({p.path, p.where, "P10 to P90", low, high, swung(variations, sc, p, low, "P10"),
                   swung(variations, sc, p, high, "P90"), input_text(sc, p, low), input_text(sc, p, high)});
  }
  for (const std::string& path : certain) {
    const Parameter& p = find_parameter(sc, path, "--input");
    const double low = p.value * 0.9, high = p.value * 1.1;
    out.push_back({p.path, p.where, "-10% to +10%", low, high, swung(variations, sc, p, low, "-10%"),
                   swung(variations, sc, p, high, "+10%"), input_text(sc, p, low), input_text(sc, p, high)});
  }
  std::stable_sort(out.begin(), out.end(), [](const Swing& a, const Swing& b) { return a.size() > b.size(); });
  return out;
}

Solution solve(const Scenario& sc, const std::string& path, const FigureRef& ref, double goal,
               std::optional<std::pair<double, double>> range) {
  const Parameter p = whole_parameter(sc, path, "--vary");
  Solution s;
  s.original = p.value;
  {
    Scenario w = sc;
    const std::span<double> years = parameter_slots(w, p.target);
    s.original_low = *std::min_element(years.begin(), years.end());
    s.original_high = *std::max_element(years.begin(), years.end());
  }
  s.original_figure = projected_value(sc, ref);
  if (range) {
    std::tie(s.low, s.high) = *range;
  } else if (p.kind == ValueKind::share) {
    s.low = 0, s.high = 1;
  } else if (p.kind == ValueKind::rate) {
    s.low = -0.99, s.high = 1;
  } else {
    s.low = 0, s.high = std::max(1e6, 10 * std::fabs(p.value));
  }
  // f(x) = figure - goal; undefined where the scenario is bad input (savings above spend).
  Variations variations(sc, {p.target}, ref);
  auto f = [&](double x) {
    try {
      return variations.figure_with(p.target, x) - goal;
    } catch (const InputError&) {
      return std::numeric_limits<double>::quiet_NaN();
    }
  };
  // Scan the range for sign changes; keep the bracket nearest the input's own value.
  constexpr int kSteps = 200;
  double best_distance = HUGE_VAL, a = 0, b = 0, fa = 0, fb = 0;
  s.figure_low = HUGE_VAL;
  s.figure_high = -HUGE_VAL;
  double x0 = s.low, f0 = f(x0);
  for (int i = 1; i <= kSteps; ++i) {
    const double x1 = s.low + (s.high - s.low) * i / kSteps, f1 = f(x1);
    for (double v : {f0, f1})
      if (std::isfinite(v)) {
        s.figure_low = std::min(s.figure_low, v + goal);
        s.figure_high = std::max(s.figure_high, v + goal);
      }
    if (std::isfinite(f0) && std::isfinite(f1) && (f0 == 0 || (f0 < 0) != (f1 < 0))) {
      const double distance = std::min(std::fabs(x0 - s.original), std::fabs(x1 - s.original));
      if (distance < best_distance) {
        best_distance = distance;
        a = x0, b = x1, fa = f0, fb = f1;
      }
    }
    x0 = x1;
    f0 = f1;
  }
  if (!std::isfinite(best_distance)) return s;
  // Bisection with a secant guess (Illinois-style) inside the bracket.
  for (int it = 0; it < 200 && fa != 0; ++it) {
    double x = b - fb * (b - a) / (fb - fa);
    if (!(x > std::min(a, b) && x < std::max(a, b))) x = (a + b) / 2;
    const double fx = f(x);
    if (!std::isfinite(fx)) break;
    if ((fx < 0) == (fa < 0)) {
      a = x, fa = fx;
      fb /= 2;
    } else {
      b = x, fb = fx;
      fa /= 2;
    }
    if (std::fabs(fx) < 1e-5 || std::fabs(b - a) < 1e-15 * std::max(1.0, std::fabs(x))) break;
  }
  s.value = std::fabs(f(a)) < std::fabs(f(b)) ? a : b;
  s.achieved = f(s.value) + goal;
  s.found = std::fabs(s.achieved - goal) < 0.01;
  return s;
}

}  // namespace fundgap
