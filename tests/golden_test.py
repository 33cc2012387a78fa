"""Golden-file tests: the table, CSV and JSON of every example, byte for byte.

The figures in these files are checked independently of fundgap: each example's header
states its results worked out by hand, and tests/reference/reference_model.py (an
independent implementation) reproduces every CSV value. This test guards the layout.

Run: /usr/bin/python3 tests/golden_test.py PATH/TO/fundgap [--update]
"""
import glob
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GOLDEN = os.path.join(ROOT, "tests", "golden")


def main():
    fundgap = os.path.abspath(sys.argv[1])
    update = "--update" in sys.argv
    passed = failed = 0
    for example in sorted(glob.glob(os.path.join(ROOT, "examples", "*.yaml"))):
        name = os.path.splitext(os.path.basename(example))[0]
        for fmt, ext in (("table", "txt"), ("csv", "csv"), ("json", "json")):
            r = subprocess.run([fundgap, "run", os.path.relpath(example, ROOT), "--view", "all", "--format", fmt],
                               capture_output=True, text=True, cwd=ROOT, env={**os.environ, "NO_COLOR": "1"})
            golden = os.path.join(GOLDEN, f"{name}.{ext}")
            if update:
                os.makedirs(GOLDEN, exist_ok=True)
                with open(golden, "w") as f:
                    f.write(r.stdout)
            with open(golden) as f:
                expected = f.read()
            if r.returncode == 0 and r.stdout == expected:
                passed += 1
            else:
                failed += 1
                print(f"FAIL {name}.{ext}: exit {r.returncode}\n{r.stderr}")
                for i, (a, b) in enumerate(zip(r.stdout.splitlines(), expected.splitlines())):
                    if a != b:
                        print(f"  line {i + 1}:\n    got:      {a}\n    expected: {b}")
                        break
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main())
