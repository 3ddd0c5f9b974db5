"""The audit log in words: who (an email, never a bare number), and what was acted on ("Class 2-3", "Student no. 41
of 2-3", "Class 2-3, module Consent"), instead of codes such as ``classroom:3`` or ``classroom:3:pre``. Students
stay numbers: the log is for accountability, and a pseudonym tells an admin nothing more."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from markupsafe import Markup, escape

from edu.admin.audit_actions import action_name
from edu.extensions import db
from edu.models import Account, AuditEvent, Classroom, Incident, LtiPlatform, Student


@dataclass(frozen=True)
class Line:
    event: AuditEvent
    who: str
    what: str  # the action, in words
    target: Markup


def marked_name(name: str, locale: str) -> Markup:
    """A name the app did not write (a class's), in a span with its language when it differs from the page's, as
    templates/macros/lang.html's lang_name does: Hangul is Korean; Latin letters on a Korean page are English."""
    hangul = any("가" <= char <= "힣" for char in name)
    latin = any(char.isascii() and char.isalpha() for char in name)
    lang = "ko" if hangul and locale != "ko" else "en" if not hangul and latin and locale == "ko" else None
    return Markup('<span lang="{}">{}</span>').format(lang, name) if lang else escape(name)


def _classroom(cache: dict, classroom_id: int, locale: str) -> Markup:
    if classroom_id not in cache:
        row = db.session.get(Classroom, classroom_id)
        cache[classroom_id] = (Markup(_("Class %(name)s", name=marked_name(row.name, locale))) if row
                               else escape(_("A deleted class")))
    return cache[classroom_id]


def _sequence_year(name: Markup, band: str, year: int, count: int) -> str:
    """"Class 2-3, year 1 of the middle-school sequence (4 modules assigned)"."""
    bands = {"middle": _("middle school"), "high": _("high school"), "university": _("university")}
    return ngettext("%(name)s, year %(year)d of the %(band)s sequence (%(num)d module assigned)",
                    "%(name)s, year %(year)d of the %(band)s sequence (%(num)d modules assigned)", count,
                    name=name, year=year, band=escape(bands.get(band, band)))
def _incident(parts: list[str], catalog, locale: str) -> Markup:
    """"Incident of 1 Dec 2026" (never its title: the log holds no free text), and the checklist step's title."""
    incident = db.session.get(Incident, parts[0])
    if incident is None:
        return escape(_("A deleted incident"))
    name = _("Incident of %(day)s", day=format_date(incident.happened_on, "medium"))
    if len(parts) < 2:
        return escape(name)
    checklist = catalog.checklist(incident.school.country if incident.school else None)
    step = next((s for s in (checklist.steps.get(locale, ()) if checklist else ()) if s.key == parts[1]), None)
    return escape(_("%(incident)s, checklist step: %(step)s", incident=name, step=step.title if step else parts[1]))


def describe_target(target: str, catalog, locale: str, cache: dict) -> Markup:
    """What an event acted on, as HTML: our own wording around escaped names (a class name marked with its language)."""
    kind, _sep, rest = (target or "").partition(":")
    parts = rest.split(":")
    if kind == "classroom" and parts[0].isdigit():
        name = _classroom(cache, int(parts[0]), locale)
        if len(parts) == 1:
            return name
        if parts[1] == "pre":
            return Markup(_("%(name)s, survey before the lessons", name=name))
        if parts[1] == "post":
            return Markup(_("%(name)s, survey after the lessons", name=name))
        if parts[1] == "sequence" and len(parts) == 5 and parts[3].isdigit() and parts[4].isdigit():
            return Markup(_sequence_year(name, parts[2], int(parts[3]), int(parts[4])))
        module = catalog.module(parts[1])
        title = module.title.get(locale, parts[1]) if module else parts[1]
        return Markup(_("%(name)s, module %(module)s", name=name, module=escape(title)))
    if kind == "student" and rest.isdigit():
        student = db.session.get(Student, int(rest))
        if student is None:
            return escape(_("Student no. %(num)s (since deleted)", num=rest))
        return Markup(_("Student no. %(num)s of %(name)s", num=rest,
                        name=_classroom(cache, student.classroom_id, locale)))
    if kind == "teaching" and len(parts) == 2 and parts[0].isdigit() and parts[1].isdigit():
        teacher = db.session.get(Account, int(parts[1]))
        return Markup(_("%(name)s, teacher %(email)s", name=_classroom(cache, int(parts[0]), locale),
                        email=escape(teacher.email if teacher else _("A deleted account"))))
    if kind == "invitation" and len(parts) == 2:
        return escape(_("An invitation link for a teacher") if parts[1] == "teacher"
                      else _("An invitation link for a school admin"))
    if kind == "account" and rest.isdigit():
        account = db.session.get(Account, int(rest))
        return escape(account.email if account else _("A deleted account"))
    if kind == "incident":
        return _incident(parts, catalog, locale)
    if kind == "school":
        return escape(_("The whole school"))
    if kind == "lti-platform" and rest.isdigit():
        platform = db.session.get(LtiPlatform, int(rest))
        return escape(_("LMS %(issuer)s, client %(client)s", issuer=platform.issuer, client=platform.client_id)
                      if platform else _("A removed LMS registration"))
    if target == "research-link-key":
        return escape(_("The key that links before and after surveys"))
    return escape(target)


def describe(events: list[AuditEvent], catalog, locale: str) -> list[Line]:
    cache: dict = {}
    lines = []
    for event in events:
        account = db.session.get(Account, event.account_id) if event.account_id else None
        who = account.email if account else (_("A deleted account") if event.account_id else _("system"))
        lines.append(Line(event, who, action_name(event.action), describe_target(event.target, catalog, locale, cache)))
    return lines
