// `fundgap man` and `fundgap completion bash|zsh`: the manual page and the shell
// completions, generated from the command line itself (every command, option, help text
// and list of choices), so that they can never disagree with `--help`.
#include <memory>
#include <sstream>

#include "commands.h"
#include "output.h"

#include "fundgap/version.h"

namespace fundgap::cli {

namespace {

// The values an option takes from a fixed list (CLI::IsMember's "{a,b,c}"), or none.
std::vector<std::string> choices(const CLI::Option& o) {
  const std::string type = o.get_type_name();
  const std::size_t open = type.find('{'), close = type.rfind('}');
  std::vector<std::string> out;
  if (open == std::string::npos || close == std::string::npos || close < open) return out;
  std::stringstream list(type.substr(open + 1, close - open - 1));
  std::string item;
  while (std::getline(list, item, ',')) out.push_back(item);
  return out;
}

std::vector<const CLI::App*> visible_commands(const CLI::App& app) {
  std::vector<const CLI::App*> out;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App* s) { return !s->get_group().empty(); }))
    out.push_back(sub);
  return out;
}

// Options with names (not positionals), the help flag included.
std::vector<const CLI::Option*> named_options(const CLI::App& app) {
  std::vector<const CLI::Option*> out;
  for (const CLI::Option* o : app.get_options())
    if (!o->get_lnames().empty() || !o->get_snames().empty()) out.push_back(o);
  return out;
}

std::string option_names(const CLI::Option& o, const char* separator) {
  std::string out;
  for (const std::string& s : o.get_snames()) out += (out.empty() ? "-" : std::string(separator) + "-") + s;
  for (const std::string& l : o.get_lnames()) out += (out.empty() ? "--" : std::string(separator) + "--") + l;
  return out;
}

// Text for roff: backslashes and hyphens escaped, no line starting with a control character.
std::string roff(const std::string& text) {
  std::string out;
  bool line_start = true;
  for (char c : text) {
    if (line_start && (c == '.' || c == '\'')) out += "\\&";
    if (c == '\\') out += "\\e";
    else if (c == '-') out += "\\-";
    else out += c;
    line_start = c == '\n';
  }
  return out;
}

std::string man_page(const CLI::App& app) {
  std::string out = fmt::format(".TH FUNDGAP 1 \"\" \"fundgap {}\" \"User Commands\"\n", FUNDGAP_VERSION_STRING);
  out += ".SH NAME\nfundgap \\- " + roff(app.get_description().substr(app.get_description().find(':') + 2)) + "\n";
  out += ".SH SYNOPSIS\n.B fundgap\n[\\fB\\-\\-help\\fR] [\\fB\\-\\-version\\fR] \\fICOMMAND\\fR [\\fIOPTIONS\\fR] "
         "\\fIARGUMENTS\\fR\n";
  out += ".SH DESCRIPTION\n" + roff(app.get_description()) + ".\n.SH COMMANDS\n";
  for (const CLI::App* sub : visible_commands(app)) {
    out += fmt::format(".SS \"fundgap {}\"\n{}.\n", sub->get_name(), roff(sub->get_description()));
    for (const CLI::Option* o : sub->get_options()) {
      const bool positional = o->get_lnames().empty() && o->get_snames().empty();
      if (o->get_name() == "--help" || o->get_lnames() == std::vector<std::string>{"help"}) continue;
      out += ".TP\n";
      out += positional ? "\\fI" + roff(o->get_name()) + "\\fR" : "\\fB" + roff(option_names(*o, ", ")) + "\\fR";
      const std::string type = o->get_type_name();
      if (!positional && o->get_expected_min() > 0) out += " \\fI" + roff(type.substr(0, type.find(':'))) + "\\fR";
      out += "\n" + roff(o->get_description()) + "\n";
    }
    if (!sub->get_footer().empty()) out += ".PP\n.nf\n" + roff(sub->get_footer()) + "\n.fi\n";
  }
  out += ".SH EXAMPLES\n.nf\n" + roff(app.get_footer()) + "\n.fi\n";
  out += ".SH SEE ALSO\nThe documentation in docs/ of fundgap's source: format.md (the scenario format), cli.md "
         "(every command), output.md (the formats).\n";
  return out;
}

std::string words(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& s : v) out += (out.empty() ? "" : " ") + s;
  return out;
}

std::string bash_completion(const CLI::App& app) {
  std::vector<std::string> commands;
  for (const CLI::App* sub : visible_commands(app)) commands.push_back(sub->get_name());
  std::string cases;
  for (const CLI::App* sub : visible_commands(app)) {
    std::vector<std::string> options, with_value, with_choices;
    for (const CLI::Option* o : named_options(*sub)) {
      for (const std::string& l : o->get_lnames()) options.push_back("--" + l);
      for (const std::string& s : o->get_snames()) options.push_back("-" + s);
      if (o->get_expected_min() == 0) continue;
      const std::vector<std::string> values = choices(*o);
      const std::string names = option_names(*o, "|");
      if (!values.empty())
        with_choices.push_back(fmt::format("        {}) COMPREPLY=($(compgen -W \"{}\" -- \"$cur\")); return;;\n", names,
                                           words(values)));
      else
        with_value.push_back(names);
    }
    cases += fmt::format("    {})\n      case \"$prev\" in\n{}", sub->get_name(), fmt::join(with_choices, ""));
    if (!with_value.empty())
      cases += fmt::format("        {}) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- \"$cur\")); return;;\n",
                           fmt::join(with_value, "|"));
    cases += fmt::format("      esac\n      opts=\"{}\";;\n", words(options));
  }
  return fmt::format(R"(# bash completion for fundgap {version} (generated by 'fundgap completion bash')
_fundgap() {{
  local cur prev command opts i
  cur="${{COMP_WORDS[COMP_CWORD]}}"
  prev="${{COMP_WORDS[COMP_CWORD-1]}}"
  command=""
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "${{COMP_WORDS[i]}}" in -*) ;; *) command="${{COMP_WORDS[i]}}"; break;; esac
  done
  if [ -z "$command" ]; then
    COMPREPLY=($(compgen -W "{commands} --help --version" -- "$cur"))
    return
  fi
  case "$command" in
{cases}    *) return;;
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$opts" -- "$cur"))
  else
    compopt -o filenames 2>/dev/null
    COMPREPLY=($(compgen -f -- "$cur"))
  fi
}}
complete -F _fundgap fundgap
)",
                     fmt::arg("version", FUNDGAP_VERSION_STRING), fmt::arg("commands", words(commands)),
                     fmt::arg("cases", cases));
}

