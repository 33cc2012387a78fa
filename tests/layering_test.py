#!/usr/bin/python3
"""The library's layers (docs/design.md), checked over its #include lines.

    layering_test.py ROOT        check the tree at ROOT (the repository); exit 1 on a breach
    layering_test.py --self-test check that breaches are caught, on trees made up for it

Rules:
  1. lib/src/LAYER/ and lib/include/fundgap/LAYER/ belong to LAYER; the layers, lowest
     first, are LAYERS below. A file may include its own layer and the layers below it,
     never one above.
  2. A private header (a quoted name that is not fundgap/...) must sit beside the file
     that includes it: private headers are private to their layer's folder.
  3. Public headers (lib/include) include public headers only.
  4. cli/ includes the library's public headers (fundgap/...) and its own headers only.
"""
import os
import re
import sys
import tempfile

LAYERS = ["base", "model", "input", "analysis", "uncertainty", "output"]
# Public headers outside a layer folder: the generated version (base) and the umbrella
# header that includes every layer (only for users of the library: cli/ and tests/).
SPECIAL = {"fundgap/version.h": "base", "fundgap/fundgap.h": None}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def layer_of_public(name):
    """The layer of a public header named fundgap/..., or None for the umbrella header."""
    if name in SPECIAL:
        return SPECIAL[name]
    parts = name.split("/")
    if len(parts) >= 3 and parts[1] in LAYERS:
        return parts[1]
    return "unknown"


def check(root):
    problems = []
    lib = os.path.join(root, "lib")
    for base, public in ((os.path.join(lib, "src"), False), (os.path.join(lib, "include", "fundgap"), True)):
        for dirpath, _, files in os.walk(base):
            rel = os.path.relpath(dirpath, base)
            for f in sorted(files):
                layer = rel.split(os.sep)[0]
                if not f.endswith((".h", ".cc")):
                    continue
                path = os.path.join(dirpath, f)
                shown = os.path.relpath(path, root)
                if public and rel == "." and f == "fundgap.h":
                    layer = LAYERS[-1]  # the umbrella header may include every layer, public headers only
                elif layer not in LAYERS:
                    problems.append(f"{shown}: not in a layer folder ({', '.join(LAYERS)})")
                    continue
                text = open(path, encoding="utf-8").read()
                for m in INCLUDE.finditer(text):
                    name = m.group(1)
                    line = text.count("\n", 0, m.start()) + 1
                    if name.startswith("fundgap/"):
                        target = layer_of_public(name)
                        if target is None or target == "unknown":
                            problems.append(f"{shown}:{line}: includes '{name}', which is in no layer")
                        elif LAYERS.index(target) > LAYERS.index(layer):
                            problems.append(f"{shown}:{line}: the {layer} layer includes '{name}' from the "
                                            f"{target} layer above it")
                    elif public:
                        problems.append(f"{shown}:{line}: a public header includes the private '{name}'")
                    elif not os.path.exists(os.path.join(dirpath, name)) or "/" in name:
                        problems.append(f"{shown}:{line}: includes '{name}', which is not a header beside it "
                                        f"(private headers stay in their layer's folder)")
    cli = os.path.join(root, "cli")
    for f in sorted(os.listdir(cli)) if os.path.isdir(cli) else []:
        if not f.endswith((".h", ".cc")):
            continue
        text = open(os.path.join(cli, f), encoding="utf-8").read()
        for m in INCLUDE.finditer(text):
            name = m.group(1)
            line = text.count("\n", 0, m.start()) + 1
            if name.startswith("fundgap/"):
                if layer_of_public(name) == "unknown":
                    problems.append(f"cli/{f}:{line}: includes '{name}', which is no public header")
            elif "/" in name or not os.path.exists(os.path.join(cli, name)):
                problems.append(f"cli/{f}:{line}: includes '{name}'; cli/ includes public headers only")
    return problems


def make_tree(files):
    root = tempfile.mkdtemp()
    for rel, text in files.items():
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
    return root


def self_test():
    good = {
        "lib/include/fundgap/base/a.h": "#pragma once\n",
        "lib/include/fundgap/model/b.h": '#include "fundgap/base/a.h"\n',
        "lib/src/model/b.cc": '#include "fundgap/model/b.h"\n#include "stages.h"\n',
        "lib/src/model/stages.h": '#include "fundgap/base/a.h"\n',
        "cli/main.cc": '#include "fundgap/model/b.h"\n#include "commands.h"\n#include "fundgap/version.h"\n',
        "cli/commands.h": "#pragma once\n",
        "lib/include/fundgap/fundgap.h": '#include "fundgap/output/x.h"\n#include "fundgap/base/a.h"\n',
    }
    failures = []
    if check(make_tree(good)):
        failures.append(f"a sound tree was refused: {check(make_tree(good))}")
    breaches = {
        "the model layer includes 'fundgap/output/x.h' from the output layer above it":
            {"lib/src/model/c.cc": '#include "fundgap/output/x.h"\n'},
        "a public header includes the private 'stages.h'":
            {"lib/include/fundgap/model/c.h": '#include "stages.h"\n'},
        "private headers stay in their layer's folder":
            {"lib/src/analysis/c.cc": '#include "model/stages.h"\n'},
        "cli/ includes public headers only":
            {"cli/run.cc": '#include "../lib/src/model/stages.h"\n'},
        "not in a layer folder": {"lib/src/misc/d.cc": "\n"},
    }
    for expected, extra in breaches.items():
        problems = check(make_tree({**good, **extra}))
        if not any(expected in p for p in problems):
            failures.append(f"not caught: {expected} (found {problems})")
    for f in failures:
        print("FAIL", f)
    print(f"self-test: {len(breaches) + 1 - len(failures)} of {len(breaches) + 1} cases as expected")
    return 1 if failures else 0


def main():
    if sys.argv[1:] == ["--self-test"]:
        return self_test()
    problems = check(sys.argv[1])
    for p in problems:
        print(p)
    print(f"layering: {len(problems)} problem{'s' if len(problems) != 1 else ''}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
