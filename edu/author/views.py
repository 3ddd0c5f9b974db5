"""The curriculum author's pages: the catalog and exact previews."""

from __future__ import annotations

from flask import Blueprint, render_template

from edu.access import roles
from edu.content_service import catalog

bp = Blueprint("author", __name__, url_prefix="/author")


@bp.route("/")
@roles("author")
def home():
    current = catalog()
    return render_template("author/home.html", catalog=current)
