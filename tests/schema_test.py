#!/usr/bin/env python3
"""The scenario format's JSON Schema against the readers, and the bundled files against it.

usage: schema_test.py SOURCE_DIR FUNDGAP   checks the schema against the readers' key
                                           lists, then validates every bundled scenario
                                           with ajv (skipped, exit 77, when Node is absent)
       schema_test.py --self-test          shows the key check failing on a missing key

Every list of keys a reader accepts (each `check_keys(..., {"a", "b"}, ...)` call in
lib/src/input/*.cc, and `top_level_keys()`) must be the properties, or a part of the
properties, of some object of the schema: a key added to a reader and not to the schema
fails here. `fundgap schema` must print the schema file exactly.
"""
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile


def reader_key_lists(source_dir):
    """(file, keys) for every literal key list the readers check."""
    out = []
    for path in sorted(glob.glob(os.path.join(source_dir, "lib", "src", "input", "*.cc"))):
        text = open(path, encoding="utf-8").read()
        for m in re.finditer(r"check_keys\(\s*\w+\s*,\s*\{([^}]*)\}", text):
            keys = re.findall(r'"([^"]*)"', m.group(1))
            if keys:  # {first, second}: names passed in, not a literal list
                out.append((os.path.basename(path), keys))
        m = re.search(r"top_level_keys\(\)\s*\{.*?\{([^}]*)\}", text, re.S)
        if m:
            out.append((os.path.basename(path) + " top_level_keys", re.findall(r'"([^"]*)"', m.group(1))))
    return out


def schema_objects(node, out):
    """The property names of every object schema in `node`."""
    if isinstance(node, dict):
        if isinstance(node.get("properties"), dict):
            out.append(set(node["properties"]))
        for value in node.values():
            schema_objects(value, out)
    elif isinstance(node, list):
        for value in node:
            schema_objects(value, out)
    return out


def missing_keys(key_lists, schema):
    objects = schema_objects(schema, [])
    problems = []
    for where, keys in key_lists:
        if not any(set(keys) <= props for props in objects):
            best = max(objects, key=lambda props: len(set(keys) & props))
            problems.append(f"{where}: keys {sorted(set(keys) - best)} of {keys} are in no object of the schema")
    return problems


def self_test():
    schema = {"properties": {"name": {}, "partners": {"additionalProperties": {"properties": {"name": {}, "funding": {}}}}}}
    assert not missing_keys([("x", ["name", "funding"])], schema)
    problems = missing_keys([("partners.cc", ["name", "funding", "reserves"])], schema)
    assert problems and "reserves" in problems[0], problems
    with tempfile.TemporaryDirectory() as d:
        os.makedirs(os.path.join(d, "lib", "src", "input"))
        with open(os.path.join(d, "lib", "src", "input", "x.cc"), "w") as f:
            f.write('r.check_keys(es, {"name", "funding",\n "reserves"}, where);\nr.check_keys(es, {first, second}, l);\n')
        assert reader_key_lists(d) == [("x.cc", ["name", "funding", "reserves"])], reader_key_lists(d)
    print("self-test passed")
    return 0


def main():
    if sys.argv[1:] == ["--self-test"]:
        return self_test()
    source_dir, fundgap = sys.argv[1], sys.argv[2]
    schema_path = os.path.join(source_dir, "lib", "src", "input", "scenario.schema.json")
    schema_text = open(schema_path, encoding="utf-8").read()
    schema = json.loads(schema_text)
    failures = missing_keys(reader_key_lists(source_dir), schema)
    printed = subprocess.run([fundgap, "schema"], capture_output=True, text=True, check=True).stdout
    if printed != schema_text:
        failures.append("'fundgap schema' does not print lib/src/input/scenario.schema.json")
    print(f"{len(reader_key_lists(source_dir))} reader key lists checked against the schema")

    files = []
    for pattern in ("scenarios/*.yaml", "examples/*.yaml", "docs/*.yaml", "docs/examples/*.yaml"):
        files += sorted(glob.glob(os.path.join(source_dir, pattern)))
    ajv = shutil.which("ajv")
    if not ajv:
        for f in failures:
            print("FAIL:", f)
        if failures:
            return 1
        print("SKIP: the bundled scenarios are not validated: ajv is absent (setup.sh installs ajv-cli with npm "
              "where Node is present)")
        return 77
    def ajv_run(paths):
        command = [ajv, "validate", "--spec=draft7", "--strict=false", "--errors=text", "-s", schema_path]
        for path in paths:
            command += ["-d", path]
        return subprocess.run(command, capture_output=True, text=True)

    # One run for every bundled file (Node starts once): each must be reported valid.
    run = ajv_run(files)
    for path in files:
        if f"{path} valid" not in run.stdout.splitlines():
            failures.append(f"{os.path.relpath(path, source_dir)} is not valid: {(run.stdout + run.stderr)[-600:]}")
    if run.returncode != 0:
        failures.append(f"ajv exited {run.returncode}")
    with tempfile.TemporaryDirectory() as d:
        # A file the schema must refuse: a misspelt key.
        bad = os.path.join(d, "bad.yaml")
        with open(bad, "w") as f:
            f.write("fundgap: 1\nname: x\nperiod: {base: 2019/20, to: 2020/21}\n"
                    "partners: {a: {fundin: {base: 1m}}}\nservices: {}\n")
        run = ajv_run([bad])
        if run.returncode == 0 or "must NOT have additional properties" not in run.stdout + run.stderr:
            failures.append("a misspelt key is accepted: " + run.stdout + run.stderr)
    print(f"{len(files)} bundled files validated with ajv")
    for f in failures:
        print("FAIL:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
