"""The baseline: a bare Flask + Jinja2 app that serves the same HTML bytes as the lesson page.

`BENCH_HTML_FILE` names a file holding the lesson page's HTML as the real app sent it; the page is served through
a Jinja2 template (render_template, autoescape on) so the baseline pays for Flask routing and a template render,
but for no session, database, content lookup or i18n. Run under the same gunicorn settings as the app.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from flask import Flask, render_template

_templates = Path(tempfile.mkdtemp(prefix="edu-bare-"))
_html = Path(os.environ["BENCH_HTML_FILE"]).read_text(encoding="utf-8")
(_templates / "lesson.html").write_text("{% raw %}" + _html + "{% endraw %}", encoding="utf-8")

app = Flask(__name__, template_folder=str(_templates))


@app.route("/learn/lesson/<lesson_id>")
def lesson(lesson_id: str):
    return render_template("lesson.html", lesson_id=lesson_id)


@app.route("/student/signin")
def signin():
    return "ok"
