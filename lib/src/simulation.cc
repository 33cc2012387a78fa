#include "fundgap/simulation.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>

#include <Random123/philox.h>
#include <Random123/u01fixedpt.h>
#include <nlohmann/json.hpp>

#include "fundgap/projection.h"

namespace fundgap {

namespace {

constexpr std::uint64_t kBlock = 1024;  // draws per unit of work, and the sharding stripe
constexpr std::uint64_t kPilot = 2048;  // draws that fix the histogram ranges

// A uniform in (0, 1) for (seed, draw, stream): Philox2x64, keyed by the seed, counting
// over (draw, stream). The same triple always gives the same number.
double uniform(std::uint64_t seed, std::uint64_t draw, std::uint64_t stream) {
  r123::Philox2x64 philox;
  r123::Philox2x64::ctr_type counter = {{draw, stream}};
  r123::Philox2x64::key_type key = {{seed}};
  return u01fixedpt_open_open_64_double(philox(counter, key).v[0]);
}

std::vector<SimulationOutput> outputs_of(const Scenario& sc) {
  std::vector<SimulationOutput> out;
  for (const Partner& p : sc.partners)
    for (int t = 0; t < sc.years(); ++t) out.push_back({p.id, "gap", t});
  for (int t = 0; t < sc.years(); ++t) out.push_back({"system", "gap", t});
  for (const Pool& q : sc.pools)
    for (int t = 0; t < sc.years(); ++t) out.push_back({q.id, "balance", t});
  return out;
}

// The outputs' values in one projection, in outputs_of order.
void output_values(const Projection& p, std::vector<double>& v) {
  const Eigen::Index P = p.gap.rows(), Y = p.gap.cols(), Q = p.pool_balance.rows();
  v.resize(static_cast<std::size_t>((P + 1 + Q) * Y));
  std::size_t i = 0;
  for (Eigen::Index r = 0; r < P; ++r)
    for (Eigen::Index t = 0; t < Y; ++t) v[i++] = p.gap(r, t);
  for (Eigen::Index t = 0; t < Y; ++t) v[i++] = p.gap.col(t).sum();
  for (Eigen::Index q = 0; q < Q; ++q)
    for (Eigen::Index t = 0; t < Y; ++t) v[i++] = p.pool_balance(q, t);
}

// Sets every uncertain parameter of `w` to its value in `draw`.
class Sampler {
 public:
  explicit Sampler(const Scenario& sc) : sc_(sc) {
    std::vector<bool> grouped(sc.parameters.size(), false);
    for (const CorrelationGroup& g : sc.correlations)
      for (int i : g.parameters) grouped[static_cast<std::size_t>(i)] = true;
    for (std::size_t i = 0; i < sc.parameters.size(); ++i)
      if (sc.parameters[i].distribution && !grouped[i]) independent_.push_back(i);
  }

  void draw(Scenario& w, std::uint64_t seed, std::uint64_t d) const {
    for (std::size_t i : independent_) {
      const Parameter& p = sc_.parameters[i];
      set_parameter(w, p.target, p.distribution->sample(uniform(seed, d, i)));
    }
    // Correlated groups: standard normals from the same streams, mixed by the Cholesky
    // factor, back to uniforms (a Gaussian copula), then each input's own distribution.
    for (const CorrelationGroup& g : sc_.correlations) {
      const Eigen::Index k = static_cast<Eigen::Index>(g.parameters.size());
      Eigen::VectorXd z(k);
      for (Eigen::Index j = 0; j < k; ++j)
        z(j) = normal_quantile_fast(uniform(seed, d, static_cast<std::uint64_t>(g.parameters[static_cast<std::size_t>(j)])));
      const Eigen::VectorXd mixed = g.cholesky.triangularView<Eigen::Lower>() * z;
      for (Eigen::Index j = 0; j < k; ++j) {
        const Parameter& p = sc_.parameters[static_cast<std::size_t>(g.parameters[static_cast<std::size_t>(j)])];
        const double u = std::clamp(normal_cdf(mixed(j)), 1e-300, 1 - 1e-16);
        set_parameter(w, p.target, p.distribution->sample(u));
      }
    }
  }

