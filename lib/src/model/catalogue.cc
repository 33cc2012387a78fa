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

template <Table Projection::*member>
double entity_row(const Projection& p, const Figure& f, int t) {
  return (p.*member)(f.entity, t);
}

template <std::vector<Table> Projection::*member>
double sub_row(const Projection& p, const Figure& f, int t) {
  return (p.*member)[static_cast<std::size_t>(f.entity)](f.sub, t);
}

constexpr auto P = EntityKind::partner;
constexpr auto S = EntityKind::service;
constexpr auto K = EntityKind::scheme;
constexpr auto Q = EntityKind::pool;
constexpr auto L = EntityKind::place;
constexpr auto kMoney = Unit::money;
constexpr auto kNone = Adverse::none;
constexpr auto kSum = SystemTotal::sum;
constexpr auto kOwn = SystemTotal::none;
constexpr auto kOne = Sub::none;

// Which entities have a measure (nullptr in a row: every entity).
bool format_1_1(const Scenario& sc, int) { return sc.format_minor >= 1; }
bool has_reserves(const Scenario& sc, int p) { return sc.partners[static_cast<std::size_t>(p)].reserves.has_value(); }
bool has_council_tax(const Scenario& sc, int p) { return sc.partners[static_cast<std::size_t>(p)].council_tax >= 0; }
bool has_pressures(const Scenario& sc, int s) { return !sc.services[static_cast<std::size_t>(s)].pressures.empty(); }
bool has_one_off_cost(const Scenario& sc, int k) { return sc.schemes[static_cast<std::size_t>(k)].one_off_cost.size() > 0; }
bool stream_has_target(const Scenario& sc, int p, int k) {
  return sc.partners[static_cast<std::size_t>(p)].streams[static_cast<std::size_t>(k)].has_target;
}
bool delegates(const Scenario& sc, int p) {
  for (const Delegation& d : sc.delegations)
    if (d.partner == p) return true;
  return false;
}
bool has_delegations(const Scenario& sc, int) { return !sc.delegations.empty(); }
bool carries_forward(const Scenario& sc, int q) { return sc.pools[static_cast<std::size_t>(q)].carry_forward; }
bool has_costs(const Scenario& sc, int k) {
  return sc.format_minor >= 1 && sc.schemes[static_cast<std::size_t>(k)].has_costs();
}

#define ROW(measure, kind, name, label, unit, adverse, total, share_of, applies, explain) \
  {Measure::measure, kind, name, label, unit, adverse, total, kOne, Measure::share_of, applies, nullptr, \
   entity_row<&Projection::measure>, explain, &Projection::measure}
#define SUB_ROW(measure, kind, name, label, sub, share_of, array, explain) \
  {Measure::measure, kind, name, label, kMoney, kNone, kOwn, sub, Measure::share_of, nullptr, nullptr, \
   sub_row<&Projection::array>, explain, nullptr}
#define TARGET_ROW(measure, name, label, unit, array) \
  {Measure::measure, P, name, label, unit, kNone, kOwn, Sub::partner_stream, Measure::funding, nullptr, \
   stream_has_target, sub_row<&Projection::array>, explain_stream_target, nullptr}

