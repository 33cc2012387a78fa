// The engine: the stages of stages.h in their fixed order.
#include <array>

#include "fundgap/model/projection.h"
#include "stages.h"

namespace fundgap {

using Eigen::Index;

namespace stages {

// What inputs reach: the services whose baseline they move, the schemes whose figures
// they move, the services where those land, and whether the pools' contributions move.
// Funding is not followed: its stage is cheap and reruns in full. Places and delegations (which spread spend
// by shares any input may move) and the scenario-wide inputs make every row move.
Engine::Reach reach_of(const Scenario& sc, std::span<const ParameterTarget> varying) {
  using F = ParameterTarget::Field;
  const std::size_t S = sc.services.size(), K = sc.schemes.size();
  std::vector<char> service(S, 0), scheme(K, 0);
  bool all = !sc.places.empty() || !sc.delegations.empty(), pools = false;
  for (const ParameterTarget& t : varying) switch (t.field) {
      case F::service_base: case F::demand: case F::inflation: case F::pressure_amount:
        service[static_cast<std::size_t>(t.entity)] = 1;
        break;
      case F::saving: case F::ramp: case F::confidence: case F::reprovide_share: case F::investment:
      case F::investment_ramp: case F::scheme_amount: case F::one_off_cost:
        scheme[static_cast<std::size_t>(t.entity)] = 1;
        break;
      case F::contribution: case F::pool_growth: case F::pool_source_base: case F::pool_source_growth:
      case F::pool_allocation: case F::pool_minimum: case F::pool_minimum_growth:
        pools = true;
        break;
      case F::funding_base: case F::funding_growth: case F::stream_base:
      case F::stream_growth: case F::stream_amount: case F::tax_base: case F::tax_base_growth: case F::band_d:
      case F::ct_core: case F::ct_precept: case F::reserves_opening: case F::reserves_minimum: case F::reserves_use:
      case F::stream_quantum: case F::stream_quantum_growth: case F::stream_weighted_population: case F::pool_tier:
        break;
      case F::deflator: case F::discount: case F::place_population: case F::place_weighted_population:
      case F::service_place_share: case F::delegation_envelope: case F::delegation_historic:
      case F::delegation_fair: case F::delegation_glide: case F::delegation_floor: case F::delegation_cap:
        all = true;
        break;
    }
  Engine::Reach r;
  if (all) return r;
  r.all = false;
  r.pools = pools;
  std::vector<char> net = service;
  for (std::size_t s = 0; s < S; ++s)
    if (service[s]) r.services.push_back(static_cast<Index>(s));
  // A scheme moves with its own inputs or its service's baseline; it lands on its
  // service (saving, one-off cost), where it re-provides and where it invests.
  for (std::size_t k = 0; k < K; ++k) {
    const Scheme& sk = sc.schemes[k];
    if (!scheme[k] && !service[static_cast<std::size_t>(sk.service)]) continue;
    r.schemes.push_back(static_cast<Index>(k));
    for (int d : {sk.service, sk.reprovide_service, sk.investment_service})
      if (d >= 0) net[static_cast<std::size_t>(d)] = 1;
  }
  for (std::size_t s = 0; s < S; ++s)
    if (net[s]) r.net.push_back(static_cast<Index>(s));
  return r;
}

Engine::Landings landings_of(const Scenario& sc) {
  const std::size_t S = sc.services.size();
  std::vector<std::vector<Engine::Landing>> sums(3 * S);
  for (std::size_t k = 0; k < sc.schemes.size(); ++k) {
    const Scheme& sk = sc.schemes[k];
    const auto ki = static_cast<Index>(k);
    auto onto = [&](int s, int j) -> auto& { return sums[3 * static_cast<std::size_t>(s) + static_cast<std::size_t>(j)]; };
    onto(sk.service, 0).push_back({&Projection::scheme_saving, ki});
    if (sk.reprovide_service >= 0) onto(sk.reprovide_service, 1).push_back({&Projection::scheme_reprovided, ki});
    if (sk.investment_service >= 0) onto(sk.investment_service, 2).push_back({&Projection::scheme_investment, ki});
    if (sk.one_off_cost.size() > 0) onto(sk.service, 2).push_back({&Projection::scheme_one_off_cost, ki});
  }
  Engine::Landings out;
  out.offsets.push_back(0);
  for (const auto& sum : sums) {
    out.entries.insert(out.entries.end(), sum.begin(), sum.end());
    out.offsets.push_back(out.entries.size());
  }
  return out;
}

SparseSpend sparse_spend(const Scenario& sc) {
  SparseSpend out;
  const Index S = static_cast<Index>(sc.services.size());
  for (Index s = 0; s < S; ++s) {
    const Service& sv = sc.services[static_cast<std::size_t>(s)];
    if (sv.pool >= 0)
      out.membership.emplace_back(sv.pool, s);
    else
      for (const FundingShare& f : sv.funders) out.shares.push_back({f.partner, s, f.share});
  }
  return out;
}

}  // namespace stages

Engine::Engine(const Scenario& sc, std::span<const ParameterTarget> varying)
    : reach_(stages::reach_of(sc, varying)), landings_(stages::landings_of(sc)) {
  stages::SparseSpend sparse = stages::sparse_spend(sc);
  shares_ = std::move(sparse.shares);
  membership_ = std::move(sparse.membership);
  for (const Service& sv : sc.services) pressures_ = pressures_ || !sv.pressures.empty();
  for (const Scheme& k : sc.schemes) one_off_costs_ = one_off_costs_ || k.one_off_cost.size() > 0;
  for (const Partner& p : sc.partners) {
    council_tax_ = council_tax_ || p.council_tax >= 0;
    reserves_ = reserves_ || p.reserves.has_value();
  }
  lead_providers_ = stages::has_lead_providers(sc);
}

ProjectionStatus Engine::run(const Scenario& sc, Projection& p, Detail detail) const {
  return project(sc, p, detail, all_);
}

ProjectionStatus Engine::rerun(const Scenario& sc, Projection& p) const {
  return project(sc, p, Detail::gaps, reach_);
}

ProjectionStatus Engine::project(const Scenario& sc, Projection& p, Detail detail, const Reach& reach) const {
  const Index Y = sc.years();
  const Index S = static_cast<Index>(sc.services.size()), K = static_cast<Index>(sc.schemes.size());
  const Index P = static_cast<Index>(sc.partners.size()), Q = static_cast<Index>(sc.pools.size());
  const bool full = detail == Detail::full;
  // resize() keeps the storage when the size is unchanged: no allocation after the first run.
  // Arrays of a concept the scenario does not have get no rows.
  for (Table* a : {&p.baseline, &p.savings, &p.reprovided, &p.investment, &p.net}) a->resize(S, Y);
  p.pressures.resize(pressures_ ? S : 0, Y);
  for (Table* a : {&p.scheme_saving, &p.scheme_reprovided, &p.scheme_investment}) a->resize(K, Y);
  p.scheme_one_off_cost.resize(one_off_costs_ ? K : 0, Y);
  for (Table* a : {&p.funding, &p.spend, &p.gap, &p.spend_do_nothing, &p.gap_do_nothing}) a->resize(P, Y);
  for (Table* a : {&p.tax_base, &p.band_d}) a->resize(council_tax_ ? P : 0, Y);
  for (Table* a : {&p.pool_contributions, &p.pool_spend, &p.pool_balance, &p.pool_balance_do_nothing})
    a->resize(Q, Y);
  p.risk_share.resize(Q, P);
  for (auto* v : {&p.pool_partner_contribution, &p.pool_balance_share, &p.pool_cost, &p.pool_source,
                  &p.pool_source_index, &p.pool_unallocated, &p.pool_allocation, &p.pool_minimum,
                  &p.pool_minimum_headroom})
    v->resize(static_cast<std::size_t>(Q));
  for (auto* v : {&p.stream_funding, &p.stream_target, &p.stream_distance, &p.stream_distance_pct,
                  &p.stream_convergence})
    v->resize(static_cast<std::size_t>(P));
  p.scheme_place_saving.resize(static_cast<std::size_t>(K));
  p.system.resize(kMeasureCount, Y);

  ProjectionStatus status;
  stages::place_shares(sc, p);
  stages::baseline(sc, p, reach);
  stages::schemes(sc, p, reach, landings_);
  status.overspends = stages::overspends(sc, p, reach);
  if (!status.ok()) return status;
  stages::net(p, reach);
  stages::funding(sc, p);
  if (reach.all || reach.pools) stages::pool_contributions(sc, p);
  stages::spend(sc, shares_, membership_, p, p.net, p.pool_spend, p.pool_balance, p.spend, p.pool_shared);
  // Places' budgets, once funding and net spend are known: in full, and in every run when a
  // lead provider's variance moves between partners (what the gaps then depend on).
  if (sc.format_minor >= 1 && (full || lead_providers_)) {
    status = stages::places(sc, p);
    if (!status.ok()) return status;
    if (lead_providers_) stages::carry_place_variance(sc, p, false);
  }
  p.gap = p.spend - p.funding;
  if (full) {
    stages::pool_shares(sc, p);
    Table pooled_baseline(Q, Y);
    stages::spend(sc, shares_, membership_, p, p.baseline, pooled_baseline, p.pool_balance_do_nothing, p.spend_do_nothing,
                  p.pool_shared_do_nothing);
    if (lead_providers_) stages::carry_place_variance(sc, p, true);
    p.gap_do_nothing = p.spend_do_nothing - p.funding;
    if (sc.format_minor >= 1) {
      stages::gap_annual(p);
      for (Table* a : {&p.ct_per_1pct, &p.gap_ct_equivalent}) a->setZero(council_tax_ ? P : 0, Y);
      if (council_tax_) stages::council_tax_measures(sc, p);
      for (Table* a : {&p.reserves_used, &p.reserves, &p.reserves_minimum, &p.reserves_headroom,
                          &p.gap_after_reserves})
        a->setZero(reserves_ ? P : 0, Y);
      if (reserves_) stages::reserves(sc, p);
      for (Table* a : {&p.scheme_net_benefit, &p.scheme_npv, &p.scheme_roi}) a->resize(K, Y);
      stages::economics(sc, p);
    }
  }
  stages::system_totals(sc, p, detail);
  status.misfit = stages::first_misfit(sc, p, detail, reach);
  return status;
}

Diagnostics status_diagnostics(const Scenario& sc, const ProjectionStatus& status) {
  Diagnostics d = stages::overspend_diagnostics(sc, status.overspends);
  d.append(stages::allocation_diagnostics(sc, status.allocations));
  d.append(stages::misfit_diagnostics(sc, status.misfit));
  return d;
}

std::vector<std::string> projection_notes(const Scenario& sc, const Projection& p) {
  if (sc.format_minor < 1) return {};
  std::vector<std::string> notes = stages::reserves_notes(sc, p);
  for (std::string& n : stages::economics_notes(sc, p)) notes.push_back(std::move(n));
  return notes;
}

Projection project(const Scenario& scenario) {
  Projection p;
  const ProjectionStatus status = Engine(scenario).run(scenario, p);
  if (!status.ok()) throw InputError(status_diagnostics(scenario, status));
  return p;
}

}  // namespace fundgap
