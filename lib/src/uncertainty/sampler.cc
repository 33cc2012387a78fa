#include "sampler.h"

#include <algorithm>

#include "fundgap/uncertainty/simulation.h"

namespace fundgap::uncertainty {

Sampler::Sampler(const Scenario& sc) : sc_(sc), row_of_(sc.parameters.size(), SIZE_MAX) {
  std::vector<bool> grouped(sc.parameters.size(), false);
  for (const CorrelationGroup& g : sc.correlations)
    for (int i : g.parameters) grouped[static_cast<std::size_t>(i)] = true;
  for (std::size_t i = 0; i < sc.parameters.size(); ++i) {
    if (!sc.parameters[i].distribution) continue;
    row_of_[i] = inputs_.size();
    if (!grouped[i]) independent_.push_back(inputs_.size());
    inputs_.push_back(i);
  }
}

Sampler::Target Sampler::target(Scenario& w) const {
  Target t;
  for (std::size_t i : inputs_) t.slots.push_back(parameter_slots(w, sc_.parameters[i].target));
  return t;
}

void Sampler::set(Target& target, const Batch& batch, std::size_t j) {
  for (std::size_t r = 0; r < target.slots.size(); ++r) {
    const double v = batch.at(r, j);
    for (double& slot : target.slots[r]) slot = v;
  }
}

void Sampler::draw(std::uint64_t seed, std::uint64_t first, std::size_t count, Batch& out) const {
  out.first = first;
  out.count = count;
  out.values.resize(inputs_.size() * count);
  auto row = [&](std::size_t r) { return out.values.data() + r * count; };
  // A row of uniforms, then the input's distribution over the whole row.
  auto uniforms = [&](double* v, std::size_t stream) {
    for (std::size_t j = 0; j < count; ++j) v[j] = uniform(seed, first + j, stream);
  };
  for (std::size_t r : independent_) {
    const std::size_t i = inputs_[r];
    double* v = row(r);
    uniforms(v, i);
    sc_.parameters[i].distribution->sample(std::span<double>(v, count));
  }
  // Correlated groups: standard normals from the same streams, mixed by the Cholesky
  // factor, back to uniforms (a Gaussian copula), then each input's own distribution.
  Eigen::VectorXd& z = out.z;
  Eigen::VectorXd& mixed = out.mixed;
  for (const CorrelationGroup& g : sc_.correlations) {
    const Eigen::Index k = static_cast<Eigen::Index>(g.parameters.size());
    z.resize(k);
    mixed.resize(k);
    auto member = [&](Eigen::Index m) { return static_cast<std::size_t>(g.parameters[static_cast<std::size_t>(m)]); };
    // Each member's normals of the batch, a row of `normals` at a time.
    out.normals.resize(static_cast<std::size_t>(k) * count);
    for (Eigen::Index m = 0; m < k; ++m) {
      double* v = out.normals.data() + static_cast<std::size_t>(m) * count;
      uniforms(v, member(m));
      normal_quantiles_fast(std::span<double>(v, count));
    }
    for (std::size_t j = 0; j < count; ++j) {
      for (Eigen::Index m = 0; m < k; ++m) z(m) = out.normals[static_cast<std::size_t>(m) * count + j];
      mixed.noalias() = g.cholesky.triangularView<Eigen::Lower>() * z;
      for (Eigen::Index m = 0; m < k; ++m)
        row(row_of_[member(m)])[j] = std::clamp(normal_cdf(mixed(m)), 1e-300, 1 - 1e-16);
    }
    for (Eigen::Index m = 0; m < k; ++m)
      sc_.parameters[member(m)].distribution->sample(std::span<double>(row(row_of_[member(m)]), count));
  }
}

}  // namespace fundgap::uncertainty

namespace fundgap {

double parameter_draw(const Scenario& sc, std::size_t parameter, std::uint64_t seed, std::uint64_t draw) {
  const uncertainty::Sampler sampler(sc);
  uncertainty::Sampler::Batch batch;
  sampler.draw(seed, draw, 1, batch);
  Scenario w = sc;
  uncertainty::Sampler::Target target = sampler.target(w);
  uncertainty::Sampler::set(target, batch, 0);
  return parameter_value(w, sc.parameters[parameter].target);
}

}  // namespace fundgap
