#include "fundgap/analysis/whatif.h"

#include <algorithm>
#include <span>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>

#include "fundgap/model/batch.h"
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
// copy, none copied. A figure a gaps run gives comes from the batch kernel, kLanes
// variations at a time, where it takes the scenario, else from an engine that recomputes
// only what the inputs reach (Engine::rerun); any other figure, or any figure of a
// scenario with delegations (whose floors and caps only a full run checks), from a full run.
class Variations {
 public:
  // One input (by its index in the targets) set to `value`, the others left as they are.
  struct Change {
    std::size_t input;
    double value;
  };

  Variations(const Scenario& sc, const std::vector<ParameterTarget>& targets, const FigureRef& ref)
      : w_(sc), engine_(sc, targets), targets_(targets), ref_(ref),
        gaps_(computed_in(ref.figure, Detail::gaps) && sc.delegations.empty()) {
    primed_ = gaps_ && engine_.run(w_, p_, Detail::gaps).ok();
    if (!primed_) return;
    // The kernel sets every input in every lane: to its own value where a lane leaves it,
    // which one number stands for only when its slots hold one value and no two inputs
    // share a slot.
    std::vector<const double*> slots;
    for (const ParameterTarget& t : targets_) {
      const std::span<double> own = parameter_slots(w_, t);
      base_.push_back(own.front());
      uniform_.push_back(std::all_of(own.begin(), own.end(), [&](const double& v) {  // bit for bit: 0 is not -0
        return std::memcmp(&v, &own.front(), sizeof v) == 0;
      }));
      for (const double& v : own) slots.push_back(&v);
    }
    std::sort(slots.begin(), slots.end());
    if (std::adjacent_find(slots.begin(), slots.end()) != slots.end()) return;
    batch_ = std::make_unique<BatchEngine>(sc, targets_);
    if (!batch_->usable()) batch_.reset();
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

  // The figure with each change alone, as figure_with() gives it, or NaN where the change
  // makes the scenario bad input (figure_with() says why).
  std::vector<double> figures_with(std::span<const Change> changes) {
    std::vector<double> out(changes.size(), std::numeric_limits<double>::quiet_NaN());
    std::vector<char> done(changes.size(), 0);
    if (batch_) {
      const std::size_t rows = targets_.size();
      std::vector<double> values(rows * kLanes);
      std::vector<char> ok(kLanes), set(rows * kLanes);
      for (std::size_t at = 0; at < changes.size(); at += kLanes) {
        const std::size_t n = std::min(kLanes, changes.size() - at);
        std::fill(set.begin(), set.end(), 0);
        for (std::size_t j = 0; j < n; ++j) set[changes[at + j].input * kLanes + j] = 1;
        bool held = true;  // whether each input a lane leaves is one number
        for (std::size_t r = 0; r < rows; ++r)
          for (std::size_t j = 0; j < n; ++j) {
            values[r * kLanes + j] = set[r * kLanes + j] ? changes[at + j].value : base_[r];
            held = held && (set[r * kLanes + j] || uniform_[r]);
          }
        if (!held) continue;
        batch_->run(values.data(), kLanes, n, ok.data());
        const double* figure = batch_->lanes(ref_.figure, ref_.year);
        for (std::size_t j = 0; j < n; ++j)
          if (ok[j]) {
            out[at + j] = figure[j];
            done[at + j] = 1;
          }
      }
    }
    for (std::size_t i = 0; i < changes.size(); ++i) {
      if (done[i]) continue;
      try {
        out[i] = figure_with(targets_[changes[i].input], changes[i].value);
      } catch (const InputError&) {
      }
    }
    return out;
  }

 private:
  Scenario w_;
  Engine engine_;
  std::vector<ParameterTarget> targets_;
  FigureRef ref_;
  bool gaps_, primed_ = false;
  Projection p_;
  std::unique_ptr<BatchEngine> batch_;  // when it takes the scenario and the inputs
  std::vector<double> base_;            // each input's own value
  std::vector<char> uniform_;           // whether its slots hold that one value
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
  // Each input's two ends: the uncertain inputs' P10 and P90, then each certain input
  // 10% down and up. All swings are projected as one batch; a swing that makes the scenario
  // bad input is projected again alone, to say why.
  struct End {
    const Parameter* p;
    const char* range;
    const char* low_name;
    const char* high_name;
    double low, high;
  };
  std::vector<End> ends;
  for (const Parameter& p : sc.parameters)
    if (p.distribution)
      ends.push_back({&p, "P10 to P90", "P10", "P90", p.distribution->truncated_quantile(0.1),
                      p.distribution->truncated_quantile(0.9)});
  for (const std::string& path : certain) {
    const Parameter& p = find_parameter(sc, path, "--input");
    ends.push_back({&p, "-10% to +10%", "-10%", "+10%", p.value * 0.9, p.value * 1.1});
  }
  std::vector<ParameterTarget> swung_inputs;
  std::vector<Variations::Change> changes;
  for (std::size_t i = 0; i < ends.size(); ++i) {
    swung_inputs.push_back(ends[i].p->target);
    changes.push_back({i, ends[i].low});
    changes.push_back({i, ends[i].high});
  }
  Variations variations(sc, swung_inputs, ref);
  const std::vector<double> figures = variations.figures_with(changes);
  std::vector<Swing> out;
  for (std::size_t i = 0; i < ends.size(); ++i) {
    const End& e = ends[i];
    const double at_low = std::isnan(figures[2 * i]) ? swung(variations, sc, *e.p, e.low, e.low_name) : figures[2 * i];
    const double at_high =
        std::isnan(figures[2 * i + 1]) ? swung(variations, sc, *e.p, e.high, e.high_name) : figures[2 * i + 1];
    out.push_back({e.p->path, e.p->where, e.range, e.low, e.high, at_low, at_high, input_text(sc, *e.p, e.low),
                   input_text(sc, *e.p, e.high)});
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
  // Scan the range for sign changes, its points projected as one batch; keep the bracket
  // nearest the input's own value.
  constexpr int kSteps = 200;
  std::vector<Variations::Change> scan{{0, s.low}};
  for (int i = 1; i <= kSteps; ++i) scan.push_back({0, s.low + (s.high - s.low) * i / kSteps});
  const std::vector<double> scanned = variations.figures_with(scan);
  double best_distance = HUGE_VAL, a = 0, b = 0, fa = 0, fb = 0;
  s.figure_low = HUGE_VAL;
  s.figure_high = -HUGE_VAL;
  double x0 = s.low, f0 = scanned[0] - goal;
  for (int i = 1; i <= kSteps; ++i) {
    const double x1 = scan[static_cast<std::size_t>(i)].value, f1 = scanned[static_cast<std::size_t>(i)] - goal;
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
