// One thread's running summaries of the draws it adds: exact penny sums, extremes, the
// count of adverse outcomes and histograms. Private to the library.
#pragma once

#include <algorithm>
#include <cmath>
#include <vector>

#include "fundgap/uncertainty/simulation.h"

namespace fundgap::uncertainty {

// One thread's running summaries; cache-line aligned so threads never share a line.
struct alignas(64) Accumulator {
  std::vector<Int128> sum;
  std::vector<double> min, max;
  std::vector<std::uint64_t> adverse;
  std::vector<std::uint32_t> histogram;
  std::uint64_t count = 0;

  std::vector<double> inverse_width;

  Accumulator(std::size_t n, const SimulationState& s)
      : sum(n, 0), min(n, HUGE_VAL), max(n, -HUGE_VAL), adverse(n, 0), histogram(n * SimulationState::kBins, 0) {
    for (double w : s.bin_width) inverse_width.push_back(1 / w);
  }

  // `gap[i]`: output i is a gap (adverse when above zero), else a balance (below zero).
  void add(const std::vector<double>& v, const std::vector<char>& gap, const SimulationState& s) {
    ++count;
    for (std::size_t i = 0; i < v.size(); ++i) {
      const double pennies = std::round(v[i] * 100);
      sum[i] += static_cast<Int128>(pennies);
      min[i] = std::min(min[i], v[i]);
      max[i] = std::max(max[i], v[i]);
      if (gap[i] ? pennies > 0 : pennies < 0) ++adverse[i];
      const double pos = (v[i] - s.bin_low[i]) * inverse_width[i];
      const auto bin = static_cast<std::size_t>(std::clamp(pos, 0.0, double{SimulationState::kBins - 1}));
      ++histogram[i * SimulationState::kBins + bin];
    }
  }
};

// Adds `a`'s draws to `s`.
void add_accumulator(SimulationState& s, const Accumulator& a);

}  // namespace fundgap::uncertainty
