// A separate project using the installed library through find_package(fundgap):
// prints the do-nothing system gap of the scenario in argv[1] in the last year, in £m,
// and the library's version on a second line.
#include <iostream>

#include "fundgap/fundgap.h"

int main(int, char** argv) {
  fundgap::Scenario sc = fundgap::load_scenario_file(argv[1]);
  fundgap::Projection p = fundgap::project(sc);
  const fundgap::Figure gap{fundgap::Measure::gap_do_nothing, fundgap::EntityKind::system, -1, -1};
  std::cout << fundgap::figure_value(p, gap, sc.projected_years) / 1e6 << "\n" << fundgap::version << "\n";
}
