"""The author's catalog shows total classroom minutes per age band for Korean and international classes, in
both languages, built from the content library."""

from __future__ import annotations

import re

import pytest

from edu.content.minutes import classroom_minutes
from edu.content_service import catalog
from tests import factories


def test_the_figures_come_from_the_published_lessons_of_each_region(ctx):
    figures = classroom_minutes(catalog(), "ko")
    for region in ("KR", "INTL"):
        lessons = [lesson for module in catalog().modules
                   for lesson in catalog().lessons_for(module.id, "ko", region=region)]
        assert lessons and not any(lesson.is_draft for lesson in lessons)
        for band in ("middle", "high", "university"):
            assert figures[region][band] == sum(x.minutes for x in lessons if band in x.age_bands)
    # law-kr-* only for Korean classes, law-intl-* only for international ones: the totals differ
    assert figures["KR"] != figures["INTL"]


@pytest.mark.parametrize(("language", "words"), [("en", ("min", "South Korea")), ("ko", ("분", "대한민국"))])
def test_the_catalog_page_shows_minutes_per_band(app, language, words):
    with app.app_context():
        factories.staff("author", "author@school.kr")
        figures = classroom_minutes(catalog(), language)
    client = app.test_client()
    factories.sign_in_staff(client, "author@school.kr")
    html = client.get("/author/", headers={"Accept-Language": language}).get_data(as_text=True)
    for region in ("KR", "INTL"):
        for band in ("middle", "high", "university"):
            cell = re.search(rf'data-band="{band}" data-region="{region}">([^<]*)<', html)
            assert cell is not None, (region, band)
            total = figures[region][band]
            assert str(total) in cell.group(1) and f"{total // 60}" in cell.group(1)
    assert all(word in html for word in words)


def test_students_and_teachers_cannot_open_the_catalog(app):
    with app.app_context():
        factories.teacher("teacher@school.kr")
    client = app.test_client()
    factories.sign_in_staff(client, "teacher@school.kr")
    assert client.get("/author/").status_code in (302, 403, 404)


@pytest.mark.parametrize(("language", "words"), [("en", "Share of lesson text"), ("ko", "학교급별로 따로 쓴")])
def test_the_catalog_page_shows_the_share_of_band_specific_text(app, language, words):
    from edu.content.band_text import band_shares

    with app.app_context():
        factories.staff("author", "author@school.kr")
        shares = {loc: band_shares(catalog(), loc) for loc in ("ko", "en")}
    client = app.test_client()
    factories.sign_in_staff(client, "author@school.kr")
    html = client.get("/author/", headers={"Accept-Language": language}).get_data(as_text=True)
    assert words in html
    for loc in ("ko", "en"):
        for band in ("middle", "high", "university"):
            cell = re.search(rf'data-band="{band}" data-locale="{loc}">([^<]*)<', html)
            share = shares[loc][band]
            assert cell is not None and 0 < share.specific < share.total
            assert cell.group(1).startswith(f"{share.percent}%")
