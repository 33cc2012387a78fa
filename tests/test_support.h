// Shared helpers for the doctest suites.
#pragma once

#include <algorithm>
#include <filesystem>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "fundgap/base/diagnostic.h"
#include "fundgap/output/format.h"
#include "fundgap/model/projection.h"
#include "fundgap/input/reader.h"
#include "fundgap/input/references.h"

namespace doctest {
template <>
struct StringMaker<std::vector<std::string>> {
  static String convert(const std::vector<std::string>& v) {
    std::string out = "{";
    for (const std::string& s : v) out += "\n  \"" + s + "\"";
    return (out + "}").c_str();
  }
};
}  // namespace doctest

namespace fundgap::testing {

inline Scenario scenario(const std::string& yaml) { return load_scenario_text("t.yaml", yaml); }

// Every bundled scenario: scenarios/, examples/, docs/ and docs/examples/ (*.yaml), sorted.
inline std::vector<std::string> bundled_files() {
  std::vector<std::string> out;
  for (const char* dir : {"scenarios", "examples", "docs", "docs/examples"})
    for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(FUNDGAP_SOURCE_DIR) / dir))
      if (entry.path().extension() == ".yaml") out.push_back(entry.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

inline Projection projected(const std::string& yaml) { return project(scenario(yaml)); }

// The value of figure `ref` (like "council.gap[2025/26]") in a full projection.
inline double value(const Scenario& sc, const Projection& p, const std::string& ref) {
  const FigureRef r = parse_figure(sc, ref, "test");
  return figure_value(p, r.figure, r.year);
}

// How far a figure of year t that sums spend (a partner's spend or gap, a pool's balance,
// the system's gap) can move when its terms are added in another order, as the batch
// kernel adds them: each of the two orders rounds n times, each time by at most half a unit
// in the last place of a partial sum, and no partial sum exceeds the sum of the magnitudes
// of every term it could add (net spend, funding, pool contributions and balances).
inline double sum_rounding(const Projection& p, int t) {
  const auto magnitudes = [t](const Table& a) { return a.rows() == 0 ? 0.0 : a.col(t).abs().sum(); };  // no pools: no rows
  const double scale = magnitudes(p.net) + magnitudes(p.funding) + magnitudes(p.pool_contributions) +
                       magnitudes(p.pool_balance);
  const auto n = static_cast<double>(p.net.rows() + p.funding.rows() + 3 * p.pool_balance.rows() + 1);
  return 2 * n * (std::numeric_limits<double>::epsilon() / 2) * scale;
}

// Each diagnostic of reading and projecting `yaml`, as "line:col: message".
inline std::vector<std::string> errors_of(const std::string& yaml) {
  try {
    project(load_scenario_text("t.yaml", yaml));
  } catch (const InputError& e) {
    std::vector<std::string> out;
    for (const Diagnostic& d : e.diagnostics().sorted())
      out.push_back(std::to_string(d.where.line) + ":" + std::to_string(d.where.column) + ": " + d.message);
    return out;
  }
  return {};
}

// `document` written in the registry's format called `format`.
template <typename Document>
std::string written(std::string_view format, const Document& document, const WriteOptions& options = {}) {
  std::ostringstream out;
  write(out, *find_format(format), document, options);
  return out.str();
}

}  // namespace fundgap::testing

// doctest's Approx with epsilon 0 compares exactly; this macro allows 1e-6 absolute.
#define CHECK_MONEY(actual, expected) CHECK(std::abs((actual) - (expected)) < 1e-6)
