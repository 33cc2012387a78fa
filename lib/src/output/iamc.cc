// IAMC long format (the layout pyam and the IAMC scenario explorers read): one row per
// value with the columns model, scenario, region, variable, unit, year, value.
#include <fmt/format.h>

#include "fundgap/base/money.h"
#include "writers.h"

namespace fundgap::output {

namespace {

// A CSV field, quoted when it holds a comma, a quote or a line break (a scenario name may).
std::string field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string quoted = "\"";
  for (char c : s) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + '"';
}

std::string unit_name(Unit unit, const std::string& currency) {
  switch (unit) {
    case Unit::money:
    case Unit::pounds: return currency;
    case Unit::probability:
    case Unit::share: return "fraction";
    case Unit::count: return "count";
  }
  return currency;
}

}  // namespace

void report_iamc(std::ostream& out, const Report& r, const WriteOptions&) {
  out << "model,scenario,region,variable,unit,year,value\n";
  const std::string scenario = field(r.scenario);
  for (const ReportSection& s : r.sections)
    for (const ReportEntity& e : s.entities)
      for (const Series& m : e.measures) {
        const std::string head =
            fmt::format("fundgap,{},{},{}|{},{},", scenario, e.id, view_name(s.view), m.name, unit_name(m.unit, r.currency));
        for (std::size_t t = 0; t < r.years.size(); ++t)
          out << head << r.years[t].start << ',' << fmt::format("{:exact}", Money{m.values(static_cast<Eigen::Index>(t))})
              << '\n';
      }
}

}  // namespace fundgap::output
