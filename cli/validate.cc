// `fundgap validate FILE...`: check scenarios without printing results.
#include <iostream>
#include <memory>

#include "commands.h"
#include "scenario_options.h"

#include "fundgap/input/reader.h"
#include "fundgap/model/projection.h"

namespace fundgap::cli {

namespace {

struct ValidateOptions {
  std::vector<std::string> files;
  ScenarioOptions scenario;
};

// Every file is checked, even after one fails, so a user sees all problems at once.
int validate(const ValidateOptions& o) {
  int status = 0;
  for (const std::string& file : o.files) {
    try {
      const Scenario sc = o.scenario.load(file);
      project(sc);  // savings above spend are only known once projected
      auto count = [](std::size_t n, const char* noun) { return fmt::format("{} {}{}", n, noun, n == 1 ? "" : "s"); };
      std::cout << fmt::format("{}: ok ({}, {}, {}, {}; {} to {})\n", file, count(sc.partners.size(), "partner"),
                               count(sc.services.size(), "service"), count(sc.schemes.size(), "scheme"),
                               count(sc.pools.size(), "pool"), sc.year(0), sc.year(sc.projected_years));
    } catch (const InputError& e) {
      std::cerr << e.diagnostics().render_all();
      status = 2;
    }
  }
  return status;
}

}  // namespace

void setup_validate(CLI::App& sub, Action& action) {
  auto o = std::make_shared<ValidateOptions>();
  sub.add_option("files", o->files, "Scenario files (YAML)")->required();
  o->scenario.add_to(sub);
  sub.footer(R"(Examples:
  fundgap validate scenarios/*.yaml
  fundgap validate my_plan.yaml && fundgap run my_plan.yaml
  fundgap validate my_plan.yaml --set partners.council.funding.growth=[0,-1%,-1%]

Prints 'FILE: ok' for each good file; every error in every file goes to stderr as
FILE:LINE:COL: error: MESSAGE. Exit 0 when all are good, 2 otherwise.)");
  sub.callback([o, &action] { action = [o] { return validate(*o); }; });
}

}  // namespace fundgap::cli
