// Questions about one input at a time: which inputs move a figure most (sensitivity, a
// tornado), and what value of one input meets a target (solve). The writers are in
// fundgap/output/format.h.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "fundgap/model/scenario.h"

namespace fundgap {

// The value of figure `ref` when `scenario` is projected. Throws as project().
double projected_value(const Scenario& scenario, const FigureRef& ref);

// The parameter at `path` ("services.acute.demand"); throws InputError with a
// suggestion when there is none, shown against the file `source`: the `[YEAR]` (or
// `[N]`) forms that exist when `path` is an input given year by year.
const Parameter& find_parameter(const Scenario& scenario, const std::string& path, const std::string& source);

// The same, but a per-year input named without a year (`services.acute.demand` given as
// a list or a year map) is one parameter over all its years: one value sets every year.
// Throws as find_parameter (also when its years are not one run, as for money given in
// some years only).
Parameter whole_parameter(const Scenario& scenario, const std::string& path, const std::string& source);

struct Swing {
  std::string path;
  SourceLocation where;
  std::string basis;            // "P10 to P90" for an uncertain input, "-10% to +10%" for a certain one
  double low = 0, high = 0;     // the input's two values
  double at_low = 0, at_high = 0;  // the figure at each
  std::string low_text, high_text;  // the two values as written: "2%", "£3.0m"
  double size() const { return at_high > at_low ? at_high - at_low : at_low - at_high; }
};

// A tornado: the swings of one figure, largest first.
struct Tornado {
  std::string figure;           // as given: "system.gap[2021/22]"
  double base = 0;              // the figure as `run` has it
  std::string currency;
  std::vector<Swing> swings;
};

// Swings each uncertain input from its P10 to its P90 and each input named in `certain`
// by -10% and +10%, one at a time with everything else as `run` has it, and returns the
// swings ranked by their effect on figure `ref`, largest first (ties in file order).
std::vector<Swing> sensitivity(const Scenario& scenario, const FigureRef& ref, const std::vector<std::string>& certain);

struct Solution {
  bool found = false;
  double value = 0;            // the input's value that meets the target
  double achieved = 0;         // the figure there
  double original = 0;         // the input's value in the scenario (its first year's, for a per-year input)
  double original_low = 0, original_high = 0;  // its least and greatest value over the years it covers
  double original_figure = 0;  // the figure then
  double low = 0, high = 0;    // the range searched
  double figure_low = 0, figure_high = 0;  // the figure's least and greatest over the range
};

// Finds a value of the input at `path` (see whole_parameter) in [low, high] at which figure `ref` equals `goal`
// (to a thousandth of a penny), the one nearest the input's own value when several do.
// `range` defaults by the input's kind: shares 0 to 100%, rates -99% to +100%, money
// 0 to ten times its value (at least 1m).
Solution solve(const Scenario& scenario, const std::string& path, const FigureRef& ref, double goal,
               std::optional<std::pair<double, double>> range);

// What `solve` was asked and what it found, for the writers.
struct SolveResult {
  std::string vary;    // the input's path
  ValueKind kind = ValueKind::money;
  std::string figure;  // as given
  double goal = 0;
  std::string currency;
  Solution solution;
};

}  // namespace fundgap
