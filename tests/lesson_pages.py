"""Walking a lesson as a student: every step's page, checked for what every rendered step must hold."""

from __future__ import annotations

from collections.abc import Iterator

from flask.testing import FlaskClient
from markupsafe import escape

# Blocks a student sees on the page by their id (polls are shown to teachers only).
STUDENT_BLOCKS = ("sort", "flip", "reveal", "scenario", "check", "stepout", "reflection")


def every_step_page(client: FlaskClient, lesson) -> Iterator[tuple[object, str]]:
    """Each step of the lesson with its page: the page opens, shows the step's title and every student block,
    and no directive or fact reference is left unrendered."""
    for number, step in enumerate(lesson.steps, 1):
        response = client.get(f"/learn/lesson/{lesson.id}?step={number}")
        assert response.status_code == 200, (lesson.id, step.id)
        page = response.get_data(as_text=True)
        assert str(escape(step.title)) in page, (lesson.id, step.id)
        assert "[[fact:" not in page and "\n:::" not in page, (lesson.id, step.id)
        for seg in step.segments:
            if seg.kind in STUDENT_BLOCKS:
                assert seg.id in page, (lesson.id, step.id, seg.id)
        yield step, page