 private:
  const Scenario& sc_;
  std::vector<std::size_t> independent_;
};

// One thread's running summaries; cache-line aligned so threads never share a line.
struct alignas(64) Accumulator {
  std::vector<Int128> sum;
  std::vector<double> min, max;
  std::vector<std::uint64_t> adverse;
  std::vector<std::uint32_t> histogram;
  std::uint64_t count = 0;

  std::vector<double> inverse_width;

  Accumulator(std::size_t n, const SimulationState& s)
      : sum(n, 0), min(n, INFINITY), max(n, -INFINITY), adverse(n, 0), histogram(n * SimulationState::kBins, 0) {
    for (double w : s.bin_width) inverse_width.push_back(1 / w);
  }

  // `gap[i]`: output i is a gap (adverse when above zero), else a balance (below zero).
  void add(const std::vector<double>& v, const std::vector<char>& gap, const SimulationState& s) {
    ++count;
    for (std::size_t i = 0; i < v.size(); ++i) {
      const double pennies = std::round(v[i] * 100);
      sum[i] += static_cast<Int128>(pennies);
      min[i] = std::min(min[i], v[i]);
      max[i] = std::max(max[i], v[i]);
      if (gap[i] ? pennies > 0 : pennies < 0) ++adverse[i];
      const double pos = (v[i] - s.bin_low[i]) * inverse_width[i];
      const auto bin = static_cast<std::size_t>(std::clamp(pos, 0.0, double{SimulationState::kBins - 1}));
      ++histogram[i * SimulationState::kBins + bin];
    }
  }
};

void add_accumulator(SimulationState& s, const Accumulator& a) {
  s.count += a.count;
  for (std::size_t i = 0; i < s.sum_pennies.size(); ++i) {
    s.sum_pennies[i] += a.sum[i];
    s.min[i] = std::min(s.min[i], a.min[i]);
    s.max[i] = std::max(s.max[i], a.max[i]);
    s.adverse[i] += a.adverse[i];
  }
  for (std::size_t i = 0; i < s.histogram.size(); ++i) s.histogram[i] += a.histogram[i];
}

std::string csv_header(const Scenario& sc, const std::vector<SimulationOutput>& outputs) {
  std::string h = "draw";
  for (const SimulationOutput& o : outputs) h += fmt::format(",{}.{}[{}]", o.entity, o.measure, sc.year(o.year));
  return h + "\n";
}

}  // namespace

std::uint64_t scenario_fingerprint(const Scenario& sc) {
  std::uint64_t h = 1469598103934665603ULL;  // FNV-1a
  auto mix = [&](std::string_view s) {
    for (char c : s) {
      h ^= static_cast<unsigned char>(c);
      h *= 1099511628211ULL;
    }
    h ^= 0xff;
    h *= 1099511628211ULL;
  };
  mix(sc.name);
  mix(sc.base_year.label());
  mix(std::to_string(sc.projected_years));
  for (const Parameter& p : sc.parameters) {
    mix(p.path);
    mix(fmt::format("{}", p.value));
    if (p.distribution) mix(fmt::format("{}:{}:{}", p.distribution->name(), p.distribution->quantile(0.25),
                                        p.distribution->quantile(0.75)));
  }
  for (const CorrelationGroup& g : sc.correlations)
    for (Eigen::Index i = 0; i < g.cholesky.size(); ++i) mix(fmt::format("{}", g.cholesky.data()[i]));
  // The structure too: who funds what, what schemes act on, how pools are shared.
  for (const Service& sv : sc.services) {
    mix(fmt::format("{}:{}", sv.id, sv.pool));
    for (const FundingShare& f : sv.funders) mix(fmt::format("{}:{}", f.partner, f.share));
  }
  for (const Scheme& k : sc.schemes)
    mix(fmt::format("{}:{}:{}:{}:{}:{}", k.id, k.service, k.absolute, k.start, k.reprovide_service,
                    k.investment_service));
  for (const Pool& q : sc.pools) {
    mix(fmt::format("{}:{}:{}", q.id, q.host, static_cast<int>(q.risk_rule)));
    for (int s : q.services) mix(std::to_string(s));
    for (Eigen::Index i = 0; i < q.fixed_shares.size(); ++i) mix(fmt::format("{}", q.fixed_shares(i)));
  }
  return h;
}

double parameter_draw(const Scenario& sc, std::size_t parameter, std::uint64_t seed, std::uint64_t draw) {
  Scenario w = sc;
  Sampler(sc).draw(w, seed, draw);
  // Read the value back from where the parameter landed.
  const ParameterTarget& t = sc.parameters[parameter].target;
  const auto e = static_cast<std::size_t>(t.entity);
  using F = ParameterTarget::Field;
  switch (t.field) {
    case F::funding_base: return w.partners[e].funding_base;
    case F::funding_growth: return w.partners[e].growth(t.first);
    case F::service_base: return w.services[e].base;
    case F::demand: return w.services[e].demand(t.first);
    case F::inflation: return w.services[e].inflation(t.first);
    case F::saving: return w.schemes[e].saving;
    case F::ramp: return w.schemes[e].ramp[static_cast<std::size_t>(t.index)];
    case F::confidence: return w.schemes[e].confidence;
    case F::reprovide_share: return w.schemes[e].reprovide_share;
    case F::investment: return w.schemes[e].investment;
    case F::investment_ramp: return w.schemes[e].investment_ramp[static_cast<std::size_t>(t.index)];
    case F::contribution: return w.pools[e].contributions(t.index);
    case F::pool_growth: return w.pools[e].growth(t.first);
  }
  return 0;
}

SimulationState simulate(const Scenario& scenario, const SimulationOptions& o) {
  Scenario sc = scenario;  // with its distributions prepared for fast drawing
  for (Parameter& p : sc.parameters)
    if (p.distribution) p.distribution->prepare_for_drawing();
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
  s.min.assign(n, INFINITY);
  s.max.assign(n, -INFINITY);
  s.adverse.assign(n, 0);
  s.histogram.assign(n * SimulationState::kBins, 0);

  const Sampler sampler(sc);
  const Engine engine(sc);
  std::vector<char> is_gap(n);
  for (std::size_t i = 0; i < n; ++i) is_gap[i] = s.outputs[i].measure == "gap";

  // The pilot fixes each output's histogram range from the first draws; every shard
  // computes the same pilot, so their histograms line up.
  {
    Scenario w = sc;
    Projection p;
    std::vector<double> v;
    std::vector<double> lo(n, INFINITY), hi(n, -INFINITY);
    for (std::uint64_t d = 0; d < std::min(o.draws, kPilot); ++d) {
      sampler.draw(w, o.seed, d);
      try {
        engine.run(w, p, false);
      } catch (const InputError&) {
        continue;  // reported by the draw's own pass below
      }
      output_values(p, v);
      for (std::size_t i = 0; i < n; ++i) {
        lo[i] = std::min(lo[i], v[i]);
        hi[i] = std::max(hi[i], v[i]);
      }
    }
    s.bin_low.resize(n);
    s.bin_width.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      if (!std::isfinite(lo[i])) lo[i] = hi[i] = 0;
      double width = hi[i] - lo[i];
      if (width <= 0) width = std::max(1.0, std::fabs(lo[i]) * 1e-9);
      s.bin_low[i] = lo[i] - width / 4;
      s.bin_width[i] = width * 1.5 / SimulationState::kBins;
    }
  }

