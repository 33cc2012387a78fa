// What every stage's explanations are built with: the figure dispatcher and the node
// builders. Private to the library.
#pragma once

#include <span>
#include <string>
#include <utility>
#include <vector>

#include "fundgap/model/explanation.h"

namespace fundgap {

class Explainer {
 public:
  Explainer(const Scenario& scenario, const Projection& projection) : sc(scenario), p(projection) {}

  const Scenario& sc;
  const Projection& p;

  // How `figure` in year t is built: by the explain function of its catalogue row, or
  // for the system the sum over the entities of its measure's kind.
  Explanation figure(const Figure& figure, int t);
  Explanation figure(Measure m, int entity, int t, int partner = -1);

  // "council.gap[2021/22]".
  std::string ref(const Figure& f, int t) const { return figure_text(sc, f, t); }

  using Op = Explanation::Op;
  using Unit = Explanation::Unit;

  static Explanation sum(std::string label, std::string formula);
  static Explanation product(std::string label, std::string formula);
  // A value given in the scenario, located at `origin_path` (none when empty).
  Explanation leaf(std::string label, double value, Unit unit, const std::string& origin_path) const;
  // Sets the value of a sum or product node from its children.
  static Explanation total(Explanation e);
  // A figure that `run` reports carries run's own number, so the two agree exactly; its
  // children still add up to it (to rounding far below a penny).
  static Explanation pinned(Explanation e, double reported);
  static Explanation with(Explanation e, double coefficient);
  // base x (1 + rate) for each year to t, each rate from its own per-year origin.
  Explanation compounded(std::string label, double base, const std::string& base_path,
                         const std::vector<std::pair<std::string, const Eigen::ArrayXd*>>& rates, int t) const;

  // The schemes that save on, re-provide into or invest in service s, in scheme order,
  // and the (service, share) pairs a partner funds, in service order: built once, on
  // first use, so that explaining every service or partner stays linear in their number.
  std::span<const int> schemes_touching(int s);
  struct FundedShare {
    int service;
    double share;
  };
  std::span<const FundedShare> funded_by(int partner);

 private:
  // Compressed rows: row r's entries are entries[offsets[r] .. offsets[r + 1]).
  template <typename T>
  struct Rows {
    std::vector<std::size_t> offsets;
    std::vector<T> entries;
    std::span<const T> row(int r) const {
      const auto i = static_cast<std::size_t>(r);
      return {entries.data() + offsets[i], offsets[i + 1] - offsets[i]};
    }
  };
  Rows<int> schemes_by_service_;
  Rows<FundedShare> shares_by_partner_;
};

}  // namespace fundgap
