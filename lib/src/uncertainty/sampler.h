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

// Draws every uncertain parameter of a scenario, a batch of draws at a time: one input's
// draws side by side, so that its distribution (a PERT table, say) serves a run of draws
// while it is in the cache. Each value depends on (seed, draw, input) alone.
class Sampler {
 public:
  explicit Sampler(const Scenario& sc);

  // The values of draws first .. first + count - 1: row r holds uncertain input
  // inputs()[r] in each of them.
  struct Batch {
    std::uint64_t first = 0;
    std::size_t count = 0;
    std::vector<double> values;  // inputs x count
    Eigen::VectorXd z, mixed;    // the copula's scratch
    std::vector<double> normals;  // a correlated group's members' normals: members x count
    double at(std::size_t row, std::size_t j) const { return values[row * count + j]; }
  };
  void draw(std::uint64_t seed, std::uint64_t first, std::size_t count, Batch& out) const;

  // Where draws go in one working scenario: each uncertain input's slots, found once so
  // that a draw writes straight into them.
  struct Target {
    std::vector<std::span<double>> slots;  // by row of a Batch
  };
  // REQUIRES: `w` has the structure of the scenario the sampler was built from, and
  // outlives the target (whose slots point into it).
  Target target(Scenario& w) const;
  // Writes draw j of `batch` into the target's scenario.
  static void set(Target& target, const Batch& batch, std::size_t j);

  // The uncertain parameters, by index into Scenario::parameters: a Batch's rows.
  const std::vector<std::size_t>& inputs() const { return inputs_; }

 private:
  const Scenario& sc_;
  std::vector<std::size_t> inputs_;
  std::vector<std::size_t> row_of_;       // by parameter: its row, or SIZE_MAX if certain
  std::vector<std::size_t> independent_;  // rows outside any correlated group
};

}  // namespace fundgap::uncertainty
