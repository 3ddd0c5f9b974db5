"""Machine instructions per request, counted by valgrind's callgrind, in-process: a figure that does not drift.

    .venv/bin/python -m bench.instructions [--requests 200]

CPU-time figures on this kind of machine move by 10-20% between runs and within one, more than most single
changes save; an instruction count of the same code is the same on every run (to well under 1%), whatever
else the machine is doing. Use it to compare two versions of the code (run it in each tree); the time figures of
the other benchmarks remain the ones the targets are judged by.

It runs itself again under `valgrind --tool=callgrind` (Debian's `valgrind` package). Counting is switched on
only inside `functools.reduce`, which runs each target's requests, and the count is written out as each reduce
ends, so start-up, sign-in and the warm-up requests are not counted. Libraries call reduce too (a nested call
would switch counting off and write out a part): a target's count is used only if its reduce wrote exactly one
file, and the run fails otherwise. The targets go through the WSGI callables
as in `bench/request_floor.py` (no network, no gunicorn; `gc.freeze()` done), with the demo student signed in:
- the bare Flask + Jinja2 app of benchmark 1 (`bench/bare_app.py`) serving the lesson page's bytes;
- an empty route in bare Flask, and in this app signed out and signed in;
- the lesson page of benchmark 1 (from the step cache) and the student's home page.
Under callgrind Python runs about 50 times slower: the default takes about 4 minutes.
"""

from __future__ import annotations

import argparse
import functools
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.common import LESSON_PATH, table

TARGETS = [  # (name, server, path, signed in)
    ("bare Flask + Jinja2, the lesson page's bytes (benchmark 1's baseline)", "bare_jinja", LESSON_PATH, False),
    ("bare Flask, empty route", "bare", "/bench-empty", False),
    ("this app, empty route, signed out", "app", "/bench-empty", False),
    ("this app, empty route, signed-in student", "app", "/bench-empty", True),
    ("lesson page (benchmark 1's)", "app", LESSON_PATH, True),
    ("student home page", "app", "/learn/", True),
]
WARM_UP = 50


def _dumps(out_file: Path) -> list[Path]:
    """The numbered files callgrind has written so far (`out_file`.1, .2, ...), in order."""
    numbered = [path for path in out_file.parent.glob(f"{out_file.name}.*") if path.suffix[1:].isdigit()]
    return sorted(numbered, key=lambda path: int(path.suffix[1:]))


def count_requests(requests: int, out_file: Path) -> None:
    """Under callgrind: each target's requests in one reduce call (counted), after a warm-up (not counted); the
    file callgrind wrote for each target is listed in `out_file`.targets."""
    from bench.request_floor import call_ok, prepared_app

    with prepared_app() as prepared:
        html = prepared.client.get(LESSON_PATH).data
        html_file = Path(tempfile.mkdtemp(prefix="edu-instructions-")) / "lesson.html"
        html_file.write_bytes(html)
        os.environ["BENCH_HTML_FILE"] = str(html_file)
        from bench.bare_app import app as bare_jinja

        servers = {"app": prepared.app.wsgi_app, "bare": prepared.bare.wsgi_app, "bare_jinja": bare_jinja.wsgi_app}
        written = []
        for name, server, path, signed_in in TARGETS:
            wsgi, environ = servers[server], prepared.environ(path, signed_in)

            def one(_total=None, _item=None, wsgi=wsgi, environ=environ) -> None:
                call_ok(wsgi, environ)

            for _ in range(WARM_UP):
                one()
            before = _dumps(out_file)
            functools.reduce(one, range(requests), None)
            new = [path for path in _dumps(out_file) if path not in before]
            if len(new) != 1:
                raise SystemExit(f"{name}: {len(new)} callgrind files written, not 1 (a nested functools.reduce?)")
            written.append(new[0].name)
        out_file.with_name(f"{out_file.name}.targets").write_text("\n".join(written))


def totals(out_file: Path) -> list[int]:
    """The instruction count callgrind wrote for each target, in the order of TARGETS."""
    counts = []
    for name in out_file.with_name(f"{out_file.name}.targets").read_text().split():
        match = re.search(r"^totals: (\d+)", out_file.with_name(name).read_text(), re.MULTILINE)
        counts.append(int(match.group(1)))
    return counts


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--inner", type=Path, help=argparse.SUPPRESS)  # callgrind's output file, when counted
    args = parser.parse_args()
    if args.inner:
        count_requests(args.requests, args.inner)
        return
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed: apt-get install -y valgrind")
    print(f"Instructions per request, in-process, counted by callgrind over {args.requests} requests each")
    with tempfile.TemporaryDirectory(prefix="edu-callgrind-") as directory:
        out_file = Path(directory) / "callgrind.out"
        command = ["valgrind", "--tool=callgrind", "--collect-atstart=no", "--toggle-collect=functools_reduce",
                   "--dump-after=functools_reduce", f"--callgrind-out-file={out_file}",
                   sys.executable, "-m", "bench.instructions", "--inner", str(out_file), "--requests", str(args.requests)]
        result = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if result.returncode != 0:
            raise SystemExit(f"the counted run failed:\n{result.stderr[-3000:]}")
        counts = totals(out_file)
    per_request = [count / args.requests for count in counts]
    baseline = per_request[0]
    rows = [[name, f"{figure / 1e6:.3f}", f"{figure / baseline:.1f}"]
            for (name, *_rest), figure in zip(TARGETS, per_request, strict=True)]
    print(table(rows, ["request", "million instructions per request", "× benchmark 1's baseline"]))


if __name__ == "__main__":
    main()