// In report order; info() finds a row by its measure. A run of rows with the same Sub is
// expanded sub-figure by sub-figure (a pool's partners each with their three figures).
const std::array<MeasureInfo, kMeasureCount> kRows = {{
    ROW(funding, P, "funding", "funding", kMoney, kNone, kSum, funding, nullptr, explain_funding),
    SUB_ROW(stream_funding, P, "funding.", "funding: ", Sub::partner_stream, funding, stream_funding, explain_stream),
    TARGET_ROW(stream_target, "target.", "target: ", kMoney, stream_target),
    TARGET_ROW(stream_distance, "distance.", "distance from target: ", kMoney, stream_distance),
    TARGET_ROW(stream_distance_pct, "distance_pct.", "distance from target, %: ", Unit::share, stream_distance_pct),
    TARGET_ROW(stream_convergence, "convergence.", "convergence: ", kMoney, stream_convergence),
    ROW(delegated, P, "delegated", "delegated to places", kMoney, kNone, kSum, funding, delegates, explain_delegated),
    ROW(spend, P, "spend", "spend", kMoney, kNone, kSum, funding, nullptr, explain_spend),
    ROW(gap, P, "gap", "gap", kMoney, Adverse::above_zero, kSum, funding, nullptr, explain_gap),
    ROW(gap_do_nothing, P, "gap_do_nothing", "gap, do nothing", kMoney, Adverse::above_zero, kSum, funding, nullptr,
        explain_gap),
    ROW(gap_annual, P, "gap_annual", "gap, change in year", kMoney, Adverse::above_zero, kSum, funding, format_1_1,
        explain_gap_annual),
    ROW(reserves_used, P, "reserves_used", "reserves used", kMoney, kNone, kSum, funding, has_reserves,
        explain_reserves),
    ROW(reserves, P, "reserves", "reserves", kMoney, Adverse::below_zero, kSum, funding, has_reserves,
        explain_reserves),
    ROW(reserves_minimum, P, "reserves_minimum", "reserves, minimum", kMoney, kNone, kSum, funding, has_reserves,
        explain_reserves),
    ROW(reserves_headroom, P, "reserves_headroom", "reserves, headroom", kMoney, Adverse::below_zero, kSum, funding,
        has_reserves, explain_reserves),
    ROW(gap_after_reserves, P, "gap_after_reserves", "gap after reserves", kMoney, Adverse::above_zero, kSum, funding,
        has_reserves, explain_reserves),
    ROW(tax_base, P, "tax_base", "council tax base", Unit::count, kNone, kOwn, tax_base, has_council_tax,
        explain_council_tax),
    ROW(band_d, P, "band_d", "Band D", Unit::pounds, kNone, kOwn, band_d, has_council_tax, explain_council_tax),
    ROW(ct_per_1pct, P, "ct_per_1pct", "1% of council tax", kMoney, kNone, kOwn, funding, has_council_tax,
        explain_council_tax),
    ROW(gap_ct_equivalent, P, "gap_ct_equivalent", "gap as council tax", Unit::share, Adverse::above_zero, kOwn,
        funding, has_council_tax, explain_council_tax),

    ROW(baseline, S, "baseline", "baseline", kMoney, kNone, kSum, baseline, nullptr, explain_baseline),
    ROW(pressures, S, "pressures", "pressures", kMoney, kNone, kSum, baseline, has_pressures, explain_pressures),
    ROW(savings, S, "savings", "savings", kMoney, kNone, kSum, baseline, nullptr, explain_service_schemes),
    ROW(reprovided, S, "reprovided", "re-provided", kMoney, kNone, kSum, baseline, nullptr, explain_service_schemes),
    ROW(investment, S, "investment", "investment", kMoney, kNone, kSum, baseline, nullptr, explain_service_schemes),
    ROW(net, S, "net", "net spend", kMoney, kNone, kSum, baseline, nullptr, explain_net),

    // No system totals: they would repeat the services' savings, re-provision and investment.
    ROW(scheme_saving, K, "saving", "saving", kMoney, kNone, kOwn, scheme_saving, nullptr, explain_scheme),
    ROW(scheme_reprovided, K, "reprovided", "re-provided", kMoney, kNone, kOwn, scheme_saving, nullptr, explain_scheme),
    ROW(scheme_investment, K, "investment", "investment", kMoney, kNone, kOwn, scheme_saving, nullptr, explain_scheme),
    ROW(scheme_one_off_cost, K, "one_off_cost", "one-off cost", kMoney, kNone, kOwn, scheme_saving, has_one_off_cost,
        explain_scheme),
    ROW(scheme_net_benefit, K, "net_benefit", "net benefit to date", kMoney, Adverse::below_zero, kOwn, scheme_saving,
        format_1_1, explain_economics),
    ROW(scheme_npv, K, "npv", "net present value", kMoney, Adverse::below_zero, kOwn, scheme_saving, format_1_1,
        explain_economics),
    ROW(scheme_roi, K, "roi", "return on investment", Unit::share, Adverse::below_zero, kOwn, scheme_saving, has_costs,
        explain_economics),

    // No system totals: the system's spend is the partners' spend.
    ROW(pool_contributions, Q, "contributions", "contributions", kMoney, kNone, kOwn, pool_contributions, nullptr,
        explain_pool),
    ROW(pool_spend, Q, "spend", "spend", kMoney, kNone, kOwn, pool_contributions, nullptr, explain_pool),
    ROW(pool_balance, Q, "balance", "balance", kMoney, Adverse::below_zero, kOwn, pool_contributions, nullptr,
        explain_pool),
    SUB_ROW(pool_contribution, Q, "contribution_", " contribution", Sub::pool_partner, pool_contributions,
            pool_partner_contribution, explain_pool),
    {Measure::pool_balance_share, Q, "balance_share_", " share of balance", kMoney, Adverse::below_zero, kOwn,
     Sub::pool_partner, Measure::pool_contributions, nullptr, nullptr, sub_row<&Projection::pool_balance_share>,
     explain_pool, nullptr},
    SUB_ROW(pool_cost, Q, "cost_", " net cost", Sub::pool_partner, pool_contributions, pool_cost, explain_pool),
    ROW(pool_carried, Q, "carried_forward", "carried forward", kMoney, kNone, kOwn, pool_contributions, carries_forward,
        explain_pool),
    SUB_ROW(pool_source, Q, "source_", "source: ", Sub::pool_source, pool_contributions, pool_source, explain_pool),
    {Measure::pool_unallocated, Q, "unallocated_", "unallocated: ", kMoney, Adverse::below_zero, kOwn, Sub::pool_source,
     Measure::pool_contributions, nullptr, nullptr, sub_row<&Projection::pool_unallocated>, explain_pool, nullptr},
    SUB_ROW(pool_allocation, Q, "allocation_", "allocation: ", Sub::pool_allocation, pool_contributions,
            pool_allocation, explain_pool),
    SUB_ROW(pool_minimum, Q, "minimum_", "minimum: ", Sub::pool_minimum, pool_contributions, pool_minimum,
            explain_pool),
    {Measure::pool_minimum_headroom, Q, "minimum_headroom_", "minimum headroom: ", kMoney, Adverse::below_zero, kOwn,
     Sub::pool_minimum, Measure::pool_contributions, nullptr, nullptr, sub_row<&Projection::pool_minimum_headroom>,
     explain_pool, nullptr},

    // No system totals: the system's spend and gap are the partners'; places' budgets add
    // up to what their partners delegate.
    ROW(place_budget, L, "budget", "budget", kMoney, kNone, kOwn, place_budget, has_delegations, explain_place),
    ROW(place_target, L, "target", "fair-share target", kMoney, kNone, kOwn, place_budget, has_delegations,
        explain_place),
    ROW(place_distance, L, "distance", "distance from target", kMoney, kNone, kOwn, place_budget, has_delegations,
        explain_place),
    ROW(place_distance_pct, L, "distance_pct", "distance from target, %", Unit::share, kNone, kOwn, place_budget,
        has_delegations, explain_place),
    ROW(place_spend, L, "spend", "spend", kMoney, kNone, kOwn, place_budget, nullptr, explain_place),
    ROW(place_gap, L, "gap", "gap", kMoney, Adverse::above_zero, kOwn, place_budget, has_delegations, explain_place),
}};

