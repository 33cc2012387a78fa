#include "sampler.h"

#include <algorithm>

#include "fundgap/uncertainty/simulation.h"

namespace fundgap::uncertainty {

Sampler::Sampler(const Scenario& sc) : sc_(sc) {
  std::vector<bool> grouped(sc.parameters.size(), false);
  for (const CorrelationGroup& g : sc.correlations)
    for (int i : g.parameters) grouped[static_cast<std::size_t>(i)] = true;
  for (std::size_t i = 0; i < sc.parameters.size(); ++i)
    if (sc.parameters[i].distribution && !grouped[i]) independent_.push_back(i);
}

void Sampler::draw(Scenario& w, std::uint64_t seed, std::uint64_t d) const {
  for (std::size_t i : independent_) {
    const Parameter& p = sc_.parameters[i];
    set_parameter(w, p.target, p.distribution->sample(uniform(seed, d, i)));
  }
  // Correlated groups: standard normals from the same streams, mixed by the Cholesky
  // factor, back to uniforms (a Gaussian copula), then each input's own distribution.
  for (const CorrelationGroup& g : sc_.correlations) {
    const Eigen::Index k = static_cast<Eigen::Index>(g.parameters.size());
    Eigen::VectorXd z(k);
    for (Eigen::Index j = 0; j < k; ++j)
      z(j) = normal_quantile_fast(uniform(seed, d, static_cast<std::uint64_t>(g.parameters[static_cast<std::size_t>(j)])));
    const Eigen::VectorXd mixed = g.cholesky.triangularView<Eigen::Lower>() * z;
    for (Eigen::Index j = 0; j < k; ++j) {
      const Parameter& p = sc_.parameters[static_cast<std::size_t>(g.parameters[static_cast<std::size_t>(j)])];
      const double u = std::clamp(normal_cdf(mixed(j)), 1e-300, 1 - 1e-16);
      set_parameter(w, p.target, p.distribution->sample(u));
    }
  }
}

}  // namespace fundgap::uncertainty

namespace fundgap {

double parameter_draw(const Scenario& sc, std::size_t parameter, std::uint64_t seed, std::uint64_t draw) {
  Scenario w = sc;
  uncertainty::Sampler(sc).draw(w, seed, draw);
  return parameter_value(w, sc.parameters[parameter].target);
}

}  // namespace fundgap
