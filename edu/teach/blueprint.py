"""The teacher blueprint and what every class page needs: the owned-class check and the way back to a section."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from edu.teach import services

bp = Blueprint("teach", __name__, url_prefix="/teach")

# The class page's sections, in the order of its navigation: (section, endpoint).
SECTIONS = (
    ("overview", "teach.classroom"), ("students", "teach.students"), ("assignments", "teach.assignments"),
    ("progress", "teach.progress"), ("outcomes", "teach.outcomes"), ("questions", "safe.inbox"),
    ("settings", "teach.settings"),
)


def owned(classroom_id: int):
    """The signed-in teacher's class, or 404 (services.owned_classroom: the one place that decides ownership)."""
    try:
        return services.owned_classroom(current_user, classroom_id)
    except services.NotFound:
        abort(404)


def back(classroom, section: str = "overview"):
    """Redirect to one section of the class page."""
    return redirect(url_for(dict(SECTIONS)[section], classroom_id=classroom.id))


def read_only(classroom):
    flash(_("This class is archived and read-only. Restore it to make changes."), "error")
    return back(classroom)
