// Shard files: a simulation's whole state as JSON, written by `simulate --shard` and read by `merge`.
#include <cmath>
#include <limits>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "fundgap/uncertainty/simulation.h"

namespace fundgap {

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
      s.outputs.push_back({o.at("entity").get<std::string>(), o.at("measure").get<std::string>(), o.at("year").get<int>(), {}});
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
