// The Monte Carlo driver: draws in blocks over threads (and shards), each projected and
// added to a thread's accumulator; merging states of the same run.
#include "fundgap/uncertainty/simulation.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "accumulator.h"
#include "fundgap/model/batch.h"
#include "fundgap/model/projection.h"
#include "sampler.h"

namespace fundgap {

namespace {

using uncertainty::Accumulator;
using uncertainty::Sampler;
using uncertainty::block_at;
using uncertainty::kGroup;

constexpr std::size_t kHistogramBudget = std::size_t{1} << 30;  // bytes of histograms for all threads
constexpr std::uint64_t kBlock = 1024;  // draws per unit of work, and the sharding stripe
constexpr std::uint64_t kPilot = 2048;  // draws that fix the histogram ranges: whole blocks
// Draws sampled together: one input's distribution serves a batch while it is in the cache.
// A block's outputs are summarised together, so that an output's histogram serves a block.
constexpr std::size_t kBatch = 64;
static_assert(kPilot % kBlock == 0 && kBlock % kBatch == 0 && kBatch % kLanes == 0 && kBatch == uncertainty::kGroup);

// What a simulation summarises: every partner's gap, the system gap and every pool's
// balance, in every year.
std::vector<SimulationOutput> outputs_of(const Scenario& sc) {
  std::vector<Figure> figures;
  for (int i = 0; i < sc.count(EntityKind::partner); ++i) figures.push_back({Measure::gap, EntityKind::partner, i, -1});
  figures.push_back({Measure::gap, EntityKind::system, -1, -1});
  for (int q = 0; q < sc.count(EntityKind::pool); ++q) figures.push_back({Measure::pool_balance, EntityKind::pool, q, -1});
  std::vector<SimulationOutput> out;
  for (const Figure& f : figures)
    for (int t = 0; t < sc.years(); ++t)
      out.push_back({sc.id_of(f.kind, f.entity), measure_name(sc, f), t, f});
  return out;
}

// Where each output is read from: an array of Projection and its row (the catalogue's
// fast path), so a draw's outputs are plain loads.
struct OutputSource {
  const Table Projection::*matrix;
  Eigen::Index row, year;
};

std::vector<OutputSource> sources_of(const std::vector<SimulationOutput>& outputs) {
  std::vector<OutputSource> out;
  for (const SimulationOutput& o : outputs) {
    const bool system = o.figure.kind == EntityKind::system;
    out.push_back({system ? &Projection::system : info(o.figure.measure).matrix,
                   system ? static_cast<Eigen::Index>(o.figure.measure) : o.figure.entity, o.year});
  }
  return out;
}

std::string csv_header(const Scenario& sc, const std::vector<SimulationOutput>& outputs) {
  std::string h = "draw";
  for (const SimulationOutput& o : outputs) h += fmt::format(",{}.{}[{}]", o.entity, o.measure, sc.year(o.year));
  return h + "\n";
}

}  // namespace

std::uint64_t shard_draws(std::uint64_t draws, int shard, int shard_count) {
  const std::uint64_t block_count = (draws + kBlock - 1) / kBlock;
  std::uint64_t n = 0;
  for (std::uint64_t b = static_cast<std::uint64_t>(shard - 1); b < block_count; b += static_cast<std::uint64_t>(shard_count))
    n += std::min(kBlock, draws - b * kBlock);
  return n;
}

SimulationState simulate(const Scenario& scenario, const SimulationOptions& o) {
  if (o.shard_count < 1 || o.shard_count > kMaxShards || o.shard < 1 || o.shard > o.shard_count)
    throw InputError(SourceLocation{}, fmt::format("shard {} of {} is not a shard from 1 to {}", o.shard,
                                                   o.shard_count, kMaxShards));
  // Threads beyond this shard's blocks would have nothing to do and beyond the cores only
  // contend, each with histograms of every output: neither changes the results.
  // Nor more than kHistogramBudget of histograms in all (at most 6 bytes a bin an output a
  // thread: its 16-bit counts and, past Accumulator::kMaxCounted draws, 32-bit totals).
  const int threads = [&] {
    const std::uint64_t block_count = (o.draws + kBlock - 1) / kBlock;
    const auto shard = static_cast<std::uint64_t>(o.shard), count = static_cast<std::uint64_t>(o.shard_count);
    const std::uint64_t mine = block_count >= shard ? (block_count - shard) / count + 1 : 0;
    const std::size_t cores = std::max(1u, std::thread::hardware_concurrency());
    const std::size_t outputs = outputs_of(scenario).size();
    const std::size_t per_thread = std::max<std::size_t>(
        1, outputs * static_cast<std::size_t>(histogram_bins(outputs)) * (sizeof(std::uint16_t) + sizeof(std::uint32_t)));
    const std::size_t most =
        std::max<std::size_t>(1, std::min({static_cast<std::size_t>(mine), cores, kHistogramBudget / per_thread}));
    return static_cast<int>(std::clamp<std::size_t>(static_cast<std::size_t>(std::max(1, o.threads)), 1, most));
  }();
  Scenario sc = scenario;  // with its distributions prepared for fast drawing
  {
    std::vector<Distribution*> distributions;
    for (Parameter& p : sc.parameters)
      if (p.distribution) distributions.push_back(&*p.distribution);
    prepare_for_drawing(distributions, threads);
  }
  SimulationState s;
  s.fingerprint = scenario_fingerprint(sc);
  s.scenario_name = sc.name;
  s.currency = sc.currency;
  s.base_year = sc.base_year;
  s.projected_years = sc.projected_years;
  for (const Partner& p : sc.partners) s.names.emplace_back(p.id, p.name);
  for (const Pool& q : sc.pools) s.names.emplace_back(q.id, q.name);
  s.seed = o.seed;
  s.draws = o.draws;
  s.shard_count = o.shard_count;
  s.shards = {o.shard};
  s.outputs = outputs_of(sc);
  const std::size_t n = s.outputs.size();
  s.sum_pennies.assign(n, 0);
  s.min.assign(n, HUGE_VAL);
  s.max.assign(n, -HUGE_VAL);
  s.adverse.assign(n, 0);
  s.bins = histogram_bins(n);
  s.histogram.assign(n * static_cast<std::size_t>(s.bins), 0);

  const std::vector<OutputSource> sources = sources_of(s.outputs);
  const Sampler sampler(sc);
  // The engine follows the uncertain inputs: a draw recomputes only the services and
  // schemes they reach, the rest staying as the worker's first run left them.
  std::vector<ParameterTarget> uncertain;
  for (const Parameter& p : sc.parameters)
    if (p.distribution) uncertain.push_back(p.target);
  const Engine engine(sc, uncertain);
  std::vector<char> is_gap(n);
  for (std::size_t i = 0; i < n; ++i) is_gap[i] = s.outputs[i].measure == "gap";

  // This shard's blocks, processed by the threads in any order.
  std::vector<std::uint64_t> blocks;
  const std::uint64_t block_count = (o.draws + kBlock - 1) / kBlock;
  for (std::uint64_t b = static_cast<std::uint64_t>(o.shard - 1); b < block_count;
       b += static_cast<std::uint64_t>(o.shard_count))
    blocks.push_back(b);
  auto mine = [&](std::uint64_t d) {
    return (d / kBlock) % static_cast<std::uint64_t>(o.shard_count) == static_cast<std::uint64_t>(o.shard - 1);
  };

  std::mutex lock;  // guards everything below
  std::optional<std::pair<std::uint64_t, Diagnostics>> first_error;

  // One thread's working scenario and projection, a batch of draws' inputs, and a block's
  // outputs (kBlock draws', as block_at() lays them out). The batch kernel
  // projects the draws kLanes at a time when it takes the scenario; otherwise the
  // projection starts as a run of the scenario with its inputs' own values, and each draw
  // is a rerun (or, when that run is not ok, a run in full).
  struct Worker {
    Scenario w;
    Sampler::Target target;
    Projection p;
    bool primed;
    std::unique_ptr<BatchEngine> kernel;
    std::vector<const double*> lanes;  // by output: the kernel's lanes of it
    Sampler::Batch batch;
    std::vector<double> out;
    std::vector<char> ok;
    std::optional<Accumulator> acc;
    Worker(const Scenario& sc, const Sampler& sampler, const Engine& engine, std::span<const ParameterTarget> uncertain,
           const std::vector<SimulationOutput>& outputs)
        : w(sc), target(sampler.target(w)), primed(engine.run(w, p, Detail::gaps).ok()),
          kernel(std::make_unique<BatchEngine>(sc, uncertain)), out(outputs.size() * kBlock), ok(kBlock) {
      if (!kernel->usable()) kernel.reset();
      if (kernel)
        for (const SimulationOutput& o : outputs) lanes.push_back(kernel->lanes(o.figure, o.year));
    }
    Worker(const Worker&) = delete;
  };
  // Where a batch's outputs go: output i of its draw j to values[block_at(n, i, j)], and
  // whether it is ok to ok[j]. A batch is a group of draws (kBatch == kGroup).
  struct Into {
    double* values;
    char* ok;
  };
  // Draw j of k.batch projected by the engine. A draw of this shard that is not ok is kept
  // as the first error if it is the earliest.
  auto project_one = [&](Worker& k, std::size_t j, bool rerun, const Into& into) {
    const ProjectionStatus status = rerun ? engine.rerun(k.w, k.p) : engine.run(k.w, k.p, Detail::gaps);
    into.ok[j] = status.ok();
    if (status.ok()) {
      for (std::size_t i = 0; i < n; ++i)
        into.values[block_at(n, i, j)] = (k.p.*sources[i].matrix)(sources[i].row, sources[i].year);
      return;
    }
    const std::uint64_t d = k.batch.first + j;
    if (!mine(d)) return;
    std::lock_guard<std::mutex> g(lock);
    if (!first_error || d < first_error->first) first_error = {d, status_diagnostics(k.w, status)};
  };
  // Draws first .. first + count - 1 (count <= kBatch). A draw the kernel finds not ok goes
  // to the engine, which says what is wrong with it.
  auto evaluate = [&](Worker& k, std::uint64_t first, std::size_t count, const Into& into) {
    sampler.draw(o.seed, first, count, k.batch);
    if (k.kernel) {
      for (std::size_t c = 0; c < count; c += kLanes) {
        const std::size_t m = std::min(kLanes, count - c);
        k.kernel->run(k.batch.values.data() + c, count, m, into.ok + c);
        double* const lanes = into.values + block_at(n, 0, c);
        if (m == kLanes)  // a copy of a size known here, not a call of memmove an output
          for (std::size_t i = 0; i < n; ++i) std::memcpy(lanes + i * kGroup, k.lanes[i], sizeof(double) * kLanes);
        else
          for (std::size_t i = 0; i < n; ++i) std::copy_n(k.lanes[i], m, lanes + i * kGroup);
      }
      for (std::size_t j = 0; j < count; ++j)
        if (!into.ok[j]) {
          Sampler::set(k.target, k.batch, j);
          project_one(k, j, false, into);
        }
      return;
    }
    for (std::size_t j = 0; j < count; ++j) {
      Sampler::set(k.target, k.batch, j);
      project_one(k, j, k.primed, into);
    }
  };
  // Runs `job(worker)` on every thread and waits for them.
  std::vector<std::unique_ptr<Worker>> workers;
  auto on_threads = [&](const auto& job) {
    std::vector<std::thread> pool;
    for (int t = 1; t < threads; ++t) pool.emplace_back([&, t] { job(*workers[static_cast<std::size_t>(t)]); });
    job(*workers[0]);
    for (std::thread& t : pool) t.join();
  };
  workers.resize(static_cast<std::size_t>(threads));
  for (auto& k : workers) k = std::make_unique<Worker>(sc, sampler, engine, uncertain, s.outputs);

  // The pilot fixes each output's histogram range from the first draws; every shard
  // computes the same pilot, so their histograms line up. Its draws run on every thread
  // and are kept (laid out as block_at() lays out a block, end to end): this shard's pass
  // below adds them instead of drawing them again. The pilot is whole blocks, so a block
  // is in it or not.
  const std::uint64_t pilot = std::min(o.draws, kPilot);
  std::vector<double> pilot_values((pilot + kGroup - 1) / kGroup * kGroup * n);  // whole groups
  std::vector<char> pilot_ok(pilot, 0);
  {
    std::atomic<std::uint64_t> next_batch{0};
    on_threads([&](Worker& k) {
      for (std::uint64_t c = next_batch++; c * kBatch < pilot; c = next_batch++) {
        const std::uint64_t first = c * kBatch;
        const auto count = static_cast<std::size_t>(std::min<std::uint64_t>(kBatch, pilot - first));
        evaluate(k, first, count, {pilot_values.data() + block_at(n, 0, first), pilot_ok.data() + first});
      }
    });
    s.bin_low.resize(n);
    s.bin_width.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      double lo = HUGE_VAL, hi = -HUGE_VAL;
      for (std::uint64_t d = 0; d < pilot; ++d)
        if (pilot_ok[d]) {
          lo = std::min(lo, pilot_values[block_at(n, i, d)]);
          hi = std::max(hi, pilot_values[block_at(n, i, d)]);
        }
      if (!std::isfinite(lo)) lo = hi = 0;
      double width = hi - lo;
      if (width <= 0) width = std::max(1.0, std::fabs(lo) * 1e-9);
      s.bin_low[i] = lo - width / 4;
      s.bin_width[i] = width * 1.5 / s.bins;
    }
  }

