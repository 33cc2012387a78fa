"""End-to-end tests of Excel output: every command that writes a workbook is read back
with openpyxl and with LibreOffice (headless, converted to CSV), and its numbers are
checked against the CSV output of the same command.

Run: /usr/bin/python3 tests/xlsx_test.py PATH/TO/fundgap   (CTest does this)
"""
import csv
import glob
import io
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import openpyxl

FUNDGAP = None
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
THT = "scenarios/tower_hamlets_2019.yaml"
UNCERTAIN = "scenarios/tower_hamlets_2019_uncertain.yaml"
MILLIONS = '"£"#,##0.0,,"m"'


def run(*args):
    return subprocess.run([FUNDGAP, *args], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "NO_COLOR": "1"})


def csv_rows(*args):
    r = run(*args, "--format", "csv")
    assert r.returncode in (0, 1), r.stderr  # 1: a gate failed
    return list(csv.reader(io.StringIO(r.stdout)))


def number(text):
    return float(text) if text != "" else None


class XlsxTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.TemporaryDirectory()
        cls.tmp = cls.dir.name
        cls.version = run("--version").stdout.split()[1]

    @classmethod
    def tearDownClass(cls):
        cls.dir.cleanup()

    def workbook(self, name, *args):
        path = os.path.join(self.tmp, name)
        r = run(*args, "-o", path)
        self.assertIn(r.returncode, (0, 1), r.stderr)  # 1: a check or gate failed
        self.assertEqual(r.stdout, "")
        return path, openpyxl.load_workbook(path)

    def cover(self, book):
        return {row[0].value: row[1].value for row in book["cover"].iter_rows(min_row=3) if row[0].value}

    def sheet_rows(self, sheet, first):
        return [[c.value for c in row] for row in sheet.iter_rows(min_row=first)]

    def assert_close(self, got, want, msg=None):
        """libxlsxwriter writes 16 significant figures: the CSV's shortest round-trip
        text may have 17, so allow one unit in the 16th figure."""
        if want is None or got is None:
            self.assertEqual(got, want, msg)
        else:
            self.assertAlmostEqual(got, want, delta=abs(want) * 1e-15, msg=msg)

    def assert_tidy_equals_csv(self, sheet, rows, numeric):
        """The sheet's header and rows are the CSV's; `numeric` columns hold numbers."""
        got = self.sheet_rows(sheet, 1)
        self.assertEqual(got[0], rows[0])
        self.assertEqual(len(got), len(rows))
        for g, w in zip(got[1:], rows[1:]):
            for i, (a, b) in enumerate(zip(g, w)):
                if i in numeric:
                    self.assert_close(a, number(b), (g, w))
                else:
                    self.assertEqual(a, b)

    def test_run_all_views(self):
        path, book = self.workbook("run.xlsx", "run", THT, "--view", "all")
        rows = csv_rows("run", THT, "--view", "all")
        views = [v for v in ("partners", "services", "schemes", "pools", "places")]
        self.assertEqual(book.sheetnames[0], "cover")
        self.assertEqual(book.sheetnames[-1], "data")
        self.assertEqual([s for s in book.sheetnames[1:-1]], [v for v in views if v in book.sheetnames])
        cover = self.cover(book)
        self.assertEqual(cover["Scenario"], "Tower Hamlets Together 2019")
        self.assertEqual(cover["Source file"], THT)
        self.assertEqual(cover["Made by"], f"fundgap {self.version}")
        # The tidy sheet is the CSV, numbers as numbers at full precision.
        self.assert_tidy_equals_csv(book["data"], rows, {3})
        self.assertEqual(book["data"].freeze_panes, "A2")
        # The view sheets, one after another, hold every series of the CSV in its order.
        series = []
        for entity, measure, year, value in rows[1:]:
            if not series or series[-1][:2] != (entity, measure):
                series.append((entity, measure, []))
            series[-1][2].append(float(value))
        years = list(dict.fromkeys(r[2] for r in rows[1:]))
        laid_out = []
        for name in book.sheetnames[1:-1]:
            sheet = book[name]
            self.assertTrue(sheet["A1"].value.startswith(f"Tower Hamlets Together 2019: {name} (£m)"))
            if sheet.max_row < 3 or sheet["A2"].value is None:  # a view with no entities
                self.assertEqual(sheet["A3"].value, f"(this scenario has no {name})")
                continue
            self.assertEqual(self.sheet_rows(sheet, 2)[0], ["entity", "name", "measure", *years])
            self.assertEqual(sheet.freeze_panes, "D3")
            for row in sheet.iter_rows(min_row=3):
                laid_out.append((row[0].value, [c.value for c in row[3:]]))
                for c in row[3:]:
                    self.assertEqual(c.number_format, MILLIONS)
                    self.assertIsInstance(c.value, (int, float))
            # Every column is at least as wide as its widest text.
            for col in sheet.iter_cols(min_row=2):
                texts = [str(c.value) for c in col if isinstance(c.value, str)]
                if texts:
                    width = sheet.column_dimensions[col[0].column_letter].width
                    self.assertGreaterEqual(width, max(len(t) for t in texts), col[0].column_letter)
        self.assertEqual([e for e, _ in laid_out], [e for e, _, _ in series])
        for (_, got), (entity, measure, want) in zip(laid_out, series):
            self.assertEqual(len(got), len(want))
            for a, b in zip(got, want):
                self.assert_close(a, b, (entity, measure))
        type(self).converted.append(path)

    def test_units_change_only_the_number_format(self):
        _, book = self.workbook("units.xlsx", "run", THT, "--units", "£k", "--decimals", "3")
        _, plain = self.workbook("plain.xlsx", "run", THT)
        cell = book["partners"]["D3"]
        self.assertEqual(cell.number_format, '"£"#,##0.000,"k"')
        self.assertEqual(cell.value, plain["partners"]["D3"].value)
        self.assertEqual(self.cover(book)["Money shown in"], "£k, 3 decimals (the cells hold full precision)")
        _, pounds = self.workbook("pounds.xlsx", "run", THT, "--units", "£", "--decimals", "0")
        self.assertEqual(pounds["data"]["D2"].number_format, '"£"#,##0')

    def test_simulate_with_probabilities_and_notes(self):
        args = ["simulate", UNCERTAIN, "-n", "300", "--seed", "5"]
        path, book = self.workbook("simulate.xlsx", *args)
        rows = csv_rows(*args)
        self.assertEqual(book.sheetnames, ["cover", "partners", "pools", "data"])
        self.assert_tidy_equals_csv(book["data"], rows, {3})
        self.assertEqual(self.cover(book)["Note"], "300 draws, seed 5.")
        formats = {r[1].value: r[3].number_format for r in book["data"].iter_rows(min_row=2)}
        self.assertEqual(formats["p_shortfall"], "0.0%")
        self.assertEqual(formats["gap_mean"], MILLIONS)
        type(self).converted.append(path)

    def test_compare_with_gates(self):
        args = ["compare", THT, "--set", "services.acute.demand=4%", "--max-increase", "system.gap[*]=1m"]
        path, book = self.workbook("compare.xlsx", *args)
        rows = csv_rows(*args)
        self.assertEqual(book.sheetnames, ["cover", "tower_hamlets_2019", "gates", "data"])
        self.assert_tidy_equals_csv(book["data"], rows, {4, 5, 6, 7})
        gates = self.sheet_rows(book["gates"], 1)
        self.assertEqual(gates[0], ["result", "gate", "scenario", "year", "increase", "allowed"])
        self.assertEqual(gates[1][:3], ["FAIL", "system.gap[*]=1m", THT + " --set"])
        self.assertEqual(gates[1][5], 1e6)
        type(self).converted.append(path)

    def test_check(self):
        args = ["check", THT]
        path, book = self.workbook("check.xlsx", *args)
        table = run(*args).stdout
        checks = self.sheet_rows(book["checks"], 2)
        self.assertEqual(len(checks), table.count("  PASS ") + table.count("  FAIL "))
        for row in checks:
            self.assertIn(row[2], ("PASS", "FAIL"))
            self.assertIn(f"  {row[2]}  {row[3]}", table)
            self.assertIsInstance(row[6], (int, float))
        self.assertEqual(self.cover(book)["Result"], table.splitlines()[-1])

    def test_bridge(self):
        args = ["bridge", THT, "--partner", "council"]
        path, book = self.workbook("bridge.xlsx", *args)
        rows = csv_rows(*args)
        self.assert_tidy_equals_csv(book["data"], rows, {5})
        steps = self.sheet_rows(book["bridge"], 3)
        self.assertEqual([s[0] for s in steps], [r[1] for r in rows[1:]])
        for s, r in zip(steps, rows[1:]):
            self.assert_close(s[2], float(r[5]), s)
        self.assertAlmostEqual(steps[0][2] + sum(s[2] for s in steps[1:-1]), steps[-1][2], delta=0.01)
        type(self).converted.append(path)

    def test_sensitivity(self):
        args = ["sensitivity", UNCERTAIN]
        _, book = self.workbook("sensitivity.xlsx", *args)
        rows = csv_rows(*args)
        self.assertEqual(book.sheetnames, ["cover", "sensitivity"])
        swings = self.sheet_rows(book["sensitivity"], 3)
        self.assertEqual(len(swings), len(rows) - 1)
        for got, want in zip(swings, rows[1:]):  # figure,input,basis,low,high,at_low,at_high,range
            self.assertEqual(got[:2], [want[1], want[2]])
            for a, b in zip(got[4:], want[5:]):
                self.assert_close(a, float(b), got)

    def test_source_date_epoch_makes_the_bytes_reproducible(self):
        env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
        made = []
        for name in ("a.xlsx", "b.xlsx"):
            path = os.path.join(self.tmp, name)
            r = subprocess.run([FUNDGAP, "run", THT, "-o", path], capture_output=True, cwd=ROOT, env=env)
            self.assertEqual(r.returncode, 0, r.stderr)
            with open(path, "rb") as f:
                made.append(f.read())
        self.assertEqual(made[0], made[1])
        created = openpyxl.load_workbook(os.path.join(self.tmp, "a.xlsx")).properties.created
        self.assertEqual(created.isoformat(), "2023-11-14T22:13:20")
        for bad in ("soon", "-5"):
            r = subprocess.run([FUNDGAP, "run", THT, "-o", os.path.join(self.tmp, "c.xlsx")], capture_output=True,
                               text=True, cwd=ROOT, env={**os.environ, "SOURCE_DATE_EPOCH": bad})
            self.assertEqual(r.returncode, 2)
            self.assertEqual(r.stderr, "fundgap: error: SOURCE_DATE_EPOCH: expected a whole number of seconds "
                                       f"above 0, found '{bad}'\n")
        r = subprocess.run([FUNDGAP, "run", THT], capture_output=True, cwd=ROOT,
                           env={**os.environ, "SOURCE_DATE_EPOCH": "soon"})
        self.assertEqual(r.returncode, 0)  # only a workbook records when it was made

    def test_libxlsxwriter_is_loaded_only_for_a_workbook(self):
        # A library that cannot be loaded stands first on the loader's path: a workbook is
        # refused with exit 2 and nothing written, while every other format never loads it.
        lib = os.path.join(self.tmp, "lib")
        os.makedirs(lib)
        name = subprocess.run(["ldd", FUNDGAP], capture_output=True, text=True).stdout
        self.assertNotIn("xlsxwriter", name)  # not linked
        for so in ("libxlsxwriter.so.4", "libxlsxwriter.so"):
            open(os.path.join(lib, so), "w").close()
        env = {**os.environ, "LD_LIBRARY_PATH": lib}
        path = os.path.join(self.tmp, "x.xlsx")
        r = subprocess.run([FUNDGAP, "run", THT, "-o", path], capture_output=True, text=True, cwd=ROOT, env=env)
        self.assertEqual(r.returncode, 2)
        self.assertRegex(r.stderr, r"^fundgap: error: cannot write the workbook: cannot load libxlsxwriter\S*: "
                                   r".*file too short\n$")
        self.assertFalse(os.path.exists(path))
        r = subprocess.run([FUNDGAP, "run", THT, "-f", "csv"], capture_output=True, text=True, cwd=ROOT, env=env)
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_bad_input_leaves_an_existing_workbook_untouched(self):
        path, _ = self.workbook("keep.xlsx", "run", THT)
        with open(path, "rb") as f:
            before = f.read()
        r = run("run", THT, "--set", "services.acute.demand=lots", "-o", path)
        self.assertEqual(r.returncode, 2)
        with open(path, "rb") as f:
            self.assertEqual(f.read(), before)
        self.assertEqual(sorted(os.listdir(self.tmp)).count("keep.xlsx"), 1)
        self.assertEqual([n for n in os.listdir(self.tmp) if ".tmp-" in n], [])

    converted = []

    def test_zz_libreoffice_reads_the_same_numbers(self):
        """LibreOffice reads every workbook above; its CSV of each data sheet (raw values,
        not as shown) matches fundgap's CSV to 14 significant figures."""
        soffice = shutil.which("soffice")
        self.assertIsNotNone(soffice, "LibreOffice (libreoffice-calc-nogui) is not installed: run setup.sh")
        self.assertGreaterEqual(len(self.converted), 4)
        out = os.path.join(self.tmp, "lo")
        os.makedirs(out)
        profile = "file://" + os.path.join(self.tmp, "lo-profile")
        # Filter options: comma, double quote, UTF-8, from line 1, ..., values not as
        # shown (token 9), every sheet to its own file (token 12: -1).
        options = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
        r = subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", options,
                            "--outdir", out, *self.converted], capture_output=True, text=True, timeout=240)
        self.assertEqual(r.returncode, 0, r.stderr)
        commands = {"run.xlsx": ["run", THT, "--view", "all"],
                    "simulate.xlsx": ["simulate", UNCERTAIN, "-n", "300", "--seed", "5"],
                    "compare.xlsx": ["compare", THT, "--set", "services.acute.demand=4%",
                                     "--max-increase", "system.gap[*]=1m"],
                    "bridge.xlsx": ["bridge", THT, "--partner", "council"]}
        for path in self.converted:
            name = os.path.basename(path)
            data = os.path.join(out, name[:-5] + "-data.csv")
            self.assertTrue(os.path.exists(data), sorted(os.listdir(out)))
            with open(data, encoding="utf-8") as f:
                got = list(csv.reader(f))
            want = csv_rows(*commands[name])
            self.assertEqual(len(got), len(want), name)
            self.assertEqual(got[0], want[0])
            for g, w in zip(got[1:], want[1:]):
                for a, b in zip(g, w):
                    try:  # LibreOffice keeps the % of a percentage cell even in raw values
                        x, y = float(a[:-1]) / 100 if a.endswith("%") else float(a), float(b)
                    except ValueError:
                        self.assertEqual(a, b, name)
                        continue
                    self.assertAlmostEqual(x, y, delta=abs(y) * 1e-14, msg=(name, g, w))
            self.assertTrue(glob.glob(os.path.join(out, name[:-5] + "-cover.csv")))


if __name__ == "__main__":
    FUNDGAP = os.path.abspath(sys.argv.pop(1))
    unittest.main()
