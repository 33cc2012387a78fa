#!/usr/bin/python3
"""Cross-check the fundgap engine against the independent Python reference model.

Usage:
    /usr/bin/python3 tests/reference/compare.py FUNDGAP_BINARY FILE...

For each scenario FILE, runs `FUNDGAP_BINARY run FILE --view all --format csv` and
the reference model (reference_model.py, next to this script), and checks that both
give exactly the same (entity, measure, year) rows in the same order and that every
value agrees within max(1e-6 absolute, 1e-12 relative) -- far under a penny.

Prints `FILE: N values agree` or the first 10 mismatches per file (or as many as the
environment variable COMPARE_MAX_REPORTED says), then
`N passed, M failed`. Exits 0 when every file agrees, 1 otherwise.
"""

import csv
import io
import math
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference_model  # noqa: E402

ABS_TOL = 1e-6
REL_TOL = 1e-12
MAX_REPORTED = int(os.environ.get("COMPARE_MAX_REPORTED", "10"))


def parse_csv(text):
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header != ["entity", "measure", "year", "value"]:
        raise ValueError(f"unexpected CSV header {header!r}")
    rows = []
    for lineno, rec in enumerate(reader, start=2):
        if not rec:
            continue
        if len(rec) != 4:
            raise ValueError(f"line {lineno}: expected 4 fields, got {rec!r}")
        rows.append(((rec[0], rec[1], rec[2]), float(rec[3])))
    return rows


def agree(a, b):
    if math.isnan(a) or math.isnan(b):
        return False
    return abs(a - b) <= max(ABS_TOL, REL_TOL * max(abs(a), abs(b)))


def key_str(k):
    return ",".join(k)


def compare_file(binary, path):
    """Returns (ok, lines_to_print)."""
    if not os.path.isfile(path):
        return False, [f"{path}: FAILED", "  no such file"]
    proc = subprocess.run([binary, "run", path, "--view", "all", "--format", "csv"],
                          capture_output=True, text=True)
    try:
        ref_rows = reference_model.run_file(path)
        ref_err = None
    except (reference_model.ModelError, reference_model.yaml.YAMLError,
            KeyError, TypeError, ValueError) as e:  # the reference rejects the file
        ref_rows, ref_err = None, f"{type(e).__name__}: {e}"

    if proc.returncode != 0 or ref_err is not None:
        if proc.returncode == 2 and ref_err is not None:
            return True, [f"{path}: both reject the file (fundgap exit 2; reference: {ref_err})"]
        lines = [f"{path}: FAILED"]
        if proc.returncode != 0:
            lines.append(f"  fundgap exited {proc.returncode}: {proc.stderr.strip()}")
        else:
            lines.append("  fundgap ran successfully")
        lines.append(f"  reference: {ref_err}" if ref_err else "  reference ran successfully")
        return False, lines

    try:
        got = parse_csv(proc.stdout)
    except ValueError as e:
        return False, [f"{path}: FAILED", f"  cannot parse fundgap CSV: {e}"]
    want = [((e, m, y), v) for e, m, y, v in ref_rows]

    problems = []
    got_keys = [k for k, _ in got]
    want_keys = [k for k, _ in want]
    if got_keys != want_keys:
        gs, ws = set(got_keys), set(want_keys)
        for k in want_keys:
            if k not in gs:
                problems.append(f"  missing from fundgap: {key_str(k)}")
        for k in got_keys:
            if k not in ws:
                problems.append(f"  extra in fundgap: {key_str(k)}")
        if not problems:
            for i, (gk, wk) in enumerate(zip(got_keys, want_keys)):
                if gk != wk:
                    problems.append(f"  row {i + 2}: order differs: fundgap {key_str(gk)}, "
                                    f"reference {key_str(wk)}")
                    break
        if len(got_keys) != len(gs):
            problems.append("  fundgap output has duplicate rows")
    else:
        for (k, a), (_, b) in zip(got, want):
            if not agree(a, b):
                problems.append(f"  {key_str(k)}: fundgap {a!r}, reference {b!r} "
                                f"(difference {a - b!r})")

    if problems:
        lines = [f"{path}: FAILED ({len(problems)} problem{'s' if len(problems) != 1 else ''})"]
        lines += problems[:MAX_REPORTED]
        if len(problems) > MAX_REPORTED:
            lines.append(f"  ... and {len(problems) - MAX_REPORTED} more")
        return False, lines
    return True, [f"{path}: {len(got)} values agree"]


def main(argv):
    if len(argv) < 3:
        print("usage: compare.py FUNDGAP_BINARY FILE...", file=sys.stderr)
        return 64
    binary, files = argv[1], argv[2:]
    passed = failed = 0
    for path in files:
        ok, lines = compare_file(binary, path)
        print("\n".join(lines), flush=True)
        if ok:
            passed += 1
        else:
            failed += 1
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
