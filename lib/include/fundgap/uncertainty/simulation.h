// Monte Carlo simulation of a scenario's uncertain inputs. Draws are counter-based
// (Philox, keyed by seed, draw and parameter), and every summary is accumulated in a way
// that does not depend on the order draws are added, so any number of threads, and any
// split into shards merged later, give bit-identical results. See docs/uncertainty.md.
#pragma once

#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "fundgap/analysis/report.h"
#include "fundgap/model/scenario.h"

namespace fundgap {

__extension__ typedef __int128 Int128;  // exact sums of pennies

// One quantity summarised per draw: a partner's or the system's gap, or a pool's balance,
// in one year.
struct SimulationOutput {
  std::string entity;   // partner id, "system" or pool id
  std::string measure;  // "gap" or "balance"
  int year = 0;
  Figure figure;        // the figure itself (only in a state that `simulate` made)
};

// The summaries of some draws of a simulation, mergeable with those of other draws.
struct SimulationState {
  // Histogram bins per output over 1.5 times the pilot's range: at most kMaxBins, where a
  // bin is about 1/2,700 of that range, far below the sampling error of a quantile even at
  // a million draws; fewer when there are many outputs (histogram_bins).
  static constexpr int kMaxBins = 4096;

  std::uint64_t fingerprint = 0;  // of the scenario: shards of different scenarios do not merge
  // What printing needs, so merged shards print without the scenario file.
  std::string scenario_name, currency;
  FinancialYear base_year;
  int projected_years = 0;
  std::vector<std::pair<std::string, std::string>> names;  // id -> display name
  std::uint64_t seed = 0;
  std::uint64_t draws = 0;        // the whole run's draws
  int shard_count = 1;
  std::vector<int> shards;        // which shards (1-based) this state holds
  std::vector<SimulationOutput> outputs;
  int bins = kMaxBins;                     // per output: histogram_bins(outputs.size())
  std::vector<double> bin_low, bin_width;  // per output: histogram range, from the pilot draws

  // Per output, over the draws added:
  std::uint64_t count = 0;
  std::vector<Int128> sum_pennies;       // exact: order of addition does not matter
  std::vector<double> min, max;
  std::vector<std::uint64_t> adverse;      // gap > 0 (shortfall) or balance < 0 (overspend)
  std::vector<std::uint32_t> histogram;    // outputs x bins (so at most 2^32 - 1 draws)

  // Adds `other`'s draws. Throws InputError unless both come from the same run.
  void merge(const SimulationState& other);
};

struct SimulationOptions {
  std::uint64_t draws = 10000;
  std::uint64_t seed = 1;
  int threads = 1;
  int shard = 1, shard_count = 1;   // run draw blocks shard, shard + count, ... (1-based)
  // Called now and then with the draws done so far (from one thread at a time).
  std::function<void(std::uint64_t done, std::uint64_t total)> progress;
  // When set, receives one CSV row per draw, in draw order, after a header.
  std::ostream* draws_out = nullptr;
};

// Draws `options.draws` sampled scenarios (those of this shard) and summarises them.
// Throws InputError when a draw is bad input (savings above spend), naming the draw.
SimulationState simulate(const Scenario& scenario, const SimulationOptions& options);

// The draws of one input (an index into Scenario::parameters) as simulate draws them: its
// values in draws first .. first + count - 1 of seed `seed`.
std::vector<double> parameter_draws(const Scenario& scenario, std::size_t parameter, std::uint64_t seed,
                                    std::uint64_t first, std::size_t count);

// Summary statistics as a Report: partners and system with gap_mean, gap_pN (one per
// quantile, as a percentage) and p_shortfall; pools with balance_mean, balance_pN and
// p_overspend. `quantiles` are fractions (0.05 for P5).
Report summarise(const SimulationState& state, const std::vector<double>& quantiles);

// The histogram bins of each of `outputs` outputs: SimulationState::kMaxBins while one
// thread's histograms fit in 16 MiB, else the largest power of two that fits, but never
// fewer than 256 (a bin 1/170 of the range). It depends on the scenario alone (its
// outputs), never on threads or shards, so their results stay bit-identical.
int histogram_bins(std::size_t outputs);

// The most shards a simulation may be split into.
inline constexpr int kMaxShards = 65536;

// How many of `draws` draws shard `shard` of `shard_count` runs.
std::uint64_t shard_draws(std::uint64_t draws, int shard, int shard_count);

// Shard files: the whole state as JSON.
void write_shard(std::ostream& out, const SimulationState& state);
// Throws InputError naming `path` and the field at fault when the text is not a shard
// file or its fields contradict each other or its digest (docs/uncertainty.md).
SimulationState read_shard(const std::string& path, const std::string& text);

std::uint64_t scenario_fingerprint(const Scenario& scenario);

}  // namespace fundgap
