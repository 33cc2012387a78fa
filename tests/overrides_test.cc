// `extends` (a file deep-merged over its base) and `--set PATH=VALUE` overrides: the
// merge rules, and that every error names the file and line a value came from.
#include <filesystem>
#include <fstream>

#include "test_support.h"

using namespace fundgap;
using Errors = std::vector<std::string>;

namespace {

// A scratch directory of scenario files, removed at the end of the test.
struct Files {
  std::filesystem::path dir;
  Files() {
    dir = std::filesystem::temp_directory_path() /
          ("fundgap-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++));
    std::filesystem::create_directories(dir);
  }
  ~Files() { std::filesystem::remove_all(dir); }
  static int& counter() {
    static int n = 0;
    return n;
  }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(dir / name) << text;
    return (dir / name).string();
  }
};

const char* const kBase =
    "fundgap: 1\n"                                               // 1
    "name: Base\n"                                               // 2
    "period: {base: 2020/21, to: 2022/23}\n"                     // 3
    "partners:\n"                                                // 4
    "  ccg: {funding: {base: 100m, growth: 2%}}\n"               // 5
    "services:\n"                                                // 6
    "  acute: {funder: ccg, base: 100m, demand: 10%}\n"          // 7
    "  care: {funder: ccg, base: 10m}\n"                         // 8
    "schemes:\n"                                                 // 9
    "  s: {service: acute, saving: 5%, confidence: 50%}\n";      // 10

// Every diagnostic as "file-name:line:col: message".
Errors errors_loading(const std::string& path, const std::vector<std::string>& sets = {}) {
  try {
    project(load_scenario_file(path, LoadOptions{sets}));
  } catch (const InputError& e) {
    Errors out;
    for (const Diagnostic& d : e.diagnostics().sorted())
      out.push_back(std::filesystem::path(d.where.path()).filename().string() + ":" + std::to_string(d.where.line) +
                    ":" + std::to_string(d.where.column) + ": " + d.message);
    return out;
  }
  return {};
}

}  // namespace

TEST_CASE("extends: maps merge, scalars and lists replace, null removes") {
  Files f;
  f.write("base.yaml", kBase);
  std::string variant = f.write("variant.yaml",
                                "extends: base.yaml\n"
                                "name: Variant\n"
                                "services:\n"
                                "  acute: {demand: [4%, 1%]}\n"
                                "schemes:\n"
                                "  s: null\n");
  Scenario sc = load_scenario_file(variant);
  CHECK(sc.name == "Variant");
  REQUIRE(sc.services.size() == 2);
  CHECK(sc.services[0].base == 100e6);  // kept from the base
  CHECK(sc.services[0].demand(1) == doctest::Approx(0.04));
  CHECK(sc.services[0].demand(2) == doctest::Approx(0.01));
  CHECK(sc.services[0].funders.size() == 1);
  CHECK(sc.schemes.empty());  // removed by null
  // Where values came from: the base's line for base, the variant's for demand.
  CHECK(sc.origin("services.acute.base").path() == (f.dir / "base.yaml").string());
  CHECK(sc.origin("services.acute.base").line == 7);
  CHECK(sc.origin("services.acute.demand").path() == variant);
  CHECK(sc.origin("services.acute.demand").line == 4);
}

TEST_CASE("extends: chains resolve relative to each file") {
  Files f;
  std::filesystem::create_directories(f.dir / "plans");
  f.write("base.yaml", kBase);
  f.write("plans/middle.yaml", "extends: ../base.yaml\nname: Middle\n");
  std::string top = f.write("plans/top.yaml", "extends: middle.yaml\nservices:\n  care: {base: 20m}\n");
  Scenario sc = load_scenario_file(top);
  CHECK(sc.name == "Middle");
  CHECK(sc.services[1].base == 20e6);
  CHECK(sc.services[0].base == 100e6);
}

