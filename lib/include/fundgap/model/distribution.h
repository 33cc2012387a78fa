// Probability distributions for uncertain inputs, sampled by inverse CDF so that the
// same uniform draw always gives the same value and a Gaussian copula can correlate
// them. See docs/uncertainty.md.
#pragma once

#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace fundgap {

class Distribution {
 public:
  enum class Kind { normal, lognormal, uniform, triangular, pert, interval };

  // REQUIRES: valid parameters (see valid()): sd > 0 or = 0, low <= mode <= high, ...
  static Distribution normal(double mean, double sd);
  static Distribution lognormal(double median, double sd_log);
  static Distribution uniform(double low, double high);
  static Distribution triangular(double low, double mode, double high);
  static Distribution pert(double low, double mode, double high);
  // An 80% interval [low, high] of a normal distribution.
  static Distribution interval(double low, double high);

  Kind kind() const { return kind_; }
  std::string name() const;
  // The mean of the distribution as written (before any truncation).
  double mean() const;
  // The plan's own figure, which every command but `simulate` uses: the `plan:` value
  // when one was given (set_plan), else the mode of a triangular or PERT distribution,
  // else the mean as written. See docs/uncertainty.md.
  double plan() const;
  void set_plan(double value) { plan_ = value; }
  bool has_plan() const { return plan_.has_value(); }
  // The least and greatest values it can take as written (infinite for normal ones).
  double lowest() const;
  double highest() const;
  // The value with cumulative probability p of the distribution as written.
  double quantile(double p) const;
  double cdf(double x) const;
  bool degenerate() const;  // zero spread: every draw is the mean

  // Restricts draws to [low, high] (a parameter's valid range): draws outside it are
  // redrawn from the distribution truncated to it, which by inverse CDF is exactly
  // quantile(F(low) + u (F(high) - F(low))). Returns false when no probability is left.
  bool truncate(double low, double high);
  // Whether truncate() cut any probability off (else the truncated quantiles are the
  // quantiles as written, exactly).
  bool cut() const { return p_low_ > 0 || p_high_ < 1; }
  // A draw from the (truncated) distribution for a uniform u in (0, 1).
  double sample(double u) const;
  // sample(u) of each of `values` in place: the same numbers, bit for bit, with the normal
  // family's and the triangular's arithmetic done for several values at once.
  void sample(std::span<double> values) const;
  // The truncated distribution's quantile at full precision, for sensitivity swings.
  double truncated_quantile(double p) const { return quantile(p_low_ + p * (p_high_ - p_low_)); }
  // Builds what fast drawing needs (PERT's quantile table). Optional: without it, draws
  // are exact but slower. Not thread-safe: call before drawing from several threads.
  void prepare_for_drawing();
  // The same for many distributions at once, on up to `threads` threads: each PERT shape
  // (alpha, beta) gets one table, shared by every distribution of that shape (the table
  // is of the standard beta, so distributions that differ only in range share it).
  friend void prepare_for_drawing(const std::vector<Distribution*>& distributions, int threads);

 private:
  Kind kind_ = Kind::normal;
  double a_ = 0, b_ = 0, c_ = 0;  // parameters, by kind
  double alpha_ = 1, beta_ = 1;   // PERT's beta shape
  double log_beta_ = 0;           // ln B(alpha, beta)
  double p_low_ = 0, p_high_ = 1; // F at the truncation bounds
  std::optional<double> plan_;    // `plan:`, when given
  // PERT: quantiles of the standard beta on an even grid of p, refined by Newton; shared
  // between copies and between distributions of one shape. Empty until prepared.
  std::shared_ptr<const std::vector<double>> table_;

  double pert_sample(double p) const;  // sample()'s PERT, at p (truncation applied)
};

void prepare_for_drawing(const std::vector<Distribution*>& distributions, int threads);

// The standard normal distribution: cumulative and inverse (full double precision).
double normal_cdf(double z);
double normal_quantile(double p);
// Acklam's approximation alone: relative error below 1.2e-9, about three times faster.
// Used for drawing, where that error is far below any sampling effect.
double normal_quantile_fast(double p);
// normal_quantile_fast of each of `p` in place, bit for bit, several at a time.
void normal_quantiles_fast(std::span<double> p);

}  // namespace fundgap
