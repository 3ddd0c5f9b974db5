"""Profile the hot requests in-process with pyinstrument (no gunicorn, no network).

    .venv/bin/python -m bench.profile_requests [--requests 200] [--what lesson|quiz]

pyinstrument is not a project dependency: install it anywhere on the path, e.g.
`pip install --target /tmp/bench-tools pyinstrument` and run with PYTHONPATH=/tmp/bench-tools.
Prints the call tree (time per function, children under parents) for N requests after one warm-up.
"""

from __future__ import annotations

import argparse
import re

from bench.common import DEMO_CODE, DEMO_PIN, DEMO_STUDENT, LESSON_PATH, Instance


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--what", choices=["lesson", "quiz"], default="lesson")
    args = parser.parse_args()
    try:
        from pyinstrument import Profiler
    except ImportError:
        raise SystemExit("pyinstrument is not installed (see this module's docstring)") from None
    import os

    with Instance("sqlite") as instance:
        quiz = instance.seed("quiz", "consent-quiz") if args.what == "quiz" else None
        os.environ.update(instance.env)
        from edu import create_app

        app = create_app({"SESSION_COOKIE_SECURE": False})
        client = app.test_client()

        def token(path: str) -> str:
            return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get(path).text).group(1)

        response = client.post("/student/signin", data={"csrf_token": token("/student/signin"), "code": DEMO_CODE,
                                                         "pseudonym": DEMO_STUDENT, "pin": DEMO_PIN})
        assert response.status_code == 302, response.status_code
        if quiz:
            form = {"action": "submit", "csrf_token": token("/learn/quiz/consent-quiz")}
            for question in quiz["questions"]:
                form[f"q-{question['id']}"] = question["options"][0]

            def one():
                assert client.post("/learn/quiz/consent-quiz", data=form).status_code == 302
        else:
            def one():
                assert client.get(LESSON_PATH).status_code == 200
        one()
        profiler = Profiler(interval=0.0005)
        profiler.start()
        for _ in range(args.requests):
            one()
        profiler.stop()
        print(profiler.output_text(unicode=True, color=False, show_all=False))


if __name__ == "__main__":
    main()
