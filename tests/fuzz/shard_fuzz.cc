// libFuzzer target: any bytes as a shard file for `fundgap merge`. A shard that is read
// is merged with itself (as a second copy would be) and summarised into every format.
// Bad input must end as InputError.
#include <cstdint>
#include <sstream>
#include <string>

#include "fundgap/output/format.h"
#include "fundgap/uncertainty/simulation.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace fundgap;
  try {
    SimulationState s = read_shard("fuzz.json", std::string(reinterpret_cast<const char*>(data), size));
    const Report report = summarise(s, {0.05, 0.5, 0.95});
    for (const OutputFormat* f : formats_for(Document::report)) {
      std::ostringstream out;
      write(out, *f, report);
    }
    try {
      const SimulationState copy = s;
      s.merge(copy);  // refused: the same shard twice
    } catch (const InputError&) {
    }
  } catch (const InputError&) {
  }
  return 0;
}
