"""Run every benchmark in one go and print a summary table: `make bench` or `.venv/bin/python -m bench.run_all`.

Each benchmark is its own process (`python -m bench.<name>`), bounded in time (about 12 minutes in all on 2
cores). Results land in bench/results/*.json; the table below is built from them. Options: --quick shortens
every run (for a smoke test), --skip NAME[,NAME] leaves some out.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time

from bench.common import ROOT, print_facts, table

BENCHES = {
    "lesson": ["bench.bench_lesson"],
    "page_weight": ["bench.bench_page_weight"],
    "quiz": ["bench.bench_quiz"],
    "class_bell": ["bench.bench_class_bell", "--pin-hash", "app"],
    "class_bell_reading": ["bench.bench_class_bell", "--pin-hash", "app", "--read", "1.5", "--breakdown", "0"],
    "class_bell_heavy_pins": ["bench.bench_class_bell", "--pin-hash", "heavy", "--breakdown", "0"],
    "content": ["bench.bench_content"],
    "insights": ["bench.bench_insights"],
    "reliability": ["bench.bench_reliability"],
}
QUICK = {
    "lesson": ["--seconds", "5"],
    "quiz": ["--seconds", "5"],
    "class_bell": ["--students", "100", "--arrive", "10", "--cap", "60"],
    "class_bell_reading": ["--students", "100", "--arrive", "10", "--cap", "60"],
    "class_bell_heavy_pins": ["--students", "100", "--arrive", "10", "--cap", "60"],
    "insights": ["--quick"],
    "reliability": ["--quick"],
}


def load(name: str) -> dict:
    path = ROOT / "bench" / "results" / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else {}


def summary_rows() -> list[list]:
    rows = []
    lesson = load("lesson")
    if lesson:
        rows.append(["1 lesson page req/s (bare baseline)", f"{lesson['app_rps']:.0f} ({lesson['bare_rps']:.0f})",
                     f"ratio {lesson['ratio']:.2f}, p50 {lesson['app_p50']:.0f} ms, p99 {lesson['app_p99']:.0f} ms "
                     f"(bare p99 {lesson['bare_p99']:.0f} ms)", ">= 0.50, p99 < 50 ms", lesson["verdict"]])
    weight = load("page_weight")
    if weight:
        rows.append(["2 page weight, first visit", f"{weight['bytes'] / 1024:.1f} KB",
                     f"{weight['resources']} responses; with the HTML gzipped too ~{weight['gzip_estimate'] / 1024:.1f} KB",
                     "< 50 KB", weight["verdict"]])
    quiz = load("quiz")
    for backend in ("sqlite", "postgresql"):
        if backend in quiz:
            r = quiz[backend]
            rows.append([f"3 quiz submits/s, {backend}", f"{r['rps']:.0f}",
                         f"p50 {r['p50']:.0f} ms, p99 {r['p99']:.0f} ms, errors {r['errors'] + r['server_errors']}, "
                         f"double submit {r['double_submit']}", ">= 300 (SQLite), 0 errors", quiz["verdict"]])
    for kind, label in (("app", "no reading time"), ("app_read1.5", "reading 0.75-2.25 s a page"),
                        ("heavy", "PIN hash heavy")):
        bell = load(f"class_bell_sqlite_{kind}")  # as bench_class_bell names its result
        if bell:
            rows.append([f"4 class bell, {label}", f"{bell['finished']}/{bell['students']} done",
                         f"last {bell['last_s']:.0f} s, p95 {bell['p95']:.0f} ms, errors {bell['errors']}, "
                         f"PIN check {bell['pin_check_cpu_ms']:.1f} ms CPU/sign-in", "60 s, p95 < 250 ms, 0 errors",
                         bell["verdict"]])
    insights = load("insights")
    for backend in ("sqlite", "postgresql"):
        r = insights.get(backend)
        if r:
            rows.append([f"5 insights, {backend}", f"{r['everything_ms']:.0f} ms all students",
                         f"class {r['class_outcomes_ms']:.0f} ms; one school of {r['students_per_school']:.0f} "
                         f"{r['school_by_class_ms']:.0f} ms; {r['counts']['students']} students, "
                         f"{r['counts']['answers']} answers", "class < 50 ms, school < 1 s", insights["verdict"]])
    reliability = load("reliability")
    if reliability:
        lost = sum(row["missing or wrong"] + row["duplicates"] for row in reliability["rows"])
        errors = sum(row["errors"] for row in reliability["rows"])
        rows.append(["7 reliability", f"{len(reliability['rows'])} scenarios",
                     f"errors {errors}, lost or duplicated {lost}", "0, 0", reliability["verdict"]])
    content = load("content")
    if content:
        rows.append(["6 content from cold", f"{content['total_s']:.2f} s",
                     f"{content['pages']} pages rendered; Markdown calls on 2nd request "
                     f"{content['second_request_markdown_calls']}", "< 5 s, 0 calls", content["verdict"]])
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--skip", default="")
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    results = ROOT / "bench" / "results"
    for old in results.glob("*.json"):
        old.unlink()
    print("Boundaries benchmarks; machine:")
    print_facts()
    started = time.monotonic()
    for name, command in BENCHES.items():
        if name in skip:
            continue
        extra = QUICK.get(name, []) if args.quick else []
        print(f"\n=== {name} ===", flush=True)
        code = subprocess.run([sys.executable, "-m", *command, *extra], cwd=ROOT).returncode
        if code:
            print(f"  {name} exited with {code}")
    print(f"\n=== summary ({time.monotonic() - started:.0f} s) ===")
    print(table(summary_rows(), ["benchmark", "measured", "details", "target", "verdict"]))


if __name__ == "__main__":
    main()