TEST_CASE("extends: errors name the file the value came from") {
  Files f;
  f.write("base.yaml", std::string(kBase) + "  t: {service: acute, saving: 5%, confidence: 150%}\n");
  std::string variant = f.write("variant.yaml", "extends: base.yaml\nservices:\n  acute: {demnad: 4%}\n");
  CHECK(errors_loading(variant) ==
        Errors{"variant.yaml:3:11: unknown key 'demnad' in service 'acute' (did you mean 'demand'?)",
               "base.yaml:11:47: confidence of scheme 't' is 150%, outside 0% to 100%"});
}

TEST_CASE("extends: a duplicate id across files names the other file") {
  Files f;
  f.write("base.yaml", kBase);
  std::string variant = f.write("variant.yaml", "extends: base.yaml\npools:\n  acute: {host: ccg, services: [care], "
                                                "contributions: {ccg: 1m}}\n");
  Errors e = errors_loading(variant);
  REQUIRE(!e.empty());
  CHECK(e[0] == "variant.yaml:3:3: id 'acute' is already used by a service (" + (f.dir / "base.yaml").string() +
                    ":7); ids are unique across partners, services, schemes and pools");
}

TEST_CASE("extends: a cycle, a missing base, a base that is not a file name") {
  Files f;
  std::string a = f.write("a.yaml", "extends: b.yaml\n");
  f.write("b.yaml", "extends: a.yaml\n");
  CHECK(errors_loading(a) == Errors{"b.yaml:1:10: 'extends' makes a cycle: a.yaml -> b.yaml -> a.yaml"});
  std::string m = f.write("m.yaml", "extends: missing.yaml\n");
  Errors e = errors_loading(m);
  REQUIRE(e.size() == 1);
  CHECK(e[0] == "m.yaml:1:10: cannot open '" + (f.dir / "missing.yaml").string() +
                    "': No such file or directory (named by 'extends')");
  std::string l = f.write("l.yaml", "extends: [a.yaml]\n");
  CHECK(errors_loading(l) == Errors{"l.yaml:1:10: expected a file name for 'extends', found a list"});
}

TEST_CASE("--set: values follow the file's rules; lists, maps and null work") {
  Files f;
  std::string base = f.write("base.yaml", kBase);
  Scenario sc = load_scenario_file(base, LoadOptions{{"services.acute.demand=4%",
                                                      "partners.ccg.funding.growth=[0, -1%]",
                                                      "schemes.s.confidence=0.25",
                                                      "schemes.new={service: care, saving: 1m}",
                                                      "services.care.funder=null",
                                                      "services.care.funder=ccg"}});
  CHECK(sc.services[0].demand(1) == doctest::Approx(0.04));
  CHECK(sc.partners[0].growth(2) == doctest::Approx(-0.01));
  CHECK(sc.schemes[0].confidence == doctest::Approx(0.25));
  REQUIRE(sc.schemes.size() == 2);
  CHECK(sc.schemes[1].saving == 1e6);
  CHECK(sc.origin("services.acute.demand").path() == "--set");
  // The projection sees the overrides: X(1) = 100m x 1.04.
  CHECK_MONEY(project(sc).baseline(0, 1), 104e6);
}

