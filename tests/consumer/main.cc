// A separate project using the installed library through find_package(fundgap):
// prints the do-nothing system gap of the scenario in argv[1] in the last year, in £m.
#include <iostream>
#include "fundgap/projection.h"
#include "fundgap/reader.h"
int main(int, char** argv) {
  fundgap::Scenario sc = fundgap::load_scenario_file(argv[1]);
  fundgap::Projection p = fundgap::project(sc);
  std::cout << p.gap_do_nothing.col(sc.projected_years).sum() / 1e6 << "\n";
}
