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
  return pinned(std::move(e), figure_value(p, f, t));
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
  return total(std::move(e));
}

namespace {

// Rows of `rows` entries from `each(add)`, which calls add(row, entry) in the order the
// entries are to keep within a row: counted first, then placed.
template <typename T, typename Each>
void fill_rows(std::size_t rows, std::vector<std::size_t>& offsets, std::vector<T>& entries, const Each& each) {
  offsets.assign(rows + 1, 0);
  each([&](int r, const T&) { ++offsets[static_cast<std::size_t>(r) + 1]; });
  for (std::size_t r = 0; r < rows; ++r) offsets[r + 1] += offsets[r];
  entries.resize(offsets[rows]);
  std::vector<std::size_t> next(offsets.begin(), offsets.end() - 1);
  each([&](int r, const T& v) { entries[next[static_cast<std::size_t>(r)]++] = v; });
}

}  // namespace

std::span<const int> Explainer::schemes_touching(int s) {
  if (schemes_by_service_.offsets.empty())
    fill_rows(sc.services.size(), schemes_by_service_.offsets, schemes_by_service_.entries, [&](const auto& add) {
      for (std::size_t k = 0; k < sc.schemes.size(); ++k) {
        const Scheme& sk = sc.schemes[k];
        const int ki = static_cast<int>(k);
        add(sk.service, ki);
        if (sk.reprovide_service >= 0 && sk.reprovide_service != sk.service) add(sk.reprovide_service, ki);
        if (sk.investment_service >= 0 && sk.investment_service != sk.service &&
            sk.investment_service != sk.reprovide_service)
          add(sk.investment_service, ki);
      }
    });
  return schemes_by_service_.row(s);
}

std::span<const Explainer::FundedShare> Explainer::funded_by(int partner) {
  if (shares_by_partner_.offsets.empty())
    fill_rows(sc.partners.size(), shares_by_partner_.offsets, shares_by_partner_.entries, [&](const auto& add) {
      for (std::size_t s = 0; s < sc.services.size(); ++s)
        for (const FundingShare& fs : sc.services[s].funders) add(fs.partner, FundedShare{static_cast<int>(s), fs.share});
    });
  return shares_by_partner_.row(partner);
}

Explanation explain(const Scenario& scenario, const Projection& projection, const FigureRef& ref) {
  Explainer ex(scenario, projection);
  return ex.figure(ref.figure, ref.year);
}

}  // namespace fundgap
