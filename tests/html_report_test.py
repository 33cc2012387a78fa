#!/usr/bin/env python3
"""The HTML board report, rendered in headless Chromium.

usage: html_report_test.py FUNDGAP SOURCE_DIR WORK_DIR [--screenshot PNG]

For the bundled Tower Hamlets scenarios (certain and uncertain) it writes `fundgap
report`, checks that the page is self-contained (no script, no link, nothing fetched),
that scenario text is escaped, then loads it in Chromium: a console message fails the
test, and so does a chart (<svg class="chart">) without a single mark. It counts the
charts each section should have, takes screenshots at desktop and phone width, and
prints one report to PDF through the print style sheet.
A self-test first shows the checker failing on a page with a script error and an empty
chart. Fails when Chromium is not installed (setup.sh installs it).
"""
import html.parser
import os
import re
import shutil
import subprocess
import sys


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def browser_args(browser):
    # No sandbox: it needs privileges a CI container (as root or not) seldom has, and the
    # pages are our own files; every host name resolves to nothing, so nothing is fetched.
    return [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--enable-logging=stderr",
            "--v=0", "--hide-scrollbars", "--host-resolver-rules=MAP * ~NOTFOUND"]


class Charts(html.parser.HTMLParser):
    """Each <svg class="chart">: its aria-label and how many elements with class "mark" it holds."""

    def __init__(self):
        super().__init__()
        self.charts = []
        self.depth = 0  # inside a chart: the svg nesting depth

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if tag == "svg" and "chart" in classes:
            self.charts.append([dict(attrs).get("aria-label", "?"), 0])
            self.depth = 1
            return
        if self.depth:
            if tag == "svg":
                self.depth += 1
            if "mark" in classes:
                self.charts[-1][1] += 1

    def handle_endtag(self, tag):
        if self.depth and tag == "svg":
            self.depth -= 1


def render(browser, page, work):
    """(problems, charts) of `page` as Chromium renders it."""
    run = subprocess.run(browser_args(browser) + ["--dump-dom", "file://" + os.path.abspath(page)],
                         capture_output=True, text=True, timeout=120)
    problems = []
    if run.returncode != 0:
        problems.append(f"chromium exited {run.returncode}: {run.stderr[-400:]}")
    for line in run.stderr.splitlines():
        if ":CONSOLE" in line:
            problems.append("console: " + line.split("]", 1)[-1].strip())
    parser = Charts()
    parser.feed(run.stdout)
    if not parser.charts:
        problems.append("no chart in the rendered page")
    for label, marks in parser.charts:
        if marks == 0:
            problems.append(f"chart '{label}' has no marks")
    return problems, parser.charts


def screenshot(browser, page, png, width, height):
    if os.path.exists(png):
        os.remove(png)
    subprocess.run(browser_args(browser) + [f"--window-size={width},{height}", f"--screenshot={png}",
                                            "file://" + os.path.abspath(page)],
                   capture_output=True, timeout=120, check=True)
    with open(png, "rb") as f:
        data = f.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{png} is not a PNG"
    assert len(data) > 20000, f"{png} is only {len(data)} bytes: a blank page?"
    return len(data)


def printed_pages(browser, page, pdf):
    """How many A4 pages the print style sheet lays the page out on."""
    if os.path.exists(pdf):
        os.remove(pdf)
    subprocess.run(browser_args(browser) + ["--no-pdf-header-footer", f"--print-to-pdf={pdf}",
                                            "file://" + os.path.abspath(page)], capture_output=True, timeout=120,
                   check=True)
    with open(pdf, "rb") as f:
        data = f.read()
    assert data[:5] == b"%PDF-", f"{pdf} is not a PDF"
    return len(re.findall(rb"/Type\s*/Page(?!s)", data))


def static_problems(text):
    """What would make the page fetch anything or run a script."""
    out = []
    for pattern in (r"<script", r"<link", r"<img", r"<iframe", r"\bsrc\s*=", r"url\(", r"@import", r"@font-face"):
        if re.search(pattern, text, re.I):
            out.append(f"the page contains '{pattern}'")
    for url in re.findall(r"https?://[^\s\"'<>]+", text):
        if url != "http://www.w3.org/2000/svg":
            out.append(f"the page refers to {url}")
    return out


