"""Hostile input through the fundgap command line (issue 12): each class of input that
once crashed fundgap, exhausted memory, destroyed a file or was wrongly accepted gets a
located error and exit code 2, and leaves nothing half-written.

Run: /usr/bin/python3 tests/hardening_test.py PATH/TO/fundgap [--sanitized]   (CTest does this)

Each run of fundgap gets 1 GiB of address space, so that a regression that takes
gigabytes fails fast instead of taking the machine. A build with the address sanitizer
(CTest passes --sanitized when FUNDGAP_SANITIZE is on) reserves terabytes of address
space for its shadow memory and cannot start under that limit: there the same bound is
ASan's own, on memory actually used (hard_rss_limit_mb, 2 GiB for the sanitizers' own
bookkeeping), which kills the run past it.
"""
import json
import os
import resource
import subprocess
import sys
import tempfile
import unittest

FUNDGAP = None
SANITIZED = False
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
    # 1 GiB of address space (see the module's comment).
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


def run(*args, cwd=None, stdin=None, env=None, timeout=60):
    e = dict(os.environ)
    e.pop("GITHUB_ACTIONS", None)
    if SANITIZED:
        e["ASAN_OPTIONS"] = ":".join(filter(None, [e.get("ASAN_OPTIONS"), "hard_rss_limit_mb=2048"]))
    e.update(env or {})
    return subprocess.run([FUNDGAP, *args], capture_output=True, text=True, cwd=cwd, input=stdin, env=e,
                          preexec_fn=None if SANITIZED else limit_memory, timeout=timeout)


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

    def test_nested_anchors_count_their_copies(self):
        # Each anchor keeps a copy of its value for its aliases: 60 anchors nested around a
        # list of 40,000 values hold 2.4 million values with no alias at all.
        inner = "[" + ", ".join(["x"] * 40000) + "]"
        text = "name: " + "".join(f"&a{i} [" for i in range(60)) + inner + "]" * 60 + "\n"
        path = self.write("nested.yaml", text)
        r = run("validate", path, timeout=30)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertRegex(r.stderr.splitlines()[0], rf"^{path}:1:\d+: error: the document has more than 2000000 "
                                                   r"values once its aliases are expanded \(the limit\)$")

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

    # ---- 5: every figure is finite, money within what adds up to the penny ----------
    def test_a_figure_that_overflows_is_an_error_at_the_entity_that_caused_it(self):
        growing = GOOD.replace("to: 2021/22", "to: 2119/20").replace("demand: 10%", "demand: 1000%")
        path = self.write("grow.yaml", growing + "checks:\n  - ccg.gap[*] <= 5m\n")
        # 100m x 11^t passes 9e13 when 11^t > 9e5, first at t = 6 (11^6 = 1,771,561).
        first = (f"{path}:7:3: error: acute.baseline[2026/27] is beyond \u00b1\u00a390,000bn, more than fundgap "
                 "computes to the penny (the limit): check the inputs of service 'acute' that build it")
        for args in (("run",), ("run", "-f", "json"), ("check",), ("explain", "ccg.gap[2021/22]"), ("bridge",),
                     ("compare", path), ("sensitivity", "--input", "services.acute.base")):
            r = run(args[0], path, *args[1:])
            self.assertError(r, first)
            self.assertNotIn("inf", r.stdout)
            self.assertNotIn("null", r.stdout)
        # Funding that overflows names its partner.
        path = self.write("fund.yaml", GOOD.replace("to: 2021/22", "to: 2119/20")
                          .replace("funding: {base: 100m}", "funding: {base: 100m, growth: 1000%}"))
        self.assertError(run("run", path), f"{path}:5:3: error: ccg.funding[2026/27] is beyond \u00b1\u00a390,000bn, "
                                           "more than fundgap computes to the penny (the limit): check the inputs of "
                                           "partner 'ccg' that build it")

    def test_a_draw_that_overflows_is_an_error(self):
        path = self.write("grow.yaml", GOOD.replace("to: 2021/22", "to: 2119/20")
                          .replace("demand: 10%", "demand: {uniform: [0%, 1000%]}"))
        r = run("simulate", path, "-n", "200")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn(f"{path}:7:3: error: acute.baseline[", r.stderr)
        self.assertEqual(r.stdout, "")

    def test_money_inputs_beyond_the_penny_limit_are_located_errors(self):
        path = self.write("big.yaml", GOOD.replace("base: 100m}", "base: 1e300}"))
        self.assertError(run("validate", path), f"{path}:5:25: error: '1e300' is beyond \u00b1\u00a390,000bn, more "
                                               "than fundgap computes to the penny (the limit) ('base' in funding of "
                                               "partner 'ccg')")
        good = self.write("good.yaml", GOOD)
        self.assertError(run("run", good, "--set", "services.acute.base=1e14"),
                         "--set:1:21: error: '1e14' is beyond \u00b1\u00a390,000bn, more than fundgap computes to the "
                         "penny (the limit) ('base' in service 'acute')")
        r = run("run", good, "--set", "services.acute.base=9e13")  # the limit itself is allowed
        self.assertEqual(r.returncode, 2, r.stderr)  # ... but its gap with 10% growth is not
        self.assertIn("acute.baseline[2021/22] is beyond", r.stderr)

    # ---- 11: loose options and wrong messages ------------------------------------
    def test_numbers_out_of_range_say_which_way(self):
        for text, message in (("1e-400", "'1e-400' is too close to zero to compute with (nearer than about 2.2e-308); "
                                         "write 0 if that is meant"),
                              ("1e400", "'1e400' is too large to compute with (beyond about 1.8e308)"),
                              ("1e308bn", "'1e308bn' is too large to compute with (beyond about 1.8e308)"),
                              (".inf", "'.inf' is not a finite number")):
            path = self.write("n.yaml", GOOD.replace("base: 100m}", f"base: {text}}}"))
            self.assertError(run("validate", path), f"{path}:5:25: error: {message} ('base' in funding of partner "
                                                    "'ccg')")

    def test_a_money_range_beyond_the_limit_is_refused_readably(self):
        good = self.write("good.yaml", GOOD)
        r = run("solve", good, "--vary", "services.acute.base", "--target", "system.gap[2021/22] = 0", "--between",
                "0,1.7e308")
        self.assertError(r, "fundgap: error: --between: '0,1.7e308' goes beyond \u00b1\u00a390,000bn, more than "
                            "fundgap computes to the penny (the limit)")
        self.assertLess(max(len(line) for line in r.stderr.splitlines()), 200)

    def test_quantiles_must_name_at_least_one(self):
        for text, message in (("", "--quantiles: expected percentages between 0 and 100 (like 5,50,95), found "
                                   "nothing"),
                              ("5,", "--quantiles: '' is not a percentage between 0 and 100 (like 5,50,95)"),
                              (",5", "--quantiles: '' is not a percentage between 0 and 100 (like 5,50,95)")):
            r = run("simulate", UNCERTAIN, "-n", "10", "--quantiles", text)
            self.assertError(r, f"fundgap: error: {message}")
            self.assertEqual(r.stdout, "")

    def test_a_second_extends_is_a_duplicate(self):
        base = self.write("base.yaml", GOOD)
        path = self.write("child.yaml", "fundgap: 1\nextends: base.yaml\nname: Child\nextends: base.yaml\n")
        self.assertError(run("validate", path), f"{path}:4:1: error: duplicate key 'extends' in the scenario (first "
                                                "at line 2)")
        self.assertTrue(os.path.exists(base))

    # ---- 9: standard input, pipes, process substitution -------------------------
    def test_dash_reads_standard_input(self):
        expected = run("run", self.write("good.yaml", GOOD), "-f", "csv").stdout
        r = run("run", "-", "-f", "csv", stdin=GOOD)
        self.assertEqual((r.returncode, r.stdout), (0, expected), r.stderr)
        r = run("validate", "-", stdin=GOOD.replace("demand: 10%", "demand: lots"))
        self.assertEqual(r.returncode, 2)
        self.assertTrue(r.stderr.startswith("<stdin>:7:44: error: expected a rate"), r.stderr)

    def test_a_pipe_or_process_substitution_is_read(self):
        good = self.write("good.yaml", GOOD)
        expected = run("run", good, "-f", "csv").stdout
        r = subprocess.run(["bash", "-c", f'"{FUNDGAP}" run <(cat "{good}") -f csv'], capture_output=True, text=True)
        self.assertEqual((r.returncode, r.stdout), (0, expected), r.stderr)

    def test_files_that_cannot_be_read_get_fundgaps_own_message(self):
        os.symlink("loop2.yaml", os.path.join(self.tmp, "loop1.yaml"))
        os.symlink("loop1.yaml", os.path.join(self.tmp, "loop2.yaml"))
        loop = os.path.join(self.tmp, "loop1.yaml")
        self.assertError(run("validate", loop), f"fundgap: error: cannot open '{loop}': Too many levels of symbolic "
                                                "links")
        child = self.write("child.yaml", "extends: loop1.yaml\n")
        self.assertError(run("validate", child), f"{child}:1:10: error: cannot open '{self.tmp}/loop1.yaml': Too many "
                                                 "levels of symbolic links (named by 'extends')")
        for r in (run("validate", loop), run("validate", child), run("validate", self.tmp)):
            self.assertNotIn("filesystem error", r.stderr)
        self.assertError(run("validate", self.tmp), f"fundgap: error: cannot read '{self.tmp}': it is a directory")

    # ---- 6: bounded reading ------------------------------------------------------
    def test_endless_inputs_stop_at_the_size_limit(self):
        self.assertError(run("validate", "/dev/zero", timeout=30),
                         "fundgap: error: cannot read '/dev/zero': it is larger than 32 MiB (the limit)")
        child = self.write("child.yaml", "extends: /dev/urandom\n")
        self.assertError(run("validate", child, timeout=30),
                         f"{child}:1:10: error: cannot read '/dev/urandom': it is larger than 32 MiB (the limit) "
                         "(named by 'extends')")
        self.assertError(run("merge", "/dev/zero", timeout=60),
                         "fundgap: error: cannot read '/dev/zero': it is larger than 256 MiB (the limit)")

    def test_hundreds_of_partners_over_a_long_period_simulate_in_bounded_memory(self):
        # 300 partners over 100 years: 301 gaps x 101 years = 30,401 outputs. At 4,096
        # bins (16 KiB) each, the run's histograms and its thread's came to 950 MiB; with
        # 256 bins (docs/uncertainty.md) they are 59 MiB, and the run fits in 1 GiB.
        lines = ["fundgap: 1", "name: Many", "period: {base: 2020/21, to: 2120/21}", "partners:"]
        lines += [f"  p{i}: {{funding: {{base: 10m}}}}" for i in range(300)]
        lines += ["services:"] + [f"  s{i}: {{funder: p{i}, base: 10m, demand: {{uniform: [0%, 1%]}}}}"
                                  for i in range(300)]
        path = self.write("many.yaml", "\n".join(lines) + "\n")
        r = run("simulate", path, "-n", "1024", "-j", "1", "-f", "csv", timeout=300)
        self.assertEqual(r.returncode, 0, r.stderr)
        # A header, then for each partner and the system its mean, P5, P50, P95 and
        # chance of a shortfall in each of 101 years.
        self.assertEqual(len(r.stdout.splitlines()), 1 + 301 * 5 * 101)

    # ---- 7: text is UTF-8, one document ------------------------------------------
    def test_invalid_utf8_and_nul_are_located_errors(self):
        for data, where, message in ((b"name: caf\xc3\xa9 \xff\n", "1:12", "byte 0xFF is not UTF-8; save the file as "
                                                                        "UTF-8"),
                                     (b"name: ok\nservices:\n  a\x00: {}\n", "3:4", "a NUL byte; a scenario file is "
                                                                                    "text"),
                                     (b"name: \xed\xa0\x80\n", "1:7", "byte 0xED is not UTF-8; save the file as "
                                                                     "UTF-8"),
                                     (b"name: \xc0\xaf\n", "1:7", "byte 0xC0 is not UTF-8; save the file as UTF-8")):
            path = self.write("bad.yaml", data, mode="wb")
            self.assertError(run("validate", path), f"{path}:{where}: error: {message}")

    def test_a_second_document_is_an_error_at_its_line(self):
        for text, line in ((GOOD + "---\nname: Other\n", 8), ("---\n" + GOOD + "---\n", 9),
                           (GOOD + "--- {name: x}\n", 8)):
            path = self.write("two.yaml", text)
            self.assertError(run("validate", path), f"{path}:{line}:1: error: a second YAML document starts here; a "
                                                    "scenario file holds one")
        path = self.write("one.yaml", "---\n" + GOOD + "...\n")
        self.assertEqual(run("validate", path).returncode, 0)

    def test_fuzz_findings_stay_fixed(self):
        # Each file once hung or crashed fundgap; each is now bad input, promptly.
        folder = os.path.join(ROOT, "tests", "fuzz", "regressions")
        for name in sorted(os.listdir(folder)):
            r = run("validate", os.path.join(folder, name), timeout=10)
            self.assertEqual(r.returncode, 2, (name, r.stderr))

    # ---- 10: commands with two outputs write both or neither ----------------------
    def test_every_output_is_checked_before_the_work(self):
        plan = self.write("plan.yaml", GOOD + "checks:\n  - ccg.gap[*] <= 500m\n")
        junit = self.write("j.xml", "old\n")
        missing = os.path.join(self.tmp, "missing", "x.md")
        r = run("check", plan, "--junit", junit, "-o", missing)
        self.assertError(r, f"fundgap: error: cannot write '{missing}': No such file or directory")
        with open(junit) as f:
            self.assertEqual(f.read(), "old\n")  # not replaced
        self.assertEqual(r.stdout, "")
        # simulate finds the missing directory before a single draw (a million would take minutes).
        draws = self.write("draws.csv", "old\n")
        missing = os.path.join(self.tmp, "missing", "x.txt")
        r = run("simulate", UNCERTAIN, "-n", "4000000000", "--draws-out", draws, "-o", missing, timeout=30)
        self.assertError(r, f"fundgap: error: cannot write '{missing}': No such file or directory")
        r = run("simulate", UNCERTAIN, "-n", "4000000000", "--draws-out", missing, timeout=30)
        self.assertError(r, f"fundgap: error: cannot write '{missing}': No such file or directory")
        with open(draws) as f:
            self.assertEqual(f.read(), "old\n")
        self.assertEqual(sorted(os.listdir(self.tmp)), ["draws.csv", "j.xml", "plan.yaml"])
        # Both written when both can be.
        out = os.path.join(self.tmp, "checks.md")
        r = run("check", plan, "--junit", junit, "-o", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(junit) as f:
            self.assertTrue(f.read().startswith("<?xml"))
        with open(out) as f:
            self.assertEqual(f.read(), run("check", plan, "-f", "markdown").stdout)

    def test_draws_out_streams_and_matches_the_summary(self):
        draws = os.path.join(self.tmp, "draws.csv")
        r = run("simulate", UNCERTAIN, "-n", "3000", "--seed", "3", "--draws-out", draws, "-o",
                os.path.join(self.tmp, "s.csv"))
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(draws) as f:
            rows = f.read().splitlines()
        self.assertEqual(len(rows), 3001)  # a header and one row a draw, in draw order
        self.assertEqual([int(row.split(",")[0]) for row in rows[1:]], list(range(3000)))
        self.assertEqual(sorted(os.listdir(self.tmp)), ["draws.csv", "s.csv"])

    def test_a_signal_during_the_work_removes_the_temporary_files(self):
        import signal
        import time
        draws = os.path.join(self.tmp, "draws.csv")
        p = subprocess.Popen([FUNDGAP, "simulate", UNCERTAIN, "-n", "4000000000", "--draws-out", draws, "-o",
                              os.path.join(self.tmp, "s.txt")], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        try:
            deadline = time.time() + 30
            while time.time() < deadline and not any(n.startswith(".draws.csv.tmp-") for n in os.listdir(self.tmp)):
                time.sleep(0.02)
            self.assertTrue(any(n.startswith(".draws.csv.tmp-") for n in os.listdir(self.tmp)))
            time.sleep(0.2)  # rows are being written
            p.send_signal(signal.SIGTERM)
            self.assertEqual(p.wait(timeout=30), -signal.SIGTERM)
        finally:
            if p.poll() is None:
                p.kill()
        self.assertEqual(os.listdir(self.tmp), [])

    # ---- 8: text that could drive a terminal or a CI runner -----------------------
    def test_control_characters_are_located_errors(self):
        for text, where, code in (('name: "x\\e]0;pwned\\a"\n', "1:7", "U+001B"),
                                  ('name: "ok\\n::error::forged"\n', "1:7", "U+000A (a line break)"),
                                  ('name: "\\u009b31m"\n', "1:7", "U+009B"),
                                  ("name: x\x1b[2J\n", "1:8", "U+001B"),
                                  ("checks:\n  - name: \"a\\tb\"\n", "2:11", "U+0009 (a tab)")):
            path = self.write("c.yaml", text)
            r = run("validate", path)
            self.assertError(r, f"{path}:{where}: error: control character {code}; names and values are printed, "
                                "so they hold only printable text")
            self.assertNotIn("\x1b", r.stderr)
        good = self.write("good.yaml", GOOD)
        r = run("run", good, "--set", 'name="a\\nb"')
        self.assertError(r, "--set:1:6: error: control character U+000A (a line break); names and values are "
                            "printed, so they hold only printable text")

    def test_diagnostics_escape_what_they_quote(self):
        good = self.write("good.yaml", GOOD)
        r = run("run", good, "--set", "services.acute\x1b]0;x\x07.demand=3%")
        self.assertEqual(r.returncode, 2)
        self.assertNotIn("\x1b", r.stderr)
        self.assertNotIn("\x07", r.stderr)
        self.assertIn("\\x1B]0;x\\x07", r.stderr)
        r = run("explain", good, "--figure", "x\n::error::forged")
        self.assertEqual(r.returncode, 2)
        self.assertFalse(any(line.startswith("::") for line in r.stderr.splitlines()), r.stderr)
        r = run("frobnicate\x1b[2J")
        self.assertError(r, "fundgap: error: unknown command 'frobnicate\\x1B[2J'")


if __name__ == "__main__":
    FUNDGAP = os.path.abspath(sys.argv.pop(1))
    SANITIZED = "--sanitized" in sys.argv
    sys.argv = [a for a in sys.argv if a not in ("--sanitized", "")]  # CTest passes "" when not sanitized
    unittest.main()