  std::uint64_t shard_draws = 0;
  for (std::uint64_t b : blocks) shard_draws += std::min(kBlock, o.draws - b * kBlock);

  std::atomic<std::size_t> next{0};
  std::uint64_t done = 0;
  std::map<std::size_t, std::string> pending_rows;
  std::size_t next_to_write = 0;
  if (o.draws_out) *o.draws_out << csv_header(sc, s.outputs);

  on_threads([&](Worker& k) {
    k.acc.emplace(n, s);  // allocated and first touched by the thread that fills it
    Accumulator& acc = *k.acc;
    for (std::size_t bi = next++; bi < blocks.size(); bi = next++) {
      const std::uint64_t begin = blocks[bi] * kBlock, end = std::min(begin + kBlock, o.draws);
      const auto count = static_cast<std::size_t>(end - begin);
      const bool piloted = begin < pilot;
      if (!piloted)
        for (std::size_t at = 0; at < count; at += kBatch)
          evaluate(k, begin + at, std::min(kBatch, count - at), {k.out.data() + block_at(n, 0, at), k.ok.data() + at});
      const double* values = piloted ? pilot_values.data() + block_at(n, 0, begin) : k.out.data();
      const char* ok = piloted ? pilot_ok.data() + begin : k.ok.data();
      acc.add(values, count, ok, is_gap, s);
      std::string rows;
      if (o.draws_out)
        for (std::size_t j = 0; j < count; ++j) {
          if (!ok[j]) continue;
          rows += std::to_string(begin + j);
          for (std::size_t i = 0; i < n; ++i) rows += fmt::format(",{}", values[block_at(n, i, j)]);
          rows += '\n';
        }
      std::lock_guard<std::mutex> g(lock);
      done += end - begin;
      if (o.progress) o.progress(done, shard_draws);
      if (o.draws_out) {
        pending_rows[bi] = std::move(rows);
        for (auto it = pending_rows.find(next_to_write); it != pending_rows.end();
             it = pending_rows.find(next_to_write)) {
          *o.draws_out << it->second;
          pending_rows.erase(it);
          ++next_to_write;
        }
      }
    }
  });

