#include "accumulator.h"

#include <algorithm>

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
