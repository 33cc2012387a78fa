"""Hostile input through the fundgap command line (issue 12): each class of input that
once crashed fundgap, exhausted memory, destroyed a file or was wrongly accepted gets a
located error and exit code 2, and leaves nothing half-written.

Run: /usr/bin/python3 tests/hardening_test.py PATH/TO/fundgap   (CTest does this)
"""
import json
import os
import resource
import subprocess
import sys
import tempfile
import unittest

FUNDGAP = None
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
UNCERTAIN = os.path.join(ROOT, "scenarios", "tower_hamlets_2019_uncertain.yaml")

GOOD = """fundgap: 1
name: Tiny
period: {base: 2020/21, to: 2021/22}
partners:
  ccg: {funding: {base: 100m}}
services:
  acute: {funder: ccg, base: 100m, demand: 10%}
"""


def limit_memory():
    # 1 GB of address space: a regression that expands an alias bomb fails fast
    # instead of taking the machine.
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


def run(*args, cwd=None, stdin=None, env=None, timeout=60):
    e = dict(os.environ)
    e.pop("GITHUB_ACTIONS", None)
    e.update(env or {})
    return subprocess.run([FUNDGAP, *args], capture_output=True, text=True, cwd=cwd, input=stdin, env=e,
                          preexec_fn=limit_memory, timeout=timeout)


class HardeningTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.tmp = self.dir.name

    def tearDown(self):
        self.dir.cleanup()

    def write(self, name, text, mode="w"):
        path = os.path.join(self.tmp, name)
        with open(path, mode) as f:
            f.write(text)
        return path

    def assertError(self, r, first_line):
        """Exit 2, and the first line of stderr is exactly `first_line`."""
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertEqual(r.stderr.splitlines()[0] if r.stderr else "", first_line)

    # ---- 1, 2: aliases ---------------------------------------------------------
    def test_an_alias_to_itself_is_a_located_error(self):
        for text, where in (("name: &a [*a]\n", "1:7"), ("name: x\nservices: &s {acute: *s}\n", "2:11"),
                            ("name: &m {a: [1, {b: *m}]}\n", "1:7")):
            path = self.write("cycle.yaml", text)
            r = run("validate", path)
            self.assertError(r, f"{path}:{where}: error: an alias in this value refers back to the value "
                                "itself, which would make it endless")

    def test_an_alias_to_itself_in_set_is_a_located_error(self):
        good = self.write("good.yaml", GOOD)
        r = run("run", good, "--set", "name=&a [*a]")
        self.assertError(r, "--set:1:6: error: an alias in this value refers back to the value itself, which "
                            "would make it endless")

    def test_an_alias_bomb_stops_at_the_documented_limit(self):
        lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
        for i in range(1, 10):
            prev = f"*a{i - 1}"
            lines.append(f"a{i}: &a{i} [{', '.join([prev] * 10)}]")
        path = self.write("bomb.yaml", "\n".join(lines) + "\n")
        r = run("validate", path, timeout=30)
        self.assertEqual(r.returncode, 2, r.stderr)
        first = r.stderr.splitlines()[0]
        self.assertRegex(first, rf"^{path}:\d+:\d+: error: the document has more than 2000000 values once its "
                                r"aliases are expanded \(the limit\)$")
        # Text repeated by aliases counts too.
        big = "x" * (1 << 20)
        path = self.write("text.yaml", f"a: &a '{big}'\nb: [{', '.join(['*a'] * 100)}]\n")
        r = run("validate", path, timeout=30)
        self.assertError(r, f"{path}:1:4: error: the document has more than 64 MiB of text once its aliases "
                            "are expanded (the limit)")

    def test_aliases_within_the_limits_still_work(self):
        path = self.write("alias.yaml", GOOD.replace("demand: 10%", "demand: &d 10%") +
                          "  community: {funder: ccg, base: 5m, demand: *d}\n")
        r = run("run", path, "-f", "csv")
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_deep_nesting_names_the_limit(self):
        path = self.write("deep.yaml", "name: " + "[" * 100 + "]" * 100 + "\n")
        r = run("validate", path)
        self.assertError(r, f"{path}:1:70: error: values are nested more than 64 levels deep (the limit)")
        path = self.write("deeper.yaml", "name: " + "[" * 3000 + "]" * 3000 + "\n")
        r = run("validate", path)
        self.assertEqual(r.returncode, 2)
        self.assertIn("error: values are nested more than 64 levels deep (the limit)", r.stderr.splitlines()[0])

    # ---- 3: --output onto what is not a regular file -----------------------------
    def test_output_to_a_fifo_writes_to_it_and_keeps_it(self):
        import stat
        import threading
        good = self.write("good.yaml", GOOD)
        fifo = os.path.join(self.tmp, "results.fifo")
        os.mkfifo(fifo)
        got = []
        def read():
            with open(fifo) as f:
                got.append(f.read())
        reader = threading.Thread(target=read)
        reader.start()
        r = run("run", good, "-f", "csv", "-o", fifo)
        reader.join(timeout=30)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(stat.S_ISFIFO(os.lstat(fifo).st_mode))  # not replaced by a regular file
        self.assertEqual(got[0], run("run", good, "-f", "csv").stdout)
        self.assertEqual(sorted(os.listdir(self.tmp)), ["good.yaml", "results.fifo"])

    def test_output_to_an_open_descriptor_writes_to_it(self):
        good = self.write("good.yaml", GOOD)
        expected = run("run", good, "-f", "csv").stdout
        for path in ("/dev/stdout", "/proc/self/fd/1", "/dev/fd/1"):
            r = run("run", good, "-f", "csv", "-o", path)
            self.assertEqual((r.returncode, r.stdout), (0, expected), path)
        r = run("run", good, "-f", "csv", "-o", "/dev/fd/99")
        self.assertError(r, "fundgap: error: cannot write '/dev/fd/99': Bad file descriptor")

    def test_output_through_a_symlink_replaces_the_file_it_names(self):
        good = self.write("good.yaml", GOOD)
        os.mkdir(os.path.join(self.tmp, "real"))
        target = self.write("real/gaps.csv", "old\n")
        link = os.path.join(self.tmp, "gaps.csv")
        os.symlink("real/gaps.csv", link)
        r = run("run", good, "-o", link)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(os.readlink(link), "real/gaps.csv")  # the link stays
        with open(target) as f:
            self.assertEqual(f.read(), run("run", good, "-f", "csv").stdout)
        self.assertEqual(sorted(os.listdir(os.path.join(self.tmp, "real"))), ["gaps.csv"])
        # A link to a file not there yet creates that file.
        os.symlink("real/new.csv", os.path.join(self.tmp, "new.csv"))
        r = run("run", good, "-o", os.path.join(self.tmp, "new.csv"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(os.path.islink(os.path.join(self.tmp, "new.csv")))
        self.assertTrue(os.path.isfile(os.path.join(self.tmp, "real", "new.csv")))
        # A loop of links is an error, and nothing is written.
        os.symlink("loop2.csv", os.path.join(self.tmp, "loop1.csv"))
        os.symlink("loop1.csv", os.path.join(self.tmp, "loop2.csv"))
        r = run("run", good, "-o", os.path.join(self.tmp, "loop1.csv"))
        self.assertError(r, f"fundgap: error: cannot write '{self.tmp}/loop1.csv': Too many levels of symbolic links")

    # ---- 4: shard files are checked field by field -------------------------------
    def shards(self):
        paths = []
        for k in (1, 2):
            path = os.path.join(self.tmp, f"shard-{k}.json")
            r = run("simulate", UNCERTAIN, "-n", "3000", "--seed", "5", "--shard", f"{k}/2", "-o", path)
            self.assertEqual(r.returncode, 0, r.stderr)
            paths.append(path)
        return paths

    def edited(self, path, edit):
        with open(path) as f:
            j = json.load(f)
        edit(j)
        out = path.replace(".json", "-edited.json")
        with open(out, "w") as f:
            json.dump(j, f)
        return out

    def test_a_shard_whose_fields_contradict_each_other_is_refused(self):
        one, two = self.shards()
        good = run("merge", one, two, "-f", "csv")
        self.assertEqual(good.returncode, 0, good.stderr)

        def output(i, key, value):
            def edit(j):
                j["outputs"][i][key] = value
            return edit

        def top(key, value):
            def edit(j):
                j[key] = value
            return edit

        def scenario(key, value):
            def edit(j):
                j["scenario"][key] = value
            return edit
        cases = [
            (top("count", 3000), "'count' is 3000 but shards 1 of 3000 draws hold 1976"),
            (top("shards", [1, 1]), "'shards' has 1 twice"),
            (top("shards", [3]), "'shards' has 3, outside 1 to its 'shard_count' 2"),
            (top("shard_count", 99999999999), None),  # what the JSON reader says
            (top("shard_count", 70000), "'shard_count' is not from 1 to 65536"),
            (top("draws", 0), "'draws' is not from 1 to 4294967295"),
            (top("fingerprint", "xyz"), "'fingerprint' is not 16 hexadecimal digits"),
            (top("outputs", []), "'outputs' is not a list of 4 figures for the system and each of its 3 names"),
            (output(0, "sum_pennies", "9" * 36), "'outputs[0].sum_pennies' is more than its draws can add up to"),
            (output(0, "sum_pennies", "1e5"), "'outputs[0].sum_pennies' is not a whole number of at most 36 digits"),
            (output(1, "bins", [[0, 1000], [0, 24]]), "'outputs[1].bins' has a bin twice or an empty bin"),
            (output(1, "bins", [[0, 5]]), "'outputs[1].bins' holds 5 draws but 'count' is 1976"),
            (output(2, "min", 1e300), "'outputs[2].min', 'max' and 'sum_pennies' contradict each other"),
            (output(2, "adverse", 5000), "'outputs[2].adverse' is more than 'count'"),
            (output(2, "bin_width", -1), "'outputs[2].bin_low' and 'bin_width' are not a finite range"),
            (output(2, "year", 3), "'outputs[2]' is not year 2 of 'council'"),
            (output(0, "bin_low", -1e12), "'digest' does not match the file's scenario, run and bins (was the file "
                                          "edited?)"),
            (scenario("base_year", "2030/31"), "'digest' does not match the file's scenario, run and bins (was the "
                                                "file edited?)"),
            (scenario("currency", "USD"), "'digest' does not match the file's scenario, run and bins (was the file "
                                          "edited?)"),
            (scenario("projected_years", 1000), "'scenario.projected_years' is not from 1 to 100"),
        ]
        for edit, why in cases:
            bad = self.edited(one, edit)
            r = run("merge", bad, two, "-f", "csv", timeout=30)
            self.assertEqual(r.returncode, 2, (why, r.stderr))
            if why:
                self.assertEqual(r.stderr, f"fundgap: error: '{bad}' is not a fundgap shard file: {why}\n")
            else:
                self.assertIn("is not a fundgap shard file: ", r.stderr)
        # Not JSON, or JSON of another shape.
        for text in ("[1, 2]", "\"x\"", "{\"format\": \"fundgap-shard\", \"version\": 2}", "\x00"):
            bad = self.write("bad.json", text)
            r = run("merge", bad)
            self.assertEqual(r.returncode, 2, text)
            self.assertTrue(r.stderr.startswith(f"fundgap: error: '{bad}' is not a fundgap shard file: "), r.stderr)

    def test_shard_numbers_are_bounded(self):
        for shard, message in (("1/99999999999", "--shard: expected K/N with 1 <= K <= N (like 2/8), found "
                                                 "'1/99999999999'"),
                               ("1/65537", "--shard: at most 65536 shards, found '1/65537'"),
                               ("1/2x", "--shard: expected K/N with 1 <= K <= N (like 2/8), found '1/2x'"),
                               ("+1/2", "--shard: expected K/N with 1 <= K <= N (like 2/8), found '+1/2'")):
            r = run("simulate", UNCERTAIN, "-n", "10", "--shard", shard, "-o", "s.json", cwd=self.tmp)
            self.assertError(r, f"fundgap: error: {message}")
        self.assertEqual(os.listdir(self.tmp), [])


if __name__ == "__main__":
    FUNDGAP = os.path.abspath(sys.argv.pop(1))
    unittest.main()