  if (first_error) {
    Diagnostics d;
    for (const Diagnostic& e : first_error->second.list())
      d.add({e.where, fmt::format("{} (in draw {} of seed {})", e.message, first_error->first, o.seed)});
    throw InputError(d);
  }
  for (const auto& k : workers) add_accumulator(s, *k->acc);
  return s;
}

void SimulationState::merge(const SimulationState& other) {
  auto fail = [](const std::string& why) { throw InputError(SourceLocation{}, "cannot merge shards: " + why); };
  if (other.fingerprint != fingerprint) fail("they come from different scenarios (or --set values)");
  if (other.seed != seed || other.draws != draws || other.shard_count != shard_count)
    fail(fmt::format("one has seed {}, {} draws, {} shards and another seed {}, {} draws, {} shards", seed, draws,
                     shard_count, other.seed, other.draws, other.shard_count));
  if (other.scenario_name != scenario_name || other.currency != currency || other.base_year != base_year ||
      other.projected_years != projected_years || other.names != names)
    fail("their 'scenario' fields differ (name, currency, base year, years or names)");
  if (other.outputs.size() != outputs.size() ||
      !std::equal(outputs.begin(), outputs.end(), other.outputs.begin(), [](const auto& a, const auto& b) {
        return a.entity == b.entity && a.measure == b.measure && a.year == b.year;
      }))
    fail("their 'outputs' are different figures");
  if (other.bins != bins || other.bin_low != bin_low || other.bin_width != bin_width)
    fail("their histogram bins differ ('bin_low' and 'bin_width')");
  for (int k : other.shards)
    if (std::find(shards.begin(), shards.end(), k) != shards.end()) fail(fmt::format("shard {} is given twice", k));
  shards.insert(shards.end(), other.shards.begin(), other.shards.end());
  std::sort(shards.begin(), shards.end());
  count += other.count;
  for (std::size_t i = 0; i < sum_pennies.size(); ++i) {
    sum_pennies[i] += other.sum_pennies[i];
    min[i] = uncertainty::least(min[i], other.min[i]);
    max[i] = uncertainty::greatest(max[i], other.max[i]);
    adverse[i] += other.adverse[i];
  }
  for (std::size_t i = 0; i < histogram.size(); ++i) histogram[i] += other.histogram[i];
}

}  // namespace fundgap
