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


if __name__ == "__main__":
    FUNDGAP = os.path.abspath(sys.argv.pop(1))
    unittest.main()
