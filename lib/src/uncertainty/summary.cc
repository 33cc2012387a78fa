// A simulation's summaries as a Report: means, quantiles from the histograms, and the
// chance of an adverse outcome.
#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "fundgap/uncertainty/simulation.h"

namespace fundgap {

namespace {

double quantile_of(const SimulationState& s, std::size_t i, double q) {
  if (s.count == 0) return std::numeric_limits<double>::quiet_NaN();
  // Constant but for rounding far below a penny: every quantile is that value.
  if (s.max[i] - s.min[i] < 0.005) return s.min[i];
  const double target = q * static_cast<double>(s.count - 1);
  const std::uint32_t* h = &s.histogram[i * static_cast<std::size_t>(s.bins)];
  double cumulative = 0;
  for (int b = 0; b < s.bins; ++b) {
    const double c = static_cast<double>(h[b]);
    if (c == 0) continue;
    if (cumulative + c > target) {
      double lo = s.bin_low[i] + b * s.bin_width[i], hi = lo + s.bin_width[i];
      if (b == 0) lo = std::min(lo, s.min[i]);
      if (b == s.bins - 1) hi = std::max(hi, s.max[i]);
      lo = std::max(lo, s.min[i]);
      hi = std::min(hi, s.max[i]);
      const double v = lo + (target - cumulative + 0.5) / c * (hi - lo);
      return std::clamp(v, s.min[i], s.max[i]);
    }
    cumulative += c;
  }
  return s.max[i];
}

std::string quantile_name(double q) { return fmt::format("p{:g}", q * 100); }

}  // namespace

Report summarise(const SimulationState& s, const std::vector<double>& quantiles) {
  Report r{s.scenario_name, s.currency, {}, {}, {}};
  for (int t = 0; t <= s.projected_years; ++t) r.years.push_back(s.base_year + t);
  const Eigen::Index Y = s.projected_years + 1;
  ReportSection partners{View::partners, {}}, pools{View::pools, {}};
  for (std::size_t i = 0; i < s.outputs.size(); i += static_cast<std::size_t>(Y)) {
    const SimulationOutput& o = s.outputs[i];
    const bool gap = o.measure == "gap";
    std::string name = o.entity;
    const EntityKind kind = o.entity == "system" ? EntityKind::system : gap ? EntityKind::partner : EntityKind::pool;
    for (const auto& [id, display] : s.names)
      if (id == o.entity) name = display;
    ReportEntity e{o.entity, kind, name, {}};
    Eigen::ArrayXd mean(Y), adverse(Y);
    for (Eigen::Index t = 0; t < Y; ++t) {
      const std::size_t k = i + static_cast<std::size_t>(t);
      // The mean to the penny: an exact sum of pennies, divided once.
      mean(t) = static_cast<double>(s.sum_pennies[k]) / static_cast<double>(s.count) / 100;
      adverse(t) = static_cast<double>(s.adverse[k]) / static_cast<double>(s.count);
    }
    auto series = [](std::string measure, Eigen::ArrayXd values, Unit unit = Unit::money) {
      std::string label = measure;
      return Series{std::move(measure), std::move(label), std::move(values), unit, Adverse::none};
    };
    e.measures.push_back(series(o.measure + "_mean", mean));
    for (double q : quantiles) {
      Eigen::ArrayXd v(Y);
      for (Eigen::Index t = 0; t < Y; ++t) v(t) = quantile_of(s, i + static_cast<std::size_t>(t), q);
      e.measures.push_back(series(o.measure + "_" + quantile_name(q), v));
    }
    e.measures.push_back(series(gap ? "p_shortfall" : "p_overspend", adverse, Unit::probability));
    (gap ? partners : pools).entities.push_back(std::move(e));
  }
  r.sections.push_back(std::move(partners));
  r.sections.push_back(std::move(pools));
  r.notes.push_back(fmt::format("{} draws, seed {}.", s.count, s.seed));
  return r;
}

}  // namespace fundgap