def main():
    fundgap, source, work = sys.argv[1], sys.argv[2], sys.argv[3]
    shot = sys.argv[5] if len(sys.argv) > 5 and sys.argv[4] == "--screenshot" else None
    browser = chromium()
    if not browser:
        print("FAIL: chromium is not installed (setup.sh installs Debian's 'chromium')")
        return 1
    os.makedirs(work, exist_ok=True)
    failures = []

    # Self-test: the checks catch a script error, an empty chart and a fetch.
    bad = os.path.join(work, "broken.html")
    with open(bad, "w") as f:
        f.write('<!DOCTYPE html><html><body><svg class="chart" aria-label="empty"><line x1="0" x2="1"/></svg>'
                '<svg class="chart" aria-label="full"><rect class="mark" width="1" height="1"/></svg>'
                '<script>no_such_function();</script><img src="https://example.org/x.png"></body></html>')
    problems, charts = render(browser, bad, work)
    assert any("console" in p and "no_such_function" in p for p in problems), problems
    assert any("'empty' has no marks" in p for p in problems), problems
    assert not any("'full'" in p for p in problems), problems
    assert any("<script" in p for p in static_problems(open(bad).read()))
    assert any("example.org" in p for p in static_problems(open(bad).read()))

    scenarios = {
        "tower_hamlets_2019": {"gaps": 3, "bridges": 3, "pools": 1, "fans": 0, "tornado": 0},
        "tower_hamlets_2019_uncertain": {"gaps": 3, "bridges": 3, "pools": 1, "fans": 3, "tornado": 1},
    }
    for name, expected in scenarios.items():
        page = os.path.join(work, name + ".html")
        if os.path.exists(page):
            os.remove(page)
        subprocess.run([os.path.abspath(fundgap), "report", f"scenarios/{name}.yaml", "--draws", "500", "-o",
                        os.path.abspath(page)], check=True, cwd=source)
        text = open(page, encoding="utf-8").read()
        failures += [f"{name}: {p}" for p in static_problems(text)]
        problems, charts = render(browser, page, work)
        failures += [f"{name}: {p}" for p in problems]
        labels = [label for label, _ in charts]
        counts = {
            "gaps": sum(l.startswith("Gap of ") for l in labels),
            "bridges": sum(l.startswith("Gap bridge of ") for l in labels),
            "pools": sum(l == "Pool balances" for l in labels),
            "fans": sum(l.startswith("Range of the gap of ") for l in labels),
            "tornado": sum(l.startswith("Sensitivity of ") for l in labels),
        }
        if counts != expected:
            failures.append(f"{name}: charts {counts}, expected {expected}")
        size = screenshot(browser, page, os.path.join(work, name + ".png"), 1200, 4200)
        phone = screenshot(browser, page, os.path.join(work, name + "-phone.png"), 390, 6000)
        print(f"{name}: {len(charts)} charts, {sum(m for _, m in charts)} marks; screenshots {size} and {phone} bytes")
        if name == "tower_hamlets_2019":
            pages = printed_pages(browser, page, os.path.join(work, name + ".pdf"))
            print(f"{name}: printed on {pages} pages")
            if not 2 <= pages <= 12:
                failures.append(f"{name}: printed on {pages} pages")
        if shot and name == "tower_hamlets_2019":
            shutil.copyfile(os.path.join(work, name + ".png"), shot)

    # Scenario text is escaped: a name and an id-free display name with markup in them.
    hostile = os.path.join(work, "hostile.yaml")
    with open(os.path.join(source, "scenarios", "tower_hamlets_2019.yaml"), encoding="utf-8") as f:
        yaml = f.read()
    yaml = re.sub(r"(?m)^name:.*$", "name: \"<script>alert('x')</script> & <b>co</b>\"", yaml, count=1)
    with open(hostile, "w", encoding="utf-8") as f:
        f.write(yaml)
    page = os.path.join(work, "hostile.html")
    subprocess.run([fundgap, "report", hostile, "-o", page], check=True)
    text = open(page, encoding="utf-8").read()
    if "<script" in text or "<b>co" in text:
        failures.append("hostile: scenario text reached the page unescaped")
    if "&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt; &amp; &lt;b&gt;co&lt;/b&gt;" not in text:
        failures.append("hostile: the escaped name is missing")

    # Bad input: exit 2, a message, and no file written.
    for args, message in (
            (["scenarios/tower_hamlets_2019.yaml", "-o", os.path.join(work, "report.pdf")],
             "cannot tell the format of"),
            ([os.path.join(work, "missing.yaml"), "-o", os.path.join(work, "missing.html")], "cannot open"),
            (["scenarios/tower_hamlets_2019.yaml", "--draws", "0", "-o", os.path.join(work, "zero.html")], "--draws")):
        run = subprocess.run([os.path.abspath(fundgap), "report"] + args, capture_output=True, text=True, cwd=source)
        if run.returncode != 2 or message not in run.stderr or os.path.exists(args[-1]):
            failures.append(f"report {args}: exit {run.returncode}, {run.stderr.strip()}")

    for f in failures:
        print("FAIL:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
