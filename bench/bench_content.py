"""Benchmark 6: the full curriculum checked and rendered from cold; no Markdown work on a second request.

    .venv/bin/python -m bench.bench_content

A fresh Python process (nothing imported, nothing cached) times: importing the app and create_app, the content
checker over the whole tree (`flask content check`'s check_tree), loading the catalog (which parses and renders
every Markdown field once), and rendering every step of every lesson and every quiz in both languages through
the author preview (the same SegmentView and templates a student gets). Then, in the same process, a signed-in
student requests a lesson page twice, and the calls into Markdown (markdown-it parse, nh3 sanitize) made by the
second request are counted. Target: under 5 s from cold; zero Markdown calls on the second request.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

START = time.perf_counter()


def child() -> None:
    timings = {}
    mark = time.perf_counter()
    from edu import create_app

    app = create_app({"WTF_CSRF_ENABLED": False, "SESSION_COOKIE_SECURE": False})
    timings["import + create_app"] = time.perf_counter() - mark
    from edu.content import markdown as md
    from edu.content.checker import check_tree
    from edu.content_service import catalog

    calls = {"parse": 0, "sanitize": 0}
    parse, sanitize = md._md.parse, md.sanitize

    def counted_parse(*args, **kwargs):
        calls["parse"] += 1
        return parse(*args, **kwargs)

    def counted_sanitize(*args, **kwargs):
        calls["sanitize"] += 1
        return sanitize(*args, **kwargs)

    md._md.parse, md.sanitize = counted_parse, counted_sanitize
    mark = time.perf_counter()
    errors, _report = check_tree(app.config["EDU_CONTENT_DIR"])
    timings["content check (whole tree)"] = time.perf_counter() - mark
    with app.app_context():
        mark = time.perf_counter()
        cat = catalog()
        timings["load catalog (all Markdown rendered)"] = time.perf_counter() - mark
        load_calls = dict(calls)
        client = app.test_client()
        response = client.post("/signin", data={"email": "author@demo.boundaries.test", "password": "demo-pass-2026"})
        assert response.status_code == 302, response.status_code
        mark = time.perf_counter()
        pages = 0
        for module in cat.modules:
            for locale in ("ko", "en"):
                country = "KR"
                for lesson_id in module.lesson_ids:
                    lesson = cat.lesson(lesson_id, locale, include_invalid=True)
                    if lesson is None:
                        continue
                    for number in range(1, len(lesson.steps) + 1):
                        url = f"/preview/lesson/{lesson_id}?locale={locale}&band=high&country={country}" \
                              f"&step={number}"
                        assert client.get(url).status_code == 200, url
                        pages += 1
                quizzes = module.quiz_ids or (module.quiz_id,)
                for quiz_id in filter(None, quizzes):
                    url = f"/preview/quiz/{quiz_id}?locale={locale}&band=high&country={country}"
                    status = client.get(url).status_code
                    assert status in (200, 404), (url, status)
                    pages += status == 200
        timings[f"render every lesson step and quiz, both languages ({pages} pages)"] = time.perf_counter() - mark
    timings["total from process start"] = time.perf_counter() - START

    student = app.test_client()
    response = student.post("/student/signin", data={"code": "DEMKR7", "pseudonym": "파란 수달 17", "pin": "246810"})
    assert response.status_code == 302, response.status_code
    with app.app_context():
        assert student.get("/learn/lesson/consent-basics?step=2").status_code == 200
        before = dict(calls)
        assert student.get("/learn/lesson/consent-basics?step=2").status_code == 200
        second = {k: calls[k] - before[k] for k in calls}
    print(json.dumps({"timings": timings, "errors": errors, "load_calls": load_calls, "second_request": second,
                      "pages": pages}))


def main() -> dict:
    from bench.common import Instance, print_facts, table, write_result

    print("Benchmark 6: content from cold")
    print_facts()
    with Instance("sqlite") as instance:
        out = subprocess.run([sys.executable, "-m", "bench.bench_content", "--child"], env=instance.env,
                             capture_output=True, text=True, cwd=instance.env.get("PYTHONPATH"))
    if out.returncode:
        raise SystemExit(out.stderr[-3000:])
    data = json.loads(out.stdout.strip().splitlines()[-1])
    print(table([[k, f"{v:.2f}"] for k, v in data["timings"].items()], ["phase", "seconds"]))
    print(f"  content errors: {data['errors']}; Markdown calls while loading the catalog: {data['load_calls']}")
    print(f"  Markdown calls during a second request for the same lesson: {data['second_request']}")
    total = data["timings"]["total from process start"]
    verdict = "PASS" if total < 5 and not any(data["second_request"].values()) else "FAIL"
    print(f"  target: < 5 s from cold, no Markdown on a second request: {verdict}")
    summary = {"total_s": total, "second_request_markdown_calls": data["second_request"], "pages": data["pages"],
               "verdict": verdict, "timings": data["timings"]}
    write_result("content", summary)
    return summary


if __name__ == "__main__":
    if "--child" in sys.argv:
        child()
    else:
        main()
