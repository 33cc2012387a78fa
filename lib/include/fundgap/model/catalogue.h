// The catalogue of figures: every kind of entity and every measure fundgap reports, one
// row each. `run --view`, CSV and JSON, checks, `explain`, `compare` and its gates,
// `simulate`, `sensitivity` and `solve` all name and read figures through it.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <Eigen/Core>

namespace fundgap {

// A figure's values: one row per entity, one column per year t = 0..T (base year first).
// Row-major: the stages work entity by entity, so each entity's years are side by side
// in memory.
using Table = Eigen::Array<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

struct Projection;
struct Scenario;
struct Explanation;
class Explainer;

enum class EntityKind { partner, service, scheme, pool, place, system };

// "partner", "service", "scheme", "pool", "place", "system".
std::string_view kind_name(EntityKind kind);

enum class Measure {
  // partners
  funding, spend, gap, gap_do_nothing,
  // services
  baseline, savings, reprovided, investment, net,
  // schemes
  scheme_saving, scheme_reprovided, scheme_investment,
  // pools
  pool_contributions, pool_spend, pool_balance,
  // pools, one figure for each partner the pool involves
  pool_contribution, pool_balance_share, pool_cost,
  // format 1.1: partners
  stream_funding,  // one figure per funding stream of the partner
  gap_annual, reserves_used, reserves, reserves_minimum, reserves_headroom, gap_after_reserves,
  tax_base, band_d, ct_per_1pct, gap_ct_equivalent,
  // format 1.1: services
  pressures,
  // format 1.1: schemes
  scheme_one_off_cost, scheme_net_benefit, scheme_npv, scheme_roi,
  // format 1.1: a partner's funding stream with a target (one figure per such stream)
  stream_target, stream_distance, stream_distance_pct, stream_convergence,
  delegated,  // a partner's budgets delegated to places (the delegations' envelopes)
  // format 1.1: places
  place_budget, place_target, place_distance, place_distance_pct, place_spend, place_gap,
  // format 1.1: pools
  pool_carried,           // the underspend carried into the next year
  pool_source,            // one figure per source of the pool: its money
  pool_unallocated,       // per source: its money less its allocations (negative: over-allocated)
  pool_allocation,        // one per allocation: the money allocated to a service or scheme
  pool_minimum,           // one per ring-fenced minimum: what it requires
  pool_minimum_headroom,  // per minimum: what the allocations give above it (negative: short)
};
inline constexpr int kMeasureCount = static_cast<int>(Measure::pool_minimum_headroom) + 1;

enum class Unit {
  money,        // currency units
  probability,  // in [0, 1], shown as a percentage
  share,        // a fraction, shown as a percentage (a return on investment, a gap as council tax)
  pounds,       // currency units shown to the penny, not in millions (a Band D charge)
  count,        // a plain number (Band D equivalent dwellings)
};

// The figures a measure has for one entity.
enum class Sub {
  none,            // one
  pool_partner,    // one for each partner the pool involves; the name ends with the partner id
  partner_stream,  // one for each of the partner's funding streams; the name ends with the stream id
  pool_source,     // one for each source of the pool; the name ends with the source id
  pool_allocation, // one for each allocation of the pool; the name ends with its service or scheme
  pool_minimum,    // one for each ring-fenced minimum of the pool; the name ends with its id
};

// Which sign of a figure is bad news: a gap above zero (a shortfall), a balance below
// zero (an overspend).
enum class Adverse { none, above_zero, below_zero };

// How a measure reaches the whole system: summed over the entities of its kind, or not
// at all (a scheme's saving is already in its service's savings).
enum class SystemTotal { none, sum };

// One figure, without its year: a measure of one entity.
struct Figure {
  Measure measure = Measure::gap;
  EntityKind kind = EntityKind::system;
  int entity = -1;  // index into the scenario's list of that kind; -1 for the system
  int sub = -1;     // a pool's per-partner measure: the partner; a partner's stream: the stream

  friend bool operator==(const Figure&, const Figure&) = default;
};

// A figure in one year.
struct FigureRef {
  Figure figure;
  int year = 0;  // index t
};

struct MeasureInfo {
  Measure measure;
  EntityKind kind;
  std::string_view name;   // in CSV, JSON and checks; a sub-figure appends the partner or stream id
  std::string_view label;  // in the table; a pool-partner label starts with the partner id
  Unit unit;
  Adverse adverse;
  SystemTotal total;
  Sub sub;
  Measure share_of;        // what a percentage in a check is a share of
  // Whether an entity has the measure: nullptr for every entity; else, for instance,
  // reserves only for partners with reserves (so a scenario without them reports as before).
  bool (*applies)(const Scenario&, int entity);
  // For a sub-figure: whether that entity's sub-figure has it (nullptr: every one).
  bool (*applies_sub)(const Scenario&, int entity, int sub);
  // The figure's value in year t, read from a projection of its scenario.
  double (*value)(const Projection&, const Figure&, int t);
  // How the figure is built (the stage that computes it explains it).
  Explanation (*explain)(Explainer&, const Figure&, int t);
  // The entities x years array of Projection that holds the measure, when one does
  // (not for sub-figures): the fast path for totals and Monte Carlo outputs.
  const Table Projection::*matrix;
};

// Every row, in report order.
std::span<const MeasureInfo> catalogue();
const MeasureInfo& info(Measure m);

enum class View { partners, services, schemes, pools, places, all };

struct ViewInfo {
  View view;
  std::string_view name;  // as `--view` takes it
  EntityKind kind;        // the entities it shows
  Measure headline;       // what `compare` compares by default
  bool system_total;      // ends with the system's totals of its measures
  bool when_present;      // shown in View::all only for a scenario with such entities (places)
};

// The views of one kind of entity, in report order (View::all is all of them).
std::span<const ViewInfo> views();
const ViewInfo& view_info(View view);
std::optional<View> parse_view(std::string_view name);
std::string_view view_name(View view);  // "all" for View::all

// The value of `figure` in year t. REQUIRES: `projection` computed it (do-nothing
// measures and per-partner pool measures need a full projection).
double figure_value(const Projection& projection, const Figure& figure, int t);

// The measure's name for this figure: "gap", "contribution_council".
std::string measure_name(const Scenario& scenario, const Figure& figure);
// The measure's label for this figure: "gap, do nothing", "council contribution".
std::string measure_label(const Scenario& scenario, const Figure& figure);
// "council.gap[2021/22]".
std::string figure_text(const Scenario& scenario, const Figure& figure, int t);

// Every figure of one entity (the system: entity -1), in report order. The system has
// the totals of the measures of `view`'s kind, or of partners and services when `view`
// is nothing.
std::vector<Figure> figures_of(const Scenario& scenario, EntityKind kind, int entity,
                               std::optional<EntityKind> system_of = std::nullopt);
// The figure of that entity whose measure is called `name`, or nothing.
std::optional<Figure> find_figure(const Scenario& scenario, EntityKind kind, int entity, std::string_view name,
                                  std::optional<EntityKind> system_of = std::nullopt);

}  // namespace fundgap
