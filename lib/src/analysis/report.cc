#include "fundgap/analysis/report.h"

#include <fmt/format.h>

namespace fundgap {

namespace {

ReportEntity entity_of(const Scenario& sc, const Projection& p, EntityKind kind, int entity, const Eigen::ArrayXd& index,
                       std::optional<EntityKind> system_of = std::nullopt) {
  ReportEntity e;
  e.kind = kind;
  e.id = sc.id_of(kind, entity);
  e.name = kind == EntityKind::system ? "system" : e.id;
  const auto i = static_cast<std::size_t>(entity);
  switch (kind) {
    case EntityKind::partner: e.name = sc.partners[i].name; break;
    case EntityKind::service: e.name = sc.services[i].name; break;
    case EntityKind::scheme: e.name = sc.schemes[i].name; break;
    case EntityKind::pool: e.name = sc.pools[i].name; break;
    case EntityKind::place: e.name = sc.places[i].name; break;
    case EntityKind::system: break;
  }
  for (const Figure& f : figures_of(sc, kind, entity, system_of)) {
    const MeasureInfo& row = info(f.measure);
    Eigen::ArrayXd values(sc.years());
    for (int t = 0; t < sc.years(); ++t) values(t) = figure_value(p, f, t);
    // A net present value is already in base-year money: real terms leave it as it is.
    if ((row.unit == Unit::money || row.unit == Unit::pounds) && row.measure != Measure::scheme_npv) values /= index;
    e.measures.push_back({measure_name(sc, f), measure_label(sc, f), std::move(values), row.unit, row.adverse});
  }
  return e;
}

}  // namespace

const Series* ReportEntity::measure(std::string_view n) const {
  for (const Series& m : measures)
    if (m.name == n) return &m;
  return nullptr;
}

Report make_report(const Scenario& sc, const Projection& p, View view, const ReportOptions& options) {
  Report r{sc.name, sc.currency, {}, {}, {}};
  // The price index: 1 in cash; in real terms, prices relative to the base year.
  Eigen::ArrayXd index = Eigen::ArrayXd::Ones(sc.years());
  if (options.real_terms)
    for (int t = 1; t < sc.years(); ++t) index(t) = index(t - 1) * (1 + sc.deflator(t));
  for (int t = 0; t < sc.years(); ++t) r.years.push_back(sc.year(t));
  for (const ViewInfo& v : views()) {
    if (view != View::all && view != v.view) continue;
    if (view == View::all && v.when_present && sc.count(v.kind) == 0) continue;
    ReportSection section{v.view, {}};
    for (int i = 0; i < sc.count(v.kind); ++i) section.entities.push_back(entity_of(sc, p, v.kind, i, index));
    if (v.system_total) section.entities.push_back(entity_of(sc, p, EntityKind::system, -1, index, v.kind));
    r.sections.push_back(std::move(section));
  }
  std::size_t uncertain = 0;
  for (const Parameter& param : sc.parameters) uncertain += param.distribution ? 1u : 0u;
  if (uncertain)
    r.notes.push_back(fmt::format("{} uncertain input{} at {} plan value{}; 'fundgap simulate' shows the spread.",
                                  uncertain, uncertain == 1 ? " is" : "s are", uncertain == 1 ? "its" : "their",
                                  uncertain == 1 ? "" : "s"));
  if (options.real_terms)
    r.notes.push_back(fmt::format("Money at {} prices: each year divided by the price index of prices.deflator.",
                                  sc.year(0)));
  for (std::string& note : projection_notes(sc, p)) r.notes.push_back(std::move(note));
  return r;
}

}  // namespace fundgap
