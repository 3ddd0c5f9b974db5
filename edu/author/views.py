"""The curriculum pages: the catalog for authors, and exact previews for authors and teachers."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import force_locale, gettext

from edu.access import roles
from edu.author.services import catalog_rows, preview_state
from edu.content.band_text import band_shares
from edu.content.minutes import classroom_minutes
from edu.content_service import catalog
from edu.domain import LOCALES, REGIONS
from edu.i18n import language
from edu.learn.forms import int_arg
from edu.segment_view import SegmentView

bp = Blueprint("author", __name__)

BANDS = ("middle", "high", "university")


@bp.route("/author/")
@roles("author")
def home():
    current = catalog()
    return render_template("author/home.html", catalog=current, rows=catalog_rows(current),
                           minutes=classroom_minutes(current, language()),
                           shares={locale: band_shares(current, locale) for locale in LOCALES})


def _preview_options() -> tuple[str, str, str]:
    locale = request.args.get("locale") or language()
    band = request.args.get("band", "middle")
    country = request.args.get("country", "KR")
    if locale not in LOCALES or band not in BANDS or country not in REGIONS:
        abort(404)
    return locale, band, country


@bp.route("/preview/lesson/<lesson_id>")
@roles("author", "teacher")
def preview_lesson(lesson_id: str):
    """The lesson exactly as a student sees it (drafts included); answers live only in the URL."""
    locale, band, country = _preview_options()
    lesson = catalog().lesson(lesson_id, locale, include_invalid=True)
    if lesson is None:
        abort(404)
    number = int_arg(request.args.get("step"), 1)
    if not 1 <= number <= len(lesson.steps):
        abort(404)
    responses = preview_state(request.args, lesson)
    base = url_for("author.preview_lesson", lesson_id=lesson.id, locale=locale, band=band, country=country)
    view = SegmentView(
        catalog=catalog(), locale=locale, country=country, age_band=band, responses=responses,
        form_method="get", action_for=lambda seg: base,
        carry={"locale": locale, "band": band, "country": country, "step": str(number)},
    )
    return render_template("author/preview_lesson.html", lesson=lesson, step=lesson.steps[number - 1],
                           number=number, total=len(lesson.steps), view=view, step_base=base,
                           locale=locale, band=band, country=country)


@bp.route("/preview/quiz/<quiz_id>")
@roles("author", "teacher")
def preview_quiz(quiz_id: str):
    locale, _band, _country = _preview_options()
    quiz = catalog().quiz(quiz_id, locale, include_invalid=True)
    if quiz is None:
        abort(404)
    return render_template("author/preview_quiz.html", quiz=quiz, locale=locale)


@bp.route("/guide/<module_id>")
@roles("author", "teacher")
def guide(module_id: str):
    return _document("guide", module_id)


@bp.route("/worksheet/<module_id>")
@roles("author", "teacher")
def worksheet(module_id: str):
    """The module's worksheet, laid out to print on A4 for students to write on by hand."""
    return _document("worksheet", module_id)


_DOCUMENTS = {"guide": "guide", "worksheet": "worksheet"}  # kind -> Catalog method


def _document(kind: str, module_id: str):
    locale, _band, country = _preview_options()
    current = catalog()
    document = getattr(current, _DOCUMENTS[kind])(module_id, locale)
    if document is None:
        abort(404)
    view = SegmentView(catalog=current, locale=locale, country=country, age_band=None)
    privacy = None
    if kind == "worksheet":  # printed for students: in the worksheet's language, whatever the teacher's
        with force_locale(document.locale):
            privacy = gettext("No name needed: do not write your own or anyone else's real name on this sheet.")
    return render_template("author/document.html", document=document, view=view, kind=kind, privacy=privacy,
                           module=current.module(module_id), locale=locale, country=country)
from edu.author import sequence_views  # noqa: E402,F401
