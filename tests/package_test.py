#!/usr/bin/env python3
"""The Debian package CPack builds: what it installs, and that it installs.

usage: package_test.py BUILD_DIR WORK_DIR

Runs `cpack -G DEB` on the build tree, lists the package with `dpkg-deb -c` and checks
it holds the program, the library with its headers and CMake package, the manual page and
the bash and zsh completions; reads its control fields with `dpkg-deb -f`; unpacks it with
`dpkg-deb -x` and runs the unpacked program.
"""
import glob
import os
import shutil
import subprocess
import sys


def main():
    build, work = sys.argv[1], sys.argv[2]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    subprocess.run(["cpack", "-G", "DEB", "-B", work, "--config", os.path.join(build, "CPackConfig.cmake")],
                   check=True, cwd=build, stdout=subprocess.DEVNULL)
    debs = glob.glob(os.path.join(work, "*.deb"))
    assert len(debs) == 1, debs
    deb = debs[0]
    listing = subprocess.run(["dpkg-deb", "-c", deb], capture_output=True, text=True, check=True).stdout
    print(listing)
    paths = [line.split()[-1] for line in listing.splitlines() if line.strip()]
    failures = []
    for want in ("./usr/bin/fundgap", "/libfundgap.a", "./usr/include/fundgap/fundgap.h",
                 "./usr/include/fundgap/version.h", "/cmake/fundgap/fundgapConfig.cmake",
                 "/cmake/fundgap/fundgapConfigVersion.cmake", "/cmake/fundgap/fundgapTargets.cmake",
                 "./usr/share/man/man1/fundgap.1", "./usr/share/bash-completion/completions/fundgap",
                 "./usr/share/zsh/vendor-completions/_fundgap"):
        if not any(p.endswith(want) if not want.startswith("./") else p == want for p in paths):
            failures.append(f"the package has no {want}")
    fields = subprocess.run(["dpkg-deb", "-f", deb, "Package", "Version", "Depends"], capture_output=True, text=True,
                            check=True).stdout
    if "Package: fundgap" not in fields or "libyaml-0-2" not in fields:
        failures.append("control fields: " + fields)
    root = os.path.join(work, "root")
    subprocess.run(["dpkg-deb", "-x", deb, root], check=True)
    version = subprocess.run([os.path.join(root, "usr", "bin", "fundgap"), "--version"], capture_output=True,
                             text=True, check=True).stdout
    if not version.startswith("fundgap "):
        failures.append("the unpacked program prints " + version)
    with open(os.path.join(root, "usr", "share", "man", "man1", "fundgap.1"), encoding="utf-8") as f:
        if not f.read().startswith(".TH FUNDGAP 1"):
            failures.append("the packaged manual page is not a manual page")
    for f in failures:
        print("FAIL:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