#undef ROW
#undef SUB_ROW
#undef TARGET_ROW

// The row of each measure, by its enum value.
const std::array<const MeasureInfo*, kMeasureCount> kByMeasure = [] {
  std::array<const MeasureInfo*, kMeasureCount> by{};
  for (const MeasureInfo& row : kRows) by[static_cast<std::size_t>(row.measure)] = &row;
  return by;
}();

const std::array<ViewInfo, 5> kViews = {{
    {View::partners, "partners", P, Measure::gap, true, false},
    {View::services, "services", S, Measure::net, true, false},
    {View::schemes, "schemes", K, Measure::scheme_saving, false, false},
    {View::pools, "pools", Q, Measure::pool_balance, false, false},
    {View::places, "places", L, Measure::place_gap, false, true},
}};

bool applies(const MeasureInfo& row, const Scenario& sc, int entity) { return !row.applies || row.applies(sc, entity); }

// Whether some entity of its kind has the measure.
bool any_applies(const MeasureInfo& row, const Scenario& sc) {
  for (int e = 0; e < sc.count(row.kind); ++e)
    if (applies(row, sc, e)) return true;
  return false;
}

// Whether the system has a total of `row`'s measure, summed over `system_of` (or
// partners and services): a summed measure that some entity has.
bool system_has(const MeasureInfo& row, const Scenario& sc, std::optional<EntityKind> system_of) {
  if (row.total != SystemTotal::sum) return false;
  if (system_of ? row.kind != *system_of : row.kind != P && row.kind != S) return false;
  return any_applies(row, sc);
}

// How many sub-figures `row` has for `entity`, and the id of each.
int sub_count(const MeasureInfo& row, const Scenario& sc, int entity) {
  switch (row.sub) {
    case Sub::none: return 1;
    case Sub::pool_partner: return static_cast<int>(sc.partners.size());
    case Sub::partner_stream: return static_cast<int>(sc.partners[static_cast<std::size_t>(entity)].streams.size());
    case Sub::pool_source: return static_cast<int>(sc.pools[static_cast<std::size_t>(entity)].sources.size());
    case Sub::pool_allocation: return static_cast<int>(sc.pools[static_cast<std::size_t>(entity)].allocations.size());
    case Sub::pool_minimum: return static_cast<int>(sc.pools[static_cast<std::size_t>(entity)].minimums.size());
  }
  return 1;
}

bool sub_applies(const MeasureInfo& row, const Scenario& sc, int entity, int sub) {
  if (row.applies_sub && !row.applies_sub(sc, entity, sub)) return false;
  return row.sub != Sub::pool_partner || sc.pools[static_cast<std::size_t>(entity)].involves(sub);
}

