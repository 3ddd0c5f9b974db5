"""Pages for families (no sign-in, no cookie, not indexed) and the two small forms that share them: the school
admin's contact line and link, and the teacher's class notice link (edu/family/services.py)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from edu import audit
from edu.access import public, roles
from edu.content_service import catalog
from edu.database import writing
from edu.domain import LOCALES, REGIONS, region_of
from edu.extensions import db
from edu.family import services
from edu.i18n import language, use_language
from edu.insights.wording import GROUP_NAMES
from edu.logging_setup import logs_no_user
from edu.segment_view import SegmentView
from edu.teach.blueprint import back, owned, read_only

bp = Blueprint("family", __name__)

NOINDEX = ("X-Robots-Tag", "noindex, nofollow, noarchive")


def _locale(default: str) -> str:
    chosen = request.args.get("locale", "")
    return chosen if chosen in LOCALES else default


def _public_page(template: str, **context):
    """A family page: the words in its own language, language links instead of forms (no cookie), not indexed."""
    return render_template(template, **context), 200, [NOINDEX]


def _staff_school():
    user = current_user
    if user.is_authenticated and not user.is_student and user.role in ("teacher", "admin"):
        return user.school
    return None


@bp.route("/family/<module_id>")
@bp.route("/family/<module_id>/s/<school_key>")
@public
@logs_no_user
def sheet(module_id: str, school_key: str | None = None):
    """A module's family sheet, for anyone. With the school's public key in the address, it ends with the
    school's contact line; an old key (the school made a new link) still shows the sheet, without the school."""
    settings = services.school_by_key(school_key) if school_key else None
    locale = _locale(language())
    current = catalog()
    document = current.family_sheet(module_id, locale)
    if document is None:
        abort(404)
    staff_school = _staff_school()
    country = request.args.get("country", "")
    if country not in REGIONS:  # the school's help lines: the link's school, the reader's own, else by language
        school = settings.school if settings else staff_school
        country = region_of(school.country) if school else ("KR" if locale == "ko" else "INTL")
    use_language(locale)
    extra = {"country": request.args["country"]} if request.args.get("country") in REGIONS else {}
    links = {code: url_for("family.sheet", module_id=module_id, school_key=school_key, locale=code, **extra)
             for code in LOCALES}
    share = None
    if staff_school is not None:  # a teacher or admin sees the link to give families, with their school's key
        own = services.school_settings(staff_school)
        if own is None:
            with writing():
                own = services.ensure_school_settings(staff_school)
        share = url_for("family.sheet", module_id=module_id, school_key=own.public_key, locale=locale,
                        _external=True)
    return _public_page("family/sheet.html", document=document, module=current.module(module_id), locale=locale,
                        view=SegmentView(catalog=current, locale=locale, country=country, age_band=None),
                        settings=settings, language_links=links, share=share)


@bp.route("/notice/<notice_key>")
@public
@logs_no_user
def notice(notice_key: str):
    """What a class is taught and when, for its families: modules and dates only, never a student."""
    classroom = services.classroom_by_notice(notice_key)
    if classroom is None:
        abort(404)
    locale = _locale(classroom.locale)
    use_language(locale)
    settings = services.school_settings(classroom.school)
    links = {code: url_for("family.notice", notice_key=notice_key, locale=code) for code in LOCALES}
    return _public_page("family/notice.html", classroom=classroom, school=classroom.school, settings=settings,
                        modules=services.notice_modules(classroom, catalog(), locale), locale=locale,
                        language_links=links, band_name=GROUP_NAMES.get(classroom.age_band, ""))


# ---- the school admin: contact line and the school's link ---------------------------------------------------


@bp.route("/admin/family/contact", methods=["POST"])
@roles("admin")
def school_contact():
    school = current_user.school
    if school is None:
        abort(404)
    services.set_contact_line(school, request.form.get("contact", ""))
    audit.record(current_user, "family_contact", f"school:{school.id}")
    db.session.commit()
    flash(_("The contact line for families is saved."), "success")
    return redirect(url_for("admin.home") + "#families")


@bp.route("/admin/family/new-link", methods=["POST"])
@roles("admin")
def renew_school_link():
    school = current_user.school
    if school is None:
        abort(404)
    if request.form.get("confirm") != "yes":
        abort(400)
    services.renew_school_key(school)
    audit.record(current_user, "family_school_link", f"school:{school.id}")
    db.session.commit()
    flash(_("Family sheets have a new link. Links shared before still show the sheet, without your school's contact line."),
          "success")
    return redirect(url_for("admin.home") + "#families")


# ---- the teacher: the class notice link ---------------------------------------------------------------------


@bp.route("/teach/classes/<int:classroom_id>/family-notice", methods=["POST"])
@roles("teacher")
def class_notice(classroom_id: int):
    classroom = owned(classroom_id)
    if classroom.archived_at is not None:
        return read_only(classroom)
    action = request.form.get("action")
    if action == "new":
        services.renew_notice(classroom)
        flash(_("The page for families has a new link. The old link no longer works."), "success")
    elif action == "stop":
        services.stop_notice(classroom)
        flash(_("The page for families is no longer shared."), "success")
    else:
        abort(400)
    audit.record(current_user, "family_notice", f"classroom:{classroom.id}")
    db.session.commit()
    return back(classroom, "assignments")
