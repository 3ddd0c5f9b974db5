"""The student's pages."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from edu.access import roles

bp = Blueprint("learn", __name__, url_prefix="/learn")


@bp.route("/")
@roles("student")
def home():
    return render_template("learn/home.html", classroom=current_user.classroom)
