// `fundgap simulate FILE` and `fundgap merge SHARD...`: Monte Carlo over the uncertain
// inputs, in one run or in shards merged later.
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <sstream>
#include <thread>

#include <unistd.h>

#include "commands.h"
#include "draw_options.h"
#include "output.h"
#include "scenario_options.h"

#include "fundgap/base/input_file.h"
#include "fundgap/base/output_file.h"
#include "fundgap/uncertainty/simulation.h"

namespace fundgap::cli {

namespace {

// The largest shard file `merge` reads (docs/format.md, "Limits").
constexpr std::size_t kMaxShardBytes = std::size_t{256} << 20;

// "5,50,95" -> {0.05, 0.5, 0.95}.
std::vector<double> parse_quantiles(const std::string& text) {
  std::vector<double> out;
  if (text.empty())
    throw InputError(SourceLocation{}, "--quantiles: expected percentages between 0 and 100 (like 5,50,95), found "
                                       "nothing");
  // Every item between commas, the empty ones too ("5," has an empty second item).
  for (std::size_t start = 0; start <= text.size();) {
    std::size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    const std::string item = text.substr(start, comma - start);
    start = comma + 1;
    char* end = nullptr;
    const double v = std::strtod(item.c_str(), &end);
    if (item.empty() || *end != '\0' || !(v > 0 && v < 100))
      throw InputError(SourceLocation{}, fmt::format("--quantiles: '{}' is not a percentage between 0 and 100 "
                                                     "(like 5,50,95)", item));
    out.push_back(v / 100);
  }
  std::sort(out.begin(), out.end());  // each quantile once, in order
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

void emit_summary(const SimulationState& state, const std::string& quantiles, const OutputOptions& out,
                  const std::string& source) {
  const Report report = summarise(state, parse_quantiles(quantiles));
  out.emit_document(report, out.write_options(source));
  if (!out.resolved_format().notes)
    for (const std::string& note : report.notes) std::cerr << "fundgap: note: " << note << '\n';
}

struct SimulateOptions {
  std::string file;
  DrawOptions mc;
  std::string quantiles = "5,50,95";
  std::string shard;
  std::string draws_out;
  ScenarioOptions scenario;
  OutputOptions out;
};

int run_simulate(const SimulateOptions& o) {
  SimulationOptions options;
  options.draws = o.mc.draws;
  options.seed = o.mc.seed;
  options.threads = o.mc.threads;
  parse_quantiles(o.quantiles);  // bad input before any work
  if (!o.shard.empty()) {
    // K/N, each a whole number; N at most kMaxShards (no wrapping of long numbers).
    auto whole = [](const std::string& text) -> long {
      if (text.empty() || text.size() > 9 || text.find_first_not_of("0123456789") != std::string::npos) return -1;
      return std::stol(text);
    };
    const std::size_t slash = o.shard.find('/');
    const long k = slash == std::string::npos ? -1 : whole(o.shard.substr(0, slash));
    const long n = slash == std::string::npos ? -1 : whole(o.shard.substr(slash + 1));
    if (n < 1 || k < 1 || k > n)
      throw InputError(SourceLocation{}, fmt::format("--shard: expected K/N with 1 <= K <= N (like 2/8), found '{}'",
                                                     o.shard));
    if (n > kMaxShards)
      throw InputError(SourceLocation{}, fmt::format("--shard: at most {} shards, found '{}'", kMaxShards, o.shard));
    if (o.out.output.empty())
      throw InputError(SourceLocation{}, "--shard writes a shard file: give it with --output");
    if (!o.out.format.empty())
      throw InputError(SourceLocation{}, "--shard writes a shard file, so --format does not apply; "
                                         "give --format to 'fundgap merge'");
    options.shard = static_cast<int>(k);
    options.shard_count = static_cast<int>(n);
  } else {
    o.out.resolved_format();
  }
  // Every output is checked before the draws and written together after them; the
  // draws stream into their temporary file as they are made.
  OutputFiles files;
  if (!o.draws_out.empty()) options.draws_out = &files.stream(files.add(o.draws_out));
  o.out.reserve(files);
  const Scenario sc = o.scenario.load(o.file);
  if (!sc.uncertain())
    std::cerr << "fundgap: note: no input is uncertain, so every draw is the same as 'run'\n";

  // A progress bar only for people: stderr is a terminal and the run is long.
  const bool show = ::isatty(STDERR_FILENO) == 1 && o.mc.draws >= 50000;
  if (show)
    options.progress = [](std::uint64_t done, std::uint64_t total) {
      const int width = 30, filled = static_cast<int>(static_cast<double>(done) / static_cast<double>(total) * width);
      std::cerr << fmt::format("\rsimulating [{:<{}}] {:3.0f}%", std::string(static_cast<std::size_t>(filled), '#'),
                               width, 100.0 * static_cast<double>(done) / static_cast<double>(total))
                << std::flush;
    };
  const SimulationState state = simulate(sc, options);
  if (show) std::cerr << "\r\x1b[K" << std::flush;
  if (!o.shard.empty()) {
    write_shard(files.stream(o.out.index), state);
    files.commit();
    return 0;
  }
  // Files first: standard output is not written when a file cannot be.
  if (!o.out.output.empty()) emit_summary(state, o.quantiles, o.out, o.file);
  files.commit();
  if (o.out.output.empty()) emit_summary(state, o.quantiles, o.out, o.file);
  return 0;
}

struct MergeOptions {
  std::vector<std::string> shards;
  std::string quantiles = "5,50,95";
  OutputOptions out;
};

int run_merge(const MergeOptions& o) {
  o.out.resolved_format();
  parse_quantiles(o.quantiles);
  std::optional<SimulationState> merged;
  for (const std::string& path : o.shards) {
    SimulationState s = read_shard(path, read_input_file(path, kMaxShardBytes));
    if (merged)
      merged->merge(s);
    else
      merged = std::move(s);
  }
  for (int k = 1; k <= merged->shard_count; ++k)
    if (std::find(merged->shards.begin(), merged->shards.end(), k) == merged->shards.end())
      throw InputError(SourceLocation{}, fmt::format("cannot merge shards: shard {}/{} is missing", k,
                                                     merged->shard_count));
  emit_summary(*merged, o.quantiles, o.out, fmt::format("{}", fmt::join(o.shards, ", ")));
  return 0;
}

}  // namespace

void setup_simulate(CLI::App& sub, Action& action) {
  auto o = std::make_shared<SimulateOptions>();
  sub.add_option("file", o->file, "Scenario file (YAML) with uncertain inputs")->required();
  o->mc.add_to(sub);
  sub.add_option("-q,--quantiles", o->quantiles, "Quantiles of the gap and pool balances, in % (default: 5,50,95)");
  sub.add_option("--shard", o->shard, "Run shard K of N (K/N) and write a shard file to --output for 'fundgap merge'");
  sub.add_option("--draws-out", o->draws_out, "Also write every draw's gaps and balances to FILE (CSV)");
  o->scenario.add_to(sub);
  o->out.add_to(sub, Document::report);
  sub.footer(R"(Examples:
  fundgap simulate scenarios/tower_hamlets_2019_uncertain.yaml --draws 100000 --seed 42
  fundgap simulate plan.yaml -n 100000 --quantiles 10,50,90 -f csv -o summary.csv
  fundgap simulate plan.yaml -n 1000000 --shard 3/8 -o shard-3.json   # then: fundgap merge shard-*.json

Measures: gap_mean, gap_pN (one per quantile) and p_shortfall (the probability that
the gap is above zero) for every partner and the system; balance_mean, balance_pN and
p_overspend for every pool. The same seed gives bit-identical output for any --threads
and any sharding.)");
  sub.callback([o, &action] { action = [o] { return run_simulate(*o); }; });
}

void setup_merge(CLI::App& sub, Action& action) {
  auto o = std::make_shared<MergeOptions>();
  sub.add_option("shards", o->shards, "Shard files written by 'fundgap simulate --shard K/N'")->required();
  sub.add_option("-q,--quantiles", o->quantiles, "Quantiles, in % (default: 5,50,95)");
  o->out.add_to(sub, Document::report);
  sub.footer(R"(Examples:
  fundgap merge shards/*.json
  fundgap merge shard-1.json shard-2.json -f csv -o summary.csv

Prints exactly what one 'fundgap simulate' of all the draws would print.)");
  sub.callback([o, &action] { action = [o] { return run_merge(*o); }; });
}

}  // namespace fundgap::cli
