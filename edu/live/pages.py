"""What the live pages show: the join address and its QR code, the step as the phones and the projector render it
(the lesson player's own macros, edu/segment_view.py), and the ETag'd answers to the pages' 3-second polls."""

from __future__ import annotations

from urllib.parse import urlsplit

import segno
from flask import Response, current_app, jsonify, request, session, url_for
from flask_babel import gettext
from markupsafe import Markup

from edu.i18n import in_locale
from edu.school.rules import LOOPBACK_HOSTS
from edu.segment_view import SegmentView

CHOICES_KEY = "live_choices"  # the student's own answers, in their own signed cookie only (never stored)


def public_base_url(school=None) -> str | None:
    """The school's own address (its admin's setting), else ``EDU_PUBLIC_URL``, if it is an http(s) address phones
    can reach; None when unset or a loopback address."""
    configured = ((school.public_url if school is not None else None) or current_app.config.get("EDU_PUBLIC_URL")
                  or "").strip().rstrip("/")
    parts = urlsplit(configured)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.hostname in LOOPBACK_HOSTS \
            or parts.hostname.startswith("127."):
        return None
    return configured


def join_address(classroom) -> str | None:
    base = public_base_url(classroom.school)
    return base + url_for("live.follow", code=classroom.join_code) if base else None


def qr_svg(address: str, label: str) -> Markup:
    """The address as a QR code, drawn on the server as inline SVG (no image service, no script)."""
    code = segno.make(address, error="m")
    width, height = code.symbol_size(scale=6, border=4)
    svg = code.svg_inline(scale=6, border=4, dark="#000", light="#fff", title=label, svgclass="live-qr__code")
    # an image named by its <title>, that scales down on a narrow screen (segno draws neither attribute)
    return Markup(svg.replace("<svg ", f'<svg role="img" viewBox="0 0 {width} {height}" ', 1))


def displayed_lesson(catalog, lesson, locale: str):
    """The live lesson in the reader's language when that version has the same steps, else the class's version."""
    other = catalog.lesson(lesson.id, locale) if locale != lesson.locale else None
    if other is not None and [s.id for s in other.steps] == [s.id for s in lesson.steps]:
        return other
    return lesson


def step_label(lesson, index: int) -> str:
    """"Step 3 of 6" in the lesson's language, as the lesson player says it."""
    return in_locale(lesson.locale, gettext, "Step %(done)d of %(total)d", done=index + 1, total=len(lesson.steps))


def own_choices(live_id: int) -> dict[str, str]:
    stored = session.get(CHOICES_KEY) or {}
    return dict(stored.get("c", {})) if stored.get("live") == live_id else {}


def keep_own_choice(live_id: int, block_id: str, choice: str) -> None:
    choices = own_choices(live_id)
    choices[block_id] = choice
    session[CHOICES_KEY] = {"live": live_id, "c": choices}


def phone_view(catalog, classroom, lesson, responses: dict[str, str], reflections: dict[str, str]) -> SegmentView:
    return SegmentView(catalog=catalog, locale=lesson.locale, country=classroom.country,
                       age_band=classroom.age_band, responses=responses, reflections=reflections,
                       form_method="post", answers_polls=True,
                       action_for=lambda seg: url_for("live.answer", block=seg.id))


def projector_view(catalog, classroom, lesson) -> SegmentView:
    """The step for the whole class: every age band's text for the class's band, polls shown, nothing to press
    that would store anything (a choice pressed on the projector only shows its feedback there)."""
    shown = {k[2:]: v[:64] for k, v in request.args.items() if k.startswith("r.")}
    if request.args.get("block") and request.args.get("choice"):
        shown[request.args["block"][:64]] = request.args["choice"][:64]
    return SegmentView(catalog=catalog, locale=lesson.locale, country=classroom.country,
                       age_band=classroom.age_band, shows_polls=True, form_method="get", responses=shown,
                       action_for=lambda seg: url_for("live.projector", classroom_id=classroom.id))


def conditional_json(token: str, payload) -> Response:
    """``payload()`` as JSON with ``token`` as its ETag, or 304 when the page already has it: a poll that finds
    nothing new costs one small query and a few bytes."""
    response = Response(status=304) if token in request.if_none_match else jsonify(payload())
    response.set_etag(token)
    return response
