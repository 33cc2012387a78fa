// The bridge: each stage's steps, in the engine's order.
#include "fundgap/model/bridge.h"

#include "stages.h"

namespace fundgap {

Bridge make_bridge(const Scenario& sc, const Projection& p, int partner, int from, int to) {
  using Eigen::Index;
  const Index S = static_cast<Index>(sc.services.size());
  // How much of each service's spend lands on the entity: its funding share, or for a
  // pooled service the entity's risk share of the pool (constant over the years).
  Eigen::ArrayXd weight = Eigen::ArrayXd::Zero(S);
  for (Index s = 0; s < S; ++s) {
    const Service& sv = sc.services[static_cast<std::size_t>(s)];
    if (partner < 0)
      weight(s) = 1;
    else if (sv.pool >= 0)
      weight(s) = p.risk_share(sv.pool, partner);
    else
      for (const FundingShare& f : sv.funders)
        if (f.partner == partner) weight(s) += f.share;
  }

  Bridge b;
  b.scenario = sc.name;
  b.currency = sc.currency;
  b.from_year = sc.year(from);
  b.to_year = sc.year(to);
  b.entity = partner < 0 ? "system" : sc.partners[static_cast<std::size_t>(partner)].id;
  b.from = from;
  b.to = to;
  const Figure gap = partner < 0 ? Figure{Measure::gap, EntityKind::system, -1, -1}
                                 : Figure{Measure::gap, EntityKind::partner, partner, -1};
  b.start = figure_value(p, gap, from);
  b.end = figure_value(p, gap, to);
  const stages::BridgeContext context{sc, p, partner, from, to, weight};
  stages::bridge_funding(context, b.steps);
  stages::bridge_demand_and_inflation(context, b.steps);
  stages::bridge_schemes(context, b.steps);
  stages::bridge_pools(context, b.steps);
  if (stages::has_lead_providers(sc)) stages::bridge_place_transfers(context, b.steps);
  return b;
}

Bridge make_place_bridge(const Scenario& sc, const Projection& p, int place, int from, int to) {
  using Eigen::Index;
  Eigen::ArrayXd weight = Eigen::ArrayXd::Zero(static_cast<Index>(sc.services.size()));
  for (const Delegation& d : sc.delegations)
    for (int s : d.services) weight(s) = p.service_place_shares[static_cast<std::size_t>(s)](place);
  Bridge b;
  b.scenario = sc.name;
  b.currency = sc.currency;
  b.entity = sc.places[static_cast<std::size_t>(place)].id;
  b.from = from;
  b.to = to;
  b.from_year = sc.year(from);
  b.to_year = sc.year(to);
  b.start = p.place_gap(place, from);
  b.end = p.place_gap(place, to);
  stages::bridge_place({sc, p, -1, from, to, weight}, place, b.steps);
  return b;
}

}  // namespace fundgap
