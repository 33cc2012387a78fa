// One thread's running summaries of the draws it adds: exact penny sums, extremes, the
// count of adverse outcomes and histograms. Private to the library.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "fundgap/uncertainty/simulation.h"

namespace fundgap::uncertainty {

// x rounded to the nearest integer, halves away from zero (std::round), as an integer.
// REQUIRES: |x| < 2^52. Exact: x - trunc(x) is representable for such x.
inline std::int64_t round_to_integer(double x) {
  auto n = static_cast<std::int64_t>(x);  // truncates towards zero
  const double rest = x - static_cast<double>(n);
  n += (rest >= 0.5) - (rest <= -0.5);
  return n;
}

// One thread's running summaries; cache-line aligned so threads never share a line.
struct alignas(64) Accumulator {
  // Penny sums: a draw's pennies go into 64-bit partial sums, moved into the 128-bit
  // totals every kFlush draws, so that no 128-bit arithmetic runs per value. Values of
  // 2^52 pennies or more (£45 trillion) go straight into the totals. Integer sums are
  // exact, so the order of addition still does not matter.
  static constexpr std::uint64_t kFlush = 1024;  // 1024 x 2^52 < 2^63: no overflow
  std::vector<Int128> sum;
  std::vector<std::int64_t> partial;
  std::uint64_t pending = 0;  // draws in `partial`
  std::vector<double> min, max;
  std::vector<std::uint64_t> adverse;
  std::vector<std::uint32_t> histogram;
  std::uint64_t count = 0;

  std::vector<double> inverse_width;

  Accumulator(std::size_t n, const SimulationState& s)
      : sum(n, 0), partial(n, 0), min(n, HUGE_VAL), max(n, -HUGE_VAL), adverse(n, 0),
        histogram(n * static_cast<std::size_t>(s.bins), 0) {
    for (double w : s.bin_width) inverse_width.push_back(1 / w);
  }

  // `gap[i]`: output i is a gap (adverse when above zero), else a balance (below zero).
  void add(const std::vector<double>& v, const std::vector<char>& gap, const SimulationState& s) {
    ++count;
    for (std::size_t i = 0; i < v.size(); ++i) {
      const double scaled = v[i] * 100;
      std::int64_t pennies;
      if (std::fabs(scaled) < 0x1p52) {
        pennies = round_to_integer(scaled);
        partial[i] += pennies;
      } else {
        const double rounded = std::round(scaled);
        sum[i] += static_cast<Int128>(rounded);
        pennies = rounded > 0 ? 1 : rounded < 0 ? -1 : 0;  // only its sign is used below
      }
      min[i] = std::min(min[i], v[i]);
      max[i] = std::max(max[i], v[i]);
      if (gap[i] ? pennies > 0 : pennies < 0) ++adverse[i];
      const double pos = (v[i] - s.bin_low[i]) * inverse_width[i];
      const auto bin = static_cast<std::int64_t>(std::clamp(pos, 0.0, static_cast<double>(s.bins - 1)));
      ++histogram[i * static_cast<std::size_t>(s.bins) + static_cast<std::size_t>(bin)];
    }
    if (++pending == kFlush) flush();
  }

  // Moves the partial sums into the totals.
  void flush() {
    for (std::size_t i = 0; i < sum.size(); ++i) {
      sum[i] += partial[i];
      partial[i] = 0;
    }
    pending = 0;
  }
};

// Adds `a`'s draws to `s`.
void add_accumulator(SimulationState& s, const Accumulator& a);

}  // namespace fundgap::uncertainty
