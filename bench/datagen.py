"""Generate the synthetic data set the insights benchmark (and anyone timing a large school) runs on.

    .venv/bin/python -m bench.datagen --students 100000 --answers 2000000 [--schools N] [--seed S]

Into the database the app is configured for (`DATABASE_URL`, else the SQLite file in `EDU_INSTANCE_DIR`), after
`flask --app edu db upgrade`. The generator itself is `tests/datagen.py` (the scale tests use it too; `bench/`
imports from `tests/`, never the reverse): pseudonyms only, generated students share the PIN 246810 and staff the
password generated-pass-2026; the same seed gives the same data, and a second run with that seed changes nothing.
"""

from __future__ import annotations

import argparse
import sys
import time

import click

from edu import create_app
from edu.content_service import catalog
from tests.datagen import GENERATED_PASSWORD, GENERATED_PIN, generate


def generate_with_progress(students: int, answers: int, schools: int | None, seed: int) -> None:
    """Generate into the app of the current app context, with a progress bar and a summary on stdout."""
    started = time.monotonic()
    with click.progressbar(length=students, label="Generating students", show_pos=True) as bar:
        report = generate(catalog(), students, answers, schools, seed, progress=bar.update)
    if not report.created:
        click.echo(f"A data set with seed {seed} is already in the database; nothing changed "
                   "(use another --seed for another one).")
        return
    click.echo(f"Generated in {time.monotonic() - started:.1f} s: "
               + ", ".join(f"{count:,} {table}" for table, count in report.counts.items()))
    click.echo(f"{report.answers:,} answers (survey and quiz). Generated students share the PIN {GENERATED_PIN}, "
               f"generated staff the password {GENERATED_PASSWORD}.")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.datagen", description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=100_000, help="default: %(default)s")
    parser.add_argument("--answers", type=int, default=2_000_000,
                        help="survey and quiz answers in all, approximately (default: %(default)s)")
    parser.add_argument("--schools", type=int, help="number of schools (default: one per 2,500 students)")
    parser.add_argument("--seed", type=int, default=1, help="the same seed gives the same data (default: %(default)s)")
    args = parser.parse_args(argv)
    if args.students < 1 or args.answers < 0 or (args.schools is not None and args.schools < 1):
        parser.error("--students and --schools must be at least 1, --answers at least 0")
    with create_app().app_context():
        generate_with_progress(args.students, args.answers, args.schools, args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