  // This shard's blocks, processed by the threads in any order.
  std::vector<std::uint64_t> blocks;
  const std::uint64_t block_count = (o.draws + kBlock - 1) / kBlock;
  for (std::uint64_t b = static_cast<std::uint64_t>(o.shard - 1); b < block_count;
       b += static_cast<std::uint64_t>(o.shard_count))
    blocks.push_back(b);
  std::uint64_t shard_draws = 0;
  for (std::uint64_t b : blocks) shard_draws += std::min(kBlock, o.draws - b * kBlock);

  std::atomic<std::size_t> next{0};
  std::mutex lock;  // guards everything below
  std::uint64_t done = 0;
  std::optional<std::pair<std::uint64_t, Diagnostics>> first_error;
  std::map<std::size_t, std::string> pending_rows;
  std::size_t next_to_write = 0;
  if (o.draws_out) *o.draws_out << csv_header(sc, s.outputs);

  auto work = [&](Accumulator& acc) {
    Scenario w = sc;
    Projection p;
    std::vector<double> v;
    for (std::size_t bi = next++; bi < blocks.size(); bi = next++) {
      const std::uint64_t begin = blocks[bi] * kBlock, end = std::min(begin + kBlock, o.draws);
      std::string rows;
      for (std::uint64_t d = begin; d < end; ++d) {
        sampler.draw(w, o.seed, d);
        try {
          engine.run(w, p, false);
        } catch (const InputError& e) {
          std::lock_guard<std::mutex> g(lock);
          if (!first_error || d < first_error->first) first_error = {d, e.diagnostics()};
          continue;
        }
        output_values(p, v);
        acc.add(v, is_gap, s);
        if (o.draws_out) {
          rows += std::to_string(d);
          for (double x : v) rows += fmt::format(",{}", x);
          rows += '\n';
        }
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
  };

  const int threads = std::max(1, o.threads);
  std::vector<Accumulator> accumulators(static_cast<std::size_t>(threads), Accumulator(n, s));
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work, std::ref(accumulators[static_cast<std::size_t>(t)]));
  work(accumulators[0]);
  for (std::thread& t : pool) t.join();

  if (first_error) {
    Diagnostics d;
    for (const Diagnostic& e : first_error->second.list())
      d.add({e.where, fmt::format("{} (in draw {} of seed {})", e.message, first_error->first, o.seed)});
    throw InputError(d);
  }
  for (const Accumulator& a : accumulators) add_accumulator(s, a);
  return s;
}

void SimulationState::merge(const SimulationState& other) {
  auto fail = [](const std::string& why) { throw InputError(SourceLocation{}, "cannot merge shards: " + why); };
  if (other.fingerprint != fingerprint) fail("they come from different scenarios (or --set values)");
  if (other.seed != seed || other.draws != draws || other.shard_count != shard_count)
    fail(fmt::format("one has seed {}, {} draws, {} shards and another seed {}, {} draws, {} shards", seed, draws,
                     shard_count, other.seed, other.draws, other.shard_count));
  for (int k : other.shards)
    if (std::find(shards.begin(), shards.end(), k) != shards.end()) fail(fmt::format("shard {} is given twice", k));
  shards.insert(shards.end(), other.shards.begin(), other.shards.end());
  std::sort(shards.begin(), shards.end());
  count += other.count;
  for (std::size_t i = 0; i < sum_pennies.size(); ++i) {
    sum_pennies[i] += other.sum_pennies[i];
    min[i] = std::min(min[i], other.min[i]);
    max[i] = std::max(max[i], other.max[i]);
    adverse[i] += other.adverse[i];
  }
  for (std::size_t i = 0; i < histogram.size(); ++i) histogram[i] += other.histogram[i];
}

namespace {

double quantile_of(const SimulationState& s, std::size_t i, double q) {
  if (s.count == 0) return NAN;
  // Constant but for rounding far below a penny: every quantile is that value.
  if (s.max[i] - s.min[i] < 0.005) return s.min[i];
  const double target = q * static_cast<double>(s.count - 1);
  const std::uint32_t* h = &s.histogram[i * SimulationState::kBins];
  double cumulative = 0;
  for (int b = 0; b < SimulationState::kBins; ++b) {
    const double c = static_cast<double>(h[b]);
    if (c == 0) continue;
    if (cumulative + c > target) {
      double lo = s.bin_low[i] + b * s.bin_width[i], hi = lo + s.bin_width[i];
      if (b == 0) lo = std::min(lo, s.min[i]);
      if (b == SimulationState::kBins - 1) hi = std::max(hi, s.max[i]);
      lo = std::max(lo, s.min[i]);
      hi = std::min(hi, s.max[i]);
      const double v = lo + (target - cumulative + 0.5) / c * (hi - lo);
      return std::clamp(v, s.min[i], s.max[i]);
    }
    cumulative += c;
  }
  return s.max[i];
}

std::string quantile_name(double q) { return fmt::format("p{:g}", q * 100); }

}  // namespace

Report summarise(const SimulationState& s, const std::vector<double>& quantiles) {
  Report r{s.scenario_name, s.currency, {}, {}, {}};
  for (int t = 0; t <= s.projected_years; ++t) r.years.push_back(s.base_year + t);
  const Eigen::Index Y = s.projected_years + 1;
  ReportSection partners{View::partners, {}}, pools{View::pools, {}};
  for (std::size_t i = 0; i < s.outputs.size(); i += static_cast<std::size_t>(Y)) {
    const SimulationOutput& o = s.outputs[i];
    const bool gap = o.measure == "gap";
    std::string name = o.entity;
    std::string kind = o.entity == "system" ? "system" : gap ? "partner" : "pool";
    for (const auto& [id, display] : s.names)
      if (id == o.entity) name = display;
    ReportEntity e{o.entity, kind, name, {}};
    Eigen::ArrayXd mean(Y), adverse(Y);
    for (Eigen::Index t = 0; t < Y; ++t) {
      const std::size_t k = i + static_cast<std::size_t>(t);
      // The mean to the penny: an exact sum of pennies, divided once.
      mean(t) = static_cast<double>(s.sum_pennies[k]) / static_cast<double>(s.count) / 100;
      adverse(t) = static_cast<double>(s.adverse[k]) / static_cast<double>(s.count);
    }
    e.measures.push_back({o.measure + "_mean", mean});
    for (double q : quantiles) {
      Eigen::ArrayXd v(Y);
      for (Eigen::Index t = 0; t < Y; ++t) v(t) = quantile_of(s, i + static_cast<std::size_t>(t), q);
      e.measures.push_back({o.measure + "_" + quantile_name(q), v});
    }
    e.measures.push_back({gap ? "p_shortfall" : "p_overspend", adverse, Measure::Unit::probability});
    (gap ? partners : pools).entities.push_back(std::move(e));
  }
  r.sections.push_back(std::move(partners));
  r.sections.push_back(std::move(pools));
  r.notes.push_back(fmt::format("{} draws, seed {}.", s.count, s.seed));
  return r;
}

void write_shard(std::ostream& out, const SimulationState& s) {
  nlohmann::ordered_json j;
  j["format"] = "fundgap-shard";
  j["version"] = 1;
  j["fingerprint"] = fmt::format("{:016x}", s.fingerprint);
  nlohmann::ordered_json names = nlohmann::ordered_json::object();
  for (const auto& [id, display] : s.names) names[id] = display;
  j["scenario"] = {{"name", s.scenario_name},
                   {"currency", s.currency},
                   {"base_year", s.base_year.label()},
                   {"projected_years", s.projected_years},
                   {"names", names}};
  j["seed"] = s.seed;
  j["draws"] = s.draws;
  j["shard_count"] = s.shard_count;
  j["shards"] = s.shards;
  j["count"] = s.count;
  nlohmann::ordered_json outputs = nlohmann::ordered_json::array();
  for (std::size_t i = 0; i < s.outputs.size(); ++i) {
    nlohmann::ordered_json bins = nlohmann::ordered_json::array();
    for (int b = 0; b < SimulationState::kBins; ++b)
      if (std::uint32_t c = s.histogram[i * SimulationState::kBins + static_cast<std::size_t>(b)])
        bins.push_back({b, c});
    const Int128 sum = s.sum_pennies[i];
    const bool negative = sum < 0;
    __extension__ typedef unsigned __int128 UInt128;
    UInt128 magnitude = negative ? static_cast<UInt128>(-sum) : static_cast<UInt128>(sum);
    std::string digits;
    do {
      digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(magnitude % 10)));
      magnitude /= 10;
    } while (magnitude);
    outputs.push_back({{"entity", s.outputs[i].entity},
                       {"measure", s.outputs[i].measure},
                       {"year", s.outputs[i].year},
                       {"bin_low", s.bin_low[i]},
                       {"bin_width", s.bin_width[i]},
                       {"sum_pennies", (negative ? "-" : "") + digits},
                       {"min", std::isfinite(s.min[i]) ? nlohmann::ordered_json(s.min[i]) : nullptr},
                       {"max", std::isfinite(s.max[i]) ? nlohmann::ordered_json(s.max[i]) : nullptr},
                       {"adverse", s.adverse[i]},
                       {"bins", bins}});
  }
  j["outputs"] = outputs;
  out << j.dump() << '\n';
}

