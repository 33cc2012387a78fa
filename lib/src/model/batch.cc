// The batch kernel: the gaps run of Engine::project, stage by stage in the same order, for
// kLanes draws at once. Each stage's lanes are in its concept's file beside the stage
// (stages.h, "lanes"); this file works out once what they need: which rows move, where each
// number they read is in a block's LaneStore, and every other figure, from a run at the
// scenario's own values.
#include "fundgap/model/batch.h"

#include <algorithm>
#include <cstring>
#include <unordered_map>

#include "stages.h"

namespace fundgap {

using Eigen::Index;

struct BatchEngine::Kernel {
  Scenario sc;  // at its own values: the constants, and the numbers the inputs' slots are
  std::size_t inputs = 0;
  Engine::Reach reach;
  stages::SpendLanes spend_parts;
  Projection p;  // the run at the scenario's own values
  stages::LaneStore in;
  std::vector<stages::ServiceLanes> services;
  std::vector<stages::SchemeLanes> schemes;
  std::vector<stages::PartnerLanes> partners;
  stages::LaneTable baseline, net;
  stages::SchemeLaneTables figures;
  stages::LaneSums sums;  // of the scheme figures landing on the services whose net spend moves
  stages::LaneTable scratch;  // net_lanes' rows of a service's three sums, and a row of zeros
  stages::LaneTable funding, pool_spend, balance, spend, gap, system_gap;
  alignas(64) char bad[kLanes];
};

namespace {

using F = ParameterTarget::Field;

// Why the kernel cannot hold an input of this field per lane, or nothing when it can.
const char* unheld(const Scenario& sc, const ParameterTarget& t) {
  switch (t.field) {
    case F::service_base: case F::demand: case F::inflation: case F::pressure_amount:
    case F::saving: case F::ramp: case F::confidence: case F::reprovide_share: case F::investment:
    case F::investment_ramp: case F::scheme_amount: case F::one_off_cost:
      return nullptr;
    case F::funding_base: case F::funding_growth:
      return sc.partners[static_cast<std::size_t>(t.entity)].streams.empty() ? nullptr : "a funding stream";
    case F::stream_base: case F::stream_growth: case F::stream_amount: case F::tax_base: case F::tax_base_growth:
    case F::band_d: case F::ct_core: case F::ct_precept: case F::stream_quantum: case F::stream_quantum_growth:
    case F::stream_weighted_population:
      return "a funding stream";
    case F::contribution: case F::pool_growth: case F::pool_source_base: case F::pool_source_growth:
    case F::pool_allocation: case F::pool_minimum: case F::pool_minimum_growth: case F::pool_tier:
      return "a pool";
    case F::reserves_opening: case F::reserves_minimum: case F::reserves_use:
      return "reserves";
    case F::deflator: case F::discount:
      return "the whole scenario (deflator or discount rate)";
    case F::place_population: case F::place_weighted_population: case F::service_place_share:
    case F::delegation_envelope: case F::delegation_historic: case F::delegation_fair: case F::delegation_glide:
    case F::delegation_floor: case F::delegation_cap:
      return "places or delegations";
  }
  return "an unknown field";
}

std::string unbatchable(const Scenario& sc, std::span<const ParameterTarget> varying) {
  if (!sc.places.empty() || !sc.delegations.empty()) return "the scenario has places or delegations";
  for (const Pool& q : sc.pools)
    if (!q.linear()) return "pool '" + q.id + "' shares its balance other than by fixed shares";
  for (const ParameterTarget& t : varying)
    if (const char* what = unheld(sc, t)) return std::string("an uncertain input of ") + what;
  return {};
}

}  // namespace

BatchEngine::BatchEngine(const Scenario& scenario, std::span<const ParameterTarget> varying)
    : why_not_(unbatchable(scenario, varying)) {
  if (!usable()) return;
  auto k = std::make_unique<Kernel>();
  Scenario& sc = k->sc;
  sc = scenario;
  if (!Engine(sc).run(sc, k->p, Detail::gaps).ok()) {
    why_not_ = "the scenario does not project at its own values";
    return;
  }
  k->inputs = varying.size();
  k->reach = stages::reach_of(sc, varying);
  k->spend_parts = stages::spend_lanes_of(sc, k->p, k->reach.net);

  // Where each number is: the row of the input that sets it (the last, as Sampler::set
  // writes them in order), or a constant row of its value.
  std::unordered_map<const double*, int> row_of;
  for (std::size_t r = 0; r < varying.size(); ++r)
    for (double& slot : parameter_slots(sc, varying[r])) row_of[&slot] = static_cast<int>(r);
  std::unordered_map<std::uint64_t, int> constant_row;
  std::vector<double> constants;
  auto constant = [&](double v) {
    std::uint64_t bits;
    std::memcpy(&bits, &v, sizeof bits);
    const auto [it, added] = constant_row.try_emplace(bits, static_cast<int>(varying.size() + constants.size()));
    if (added) constants.push_back(v);
    return it->second;
  };
  auto at = [&](const double& v) {
    const auto it = row_of.find(&v);
    return it != row_of.end() ? it->second : constant(v);
  };
  const int Y = sc.years();
  for (Index s : k->reach.services) {
    const Service& sv = sc.services[static_cast<std::size_t>(s)];
    stages::ServiceLanes r;
    r.service = s;
    r.base = at(sv.base);
    r.demand.assign(static_cast<std::size_t>(Y), -1);
    r.inflation.assign(static_cast<std::size_t>(Y), -1);
    for (int t = 1; t < Y; ++t) {
      r.demand[static_cast<std::size_t>(t)] = at(sv.demand(t));
      r.inflation[static_cast<std::size_t>(t)] = at(sv.inflation(t));
    }
    r.steady = Y > 1 && std::all_of(r.demand.begin() + 1, r.demand.end(), [&](int row) { return row == r.demand[1]; }) &&
               std::all_of(r.inflation.begin() + 1, r.inflation.end(), [&](int row) { return row == r.inflation[1]; });
    if (!sv.pressures.empty()) {
      r.recurrent.resize(static_cast<std::size_t>(Y));
      r.one_off.resize(static_cast<std::size_t>(Y));
      for (int t = 1; t < Y; ++t)
        for (const Pressure& pr : sv.pressures)
          (pr.one_off ? r.one_off : r.recurrent)[static_cast<std::size_t>(t)].push_back(at(pr.amounts(t)));
    }
    k->services.push_back(std::move(r));
  }
  for (Index ki : k->reach.schemes) {
    const Scheme& sk = sc.schemes[static_cast<std::size_t>(ki)];
    stages::SchemeLanes r;
    r.scheme = ki;
    r.saving = at(sk.saving);
    r.confidence = at(sk.confidence);
    r.reprovide_share = at(sk.reprovide_share);
    r.investment = at(sk.investment);
    for (auto* v : {&r.ramp, &r.amount, &r.investment_ramp, &r.one_off_cost}) v->assign(static_cast<std::size_t>(Y), -1);
    const int from = sk.investment_start < 0 ? sk.start : sk.investment_start;
    const std::vector<double>& investment_ramp = sk.investment_ramp.empty() ? sk.ramp : sk.investment_ramp;
    auto ramp_at = [&](const std::vector<double>& ramp, int start, int t) -> const double& {
      return ramp[std::min(static_cast<std::size_t>(t - start), ramp.size() - 1)];
    };
    for (int t = 0; t < Y; ++t) {
      const auto ti = static_cast<std::size_t>(t);
      if (t >= sk.start) r.ramp[ti] = at(ramp_at(sk.ramp, sk.start, t));
      if (t >= sk.start && sk.has_amounts) r.amount[ti] = at(sk.amounts(t));
      if (t >= from && sk.investment_service >= 0)
        r.investment_ramp[ti] = sk.investment_ramp.empty() && sk.step_at >= 0
                                    ? constant(sk.investment_ramp_at(t))
                                    : at(ramp_at(investment_ramp, from, t));
      if (t >= 1 && sk.one_off_cost.size() > 0) r.one_off_cost[ti] = at(sk.one_off_cost(t));
    }
    const int inputs = static_cast<int>(varying.size());  // rows below it are inputs
    auto varies = [&](const std::vector<int>& rows) {
      return std::any_of(rows.begin(), rows.end(), [&](int row) { return row >= 0 && row < inputs; });
    };
    r.investment_moves = r.investment < inputs || varies(r.investment_ramp);
    r.one_off_cost_moves = varies(r.one_off_cost);
    k->schemes.push_back(std::move(r));
  }
  for (std::size_t i = 0; i < sc.partners.size(); ++i) {
    const Partner& pt = sc.partners[i];
    if (!pt.streams.empty()) continue;  // no input of a stream varies: its funding stays
    stages::PartnerLanes r;
    r.partner = static_cast<Index>(i);
    r.base = at(pt.funding_base);
    r.growth.assign(static_cast<std::size_t>(Y), -1);
    for (int t = 1; t < Y; ++t) r.growth[static_cast<std::size_t>(t)] = at(pt.growth(t));
    k->partners.push_back(std::move(r));
  }
  k->in.v.resize((varying.size() + constants.size()) * kLanes);
  for (std::size_t c = 0; c < constants.size(); ++c)
    std::fill_n(k->in.v.begin() + static_cast<std::ptrdiff_t>((varying.size() + c) * kLanes), kLanes, constants[c]);

  // Every figure starts as the run's, in every lane; a block rewrites the rows that move.
  const Projection& p = k->p;
  k->baseline.assign(p.baseline);
  k->net.assign(p.net);
  k->figures.saving.assign(p.scheme_saving);
  k->figures.reprovided.assign(p.scheme_reprovided);
  k->figures.investment.assign(p.scheme_investment);
  k->figures.one_off_cost.assign(p.scheme_one_off_cost);
  k->funding.assign(p.funding);
  k->pool_spend.assign(p.pool_spend);
  k->balance.assign(p.pool_balance);
  k->spend.assign(p.spend);
  k->gap.assign(p.gap);
  k->system_gap.assign(p.system.middleRows(static_cast<Index>(Measure::gap), 1));
  k->sums = stages::lane_sums(k->reach.net, stages::landings_of(sc), k->figures);
  k->scratch.assign(Table::Zero(4, Y));
  k_ = std::move(k);
}

BatchEngine::~BatchEngine() = default;

void BatchEngine::run(const double* values, std::size_t stride, std::size_t count, char* ok) {
  Kernel& k = *k_;
  // The block's inputs; lanes past `count` repeat the last draw. (A whole block's copy is
  // of a size known here: a move of a register, not a call of memmove.)
  double* const in = k.in.v.data();
  if (count == kLanes)
    for (std::size_t r = 0; r < k.inputs; ++r) std::memcpy(in + r * kLanes, values + r * stride, sizeof(double) * kLanes);
  else
    for (std::size_t r = 0; r < k.inputs; ++r) {
      double* lanes = in + r * kLanes;
      std::copy_n(values + r * stride, count, lanes);
      std::fill(lanes + count, lanes + kLanes, lanes[count - 1]);
    }
  std::fill_n(k.bad, kLanes, 0);
  // The stages of Engine::project, in its order, on the rows the inputs reach.
  stages::LaneChecks checks;
  stages::baseline_lanes(k.services, k.in, k.baseline, checks);
  stages::schemes_lanes(k.sc, k.schemes, k.in, k.baseline, k.figures);
  stages::net_lanes(k.reach.net, k.baseline, k.sums, k.scratch, k.net, checks);
  stages::overspent_lanes(checks, k.bad);
  stages::funding_lanes(k.partners, k.in, k.funding);
  stages::spend_lanes(k.spend_parts, k.p, k.net, k.pool_spend, k.balance, k.spend);
  stages::gap_lanes(k.spend, k.funding, k.gap);
  stages::system_gap_lanes(k.gap, k.system_gap);
  stages::misfit_lanes(checks, {&k.funding, &k.spend, &k.gap, &k.balance, &k.system_gap}, k.bad);
  for (std::size_t j = 0; j < count; ++j) ok[j] = !k.bad[j];
}

const double* BatchEngine::lanes(const Figure& f, int t) const {
  const Kernel& k = *k_;
  if (f.kind == EntityKind::system) return f.measure == Measure::gap ? k.system_gap.at(0, t) : nullptr;
  switch (f.measure) {
    case Measure::funding: return k.funding.at(f.entity, t);
    case Measure::spend: return k.spend.at(f.entity, t);
    case Measure::gap: return k.gap.at(f.entity, t);
    case Measure::pool_balance: return k.balance.at(f.entity, t);
    case Measure::baseline: return k.baseline.at(f.entity, t);
    case Measure::net: return k.net.at(f.entity, t);
    default: return nullptr;
  }
}

}  // namespace fundgap
