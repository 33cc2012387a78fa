// The one hash fundgap's simulation files are identified by: 64-bit FNV-1a over a
// sequence of texts, each followed by a separator byte so that ("ab", "c") and ("a", "bc")
// differ. Private to the library.
#pragma once

#include <cstdint>
#include <string_view>

namespace fundgap {

class TextHash {
 public:
  void mix(std::string_view text) {
    for (char c : text) step(static_cast<unsigned char>(c));
    step(0xff);
  }
  std::uint64_t value() const { return h_; }

 private:
  void step(unsigned char byte) {
    h_ ^= byte;
    h_ *= 1099511628211ULL;
  }
  std::uint64_t h_ = 1469598103934665603ULL;
};

}  // namespace fundgap
