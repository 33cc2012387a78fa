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
        reader = threading.Thread(target=lambda: got.append(open(fifo).read()))
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


if __name__ == "__main__":
    FUNDGAP = os.path.abspath(sys.argv.pop(1))
    unittest.main()