SimulationState read_shard(const std::string& path, const std::string& text) {
  auto fail = [&](const std::string& why) {
    throw InputError(SourceLocation{}, fmt::format("'{}' is not a fundgap shard file: {}", path, why));
  };
  SimulationState s;
  try {
    const nlohmann::json j = nlohmann::json::parse(text);
    if (j.value("format", "") != "fundgap-shard" || j.value("version", 0) != 1) fail("wrong format or version");
    s.fingerprint = std::stoull(j.at("fingerprint").get<std::string>(), nullptr, 16);
    const auto& scenario = j.at("scenario");
    s.scenario_name = scenario.at("name").get<std::string>();
    s.currency = scenario.at("currency").get<std::string>();
    auto base = FinancialYear::parse(scenario.at("base_year").get<std::string>());
    if (!base) fail("a bad base year");
    s.base_year = *base;
    s.projected_years = scenario.at("projected_years").get<int>();
    for (const auto& [id, display] : scenario.at("names").items()) s.names.emplace_back(id, display.get<std::string>());
    s.seed = j.at("seed").get<std::uint64_t>();
    s.draws = j.at("draws").get<std::uint64_t>();
    s.shard_count = j.at("shard_count").get<int>();
    s.shards = j.at("shards").get<std::vector<int>>();
    s.count = j.at("count").get<std::uint64_t>();
    const auto& outputs = j.at("outputs");
    s.histogram.assign(outputs.size() * SimulationState::kBins, 0);
    for (std::size_t i = 0; i < outputs.size(); ++i) {
      const auto& o = outputs[i];
      s.outputs.push_back({o.at("entity").get<std::string>(), o.at("measure").get<std::string>(), o.at("year").get<int>()});
      s.bin_low.push_back(o.at("bin_low").get<double>());
      s.bin_width.push_back(o.at("bin_width").get<double>());
      const std::string sum = o.at("sum_pennies").get<std::string>();
      Int128 v = 0;
      for (char c : sum)
        if (c >= '0' && c <= '9') v = v * 10 + (c - '0');
      s.sum_pennies.push_back(!sum.empty() && sum[0] == '-' ? -v : v);
      // A shard with no draws has no extremes (written as null).
      s.min.push_back(o.at("min").is_null() ? std::numeric_limits<double>::infinity() : o.at("min").get<double>());
      s.max.push_back(o.at("max").is_null() ? -std::numeric_limits<double>::infinity() : o.at("max").get<double>());
      s.adverse.push_back(o.at("adverse").get<std::uint64_t>());
      for (const auto& bin : o.at("bins")) {
        const int b = bin.at(0).get<int>();
        if (b < 0 || b >= SimulationState::kBins) fail("a histogram bin out of range");
        s.histogram[i * SimulationState::kBins + static_cast<std::size_t>(b)] = bin.at(1).get<std::uint32_t>();
      }
    }
  } catch (const nlohmann::json::exception& e) {
    fail(e.what());
  } catch (const std::logic_error& e) {
    fail(e.what());
  }
  return s;
}

}  // namespace fundgap
