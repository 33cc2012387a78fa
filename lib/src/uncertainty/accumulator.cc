#include "accumulator.h"

#include <algorithm>
#include <cstring>

#include "fundgap/base/clones.h"

namespace fundgap {

int histogram_bins(std::size_t outputs) {
  constexpr std::size_t kCells = std::size_t{1} << 22;  // 16 MiB of 4-byte totals, one thread's
  constexpr int kFewestBins = 256;
  int bins = SimulationState::kMaxBins;
  while (bins > kFewestBins && outputs * static_cast<std::size_t>(bins) > kCells) bins /= 2;
  return bins;
}

}  // namespace fundgap

namespace fundgap::uncertainty {

FUNDGAP_LANES bool block_sums(const double* values, std::size_t group, std::size_t draws, double low,
                              double inverse_width, double last_bin, bool gap, BlockSums& out, std::uint32_t* bin) {
  // Four draws side by side (one AVX2 register): GCC's vector extensions, every operation
  // the double's lane by lane. Nothing here is passed or returned by value.
  constexpr std::size_t W = 4;
  static_assert(kGroup % W == 0);
  using V = double __attribute__((vector_size(W * sizeof(double))));
  using Mask = std::int64_t __attribute__((vector_size(W * sizeof(std::int64_t))));
  using Bins = std::int32_t __attribute__((vector_size(W * sizeof(std::int32_t))));
  if (draws % W != 0 || draws > 1024) return false;
  const V zero{}, one = zero + 1, half = zero + 0.5, big = zero + 0x1p52, limit = zero + 0x1p43;
  const Mask magnitude = Mask{} + INT64_MAX;  // every bit but the sign's
  V pennies = zero, lo = zero + HUGE_VAL, hi = zero - HUGE_VAL;
  Mask adverse{}, fits = Mask{} - 1;
  for (std::size_t j = 0; j < draws; j += W) {
    V x;
    std::memcpy(&x, values + j / kGroup * group + j % kGroup, sizeof x);
    const V scaled = x * 100, a = reinterpret_cast<V>(reinterpret_cast<Mask>(scaled) & magnitude);
    fits &= a < limit;
    // a to the nearest integer, halves to even (exact below 2^52), then halves up: so
    // halves away from zero once the sign is back, as round_to_integer.
    V r = (a + big) - big;
    r += a - r == half ? one : zero;
    const V n = scaled < 0 ? -r : r;
    pennies += n;  // whole numbers under 2^53: exact
    const Mask negative = reinterpret_cast<Mask>(x) < 0;  // the sign bit, as least() and greatest() read it
    lo = (x < lo) | ((x == lo) & negative) ? x : lo;
    hi = (hi < x) | ((hi == x) & ~negative) ? x : hi;
    adverse -= gap ? n > 0 : n < 0;  // a true comparison is -1
    const V at = (x - low) * inverse_width;
    const Bins b = __builtin_convertvector(at < 0 ? zero : at > last_bin ? zero + last_bin : at, Bins);
    std::memcpy(bin + j, &b, sizeof b);
  }
  for (std::size_t l = 0; l < W; ++l)
    if (!fits[l]) return false;
  out.pennies = (pennies[0] + pennies[1]) + (pennies[2] + pennies[3]);
  out.min = least(least(lo[0], lo[1]), least(lo[2], lo[3]));
  out.max = greatest(greatest(hi[0], hi[1]), greatest(hi[2], hi[3]));
  out.adverse = static_cast<std::uint64_t>(adverse[0] + adverse[1] + adverse[2] + adverse[3]);
  return true;
}

void add_accumulator(SimulationState& s, const Accumulator& a) {
  s.count += a.count;
  for (std::size_t i = 0; i < s.sum_pennies.size(); ++i) {
    s.sum_pennies[i] += a.sum[i] + a.partial[i];
    s.min[i] = least(s.min[i], a.min[i]);
    s.max[i] = greatest(s.max[i], a.max[i]);
    s.adverse[i] += a.adverse[i];
  }
  for (std::size_t i = 0; i < s.histogram.size(); ++i) s.histogram[i] += a.counts[i];
  for (std::size_t i = 0; i < a.histogram.size(); ++i) s.histogram[i] += a.histogram[i];
}

}  // namespace fundgap::uncertainty
