// The explanation dispatcher and node builders; each figure's own explanation is in the
// file of the stage that computes it.
#include "explainer.h"

#include <fmt/format.h>

#include "fundgap/base/quantity.h"

namespace fundgap {

Explanation Explainer::figure(const Figure& f, int t) {
  if (f.kind != EntityKind::system) return info(f.measure).explain(*this, f, t);
  // The system: the sum over the entities of the measure's kind.
  const EntityKind kind = info(f.measure).kind;
  Explanation e = sum(ref(f, t), fmt::format("the sum over {}", kind == EntityKind::service ? "services" : "partners"));
  for (int i = 0; i < sc.count(kind); ++i) e.children.push_back(figure({f.measure, kind, i, -1}, t));
  return pinned(e, figure_value(p, f, t));
}

Explanation Explainer::figure(Measure m, int entity, int t, int partner) {
  return figure({m, info(m).kind, entity, partner}, t);
}

Explanation Explainer::sum(std::string label, std::string formula) {
  Explanation e;
  e.label = std::move(label);
  e.op = Op::sum;
  e.formula = std::move(formula);
  return e;
}

Explanation Explainer::product(std::string label, std::string formula) {
  Explanation e = sum(std::move(label), std::move(formula));
  e.op = Op::product;
  return e;
}

Explanation Explainer::leaf(std::string label, double value, Unit unit, const std::string& origin_path) const {
  Explanation e;
  e.label = std::move(label);
  e.value = value;
  e.unit = unit;
  if (!origin_path.empty()) e.where = sc.origin(origin_path);
  return e;
}

Explanation Explainer::total(Explanation e) {
  e.value = 0;
  if (e.op == Op::product) {
    e.value = 1;
    for (const Explanation& c : e.children) e.value *= c.value;
  } else {
    for (const Explanation& c : e.children) e.value += c.coefficient * c.value;
  }
  return e;
}

Explanation Explainer::pinned(Explanation e, double reported) {
  e = total(std::move(e));
  e.value = reported;
  return e;
}

Explanation Explainer::with(Explanation e, double coefficient) {
  e.coefficient = coefficient;
  return e;
}

Explanation Explainer::compounded(std::string label, double base, const std::string& base_path,
                                  const std::vector<std::pair<std::string, const Eigen::ArrayXd*>>& rates, int t) const {
  Explanation e = product(std::move(label), "base-year figure compounded year by year");
  e.children.push_back(leaf("base-year figure", base, Unit::money, base_path));
  for (int y = 1; y <= t; ++y)
    for (const auto& [path, values] : rates) {
      const double r = (*values)(y);
      if (r == 0) continue;
      const std::string name = path.substr(path.rfind('.') + 1);
      e.children.push_back(leaf(fmt::format("1 + {} {} ({})", name, percent_text(r), sc.year(y)), 1 + r, Unit::factor,
                                fmt::format("{}[{}]", path, sc.year(y))));
    }
  return total(e);
}

Explanation explain(const Scenario& scenario, const Projection& projection, const FigureRef& ref) {
  Explainer ex(scenario, projection);
  return ex.figure(ref.figure, ref.year);
}

}  // namespace fundgap
