// `fundgap schema`: the JSON Schema of the scenario format, for editors and validators.
#include <memory>

#include "commands.h"
#include "output.h"

#include "fundgap/input/schema.h"

namespace fundgap::cli {

void setup_schema(CLI::App& sub, Action& action) {
  auto output = std::make_shared<std::string>();
  sub.add_option("-o,--output", *output, "Write to FILE (atomically) instead of stdout");
  sub.footer(R"(Examples:
  fundgap schema -o fundgap.schema.json
  ajv validate --spec=draft7 --strict=false -s fundgap.schema.json -d plan.yaml

Then name the schema on a scenario's first line, for an editor with the YAML language
server (VS Code's YAML extension, and others) to complete and check its keys:
  # yaml-language-server: $schema=fundgap.schema.json)");
  sub.callback([output, &action] {
    action = [output] {
      OutputOptions out;
      out.output = *output;
      out.emit(std::string(scenario_schema()));
      return 0;
    };
  });
}

}  // namespace fundgap::cli
