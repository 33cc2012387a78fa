// Shard files: a simulation's whole state as JSON, written by `simulate --shard` and read by `merge`.
#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "fundgap/uncertainty/simulation.h"
#include "hash.h"

namespace fundgap {

namespace {

// A shard's own digest: a hash of every field that says which run it belongs to and how
// to read its counts (all but the counts themselves). `merge` recomputes it, so a shard
// whose scenario, seed, draws or bins were edited is refused.
std::string digest_of(const SimulationState& s) {
  TextHash hash;
  auto mix = [&](std::string_view text) { hash.mix(text); };
  mix(fmt::format("{:016x}", s.fingerprint));
  mix(s.scenario_name);
  mix(s.currency);
  mix(s.base_year.label());
  mix(std::to_string(s.projected_years));
  for (const auto& [id, display] : s.names) mix(id + "=" + display);
  mix(fmt::format("{}:{}:{}", s.seed, s.draws, s.shard_count));
  for (std::size_t i = 0; i < s.outputs.size(); ++i)
    mix(fmt::format("{}:{}:{}:{}:{}", s.outputs[i].entity, s.outputs[i].measure, s.outputs[i].year, s.bin_low[i],
                    s.bin_width[i]));
  return fmt::format("{:016x}", hash.value());
}

// The largest sum of pennies one draw can add: a figure is at most 10^15 in size (the
// engine refuses more), so sums over 2^32 draws stay far inside 128 bits.
constexpr double kMaxPenniesPerDraw = 1e17;

}  // namespace

void write_shard(std::ostream& out, const SimulationState& s) {
  nlohmann::ordered_json j;
  j["format"] = "fundgap-shard";
  j["version"] = 2;
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
    for (int b = 0; b < s.bins; ++b)
      if (std::uint32_t c = s.histogram[i * static_cast<std::size_t>(s.bins) + static_cast<std::size_t>(b)])
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
  j["digest"] = digest_of(s);
  out << j.dump() << '\n';
}

SimulationState read_shard(const std::string& path, const std::string& text) {
  auto fail = [&](const std::string& why) {
    throw InputError(SourceLocation{}, fmt::format("'{}' is not a fundgap shard file: {}", path, why));
  };
  SimulationState s;
  try {
    const nlohmann::ordered_json j = nlohmann::ordered_json::parse(text);
    if (!j.is_object() || j.value("format", "") != "fundgap-shard" || j.value("version", 0) != 2)
      fail("wrong format or version");
    const std::string fingerprint = j.at("fingerprint").get<std::string>();
    if (fingerprint.size() != 16 || fingerprint.find_first_not_of("0123456789abcdef") != std::string::npos)
      fail("'fingerprint' is not 16 hexadecimal digits");
    s.fingerprint = std::stoull(fingerprint, nullptr, 16);
    const auto& scenario = j.at("scenario");
    s.scenario_name = scenario.at("name").get<std::string>();
    s.currency = scenario.at("currency").get<std::string>();
    auto base = FinancialYear::parse(scenario.at("base_year").get<std::string>());
    if (!base) fail("'scenario.base_year' is not a financial year");
    s.base_year = *base;
    s.projected_years = scenario.at("projected_years").get<int>();
    if (s.projected_years < 1 || s.projected_years > 100) fail("'scenario.projected_years' is not from 1 to 100");
    for (const auto& [id, display] : scenario.at("names").items()) s.names.emplace_back(id, display.get<std::string>());
    s.seed = j.at("seed").get<std::uint64_t>();
    s.draws = j.at("draws").get<std::uint64_t>();
    if (s.draws < 1 || s.draws > 4294967295ULL) fail("'draws' is not from 1 to 4294967295");
    s.shard_count = j.at("shard_count").get<int>();
    if (s.shard_count < 1 || s.shard_count > kMaxShards) fail(fmt::format("'shard_count' is not from 1 to {}", kMaxShards));
    s.shards = j.at("shards").get<std::vector<int>>();
    if (s.shards.empty()) fail("'shards' is empty");
    std::uint64_t expected = 0;
    for (std::size_t k = 0; k < s.shards.size(); ++k) {
      if (s.shards[k] < 1 || s.shards[k] > s.shard_count)
        fail(fmt::format("'shards' has {}, outside 1 to its 'shard_count' {}", s.shards[k], s.shard_count));
      if (std::find(s.shards.begin(), s.shards.begin() + static_cast<std::ptrdiff_t>(k), s.shards[k]) !=
          s.shards.begin() + static_cast<std::ptrdiff_t>(k))
        fail(fmt::format("'shards' has {} twice", s.shards[k]));
      expected += shard_draws(s.draws, s.shards[k], s.shard_count);
    }
    s.count = j.at("count").get<std::uint64_t>();
    if (s.count != expected)
      fail(fmt::format("'count' is {} but shards {} of {} draws hold {}", s.count, fmt::join(s.shards, ","), s.draws,
                       expected));
    const auto& outputs = j.at("outputs");
    // Every entity's outputs, one a year from the base year: what `summarise` reads.
    const std::size_t years = static_cast<std::size_t>(s.projected_years) + 1;
    if (!outputs.is_array() || outputs.empty() || outputs.size() % years != 0 ||
        outputs.size() / years > s.names.size() + 1)
      fail(fmt::format("'outputs' is not a list of {} figures for the system and each of its {} names", years,
                       s.names.size()));
    s.bins = histogram_bins(outputs.size());
    s.histogram.assign(outputs.size() * static_cast<std::size_t>(s.bins), 0);
    bool system = false;
    for (std::size_t i = 0; i < outputs.size(); ++i) {
      const auto& o = outputs[i];
      const std::string field = fmt::format("'outputs[{}]", i);
      s.outputs.push_back({o.at("entity").get<std::string>(), o.at("measure").get<std::string>(), o.at("year").get<int>(), {}});
      const SimulationOutput& out = s.outputs.back();
      const SimulationOutput& first = s.outputs[i - i % years];
      if (out.year != static_cast<int>(i % years) || out.entity != first.entity || out.measure != first.measure)
        fail(fmt::format("{}' is not year {} of '{}'", field, i % years, first.entity));
      if (i % years == 0) {
        const bool known = std::any_of(s.names.begin(), s.names.end(), [&](const auto& n) { return n.first == out.entity; });
        const bool again = std::any_of(s.outputs.begin(), s.outputs.end() - 1,
                                       [&](const SimulationOutput& e) { return e.entity == out.entity; });
        if (out.entity == "system" ? system || out.measure != "gap" : !known || again ||
                                         (out.measure != "gap" && out.measure != "balance"))
          fail(fmt::format("{}.entity' is '{}' with measure '{}', not a partner's or the system's gap or a pool's "
                           "balance named once", field, out.entity, out.measure));
        system = system || out.entity == "system";
      }
      s.bin_low.push_back(o.at("bin_low").get<double>());
      s.bin_width.push_back(o.at("bin_width").get<double>());
      if (!std::isfinite(s.bin_low.back()) || !std::isfinite(s.bin_width.back()) || !(s.bin_width.back() > 0) ||
          !std::isfinite(s.bin_low.back() + s.bin_width.back() * s.bins))
        fail(field + ".bin_low' and 'bin_width' are not a finite range");
      const std::string sum = o.at("sum_pennies").get<std::string>();
      const bool negative = !sum.empty() && sum[0] == '-';
      const std::string digits = sum.substr(negative ? 1 : 0);
      if (digits.empty() || digits.size() > 36 || digits.find_first_not_of("0123456789") != std::string::npos)
        fail(field + ".sum_pennies' is not a whole number of at most 36 digits");
      Int128 v = 0;
      for (char c : digits) v = v * 10 + (c - '0');
      if (static_cast<double>(v) > kMaxPenniesPerDraw * static_cast<double>(s.count))
        fail(field + ".sum_pennies' is more than its draws can add up to");
      s.sum_pennies.push_back(negative ? -v : v);
      // A shard with no draws has no extremes (written as null).
      if (s.count == 0) {
        if (!o.at("min").is_null() || !o.at("max").is_null() || v != 0)
          fail(field + "' has a sum, 'min' or 'max' but its shard has no draws");
        s.min.push_back(std::numeric_limits<double>::infinity());
        s.max.push_back(-std::numeric_limits<double>::infinity());
      } else {
        s.min.push_back(o.at("min").get<double>());
        s.max.push_back(o.at("max").get<double>());
        const double mean = static_cast<double>(s.sum_pennies.back()) / static_cast<double>(s.count) / 100;
        const double slack = 1e-6 * std::max(1.0, std::max(std::fabs(s.min.back()), std::fabs(s.max.back())));
        if (!std::isfinite(s.min.back()) || !std::isfinite(s.max.back()) || s.min.back() > s.max.back() ||
            mean < s.min.back() - slack || mean > s.max.back() + slack)
          fail(field + ".min', 'max' and 'sum_pennies' contradict each other");
      }
      s.adverse.push_back(o.at("adverse").get<std::uint64_t>());
      if (s.adverse.back() > s.count) fail(field + ".adverse' is more than 'count'");
      std::uint64_t in_bins = 0;
      for (const auto& bin : o.at("bins")) {
        const int b = bin.at(0).get<int>();
        const std::uint32_t c = bin.at(1).get<std::uint32_t>();
        if (b < 0 || b >= s.bins) fail(field + ".bins' has a bin out of range");
        std::uint32_t& slot = s.histogram[i * static_cast<std::size_t>(s.bins) + static_cast<std::size_t>(b)];
        if (slot != 0 || c == 0) fail(field + ".bins' has a bin twice or an empty bin");
        slot = c;
        in_bins += c;
      }
      if (in_bins != s.count)
        fail(fmt::format("{}.bins' holds {} draws but 'count' is {}", field, in_bins, s.count));
    }
    if (!system) fail("'outputs' has no system gap");
    if (j.at("digest").get<std::string>() != digest_of(s))
      fail("'digest' does not match the file's scenario, run and bins (was the file edited?)");
  } catch (const nlohmann::json::exception& e) {
    fail(e.what());
  } catch (const std::logic_error& e) {
    fail(e.what());
  }
  return s;
}

}  // namespace fundgap