// Text inside a zsh _arguments spec: brackets, colons and quotes escaped.
std::string zsh_text(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '[' || c == ']' || c == ':' || c == '\\') out += '\\';
    if (c == '\'') out += "'\\''";
    else out += c;
  }
  return out;
}

std::string zsh_completion(const CLI::App& app) {
  std::string list, cases;
  for (const CLI::App* sub : visible_commands(app)) {
    list += fmt::format("    '{}:{}'\n", sub->get_name(), zsh_text(sub->get_description()));
    cases += fmt::format("    ({})\n      _arguments -s", sub->get_name());
    for (const CLI::Option* o : sub->get_options()) {
      const bool positional = o->get_lnames().empty() && o->get_snames().empty();
      const std::string help = zsh_text(o->get_description().substr(0, o->get_description().find(" (")));
      const std::vector<std::string> values = choices(*o);
      const std::string action = !values.empty() ? "(" + words(values) + ")" : "_files";
      if (positional) {
        const char* repeat = o->get_items_expected_max() > 1 ? "*" : "";
        cases += fmt::format(" \\\n        '{}:{}:{}'", repeat, o->get_name(), action);
        continue;
      }
      std::vector<std::string> names;
      for (const std::string& s : o->get_snames()) names.push_back("-" + s);
      for (const std::string& l : o->get_lnames()) names.push_back("--" + l);
      const std::string value_name = o->get_lnames().empty() ? "value" : o->get_lnames().front();
      const std::string value = o->get_expected_min() > 0 ? fmt::format(":{}:{}", value_name, action) : "";
      const bool repeat = o->get_multi_option_policy() == CLI::MultiOptionPolicy::TakeAll || o->get_expected_max() > 1;
      // '(-v --view)'{-v,--view}'[help]:view:(a b)': the braces unquoted, for zsh to expand.
      const std::string exclusive = repeat ? "'*'" : fmt::format("'({})'", words(names));
      if (names.size() == 1)
        cases += fmt::format(" \\\n        {}'{}[{}]{}'", repeat ? "'*'" : "", names[0], help, value);
      else
        cases += fmt::format(" \\\n        {}{{{}}}'[{}]{}'", exclusive, fmt::join(names, ","), help, value);
    }
    cases += ";;\n";
  }
  return fmt::format(R"(#compdef fundgap
# zsh completion for fundgap {version} (generated by 'fundgap completion zsh')
_fundgap() {{
  local -a commands
  commands=(
{list}  )
  if (( CURRENT == 2 )); then
    _describe -t commands 'fundgap command' commands
    return
  fi
  local command=${{words[2]}}
  shift words
  (( CURRENT-- ))
  case $command in
{cases}  esac
}}
_fundgap "$@"
)",
                     fmt::arg("version", FUNDGAP_VERSION_STRING), fmt::arg("list", list), fmt::arg("cases", cases));
}

}  // namespace

void setup_man(CLI::App& sub, Action& action) {
  auto output = std::make_shared<std::string>();
  sub.add_option("-o,--output", *output, "Write to FILE (atomically) instead of stdout");
  sub.footer("Examples:\n  fundgap man | man -l -\n  fundgap man -o fundgap.1");
  sub.callback([output, &sub, &action] {
    action = [output, &sub] {
      OutputOptions out;
      out.output = *output;
      out.emit(man_page(*sub.get_parent()));
      return 0;
    };
  });
}

void setup_completion(CLI::App& sub, Action& action) {
  auto o = std::make_shared<std::pair<std::string, std::string>>();  // shell, output
  sub.add_option("shell", o->first, "The shell: bash or zsh")->required()->check(CLI::IsMember({"bash", "zsh"}));
  sub.add_option("-o,--output", o->second, "Write to FILE (atomically) instead of stdout");
  sub.footer(R"(Examples:
  source <(fundgap completion bash)                     # in ~/.bashrc
  fundgap completion zsh > ~/.zfunc/_fundgap            # with fpath+=(~/.zfunc) in ~/.zshrc

Completes commands, options, the values of options with a fixed list (--view,
--format, --color, --prices, ...), and file names. The Debian package installs both.)");
  sub.callback([o, &sub, &action] {
    action = [o, &sub] {
      OutputOptions out;
      out.output = o->second;
      const CLI::App& app = *sub.get_parent();
      out.emit(o->first == "bash" ? bash_completion(app) : zsh_completion(app));
      return 0;
    };
  });
}

}  // namespace fundgap::cli
