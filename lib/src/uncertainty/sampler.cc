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

Sampler::Target Sampler::target(Scenario& w) const {
  Target t;
  t.slots.resize(sc_.parameters.size());
  for (std::size_t i = 0; i < sc_.parameters.size(); ++i)
    if (sc_.parameters[i].distribution) t.slots[i] = parameter_slots(w, sc_.parameters[i].target);
  return t;
}

void Sampler::draw(Target& target, std::uint64_t seed, std::uint64_t d) const {
  auto set = [&](std::size_t i, double v) {
    for (double& slot : target.slots[i]) slot = v;
  };
  for (std::size_t i : independent_) set(i, sc_.parameters[i].distribution->sample(uniform(seed, d, i)));
  // Correlated groups: standard normals from the same streams, mixed by the Cholesky
  // factor, back to uniforms (a Gaussian copula), then each input's own distribution.
  Eigen::VectorXd& z = target.z;
  Eigen::VectorXd& mixed = target.mixed;
  for (const CorrelationGroup& g : sc_.correlations) {
    const Eigen::Index k = static_cast<Eigen::Index>(g.parameters.size());
    z.resize(k);
    mixed.resize(k);
    for (Eigen::Index j = 0; j < k; ++j)
      z(j) = normal_quantile_fast(uniform(seed, d, static_cast<std::uint64_t>(g.parameters[static_cast<std::size_t>(j)])));
    mixed.noalias() = g.cholesky.triangularView<Eigen::Lower>() * z;
    for (Eigen::Index j = 0; j < k; ++j) {
      const auto i = static_cast<std::size_t>(g.parameters[static_cast<std::size_t>(j)]);
      const double u = std::clamp(normal_cdf(mixed(j)), 1e-300, 1 - 1e-16);
      set(i, sc_.parameters[i].distribution->sample(u));
    }
  }
}

void Sampler::draw(Scenario& w, std::uint64_t seed, std::uint64_t d) const {
  Target t = target(w);
  draw(t, seed, d);
}

}  // namespace fundgap::uncertainty

namespace fundgap {

double parameter_draw(const Scenario& sc, std::size_t parameter, std::uint64_t seed, std::uint64_t draw) {
  Scenario w = sc;
  uncertainty::Sampler(sc).draw(w, seed, draw);
  return parameter_value(w, sc.parameters[parameter].target);
}

}  // namespace fundgap
