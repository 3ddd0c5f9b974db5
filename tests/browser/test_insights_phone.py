"""Chromium: the per-statement answer tables of the school release fit a 360 px phone, in English and Korean
(the admin page as the app renders it, with its stylesheet, every <details> opened)."""

from __future__ import annotations

import re

import pytest

from edu.extensions import db
from edu.insights import dp
from tests import factories
from tests.integration.test_insights import answer_survey, make_class

pytestmark = pytest.mark.browser


def test_the_distribution_tables_fit_a_phone(app, ctx, phone, monkeypatch):
    teacher = factories.teacher("t@school.kr")
    _classroom, students = make_class(teacher, "Big class", 16, band="high")
    for student in students:
        answer_survey(student, "pre", False, "2")
        answer_survey(student, "post", True, "4")
    factories.staff("admin", "admin@school.kr", school=teacher.school)
    db.session.commit()
    client = app.test_client()
    factories.sign_in_staff(client, "admin@school.kr")
    # Exact sums and the noise's error taken as zero, only here: the tables show fixed numbers, whatever the noise.
    monkeypatch.setattr(dp, "release", lambda query, values: [int(v) for v in values])
    client.post("/admin/insights/release")
    exact = dp.distribution_of
    monkeypatch.setattr(dp, "distribution_of",
                        lambda item, noisy, sigma, top, reverse=False, step=0: exact(item, noisy, 0.0, top, reverse,
                                                                                   step))
    page = phone.new_page()
    for lang in ("en", "ko"):
        html = client.get("/admin/insights", headers={"Accept-Language": lang}).get_data(as_text=True)
        href = re.search(r'<link rel="stylesheet" href="([^"]+)"', html).group(1)
        html = html.replace(f'<link rel="stylesheet" href="{href}">',
                            f"<style>{client.get(href).get_data(as_text=True)}</style>")
        page.set_content(html)
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        facts = page.evaluate("""() => ({page: document.documentElement.scrollWidth, width: window.innerWidth,
            tables: [...document.querySelectorAll('details table')].map(t => [t.scrollWidth, t.parentElement.clientWidth]),
            numbers: document.querySelectorAll('details td').length})""")
        assert facts["page"] <= facts["width"], (lang, facts)
        assert facts["tables"] and all(table <= room for table, room in facts["tables"]), (lang, facts)
        assert facts["numbers"] > 0
