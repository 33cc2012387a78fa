// The catalogue's rows, and the system totals the engine computes from them.
#include "fundgap/model/catalogue.h"

#include <array>

#include <fmt/format.h>

#include "fundgap/model/projection.h"
#include "stages.h"

namespace fundgap {

namespace {

using Eigen::Index;
using namespace stages;

template <Eigen::ArrayXXd Projection::*member>
double entity_row(const Projection& p, const Figure& f, int t) {
  return (p.*member)(f.entity, t);
}

template <std::vector<Eigen::ArrayXXd> Projection::*member>
double per_partner(const Projection& p, const Figure& f, int t) {
  return (p.*member)[static_cast<std::size_t>(f.entity)](f.partner, t);
}

constexpr auto P = EntityKind::partner;
constexpr auto S = EntityKind::service;
constexpr auto K = EntityKind::scheme;
constexpr auto Q = EntityKind::pool;
constexpr auto kMoney = Unit::money;
constexpr auto kNone = Adverse::none;
constexpr auto kSum = SystemTotal::sum;
constexpr auto kOwn = SystemTotal::none;

// In report order. The enum's order is the rows' order (info() indexes by it).
const std::array<MeasureInfo, kMeasureCount> kRows = {{
    {Measure::funding, P, "funding", "funding", kMoney, kNone, kSum, false, Measure::funding,
     entity_row<&Projection::funding>, explain_funding, &Projection::funding},
    {Measure::spend, P, "spend", "spend", kMoney, kNone, kSum, false, Measure::funding,
     entity_row<&Projection::spend>, explain_spend, &Projection::spend},
    {Measure::gap, P, "gap", "gap", kMoney, Adverse::above_zero, kSum, false, Measure::funding,
     entity_row<&Projection::gap>, explain_gap, &Projection::gap},
    {Measure::gap_do_nothing, P, "gap_do_nothing", "gap, do nothing", kMoney, Adverse::above_zero, kSum, false,
     Measure::funding, entity_row<&Projection::gap_do_nothing>, explain_gap, &Projection::gap_do_nothing},

    {Measure::baseline, S, "baseline", "baseline", kMoney, kNone, kSum, false, Measure::baseline,
     entity_row<&Projection::baseline>, explain_baseline, &Projection::baseline},
    {Measure::savings, S, "savings", "savings", kMoney, kNone, kSum, false, Measure::baseline,
     entity_row<&Projection::savings>, explain_service_schemes, &Projection::savings},
    {Measure::reprovided, S, "reprovided", "re-provided", kMoney, kNone, kSum, false, Measure::baseline,
     entity_row<&Projection::reprovided>, explain_service_schemes, &Projection::reprovided},
    {Measure::investment, S, "investment", "investment", kMoney, kNone, kSum, false, Measure::baseline,
     entity_row<&Projection::investment>, explain_service_schemes, &Projection::investment},
    {Measure::net, S, "net", "net spend", kMoney, kNone, kSum, false, Measure::baseline,
     entity_row<&Projection::net>, explain_net, &Projection::net},

    // No system totals: they would repeat the services' savings, re-provision and investment.
    {Measure::scheme_saving, K, "saving", "saving", kMoney, kNone, kOwn, false, Measure::scheme_saving,
     entity_row<&Projection::scheme_saving>, explain_scheme, &Projection::scheme_saving},
    {Measure::scheme_reprovided, K, "reprovided", "re-provided", kMoney, kNone, kOwn, false, Measure::scheme_saving,
     entity_row<&Projection::scheme_reprovided>, explain_scheme, &Projection::scheme_reprovided},
    {Measure::scheme_investment, K, "investment", "investment", kMoney, kNone, kOwn, false, Measure::scheme_saving,
     entity_row<&Projection::scheme_investment>, explain_scheme, &Projection::scheme_investment},

    // No system totals: the system's spend is the partners' spend.
    {Measure::pool_contributions, Q, "contributions", "contributions", kMoney, kNone, kOwn, false,
     Measure::pool_contributions, entity_row<&Projection::pool_contributions>, explain_pool, &Projection::pool_contributions},
    {Measure::pool_spend, Q, "spend", "spend", kMoney, kNone, kOwn, false, Measure::pool_contributions,
     entity_row<&Projection::pool_spend>, explain_pool, &Projection::pool_spend},
    {Measure::pool_balance, Q, "balance", "balance", kMoney, Adverse::below_zero, kOwn, false,
     Measure::pool_contributions, entity_row<&Projection::pool_balance>, explain_pool, &Projection::pool_balance},
    {Measure::pool_contribution, Q, "contribution_", " contribution", kMoney, kNone, kOwn, true,
     Measure::pool_contributions, per_partner<&Projection::pool_partner_contribution>, explain_pool, nullptr},
    {Measure::pool_balance_share, Q, "balance_share_", " share of balance", kMoney, Adverse::below_zero, kOwn, true,
     Measure::pool_contributions, per_partner<&Projection::pool_balance_share>, explain_pool, nullptr},
    {Measure::pool_cost, Q, "cost_", " net cost", kMoney, kNone, kOwn, true, Measure::pool_contributions,
     per_partner<&Projection::pool_cost>, explain_pool, nullptr},
}};

const std::array<ViewInfo, 4> kViews = {{
    {View::partners, "partners", P, Measure::gap, true},
    {View::services, "services", S, Measure::net, true},
    {View::schemes, "schemes", K, Measure::scheme_saving, false},
    {View::pools, "pools", Q, Measure::pool_balance, false},
}};

// Whether the system has a total of `m`, summed over `system_of` (or partners and services).
bool system_has(const MeasureInfo& row, std::optional<EntityKind> system_of) {
  if (row.total != SystemTotal::sum) return false;
  return system_of ? row.kind == *system_of : row.kind == P || row.kind == S;
}

}  // namespace

std::string_view kind_name(EntityKind kind) {
  switch (kind) {
    case EntityKind::partner: return "partner";
    case EntityKind::service: return "service";
    case EntityKind::scheme: return "scheme";
    case EntityKind::pool: return "pool";
    case EntityKind::system: return "system";
  }
  return "system";
}

std::span<const MeasureInfo> catalogue() { return kRows; }
const MeasureInfo& info(Measure m) { return kRows[static_cast<std::size_t>(m)]; }

std::span<const ViewInfo> views() { return kViews; }

const ViewInfo& view_info(View view) {
  for (const ViewInfo& v : kViews)
    if (v.view == view) return v;
  return kViews[0];
}

std::optional<View> parse_view(std::string_view name) {
  if (name == "all") return View::all;
  for (const ViewInfo& v : kViews)
    if (v.name == name) return v.view;
  return std::nullopt;
}

std::string_view view_name(View view) { return view == View::all ? "all" : view_info(view).name; }

double figure_value(const Projection& p, const Figure& f, int t) {
  if (f.kind == EntityKind::system) return p.system(static_cast<Index>(f.measure), t);
  const MeasureInfo& row = info(f.measure);
  return row.matrix ? (p.*row.matrix)(f.entity, t) : row.value(p, f, t);
}

std::string measure_name(const Scenario& sc, const Figure& f) {
  const MeasureInfo& row = info(f.measure);
  if (!row.per_partner) return std::string(row.name);
  return fmt::format("{}{}", row.name, sc.partners[static_cast<std::size_t>(f.partner)].id);
}

std::string measure_label(const Scenario& sc, const Figure& f) {
  const MeasureInfo& row = info(f.measure);
  if (!row.per_partner) return std::string(row.label);
  return fmt::format("{}{}", sc.partners[static_cast<std::size_t>(f.partner)].id, row.label);
}

std::string figure_text(const Scenario& sc, const Figure& f, int t) {
  return fmt::format("{}.{}[{}]", sc.id_of(f.kind, f.entity), measure_name(sc, f), sc.year(t));
}

std::vector<Figure> figures_of(const Scenario& sc, EntityKind kind, int entity, std::optional<EntityKind> system_of) {
  std::vector<Figure> out;
  for (const MeasureInfo& row : kRows) {
    if (kind == EntityKind::system ? system_has(row, system_of) : row.kind == kind && !row.per_partner)
      out.push_back({row.measure, kind, kind == EntityKind::system ? -1 : entity, -1});
  }
  if (kind != EntityKind::pool) return out;
  // Then each partner the pool involves, its per-partner figures together.
  const Pool& pool = sc.pools[static_cast<std::size_t>(entity)];
  for (std::size_t i = 0; i < sc.partners.size(); ++i) {
    if (!pool.involves(static_cast<int>(i))) continue;
    for (const MeasureInfo& row : kRows)
      if (row.kind == kind && row.per_partner) out.push_back({row.measure, kind, entity, static_cast<int>(i)});
  }
  return out;
}

std::optional<Figure> find_figure(const Scenario& sc, EntityKind kind, int entity, std::string_view name,
                                  std::optional<EntityKind> system_of) {
  for (const Figure& f : figures_of(sc, kind, entity, system_of))
    if (measure_name(sc, f) == name) return f;
  return std::nullopt;
}

namespace stages {

void system_totals(Projection& p, Detail detail) {
  p.system.setZero();
  for (const MeasureInfo& row : kRows) {
    if (row.total != SystemTotal::sum) continue;
    if (detail == Detail::gaps && row.measure != Measure::gap) continue;
    // Row by row in file order: each year's total is 0 + x_0 + x_1 + ..., as a person adds them.
    const Eigen::ArrayXXd& x = p.*row.matrix;
    const Index r = static_cast<Index>(row.measure);
    for (Index e = 0; e < x.rows(); ++e) p.system.row(r) += x.row(e);
  }
}

}  // namespace stages

}  // namespace fundgap
