"""End-to-end tests of the fundgap command line: exit codes, where output and
diagnostics go, atomic --output, formats, colour and help.

Run: /usr/bin/python3 tests/cli_test.py PATH/TO/fundgap   (CTest does this)
"""
import csv
import io
import json
import os
import subprocess
import sys
import tempfile
import unittest

FUNDGAP = None
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
THT = os.path.join(ROOT, "scenarios", "tower_hamlets_2019.yaml")

GOOD = """fundgap: 1
name: Tiny
period: {base: 2020/21, to: 2021/22}
partners:
  ccg: {funding: {base: 100m}}
services:
  acute: {funder: ccg, base: 100m, demand: 10%}
"""


def run(*args, env=None, cwd=None):
    e = dict(os.environ)
    e.pop("NO_COLOR", None)
    e.update(env or {})
    return subprocess.run([FUNDGAP, *args], capture_output=True, text=True, env=e, cwd=cwd)


class CliTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.tmp = self.dir.name

    def tearDown(self):
        self.dir.cleanup()

    def write(self, name, text):
        path = os.path.join(self.tmp, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    # ---- help and version ----------------------------------------------------
    def test_version(self):
        r = run("--version")
        self.assertEqual(r.returncode, 0)
        self.assertRegex(r.stdout, r"^fundgap \d+\.\d+\.\d+\n$")

    def test_help_lists_commands_and_each_command_shows_an_example(self):
        r = run("--help")
        self.assertEqual(r.returncode, 0)
        self.assertIn("run", r.stdout)
        self.assertIn("validate", r.stdout)
        for cmd in ("run", "validate", "check", "explain", "bridge", "compare", "simulate", "merge", "sensitivity",
                    "solve"):
            r = run(cmd, "--help")
            self.assertEqual(r.returncode, 0, cmd)
            self.assertIn("Examples:", r.stdout)
            self.assertIn(f"fundgap {cmd} ", r.stdout)

    def test_unknown_command_suggests_the_closest(self):
        r = run("rnu", THT)
        self.assertEqual(r.returncode, 2)
        self.assertTrue(r.stderr.startswith("fundgap: error: unknown command 'rnu' (did you mean 'run'?)\n"))
        self.assertIn("\n  sensitivity  Rank inputs", r.stderr)
        self.assertEqual(r.stdout, "")

    def test_usage_errors_exit_2(self):
        r = run()
        self.assertEqual(r.returncode, 2)
        self.assertTrue(r.stderr.startswith("fundgap: error: a subcommand is required\n"), r.stderr)
        r = run("run")
        self.assertEqual(r.returncode, 2)
        self.assertIn("fundgap: error: file is required", r.stderr)
        r = run("run", THT, "--format", "xml")
        self.assertEqual(r.returncode, 2)
        self.assertIn("fundgap: error: --format", r.stderr)
        r = run("run", THT, "--nope")
        self.assertEqual(r.returncode, 2)

    # ---- run -----------------------------------------------------------------
    def test_run_prints_the_partner_table(self):
        r = run("run", THT)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stderr, "")
        lines = r.stdout.splitlines()
        self.assertEqual(lines[0], "Tower Hamlets Together 2019: partners (£m)")
        self.assertEqual(lines[1].split(), ["2018/19", "2019/20", "2020/21", "2021/22"])
        self.assertIn("system", lines)
        self.assertNotIn("\x1b", r.stdout)  # not a terminal: no colour

    def test_tower_hamlets_reproduces_the_seed_figures(self):
        # Seed 001: "a £60m gap between the Council and CCG resources by 2021/22 unless
        # action is taken" (do nothing), and £346m of community health and care pooled.
        data = json.loads(run("run", THT, "--view", "all", "--format", "json").stdout)
        system = data["views"]["partners"][-1]
        self.assertEqual(system["id"], "system")
        self.assertAlmostEqual(system["measures"]["gap_do_nothing"][-1] / 1e6, 60, delta=1.0)
        pool = data["views"]["pools"][0]
        self.assertAlmostEqual(pool["measures"]["contributions"][0], 346e6, delta=1)
        self.assertAlmostEqual(pool["measures"]["spend"][0], 346e6, delta=1)

    def test_formats_carry_the_same_numbers(self):
        csv = run("run", THT, "--format", "csv").stdout.splitlines()
        data = json.loads(run("run", THT, "--format", "json").stdout)
        self.assertEqual(csv[0], "entity,measure,year,value")
        by_key = {tuple(l.split(",")[:3]): float(l.split(",")[3]) for l in csv[1:]}
        for entity in data["views"]["partners"]:
            for measure, values in entity["measures"].items():
                for year, value in zip(data["years"], values):
                    self.assertEqual(by_key[(entity["id"], measure, year)], value)

    def test_output_file_takes_its_format_from_the_extension(self):
        for ext, check in ((".csv", lambda t: t.startswith("entity,measure,year,value\n")),
                           (".json", lambda t: json.loads(t)["format"] == "fundgap-result"),
                           (".txt", lambda t: t.startswith("Tower Hamlets Together 2019: partners"))):
            out = os.path.join(self.tmp, "out" + ext)
            r = run("run", THT, "-o", out)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(r.stdout, "")
            with open(out) as f:
                self.assertTrue(check(f.read()), ext)
        r = run("run", THT, "-o", os.path.join(self.tmp, "out.dat"))
        self.assertEqual(r.returncode, 2)
        self.assertEqual(r.stderr, "fundgap: error: cannot tell the format of '%s' from its extension "
                         "(.txt, .csv, .md, .json, .xlsx); give --format\n" % os.path.join(self.tmp, "out.dat"))
        r = run("run", THT, "-o", os.path.join(self.tmp, "out.dat"), "--format", "csv")
        self.assertEqual(r.returncode, 0)

    def test_bad_input_leaves_an_existing_output_untouched(self):
        out = self.write("gaps.csv", "previous results\n")
        bad = self.write("bad.yaml", GOOD.replace("demand: 10%", "demnad: 10%"))
        r = run("run", bad, "-o", out)
        self.assertEqual(r.returncode, 2)
        with open(out) as f:
            self.assertEqual(f.read(), "previous results\n")
        self.assertEqual(sorted(os.listdir(self.tmp)), ["bad.yaml", "gaps.csv"])  # no temporary left

    def test_unwritable_output_is_an_error_and_leaves_nothing(self):
        r = run("run", THT, "-o", os.path.join(self.tmp, "missing-dir", "x.csv"))
        self.assertEqual(r.returncode, 2)
        self.assertIn("fundgap: error: cannot write '", r.stderr)
        self.assertIn("No such file or directory", r.stderr)
        r = run("run", THT, "-o", self.tmp, "--format", "csv")
        self.assertEqual(r.returncode, 2)
        self.assertIn("it is a directory", r.stderr)

    def test_colour_only_when_asked_or_on_a_terminal(self):
        self.assertIn("\x1b[", run("run", THT, "--color", "always").stdout)
        self.assertNotIn("\x1b[", run("run", THT, "--color", "never").stdout)
        self.assertNotIn("\x1b[", run("run", THT, "--format", "csv", "--color", "always").stdout)

    def test_no_color_is_respected_on_a_terminal(self):
        # Run under a pseudo-terminal so that 'auto' would colour.
        import pty
        def on_tty(env):
            pid, fd = pty.fork()
            if pid == 0:
                os.environ.pop("NO_COLOR", None)
                os.environ.pop("TERM", None)
                os.environ.update(env)
                os.execv(FUNDGAP, [FUNDGAP, "run", THT])
            chunks = []
            while True:
                try:
                    data = os.read(fd, 4096)
                except OSError:
                    break
                if not data:
                    break
                chunks.append(data)
            os.waitpid(pid, 0)
            return b"".join(chunks).decode()
        self.assertIn("\x1b[", on_tty({}))
        self.assertNotIn("\x1b[", on_tty({"NO_COLOR": "1"}))

    def test_views(self):
        for view, first in (("services", "acute: Acute hospital care"),
                            ("schemes", "admission_avoidance: Admission avoidance through integrated community teams"),
                            ("pools", "community_pool: Community health and social care pool (section 75)")):
            r = run("run", THT, "--view", view)
            self.assertEqual(r.returncode, 0)
            self.assertEqual(r.stdout.splitlines()[2], first)

    # ---- bad input -----------------------------------------------------------
    def test_bad_input_is_located_with_the_line_and_a_caret(self):
        bad = self.write("bad.yaml", GOOD.replace("demand: 10%", "demnad: 10%"))
        r = run("run", bad)
        self.assertEqual(r.returncode, 2)
        self.assertEqual(r.stdout, "")
        self.assertEqual(r.stderr,
                         f"{bad}:7:36: error: unknown key 'demnad' in service 'acute' (did you mean 'demand'?)\n"
                         "    acute: {funder: ccg, base: 100m, demnad: 10%}\n"
                         "                                     ^\n")

    def test_missing_file(self):
        r = run("run", "nowhere.yaml")
        self.assertEqual(r.returncode, 2)
        self.assertEqual(r.stderr, "fundgap: error: cannot open 'nowhere.yaml': No such file or directory\n")

    def test_a_directory_is_not_a_scenario(self):
        r = run("run", self.tmp)
        self.assertEqual(r.returncode, 2)
        self.assertEqual(r.stderr, f"fundgap: error: cannot read '{self.tmp}': it is a directory\n")

    def test_savings_above_spend_exit_2_at_the_scheme(self):
        bad = self.write("over.yaml", GOOD + "schemes:\n  s: {service: acute, saving: 200m}\n")
        r = run("run", bad)
        self.assertEqual(r.returncode, 2)
        self.assertTrue(r.stderr.startswith(f"{bad}:9:31: error: savings on service 'acute' in 2021/22 "
                                            "(£200.0m) exceed its projected spend (£110.0m)\n"), r.stderr)

    # ---- validate ------------------------------------------------------------
    def test_validate_checks_every_file_and_reports_every_error(self):
        good = self.write("good.yaml", GOOD)
        bad1 = self.write("bad1.yaml", GOOD.replace("base: 100m, demand", "base: lots, demand"))
        bad2 = self.write("bad2.yaml", GOOD.replace("funder: ccg", "funder: cgg"))
        r = run("validate", bad1, good, bad2)
        self.assertEqual(r.returncode, 2)
        self.assertEqual(r.stdout, f"{good}: ok (1 partner, 1 service, 0 schemes, 0 pools; 2020/21 to 2021/22)\n")
        self.assertIn(f"{bad1}:7:30: error: expected money", r.stderr)
        self.assertIn(f"{bad2}:7:19: error: unknown partner 'cgg'", r.stderr)
        self.assertEqual(run("validate", good).returncode, 0)

    # ---- check: a plan repository guarded in CI ---------------------------------
    PLAN = GOOD + """checks:
  - name: the gap stays under 5m
    check: acute_ok.gap[*] <= 5m
  - ccg.gap[2020/21] == 0
"""

    def plan_repo(self):
        os.makedirs(os.path.join(self.tmp, "plans"))
        # ccg funds acute: gap 0 then 10m; the first check fails in 2021/22, on line 10.
        path = self.write(os.path.join("plans", "plan.yaml"), self.PLAN.replace("acute_ok", "ccg"))
        return os.path.relpath(path, self.tmp)

    def test_check_in_ci_fails_with_junit_and_annotation(self):
        import xml.etree.ElementTree as ET
        plan = self.plan_repo()
        r = run("check", plan, "--junit", "reports/junit.xml", env={"GITHUB_ACTIONS": "true"}, cwd=self.tmp)
        self.assertEqual(r.returncode, 2, r.stderr)  # reports/ does not exist yet: cannot write
        os.makedirs(os.path.join(self.tmp, "reports"))
        r = run("check", plan, "--junit", "reports/junit.xml", env={"GITHUB_ACTIONS": "true"}, cwd=self.tmp)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("::error file=plans/plan.yaml,line=10,col=12,title=fundgap check failed%3A the gap stays "
                      "under 5m::ccg.gap[*] <= 5m: expected <= £5.0m, actual £10.0m in 2021/22\n", r.stdout)
        self.assertIn("  FAIL  the gap stays under 5m", r.stdout)
        self.assertIn("2 checks: 1 passed, 1 failed", r.stdout)
        junit = os.path.join(self.tmp, "reports", "junit.xml")
        lint = subprocess.run(["xmllint", "--noout", junit], capture_output=True, text=True)
        self.assertEqual(lint.returncode, 0, lint.stderr)
        root = ET.parse(junit).getroot()
        self.assertEqual(root.tag, "testsuites")
        self.assertEqual((root.get("tests"), root.get("failures"), root.get("errors")), ("2", "1", "0"))
        suites = root.findall("testsuite")
        self.assertEqual(len(suites), 1)
        suite = suites[0]
        for attr in ("name", "tests", "failures", "errors", "time", "timestamp", "hostname"):
            self.assertIsNotNone(suite.get(attr), attr)
        self.assertEqual(suite.get("name"), "plans/plan.yaml")
        self.assertRegex(suite.get("timestamp"), r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$")
        cases = suite.findall("testcase")
        self.assertEqual([c.get("name") for c in cases], ["the gap stays under 5m", "ccg.gap[2020/21] == 0"])
        for c in cases:
            self.assertEqual(c.get("classname"), "plans/plan.yaml")
            float(c.get("time"))
        failure = cases[0].find("failure")
        self.assertEqual(failure.get("type"), "CheckFailed")
        self.assertEqual(failure.get("message"), "ccg.gap[*] <= 5m: expected <= £5.0m, actual £10.0m in 2021/22")
        self.assertIsNone(cases[1].find("failure"))

    def test_check_passes_exit_0_and_without_github_no_annotations(self):
        plan = self.plan_repo()
        r = run("check", plan, "--set", "checks=['ccg.gap[2020/21] == 0']", cwd=self.tmp)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn("::error", r.stdout)
        self.assertIn("1 check: 1 passed, 0 failed", r.stdout)

    def test_check_bad_input_exits_2_and_junit_records_an_error(self):
        import xml.etree.ElementTree as ET
        plan = self.plan_repo()
        bad = self.write("bad.yaml", self.PLAN)  # acute_ok is not an entity
        junit = os.path.join(self.tmp, "junit.xml")
        r = run("check", plan, bad, "--junit", junit, env={"GITHUB_ACTIONS": "true"}, cwd=self.tmp)
        self.assertEqual(r.returncode, 2)
        self.assertIn(f"{bad}:10:12: error: unknown entity 'acute_ok' in check\n", r.stderr)
        self.assertIn(f"::error file={bad},line=10,col=12,title=fundgap%3A bad input::unknown entity", r.stdout)
        suites = ET.parse(junit).getroot().findall("testsuite")
        self.assertEqual([s.get("errors") for s in suites], ["0", "1"])
        self.assertEqual(suites[1].find("testcase/error").get("type"), "BadInput")

    def test_check_markdown_keeps_annotations_out_of_the_summary(self):
        plan = self.plan_repo()
        r = run("check", plan, "--format", "markdown", env={"GITHUB_ACTIONS": "true"}, cwd=self.tmp)
        self.assertEqual(r.returncode, 1)
        self.assertNotIn("::error", r.stdout)
        self.assertIn("::error file=plans/plan.yaml,line=10,col=12,", r.stderr)

    def test_explain_writes_text_to_a_txt_file(self):
        out = os.path.join(self.tmp, "why.txt")
        r = run("explain", THT, "council.gap[2021/22]", "-o", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(out) as f:
            self.assertTrue(f.read().startswith("council.gap[2021/22] = £"))
        self.assertNotIn("--color", run("explain", "--help").stdout)

    def test_check_markdown_and_json(self):
        plan = self.plan_repo()
        r = run("check", plan, "--format", "markdown", cwd=self.tmp)
        self.assertEqual(r.returncode, 1)
        self.assertTrue(r.stdout.startswith("### fundgap checks: failing\n\n2 checks: 1 passed, 1 failed\n"))
        r = run("check", plan, "-o", "summary.md", cwd=self.tmp)
        with open(os.path.join(self.tmp, "summary.md")) as f:
            self.assertIn("| :x: | the gap stays under 5m |", f.read())
        data = json.loads(run("check", plan, "--format", "json", cwd=self.tmp).stdout)
        self.assertEqual((data["checks"], data["failures"]), (2, 1))
        first = data["files"][0]["results"][0]
        self.assertEqual((first["passed"], first["year"], first["line"]), (False, "2021/22", 10))
        self.assertAlmostEqual(first["actual"], 10e6, delta=1e-6)

    # ---- explain -----------------------------------------------------------------
    def test_explain_top_line_is_runs_figure_and_depth_limits(self):
        data = json.loads(run("run", THT, "--format", "json").stdout)
        council = data["views"]["partners"][0]
        gap = council["measures"]["gap"][-1]
        r = run("explain", THT, "council.gap[2021/22]", "--depth", "1")
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = r.stdout.splitlines()
        self.assertEqual(lines[0], "council.gap[2021/22] = £{:,.2f}    [spend - funding]".format(gap))
        self.assertEqual(len(lines), 3)
        self.assertTrue(lines[1].startswith("  + council.spend[2021/22] = £"))
        self.assertTrue(lines[2].startswith("  - council.funding[2021/22] = £195,000,000.00"))
        full = run("explain", THT, "council.funding[2021/22]").stdout.splitlines()
        self.assertIn("  x base-year figure = £195,000,000.00    scenarios/tower_hamlets_2019.yaml:28:21"
                      .replace("scenarios/tower_hamlets_2019.yaml", THT), full)
        tree = json.loads(run("explain", THT, "system.gap[2021/22]", "-f", "json").stdout)
        self.assertEqual(tree["value"], data["views"]["partners"][-1]["measures"]["gap"][-1])
        self.assertEqual(tree["op"], "sum")

    def test_explain_bad_figure(self):
        r = run("explain", THT, "council.gpa[2021/22]")
        self.assertEqual(r.returncode, 2)
        self.assertEqual(r.stderr, "FIGURE:1:9: error: unknown measure 'gpa' for partner 'council' (did you mean "
                         "'gap'?)\n  council.gpa[2021/22]\n          ^\n")

    # ---- bridge ------------------------------------------------------------------
    def test_bridge_formats_and_sum(self):
        r = run("bridge", THT, "--partner", "council", "--to", "2020/21")
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = r.stdout.splitlines()
        self.assertEqual(lines[0], "Gap bridge: council, 2018/19 to 2020/21 (£m)")
        self.assertEqual(lines[-1], "▲ widens the gap, ▼ narrows it; the steps add up to the change.")
        self.assertNotIn("\x1b", r.stdout)
        csv = run("bridge", THT, "-f", "csv").stdout.splitlines()
        self.assertEqual(csv[0], "entity,step,kind,from,to,value")
        rows = [l.split(",") for l in csv[1:]]
        self.assertEqual((rows[0][2], rows[-1][2]), ("start", "end"))
        self.assertAlmostEqual(sum(float(r[5]) for r in rows[:-1]), float(rows[-1][5]), delta=1e-6)
        data = json.loads(run("bridge", THT, "-f", "json").stdout)
        gaps = json.loads(run("run", THT, "-f", "json").stdout)["views"]["partners"][-1]["measures"]["gap"]
        self.assertEqual((data["start"], data["end"]), (gaps[0], gaps[-1]))
        self.assertEqual([s["kind"] for s in data["steps"]][:3], ["funding", "demand", "inflation"])

    def test_bridge_bad_options(self):
        for args, message in ((["--to", "2030/31"], "fundgap: error: --to 2030/31 is not a year of the period "
                                                     "2018/19 to 2021/22\n"),
                              (["--from", "2020/21", "--to", "2019/20"], "fundgap: error: --to 2019/20 must come "
                                                                          "after --from 2020/21\n"),
                              (["--partner", "councl"], "fundgap: error: --partner: unknown partner 'councl' "
                                                        "(did you mean 'council'?)\n")):
            r = run("bridge", THT, *args)
            self.assertEqual(r.returncode, 2, args)
            self.assertEqual(r.stderr, message)

    def test_report_tables_take_units(self):
        with tempfile.TemporaryDirectory() as d:
            out = os.path.join(d, "r.html")
            r = run("report", THT, "-o", out, "--units", "£k", "--decimals", "0")
            self.assertEqual(r.returncode, 0, r.stderr)
            html = open(out, encoding="utf-8").read()
            self.assertIn("<th>£k</th>", html)
            # The council's 2018/19 funding, £195m, as the table cell of £k with no decimals.
            self.assertIn("<td>195,000</td>", html)

    def test_bridge_a_place(self):
        nel = os.path.join(ROOT, "scenarios", "north_east_london_2021.yaml")
        r = run("bridge", nel, "--place", "tower_hamlets", "--format", "csv")
        self.assertEqual(r.returncode, 0, r.stderr)
        rows = list(csv.DictReader(io.StringIO(r.stdout)))
        values = {row["step"]: float(row["value"]) for row in rows}
        # The steps add up to the change in the place's gap (start + steps = end).
        start = [float(row["value"]) for row in rows if row["kind"] == "start"][0]
        end = [float(row["value"]) for row in rows if row["kind"] == "end"][0]
        steps = sum(float(row["value"]) for row in rows if row["kind"] not in ("start", "end"))
        self.assertAlmostEqual(start + steps, end, places=2)
        self.assertIn("place budget", values)
        for args, message in ((["--place", "tower_hamlet"], "fundgap: error: --place: unknown place 'tower_hamlet' "
                                                            "(did you mean 'tower_hamlets'?)\n"),
                              (["--place", "newham", "--partner", "icb"], "fundgap: error: --place and --partner each "
                                                                          "choose what to bridge; give one\n")):
            r = run("bridge", nel, *args)
            self.assertEqual(r.returncode, 2, args)
            self.assertEqual(r.stderr, message)
        r = run("bridge", THT, "--place", "north")
        self.assertEqual(r.returncode, 2)
        self.assertEqual(r.stderr, "fundgap: error: --place north: the scenario has no places\n")
        loc = os.path.join(ROOT, "scenarios", "plymouth_2009_localities.yaml")
        r = run("bridge", loc, "--place", "plympton")
        self.assertEqual(r.returncode, 2)
        self.assertEqual(r.stderr, "fundgap: error: --place plympton: the scenario delegates no budgets to places, so "
                                   "a place has no gap to bridge\n")

    # ---- compare -----------------------------------------------------------------
    def test_compare_with_set_and_gates(self):
        r = run("compare", THT, "--set", "services.acute.demand=4%", "--max-increase", "system.gap[*]=1m")
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertTrue(r.stdout.startswith("gap (£m): Tower Hamlets Together 2019 -> Tower Hamlets Together 2019 "
                                            "(with --set)\n"))
        self.assertIn(f"FAIL system.gap[*]=1m ({THT} --set): increase +£10.2m in 2021/22, allowed £1.0m", r.stdout)
        r = run("compare", THT, "--set", "services.acute.demand=4%", "--max-increase", "system.gap[*]=11m")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("PASS system.gap[*]=11m", r.stdout)

    def test_compare_two_files_formats_agree(self):
        other = self.write("other.yaml", f"extends: {THT}\nservices:\n  acute: {{demand: 4%}}\n")
        csv = run("compare", THT, other, "-f", "csv").stdout.splitlines()
        self.assertEqual(csv[0], "scenario,entity,measure,year,base,other,change,change_pct")
        data = json.loads(run("compare", THT, other, "-f", "json").stdout)
        self.assertEqual(data["format"], "fundgap-compare")
        rows = {(l.split(",")[1], l.split(",")[3]): l.split(",") for l in csv[1:]}
        for entity in data["comparisons"][0]["entities"]:
            for year, change in zip(data["comparisons"][0]["years"], entity["change"]):
                self.assertEqual(float(rows[(entity["id"], year)][6]), change)
        md = run("compare", THT, other, "-f", "markdown").stdout
        self.assertTrue(md.startswith("#### gap: Tower Hamlets Together 2019 → Tower Hamlets Together 2019\n"))
        svc = run("compare", THT, other, "--view", "services").stdout
        self.assertTrue(svc.startswith("net (£m)"))

    def test_compare_errors(self):
        r = run("compare", THT)
        self.assertEqual(r.returncode, 2)
        self.assertEqual(r.stderr, "fundgap: error: nothing to compare: give another scenario, or --set to vary "
                                   "the base\n")
        r = run("compare", THT, THT, "--measure", "gpa")
        self.assertEqual(r.returncode, 2)
        self.assertEqual(r.stderr, "fundgap: error: the partners view has no measure 'gpa'\n")
        r = run("compare", THT, THT, "--max-increase", "system.gap[*]")
        self.assertEqual(r.returncode, 2)
        self.assertTrue(r.stderr.startswith("--max-increase:1:1: error: expected ENTITY.MEASURE[YEAR]=LIMIT"))

    # ---- simulate, merge, sensitivity, solve --------------------------------------
    UNCERTAIN = os.path.join(ROOT, "scenarios", "tower_hamlets_2019_uncertain.yaml")

    def test_simulate_formats_and_measures(self):
        r = run("simulate", self.UNCERTAIN, "-n", "3000", "--seed", "5", "--quantiles", "10,90")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stderr, "")  # no progress bar in a pipe
        lines = r.stdout.splitlines()
        self.assertEqual(lines[0], "Tower Hamlets Together 2019 (uncertain): partners (£m)")
        self.assertEqual([l.split()[0] for l in lines[3:7]], ["gap_mean", "gap_p10", "gap_p90", "p_shortfall"])
        self.assertEqual(lines[-1], "3000 draws, seed 5.")
        data = json.loads(run("simulate", self.UNCERTAIN, "-n", "3000", "--seed", "5", "-f", "json").stdout)
        system = data["views"]["partners"][-1]
        self.assertEqual(list(system["measures"]), ["gap_mean", "gap_p5", "gap_p50", "gap_p95", "p_shortfall"])
        pool = data["views"]["pools"][0]
        self.assertEqual(list(pool["measures"]), ["balance_mean", "balance_p5", "balance_p50", "balance_p95",
                                                   "p_overspend"])
        self.assertTrue(all(0 <= p <= 1 for p in system["measures"]["p_shortfall"]))

    def test_simulate_same_seed_same_output_any_threads_and_shards_with_gnu_parallel(self):
        base = ["simulate", self.UNCERTAIN, "-n", "5000", "--seed", "11", "-f", "csv"]
        one = run(*base, "-j", "1").stdout
        self.assertEqual(run(*base, "-j", "2").stdout, one)
        self.assertEqual(run(*base, "-j", "3").stdout, one)
        # The recipe of docs/uncertainty.md: shards with GNU parallel, then merge.
        r = subprocess.run(["parallel", FUNDGAP, "simulate", self.UNCERTAIN, "-n", "5000", "--seed", "11",
                            "--shard", "{}/4", "-o", os.path.join(self.tmp, "shard-{}.json"), ":::", "1", "2", "3", "4"],
                           capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        shards = [os.path.join(self.tmp, f"shard-{k}.json") for k in (3, 1, 4, 2)]
        merged = run("merge", *shards, "-f", "csv")
        self.assertEqual(merged.returncode, 0, merged.stderr)
        self.assertEqual(merged.stdout, one)
        r = run("merge", *shards[:3])
        self.assertEqual(r.returncode, 2)
        self.assertEqual(r.stderr, "fundgap: error: cannot merge shards: shard 2/4 is missing\n")
        other = os.path.join(self.tmp, "other.json")
        run("simulate", self.UNCERTAIN, "-n", "5000", "--seed", "12", "--shard", "2/4", "-o", other)
        r = run("merge", *shards[:3], other)
        self.assertEqual(r.returncode, 2)
        self.assertIn("cannot merge shards: one has seed 11, 5000 draws, 4 shards and another seed 12", r.stderr)

    def test_simulate_draws_out_and_errors(self):
        out = os.path.join(self.tmp, "draws.csv")
        r = run("simulate", self.UNCERTAIN, "-n", "1500", "--draws-out", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(out) as f:
            rows = f.read().splitlines()
        self.assertEqual(len(rows), 1501)
        self.assertTrue(rows[0].startswith("draw,council.gap[2018/19],council.gap[2019/20]"))
        self.assertEqual([int(r.split(",")[0]) for r in rows[1:]], list(range(1500)))
        for args, message in (
                (["--shard", "2/8"], "fundgap: error: --shard writes a shard file: give it with --output\n"),
                (["--shard", "9/8", "-o", "x.json"], "fundgap: error: --shard: expected K/N with 1 <= K <= N "
                                                     "(like 2/8), found '9/8'\n"),
                (["--quantiles", "5,150"], "fundgap: error: --quantiles: '150' is not a percentage between 0 "
                                           "and 100 (like 5,50,95)\n")):
            r = run("simulate", self.UNCERTAIN, "-n", "10", *args, cwd=self.tmp)
            self.assertEqual(r.returncode, 2, args)
            self.assertEqual(r.stderr, message)
        for seed in ("-1", "18446744073709551616", "1.5"):
            r = run("simulate", self.UNCERTAIN, "-n", "10", "--seed", seed)
            self.assertEqual(r.returncode, 2, seed)
            self.assertIn("expected a whole number from 0 to 18446744073709551615", r.stderr)
        r = run("simulate", self.UNCERTAIN, "-n", "500", "-q", "50,5,50", "-f", "csv")
        self.assertEqual(r.returncode, 0)
        measures = [l.split(",")[1] for l in r.stdout.splitlines()[1:] if l.startswith("system,")]
        self.assertEqual(sorted(set(measures), key=measures.index), ["gap_mean", "gap_p5", "gap_p50", "p_shortfall"])
        self.assertEqual(len(measures), 4 * 4)  # each once a year
        self.assertEqual(r.stderr, "fundgap: note: 500 draws, seed 1.\n")
        r = run("simulate", self.UNCERTAIN, "-n", "10", "--shard", "1/2", "-o", "s.json", "-f", "csv", cwd=self.tmp)
        self.assertEqual(r.returncode, 2)
        self.assertIn("--shard writes a shard file, so --format does not apply", r.stderr)
        r = run("simulate", THT, "-n", "10")
        self.assertEqual(r.returncode, 0)
        self.assertEqual(r.stderr, "fundgap: note: no input is uncertain, so every draw is the same as 'run'\n")
        bad = self.write("bad.json", "{}")
        r = run("merge", bad)
        self.assertEqual(r.returncode, 2)
        self.assertEqual(r.stderr, f"fundgap: error: '{bad}' is not a fundgap shard file: wrong format or version\n")

    def test_run_says_uncertain_inputs_are_at_their_plan_values(self):
        r = run("run", self.UNCERTAIN)
        self.assertTrue(r.stdout.endswith("9 uncertain inputs are at their plan values; 'fundgap simulate' shows the "
                                          "spread.\n"))
        r = run("run", self.UNCERTAIN, "-f", "csv")
        self.assertIn("fundgap: note: 9 uncertain inputs are at their plan values", r.stderr)
        self.assertEqual(json.loads(run("run", self.UNCERTAIN, "-f", "json").stdout)["notes"],
                         ["9 uncertain inputs are at their plan values; 'fundgap simulate' shows the spread."])

    def test_plan_value_is_what_run_explain_bridge_and_check_use(self):
        # acute inflation {triangular: [1.5%, 2.5%, 4%]} runs at its mode, 2.5%: the same
        # figure as the file with 2.5% written plainly, and as `plan: 2.5%` on a normal.
        with open(self.UNCERTAIN) as f:
            text = f.read().replace("extends: tower_hamlets_2019.yaml",
                                    "extends: " + os.path.join(ROOT, "scenarios", "tower_hamlets_2019.yaml"))
        plain = self.write("plain.yaml", text.replace("{triangular: [1.5%, 2.5%, 4%]}", "2.5%"))
        planned = self.write("planned.yaml", text.replace("{triangular: [1.5%, 2.5%, 4%]}",
                                                          "{normal: {mean: 3%, sd: 0.5%}, plan: 2.5%}"))
        def gap(path):
            return json.loads(run("run", path, "-f", "json").stdout)["views"]["partners"][-1]["measures"]["gap"][-1]
        base = gap(self.UNCERTAIN)
        self.assertEqual(base, gap(planned))
        self.assertAlmostEqual(base, gap(plain), delta=1e-6)
        explained = json.loads(run("explain", planned, "system.gap[2021/22]", "-f", "json").stdout)
        self.assertEqual(explained["value"], base)
        bridge = json.loads(run("bridge", planned, "-f", "json").stdout)
        self.assertAlmostEqual(bridge["end"], base, delta=1e-6)
        r = run("check", planned, "--set", f"checks=['system.gap[2021/22] == {base:.2f}']")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)

    def test_notes_are_warnings_on_stderr_and_leave_the_exit_code(self):
        # From 2021/22, the last projected year, a ramp of three values has one year.
        noted = self.write("noted.yaml", GOOD + "schemes:\n  s: {service: acute, saving: 1%, start: 2021/22, "
                           "ramp: [25%, 50%, 100%]}\n")
        r = run("run", noted)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stderr, f"{noted}:9:57: warning: 'ramp' in scheme 's' has 3 values but only 1 year from "
                         "its start in 2021/22 to the end of the period (2021/22): 50%, 100% never apply\n"
                         "    s: {service: acute, saving: 1%, start: 2021/22, ramp: [25%, 50%, 100%]}\n"
                         + " " * (2 + 56) + "^\n")
        self.assertTrue(r.stdout.startswith("Tiny: partners"))
        self.assertEqual(run("validate", noted).returncode, 0)
        # A base year a pound out of balance.
        unbalanced = self.write("unbalanced.yaml", GOOD.replace("base: 100m, demand", "base: 100000001, demand"))
        r = run("run", unbalanced, "-f", "csv")
        self.assertEqual(r.returncode, 0)
        self.assertIn(f"{unbalanced}:5:25: warning: partner 'ccg' does not balance in the base year 2020/21: spend "
                      "£100.000001m against funding £100.000000m, a gap of +£1.00", r.stderr)

    def test_compare_against_a_balanced_base_shows_no_percentage(self):
        # The base balances to within £1 in every year: a share of that means nothing.
        base = self.write("base.yaml", GOOD.replace("base: 100m, demand: 10%", "base: 100000001, demand: 0%")
                          .replace("{funding: {base: 100m}}", "{funding: {base: 100m, growth: 0%}}"))
        r = run("compare", base, "--set", "services.acute.demand=5%")
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = r.stdout.splitlines()
        self.assertEqual(lines[5], "  change          0.0     +5.0")
        self.assertEqual(lines[6], "  change %          \u2013        \u2013")
        self.assertNotIn("-0.0%", r.stdout)
        md = run("compare", base, "--set", "services.acute.demand=5%", "-f", "markdown").stdout
        self.assertIn("|  | change | £0.0m | +£5.0m |", md)

    def test_solve_a_list_as_a_whole_and_money_as_money(self):
        listed = self.write("listed.yaml", GOOD.replace("{funding: {base: 100m}}", "{funding: {base: 100m, growth: [2%]}}"))
        # One projected year: funding 100m (1 + g) meets spend 110m at g = 10%.
        r = run("solve", listed, "--vary", "partners.ccg.funding.growth", "--target", "ccg.gap[2021/22] = 0")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(r.stdout.startswith("partners.ccg.funding.growth = 10% meets ccg.gap[2021/22] = £0.0m"),
                        r.stdout)
        r = run("solve", listed, "--vary", "partners.ccg.funding.base", "--target", "ccg.gap[2021/22] = 0")
        self.assertTrue(r.stdout.startswith("partners.ccg.funding.base = £107,843,137.25 meets"), r.stdout)
        self.assertIn("(the scenario has £100,000,000.00, giving £8.0m;", r.stdout)

    def test_explain_without_a_year_says_what_works(self):
        r = run("explain", THT, "council.gap")
        self.assertEqual(r.returncode, 2)
        self.assertTrue(r.stderr.startswith("FIGURE:1:12: error: expected '[YEAR]' after 'council.gap' (like "
                                            "council.gap[2021/22]), found the end\n"), r.stderr)

    def test_set_path_space_value_says_to_join_them(self):
        r = run("run", THT, "--set", "services.acute.demand", "4%")
        self.assertEqual(r.returncode, 2)
        self.assertEqual(r.stderr, "--set:1:22: error: expected PATH=VALUE (like services.acute.demand=4%), found "
                         "'services.acute.demand 4%' with no '='; write services.acute.demand=4%, with no space\n"
                         "  services.acute.demand 4%\n" + " " * (2 + 21) + "^\n")
        self.assertEqual(r.stdout, "")

    def test_sensitivity_and_solve(self):
        r = run("sensitivity", self.UNCERTAIN)
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = r.stdout.splitlines()
        self.assertTrue(lines[0].startswith("Sensitivity of system.gap[2021/22] (£51.9m as run)"))
        self.assertTrue(lines[2].split()[0] == "partners.ccg.funding.growth")
        csv = run("sensitivity", self.UNCERTAIN, "-f", "csv").stdout.splitlines()
        self.assertEqual(csv[0], "figure,input,basis,low,high,at_low,at_high,range")
        ranges = [float(l.split(",")[-1]) for l in csv[1:]]
        self.assertEqual(ranges, sorted(ranges, reverse=True))
        r = run("solve", THT, "--vary", "partners.ccg.funding.growth", "--target", "system.gap[2021/22] = 0")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(r.stdout.startswith("partners.ccg.funding.growth = 6.669"))
        r = run("solve", THT, "--vary", "schemes.admission_avoidance.confidence", "--target", "system.gap[2021/22]=0")
        self.assertEqual(r.returncode, 1)
        self.assertTrue(r.stdout.startswith("no value of schemes.admission_avoidance.confidence between 0% and 100%"))
        r = run("solve", THT, "--vary", "partners.ccg.funding.growht", "--target", "system.gap[2021/22]=0")
        self.assertEqual(r.returncode, 2)
        self.assertTrue(r.stderr.startswith("--vary:1:1: error: no numeric input at 'partners.ccg.funding.growht' "
                                            "(did you mean 'partners.ccg.funding.growth'?)"))
        r = run("solve", THT, "--vary", "services.acute.demand", "--target", "system.gap[2021/22]")
        self.assertEqual(r.returncode, 2)
        self.assertIn("--target: expected 'FIGURE = VALUE'", r.stderr)

    # ---- format 1.1: --prices and --discount ------------------------------------
    MONEY_LINES = os.path.join(ROOT, "docs", "examples", "money_lines.yaml")

    def test_prices_real_and_discount(self):
        # docs/money-lines.md: the 2026/27 gap of 9.65543928m at 2024/25 prices with a 2%
        # deflator is 9.65543928 / 1.0404 = 9.28051m; NPV of reablement at 3.5% is 1.2168313m,
        # and at 0% it is the net benefit of 1.3m.
        def council_gap(*extra):
            r = run("run", self.MONEY_LINES, "-f", "json", *extra)
            self.assertEqual(r.returncode, 0, r.stderr)
            doc = json.loads(r.stdout)
            council = doc["views"]["partners"][0]["measures"]
            return council["gap"][2], doc.get("notes", [])
        cash, notes = council_gap()
        self.assertAlmostEqual(cash, 9655439.28, places=2)
        real, notes = council_gap("--prices", "real")
        self.assertAlmostEqual(real, 9655439.28 / 1.0404, places=2)
        self.assertIn("Money at 2024/25 prices: each year divided by the price index of prices.deflator.", notes)
        def npv(*extra):
            r = run("run", self.MONEY_LINES, "--view", "schemes", "-f", "csv", *extra)
            self.assertEqual(r.returncode, 0, r.stderr)
            return float([l for l in r.stdout.splitlines() if l.startswith("reablement,npv,2026/27,")][0].split(",")[3])
        self.assertAlmostEqual(npv(), 1216831.1979, places=3)
        self.assertAlmostEqual(npv("--discount", "0%"), 1300000.0, places=6)
        # --prices real needs the scenario's price index; --discount needs format 1.1.
        r = run("run", THT, "--prices", "real")
        self.assertEqual(r.returncode, 2)
        self.assertEqual(r.stderr, "fundgap: error: --prices real needs the scenario's price index: add "
                                   "'prices: {deflator: 2%}' (format 1.1) to '" + THT + "'\n")
        r = run("run", THT, "--discount", "5%")
        self.assertEqual(r.returncode, 2)
        self.assertTrue(r.stderr.startswith("--set:1:1: error: 'discount' is part of format 1.1; write "
                                            "'fundgap: 1.1' at the top of the file to use it"), r.stderr)
        self.assertEqual(r.stdout, "")

    def test_gateshead_reconciles_to_its_published_gaps(self):
        # Gateshead's MTFS 2020/21-2024/25 (the scenario cites the table): all 12 checks pass.
        r = run("check", os.path.join(ROOT, "scenarios", "gateshead_mtfs_2020.yaml"))
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("12 checks: 12 passed, 0 failed", r.stdout)


if __name__ == "__main__":
    FUNDGAP = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
