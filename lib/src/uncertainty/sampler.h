// Drawing uncertain inputs: counter-based uniforms (Philox, keyed by seed, counting over
// draw and parameter) turned into each input's distribution, correlated groups through a
// Gaussian copula. Private to the library.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include <Random123/philox.h>
#include <Random123/u01fixedpt.h>

#include "fundgap/model/scenario.h"

namespace fundgap::uncertainty {

// A uniform in (0, 1) for (seed, draw, stream): Philox2x64, keyed by the seed, counting
// over (draw, stream). The same triple always gives the same number.
inline double uniform(std::uint64_t seed, std::uint64_t draw, std::uint64_t stream) {
  r123::Philox2x64 philox;
  r123::Philox2x64::ctr_type counter = {{draw, stream}};
  r123::Philox2x64::key_type key = {{seed}};
  return u01fixedpt_open_open_64_double(philox(counter, key).v[0]);
}

// Sets every uncertain parameter of a scenario to its value in one draw.
class Sampler {
 public:
  explicit Sampler(const Scenario& sc);

  // Where draws go in one working scenario: each uncertain input's slots, found once so
  // that a draw writes straight into them, and the copula's scratch vectors.
  struct Target {
    std::vector<std::span<double>> slots;  // by parameter; empty for certain ones
    Eigen::VectorXd z, mixed;
  };
  // REQUIRES: `w` has the structure of the scenario the sampler was built from, and
  // outlives the target (whose slots point into it).
  Target target(Scenario& w) const;
  void draw(Target& target, std::uint64_t seed, std::uint64_t d) const;
  void draw(Scenario& w, std::uint64_t seed, std::uint64_t d) const;

 private:
  const Scenario& sc_;
  std::vector<std::size_t> independent_;
};

}  // namespace fundgap::uncertainty
