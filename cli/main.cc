// The only file that sees argv: builds the command line from the subcommand table and
// maps every failure to a documented exit code (0 ok, 1 a check failed, 2 bad input).
#include <cctype>
#include <iostream>

#include "commands.h"

#include "fundgap/base/diagnostic.h"
#include "fundgap/input/reader.h"
#include "fundgap/version.h"

namespace fundgap::cli {

const std::vector<Command>& commands() {
  static const std::vector<Command> table = {
      {"run", "Project a scenario and print every partner's funding gap", setup_run},
      {"validate", "Check scenario files and report every error", setup_validate},
      {"check", "Evaluate a plan's checks: pass/fail table, JUnit XML, GitHub annotations", setup_check},
      {"explain", "Show how one figure is built, down to the scenario's lines", setup_explain},
      {"compare", "Compare scenarios side by side; gate how far a change may move a measure", setup_compare},
      {"bridge", "Walk the gap from the base year to a target year, step by step", setup_bridge},
      {"simulate", "Monte Carlo over the uncertain inputs: mean, quantiles, chance of a shortfall", setup_simulate},
      {"merge", "Combine shard files of a simulation into one result", setup_merge},
      {"sensitivity", "Rank inputs by how far each swings a figure (a tornado)", setup_sensitivity},
      {"solve", "Find the value of one input that meets a target", setup_solve},
      {"report", "Write a board report: one HTML page with charts and tables", setup_report},
      {"schema", "Print the JSON Schema of the scenario format, for editors and validators", setup_schema},
      {"completion", "Print shell completion for bash or zsh", setup_completion},
      {"man", "Print the manual page (roff), made from the same help text as --help", setup_man},
  };
  return table;
}

namespace {

std::string command_list() {
  std::size_t width = 0;
  for (const Command& c : commands()) width = std::max(width, c.name.size());
  std::string out = "Commands:\n";
  for (const Command& c : commands()) out += fmt::format("  {:<{}}  {}\n", c.name, width, c.summary);
  return out;
}

int main_impl(int argc, char** argv) {
  CLI::App app{"fundgap: funding gaps of integrated health and social care plans", "fundgap"};
  app.set_version_flag("--version", "fundgap " FUNDGAP_VERSION_STRING);
  app.require_subcommand(1);
  app.footer(R"(Examples:
  fundgap run scenarios/tower_hamlets_2019.yaml
  fundgap validate scenarios/*.yaml

Run 'fundgap COMMAND --help' for a command's options and examples.
Exit codes: 0 success, 1 a check on the plan failed, 2 bad input or usage.)");
  Action action;
  // Only the command named first, when there is one: building every command's options is
  // a tenth of a small run's time. Without one (--help, --version, a mistake) every command
  // is there to list; `completion` and `man` read them all.
  const std::string_view first = argc > 1 ? argv[1] : "";
  const bool one = first != "completion" && first != "man" &&
                   std::any_of(commands().begin(), commands().end(), [&](const Command& c) { return c.name == first; });
  for (const Command& c : commands()) {
    if (one && c.name != first) continue;
    CLI::App* sub = app.add_subcommand(std::string(c.name), std::string(c.summary));
    c.setup(*sub, action);
  }

  // An unknown first word would otherwise be reported as a stray argument.
  if (argc > 1 && argv[1][0] != '-') {
    std::string word = argv[1];
    std::vector<std::string> names;
    for (const Command& c : commands()) names.emplace_back(c.name);
    if (std::find(names.begin(), names.end(), word) == names.end()) {
      std::cerr << fmt::format("fundgap: error: unknown command '{}'{}\n{}", printable(word), did_you_mean(word, names),
                               command_list());
      return 2;
    }
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    // `--set PATH VALUE` leaves VALUE as a stray argument: say how to join them.
    for (int i = 1; i + 2 < argc; ++i) {
      const std::string option = argv[i], path = argv[i + 1], value = argv[i + 2];
      if ((option == "-s" || option == "--set") && path.find('=') == std::string::npos && !value.empty() &&
          value[0] != '-' && value.find('=') == std::string::npos) {
        try {
          check_override_form(path + " " + value);
        } catch (const InputError& bad) {
          std::cerr << bad.diagnostics().render_all();
          return 2;
        }
      }
    }
    std::string message = e.what();  // CLI11 capitalises; our messages are lowercase
    if (!message.empty()) message[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(message[0])));
    std::cerr << fmt::format("fundgap: error: {}\nRun 'fundgap --help' or 'fundgap COMMAND --help' for usage.\n",
                             printable(message));
    return 2;
  }
  try {
    return action();
  } catch (const InputError& e) {
    std::cerr << e.diagnostics().render_all();
    return 2;
  }
}

}  // namespace
}  // namespace fundgap::cli

int main(int argc, char** argv) {
  try {
    return fundgap::cli::main_impl(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "fundgap: error: " << fundgap::printable(e.what()) << '\n';
    return 2;
  }
}
