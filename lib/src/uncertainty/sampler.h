// Drawing uncertain inputs: counter-based uniforms (Philox, keyed by seed, counting over
// draw and parameter) turned into each input's distribution, correlated groups through a
// Gaussian copula. Private to the library.
#pragma once

#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

#include <Random123/philox.h>

#include "fundgap/model/scenario.h"

namespace fundgap::uncertainty {

// 64 random bits for (seed, draw, stream): Philox4x32-10, keyed by the seed, counting over
// (draw / 2, stream); one call's 128 bits are two draws', the first 64 (words 0 and 1) the
// even draw's, the last 64 the odd one's. The same triple always gives the same bits.
inline std::uint64_t uniform_bits(std::uint64_t seed, std::uint64_t draw, std::uint64_t stream) {
  r123::Philox4x32 philox;
  const std::uint64_t pair = draw >> 1;
  const r123::Philox4x32::ctr_type counter = {{static_cast<std::uint32_t>(pair), static_cast<std::uint32_t>(pair >> 32),
                                               static_cast<std::uint32_t>(stream), static_cast<std::uint32_t>(stream >> 32)}};
  const r123::Philox4x32::key_type key = {{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}};
  const r123::Philox4x32::ctr_type w = philox(counter, key);
  const std::size_t at = (draw & 1) * 2;
  return std::uint64_t{w.v[at]} | std::uint64_t{w.v[at + 1]} << 32;
}
// 64 random bits as a uniform in (0, 1): their top 52, k, as (2k + 1) 2^-53, so that every
// value is exact and none is 0 or 1. It is the double in [1, 2) whose fraction is k, less
// 1 - 2^-53 (both exact), as a vector of them computes it too.
inline double unit_interval(std::uint64_t bits) {
  const std::uint64_t one = (bits >> 12) | 0x3FF0000000000000ull;
  double x;
  std::memcpy(&x, &one, sizeof x);
  return x - (1 - 0x1p-53);
}
// The uniform in (0, 1) for (seed, draw, stream).
inline double uniform(std::uint64_t seed, std::uint64_t draw, std::uint64_t stream) {
  return unit_interval(uniform_bits(seed, draw, stream));
}
// uniform(seed, first + j, stream) for j = 0 .. count - 1, into v: on x86-64, four calls of
// Philox at a time, two to a register.
void uniforms(std::uint64_t seed, std::uint64_t first, std::size_t count, std::uint64_t stream, double* v);

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
    std::vector<double> normals;  // a correlated group's members' normals: members x count (the copula's scratch)
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
