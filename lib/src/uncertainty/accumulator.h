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

// Where draws' outputs are in a block of them (simulate's, and what Accumulator::add
// reads): draws in groups of kGroup, each group every output's kGroup values in turn, so
// that a group is a few dozen pages and each output's values in it one run of memory.
// Value (output i, draw j) of a block of `outputs` outputs:
inline constexpr std::size_t kGroup = 64;
inline std::size_t block_at(std::size_t outputs, std::size_t i, std::size_t j) {
  return (j / kGroup) * outputs * kGroup + i * kGroup + j % kGroup;
}

// The lesser and the greater of two values, -0 counting as less than +0 (and a NaN `b`
// passed over, as std::min and std::max pass it): so that the extremes of a set of draws
// do not depend on the order they are met in, which differs between threads, shards and
// the paths of add().
inline double least(double a, double b) { return b < a || (b == a && std::signbit(b)) ? b : a; }
inline double greatest(double a, double b) { return a < b || (a == b && !std::signbit(b)) ? b : a; }

// An output's summaries of a block's values, every one added: their pennies (each rounded
// as round_to_integer does), extremes and adverse count (`gap`: above zero, else below),
// and each value's bin, into `bin`. Only where every pennies figure is under 2^43 (about
// £88 billion) in magnitude, and `draws` is at most 1,024 and a multiple of 4: so a double
// holds each partial sum exactly, and the loop runs four draws at a time in vector
// registers. Returns false, with nothing added, otherwise. REQUIRES: every value finite.
struct BlockSums {
  double pennies = 0, min = HUGE_VAL, max = -HUGE_VAL;
  std::uint64_t adverse = 0;
};
// An output's sums, extremes and bins over a block's `draws` draws, its first kGroup values
// at `values` and each next kGroup `group` values on.
bool block_sums(const double* values, std::size_t group, std::size_t draws, double low, double inverse_width,
                double last_bin, bool gap, BlockSums& out, std::uint32_t* bin);

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
  // Histograms: the counts of the draws since the last move of them into `histogram`, in 16
  // bits, so that the counts of every output take half the cache; moved every kMaxCounted
  // draws, when one could overflow. `histogram` stays empty until the first move.
  static constexpr std::uint64_t kMaxCounted = UINT16_MAX;
  std::vector<std::uint16_t> counts;
  std::uint64_t counted = 0;  // draws in `counts`
  std::vector<std::uint32_t> histogram;
  std::uint64_t count = 0;  // draws added

  std::vector<double> inverse_width;
  std::vector<std::uint32_t> bin;  // add()'s scratch: the bin of each draw of an output

  Accumulator(std::size_t n, const SimulationState& s)
      : sum(n, 0), partial(n, 0), min(n, HUGE_VAL), max(n, -HUGE_VAL), adverse(n, 0),
        counts(n * static_cast<std::size_t>(s.bins), 0) {
    for (double w : s.bin_width) inverse_width.push_back(1 / w);
  }

  // Adds `draws` draws (at most kFlush): output i of draw j is values[block_at(outputs, i, j)];
  // a draw j with ok[j] == 0 is left out. `gap[i]`: output i is a gap (adverse when above
  // zero), else a balance (below zero). Output by output, so that one output's histogram
  // stays in the cache while its draws go in.
  void add(const double* values, std::size_t draws, const char* ok, const std::vector<char>& gap,
           const SimulationState& s) {
    std::size_t added = 0;
    for (std::size_t j = 0; j < draws; ++j) added += ok[j] != 0;
    if (pending + added > kFlush) flush();
    if (counted + added > kMaxCounted) move_counts();
    pending += added;
    counted += added;
    count += added;
    if (added == draws)
      add_outputs(values, draws, Every{}, gap, s);
    else
      add_outputs(values, draws, Some{ok}, gap, s);
  }

  // Whether draw j of a block is added: all of them, or those whose ok[j] is set.
  struct Every {
    static constexpr bool all = true;
    bool operator()(std::size_t) const { return true; }
  };
  struct Some {
    static constexpr bool all = false;
    const char* ok;
    bool operator()(std::size_t j) const { return ok[j] != 0; }
  };

  // add()'s work, with `in(j)` saying whether draw j is added: a branch a value only when
  // some draw of the block is left out. Two passes an output: the values' sums, extremes and
  // bins, then the bins' counts in a loop of its own, so that the core has many counts'
  // cache misses in flight at once (the histograms of a block's outputs are megabytes).
  template <class In>
  void add_outputs(const double* values, std::size_t draws, const In& in, const std::vector<char>& gap,
                   const SimulationState& s) {
    const auto bins = static_cast<std::size_t>(s.bins);
    const double last_bin = static_cast<double>(s.bins - 1);
    bin.resize(std::max(bin.size(), draws));
    const std::size_t outputs = sum.size(), group = outputs * kGroup;
    for (std::size_t i = 0; i < outputs; ++i) {
      const double* v = values + i * kGroup;  // draw j at v[block_at(outputs, 0, j)]
      const double low = s.bin_low[i], inverse = inverse_width[i];
      const bool is_gap = gap[i] != 0;
      std::uint16_t* h = counts.data() + i * bins;
      BlockSums b;
      if (in.all && block_sums(v, group, draws, low, inverse, last_bin, is_gap, b, bin.data())) {
        for (std::size_t j = 0; j < draws; ++j) ++h[bin[j]];
        partial[i] += static_cast<std::int64_t>(b.pennies);
        min[i] = least(min[i], b.min);
        max[i] = greatest(max[i], b.max);
        adverse[i] += b.adverse;
        continue;
      }
      double lo = min[i], hi = max[i];
      std::int64_t pennies_sum = 0;
      std::uint64_t adverse_count = 0;
      std::size_t added = 0;
      for (std::size_t j = 0; j < draws; ++j) {
        if (!in(j)) continue;
        const double x = v[block_at(outputs, 0, j)];
        const double scaled = x * 100;
        std::int64_t pennies;
        if (std::fabs(scaled) < 0x1p52) [[likely]] {
          pennies = round_to_integer(scaled);
          pennies_sum += pennies;
        } else {
          const double rounded = std::round(scaled);
          sum[i] += static_cast<Int128>(rounded);
          pennies = rounded > 0 ? 1 : rounded < 0 ? -1 : 0;  // only its sign is used below
        }
        lo = least(lo, x);
        hi = greatest(hi, x);
        adverse_count += static_cast<std::uint64_t>(is_gap ? pennies > 0 : pennies < 0);
        bin[added++] = static_cast<std::uint32_t>(std::clamp((x - low) * inverse, 0.0, last_bin));
      }
      for (std::size_t j = 0; j < added; ++j) ++h[bin[j]];
      partial[i] += pennies_sum;
      min[i] = lo;
      max[i] = hi;
      adverse[i] += adverse_count;
    }
  }

  // Moves the partial sums into the totals.
  void flush() {
    for (std::size_t i = 0; i < sum.size(); ++i) {
      sum[i] += partial[i];
      partial[i] = 0;
    }
    pending = 0;
  }

  // Moves the counts into the histograms.
  void move_counts() {
    histogram.resize(counts.size(), 0);
    for (std::size_t c = 0; c < counts.size(); ++c) histogram[c] += counts[c];
    std::fill(counts.begin(), counts.end(), std::uint16_t{0});
    counted = 0;
  }
};

// Adds `a`'s draws to `s`.
void add_accumulator(SimulationState& s, const Accumulator& a);

}  // namespace fundgap::uncertainty
