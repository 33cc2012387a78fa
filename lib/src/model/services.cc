// Services: the baseline X_s(t) compounded from demand and inflation, and the net spend
// N_s(t) once schemes have acted; their explanations and the demand and inflation steps
// of the bridge.
#include "stages.h"

namespace fundgap::stages {

using Eigen::Index;

void baseline(const Scenario& sc, Projection& p) {
  // X_s(t) = X_s(t-1) (1 + demand) (1 + inflation), a year (column) at a time so that it
  // vectorises across services.
  const Index S = static_cast<Index>(sc.services.size()), Y = sc.years();
  for (Index s = 0; s < S; ++s) {
    const Service& sv = sc.services[static_cast<std::size_t>(s)];
    p.baseline(s, 0) = sv.base;
    for (Index t = 1; t < Y; ++t) p.baseline(s, t) = (1 + sv.demand(t)) * (1 + sv.inflation(t));
  }
  for (Index t = 1; t < Y; ++t) p.baseline.col(t) *= p.baseline.col(t - 1);
}

void net(Projection& p) { p.net = p.baseline - p.savings + p.reprovided + p.investment; }

Explanation explain_baseline(Explainer& ex, const Figure& f, int t) {
  const Service& sv = ex.sc.services[static_cast<std::size_t>(f.entity)];
  const std::string path = "services." + sv.id;
  return Explainer::pinned(ex.compounded(ex.ref(f, t), sv.base, path + ".base",
                                         {{path + ".demand", &sv.demand}, {path + ".inflation", &sv.inflation}}, t),
                           ex.p.baseline(f.entity, t));
}

Explanation explain_net(Explainer& ex, const Figure& f, int t) {
  Explanation e = Explainer::sum(ex.ref(f, t), "baseline - savings + re-provided + investment");
  e.children.push_back(ex.figure(Measure::baseline, f.entity, t));
  e.children.push_back(Explainer::with(ex.figure(Measure::savings, f.entity, t), -1));
  e.children.push_back(ex.figure(Measure::reprovided, f.entity, t));
  e.children.push_back(ex.figure(Measure::investment, f.entity, t));
  return Explainer::pinned(e, ex.p.net(f.entity, t));
}

void bridge_demand_and_inflation(const BridgeContext& b, std::vector<BridgeStep>& steps) {
  // Baseline change, demand first: X(to) = X(from) D I, with D and I the compounded
  // demand and inflation factors; demand contributes X(from)(D - 1), inflation the rest.
  double demand = 0, inflation = 0;
  for (std::size_t s = 0; s < b.sc.services.size(); ++s) {
    const Service& sv = b.sc.services[s];
    const Index si = static_cast<Index>(s);
    double d = 1;
    for (int t = b.from + 1; t <= b.to; ++t) d *= 1 + sv.demand(t);
    const double x0 = b.p.baseline(si, b.from), x1 = b.p.baseline(si, b.to);
    demand += b.weight(si) * x0 * (d - 1);
    inflation += b.weight(si) * (x1 - x0 * d);
  }
  steps.push_back({"demand growth", "demand", "", demand});
  steps.push_back({"inflation", "inflation", "", inflation});
}

}  // namespace fundgap::stages
