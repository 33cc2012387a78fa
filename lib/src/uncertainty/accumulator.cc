#include "accumulator.h"

#include <algorithm>

namespace fundgap {

int histogram_bins(std::size_t outputs) {
  constexpr std::size_t kCells = std::size_t{1} << 22;  // 16 MiB of 4-byte counts, one thread's
  constexpr int kFewestBins = 256;
  int bins = SimulationState::kMaxBins;
  while (bins > kFewestBins && outputs * static_cast<std::size_t>(bins) > kCells) bins /= 2;
  return bins;
}

}  // namespace fundgap

namespace fundgap::uncertainty {

void add_accumulator(SimulationState& s, const Accumulator& a) {
  s.count += a.count;
  for (std::size_t i = 0; i < s.sum_pennies.size(); ++i) {
    s.sum_pennies[i] += a.sum[i] + a.partial[i];
    s.min[i] = std::min(s.min[i], a.min[i]);
    s.max[i] = std::max(s.max[i], a.max[i]);
    s.adverse[i] += a.adverse[i];
  }
  for (std::size_t i = 0; i < s.histogram.size(); ++i) s.histogram[i] += a.histogram[i];
}

}  // namespace fundgap::uncertainty