TEST_CASE("--set: errors point into the override text") {
  Files f;
  std::string base = f.write("base.yaml", kBase);
  CHECK(errors_loading(base, {"services.acute.demnad=4%"}) ==
        Errors{"--set:1:16: unknown key 'demnad' in service 'acute' (did you mean 'demand'?)"});
  CHECK(errors_loading(base, {"services.acuet.demand=4%"}) ==
        Errors{"--set:1:10: unknown service 'acuet' in --set path 'services.acuet.demand' (did you mean 'acute'?)"});
  CHECK(errors_loading(base, {"services.acute.demand=fast"}) ==
        Errors{"--set:1:23: expected a rate (like 3.5% or 0.035) for 'demand' in service 'acute', found 'fast'"});
  CHECK(errors_loading(base, {"servics.acute.base=1m"}) ==
        Errors{"--set:1:1: unknown key 'servics' in --set path 'servics.acute.base' (did you mean 'services'?)"});
  CHECK(errors_loading(base, {"services.acute.base.x=1"}) ==
        Errors{"--set:1:21: 'services.acute.base' is '100m', not a map, so 'x' cannot be set inside it"});
  // `--set PATH VALUE`: the fix, at the place the '=' belongs.
  CHECK(errors_loading(base, {"demand"}) ==
        Errors{"--set:1:7: expected PATH=VALUE (like services.acute.demand=4%), found 'demand' with no '='; write "
               "demand=VALUE, with no space"});
  CHECK(errors_loading(base, {"services.acute.demand 4%"}) ==
        Errors{"--set:1:22: expected PATH=VALUE (like services.acute.demand=4%), found 'services.acute.demand 4%' "
               "with no '='; write services.acute.demand=4%, with no space"});
  CHECK(errors_loading(base, {"=4%"}) ==
        Errors{"--set:1:1: expected PATH=VALUE (like services.acute.demand=4%), found '=4%'"});
  CHECK(errors_loading(base, {"services..demand=1%"}) == Errors{"--set:1:10: empty part in the --set path"});
  CHECK(errors_loading(base, {"partners.ccg.funding.growth=[1%, 2%, 3%]"}) ==
        Errors{"--set:1:29: 'growth' in funding of partner 'ccg' has 3 values but the period has 2 projected years "
               "(2021/22 to 2022/23)"});
  CHECK(errors_loading(base, {"services.acute.demand=[1%"}) ==
        Errors{"--set:1:26: invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence)"});
}

TEST_CASE("extends: a key repeated in the variant is still a duplicate") {
  Files f;
  f.write("base.yaml", kBase);
  std::string variant = f.write("variant.yaml", "extends: base.yaml\nservices:\n  acute: {demand: 4%}\n"
                                                "  acute: {demand: 5%}\n");
  Errors e = errors_loading(variant);
  REQUIRE(e.size() == 1);
  CHECK(e[0].rfind("variant.yaml:4:3: duplicate key 'acute' in 'services' (first at ", 0) == 0);
}

TEST_CASE("--set: a value YAML reads as nothing is an error, not a silent removal") {
  Files f;
  std::string base = f.write("base.yaml", kBase);
  CHECK(errors_loading(base, {"services.acute.demand=#4"}) ==
        Errors{"--set:1:23: '#4' is not a value (YAML reads it as nothing); quote it, or write null to remove the key"});
  CHECK(errors_loading(base, {"services.acute.demand=%4"}) ==
        Errors{"--set:1:23: '%4' is not a value (YAML reads a '%' at the start as a directive); quote it: \"%4\""});
  CHECK(errors_loading(base, {"schemes.s=null"}).empty());
}

TEST_CASE("extends: files can come from memory through a SourceReader") {
  // The same merge as on disk, with no file system: plans/variant.yaml extends ../base.yaml.
  const MemorySources files({{"base.yaml", kBase},
                             {"plans/variant.yaml", "extends: ../base.yaml\nname: Variant\nservices:\n"
                                                    "  care: {base: 20m}\n"}});
  LoadOptions options;
  options.sources = &files;
  Scenario sc = load_scenario_file("plans/variant.yaml", options);
  CHECK(sc.name == "Variant");
  CHECK(sc.services[1].base == 20e6);
  CHECK(sc.services[0].base == 100e6);
  CHECK(sc.origin("services.acute.base").path() == "base.yaml");
  CHECK(sc.origin("services.acute.base").line == 7);
  // A cycle and a missing file are found the same way.
  const MemorySources cycle({{"a.yaml", "extends: b.yaml\n"}, {"b.yaml", "extends: ./a.yaml\n"}});
  options.sources = &cycle;
  try {
    load_scenario_file("a.yaml", options);
    FAIL("a cycle was accepted");
  } catch (const InputError& e) {
    CHECK(e.diagnostics().list().front().message == "'extends' makes a cycle: a.yaml -> b.yaml -> a.yaml");
  }
  options.sources = &files;
  try {
    load_scenario_file("nowhere.yaml", options);
    FAIL("a missing file was read");
  } catch (const InputError& e) {
    CHECK(e.diagnostics().list().front().message == "cannot open 'nowhere.yaml': No such file or directory");
  }
}
