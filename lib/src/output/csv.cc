// Tidy CSV: one value per row, at full precision (the shortest text that reads back).
#include <fmt/format.h>

#include "fundgap/base/money.h"
#include "writers.h"

namespace fundgap::output {

namespace {
std::string exact(double v) { return fmt::format("{:exact}", Money{v}); }
std::string exact(const std::optional<double>& v) { return v ? exact(*v) : std::string(); }
}  // namespace

void report_csv(std::ostream& out, const Report& r, const WriteOptions&) {
  out << "entity,measure,year,value\n";
  for (const ReportSection& s : r.sections)
    for (const ReportEntity& e : s.entities)
      for (const Series& m : e.measures)
        for (std::size_t t = 0; t < r.years.size(); ++t)
          out << e.id << ',' << m.name << ',' << r.years[t].label() << ','
              << exact(m.values(static_cast<Eigen::Index>(t))) << '\n';
}

void comparison_csv(std::ostream& out, const Comparisons& cs, const WriteOptions&) {
  out << "scenario,entity,measure,year,base,other,change,change_pct\n";
  for (const Comparison& c : cs.comparisons)
    for (const ComparedEntity& e : c.entities)
      for (std::size_t t = 0; t < c.years.size(); ++t) {
        std::optional<double> change;
        if (e.base[t] && e.other[t]) change = *e.other[t] - *e.base[t];
        out << fmt::format("{},{},{},{},{},{},{},{}\n", c.other_file, e.id, c.measure, c.years[t].label(),
                           exact(e.base[t]), exact(e.other[t]), exact(change),
                           exact(change_fraction(e.base[t], e.other[t])));
      }
}

void bridge_csv(std::ostream& out, const Bridge& b, const WriteOptions&) {
  const std::string from = b.from_year.label(), to = b.to_year.label();
  out << "entity,step,kind,from,to,value\n";
  out << fmt::format("{},gap {},start,{},{},{}\n", b.entity, from, from, to, exact(b.start));
  for (const BridgeStep& s : b.steps)
    out << fmt::format("{},{},{},{},{},{}\n", b.entity, s.name, s.kind, from, to, exact(s.value));
  out << fmt::format("{},gap {},end,{},{},{}\n", b.entity, to, from, to, exact(b.end));
}

void tornado_csv(std::ostream& out, const Tornado& t, const WriteOptions&) {
  out << "figure,input,basis,low,high,at_low,at_high,range\n";
  for (const Swing& s : t.swings)
    out << fmt::format("{},{},{},{},{},{},{},{}\n", t.figure, s.path, s.basis, exact(s.low), exact(s.high),
                       exact(s.at_low), exact(s.at_high), exact(s.size()));
}

}  // namespace fundgap::output
