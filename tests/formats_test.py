"""End-to-end tests of the report formats for people and for pyam: --units and --decimals
in the table and Markdown, Markdown for `run`, the IAMC long format (read with pandas),
and binary formats refused on a terminal.

Expected figures come from the CSV of the same command (full precision), rounded here
by Python's decimal module, not by fundgap's own formatting.

Run: /usr/bin/python3 tests/formats_test.py PATH/TO/fundgap   (CTest does this)
"""
import csv
import io
import json
import os
import pty
import subprocess
import sys
import tempfile
import unittest
from decimal import ROUND_HALF_UP, Decimal

import pandas

FUNDGAP = None
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
THT = os.path.join(ROOT, "scenarios", "tower_hamlets_2019.yaml")
UNCERTAIN = os.path.join(ROOT, "scenarios", "tower_hamlets_2019_uncertain.yaml")
SCALE = {"£": 1, "£k": 1e3, "£m": 1e6, "£bn": 1e9}


def run(*args):
    return subprocess.run([FUNDGAP, *args], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "NO_COLOR": "1"})


def csv_series(*args):
    """[(entity, measure, [values...])] in the CSV's order, and the years."""
    r = run(*args, "--format", "csv")
    assert r.returncode == 0, r.stderr
    series, years = [], []
    for row in csv.DictReader(io.StringIO(r.stdout)):
        if not series or series[-1][:2] != (row["entity"], row["measure"]):
            series.append((row["entity"], row["measure"], []))
        series[-1][2].append(float(row["value"]))
        if row["year"] not in years:
            years.append(row["year"])
    return series, years


def shown(value, unit, decimals):
    """The figure as a table shows it: scaled, rounded half away from zero, grouped."""
    q = Decimal(repr(value / SCALE[unit])).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = f"{abs(q):,.{decimals}f}"
    return ("-" if q < 0 and q != 0 else "") + text


class UnitsTest(unittest.TestCase):
    """Tower Hamlets (format 1) has only money measures, so every cell is money."""

    def check_cells(self, fmt, unit, decimals, extra):
        series, years = csv_series("run", THT, "--view", "all")
        r = run("run", THT, "--view", "all", "--format", fmt, *extra)
        self.assertEqual(r.returncode, 0, r.stderr)
        headings = [l for l in r.stdout.splitlines() if l.startswith(("Tower Hamlets Together 2019: ", "#### "))]
        self.assertGreaterEqual(len(headings), 4)  # one per view
        for h in headings:
            self.assertTrue(h.endswith(f" ({unit})"), h)
        rows = []
        for line in r.stdout.splitlines():
            if fmt == "table" and line.startswith("  ") and not line.startswith("  (") and "/" not in line:
                rows.append(line.split()[-len(years):])
            if fmt == "markdown" and line.startswith("|") and not line.startswith(("| | |", "|---")):
                rows.append([c.strip() for c in line.strip("|").split("|")][-len(years):])
        self.assertEqual(len(rows), len(series))
        for (entity, measure, values), cells in zip(series, rows):
            self.assertEqual(cells, [shown(v, unit, decimals) for v in values], f"{entity}.{measure}")

    def test_default_is_millions_to_one_decimal(self):
        for fmt in ("table", "markdown"):
            self.check_cells(fmt, "£m", 1, [])

    def test_every_unit_in_the_table_and_markdown(self):
        for fmt in ("table", "markdown"):
            self.check_cells(fmt, "£k", 3, ["--units", "£k", "--decimals", "3"])
            self.check_cells(fmt, "£bn", 2, ["--units", "£bn", "--decimals", "2"])
            self.check_cells(fmt, "£", 2, ["--units", "£"])  # pounds default to pence
            self.check_cells(fmt, "£m", 0, ["--units", "m", "--decimals", "0"])

    def test_units_leave_csv_and_json_at_full_precision(self):
        for fmt in ("csv", "json"):
            plain = run("run", THT, "--view", "all", "--format", fmt)
            scaled = run("run", THT, "--view", "all", "--format", fmt, "--units", "£k", "--decimals", "3")
            self.assertEqual(plain.returncode, 0)
            self.assertEqual(scaled.stdout, plain.stdout)

    def test_compare_and_bridge_tables_take_units(self):
        r = run("compare", THT, "--set", "services.acute.demand=4%", "--units", "£k", "--decimals", "2")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(r.stdout.startswith("gap (£k): "), r.stdout)
        r = run("bridge", THT, "--units", "£bn", "--decimals", "3", "--format", "csv")
        bridge = list(csv.DictReader(io.StringIO(r.stdout)))
        r = run("bridge", THT, "--units", "£bn", "--decimals", "3")
        self.assertIn("(£bn)", r.stdout.splitlines()[0])
        start = [l for l in r.stdout.splitlines() if l.strip().startswith("gap 2018/19")][0]
        self.assertEqual(start.split()[2], shown(float(bridge[0]["value"]), "£bn", 3))

    def test_bad_units_and_decimals_exit_2_before_reading_the_scenario(self):
        for args, message in (
                (["--units", "£x"], "--units: expected £, £k, £m or £bn, found '£x'"),
                (["--units", "millions"], "--units: expected £, £k, £m or £bn, found 'millions'"),
                (["--decimals", "x"], "--decimals: expected a whole number from 0 to 9, found 'x'"),
                (["--decimals", "10"], "--decimals: expected a whole number from 0 to 9, found '10'")):
            for cmd in (["run", "missing.yaml"], ["compare", "missing.yaml"], ["bridge", "missing.yaml"],
                        ["simulate", "missing.yaml"]):
                r = run(*cmd, *args)
                self.assertEqual(r.returncode, 2, (cmd, args))
                self.assertEqual(r.stdout, "")
                self.assertEqual(r.stderr, f"fundgap: error: {message}\n")

    def test_check_has_no_units(self):
        r = run("check", THT, "--units", "£k")
        self.assertEqual(r.returncode, 2)
        self.assertIn("--units", r.stderr)


