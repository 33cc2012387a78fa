// The engine's batch kernel: the gaps projection (Detail::gaps) of a block of Monte Carlo
// draws at once, the draws the inner, contiguous dimension of every array, so that one
// pass over a row of years serves every draw of the block. What no varying input reaches
// is worked out once, when the kernel is built, and enters each block as constants.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string>

#include "fundgap/model/projection.h"

namespace fundgap {

// Draws a BatchEngine evaluates together: a block's arrays (entities x years x lanes) stay
// in a core's cache.
inline constexpr std::size_t kLanes = 4;

class BatchEngine {
 public:
  // `varying`: the targets of the inputs a block gives values for, in the order of its rows.
  // Builds the constants from a gaps run of `scenario` at its own values.
  BatchEngine(const Scenario& scenario, std::span<const ParameterTarget> varying);
  ~BatchEngine();
  BatchEngine(const BatchEngine&) = delete;
  BatchEngine& operator=(const BatchEngine&) = delete;

  // Whether the kernel projects this scenario with these inputs; when not, `why_not()` says
  // why and each draw takes Engine::run. The kernel leaves to the engine what it does not
  // hold per lane: places and delegations, pools whose shares of the balance are not
  // linear, and inputs of funding streams, pools, reserves, places and the whole scenario;
  // and a scenario whose own values do not project (savings above spend).
  bool usable() const { return why_not_.empty(); }
  const std::string& why_not() const { return why_not_; }

  // Projects `count` (1..kLanes) draws: input r of draw j is values[r * stride + j]. Sets
  // ok[j] to whether draw j projects and every figure fits (Engine::run's status.ok()); a
  // draw that does not is for Engine::run to describe. REQUIRES: usable().
  void run(const double* values, std::size_t stride, std::size_t count, char* ok);

  // The kLanes values, after run(), of a figure a gaps run computes for the system or an
  // entity: a partner's funding, spend or gap, a pool's balance, a service's baseline or
  // net spend, the system's gap. Lanes from `count` on are not draws.
  const double* lanes(const Figure& figure, int year) const;

 private:
  struct Kernel;
  std::unique_ptr<Kernel> k_;
  std::string why_not_;
};

}  // namespace fundgap
