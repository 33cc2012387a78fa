// The Monte Carlo options `simulate` and `report` share: --draws, --seed and --threads.
#pragma once

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <thread>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

namespace fundgap::cli {

struct DrawOptions {
  std::uint64_t draws = 10000;
  std::uint64_t seed = 1;
  int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));

  // Adds the options, with `draws` as given as the default.
  void add_to(CLI::App& sub) {
    sub.add_option("-n,--draws", draws, fmt::format("Number of draws (default: {}; at most 4294967295)", draws))
        ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{4294967295}));
    sub.add_option("--seed", seed, "Seed: the same seed gives the same results (default: 1)")
        ->check([](const std::string& text) -> std::string {
          errno = 0;
          char* end = nullptr;
          std::strtoull(text.c_str(), &end, 10);
          const bool digits = !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
          return digits && *end == '\0' && errno != ERANGE ? "" : "expected a whole number from 0 to 18446744073709551615";
        });
    sub.add_option("-j,--threads", threads, "Threads (default: the machine's cores); results do not depend on it")
        ->check(CLI::PositiveNumber);
  }
};

}  // namespace fundgap::cli
