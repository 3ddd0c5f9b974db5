"""The school admin's pages."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from edu.access import roles
from edu.admin import services

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/")
@roles("admin")
def home():
    overview = services.school_overview(current_user.school) if current_user.school else None
    return render_template("admin/home.html", overview=overview)