const std::string& sub_id(const MeasureInfo& row, const Scenario& sc, const Figure& f) {
  const auto e = static_cast<std::size_t>(f.entity), i = static_cast<std::size_t>(f.sub);
  switch (row.sub) {
    case Sub::partner_stream: return sc.partners[e].streams[i].id;
    case Sub::pool_source: return sc.pools[e].sources[i].id;
    case Sub::pool_allocation: return sc.pools[e].allocations[i].target;
    case Sub::pool_minimum: return sc.pools[e].minimums[i].id;
    default: return sc.partners[i].id;
  }
}

}  // namespace

std::string_view kind_name(EntityKind kind) {
  switch (kind) {
    case EntityKind::partner: return "partner";
    case EntityKind::service: return "service";
    case EntityKind::scheme: return "scheme";
    case EntityKind::pool: return "pool";
    case EntityKind::place: return "place";
    case EntityKind::system: return "system";
  }
  return "system";
}

std::span<const MeasureInfo> catalogue() { return kRows; }
const MeasureInfo& info(Measure m) { return *kByMeasure[static_cast<std::size_t>(m)]; }

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
  if (row.sub == Sub::none) return std::string(row.name);
  return fmt::format("{}{}", row.name, sub_id(row, sc, f));
}

std::string measure_label(const Scenario& sc, const Figure& f) {
  const MeasureInfo& row = info(f.measure);
  switch (row.sub) {
    case Sub::none: return std::string(row.label);
    case Sub::pool_partner: return fmt::format("{}{}", sub_id(row, sc, f), row.label);
    case Sub::partner_stream:  // by the stream's name
      return fmt::format("{}{}", row.label,
                         sc.partners[static_cast<std::size_t>(f.entity)].streams[static_cast<std::size_t>(f.sub)].name);
    case Sub::pool_source:
    case Sub::pool_allocation:
    case Sub::pool_minimum: return fmt::format("{}{}", row.label, sub_id(row, sc, f));
  }
  return std::string(row.label);
}

std::string figure_text(const Scenario& sc, const Figure& f, int t) {
  return fmt::format("{}.{}[{}]", sc.id_of(f.kind, f.entity), measure_name(sc, f), sc.year(t));
}

std::vector<Figure> figures_of(const Scenario& sc, EntityKind kind, int entity, std::optional<EntityKind> system_of) {
  std::vector<Figure> out;
  if (kind == EntityKind::system) {
    for (const MeasureInfo& row : kRows)
      if (system_has(row, sc, system_of)) out.push_back({row.measure, kind, -1, -1});
    return out;
  }
  for (std::size_t r = 0; r < kRows.size();) {
    const MeasureInfo& row = kRows[r];
    if (row.kind != kind || !applies(row, sc, entity)) {
      ++r;
      continue;
    }
    if (row.sub == Sub::none) {
      out.push_back({row.measure, kind, entity, -1});
      ++r;
      continue;
    }
    // A run of rows with this Sub: sub-figure by sub-figure, each with all of the run's measures.
    std::size_t end = r;
    while (end < kRows.size() && kRows[end].kind == kind && kRows[end].sub == row.sub) ++end;
    for (int sub = 0; sub < sub_count(row, sc, entity); ++sub)
      for (std::size_t q = r; q < end; ++q)
        if (sub_applies(kRows[q], sc, entity, sub)) out.push_back({kRows[q].measure, kind, entity, sub});
    r = end;
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

void system_totals(const Scenario& sc, Projection& p, Detail detail) {
  p.system.setZero();
  for (const MeasureInfo& row : kRows) {
    if (row.total != SystemTotal::sum) continue;
    if (detail == Detail::gaps && row.measure != Measure::gap) continue;
    if (!any_applies(row, sc)) continue;
    // Row by row in file order: each year's total is 0 + x_0 + x_1 + ..., as a person adds
    // them. Entities without the measure hold zeros.
    const Table& x = p.*row.matrix;
    const Index r = static_cast<Index>(row.measure);
    for (Index e = 0; e < x.rows(); ++e) p.system.row(r) += x.row(e);
  }
}

FUNDGAP_LANES void system_gap_lanes(const LaneTable& gap, LaneTable& system_gap) {
  // As system_totals(): 0 + each partner's gap in file order.
  for (Index t = 0; t < gap.years; ++t) {
    Lanes total{};
    for (Index e = 0; e < gap.rows; ++e) total += load(gap.at(e, t));
    store(system_gap.at(0, t), total);
  }
}

}  // namespace stages

}  // namespace fundgap