class MarkdownTest(unittest.TestCase):
    def test_run_markdown_is_a_board_paper_table(self):
        r = run("run", THT, "--format", "markdown")
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = r.stdout.splitlines()
        self.assertEqual(lines[0], "#### Tower Hamlets Together 2019: partners (£m)")
        self.assertEqual(lines[2], "| | | 2018/19 | 2019/20 | 2020/21 | 2021/22 |")
        self.assertEqual(lines[3], "|---|---|---:|---:|---:|---:|")
        self.assertTrue(lines[4].startswith("| **council: "), lines[4])
        self.assertTrue(lines[5].startswith("| | spend |"), lines[5])

    def test_markdown_from_the_extension_and_empty_views(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "board.md")
            r = run("run", "examples/01_one_partner.yaml", "--view", "schemes", "-o", out)
            self.assertEqual(r.returncode, 0, r.stderr)
            with open(out) as f:
                self.assertEqual(f.read(), "#### Example 01: one partner: schemes (£m)\n\nThis scenario has no schemes.\n")

    def test_simulate_markdown_carries_its_note(self):
        r = run("simulate", UNCERTAIN, "-n", "100", "--format", "markdown")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(r.stdout.endswith("\n\n100 draws, seed 1.\n"), r.stdout[-200:])


class IamcTest(unittest.TestCase):
    def check_against_csv(self, args, scenario_file):
        r = run(*args, "--format", "iamc")
        self.assertEqual(r.returncode, 0, r.stderr)
        frame = pandas.read_csv(io.StringIO(r.stdout), float_precision="round_trip")
        self.assertEqual(list(frame.columns), ["model", "scenario", "region", "variable", "unit", "year", "value"])
        doc = json.loads(run(*args, "--format", "json").stdout)
        view_of = {}
        for view, entities in doc["views"].items():
            for e in entities:
                for m in e["measures"]:
                    view_of[(e["id"], m)] = view
        rows = list(csv.DictReader(io.StringIO(run(*args, "--format", "csv").stdout)))
        self.assertEqual(len(frame), len(rows))
        for (_, got), want in zip(frame.iterrows(), rows):
            self.assertEqual(got["model"], "fundgap")
            self.assertEqual(got["scenario"], doc["scenario"])
            self.assertEqual(got["region"], want["entity"])
            self.assertEqual(got["variable"], f"{view_of[(want['entity'], want['measure'])]}|{want['measure']}")
            self.assertEqual(got["year"], int(want["year"][:4]))
            self.assertEqual(got["value"], float(want["value"]))
            probability = want["measure"].startswith("p_")
            self.assertEqual(got["unit"], "fraction" if probability else "GBP")
        # (model, scenario, region, variable, year) is a key, as pyam needs.
        self.assertFalse(frame.duplicated(["model", "scenario", "region", "variable", "year"]).any())
        return frame

    def test_run_in_iamc(self):
        frame = self.check_against_csv(["run", THT, "--view", "all"], THT)
        gap = frame[(frame.region == "system") & (frame.variable == "partners|gap") & (frame.year == 2021)]
        self.assertEqual(len(gap), 1)

    def test_simulate_summary_in_iamc(self):
        frame = self.check_against_csv(["simulate", UNCERTAIN, "-n", "200", "--seed", "3"], UNCERTAIN)
        self.assertIn("pools|p_overspend", set(frame.variable))

    def test_a_scenario_name_with_a_comma_is_quoted(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "plan.yaml")
            with open(path, "w") as f:
                f.write('fundgap: 1\nname: "North, East \\"London\\""\nperiod: {base: 2020/21, to: 2021/22}\n'
                        "partners:\n  ccg: {funding: {base: 100m}}\n"
                        "services:\n  acute: {funder: ccg, base: 100m, demand: 10%}\n")
            r = run("run", path, "--format", "iamc")
            self.assertEqual(r.returncode, 0, r.stderr)
            frame = pandas.read_csv(io.StringIO(r.stdout))
            self.assertEqual(set(frame.scenario), {'North, East "London"'})
            gap = frame[(frame.region == "system") & (frame.variable == "partners|gap") & (frame.year == 2021)]
            self.assertAlmostEqual(gap.value.item(), 10e6, delta=0.01)  # 10% demand growth on £100m


class BinaryTest(unittest.TestCase):
    def test_xlsx_is_refused_on_a_terminal_and_written_into_a_pipe(self):
        primary, secondary = pty.openpty()
        try:
            r = subprocess.run([FUNDGAP, "run", THT, "--format", "xlsx"], stdout=secondary, stderr=subprocess.PIPE,
                               text=True, cwd=ROOT)
        finally:
            os.close(secondary)
            os.close(primary)
        self.assertEqual(r.returncode, 2)
        self.assertEqual(r.stderr, "fundgap: error: xlsx is a binary format and standard output is a terminal: "
                                   "give --output FILE.xlsx (or redirect standard output)\n")
        piped = subprocess.run([FUNDGAP, "run", THT, "--format", "xlsx"], capture_output=True, cwd=ROOT)
        self.assertEqual(piped.returncode, 0)
        self.assertEqual(piped.stdout[:2], b"PK")  # a zip archive: the workbook


if __name__ == "__main__":
    FUNDGAP = os.path.abspath(sys.argv.pop(1))
    unittest.main()
